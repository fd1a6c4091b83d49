package controllers

import (
	"errors"
	"sort"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
)

// minSecretLen is the shortest Secret value scrubbed from messages; shorter
// values ("1", "true") would blank out ordinary words.
const minSecretLen = 6

// valuesToScrub lists the Secret's values worth scrubbing, longest first so
// a value that contains another is replaced whole.
func valuesToScrub(data map[string][]byte) []string {
	var out []string
	for _, v := range data {
		if s := strings.TrimSpace(string(v)); len(s) >= minSecretLen {
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	return out
}

// scrub replaces every secret value in s.
func scrub(s string, secrets []string) string {
	for _, v := range secrets {
		s = strings.ReplaceAll(s, v, "[redacted]")
	}
	return s
}

// redactError returns err with every secret value removed from its text,
// keeping its kind and, for errors.Is, its chain. Providers already build
// safe messages; this is the second line of defence, in one place for every
// provider (account.call runs it on every error), whatever an SDK echoes.
func redactError(err error, secrets []string) error {
	if err == nil || scrub(err.Error(), secrets) == err.Error() {
		return err
	}
	var pe *providers.Error
	if errors.As(err, &pe) {
		c := *pe
		c.Message, c.Code = scrub(pe.Message, secrets), scrub(pe.Code, secrets)
		if c.Message == "" {
			c.Message = scrub(err.Error(), secrets)
		}
		return &c
	}
	return &providers.Error{Kind: providers.KindTransient, Message: scrub(err.Error(), secrets), Err: err}
}
