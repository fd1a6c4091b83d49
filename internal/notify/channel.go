package notify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Message is one rendered notification: text for a shoutrrr service, or a
// whole HTTP request for a ddns-go-style webhook.
type Message struct {
	Text    string
	Request *HTTPRequest
}

// Channel is how one target speaks: it renders digests and test messages
// and delivers them.
type Channel interface {
	// Render returns the message for the parts of d that wants accepts.
	Render(d *Digest, wants func(EventKind) bool) (Message, error)
	// Test returns a test message; requestedBy says who asked for it.
	Test(requestedBy string, now time.Time) (Message, error)
	// Send delivers m once. Its error never holds a credential.
	Send(ctx context.Context, m Message) error
}

// SecretValue reads one key of a Secret mounted as a directory (kubelet
// updates the files when the Secret changes, so a rotated token is used
// from the next message on, without a restart).
type SecretValue struct {
	Dir, Key string
}

// Read returns the value without surrounding white space.
func (s SecretValue) Read() (string, error) {
	b, err := os.ReadFile(filepath.Join(s.Dir, s.Key))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("the notification Secret has no key %q", s.Key)
		}
		return "", fmt.Errorf("read key %q of the notification Secret: %w", s.Key, err)
	}
	return strings.TrimSpace(string(b)), nil
}

// Shoutrrr sends plain text through a shoutrrr service URL
// (telegram://, discord://, ntfy://, wecom://, generic+https://, ...).
type Shoutrrr struct {
	// URL returns the service URL; it is read before every message.
	URL func() (string, error)
	TextRenderer

	mu    sync.Mutex
	raw   string
	svc   sender
	parts []string
}

var _ Channel = (*Shoutrrr)(nil)

// Render implements Channel.
func (s *Shoutrrr) Render(d *Digest, wants func(EventKind) bool) (Message, error) {
	return Message{Text: s.TextRenderer.Render(d, wants)}, nil
}

// Test implements Channel.
func (s *Shoutrrr) Test(requestedBy string, _ time.Time) (Message, error) {
	return Message{Text: s.TestMessage(requestedBy)}, nil
}

// Send implements Channel. shoutrrr's services take no context; the
// target's worker bounds each attempt instead (the generic webhook, sent
// by this package, honours ctx).
func (s *Shoutrrr) Send(ctx context.Context, m Message) error {
	svc, parts, err := s.service()
	if err != nil {
		return err
	}
	return scrub(svc.send(ctx, m.Text), parts)
}

// service returns the sender for the current URL, building it again only
// when the URL changed.
func (s *Shoutrrr) service() (sender, []string, error) {
	raw, err := s.URL()
	if err != nil {
		return nil, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.svc != nil && raw == s.raw {
		return s.svc, s.parts, nil
	}
	parts := secretParts(raw)
	svc, err := locate(raw)
	if err != nil {
		return nil, nil, fmt.Errorf("the service URL is not usable: %w", scrub(err, parts))
	}
	s.raw, s.svc, s.parts = raw, svc, parts
	return svc, parts, nil
}

// DDNSGo sends ddns-go-style webhook calls with its own HTTP client.
type DDNSGo struct {
	// Webhook returns the URL, body and header templates; read before
	// every message.
	Webhook func() (DDNSGoWebhook, error)
	// Addresses returns the current detected address per family ("ipv4",
	// "ipv6"), for digests that carry no address change.
	Addresses func() map[string]string
	Client    *http.Client
}

var _ Channel = (*DDNSGo)(nil)

// Render implements Channel.
func (w *DDNSGo) Render(d *Digest, wants func(EventKind) bool) (Message, error) {
	var addrs map[string]string
	if w.Addresses != nil {
		addrs = w.Addresses()
	}
	v := ddnsGoValues(d, wants, addrs)
	if v.IPv4Result == Unchanged && v.IPv6Result == Unchanged {
		// ddns-go calls its webhook only when a family was written or
		// failed; an address change alone is followed by the writes.
		return Message{}, ErrNothingToSend
	}
	return w.request(v)
}

// ErrNothingToSend is returned by a Channel whose target has nothing to
// say about a digest; the digest is then skipped for it.
var ErrNothingToSend = errors.New("nothing to send")

// Test implements Channel: it sends what ddns-go's "test" button sends.
func (w *DDNSGo) Test(_ string, now time.Time) (Message, error) {
	return w.request(ddnsGoTestValues(now))
}

func (w *DDNSGo) request(v DDNSGoValues) (Message, error) {
	hook, err := w.Webhook()
	if err != nil {
		return Message{}, err
	}
	req, err := hook.Request(v)
	if err != nil {
		return Message{}, err
	}
	return Message{Request: &req}, nil
}

// Send implements Channel. Like ddns-go, any status of 300 or more fails.
func (w *DDNSGo) Send(ctx context.Context, m Message) error {
	if m.Request == nil {
		return errors.New("no webhook request to send")
	}
	parts := secretParts(m.Request.URL)
	req, err := http.NewRequestWithContext(ctx, m.Request.Method, m.Request.URL, strings.NewReader(m.Request.Body))
	if err != nil {
		return scrub(err, parts)
	}
	req.Header = m.Request.Header.Clone()
	client := w.Client
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		return scrub(err, parts)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode >= 300 {
		// The answer's body is not quoted: receivers echo requests.
		return fmt.Errorf("the webhook answered %s", resp.Status)
	}
	return nil
}
