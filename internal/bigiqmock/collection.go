package bigiqmock

import (
	"bytes"
	"net/url"
	"runtime"
	"sync"
)

// collection serves one BIG-IQ collection with OData filtering, selection
// and paging. Items are kept as encoded JSON, so a page of a large fixture
// is served by copying bytes; field values a filter needs are extracted
// once per field and indexed, so repeated lookups (one per device, say)
// stay fast on 10,000 devices and 50,000 apps.
type collection struct {
	path             string
	kind             string
	generation       int64
	lastUpdateMicros int64

	// Items are encoded on first use, so building a mock of a large
	// estate is instant and only the collections a test reads cost time.
	render    func(i int) []byte
	size      int
	itemsOnce sync.Once
	encoded   [][]byte

	mu      sync.Mutex
	columns map[string][][]string       // field → values per item
	indexes map[string]map[string][]int // field → value → item positions, ascending
}

func newCollection(path, kind string, generation, lastUpdateMicros int64, size int, render func(i int) []byte) *collection {
	return &collection{
		path: path, kind: kind, generation: generation, lastUpdateMicros: lastUpdateMicros,
		size: size, render: render,
		columns: map[string][][]string{}, indexes: map[string]map[string][]int{},
	}
}

func (c *collection) items() [][]byte {
	c.itemsOnce.Do(func() { c.encoded = renderAll(c.size, c.render) })
	return c.encoded
}

// renderAll encodes n items on all CPUs.
func renderAll(n int, render func(i int) []byte) [][]byte {
	out := make([][]byte, n)
	workers := min(runtime.GOMAXPROCS(0), max(1, n/256))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				out[i] = render(i)
			}
		}()
	}
	wg.Wait()
	return out
}

func (c *collection) column(field string) [][]string {
	col, ok := c.columns[field]
	if !ok {
		col = make([][]string, c.size)
		for i, item := range c.items() {
			col[i] = fieldValues(item, field)
		}
		c.columns[field] = col
	}
	return col
}

func (c *collection) index(field string) map[string][]int {
	idx, ok := c.indexes[field]
	if !ok {
		idx = map[string][]int{}
		for i, values := range c.column(field) {
			for _, v := range values {
				if positions := idx[v]; len(positions) == 0 || positions[len(positions)-1] != i {
					idx[v] = append(positions, i)
				}
			}
		}
		c.indexes[field] = idx
	}
	return idx
}

// candidates narrows a filter to the items an index says can match;
// all reports that it cannot narrow.
func (c *collection) candidates(n filterNode) (positions []int, all bool) {
	switch n := n.(type) {
	case compareNode:
		if !n.negate {
			return c.index(n.field)[n.value], false
		}
	case logicNode:
		left, leftAll := c.candidates(n.left)
		if !n.or {
			if !leftAll {
				return left, false
			}
			return c.candidates(n.right)
		}
		right, rightAll := c.candidates(n.right)
		if !leftAll && !rightAll {
			return mergeSorted(left, right), false
		}
	}
	return nil, true
}

func mergeSorted(a, b []int) []int {
	out := make([]int, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		switch {
		case a[0] < b[0]:
			out, a = append(out, a[0]), a[1:]
		case b[0] < a[0]:
			out, b = append(out, b[0]), b[1:]
		default:
			out, a, b = append(out, a[0]), a[1:], b[1:]
		}
	}
	return append(append(out, a...), b...)
}

// matching returns the positions of the items the filter accepts, in
// collection order.
func (c *collection) matching(f filterNode) []int {
	c.mu.Lock()
	defer c.mu.Unlock()
	positions, all := c.candidates(f)
	if all {
		positions = make([]int, c.size)
		for i := range positions {
			positions[i] = i
		}
	}
	if f == nil {
		return positions
	}
	var out []int
	for _, i := range positions {
		if evalFilter(f, func(field string) []string { return c.column(field)[i] }) {
			out = append(out, i)
		}
	}
	return out
}

// pagingFields are present when a response is a page of the collection.
type pagingFields struct {
	TotalItems       int    `json:"totalItems"`
	CurrentItemCount *int   `json:"currentItemCount,omitempty"`
	ItemsPerPage     *int   `json:"itemsPerPage,omitempty"`
	PageIndex        *int   `json:"pageIndex,omitempty"`
	TotalPages       *int   `json:"totalPages,omitempty"`
	NextLink         string `json:"nextLink,omitempty"`
	Generation       int64  `json:"generation"`
	Kind             string `json:"kind"`
	LastUpdateMicros int64  `json:"lastUpdateMicros"`
	SelfLink         string `json:"selfLink"`
}

// list answers a GET of the collection. maxPage > 0 caps every page, as a
// BIG-IQ under load may, so clients must follow nextLink even without $top.
// Without nextLink (Quirks.NoNextLink) a page that is not the last says so
// only by totalItems, and a client must page on with $skip.
func (c *collection) list(rawQuery string, q url.Values, maxPage int, nextLink bool) ([]byte, error) {
	opts, err := parseQueryOptions(q)
	if err != nil {
		return nil, err
	}
	matched := c.matching(opts.filter)
	pageSize := opts.top
	if maxPage > 0 && (pageSize < 0 || pageSize > maxPage) {
		pageSize = maxPage
	}
	start := min(opts.skip, len(matched))
	end := len(matched)
	if pageSize >= 0 {
		end = min(start+pageSize, len(matched))
	}

	items := c.items()
	var b bytes.Buffer
	b.WriteString(`{"items":[`)
	for n, i := range matched[start:end] {
		if n > 0 {
			b.WriteByte(',')
		}
		b.Write(selectFields(items[i], opts.selects))
	}
	b.WriteString("],")

	tail := pagingFields{
		TotalItems: len(matched), Generation: c.generation, Kind: c.kind,
		LastUpdateMicros: c.lastUpdateMicros, SelfLink: selfHost + c.path,
	}
	if pageSize >= 0 {
		count, perPage := end-start, pageSize
		pageIndex, totalPages := 1, 1
		if pageSize > 0 {
			pageIndex = start/pageSize + 1
			totalPages = max(1, (len(matched)+pageSize-1)/pageSize)
		}
		tail.CurrentItemCount, tail.ItemsPerPage, tail.PageIndex, tail.TotalPages = &count, &perPage, &pageIndex, &totalPages
		if nextLink && end < len(matched) && end > start {
			tail.NextLink = selfHost + c.path + "?" + withSkip(rawQuery, end)
		}
	}
	b.Write(mustJSON(tail)[1:])
	return b.Bytes(), nil
}

// item returns one item by position with $select applied.
func (c *collection) item(i int, q url.Values) []byte {
	return selectFields(c.items()[i], parseSelect(q))
}
