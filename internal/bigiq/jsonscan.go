package bigiq

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
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
//
// It reads the document from r as it arrives, through a window of a few
// tens of KB: a page of 500 BIG-IQ 7/8 devices is 12 MB, and holding it
// whole cost more CPU than scanning it (allocating, zeroing and faulting
// in the room, and the garbage collections it set off). The window holds
// b, of which i is the next byte; refilling it keeps the bytes from i on
// and drops those before, so the scanner never holds a position before i
// across a refill, and a slice of b it returns is good until the next.
type scanner struct {
	r     io.Reader
	err   error // a read error other than the document's end
	b     []byte
	i     int
	off   int    // the bytes dropped before b[0], for error positions
	mark  int    // a position before i that a refill keeps too (-1: none)
	stack []byte // the brackets open while skipping
}

// scanWindow is the window's first size; a value longer than it grows it.
const scanWindow = 64 << 10

func newScanner(r io.Reader) *scanner {
	return &scanner{r: r, b: make([]byte, 0, scanWindow), mark: -1}
}

// more reads more of the document into the window, keeping the bytes from
// i (or mark) on, moved to the front, and reports whether any arrived.
func (s *scanner) more() bool {
	if s.r == nil {
		return false
	}
	keep := s.i
	if s.mark >= 0 {
		keep = min(keep, s.mark)
	}
	if keep > 0 {
		n := copy(s.b[:cap(s.b)], s.b[keep:])
		s.off += keep
		s.b, s.i = s.b[:n], s.i-keep
		if s.mark >= 0 {
			s.mark -= keep
		}
	}
	if len(s.b) == cap(s.b) {
		s.b = slices.Grow(s.b, cap(s.b))
	}
	for {
		n, err := s.r.Read(s.b[len(s.b):cap(s.b)])
		s.b = s.b[:len(s.b)+n]
		if err != nil {
			if !errors.Is(err, io.EOF) {
				s.err = err
			}
			s.r = nil
		}
		if n > 0 || s.r == nil {
			return n > 0
		}
	}
}

// has reports whether the window holds at least n bytes from i on,
// reading more while it does not and the document goes on.
func (s *scanner) has(n int) bool {
	for len(s.b)-s.i < n {
		if !s.more() {
			return false
		}
	}
	return true
}

func (s *scanner) fail(what string) error {
	return fmt.Errorf("invalid JSON at byte %d: %s", s.off+s.i, what)
}

func (s *scanner) space() {
	for s.i < len(s.b) || s.more() {
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
	if !s.has(1) {
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
	if s.peek() != word[0] {
		return false
	}
	s.has(len(word) + 1) // the word and the byte after it, as far as the document goes
	if bytes.HasPrefix(s.b[s.i:], []byte(word)) && !isScalarByte(s.at(s.i+len(word))) {
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

// rawString consumes a string and returns it with its quotes, escapes
// undecoded, and whether it holds any.
func (s *scanner) rawString() (quoted []byte, escaped bool, err error) {
	if s.peek() != '"' {
		return nil, false, s.fail("expected a string")
	}
	n, err := s.stringEnd()
	if err != nil {
		return nil, false, err
	}
	quoted = s.b[s.i : s.i+n]
	s.i += n
	return quoted, bytes.IndexByte(quoted, '\\') >= 0, nil
}

// stringEnd returns the length of the string that starts at i, quotes
// included, reading on until it ends. Offsets are from i, which a refill
// moves along with the bytes.
func (s *scanner) stringEnd() (int, error) {
	for j := 1; ; {
		k := bytes.IndexByte(s.b[s.i+j:], '"')
		if k < 0 {
			j = len(s.b) - s.i
			if !s.more() {
				return 0, s.fail("unterminated string")
			}
			continue
		}
		end := j + k
		backslashes := 0
		for end-backslashes-1 >= 1 && s.b[s.i+end-backslashes-1] == '\\' {
			backslashes++
		}
		if backslashes%2 == 0 {
			return end + 1, nil
		}
		j = end + 1
	}
}

// key consumes an object key and its colon. The key is returned as it
// stands unless it holds an escape, which is decoded.
func (s *scanner) key() ([]byte, error) {
	quoted, escaped, err := s.rawString()
	if err != nil {
		return nil, err
	}
	if escaped {
		var k string
		if err := json.Unmarshal(quoted, &k); err != nil {
			return nil, s.fail(err.Error())
		}
		return []byte(k), s.expect(':')
	}
	// The colon may be past the window: keep the key in it while
	// looking, and slice it after.
	s.mark = s.i - len(quoted)
	err = s.expect(':')
	key := s.b[s.mark+1 : s.mark+len(quoted)-1]
	s.mark = -1
	return key, err
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
	quoted, escaped, err := s.rawString()
	if err != nil {
		return "", err
	}
	if raw := quoted[1 : len(quoted)-1]; !escaped && plain(raw) {
		return string(raw), nil
	}
	// encoding/json refuses control characters and replaces bytes that
	// are not UTF-8; so does this, by handing the string to it.
	var v string
	if err := json.Unmarshal(quoted, &v); err != nil {
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
	w := 0 // the number's width, from i
	for s.has(w+1) && isScalarByte(s.b[s.i+w]) {
		w++
	}
	digits := s.b[s.i : s.i+w]
	n, err := strconv.ParseInt(string(digits), 10, 64)
	if err != nil || digits[0] == '+' || (digits[0] == '0' && w > 1) || (digits[0] == '-' && w > 2 && digits[1] == '0') {
		return 0, s.fail("expected a whole number")
	}
	s.i += w
	return n, nil
}

// skip consumes one value of any kind.
func (s *scanner) skip() error {
	switch c := s.peek(); {
	case c == '"':
		n, err := s.stringEnd()
		s.i += n
		return err
	case c == '{' || c == '[':
	case isScalarByte(c):
		for (s.i < len(s.b) || s.more()) && isScalarByte(s.b[s.i]) {
			s.i++
		}
		return nil
	default:
		return s.fail("expected a value")
	}
	s.stack = s.stack[:0]
	for s.i < len(s.b) || s.more() {
		switch c := s.b[s.i]; c {
		case '"':
			n, err := s.stringEnd()
			if err != nil {
				return err
			}
			s.i += n
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
	if s.peek() != 0 || s.has(1) {
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
