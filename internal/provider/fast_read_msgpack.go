package provider

import "math"

// The fast path writes the list data sources' state as msgpack itself,
// straight from the client's items, instead of building a tftypes value of
// every attribute of every element and encoding that (which was about a
// third of the provider's CPU for 10,000 devices, and most of its memory
// for 50,000 client apps). The bytes must be the ones
// tfprotov6.NewDynamicValue writes for the same value: terraform-plugin-go
// (tftypes/value_msgpack.go) encodes with vmihailenco/msgpack's default
// encoder, which writes each length and integer in its shortest form; the
// functions below are those forms. Only the kinds the computed attribute
// tables use are here (null, bool, int64 numbers, strings, arrays for
// lists, maps for objects); TestMsgPackMatchesTFTypes compares them with
// tftypes on random values and on every length boundary.

const (
	msgpackNil   = 0xc0
	msgpackFalse = 0xc2
	msgpackTrue  = 0xc3
)

func appendMsgPackNil(b []byte) []byte { return append(b, msgpackNil) }

func appendMsgPackBool(b []byte, v bool) []byte {
	if v {
		return append(b, msgpackTrue)
	}
	return append(b, msgpackFalse)
}

// appendMsgPackInt is a whole number as tftypes writes a Number whose
// value is an exact int64 (EncodeInt).
func appendMsgPackInt(b []byte, n int64) []byte {
	switch {
	case n >= 0:
		return appendMsgPackUint(b, uint64(n))
	case n >= -32: // negative fixint
		return append(b, byte(n))
	case n >= math.MinInt8:
		return append(b, 0xd0, byte(n))
	case n >= math.MinInt16:
		return appendBigEndian(append(b, 0xd1), uint64(n), 2)
	case n >= math.MinInt32:
		return appendBigEndian(append(b, 0xd2), uint64(n), 4)
	default:
		return appendBigEndian(append(b, 0xd3), uint64(n), 8)
	}
}

func appendMsgPackUint(b []byte, n uint64) []byte {
	switch {
	case n <= math.MaxInt8: // positive fixint
		return append(b, byte(n))
	case n <= math.MaxUint8:
		return append(b, 0xcc, byte(n))
	case n <= math.MaxUint16:
		return appendBigEndian(append(b, 0xcd), n, 2)
	case n <= math.MaxUint32:
		return appendBigEndian(append(b, 0xce), n, 4)
	default:
		return appendBigEndian(append(b, 0xcf), n, 8)
	}
}

func appendMsgPackString(b []byte, s string) []byte {
	n := len(s)
	switch {
	case n < 32:
		b = append(b, 0xa0|byte(n))
	case n <= math.MaxUint8:
		b = append(b, 0xd9, byte(n))
	case n <= math.MaxUint16:
		b = appendBigEndian(append(b, 0xda), uint64(n), 2)
	default:
		b = appendBigEndian(append(b, 0xdb), uint64(n), 4)
	}
	return append(b, s...)
}

// appendMsgPackArrayLen starts a list of n elements.
func appendMsgPackArrayLen(b []byte, n int) []byte {
	return appendMsgPackLen(b, n, 0x90, 0xdc, 0xdd)
}

// appendMsgPackMapLen starts an object of n attributes.
func appendMsgPackMapLen(b []byte, n int) []byte {
	return appendMsgPackLen(b, n, 0x80, 0xde, 0xdf)
}

func appendMsgPackLen(b []byte, n int, fix, len16, len32 byte) []byte {
	switch {
	case n < 16:
		return append(b, fix|byte(n))
	case n <= math.MaxUint16:
		return appendBigEndian(append(b, len16), uint64(n), 2)
	default:
		return appendBigEndian(append(b, len32), uint64(n), 4)
	}
}

func appendBigEndian(b []byte, v uint64, size int) []byte {
	for shift := 8 * (size - 1); shift >= 0; shift -= 8 {
		b = append(b, byte(v>>shift))
	}
	return b
}
