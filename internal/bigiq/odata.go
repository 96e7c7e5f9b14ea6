package bigiq

import (
	"net/url"
	"strconv"
	"strings"
)

// query is an OData query. BIG-IQ writes the option names with a literal
// "$" and values form-encoded, so the string is built by hand rather than
// with url.Values, which would escape the "$".
type query struct {
	filter string
	selec  []string
}

func (q query) encode(top, skip int) string {
	var parts []string
	if q.filter != "" {
		parts = append(parts, "$filter="+url.QueryEscape(q.filter))
	}
	if len(q.selec) > 0 {
		parts = append(parts, "$select="+url.QueryEscape(strings.Join(q.selec, ",")))
	}
	parts = append(parts, "$top="+strconv.Itoa(top), "$skip="+strconv.Itoa(skip))
	return strings.Join(parts, "&")
}

// ODataString quotes a value as an OData string literal. A quote inside the
// value is doubled, so no value can end the literal early and change the
// shape of the filter it is placed in.
func ODataString(v string) string {
	return "'" + strings.ReplaceAll(v, "'", "''") + "'"
}

// ODataEq builds the filter term 'field' eq 'value' in BIG-IQ's style.
func ODataEq(field, value string) string {
	return ODataString(field) + " eq " + ODataString(value)
}
