package providers

import (
	"fmt"
	"io"
	"net/http"
)

// MaxResponseBody is the largest response body a provider reads. A DNS
// API's answer is a few kilobytes per page; a body past this size is a
// misbehaving server or proxy (an endless stream), and reading on would
// only fill memory until the timeout.
const MaxResponseBody = 16 << 20

// limitTransport makes every request wait for the credential's gate, and
// fails the reading of a response body past max bytes (which providers
// report as a transient fault). Env.HTTP and Env.Transport build it.
type limitTransport struct {
	rt   http.RoundTripper
	max  int64
	gate Gate
}

func (t *limitTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.gate != nil {
		if err := t.gate.Wait(req.Context()); err != nil {
			if req.Body != nil {
				_ = req.Body.Close()
			}
			return nil, err
		}
	} else if err := req.Context().Err(); err != nil {
		return nil, err
	}
	res, err := t.rt.RoundTrip(req)
	if err != nil || res.Body == nil {
		return res, err
	}
	res.Body = &limitBody{rc: res.Body, left: t.max, max: t.max}
	return res, nil
}

// limitBody fails a read that would go past max bytes.
type limitBody struct {
	rc   io.ReadCloser
	left int64
	max  int64
}

func (b *limitBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		// A body of exactly max bytes is fine: look for its end.
		var one [1]byte
		if n, err := b.rc.Read(one[:]); n == 0 && err != nil {
			return 0, err
		}
		return 0, fmt.Errorf("response body is larger than %d bytes", b.max)
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	return n, err
}

func (b *limitBody) Close() error { return b.rc.Close() }
