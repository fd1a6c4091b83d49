package egress

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"time"
)

// Source answers with the caller's public address of one family.
type Source interface {
	// Name identifies the source in logs and metrics.
	Name() string
	// Lookup asks the source for the address of fam. The answer is already
	// validated: a non-nil address is global unicast and of family fam.
	Lookup(ctx context.Context, fam Family) (netip.Addr, error)
}

// DefaultTimeout bounds one lookup of a source.
const DefaultTimeout = 5 * time.Second

// maxBody is the most an echo answer may be; anything longer is not an address.
const maxBody = 512

// HTTPSource asks an HTTP(S) echo service (ipify, icanhazip and the like)
// that answers with the caller's address as plain text.
type HTTPSource struct {
	// URL of the echo service.
	URL string
	// Timeout bounds one lookup; DefaultTimeout when zero.
	Timeout time.Duration

	clients map[Family]*http.Client
}

// NewHTTPSource returns a source for the echo service at rawURL. Each family
// gets its own client whose dialer uses only that family (tcp4 or tcp6), so
// an IPv4 lookup can never be answered over IPv6 or the reverse.
func NewHTTPSource(rawURL string, timeout time.Duration) (*HTTPSource, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("echo source %q: want an http or https URL", rawURL)
	}
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	s := &HTTPSource{URL: rawURL, Timeout: timeout, clients: map[Family]*http.Client{}}
	for _, fam := range []Family{IPv4, IPv6} {
		s.clients[fam] = familyClient(fam, timeout)
	}
	return s, nil
}

// familyClient builds an HTTP client that dials only over fam.
func familyClient(fam Family, timeout time.Duration) *http.Client {
	network := "tcp4"
	if fam == IPv6 {
		network = "tcp6"
	}
	dialer := &net.Dialer{Timeout: timeout}
	transport := &http.Transport{
		Proxy: http.ProxyFromEnvironment,
		DialContext: func(ctx context.Context, _, addr string) (net.Conn, error) {
			return dialer.DialContext(ctx, network, addr)
		},
		TLSHandshakeTimeout:   timeout,
		ResponseHeaderTimeout: timeout,
		MaxIdleConnsPerHost:   1,
		IdleConnTimeout:       90 * time.Second,
	}
	return &http.Client{Transport: transport, Timeout: timeout}
}

// Name returns the service's URL.
func (s *HTTPSource) Name() string { return s.URL }

// Lookup fetches the URL over fam and parses the body as one address.
func (s *HTTPSource) Lookup(ctx context.Context, fam Family) (netip.Addr, error) {
	ctx, cancel := context.WithTimeout(ctx, s.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.URL, nil)
	if err != nil {
		return netip.Addr{}, err
	}
	req.Header.Set("Accept", "text/plain")
	req.Header.Set("User-Agent", "ddns-operator")
	resp, err := s.clients[fam].Do(req)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return netip.Addr{}, fmt.Errorf("ask %s: %w", s.URL, err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return netip.Addr{}, fmt.Errorf("read answer of %s: %w", s.URL, err)
	}
	if resp.StatusCode != http.StatusOK {
		return netip.Addr{}, fmt.Errorf("ask %s: HTTP %d", s.URL, resp.StatusCode)
	}
	if len(body) > maxBody {
		return netip.Addr{}, &RejectError{Reason: RejectTooLong, Detail: fmt.Sprintf("answer exceeds %d bytes", maxBody)}
	}
	return ParseAnswer(string(body), fam)
}

// StaticSource always answers with fixed addresses: for tests, for clusters
// whose address never changes, and for records that should follow nothing.
type StaticSource struct {
	V4, V6 netip.Addr
}

// Name returns "static".
func (s StaticSource) Name() string { return "static" }

// Lookup returns the configured address of fam.
func (s StaticSource) Lookup(_ context.Context, fam Family) (netip.Addr, error) {
	addr := s.V4
	if fam == IPv6 {
		addr = s.V6
	}
	if !addr.IsValid() {
		return netip.Addr{}, fmt.Errorf("static source has no %s address", fam)
	}
	return addr, nil
}
