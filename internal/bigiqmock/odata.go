package bigiqmock

import (
	"bytes"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// The subset of OData that BIG-IQ clients use:
//
//	filter     = or
//	or         = and { "or" and }
//	and        = primary { "and" primary }
//	primary    = "(" filter ")" | field ("eq" | "ne") literal
//	field      = 'quoted/path' | bare/path
//	literal    = 'quoted string' | number | true | false | null
//
// Quotes inside a quoted string are doubled. Values compare as strings, so
// the boolean true matches 'true'; a field holding an array matches if any
// element does.

type filterNode interface{ isFilter() }

type compareNode struct {
	field  string // slash-separated path, e.g. lsoDeviceReference/machineId
	negate bool   // ne instead of eq
	value  string
}

type logicNode struct {
	or          bool
	left, right filterNode
}

func (compareNode) isFilter() {}
func (logicNode) isFilter()   {}

type tokenKind int

const (
	tokWord tokenKind = iota
	tokString
	tokOpen
	tokClose
)

type filterToken struct {
	kind tokenKind
	text string
}

func tokenizeFilter(s string) ([]filterToken, error) {
	var toks []filterToken
	for i := 0; i < len(s); {
		switch s[i] {
		case ' ', '\t', '\n', '\r':
			i++
		case '(':
			toks = append(toks, filterToken{tokOpen, "("})
			i++
		case ')':
			toks = append(toks, filterToken{tokClose, ")"})
			i++
		case '\'':
			var b strings.Builder
			i++
			for {
				if i >= len(s) {
					return nil, fmt.Errorf("unterminated string literal")
				}
				if s[i] == '\'' {
					if i+1 < len(s) && s[i+1] == '\'' {
						b.WriteByte('\'')
						i += 2
						continue
					}
					i++
					break
				}
				b.WriteByte(s[i])
				i++
			}
			toks = append(toks, filterToken{tokString, b.String()})
		default:
			start := i
			for i < len(s) && !strings.ContainsRune(" \t\r\n()'", rune(s[i])) {
				i++
			}
			toks = append(toks, filterToken{tokWord, s[start:i]})
		}
	}
	return toks, nil
}

type filterParser struct {
	toks []filterToken
	pos  int
}

func parseFilter(s string) (filterNode, error) {
	toks, err := tokenizeFilter(s)
	if err != nil {
		return nil, err
	}
	if len(toks) == 0 {
		return nil, fmt.Errorf("empty filter")
	}
	p := &filterParser{toks: toks}
	n, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if p.pos != len(p.toks) {
		return nil, fmt.Errorf("unexpected %q", p.toks[p.pos].text)
	}
	return n, nil
}

func (p *filterParser) next() (filterToken, bool) {
	if p.pos >= len(p.toks) {
		return filterToken{}, false
	}
	t := p.toks[p.pos]
	p.pos++
	return t, true
}

// keyword consumes the next token if it is the given operator word.
func (p *filterParser) keyword(word string) bool {
	if p.pos < len(p.toks) && p.toks[p.pos].kind == tokWord && strings.EqualFold(p.toks[p.pos].text, word) {
		p.pos++
		return true
	}
	return false
}

func (p *filterParser) parseOr() (filterNode, error) {
	left, err := p.parseAnd()
	for err == nil && p.keyword("or") {
		var right filterNode
		right, err = p.parseAnd()
		left = logicNode{or: true, left: left, right: right}
	}
	return left, err
}

func (p *filterParser) parseAnd() (filterNode, error) {
	left, err := p.parsePrimary()
	for err == nil && p.keyword("and") {
		var right filterNode
		right, err = p.parsePrimary()
		left = logicNode{left: left, right: right}
	}
	return left, err
}

func (p *filterParser) parsePrimary() (filterNode, error) {
	t, ok := p.next()
	if !ok {
		return nil, fmt.Errorf("unexpected end of filter")
	}
	switch t.kind {
	case tokOpen:
		n, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		if c, ok := p.next(); !ok || c.kind != tokClose {
			return nil, fmt.Errorf("missing )")
		}
		return n, nil
	case tokClose:
		return nil, fmt.Errorf("unexpected )")
	}
	field := t.text
	if field == "" || (t.kind == tokWord && isFilterKeyword(field)) {
		return nil, fmt.Errorf("expected a field name, got %q", field)
	}
	var negate bool
	switch {
	case p.keyword("eq"):
	case p.keyword("ne"):
		negate = true
	default:
		return nil, fmt.Errorf("expected eq or ne after %q", field)
	}
	v, ok := p.next()
	if !ok || (v.kind != tokString && !isBareLiteral(v.text)) {
		return nil, fmt.Errorf("expected a quoted value after %q", field)
	}
	if v.kind == tokWord && v.text == "null" {
		v.text = ""
	}
	return compareNode{field: field, negate: negate, value: v.text}, nil
}

func isFilterKeyword(w string) bool {
	switch strings.ToLower(w) {
	case "and", "or", "eq", "ne":
		return true
	}
	return false
}

func isBareLiteral(w string) bool {
	if w == "true" || w == "false" || w == "null" {
		return true
	}
	_, err := strconv.ParseFloat(w, 64)
	return err == nil
}

// evalFilter reports whether an item matches; values returns the string
// forms of a field of the item (none if it is absent).
func evalFilter(n filterNode, values func(field string) []string) bool {
	switch n := n.(type) {
	case logicNode:
		if n.or {
			return evalFilter(n.left, values) || evalFilter(n.right, values)
		}
		return evalFilter(n.left, values) && evalFilter(n.right, values)
	case compareNode:
		found := false
		for _, v := range values(n.field) {
			if v == n.value {
				found = true
				break
			}
		}
		return found != n.negate
	}
	return false
}

// fieldValues extracts a slash-separated path from an item's JSON as the
// strings a filter compares against.
func fieldValues(item []byte, path string) []string {
	raw := item
	for _, key := range strings.Split(path, "/") {
		var ok bool
		if raw, ok = member(raw, key); !ok {
			return nil
		}
	}
	if len(raw) > 0 && raw[0] == '[' {
		var out []string
		arrayElements(raw, func(e []byte) {
			if s, ok := scalarString(e); ok {
				out = append(out, s)
			}
		})
		return out
	}
	if s, ok := scalarString(raw); ok {
		return []string{s}
	}
	return nil
}

func scalarString(raw []byte) (string, bool) {
	switch {
	case len(raw) == 0 || raw[0] == '{' || raw[0] == '[':
		return "", false
	case raw[0] == '"':
		return unquote(raw), true
	case string(raw) == "null":
		return "", true
	}
	return string(raw), true
}

// queryOptions are the OData options of one collection request.
type queryOptions struct {
	filter  filterNode // nil: everything
	selects []string   // nil: all fields
	top     int        // -1: not given
	skip    int
}

func parseQueryOptions(q url.Values) (queryOptions, error) {
	opts := queryOptions{top: -1}
	if f := q.Get("$filter"); f != "" {
		n, err := parseFilter(f)
		if err != nil {
			return opts, fmt.Errorf("$filter %q: %w", f, err)
		}
		opts.filter = n
	}
	opts.selects = parseSelect(q)
	for _, o := range []struct {
		name string
		dst  *int
	}{{"$top", &opts.top}, {"$skip", &opts.skip}} {
		if v := q.Get(o.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return opts, fmt.Errorf("%s %q: expected a non-negative integer", o.name, v)
			}
			*o.dst = n
		}
	}
	return opts, nil
}

func parseSelect(q url.Values) []string {
	s := q.Get("$select")
	if s == "" {
		return nil
	}
	var fields []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			fields = append(fields, f)
		}
	}
	return fields
}

// selectFields keeps only the named top-level fields of an item, in the
// order they were asked for.
func selectFields(item []byte, fields []string) []byte {
	if fields == nil {
		return item
	}
	values := make([][]byte, len(fields))
	objectMembers(item, func(key string, value []byte) bool {
		for i, f := range fields {
			if f == key {
				values[i] = value
			}
		}
		return true
	})
	var b bytes.Buffer
	b.WriteByte('{')
	for i, v := range values {
		if v == nil {
			continue
		}
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		b.Write(mustJSON(fields[i]))
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes()
}

// withSkip returns rawQuery with $skip set to skip, leaving every other
// parameter as the client wrote it, for nextLink.
func withSkip(rawQuery string, skip int) string {
	var parts []string
	for _, p := range strings.Split(rawQuery, "&") {
		name, _, _ := strings.Cut(p, "=")
		if n, err := url.QueryUnescape(name); p == "" || (err == nil && n == "$skip") {
			continue
		}
		parts = append(parts, p)
	}
	return strings.Join(append(parts, "$skip="+strconv.Itoa(skip)), "&")
}
