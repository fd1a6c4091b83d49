package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/nicholas-fedor/shoutrrr/pkg/services/chat/discord"
	"github.com/nicholas-fedor/shoutrrr/pkg/services/chat/googlechat"
	"github.com/nicholas-fedor/shoutrrr/pkg/services/chat/lark"
	"github.com/nicholas-fedor/shoutrrr/pkg/services/chat/matrix"
	"github.com/nicholas-fedor/shoutrrr/pkg/services/chat/mattermost"
	"github.com/nicholas-fedor/shoutrrr/pkg/services/chat/rocketchat"
	"github.com/nicholas-fedor/shoutrrr/pkg/services/chat/signal"
	"github.com/nicholas-fedor/shoutrrr/pkg/services/chat/slack"
	"github.com/nicholas-fedor/shoutrrr/pkg/services/chat/teams"
	"github.com/nicholas-fedor/shoutrrr/pkg/services/chat/telegram"
	"github.com/nicholas-fedor/shoutrrr/pkg/services/chat/wecom"
	"github.com/nicholas-fedor/shoutrrr/pkg/services/chat/zulip"
	"github.com/nicholas-fedor/shoutrrr/pkg/services/incident/opsgenie"
	"github.com/nicholas-fedor/shoutrrr/pkg/services/incident/pagerduty"
	"github.com/nicholas-fedor/shoutrrr/pkg/services/push/bark"
	"github.com/nicholas-fedor/shoutrrr/pkg/services/push/gotify"
	"github.com/nicholas-fedor/shoutrrr/pkg/services/push/ifttt"
	"github.com/nicholas-fedor/shoutrrr/pkg/services/push/join"
	"github.com/nicholas-fedor/shoutrrr/pkg/services/push/ntfy"
	"github.com/nicholas-fedor/shoutrrr/pkg/services/push/pushbullet"
	"github.com/nicholas-fedor/shoutrrr/pkg/services/push/pushover"
	"github.com/nicholas-fedor/shoutrrr/pkg/services/specialized/notifiarr"
	"github.com/nicholas-fedor/shoutrrr/pkg/types"
)

// services are the shoutrrr services a target's URL may name, by scheme:
// shoutrrr's router's list less smtp (e-mail), generic and logger.
// shoutrrr's router is not used, and generic is this package's own
// (genericWebhook), because smtp and generic execute text/templates, and
// a template's execution calls methods by name through reflection: with
// that reachable anywhere, the Go linker keeps every exported method of
// every type the binary holds in an interface, 9.6 MB of the stripped
// manager (issue 20; TestLinkerDropsUncalledMethods in the module root
// keeps it out). logger would write to the manager's own log.
var services = map[string]func() types.Service{
	"bark":       func() types.Service { return &bark.Service{} },
	"discord":    func() types.Service { return &discord.Service{} },
	"googlechat": func() types.Service { return &googlechat.Service{} },
	"gotify":     func() types.Service { return &gotify.Service{} },
	"hangouts":   func() types.Service { return &googlechat.Service{} },
	"ifttt":      func() types.Service { return &ifttt.Service{} },
	"join":       func() types.Service { return &join.Service{} },
	"lark":       func() types.Service { return &lark.Service{} },
	"matrix":     func() types.Service { return &matrix.Service{} },
	"mattermost": func() types.Service { return &mattermost.Service{} },
	"notifiarr":  func() types.Service { return &notifiarr.Service{} },
	"ntfy":       func() types.Service { return &ntfy.Service{} },
	"opsgenie":   func() types.Service { return &opsgenie.Service{} },
	"pagerduty":  func() types.Service { return &pagerduty.Service{} },
	"pushbullet": func() types.Service { return &pushbullet.Service{} },
	"pushover":   func() types.Service { return &pushover.Service{} },
	"rocketchat": func() types.Service { return &rocketchat.Service{} },
	"signal":     func() types.Service { return &signal.Service{} },
	"slack":      func() types.Service { return &slack.Service{} },
	"teams":      func() types.Service { return &teams.Service{} },
	"telegram":   func() types.Service { return &telegram.Service{} },
	"wecom":      func() types.Service { return &wecom.Service{} },
	"zulip":      func() types.Service { return &zulip.Service{} },
}

// sender delivers one text to one service.
type sender interface {
	send(ctx context.Context, text string) error
}

// shoutrrrService sends through a shoutrrr service.
type shoutrrrService struct{ svc types.Service }

func (s shoutrrrService) send(_ context.Context, text string) error {
	params := types.Params{}
	if s.svc.GetID() == "discord" {
		// One message, not one embed per line (and one request per ten).
		params["splitlines"] = "no"
	}
	return s.svc.Send(text, &params)
}

// locate returns the sender for a service URL.
func locate(raw string) (sender, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, errors.New("not a URL")
	}
	scheme, _, custom := strings.Cut(strings.ToLower(u.Scheme), "+")
	if scheme == "generic" {
		return parseGeneric(u)
	}
	newService, ok := services[scheme]
	if !ok {
		known := append(slices.Collect(maps.Keys(services)), "generic")
		slices.Sort(known)
		if scheme == "smtp" {
			return nil, fmt.Errorf("e-mail (smtp://) is not offered; use a mail service's webhook with generic+https://, or one of %s", strings.Join(known, ", "))
		}
		return nil, fmt.Errorf("unknown service %q; the services are %s", scheme, strings.Join(known, ", "))
	}
	svc := newService()
	if custom {
		c, ok := svc.(types.CustomURLService)
		if !ok {
			return nil, fmt.Errorf("the %s service takes no custom URL (%s+...)", scheme, scheme)
		}
		if u, err = c.GetConfigURLFromCustom(u); err != nil {
			return nil, fmt.Errorf("the %s custom URL cannot be converted: %w", scheme, err)
		}
	}
	if err := svc.Initialize(u, nil); err != nil {
		return nil, fmt.Errorf("%s: %w", scheme, err)
	}
	return shoutrrrService{svc}, nil
}

// genericWebhook is shoutrrr's generic service
// (https://shoutrrr.nickfedor.com/services/specialized/generic/), built
// here without its named templates: generic+https://host/path POSTs the
// text as text/plain, template=json sends {"message": text} instead.
type genericWebhook struct {
	url         string // the webhook's URL, less the keys below
	method      string
	contentType string // for template=json; text goes as text/plain
	json        bool
	title       string
	titleKey    string
	messageKey  string
	headers     map[string]string // from @Name=value keys
	extra       map[string]string // from $name=value keys, added to the JSON
}

// parseGeneric reads a generic:// or generic+http(s):// URL. Query keys
// shoutrrr documents configure the call and are taken out of the URL
// (template, contenttype, disabletls, title, titlekey, messagekey,
// method); @Name=value sets a header, $name=value adds a JSON field; every
// other key stays in the webhook's URL.
func parseGeneric(u *url.URL) (*genericWebhook, error) {
	g := &genericWebhook{method: http.MethodPost, contentType: "application/json", titleKey: "title", messageKey: "message",
		headers: map[string]string{}, extra: map[string]string{}}
	target := *u
	_, inner, custom := strings.Cut(strings.ToLower(u.Scheme), "+")
	query := url.Values{}
	disableTLS := false
	for key, values := range u.Query() {
		value := values[0]
		switch {
		case len(key) > 1 && key[0] == '@':
			g.headers[headerName(key[1:])] = value
			continue
		case len(key) > 1 && key[0] == '$':
			g.extra[key[1:]] = value
			continue
		}
		switch strings.ToLower(key) {
		case "template":
			switch strings.ToLower(value) {
			case "":
			case "json":
				g.json = true
			default:
				return nil, fmt.Errorf("generic: template %q is not offered; leave it out to send the text as text/plain, or set template=json for a JSON object", value)
			}
		case "contenttype":
			g.contentType = value
		case "disabletls":
			b, ok := parseYesNo(value)
			if !ok {
				return nil, fmt.Errorf("generic: disabletls is %q; want yes or no", value)
			}
			disableTLS = b
		case "title":
			g.title = value
		case "titlekey":
			g.titleKey = value
		case "messagekey":
			g.messageKey = value
		case "method":
			g.method = strings.ToUpper(value)
			if g.method == "" || strings.ContainsFunc(g.method, func(r rune) bool { return r < 'A' || r > 'Z' }) {
				return nil, fmt.Errorf("generic: method %q is not an HTTP method", value)
			}
		default:
			query[key] = values
		}
	}
	switch {
	case custom && (inner == "http" || inner == "https"):
		target.Scheme = inner
	case custom:
		return nil, fmt.Errorf("generic: the webhook's scheme is %q; want generic+https:// or generic+http://", inner)
	case disableTLS:
		target.Scheme = "http"
	default:
		target.Scheme = "https"
	}
	if target.Host == "" {
		return nil, errors.New("generic: the URL names no host")
	}
	target.RawQuery = query.Encode()
	g.url = target.String()
	return g, nil
}

// headerName turns a query key into a header name as shoutrrr does:
// "authorization" is Authorization, "xApiKey" is X-Api-Key.
func headerName(key string) string {
	var b strings.Builder
	for i, c := range key {
		switch {
		case 'A' <= c && c <= 'Z':
			if i > 0 && key[i-1] != '-' {
				b.WriteByte('-')
			}
		case i == 0 || key[i-1] == '-':
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
		}
		b.WriteRune(c)
	}
	return b.String()
}

// parseYesNo reads shoutrrr's booleans.
func parseYesNo(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "yes", "true", "1", "on", "enabled":
		return true, true
	case "no", "false", "0", "off", "disabled", "":
		return false, true
	}
	return false, false
}

// webhookClient sends generic webhooks; the target's worker bounds each
// attempt through the context.
var webhookClient = &http.Client{}

func (g *genericWebhook) send(ctx context.Context, text string) error {
	var body []byte
	contentType := "text/plain"
	if g.json {
		fields := map[string]string{}
		for k, v := range g.extra {
			fields[k] = v
		}
		if g.title != "" {
			fields[g.titleKey] = g.title
		}
		fields[g.messageKey] = text
		var err error
		if body, err = json.Marshal(fields); err != nil {
			return fmt.Errorf("encode the message: %w", err)
		}
		contentType = g.contentType
	} else {
		body = []byte(text)
	}
	req, err := http.NewRequestWithContext(ctx, g.method, g.url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("the webhook request: %w", err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Accept", contentType)
	for k, v := range g.headers {
		req.Header.Set(k, v)
	}
	res, err := webhookClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	if res.StatusCode >= http.StatusBadRequest {
		return fmt.Errorf("the webhook answered %s", res.Status)
	}
	return nil
}
