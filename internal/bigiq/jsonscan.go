package bigiq

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// scanner reads the few fields the provider uses out of a JSON document and
// steps over the rest without building it. A BIG-IQ 7/8 lists each device
// at 20 to 30 KB, nearly all of it feature flags of services the provider
// never reads; encoding/json first checks every byte of a page and then
// walks every byte again to skip what the target type does not name, which
// made it most of a devices read (BenchmarkParseDevicePage).
//
// The values it reads are checked as encoding/json would check them. The
// values it skips are checked for balanced brackets, closed strings and
// bytes that may stand outside a string in JSON, not for the full grammar:
// enough that a truncated page, an HTML error page or a proxy's answer is
// an error, not a short list.
type scanner struct {
	b     []byte
	i     int
	stack []byte // the brackets open while skipping
}

func (s *scanner) fail(what string) error {
	return fmt.Errorf("invalid JSON at byte %d: %s", s.i, what)
}

func (s *scanner) space() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// peek returns the next byte after white space, or 0 at the end.
func (s *scanner) peek() byte {
	s.space()
	if s.i >= len(s.b) {
		return 0
	}
	return s.b[s.i]
}

func (s *scanner) expect(c byte) error {
	if s.peek() != c {
		return s.fail(fmt.Sprintf("expected %q", c))
	}
	s.i++
	return nil
}

// literal consumes word (true, false or null) if it comes next.
func (s *scanner) literal(word string) bool {
	if s.peek() == word[0] && bytes.HasPrefix(s.b[s.i:], []byte(word)) && !isScalarByte(s.at(s.i+len(word))) {
		s.i += len(word)
		return true
	}
	return false
}

func (s *scanner) at(i int) byte {
	if i < len(s.b) {
		return s.b[i]
	}
	return 0
}

// rawString consumes a string and returns what stands between its quotes,
// escapes undecoded, and whether there is any.
func (s *scanner) rawString() (raw []byte, escaped bool, err error) {
	if s.peek() != '"' {
		return nil, false, s.fail("expected a string")
	}
	start := s.i + 1
	for j := start; ; {
		k := bytes.IndexByte(s.b[j:], '"')
		if k < 0 {
			return nil, false, s.fail("unterminated string")
		}
		end := j + k
		backslashes := 0
		for end-backslashes-1 >= start && s.b[end-backslashes-1] == '\\' {
			backslashes++
		}
		if backslashes%2 == 0 {
			s.i = end + 1
			return s.b[start:end], escaped || bytes.IndexByte(s.b[start:end], '\\') >= 0, nil
		}
		escaped = true
		j = end + 1
	}
}

// key consumes an object key and its colon. The key is returned as it
// stands unless it holds an escape, which is decoded.
func (s *scanner) key() ([]byte, error) {
	start := s.i
	raw, escaped, err := s.rawString()
	if err != nil {
		return nil, err
	}
	if escaped {
		var k string
		if err := json.Unmarshal(s.b[start:s.i], &k); err != nil {
			return nil, s.fail(err.Error())
		}
		raw = []byte(k)
	}
	return raw, s.expect(':')
}

// object consumes an object, calling field with each key; field consumes
// the value. null is an object without fields, as encoding/json reads it.
func (s *scanner) object(field func(key []byte) error) error {
	if s.literal("null") {
		return nil
	}
	if err := s.expect('{'); err != nil {
		return err
	}
	if s.peek() == '}' {
		s.i++
		return nil
	}
	for {
		k, err := s.key()
		if err != nil {
			return err
		}
		if err := field(k); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.i++
		case '}':
			s.i++
			return nil
		default:
			return s.fail("expected ',' or '}' in an object")
		}
	}
}

// array consumes an array, calling elem for each element; elem consumes it.
// null is an empty array.
func (s *scanner) array(elem func() error) error {
	if s.literal("null") {
		return nil
	}
	if err := s.expect('['); err != nil {
		return err
	}
	if s.peek() == ']' {
		s.i++
		return nil
	}
	for {
		if err := elem(); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.i++
		case ']':
			s.i++
			return nil
		default:
			return s.fail("expected ',' or ']' in an array")
		}
	}
}

// str consumes a string (null is "").
func (s *scanner) str() (string, error) {
	if s.literal("null") {
		return "", nil
	}
	start := s.i
	raw, escaped, err := s.rawString()
	if err != nil {
		return "", err
	}
	if !escaped && plain(raw) {
		return string(raw), nil
	}
	// encoding/json refuses control characters and replaces bytes that
	// are not UTF-8; so does this, by handing the string to it.
	var v string
	if err := json.Unmarshal(s.b[start:s.i], &v); err != nil {
		return "", s.fail(err.Error())
	}
	return v, nil
}

// strings consumes an array of strings.
func (s *scanner) strings() ([]string, error) {
	var out []string
	err := s.array(func() error {
		v, err := s.str()
		out = append(out, v)
		return err
	})
	return out, err
}

// boolean consumes true or false (null is false).
func (s *scanner) boolean() (bool, error) {
	switch {
	case s.literal("true"):
		return true, nil
	case s.literal("false"), s.literal("null"):
		return false, nil
	}
	return false, s.fail("expected a boolean")
}

// integer consumes a whole number (null is 0).
func (s *scanner) integer() (int64, error) {
	if s.literal("null") {
		return 0, nil
	}
	s.space()
	start := s.i
	for s.i < len(s.b) && isScalarByte(s.b[s.i]) {
		s.i++
	}
	n, err := strconv.ParseInt(string(s.b[start:s.i]), 10, 64)
	if err != nil || s.b[start] == '+' || (s.b[start] == '0' && s.i-start > 1) || (s.b[start] == '-' && s.i-start > 2 && s.b[start+1] == '0') {
		s.i = start
		return 0, s.fail("expected a whole number")
	}
	return n, nil
}

// skip consumes one value of any kind.
func (s *scanner) skip() error {
	switch c := s.peek(); {
	case c == '"':
		_, _, err := s.rawString()
		return err
	case c == '{' || c == '[':
	case isScalarByte(c):
		for s.i < len(s.b) && isScalarByte(s.b[s.i]) {
			s.i++
		}
		return nil
	default:
		return s.fail("expected a value")
	}
	s.stack = s.stack[:0]
	for s.i < len(s.b) {
		switch c := s.b[s.i]; c {
		case '"':
			if _, _, err := s.rawString(); err != nil {
				return err
			}
			continue
		case '{', '[':
			s.stack = append(s.stack, c+2) // the closing bracket: '}' is '{'+2, ']' is '['+2
		case '}', ']':
			if len(s.stack) == 0 || s.stack[len(s.stack)-1] != c {
				return s.fail("mismatched bracket")
			}
			s.stack = s.stack[:len(s.stack)-1]
			if len(s.stack) == 0 {
				s.i++
				return nil
			}
		case ' ', '\t', '\n', '\r', ',', ':':
		default:
			if !isScalarByte(c) {
				return s.fail("unexpected byte")
			}
		}
		s.i++
	}
	return s.fail("unterminated value")
}

// end checks that nothing but white space follows the document.
func (s *scanner) end() error {
	if s.peek() != 0 || s.i < len(s.b) {
		return s.fail("data after the document")
	}
	return nil
}

// isScalarByte reports whether c can be part of a number, true, false or null.
func isScalarByte(c byte) bool {
	return ('0' <= c && c <= '9') || ('a' <= c && c <= 'z') || c == '-' || c == '+' || c == '.' || c == 'E'
}

// plain reports whether raw holds no control character and is UTF-8.
func plain(raw []byte) bool {
	for _, c := range raw {
		if c < 0x20 {
			return false
		}
		if c >= utf8.RuneSelf {
			return utf8.Valid(raw) && bytes.IndexFunc(raw, func(r rune) bool { return r < 0x20 }) < 0
		}
	}
	return true
}
