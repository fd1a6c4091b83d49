package callback

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// Variables are the names a template may use as #{name}, as ddns-go's
// callback offers them.
var Variables = []string{"ip", "domain", "recordType", "ttl", "ipv4Addr", "ipv6Addr", "timestamp"}

// variable matches #{name}.
var variable = regexp.MustCompile(`#\{([^}]*)\}`)

// Values are what a request's variables stand for.
type Values map[string]string

// segment is a piece of a template: literal text, or a variable in a
// JSON string (escaped for JSON) or elsewhere.
type segment struct {
	text     string
	variable string
	inString bool
}

// template is a parsed URL or body template.
type template struct {
	segs []segment
	json bool // a body that is JSON: escaped for JSON, sent as JSON
}

// parse splits s into literals and variables, refusing a variable that
// is not one of Variables (the key names it in the error).
func parse(s string) (template, error) {
	var t template
	last := 0
	for _, m := range variable.FindAllStringSubmatchIndex(s, -1) {
		name := s[m[2]:m[3]]
		if !slices.Contains(Variables, name) {
			return t, fmt.Errorf("#{%s} is not a variable; the variables are #{%s}", name, strings.Join(Variables, "}, #{"))
		}
		if m[0] > last {
			t.segs = append(t.segs, segment{text: s[last:m[0]]})
		}
		t.segs = append(t.segs, segment{variable: name})
		last = m[1]
	}
	if last < len(s) {
		t.segs = append(t.segs, segment{text: s[last:]})
	}
	return t, nil
}

// parseBody parses a body template. A body that starts like JSON ({ or [)
// is JSON: each variable is marked as inside a JSON string or not, so its
// value is escaped for JSON there and written as it is elsewhere (a
// number, as #{ttl}).
func parseBody(s string) (template, error) {
	t, err := parse(s)
	if err != nil {
		return t, err
	}
	trimmed := strings.TrimSpace(s)
	t.json = strings.HasPrefix(trimmed, "{") || strings.HasPrefix(trimmed, "[")
	if !t.json {
		return t, nil
	}
	inString, escaped := false, false
	for i := range t.segs {
		seg := &t.segs[i]
		if seg.variable != "" {
			seg.inString = inString
			continue
		}
		for _, c := range []byte(seg.text) {
			switch {
			case escaped:
				escaped = false
			case inString && c == '\\':
				escaped = true
			case c == '"':
				inString = !inString
			}
		}
	}
	return t, nil
}

// render fills the template: for a URL (and a form body) each value is
// escaped for a URL component, for a JSON body each value inside a string
// is escaped for JSON.
func (t template) render(v Values, forURL bool) string {
	var b strings.Builder
	for _, seg := range t.segs {
		switch {
		case seg.variable == "":
			b.WriteString(seg.text)
		case t.json && seg.inString:
			b.WriteString(jsonEscape(v[seg.variable]))
		case t.json:
			b.WriteString(v[seg.variable])
		case forURL:
			b.WriteString(urlEscape(v[seg.variable]))
		default:
			b.WriteString(v[seg.variable])
		}
	}
	return b.String()
}

// variables lists the template's variables, once each, in order.
func (t template) variables() []string {
	var out []string
	for _, seg := range t.segs {
		if seg.variable != "" && !slices.Contains(out, seg.variable) {
			out = append(out, seg.variable)
		}
	}
	return out
}

// urlEscape escapes a value for any part of a URL (path segment, query
// value): everything but unreserved characters, ':' (an IPv6 address
// stays readable, as in ddns-go's requests) and '*' (a wildcard name) is
// percent-encoded, so a value can never add a path, a parameter or a
// fragment.
func urlEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~:*", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// jsonEscape is s as the inside of a JSON string.
func jsonEscape(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	out := strings.TrimSuffix(b.String(), "\n")
	return out[1 : len(out)-1]
}

// Samples are the values templates are checked with: every variable of
// both address families, so a template that only works for one is
// refused before it is used.
var samples = []Values{
	{"ip": "203.0.113.7", "domain": "home.example.com", "recordType": "A", "ttl": "600", "ipv4Addr": "203.0.113.7", "ipv6Addr": "", "timestamp": "1764504000"},
	{"ip": "2001:db8::7", "domain": "*.example.com", "recordType": "AAAA", "ttl": "600", "ipv4Addr": "", "ipv6Addr": "2001:db8::7", "timestamp": "1764504000"},
}

// checkURL reports why t does not make a valid http(s) URL, naming the
// variables whose values break it.
func checkURL(t template) error {
	for _, v := range samples {
		if urlProblem(t.render(v, true)) == "" {
			continue
		}
		plain := Values{}
		for _, name := range Variables {
			plain[name] = "1"
		}
		if why := urlProblem(t.render(plain, true)); why != "" {
			return fmt.Errorf("it is not a valid URL: %s", why)
		}
		var culprits []string
		for _, name := range t.variables() {
			one := Values{}
			for k := range plain {
				one[k] = plain[k]
			}
			one[name] = v[name]
			if urlProblem(t.render(one, true)) != "" {
				culprits = append(culprits, "#{"+name+"}")
			}
		}
		return fmt.Errorf("it is no valid URL when %s holds %s (a %s record): %s", strings.Join(culprits, ", "), quoteValues(v, culprits), v["recordType"], urlProblem(t.render(v, true)))
	}
	return nil
}

// urlProblem says what is wrong with raw as a request URL, or "".
func urlProblem(raw string) string {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		var ue *url.Error
		if errors.As(err, &ue) {
			return ue.Err.Error()
		}
		return "it does not parse"
	case u.Scheme != "http" && u.Scheme != "https":
		return "the scheme must be http or https"
	case u.Host == "" || u.Hostname() == "":
		return "it names no host"
	}
	return ""
}

// outside reports whether the variable name stands outside a JSON string
// somewhere in t.
func (t template) outside(name string) bool {
	for _, seg := range t.segs {
		if seg.variable == name && !seg.inString {
			return true
		}
	}
	return false
}

// checkBody reports why a JSON body template does not make valid JSON,
// naming the variables that stand outside a string.
func checkBody(t template) error {
	if !t.json {
		return nil
	}
	for _, v := range samples {
		out := t.render(v, false)
		if json.Valid([]byte(out)) {
			continue
		}
		// A variable outside a string is at fault when its value alone
		// breaks the JSON (the others standing for a number).
		var culprits []string
		for _, name := range t.variables() {
			one := Values{}
			for _, n := range Variables {
				one[n] = "0"
			}
			one[name] = v[name]
			if !json.Valid([]byte(t.render(one, false))) && t.outside(name) {
				culprits = append(culprits, "#{"+name+"}")
			}
		}
		if len(culprits) > 0 {
			return fmt.Errorf("it is JSON, and is no valid JSON when %s holds %s: put %s inside quotes (only #{ttl} and #{timestamp} are numbers)", strings.Join(culprits, ", "), quoteValues(v, culprits), strings.Join(culprits, ", "))
		}
		var syn *json.SyntaxError
		if err := json.Unmarshal([]byte(out), new(any)); errors.As(err, &syn) {
			return fmt.Errorf("it starts like JSON but is not valid JSON: %s at byte %d", syn.Error(), syn.Offset)
		}
		return fmt.Errorf("it starts like JSON but is not valid JSON")
	}
	return nil
}

// quoteValues shows the sample values of the named variables.
func quoteValues(v Values, names []string) string {
	var out []string
	for _, n := range names {
		out = append(out, fmt.Sprintf("%q", v[strings.TrimSuffix(strings.TrimPrefix(n, "#{"), "}")]))
	}
	return strings.Join(out, ", ")
}
