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

// LimitResponses wraps rt (http.DefaultTransport when nil) so that reading
// any response body past max bytes fails with an error, which providers
// report as a transient fault, and so that every request first waits for
// the Gate its context carries (see WithGate).
func LimitResponses(rt http.RoundTripper, max int64) http.RoundTripper {
	if rt == nil {
		rt = http.DefaultTransport
	}
	return &limitTransport{rt: rt, max: max}
}

type limitTransport struct {
	rt  http.RoundTripper
	max int64
}

func (t *limitTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := WaitGate(req.Context()); err != nil {
		if req.Body != nil {
			_ = req.Body.Close()
		}
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
