package provider

import (
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// computedAttribute is one attribute of the objects a computed list holds
// (a device of bigiq_devices, a client app of bigiq_oauth_client_apps),
// with where its value comes from. A table of them is the one place such
// an attribute is declared: the schema (listAttribute), the type and the
// values are all built from it, by computedString, computedBool and
// computedInt64, so that the two
// forms of a value (a terraform value, and its msgpack for the fast path,
// see fast_read.go) are written once per kind. The values are built as
// terraform values directly, not from a struct (the framework's reflection
// costs about a millisecond per struct) nor as framework values (see
// stateWithList): listing 10,000 devices took seconds that way.
type computedAttribute[T any] struct {
	name   string
	schema schema.Attribute
	// tfType is the attribute's terraform type, which value and
	// appendMsgPack write.
	tfType        tftypes.Type
	value         func(*T) tftypes.Value
	appendMsgPack func([]byte, *T) []byte
}

// computedAttributes is such a table. A list data source declares one and
// needs nothing else of the fast path: its schema's list attribute is
// listAttribute, and its Read hands list(items) to setListState.
type computedAttributes[T any] []computedAttribute[T]

// listAttribute is the schema of a computed list of the table's objects.
func (as computedAttributes[T]) listAttribute(description string) schema.ListNestedAttribute {
	return schema.ListNestedAttribute{
		MarkdownDescription: description,
		Computed:            true,
		NestedObject:        schema.NestedAttributeObject{Attributes: as.schemaAttributes()},
	}
}

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

// terraformType is the terraform type of one of the table's objects.
func (as computedAttributes[T]) terraformType() tftypes.Object {
	attrs := make(map[string]tftypes.Type, len(as))
	for _, a := range as {
		attrs[a.name] = a.tfType
	}
	return tftypes.Object{AttributeTypes: attrs}
}

// frameworkType is the framework's type of one of the table's objects.
func (as computedAttributes[T]) frameworkType() types.ObjectType {
	attrs := make(map[string]attr.Type, len(as))
	for _, a := range as {
		attrs[a.name] = a.schema.GetType()
	}
	return types.ObjectType{AttrTypes: attrs}
}

// object is item as an object of typ, the table's terraformType.
func (as computedAttributes[T]) object(typ tftypes.Object, item *T) tftypes.Value {
	values := make(map[string]tftypes.Value, len(as))
	for _, a := range as {
		values[a.name] = a.value(item)
	}
	return tftypes.NewValue(typ, values)
}

// list is items as the elements of a computed list of the table's objects.
func (as computedAttributes[T]) list(items []T) computedList[T] {
	return computedList[T]{attributes: as, elementType: as.terraformType(), items: items}
}

// computedList is a computed list attribute's value, kept as the client's
// items until it is written: as a terraform value (value) for the
// framework, or as msgpack (appendMsgPack) for the fast path.
type computedList[T any] struct {
	attributes  computedAttributes[T]
	elementType tftypes.Object
	items       []T
}

func (l computedList[T]) listType() tftypes.List { return tftypes.List{ElementType: l.elementType} }

func (l computedList[T]) value() tftypes.Value {
	elements := make([]tftypes.Value, len(l.items))
	for i := range l.items {
		elements[i] = l.attributes.object(l.elementType, &l.items[i])
	}
	return tftypes.NewValue(l.listType(), elements)
}

// appendMsgPack appends the list as tfprotov6.NewDynamicValue encodes it:
// each object's attributes in the byte order of their names, each value
// as its kind's constructor writes it. The element type is the table's
// own, so the two cannot come apart; stateMsgPack checks the list's type
// against the schema's.
func (l computedList[T]) appendMsgPack(b []byte) []byte {
	sorted := slices.SortedFunc(slices.Values(l.attributes), func(x, y computedAttribute[T]) int { return strings.Compare(x.name, y.name) })
	var header []byte
	header = appendMsgPackMapLen(header, len(sorted))
	names := make([][]byte, len(sorted))
	for i, a := range sorted {
		names[i] = appendMsgPackString(nil, a.name)
	}
	b = appendMsgPackArrayLen(b, len(l.items))
	for i := range l.items {
		b = append(b, header...)
		for j, a := range sorted {
			b = append(b, names[j]...)
			b = a.appendMsgPack(b, &l.items[i])
		}
	}
	return b
}

// computedString is a string attribute, null when get returns "" (BIG-IQ
// leaves out or empties what does not apply).
func computedString[T any](name, description string, get func(*T) string) computedAttribute[T] {
	return computedAttribute[T]{
		name:   name,
		schema: schema.StringAttribute{MarkdownDescription: description, Computed: true},
		tfType: tftypes.String,
		value:  func(item *T) tftypes.Value { return tfString(get(item)) },
		appendMsgPack: func(b []byte, item *T) []byte {
			if s := get(item); s != "" {
				return appendMsgPackString(b, s)
			}
			return appendMsgPackNil(b)
		},
	}
}

func computedBool[T any](name, description string, get func(*T) bool) computedAttribute[T] {
	return computedAttribute[T]{
		name:          name,
		schema:        schema.BoolAttribute{MarkdownDescription: description, Computed: true},
		tfType:        tftypes.Bool,
		value:         func(item *T) tftypes.Value { return tftypes.NewValue(tftypes.Bool, get(item)) },
		appendMsgPack: func(b []byte, item *T) []byte { return appendMsgPackBool(b, get(item)) },
	}
}

func computedInt64[T any](name, description string, get func(*T) int64) computedAttribute[T] {
	return computedAttribute[T]{
		name:          name,
		schema:        schema.Int64Attribute{MarkdownDescription: description, Computed: true},
		tfType:        tftypes.Number,
		value:         func(item *T) tftypes.Value { return tftypes.NewValue(tftypes.Number, get(item)) },
		appendMsgPack: func(b []byte, item *T) []byte { return appendMsgPackInt(b, get(item)) },
	}
}
