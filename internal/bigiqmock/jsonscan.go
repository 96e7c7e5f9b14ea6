package bigiqmock

import (
	"bytes"
	"encoding/json"
)

// A minimal scanner over JSON the mock encoded itself, so filters and
// $select on 50,000 items do not decode every item into maps. It assumes
// valid JSON: every item comes from encoding/json.

// objectMembers calls fn with each top-level key and raw value of a JSON
// object until fn returns false.
func objectMembers(obj []byte, fn func(key string, value []byte) bool) {
	i := skipSpace(obj, 0)
	if i >= len(obj) || obj[i] != '{' {
		return
	}
	i++
	for {
		i = skipSpace(obj, i)
		if i >= len(obj) || obj[i] != '"' {
			return
		}
		keyEnd := skipValue(obj, i)
		key := unquote(obj[i:keyEnd])
		i = skipSpace(obj, keyEnd)
		if i >= len(obj) || obj[i] != ':' {
			return
		}
		valueStart := skipSpace(obj, i+1)
		valueEnd := skipValue(obj, valueStart)
		if !fn(key, obj[valueStart:valueEnd]) {
			return
		}
		i = skipSpace(obj, valueEnd)
		if i >= len(obj) || obj[i] != ',' {
			return
		}
		i++
	}
}

// arrayElements calls fn with each raw element of a JSON array.
func arrayElements(arr []byte, fn func(value []byte)) {
	i := skipSpace(arr, 0)
	if i >= len(arr) || arr[i] != '[' {
		return
	}
	i = skipSpace(arr, i+1)
	if i < len(arr) && arr[i] == ']' {
		return
	}
	for i < len(arr) {
		start := skipSpace(arr, i)
		end := skipValue(arr, start)
		fn(arr[start:end])
		i = skipSpace(arr, end)
		if i >= len(arr) || arr[i] != ',' {
			return
		}
		i++
	}
}

// member returns the raw value of a top-level key.
func member(obj []byte, key string) ([]byte, bool) {
	var found []byte
	objectMembers(obj, func(k string, v []byte) bool {
		if k == key {
			found = v
			return false
		}
		return true
	})
	return found, found != nil
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipValue returns the index just past the value starting at i.
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return i
	}
	switch b[i] {
	case '"':
		for i++; i < len(b); i++ {
			switch b[i] {
			case '\\':
				i++
			case '"':
				return i + 1
			}
		}
		return i
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				i = skipValue(b, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return i
	default:
		for i < len(b) && !bytes.ContainsRune([]byte(",}] \t\r\n"), rune(b[i])) {
			i++
		}
		return i
	}
}

// unquote decodes a JSON string, taking the fast path when it has no escapes.
func unquote(raw []byte) string {
	if len(raw) >= 2 && bytes.IndexByte(raw, '\\') < 0 {
		return string(raw[1 : len(raw)-1])
	}
	var s string
	_ = json.Unmarshal(raw, &s)
	return s
}
