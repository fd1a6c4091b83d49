package controllers

import (
	"context"
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

// redacting wraps a Provider so that no error it returns can carry a value
// of the record's Secret into a log, event or condition, whatever an SDK
// echoes back. Providers already build safe messages; this is the second
// line of defence, in one place for every provider.
type redacting struct {
	p       providers.Provider
	secrets []string
}

func redact(p providers.Provider, secrets []string) providers.Provider {
	if len(secrets) == 0 {
		return p
	}
	return &redacting{p: p, secrets: secrets}
}

// clean returns err with every secret value removed from its text, keeping
// its kind and, for errors.Is, its chain.
func (r *redacting) clean(err error) error {
	return redactError(err, r.secrets)
}

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

func (r *redacting) FindZone(ctx context.Context, fqdn, hint string) (providers.Zone, error) {
	z, err := r.p.FindZone(ctx, fqdn, hint)
	return z, r.clean(err)
}

func (r *redacting) ListRecords(ctx context.Context, zone providers.Zone, name, typ string) ([]providers.Record, error) {
	rs, err := r.p.ListRecords(ctx, zone, name, typ)
	return rs, r.clean(err)
}

func (r *redacting) CreateRecord(ctx context.Context, zone providers.Zone, rec providers.Record) (providers.Record, error) {
	out, err := r.p.CreateRecord(ctx, zone, rec)
	return out, r.clean(err)
}

func (r *redacting) UpdateRecord(ctx context.Context, zone providers.Zone, rec providers.Record) (providers.Record, error) {
	out, err := r.p.UpdateRecord(ctx, zone, rec)
	return out, r.clean(err)
}

func (r *redacting) DeleteRecord(ctx context.Context, zone providers.Zone, rec providers.Record) error {
	return r.clean(r.p.DeleteRecord(ctx, zone, rec))
}
