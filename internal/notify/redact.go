package notify

import (
	"errors"
	"net/url"
	"sort"
	"strings"
)

// redacted replaces any part of a service URL found in an error.
const redacted = "[redacted]"

// minSecretLen is the shortest URL part treated as a possible secret; any
// shorter one would mangle ordinary words in error texts.
const minSecretLen = 6

// secretParts returns the parts of a service URL that may be credentials:
// the user and password, the host when it is not a DNS name (Discord's
// webhook ID, WeCom's key, Telegram's "telegram"), every path segment and
// every query value, each also as it appears escaped. Library errors quote
// the URLs they call (Telegram's token sits in the API path), so every
// error is scrubbed of these before it reaches a log, an event or a metric.
func secretParts(raw string) []string {
	var parts []string
	add := func(s string) {
		if len(s) >= minSecretLen {
			parts = append(parts, s, url.PathEscape(s), url.QueryEscape(s))
		}
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		// Unparsable: scrub the whole text and each piece between the
		// usual separators.
		add(raw)
		for _, p := range strings.FieldsFunc(raw, func(r rune) bool { return strings.ContainsRune(":/@?&=#", r) }) {
			add(p)
		}
		return dedupe(parts)
	}
	if u.User != nil {
		add(u.User.Username())
		pw, _ := u.User.Password()
		add(pw)
		add(u.User.String())
	}
	if h := u.Hostname(); !strings.Contains(h, ".") {
		add(h)
	}
	for _, seg := range strings.Split(u.Path, "/") {
		add(seg)
	}
	for _, vs := range u.Query() {
		for _, v := range vs {
			add(v)
		}
	}
	add(u.RawQuery)
	add(u.Fragment)
	return dedupe(parts)
}

func dedupe(parts []string) []string {
	// Longest first, so a token is replaced whole before any piece of it.
	seen := map[string]bool{}
	var out []string
	for _, p := range parts {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	return out
}

// scrub returns err's text without any of parts, as a new error.
func scrub(err error, parts []string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	for _, p := range parts {
		msg = strings.ReplaceAll(msg, p, redacted)
	}
	return errors.New(msg)
}
