package dnspod

import (
	"context"

	"github.com/ddns-operator/ddns-operator/providers"
)

// listLength is the page the provider asks for: the reference's forced
// page of Domain.List and Record.List ("超过了3000...只返回前3000条").
const listLength = 3000

// FindZone returns the domain that holds fqdn: the domain named hint when
// hint is set, else the longest suffix of fqdn among every domain of the
// account (Domain.List, type all: the account's own and shared domains).
func (p *Provider) FindZone(ctx context.Context, fqdn, hint string) (providers.Zone, error) {
	zones, err := p.zones(ctx)
	if err != nil {
		return providers.Zone{}, err
	}
	fqdn = providers.CanonicalName(fqdn)
	if hint != "" {
		hint = providers.CanonicalName(hint)
		for _, z := range zones {
			if z.Name != hint {
				continue
			}
			if _, ok := providers.LongestSuffixZone(fqdn, []providers.Zone{z}); !ok {
				return providers.Zone{}, providers.Errorf(providers.KindZoneNotFound, "", "dnspod: %s is not a name in domain %s", fqdn, hint)
			}
			return z, nil
		}
		return providers.Zone{}, providers.Errorf(providers.KindZoneNotFound, "", "dnspod: the account has no domain %s", hint)
	}
	if z, ok := providers.LongestSuffixZone(fqdn, zones); ok {
		return z, nil
	}
	return providers.Zone{}, providers.Errorf(providers.KindZoneNotFound, "", "dnspod: no domain of the account holds %s", fqdn)
}

// zones lists every domain of the account, page by page. A domain's name is
// its punycode form, the ASCII name the spec uses.
func (p *Provider) zones(ctx context.Context) ([]providers.Zone, error) {
	var zones []providers.Zone
	offset := 0
	guard := providers.NewPageGuard("dnspod: list domains")
	for {
		resp, err := p.api.DomainList(ctx, offset, listLength)
		if err != nil {
			if codeOf(err) == codeNoDomains {
				break // "9 没有任何域名": only without error_on_empty=no
			}
			return nil, err
		}
		for _, d := range resp.Domains {
			name := d.Punycode
			if name == "" {
				name = d.Name
			}
			zones = append(zones, providers.Zone{ID: string(d.ID), Name: providers.CanonicalName(name)})
		}
		offset += len(resp.Domains)
		if lastPage(len(resp.Domains), offset, resp.Info.DomainTotal.int()) {
			return zones, nil
		}
		ids := make([]string, 0, len(resp.Domains))
		for _, d := range resp.Domains {
			ids = append(ids, string(d.ID))
		}
		if err := guard.Page(ids); err != nil {
			return nil, err
		}
	}
	return zones, nil
}

// lastPage reports whether a listing is complete after a page of n entries
// ending at offset, given the total the answer announced (0 when it
// announced none).
func lastPage(n, offset, total int) bool {
	switch {
	case n == 0:
		return true
	case total > 0:
		return offset >= total
	default:
		return n < listLength
	}
}
