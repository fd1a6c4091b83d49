package webhook

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
)

// domainFilter is the domain filter a webhook announces in its
// negotiation answer, with external-dns's matching rules
// (endpoint/domain_filter.go, v0.23.0): a list of domains to include and
// to exclude, where "example.com" matches itself and every name under it
// and ".example.com" only names under it, or instead a regular expression
// to include and one to exclude. An empty filter matches every name.
type domainFilter struct {
	Include      []string `json:"include,omitempty"`
	Exclude      []string `json:"exclude,omitempty"`
	RegexInclude string   `json:"regexInclude,omitempty"`
	RegexExclude string   `json:"regexExclude,omitempty"`

	include, exclude *regexp.Regexp
}

// parseFilter decodes a negotiation answer.
func parseFilter(body []byte) (*domainFilter, error) {
	var f domainFilter
	if err := json.Unmarshal(body, &f); err != nil {
		return nil, fmt.Errorf("the domain filter does not decode: %w", err)
	}
	if (f.RegexInclude != "" || f.RegexExclude != "") && (len(f.Include) > 0 || len(f.Exclude) > 0) {
		return nil, fmt.Errorf("the domain filter has both a domain list and a regular expression")
	}
	var err error
	if f.RegexInclude != "" {
		if f.include, err = regexp.Compile(f.RegexInclude); err != nil {
			return nil, fmt.Errorf("the domain filter's regexInclude does not compile: %w", err)
		}
	}
	if f.RegexExclude != "" {
		if f.exclude, err = regexp.Compile(f.RegexExclude); err != nil {
			return nil, fmt.Errorf("the domain filter's regexExclude does not compile: %w", err)
		}
	}
	f.Include, f.Exclude = normalize(f.Include), normalize(f.Exclude)
	return &f, nil
}

func normalize(list []string) []string {
	var out []string
	for _, d := range list {
		if d = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(d)), "."); d != "" {
			out = append(out, d)
		}
	}
	return out
}

// Match reports whether the webhook manages name.
func (f *domainFilter) Match(name string) bool {
	name = providers.CanonicalName(name)
	if f.include != nil || f.exclude != nil {
		if f.exclude != nil && f.exclude.MatchString(name) {
			return false
		}
		return f.include == nil || f.include.MatchString(name)
	}
	return matchList(f.Include, name, true) && !matchList(f.Exclude, name, false)
}

// matchList matches name against a domain list; empty is ifEmpty.
func matchList(list []string, name string, ifEmpty bool) bool {
	if len(list) == 0 {
		return ifEmpty
	}
	for _, d := range list {
		switch {
		case strings.HasPrefix(d, ".") && strings.HasSuffix(name, d):
			return true
		case name == d, strings.HasSuffix(name, "."+d):
			return true
		}
	}
	return false
}

// zoneOf is the longest domain of the include list that holds name, or
// "" when the filter lists none (then the webhook names no zones).
func (f *domainFilter) zoneOf(name string) string {
	name = providers.CanonicalName(name)
	best := ""
	for _, d := range f.Include {
		d = strings.TrimPrefix(d, ".")
		if (name == d || strings.HasSuffix(name, "."+d)) && len(d) > len(best) {
			best = d
		}
	}
	return best
}

// String shows the filter as a user wrote it for the webhook, for
// messages that name it.
func (f *domainFilter) String() string {
	switch {
	case f.RegexInclude != "" || f.RegexExclude != "":
		return fmt.Sprintf("regexInclude %q, regexExclude %q", f.RegexInclude, f.RegexExclude)
	case len(f.Include) == 0 && len(f.Exclude) == 0:
		return "(empty: every name)"
	case len(f.Exclude) == 0:
		return "include [" + strings.Join(f.Include, ", ") + "]"
	}
	return "include [" + strings.Join(f.Include, ", ") + "], exclude [" + strings.Join(f.Exclude, ", ") + "]"
}
