package bigiq

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/go-resty/resty/v2"
)

// The client reads each answer of do itself, in the transport, rather than
// through resty, which reads a body 512 bytes at a time into a slice it
// grows as it goes: on a page of 500 BIG-IQ 7/8 devices (12 MB) that
// growing and the garbage it left were a quarter of the provider's CPU in
// a plan of bigiq_devices (perf, BENCHMARKS.md's scale section).
//
// A listing's pages are not held at all: the transport hands a successful
// answer's body to the listing's page reader as it arrives (answer.read).
// Holding a 12 MB page whole, even in one buffer reused for every page,
// cost the provider a quarter of its CPU again in allocating, zeroing and
// faulting in the room and in the garbage collections that set off.
// Other answers (and a listing's error answers) go into a buffer sized
// from Content-Length when BIG-IQ gives one.

// answer carries a request's answer between do and the transport. read,
// when set, reads a 2xx answer as it arrives, and unreadable is its error
// if the answer arrived whole but was not what read expects; body is what
// was held otherwise, and size the bytes that came either way.
type answer struct {
	read       func(io.Reader) error
	unreadable error
	body       []byte
	size       int64
}

type answerKey struct{}

func withAnswer(ctx context.Context, read func(io.Reader) error) (context.Context, *answer) {
	a := &answer{read: read}
	return context.WithValue(ctx, answerKey{}, a), a
}

// answerOf returns what the transport read of resp's answer, if it read
// it: resty's Body is then empty.
func answerOf(resp *resty.Response) (*answer, bool) {
	a, ok := resp.Request.Context().Value(answerKey{}).(*answer)
	return a, ok
}

// bodyOf returns the body of resp as held: the transport's, if it read
// one, or resty's. An answer read as it arrived has none.
func bodyOf(resp *resty.Response) []byte {
	if a, ok := answerOf(resp); ok {
		return a.body
	}
	return resp.Body()
}

// bodyReader is the transport that reads the answer of a request that
// carries an answer, up to maxResponseBytes, and hands resty an empty one.
type bodyReader struct {
	next http.RoundTripper
}

// errAnswerTooLarge is an answer past the cap: asking again would bring
// the same, so it is not retried.
var errAnswerTooLarge = fmt.Errorf("the answer is larger than %d MiB", maxResponseBytes>>20)

func (t bodyReader) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	a, ok := req.Context().Value(answerKey{}).(*answer)
	if err != nil || !ok {
		return resp, err
	}
	defer resp.Body.Close()
	limited := &io.LimitedReader{R: resp.Body, N: maxResponseBytes + 1}
	a.body, a.unreadable = nil, nil
	if a.read != nil && resp.StatusCode/100 == 2 {
		err = a.read(limited)
		a.size = maxResponseBytes + 1 - limited.N
		if a.size > maxResponseBytes {
			return nil, errAnswerTooLarge
		}
		var unreadable *unreadableAnswer
		if errors.As(err, &unreadable) {
			// Handed to do beside the response, not as a transport
			// error, which resty would retry.
			a.unreadable, err = err, nil
		}
		if err != nil {
			return nil, err
		}
		resp.Body = http.NoBody
		return resp, nil
	}
	var buf bytes.Buffer
	if n := resp.ContentLength; n > 0 && n <= maxResponseBytes {
		buf.Grow(int(n))
	}
	a.size, err = buf.ReadFrom(limited)
	if err != nil {
		return nil, err
	}
	if a.size > maxResponseBytes {
		return nil, errAnswerTooLarge
	}
	a.body = buf.Bytes()
	resp.Body = http.NoBody
	return resp, nil
}

// answerSize is how many bytes of resp's answer arrived.
func answerSize(resp *resty.Response) int64 {
	if a, ok := answerOf(resp); ok {
		return a.size
	}
	return int64(len(resp.Body()))
}
