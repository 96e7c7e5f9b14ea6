package provider

import (
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// computedAttribute is one attribute of the objects a computed list holds
// (a device of bigiq_devices, a client app of bigiq_oauth_client_apps),
// with where its value comes from. A table of them is the one place such
// an attribute is declared: the schema and the values are both built from
// it. The values are built as terraform values directly, not from a struct
// (the framework's reflection costs about a millisecond per struct) nor as
// framework values (see stateWithList): listing 10,000 devices took
// seconds that way.
type computedAttribute[T any] struct {
	name   string
	schema schema.Attribute
	value  func(*T) tftypes.Value
}

type computedAttributes[T any] []computedAttribute[T]

func (as computedAttributes[T]) schemaAttributes() map[string]schema.Attribute {
	attrs := make(map[string]schema.Attribute, len(as))
	for _, a := range as {
		attrs[a.name] = a.schema
	}
	return attrs
}

// only is the table cut down to the named attributes.
func (as computedAttributes[T]) only(names ...string) computedAttributes[T] {
	return slices.DeleteFunc(slices.Clone(as), func(a computedAttribute[T]) bool { return !slices.Contains(names, a.name) })
}

// object is item as an object of typ, which the table's schema declares.
func (as computedAttributes[T]) object(typ tftypes.Object, item *T) tftypes.Value {
	values := make(map[string]tftypes.Value, len(as))
	for _, a := range as {
		values[a.name] = a.value(item)
	}
	return tftypes.NewValue(typ, values)
}

func computedString(description string) schema.StringAttribute {
	return schema.StringAttribute{MarkdownDescription: description, Computed: true}
}

func computedBool(description string) schema.BoolAttribute {
	return schema.BoolAttribute{MarkdownDescription: description, Computed: true}
}
