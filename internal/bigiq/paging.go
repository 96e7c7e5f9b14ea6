package bigiq

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// collection is one page of a BIG-IQ collection. The items are decoded
// straight into their type: holding each as json.RawMessage first copied and
// scanned every byte twice more, which on 10,000 devices cost a quarter of a
// second and a copy of every page.
type collection[T any] struct {
	Items      []T    `json:"items"`
	TotalItems int    `json:"totalItems"`
	NextLink   string `json:"nextLink"`
}

// parseCollection reads a page whole and decodes it with encoding/json:
// the listings whose items the provider reads all of.
func parseCollection[T any](r io.Reader) (*collection[T], error) {
	body, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	var page collection[T]
	if err := json.Unmarshal(body, &page); err != nil {
		return nil, notACollection(err)
	}
	return &page, nil
}

// unreadableAnswer is a page that arrived whole but is not a collection
// (an HTML error page, a proxy's answer, a truncated document). Asking
// again is not expected to bring another, so it is not retried, unlike an
// answer that broke off on the way.
type unreadableAnswer struct{ err error }

func (e *unreadableAnswer) Error() string { return e.err.Error() }
func (e *unreadableAnswer) Unwrap() error { return e.err }

func notACollection(err error) error {
	return &unreadableAnswer{fmt.Errorf("the response is not a BIG-IQ collection: %w", err)}
}

// list reads every page of the collection at path and hands each page's
// items to each, so a caller can convert a page and let it go before the
// next one arrives. It pages with $top/$skip and follows nextLink when
// BIG-IQ gives one; nextLink names BIG-IQ as "localhost", so only its path
// and query are used, and only when the path is the collection's own.
func list[T any](ctx context.Context, c *Client, path string, q query, each func([]T) error) error {
	return listPages(ctx, c, path, q, parseCollection[T], each)
}

// listPages is list with its own page decoder.
func listPages[T any](ctx context.Context, c *Client, path string, q query, parse func(io.Reader) (*collection[T], error), each func([]T) error) error {
	rawQuery := q.encode(c.pageSize, 0)
	seen := map[string]bool{}
	for read := 0; ; {
		if seen[rawQuery] {
			return fmt.Errorf("GET %s: BIG-IQ's paging repeats itself at %q after %d items", path, rawQuery, read)
		}
		seen[rawQuery] = true
		// The page is parsed as it arrives (see bodyReader); a retry
		// parses its answer afresh.
		var page *collection[T]
		_, err := c.do(ctx, request{method: http.MethodGet, path: path, query: rawQuery, read: func(r io.Reader) (err error) {
			page, err = parse(r)
			return err
		}})
		if err != nil {
			return err
		}
		if err := each(page.Items); err != nil {
			return fmt.Errorf("GET %s: %w", path, err)
		}
		read += len(page.Items)
		switch {
		case len(page.Items) == 0:
			return nil
		case page.NextLink != "":
			next, err := url.Parse(page.NextLink)
			if err != nil || strings.TrimSuffix(next.Path, "/") != path {
				return fmt.Errorf("GET %s: BIG-IQ's nextLink %q does not continue this collection", path, page.NextLink)
			}
			rawQuery = next.RawQuery
		case read < page.TotalItems:
			rawQuery = q.encode(c.pageSize, read)
		default:
			return nil
		}
	}
}

// listInto reads every item of a collection.
func listInto[T any](ctx context.Context, c *Client, path string, q query) ([]T, error) {
	var out []T
	err := list(ctx, c, path, q, func(items []T) error {
		out = append(out, items...)
		return nil
	})
	return out, err
}
