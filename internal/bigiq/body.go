package bigiq

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"

	"github.com/go-resty/resty/v2"
)

// The client reads each answer of do itself, in the transport, rather than
// through resty, which reads a body 512 bytes at a time into a slice it
// grows as it goes: on a page of 500 BIG-IQ 7/8 devices (12 MB) that
// growing and the garbage it left were a quarter of the provider's CPU in
// a plan of bigiq_devices (perf, BENCHMARKS.md's scale section). Here the
// body goes into a buffer sized from Content-Length when BIG-IQ gives one,
// grown by doubling when it does not, and a listing reuses one buffer for
// all its pages.

// bodyBuffer carries a request's body from the transport to do. buf is
// the buffer to read into (its capacity is reused); body is what arrived.
type bodyBuffer struct {
	buf, body []byte
}

type bodyBufferKey struct{}

func withBodyBuffer(ctx context.Context, buf []byte) (context.Context, *bodyBuffer) {
	b := &bodyBuffer{buf: buf}
	return context.WithValue(ctx, bodyBufferKey{}, b), b
}

// bodyOf returns the body of resp: the one the transport read, if it read
// one, or resty's.
func bodyOf(resp *resty.Response) []byte {
	if b, ok := resp.Request.Context().Value(bodyBufferKey{}).(*bodyBuffer); ok {
		return b.body
	}
	return resp.Body()
}

// bodyReader is the transport that reads the body of a request that
// carries a bodyBuffer, up to maxResponseBytes, and hands resty an empty
// one.
type bodyReader struct {
	next http.RoundTripper
}

// errAnswerTooLarge is an answer past the cap: asking again would bring
// the same, so it is not retried.
var errAnswerTooLarge = fmt.Errorf("the answer is larger than %d MiB", maxResponseBytes>>20)

func (t bodyReader) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	b, ok := req.Context().Value(bodyBufferKey{}).(*bodyBuffer)
	if err != nil || !ok {
		return resp, err
	}
	defer resp.Body.Close()
	buf := bytes.NewBuffer(b.buf[:0])
	if n := resp.ContentLength; n > 0 && n <= maxResponseBytes {
		buf.Grow(int(n))
	}
	n, err := buf.ReadFrom(io.LimitReader(resp.Body, maxResponseBytes+1))
	if err != nil {
		return nil, err
	}
	if n > maxResponseBytes {
		return nil, errAnswerTooLarge
	}
	b.body = buf.Bytes()
	resp.Body = http.NoBody
	return resp, nil
}
