package provider

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// tftypesMsgPack is v as the framework encodes a state: the reference the
// fast path's msgpack must match byte for byte.
func tftypesMsgPack(t *testing.T, v tftypes.Value) []byte {
	t.Helper()
	dv, err := tfprotov6.NewDynamicValue(v.Type(), v)
	if err != nil {
		t.Fatal(err)
	}
	return dv.MsgPack
}

func TestMsgPackMatchesTFTypes(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 1))
	check := func(t *testing.T, what string, got []byte, want tftypes.Value) {
		t.Helper()
		if w := tftypesMsgPack(t, want); !bytes.Equal(got, w) {
			t.Fatalf("%s: got % x, tftypes writes % x", what, head(got), head(w))
		}
	}

	t.Run("integers", func(t *testing.T) {
		ints := []int64{0, 1, 127, 128, 255, 256, 65535, 65536, math.MaxUint32, math.MaxUint32 + 1, math.MaxInt64,
			-1, -32, -33, -128, -129, -32768, -32769, math.MinInt32, math.MinInt32 - 1, math.MinInt64}
		for range 2000 {
			// Every magnitude, not just small numbers.
			ints = append(ints, rng.Int64()>>rng.IntN(64), -(rng.Int64() >> rng.IntN(64)))
		}
		for _, n := range ints {
			check(t, "int", appendMsgPackInt(nil, n), tftypes.NewValue(tftypes.Number, n))
		}
	})
	t.Run("strings", func(t *testing.T) {
		lengths := []int{0, 1, 31, 32, 255, 256, 65535, 65536, 70000}
		for range 300 {
			lengths = append(lengths, rng.IntN(300))
		}
		alphabet := []rune("aZ09-_.:/ üß日本アプリ🙂\"\\\x00\n")
		for _, n := range lengths {
			var b strings.Builder
			for b.Len() < n {
				b.WriteRune(alphabet[rng.IntN(len(alphabet))])
			}
			check(t, "string", appendMsgPackString(nil, b.String()), tftypes.NewValue(tftypes.String, b.String()))
		}
	})
	t.Run("bool and null", func(t *testing.T) {
		check(t, "true", appendMsgPackBool(nil, true), tftypes.NewValue(tftypes.Bool, true))
		check(t, "false", appendMsgPackBool(nil, false), tftypes.NewValue(tftypes.Bool, false))
		check(t, "null", appendMsgPackNil(nil), tftypes.NewValue(tftypes.String, nil))
	})
	t.Run("list and object lengths", func(t *testing.T) {
		for _, n := range []int{0, 1, 15, 16, 65535, 65536} {
			elements := make([]tftypes.Value, n)
			attrTypes, attrs := map[string]tftypes.Type{}, map[string]tftypes.Value{}
			for i := range n {
				elements[i] = tftypes.NewValue(tftypes.Bool, true)
				if n <= 16 { // an object of 65,536 attributes is not worth the test's time
					name := string(rune('a' + i))
					attrTypes[name], attrs[name] = tftypes.Bool, elements[i]
				}
			}
			list := appendMsgPackArrayLen(nil, n)
			for range n {
				list = appendMsgPackBool(list, true)
			}
			check(t, "list", list, tftypes.NewValue(tftypes.List{ElementType: tftypes.Bool}, elements))
			if n <= 16 {
				object := appendMsgPackMapLen(nil, len(attrs))
				for i := range len(attrs) {
					object = appendMsgPackBool(appendMsgPackString(object, string(rune('a'+i))), true)
				}
				check(t, "object", object, tftypes.NewValue(tftypes.Object{AttributeTypes: attrTypes}, attrs))
			}
		}
	})
}

// A computed list of random items, written by appendMsgPack, is the list
// tftypes writes from the same table's terraform values: null for empty
// strings, attributes in name order whatever the table's order.
func TestComputedListMsgPackMatchesTFTypes(t *testing.T) {
	type item struct {
		s, u string
		n    int64
		b    bool
	}
	// Out of name order, with names that sort differently by length.
	attrs := computedAttributes[item]{
		computedString("zeta", "", func(i *item) string { return i.s }),
		computedInt64("a_n", "", func(i *item) int64 { return i.n }),
		computedBool("a", "", func(i *item) bool { return i.b }),
		computedString("ab", "", func(i *item) string { return i.u }),
	}
	typ := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"zeta": tftypes.String, "a_n": tftypes.Number, "a": tftypes.Bool, "ab": tftypes.String}}
	rng := rand.New(rand.NewPCG(14, 2))
	strs := []string{"", "x", "日本", strings.Repeat("long", 70)}
	for _, n := range []int{0, 1, 15, 16, 17, 300} {
		items := make([]item, n)
		for i := range items {
			items[i] = item{s: strs[rng.IntN(len(strs))], u: strs[rng.IntN(len(strs))], n: rng.Int64() >> rng.IntN(64), b: rng.IntN(2) == 0}
			if rng.IntN(2) == 0 {
				items[i].n = -items[i].n
			}
		}
		list := attrs.list(items)
		if !list.elementType.Equal(typ) {
			t.Fatalf("the table's type is %s, want %s", list.elementType, typ)
		}
		got := list.appendMsgPack(nil)
		if want := tftypesMsgPack(t, list.value()); !bytes.Equal(got, want) {
			t.Fatalf("%d items: got % x\ntftypes writes % x", n, head(got), head(want))
		}
	}
}

// A list whose table does not match the schema's type for it is refused,
// not written wrong: the element type comes from the table, so this is the
// check that the table and the data source's schema agree.
func TestStateMsgPackRefusesAListTheSchemaDoesNotDeclare(t *testing.T) {
	attrs := computedAttributes[string]{computedString("s", "", func(s *string) string { return *s })}
	for name, elementType := range map[string]tftypes.Type{
		"other kind":      tftypes.Object{AttributeTypes: map[string]tftypes.Type{"s": tftypes.Number}},
		"other name":      tftypes.Object{AttributeTypes: map[string]tftypes.Type{"t": tftypes.String}},
		"more attributes": tftypes.Object{AttributeTypes: map[string]tftypes.Type{"s": tftypes.String, "t": tftypes.String}},
		"not objects":     tftypes.String,
	} {
		stateType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"things": tftypes.List{ElementType: elementType}}}
		state := &listState{
			config: tftypes.NewValue(stateType, map[string]tftypes.Value{"things": tftypes.NewValue(stateType.AttributeTypes["things"], nil)}),
			name:   "things", list: attrs.list([]string{"x"}), set: true,
		}
		if b, err := stateMsgPack(stateType, state); err == nil {
			t.Errorf("%s: wrote % x", name, b)
		}
	}
}

func head(b []byte) []byte { return b[:min(len(b), 64)] }
