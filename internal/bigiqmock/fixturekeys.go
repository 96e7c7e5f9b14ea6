package bigiqmock

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
)

// Strict reading of a hand-written fixture. encoding/json matches keys
// case-insensitively and reports an unknown one without saying where, so
// checkKeys walks the text first, checks every key against the Go type's
// json tags exactly and remembers the line of every key path, which
// errors found later (a dangling reference, say) then cite.

// keyLines maps key paths (devices[2].accessGroupName) to their lines.
type keyLines map[string]int

// of returns the line of path, or of its nearest enclosing path.
func (l keyLines) of(path string) int {
	for path != "" {
		if line, ok := l[path]; ok {
			return line
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return 0
}

// blankComments blanks out lines that start with //, keeping every offset
// (and so every line number) as it was.
func blankComments(data []byte) []byte {
	out := bytes.Clone(data)
	for start := 0; start < len(out); {
		end := bytes.IndexByte(out[start:], '\n')
		if end < 0 {
			end = len(out)
		} else {
			end += start
		}
		if bytes.HasPrefix(bytes.TrimLeft(out[start:end], " \t"), []byte("//")) {
			for i := start; i < end; i++ {
				if out[i] != '\r' {
					out[i] = ' '
				}
			}
		}
		start = end + 1
	}
	return out
}

func checkKeys(data []byte, t reflect.Type) (keyLines, error) {
	w := &keyWalker{data: data, dec: json.NewDecoder(bytes.NewReader(data)), lines: keyLines{}}
	if err := w.value(t, ""); err != nil {
		return nil, err
	}
	if _, err := w.dec.Token(); err == nil {
		return nil, fmt.Errorf("line %d: unexpected data after the fixture", w.line())
	}
	return w.lines, nil
}

type keyWalker struct {
	data  []byte
	dec   *json.Decoder
	lines keyLines
}

func (w *keyWalker) line() int { return lineAt(w.data, w.dec.InputOffset()) }

func lineAt(data []byte, offset int64) int {
	return bytes.Count(data[:min(int(offset), len(data))], []byte("\n")) + 1
}

// value reads one JSON value that should decode into t.
func (w *keyWalker) value(t reflect.Type, path string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == reflect.TypeFor[json.RawMessage]() {
		var skip json.RawMessage
		return locate(w.data, w.dec.Decode(&skip))
	}
	tok, err := w.dec.Token()
	if err != nil {
		return locate(w.data, err)
	}
	if path != "" {
		w.lines[path] = w.line()
	}
	switch tok {
	case json.Delim('{'):
		return w.object(t, path)
	case json.Delim('['):
		if t.Kind() != reflect.Slice {
			return fmt.Errorf("line %d: %s: a list where %s belongs", w.line(), path, kindName(t))
		}
		for i := 0; w.dec.More(); i++ {
			if err := w.value(t.Elem(), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		_, err := w.dec.Token()
		return locate(w.data, err)
	}
	if !scalarFits(tok, t) {
		return fmt.Errorf("line %d: %s: %s where %s belongs", w.line(), path, jsonKind(tok), kindName(t))
	}
	return nil
}

func scalarFits(tok json.Token, t reflect.Type) bool {
	switch tok.(type) {
	case nil:
		return true
	case string:
		return t.Kind() == reflect.String
	case bool:
		return t.Kind() == reflect.Bool
	case float64:
		switch t.Kind() {
		case reflect.Int, reflect.Int64, reflect.Float64:
			return true
		}
	}
	return false
}

func jsonKind(tok json.Token) string {
	switch tok.(type) {
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case float64:
		return "a number"
	case json.Delim:
		return "an object"
	}
	return "a value"
}

func (w *keyWalker) object(t reflect.Type, path string) error {
	if t.Kind() != reflect.Struct {
		return fmt.Errorf("line %d: %s: an object where %s belongs", w.line(), path, kindName(t))
	}
	for w.dec.More() {
		tok, err := w.dec.Token()
		if err != nil {
			return locate(w.data, err)
		}
		key, _ := tok.(string)
		keyPath := key
		if path != "" {
			keyPath = path + "." + key
		}
		field, ok := fieldByJSONName(t, key)
		if !ok {
			return fmt.Errorf("line %d: %s: unknown key %q (known: %s)", w.line(), keyPath, key, strings.Join(jsonNames(t), ", "))
		}
		w.lines[keyPath] = w.line()
		if err := w.value(field.Type, keyPath); err != nil {
			return err
		}
	}
	_, err := w.dec.Token()
	return locate(w.data, err)
}

func kindName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Struct:
		return "an object"
	case reflect.Slice:
		return "a list"
	case reflect.Int, reflect.Int64, reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "a boolean"
	}
	return "a " + t.Kind().String()
}

// fieldByJSONName finds the field whose json tag is exactly name.
func fieldByJSONName(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		if tag, _, _ := strings.Cut(f.Tag.Get("json"), ","); tag == name && tag != "-" {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

func jsonNames(t reflect.Type) []string {
	var names []string
	for i := range t.NumField() {
		if tag, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ","); tag != "" && tag != "-" {
			names = append(names, tag)
		}
	}
	return names
}

// locate adds the line to a syntax or type error from encoding/json.
func locate(data []byte, err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &syntax):
		return fmt.Errorf("line %d: %w", lineAt(data, syntax.Offset), err)
	case errors.As(err, &typ):
		return fmt.Errorf("line %d: %s: %s where %s belongs", lineAt(data, typ.Offset), typ.Field, typ.Value, typ.Type)
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return fmt.Errorf("line %d: the fixture ends too early", lineAt(data, int64(len(data))))
	}
	return err
}
