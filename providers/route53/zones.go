package route53

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	r53 "github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"

	"github.com/ddns-operator/ddns-operator/providers"
)

// FindZone returns the hosted zone that holds fqdn: the one
// spec.route53.hostedZoneID names (GetHostedZone), else, among the
// account's public hosted zones (private ones with
// spec.route53.privateZone), the one named hint, or the longest suffix of
// fqdn, from every page of ListHostedZones. The Zone's ID is the hosted
// zone's ID without its /hostedzone/ prefix.
func (p *Provider) FindZone(ctx context.Context, fqdn, hint string) (providers.Zone, error) {
	fqdn = providers.CanonicalName(fqdn)
	hint = providers.CanonicalName(hint)
	if hint != "" && fqdn != hint && !strings.HasSuffix(fqdn, "."+hint) {
		return providers.Zone{}, providers.Errorf(providers.KindZoneNotFound, "", "zone %q does not hold %q", hint, fqdn)
	}
	if p.hostedZoneID != "" {
		return p.zoneByID(ctx, fqdn, hint)
	}
	var zones []providers.Zone
	other := 0 // zones of the other visibility that would hold the name
	var marker *string
	guard := providers.NewPageGuard("list hosted zones")
	for {
		out, err := p.api.ListHostedZones(ctx, &r53.ListHostedZonesInput{Marker: marker, MaxItems: aws.Int32(100)})
		if err != nil {
			return providers.Zone{}, p.mapError("list hosted zones", err)
		}
		if out.MaxItems == nil {
			// Every ListHostedZonesResponse says MaxItems; the SDK decodes
			// an empty or foreign body (a proxy's page) to an empty answer.
			return providers.Zone{}, providers.Undecodable("list hosted zones", http.StatusOK)
		}
		ids := make([]string, 0, len(out.HostedZones))
		for _, hz := range out.HostedZones {
			z := toZone(hz)
			ids = append(ids, z.ID)
			if isPrivate(hz) != p.private {
				if _, holds := providers.LongestSuffixZone(fqdn, []providers.Zone{z}); holds {
					other++
				}
				continue
			}
			zones = append(zones, z)
		}
		if !out.IsTruncated || out.NextMarker == nil || len(ids) == 0 {
			break
		}
		if err := guard.Page(ids); err != nil {
			return providers.Zone{}, err
		}
		marker = out.NextMarker
	}
	if hint != "" {
		for _, z := range zones {
			if z.Name == hint {
				return z, nil
			}
		}
		return providers.Zone{}, p.noZone(hint, other)
	}
	z, ok := providers.LongestSuffixZone(fqdn, zones)
	if !ok {
		return providers.Zone{}, p.noZone(fqdn, other)
	}
	return z, nil
}

// zoneByID reads the hosted zone spec.route53.hostedZoneID names and
// checks it holds fqdn (and is named hint, when set).
func (p *Provider) zoneByID(ctx context.Context, fqdn, hint string) (providers.Zone, error) {
	out, err := p.api.GetHostedZone(ctx, &r53.GetHostedZoneInput{Id: aws.String(p.hostedZoneID)})
	if err != nil {
		return providers.Zone{}, p.mapError("read hosted zone "+p.hostedZoneID, err)
	}
	if out.HostedZone == nil {
		return providers.Zone{}, providers.Errorf(providers.KindTransient, "", "read hosted zone %s: the answer holds no zone", p.hostedZoneID)
	}
	z := toZone(*out.HostedZone)
	if _, holds := providers.LongestSuffixZone(fqdn, []providers.Zone{z}); !holds || (hint != "" && hint != z.Name) {
		return providers.Zone{}, providers.Errorf(providers.KindZoneNotFound, "", "hosted zone %s (spec.route53.hostedZoneID) is %q, which does not hold %q", p.hostedZoneID, z.Name, fqdn)
	}
	return z, nil
}

// noZone says no hosted zone of the wanted visibility holds name, and when
// one of the other does, how to use it.
func (p *Provider) noZone(name string, other int) error {
	want, alt, how := "public", "private", "set spec.route53.privateZone: true, or spec.route53.hostedZoneID"
	if p.private {
		want, alt, how = "private", "public", "leave spec.route53.privateZone unset"
	}
	msg := fmt.Sprintf("no %s hosted zone of the account (%s) holds %q", want, p.source, name)
	if other > 0 {
		msg += fmt.Sprintf("; a %s one does (%s to use it)", alt, how)
	}
	return providers.Errorf(providers.KindZoneNotFound, "", "%s", msg)
}

func toZone(hz types.HostedZone) providers.Zone {
	return providers.Zone{ID: strings.TrimPrefix(aws.ToString(hz.Id), "/hostedzone/"), Name: decodeName(aws.ToString(hz.Name))}
}

func isPrivate(hz types.HostedZone) bool { return hz.Config != nil && hz.Config.PrivateZone }

// decodeName turns a name as Route 53 returns it (lowercase, a trailing
// dot, and octal escapes such as \052 for '*') into the canonical form.
func decodeName(s string) string {
	if !strings.Contains(s, `\`) {
		return providers.CanonicalName(s)
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+4 <= len(s) && isOctal(s[i+1:i+4]) {
			b.WriteByte((s[i+1]-'0')<<6 | (s[i+2]-'0')<<3 | (s[i+3] - '0'))
			i += 3
			continue
		}
		b.WriteByte(s[i])
	}
	return providers.CanonicalName(b.String())
}

func isOctal(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if s[i] < '0' || s[i] > '7' {
			return false
		}
	}
	return true
}
