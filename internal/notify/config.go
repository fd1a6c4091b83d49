package notify

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"
)

// Config is the notification configuration file (--notify-config; the
// chart renders it from its notifications values). It holds no secret:
// every URL is read from a key of the notification Secret, mounted as a
// directory (--notify-secret-dir).
type Config struct {
	// Cluster names this installation in every message's title.
	Cluster string `json:"cluster,omitempty"`
	// FailingAfter: a record retrying (Ready=False, not Stalled) this long
	// is reported failing; Stalled records are reported at once. 10m.
	FailingAfter metav1.Duration `json:"failingAfter,omitempty"`
	// Coalesce tunes the window that gathers events into one message.
	Coalesce struct {
		// Quiet: send once no event came for this long (5s).
		Quiet metav1.Duration `json:"quiet,omitempty"`
		// MaxDelay: send at the latest this long after the first event (1m).
		MaxDelay metav1.Duration `json:"maxDelay,omitempty"`
	} `json:"coalesce,omitzero"`
	// QueueSize bounds each target's queue (64).
	QueueSize int `json:"queueSize,omitempty"`
	// Targets are the destinations.
	Targets []TargetConfig `json:"targets,omitempty"`
	// Heartbeat, when set, pings a URL after every detection cycle.
	Heartbeat *HeartbeatConfig `json:"heartbeat,omitempty"`
}

// TargetConfig is one destination.
type TargetConfig struct {
	// Name labels the target in metrics and events.
	Name string `json:"name"`
	// URLKey is the Secret key holding the URL; the name when empty.
	URLKey string `json:"urlKey,omitempty"`
	// Events the target wants (AddressChanged, RecordsUpdated,
	// RecordFailing, RecordRecovered); empty for all.
	Events []string `json:"events,omitempty"`
	// Format is "shoutrrr" (the default: the URL is a shoutrrr service
	// URL, the message plain text) or "ddns-go" (the URL, and the request
	// body and headers in BodyKey and HeadersKey, are a ddns-go webhook
	// with #{...} placeholders).
	Format string `json:"format,omitempty"`
	// BodyKey and HeadersKey are Secret keys holding a ddns-go webhook's
	// request body and "Name: value" header lines; optional.
	BodyKey    string `json:"bodyKey,omitempty"`
	HeadersKey string `json:"headersKey,omitempty"`
	// Lang "zh" writes ddns-go's results in Chinese (成功/失败/未改变).
	Lang string `json:"lang,omitempty"`
}

// HeartbeatConfig names the Secret key holding the heartbeat URL.
type HeartbeatConfig struct {
	URLKey string `json:"urlKey"`
}

// Formats of a target.
const (
	FormatShoutrrr = "shoutrrr"
	FormatDDNSGo   = "ddns-go"
)

var (
	targetName = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
	secretKey  = regexp.MustCompile(`^[-._a-zA-Z0-9]+$`)
)

// LoadConfig reads and checks a configuration file.
func LoadConfig(path string) (Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("read notification config: %w", err)
	}
	return ParseConfig(b)
}

// ParseConfig parses and checks a configuration; unknown fields are
// refused, so a misspelt key is not silently ignored.
func ParseConfig(b []byte) (Config, error) {
	var c Config
	if err := yaml.UnmarshalStrict(b, &c); err != nil {
		return Config{}, fmt.Errorf("notification config: %w", err)
	}
	return c, c.Validate()
}

// Validate reports every mistake in c, naming the field.
func (c Config) Validate() error {
	var errs []error
	for _, d := range []struct {
		field string
		v     time.Duration
	}{{"failingAfter", c.FailingAfter.Duration}, {"coalesce.quiet", c.Coalesce.Quiet.Duration}, {"coalesce.maxDelay", c.Coalesce.MaxDelay.Duration}} {
		if d.v < 0 {
			errs = append(errs, fmt.Errorf("%s must not be negative", d.field))
		}
	}
	if c.QueueSize < 0 {
		errs = append(errs, errors.New("queueSize must not be negative"))
	}
	names := map[string]bool{}
	for i, t := range c.Targets {
		at := fmt.Sprintf("targets[%d]", i)
		if !targetName.MatchString(t.Name) {
			errs = append(errs, fmt.Errorf("%s.name %q must be lower-case letters, digits and '-'", at, t.Name))
		}
		if names[t.Name] {
			errs = append(errs, fmt.Errorf("%s.name %q is used twice", at, t.Name))
		}
		names[t.Name] = true
		for _, k := range []struct{ field, v string }{{"urlKey", t.URLKey}, {"bodyKey", t.BodyKey}, {"headersKey", t.HeadersKey}} {
			if k.v != "" && !secretKey.MatchString(k.v) {
				errs = append(errs, fmt.Errorf("%s.%s %q is not a valid Secret key", at, k.field, k.v))
			}
		}
		for _, e := range t.Events {
			if _, err := ParseEventKind(e); err != nil {
				errs = append(errs, fmt.Errorf("%s.events: %w", at, err))
			}
		}
		switch t.Format {
		case "", FormatShoutrrr:
			if t.BodyKey != "" || t.HeadersKey != "" || t.Lang != "" {
				errs = append(errs, fmt.Errorf("%s: bodyKey, headersKey and lang apply only to format %s", at, FormatDDNSGo))
			}
		case FormatDDNSGo:
		default:
			errs = append(errs, fmt.Errorf("%s.format %q: want %s or %s", at, t.Format, FormatShoutrrr, FormatDDNSGo))
		}
	}
	if c.Heartbeat != nil && !secretKey.MatchString(c.Heartbeat.URLKey) {
		errs = append(errs, fmt.Errorf("heartbeat.urlKey %q is not a valid Secret key", c.Heartbeat.URLKey))
	}
	return errors.Join(errs...)
}

// Options returns the Notifier options the file sets.
func (c Config) Options() Options {
	return Options{Quiet: c.Coalesce.Quiet.Duration, MaxDelay: c.Coalesce.MaxDelay.Duration, QueueSize: c.QueueSize}
}

// BuildTargets returns the targets, reading their URLs from secretDir.
// addresses gives ddns-go webhooks the current addresses.
func (c Config) BuildTargets(secretDir string, addresses func() map[string]string) []Target {
	out := make([]Target, 0, len(c.Targets))
	for _, t := range c.Targets {
		urlKey := t.URLKey
		if urlKey == "" {
			urlKey = t.Name
		}
		var events []EventKind
		for _, e := range t.Events {
			k, _ := ParseEventKind(e) // checked by Validate
			events = append(events, k)
		}
		url := SecretValue{Dir: secretDir, Key: urlKey}
		var ch Channel
		if t.Format == FormatDDNSGo {
			ch = &DDNSGo{Webhook: ddnsGoFromSecret(secretDir, url, t), Addresses: addresses}
		} else {
			ch = &Shoutrrr{URL: url.Read, TextRenderer: TextRenderer{Cluster: c.Cluster}}
		}
		out = append(out, Target{Name: t.Name, Events: events, Channel: ch})
	}
	return out
}

// ddnsGoFromSecret reads a ddns-go webhook's templates, trimmed of
// surrounding white space as ddns-go trims them when saving.
func ddnsGoFromSecret(dir string, url SecretValue, t TargetConfig) func() (DDNSGoWebhook, error) {
	return func() (DDNSGoWebhook, error) {
		w := DDNSGoWebhook{Lang: t.Lang}
		var err error
		if w.URL, err = url.Read(); err != nil {
			return w, err
		}
		for _, f := range []struct {
			key string
			to  *string
		}{{t.BodyKey, &w.Body}, {t.HeadersKey, &w.Headers}} {
			if f.key == "" {
				continue
			}
			if *f.to, err = (SecretValue{Dir: dir, Key: f.key}).Read(); err != nil {
				return w, err
			}
		}
		if w.URL == "" || strings.ContainsAny(w.URL, "\n") {
			return w, fmt.Errorf("key %q of the notification Secret must hold one URL", url.Key)
		}
		return w, nil
	}
}
