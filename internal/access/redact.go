package access

import (
	"errors"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
)

// scrub replaces every secret value in s.
func scrub(s string, secrets []string) string {
	for _, v := range secrets {
		s = strings.ReplaceAll(s, v, "[redacted]")
	}
	return s
}

// redactError returns err with every secret value (the credential values
// of the Secret, as the provider's descriptor declares them) removed from
// its text, keeping its kind and, for errors.Is, its chain. Providers
// already build safe messages; this is the second line of defence, in one
// place for every provider (Account.call runs it on every error), whatever
// an SDK echoes.
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
