package egress

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"slices"
	"syscall"
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

// Operated is implemented by sources that know who runs them. Agreement
// counts one vote per operator, so two services of one company (Cloudflare
// runs both 1.1.1.1's trace and icanhazip) are not two independent sources.
// A source without it is its own operator.
type Operated interface {
	Operator() string
}

// operatorOf returns the operator that src's answers count for.
func operatorOf(src Source) string {
	if o, ok := src.(Operated); ok && o.Operator() != "" {
		return o.Operator()
	}
	return src.Name()
}

// DefaultTimeout bounds one lookup of a source.
const DefaultTimeout = 5 * time.Second

// DefaultMaxBytes bounds an HTTP answer: enough for ifconfig.co's JSON
// record, far too little for a web page.
const DefaultMaxBytes = 4096

// HTTPOptions describes an HTTP(S) echo service.
type HTTPOptions struct {
	// URL of the echo service.
	URL string
	// Name in logs and metrics; the URL when empty.
	Name string
	// Operator runs the service (see Operated); the URL's host when empty.
	Operator string
	// Format of the answer: FormatPlain (default), FormatTrace, FormatJSON
	// or FormatRegex.
	Format string
	// JSONField is the field holding the address for FormatJSON ("ip" when
	// empty); dots separate nested objects.
	JSONField string
	// Regex extracts the address for FormatRegex.
	Regex string
	// Timeout bounds one lookup; DefaultTimeout when zero.
	Timeout time.Duration
	// MaxBytes bounds the answer; DefaultMaxBytes when zero.
	MaxBytes int64
	// Resolve, when set, replaces the system resolver for the URL's host
	// (tests use it to give "localhost" both loopbacks). Addresses of the
	// other family are ignored, as the system resolver's are.
	Resolve func(ctx context.Context, host string) ([]netip.Addr, error)
}

// HTTPSource asks an HTTP(S) echo service (ipify, icanhazip, ifconfig.co,
// Cloudflare's trace) for the caller's address.
type HTTPSource struct {
	// URL of the echo service.
	URL string
	// Timeout bounds one lookup.
	Timeout time.Duration

	opts    HTTPOptions
	re      *regexp.Regexp
	clients map[Family]*http.Client
}

// NewHTTPSourceWith returns a source for the echo service opts describes.
// Each family gets its own client whose dialer uses only that family (tcp4
// or tcp6), so an IPv4 lookup can never be answered over IPv6 or the
// reverse. Proxies from the environment are not used: a proxy's address is
// not the cluster's.
func NewHTTPSourceWith(opts HTTPOptions) (*HTTPSource, error) {
	u, err := url.Parse(opts.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("echo source %q: want an http or https URL", opts.URL)
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	if opts.Name == "" {
		opts.Name = opts.URL
	}
	if opts.Operator == "" {
		opts.Operator = u.Hostname()
	}
	s := &HTTPSource{URL: opts.URL, Timeout: opts.Timeout, clients: map[Family]*http.Client{}}
	switch opts.Format {
	case "", FormatPlain:
		opts.Format = FormatPlain
	case FormatTrace:
	case FormatJSON:
		if opts.JSONField == "" {
			opts.JSONField = "ip"
		}
	case FormatRegex:
		if s.re, err = regexp.Compile(opts.Regex); err != nil {
			return nil, fmt.Errorf("echo source %q: regex: %w", opts.URL, err)
		}
	default:
		return nil, fmt.Errorf("echo source %q: unknown format %q (want plain, trace, json or regex)", opts.URL, opts.Format)
	}
	s.opts = opts
	for _, fam := range []Family{IPv4, IPv6} {
		s.clients[fam] = familyClient(fam, opts.Timeout, opts.Resolve)
	}
	return s, nil
}

// familyClient builds an HTTP client that dials only over fam and follows
// no redirects (an echo service that redirects is misconfigured; following
// it could reach a host that answers for someone else).
func familyClient(fam Family, timeout time.Duration, resolve func(context.Context, string) ([]netip.Addr, error)) *http.Client {
	network := "tcp4"
	if fam == IPv6 {
		network = "tcp6"
	}
	dialer := &net.Dialer{Timeout: timeout}
	transport := &http.Transport{
		Proxy: nil,
		DialContext: func(ctx context.Context, _, addr string) (net.Conn, error) {
			if resolve != nil {
				host, port, err := net.SplitHostPort(addr)
				if err != nil {
					return nil, err
				}
				ips, err := resolve(ctx, host)
				if err != nil {
					return nil, err
				}
				i := slices.IndexFunc(ips, fam.Matches)
				if i < 0 {
					return nil, &net.AddrError{Err: "no suitable address found", Addr: host}
				}
				addr = net.JoinHostPort(ips[i].String(), port)
			}
			return dialer.DialContext(ctx, network, addr)
		},
		TLSHandshakeTimeout:   timeout,
		ResponseHeaderTimeout: timeout,
		MaxIdleConnsPerHost:   1,
		IdleConnTimeout:       90 * time.Second,
		DisableCompression:    true,
	}
	return &http.Client{
		Transport:     transport,
		Timeout:       timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// Name returns the source's name (its URL unless named).
func (s *HTTPSource) Name() string { return s.opts.Name }

// Operator returns who runs the service.
func (s *HTTPSource) Operator() string { return s.opts.Operator }

// Lookup fetches the URL over fam and parses the answer.
func (s *HTTPSource) Lookup(ctx context.Context, fam Family) (netip.Addr, error) {
	ctx, cancel := context.WithTimeout(ctx, s.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.URL, nil)
	if err != nil {
		return netip.Addr{}, err
	}
	accept := "text/plain"
	if s.opts.Format == FormatJSON {
		accept = "application/json"
	}
	req.Header.Set("Accept", accept)
	req.Header.Set("User-Agent", "ddns-operator")
	resp, err := s.clients[fam].Do(req)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return netip.Addr{}, fmt.Errorf("ask %s: %w", s.opts.Name, classifyDialError(err))
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(io.LimitReader(resp.Body, s.opts.MaxBytes+1))
	if err != nil {
		return netip.Addr{}, fmt.Errorf("read answer of %s: %w", s.opts.Name, err)
	}
	if resp.StatusCode != http.StatusOK {
		return netip.Addr{}, fmt.Errorf("ask %s: HTTP %d", s.opts.Name, resp.StatusCode)
	}
	if int64(len(body)) > s.opts.MaxBytes {
		return netip.Addr{}, reject(RejectTooLong, "answer exceeds %d bytes", s.opts.MaxBytes)
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt == "text/html" {
		return netip.Addr{}, reject(RejectHTML, "answer is text/html")
	}
	return s.parse(body, fam)
}

// parse reads an answer body in the source's format.
func (s *HTTPSource) parse(body []byte, fam Family) (netip.Addr, error) {
	switch s.opts.Format {
	case FormatTrace:
		return ParseTrace(string(body), fam)
	case FormatJSON:
		return ParseJSONField(body, s.opts.JSONField, fam)
	case FormatRegex:
		return ParseRegex(string(body), s.re, fam)
	default:
		return ParseAnswer(string(body), fam)
	}
}

// ErrNoRoute is wrapped by lookup errors that show the host has no route
// (or no address) for the family: the family is unavailable here, which
// is not a fault of the source.
var ErrNoRoute = errors.New("no route for this address family")

// classifyDialError marks errors that mean "this family has no route".
func classifyDialError(err error) error {
	if errors.Is(err, syscall.ENETUNREACH) || errors.Is(err, syscall.EHOSTUNREACH) ||
		errors.Is(err, syscall.EADDRNOTAVAIL) || errors.Is(err, syscall.EAFNOSUPPORT) {
		return fmt.Errorf("%w: %w", ErrNoRoute, err)
	}
	var aerr *net.AddrError
	if errors.As(err, &aerr) && aerr.Err == "no suitable address found" {
		return fmt.Errorf("%w: %w", ErrNoRoute, err)
	}
	return err
}

// StaticSource always answers with fixed addresses: for tests, for clusters
// whose address never changes, and for records that should follow nothing.
type StaticSource struct {
	V4, V6 netip.Addr
}

// Name returns "static".
func (s StaticSource) Name() string { return "static" }

// Authoritative returns true: a static address is the user's word.
func (s StaticSource) Authoritative() bool { return true }

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
