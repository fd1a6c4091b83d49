package cloudns

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/ddns-operator/ddns-operator/providers"
)

// refusal classifies the statusDescription of a Failed answer. ClouDNS
// documents the authentication failures ("Invalid authentication,
// incorrect auth-id or auth-password.", and the sub-user's variant); the
// others are told apart by their words ("Invalid record-id param.",
// "Missing domain-name", "Invalid TTL. Choose from the list of the values
// we support."). password is scrubbed should it be echoed.
func refusal(op, desc, password string) *providers.Error {
	if password != "" {
		desc = strings.ReplaceAll(desc, password, "[redacted]")
	}
	if desc == "" {
		desc = "request refused"
	}
	lower := strings.ToLower(desc)
	switch {
	case strings.Contains(lower, "authentication"):
		return providers.Errorf(providers.KindAuth, "", "%s: %s (check the Secret's %s, %s or %s and %s; an API user may also be limited to some IP addresses)", op, desc, AuthIDKey, SubAuthIDKey, SubAuthUserKey, PasswordKey)
	case strings.Contains(lower, "rate limit") || strings.Contains(lower, "too many") || strings.Contains(lower, "per second"):
		return providers.RateLimited("", op+": "+desc, 0)
	case strings.Contains(lower, "record-id"):
		return providers.Errorf(providers.KindNotFound, "", "%s: %s", op, desc)
	case strings.Contains(lower, "domain-name") || strings.Contains(lower, "zone") && (strings.Contains(lower, "not found") || strings.Contains(lower, "does not exist")):
		return providers.Errorf(providers.KindZoneNotFound, "", "%s: %s", op, desc)
	}
	return providers.Errorf(providers.KindInvalid, "", "%s: %s", op, desc)
}

// ttlError adds the TTLs the zone takes to a refused write that names
// its TTL as the reason.
func (a *api) ttlError(ctx context.Context, err error, zone providers.Zone) error {
	var pe *providers.Error
	if !errors.As(err, &pe) || pe.Kind != providers.KindInvalid || !strings.Contains(strings.ToLower(pe.Message), "ttl") {
		return err
	}
	var ttls []json32
	if a.call(ctx, "get-available-ttl", url.Values{"domain-name": {zone.Name}}, &ttls) != nil || len(ttls) == 0 {
		return err
	}
	list := make([]string, 0, len(ttls))
	for _, t := range ttls {
		list = append(list, fmt.Sprint(int(t)))
	}
	out := *pe
	out.Message += " (ClouDNS takes only these TTLs for " + zone.Name + ": " + strings.Join(list, ", ") + " seconds)"
	return &out
}
