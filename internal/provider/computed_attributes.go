package provider

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// computedAttribute is one attribute of the objects a computed list holds
// (a device of bigiq_devices, a client app of bigiq_oauth_client_apps),
// with where its value comes from. A table of them is the one place such
// an attribute is declared: the schema and the values are both built from
// it, by computedString, computedBool and computedInt64, so that the two
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

// list is items as the elements of a computed list of objects of typ.
func (as computedAttributes[T]) list(typ tftypes.Object, items []T) computedList[T] {
	return computedList[T]{attributes: as, elementType: typ, items: items}
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
// as its kind's constructor writes it. It fails, writing nothing, when the
// table does not match the element type attribute for attribute, the one
// way the two could come apart.
func (l computedList[T]) appendMsgPack(b []byte) ([]byte, error) {
	if err := l.attributes.matches(l.elementType); err != nil {
		return b, err
	}
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
	return b, nil
}

// matches reports how the table differs from typ, if it does.
func (as computedAttributes[T]) matches(typ tftypes.Object) error {
	if len(as) != len(typ.AttributeTypes) {
		return fmt.Errorf("%d attributes in the table, %d in the type %s", len(as), len(typ.AttributeTypes), typ)
	}
	for _, a := range as {
		if t, ok := typ.AttributeTypes[a.name]; !ok || !t.Equal(a.tfType) {
			return fmt.Errorf("attribute %q is %s in the table, %v in the type", a.name, a.tfType, t)
		}
	}
	return nil
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

// computedStringSchema is a computed string attribute's schema, for the
// data sources that build their few values without a table.
func computedStringSchema(description string) schema.StringAttribute {
	return schema.StringAttribute{MarkdownDescription: description, Computed: true}
}
