package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// elementObjectType is the object type of the elements of a list of nested
// objects, as the schema declares it. The code that builds those objects
// takes their type from here, so the schema is the one place an attribute
// is declared. It panics on a type that is not such a list: that is a
// mistake in the provider's own schema, found by any test.
func elementObjectType(listType attr.Type) types.ObjectType {
	list, ok := listType.(types.ListType)
	if !ok {
		panic(fmt.Sprintf("%s is not a list type", listType))
	}
	object, ok := list.ElemType.(types.ObjectType)
	if !ok {
		panic(fmt.Sprintf("the elements of %s are not objects", listType))
	}
	return object
}
