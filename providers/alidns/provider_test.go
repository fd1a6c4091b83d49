package alidns_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"

	"github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/alidns"
	"github.com/ddns-operator/ddns-operator/providers/alidns/alidnsfake"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

var ctx = context.Background()

func lineSpec(line string) *v1alpha1.DynamicDNSRecordSpec {
	return &v1alpha1.DynamicDNSRecordSpec{Domain: "home.example.com", Provider: "alidns", Alidns: &v1alpha1.AlidnsOptions{Line: line}}
}

func zoneOf(t *testing.T, p providers.Provider, name string) providers.Zone {
	t.Helper()
	z, err := p.FindZone(ctx, name, name)
	if err != nil {
		t.Fatalf("FindZone(%s): %v", name, err)
	}
	return z
}

func TestUpdateKeepsProviderSideSettings(t *testing.T) {
	f := alidnsfake.New(t, "example.com")
	mine := f.SeedRec("example.com", alidnsfake.Record{Name: "home", Type: "A", Value: "81.2.69.160", TTL: 1200, Marker: "set by hand", X: alidnsfake.Extra{Line: "telecom", Status: "DISABLE"}})
	other := f.SeedRec("example.com", alidnsfake.Record{Name: "home", Type: "A", Value: "81.2.69.170", TTL: 600, Marker: "other line", X: alidnsfake.Extra{Line: "default"}})
	p := newProvider(t, f, goodSecret(), lineSpec("telecom"))
	z := zoneOf(t, p, "example.com")

	got, err := p.ListRecords(ctx, z, "home.example.com", "A")
	if err != nil || len(got) != 1 || got[0].ID != mine.ID {
		t.Fatalf("ListRecords on line telecom = %+v, %v; want only record %s", got, err, mine.ID)
	}
	upd, err := p.UpdateRecord(ctx, z, providers.Record{ID: mine.ID, Name: "home.example.com", Type: "A", Value: "81.2.69.161"})
	if err != nil {
		t.Fatalf("UpdateRecord: %v", err)
	}
	if upd.TTL != 1200 || upd.Value != "81.2.69.161" {
		t.Fatalf("UpdateRecord returned %+v, want the new value and the kept TTL 1200", upd)
	}
	after, _ := f.Get(mine.ID)
	want := mine
	want.Value = "81.2.69.161"
	if after != want {
		t.Fatalf("after update the record is %+v, want %+v (line, TTL, remark and status kept)", after, want)
	}
	if o, _ := f.Get(other.ID); o != other {
		t.Fatalf("the default-line record changed: %+v", o)
	}
}

func TestUpdateThatChangesNothingWritesNothing(t *testing.T) {
	f := alidnsfake.New(t, "example.com")
	r := f.Seed("example.com", providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: 600})
	p := newProvider(t, f, goodSecret(), nil)
	got, err := p.UpdateRecord(ctx, zoneOf(t, p, "example.com"), r)
	if err != nil || got != r {
		t.Fatalf("UpdateRecord = %+v, %v; want %+v", got, err, r)
	}
	if f.Writes() != 0 {
		t.Fatalf("a no-op update made %d writes", f.Writes())
	}
}

func TestCreateOnLineWithDefaultTTL(t *testing.T) {
	f := alidnsfake.New(t, "example.com")
	p := newProvider(t, f, goodSecret(), lineSpec("unicom"))
	got, err := p.CreateRecord(ctx, zoneOf(t, p, "example.com"), providers.Record{Name: "Home.Example.com.", Type: "AAAA", Value: "2a02:02e0:03fe:1001:0302::1"})
	if err != nil {
		t.Fatalf("CreateRecord: %v", err)
	}
	if got.TTL != 600 || got.Name != "home.example.com" || got.Value != "2a02:2e0:3fe:1001:302::1" {
		t.Fatalf("CreateRecord returned %+v", got)
	}
	stored, _ := f.Get(got.ID)
	if stored.X.Line != "unicom" || stored.TTL != 600 || stored.Name != "home.example.com" {
		t.Fatalf("stored %+v, want line unicom, TTL 600, name home.example.com", stored)
	}
}

func TestCreateDuplicateReturnsTheExistingRecord(t *testing.T) {
	f := alidnsfake.New(t, "example.com")
	r := f.Seed("example.com", providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: 900})
	p := newProvider(t, f, goodSecret(), nil)
	got, err := p.CreateRecord(ctx, zoneOf(t, p, "example.com"), providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: 600})
	if err != nil || got.ID != r.ID {
		t.Fatalf("CreateRecord of an existing record = %+v, %v; want record %s", got, err, r.ID)
	}
}

func TestRecordErrors(t *testing.T) {
	f := alidnsfake.New(t, "example.com")
	p := newProvider(t, f, goodSecret(), nil)
	z := zoneOf(t, p, "example.com")
	_, err := p.UpdateRecord(ctx, z, providers.Record{ID: "4242", Name: "home.example.com", Type: "A", Value: "81.2.69.160"})
	wantCode(t, err, providers.KindNotFound, "DomainRecordNotBelongToUser")

	r := f.Seed("example.com", providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: 600})
	_, err = p.UpdateRecord(ctx, z, providers.Record{ID: r.ID, Name: r.Name, Type: "A", Value: "81.2.69.161", TTL: 60})
	wantCode(t, err, providers.KindInvalid, "QuotaExceeded.TTL")
	if !strings.Contains(err.Error(), "600") {
		t.Fatalf("error %q does not name the minimum TTL", err)
	}
	_, err = p.CreateRecord(ctx, providers.Zone{ID: "gone.example", Name: "gone.example"}, providers.Record{Name: "a.gone.example", Type: "A", Value: "81.2.69.160"})
	wantCode(t, err, providers.KindZoneNotFound, "InvalidDomainName.NoExist")
	_, err = p.ListRecords(ctx, providers.Zone{ID: "gone.example", Name: "gone.example"}, "a.gone.example", "A")
	wantCode(t, err, providers.KindZoneNotFound, "IncorrectDomainUser")
}

func TestAuthenticationErrors(t *testing.T) {
	f := alidnsfake.New(t, "example.com")
	secret := func(id, key, token string) map[string][]byte {
		s := map[string][]byte{alidns.KeyAccessKeyID: []byte(id), alidns.KeyAccessKeySecret: []byte(key)}
		if token != "" {
			s[alidns.KeySecurityToken] = []byte(token)
		}
		return s
	}
	for _, tc := range []struct {
		name   string
		secret map[string][]byte
		code   string
	}{
		{"unknown key id", secret("LTAI5tNoSuchKey", alidnsfake.AccessKeySecret, ""), "InvalidAccessKeyId.NotFound"},
		{"wrong secret", secret(alidnsfake.AccessKeyID, "not-the-secret", ""), "SignatureDoesNotMatch"},
		{"sts without token", secret(alidnsfake.STSAccessKeyID, alidnsfake.STSAccessKeySecret, ""), "MissingSecurityToken"},
		{"sts with a wrong token", secret(alidnsfake.STSAccessKeyID, alidnsfake.STSAccessKeySecret, "CAISwrong"), "InvalidSecurityToken.Mismatch"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := newProvider(t, f, tc.secret, nil).FindZone(ctx, "home.example.com", "")
			wantCode(t, err, providers.KindAuth, tc.code)
		})
	}
	t.Run("sts token accepted", func(t *testing.T) {
		p := newProvider(t, f, secret(alidnsfake.STSAccessKeyID, alidnsfake.STSAccessKeySecret, alidnsfake.SecurityToken), nil)
		if _, err := p.FindZone(ctx, "home.example.com", ""); err != nil {
			t.Fatalf("FindZone with STS credentials: %v", err)
		}
	})
	t.Run("ram policy denies the action", func(t *testing.T) {
		f := alidnsfake.New(t, "example.com")
		f.Deny("AddDomainRecord")
		p := newProvider(t, f, goodSecret(), nil)
		_, err := p.CreateRecord(ctx, zoneOf(t, p, "example.com"), providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160"})
		wantCode(t, err, providers.KindAuth, "Forbidden.RAM")
	})
	t.Run("disabled key", func(t *testing.T) {
		f := alidnsfake.New(t, "example.com")
		f.DisableKey(alidnsfake.AccessKeyID)
		_, err := newProvider(t, f, goodSecret(), nil).FindZone(ctx, "example.com", "")
		wantCode(t, err, providers.KindAuth, "InvalidAccessKeyId.Inactive")
	})
}

// TestSignatureCoversTheRequest puts a proxy between the SDK and the fake:
// a changed parameter breaks the signature, a replayed request its nonce.
func TestSignatureCoversTheRequest(t *testing.T) {
	f := alidnsfake.New(t, "example.com")
	target, _ := url.Parse(f.URL)
	proxy := func(rewrite func(*http.Request)) *httptest.Server {
		rp := &httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(target)
			pr.Out.Host = pr.In.Host // as signed
			rewrite(pr.Out)
		}}
		s := httptest.NewServer(rp)
		t.Cleanup(s.Close)
		return s
	}
	tamper := proxy(func(r *http.Request) {
		q := r.URL.Query()
		if q.Get("Value") != "" {
			q.Set("Value", "203.0.113.66")
			r.URL.RawQuery = q.Encode()
		}
	})
	z := providers.Zone{ID: "example.com", Name: "example.com"}
	passThrough := proxy(func(*http.Request) {})
	p, err := alidns.Descriptor.New(providers.Env{Endpoint: passThrough.URL}, goodSecret(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.CreateRecord(ctx, z, providers.Record{Name: "ok.example.com", Type: "A", Value: "81.2.69.160"}); err != nil {
		t.Fatalf("through an unchanging proxy: %v", err)
	}
	p, _ = alidns.Descriptor.New(providers.Env{Endpoint: tamper.URL}, goodSecret(), nil)
	_, err = p.CreateRecord(ctx, z, providers.Record{Name: "home.example.com", Type: "A", Value: "81.2.69.160"})
	wantCode(t, err, providers.KindAuth, "SignatureDoesNotMatch")

	replay := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		for i := 0; i < 2; i++ {
			req, _ := http.NewRequest(r.Method, f.URL+r.URL.RequestURI(), strings.NewReader(string(body)))
			req.Header = r.Header.Clone()
			req.Host = r.Host
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if i == 1 {
				w.Header().Set("Content-Type", resp.Header.Get("Content-Type"))
				w.WriteHeader(resp.StatusCode)
				w.Write(b)
			}
		}
	}))
	t.Cleanup(replay.Close)
	p, _ = alidns.Descriptor.New(providers.Env{Endpoint: replay.URL}, goodSecret(), nil)
	_, err = p.FindZone(ctx, "example.com", "")
	wantCode(t, err, providers.KindTransient, "SignatureNonceUsed")
}

func TestGarbledAnswersAreTransient(t *testing.T) {
	for _, tc := range []struct {
		status int
		body   string
	}{{200, "<html>maintenance</html>"}, {502, "<html>bad gateway</html>"}, {200, ""}} {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(tc.status)
			fmt.Fprint(w, tc.body)
		}))
		p, _ := alidns.Descriptor.New(providers.Env{Endpoint: s.URL}, goodSecret(), nil)
		_, err := p.FindZone(ctx, "example.com", "")
		s.Close()
		if err == nil || providers.KindOf(err) != providers.KindTransient {
			t.Errorf("answer %d %q: error %v, want a transient error", tc.status, tc.body, err)
		}
	}
}

// TestNoErrorLeaksCredentials runs failing calls of every kind and checks
// that no error text, however printed, holds a credential value.
func TestNoErrorLeaksCredentials(t *testing.T) {
	f := alidnsfake.New(t, "example.com")
	wrong := map[string][]byte{alidns.KeyAccessKeyID: []byte(alidnsfake.AccessKeyID), alidns.KeyAccessKeySecret: []byte("WrongSecretValue987")}
	unknown := map[string][]byte{alidns.KeyAccessKeyID: []byte("LTAI5tUnknownKey42"), alidns.KeyAccessKeySecret: []byte(alidnsfake.AccessKeySecret)}
	sts := map[string][]byte{alidns.KeyAccessKeyID: []byte(alidnsfake.STSAccessKeyID), alidns.KeyAccessKeySecret: []byte(alidnsfake.STSAccessKeySecret), alidns.KeySecurityToken: []byte("CAISWrongTokenValue")}
	secrets := []string{alidnsfake.AccessKeyID, alidnsfake.AccessKeySecret, "WrongSecretValue987", "LTAI5tUnknownKey42", alidnsfake.STSAccessKeyID, alidnsfake.STSAccessKeySecret, "CAISWrongTokenValue", alidnsfake.SecurityToken}
	z := providers.Zone{ID: "example.com", Name: "example.com"}
	rec := providers.Record{ID: "1", Name: "home.example.com", Type: "A", Value: "81.2.69.160", TTL: 60}
	var errs []error
	for _, s := range []map[string][]byte{goodSecret(), wrong, unknown, sts} {
		p := newProvider(t, f, s, nil)
		_, err := p.FindZone(ctx, "home.example.com", "missing.example")
		errs = append(errs, err)
		_, err = p.CreateRecord(ctx, z, rec)
		errs = append(errs, err)
		_, err = p.UpdateRecord(ctx, z, rec)
		errs = append(errs, err)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		_, err = p.ListRecords(cctx, z, rec.Name, "A")
		errs = append(errs, err)
	}
	f.SetFault(providertest.FaultServerError)
	_, err := newProvider(t, f, goodSecret(), nil).ListRecords(ctx, z, rec.Name, "A")
	errs = append(errs, err)
	_, err = alidns.Descriptor.New(providers.Env{}, map[string][]byte{alidns.KeyAccessKeyID: []byte(alidnsfake.AccessKeyID), alidns.KeyAccessKeySecret: []byte(alidnsfake.AccessKeySecret + "\nx")}, nil)
	errs = append(errs, err)
	for _, err := range errs {
		if err == nil {
			t.Fatal("a failing call succeeded")
		}
		for _, text := range []string{err.Error(), fmt.Sprintf("%v %+v %#v", err, err, err)} {
			noLeak(t, text, secrets...)
		}
	}
}

func wantCode(t *testing.T, err error, k providers.Kind, code string) {
	t.Helper()
	var pe *providers.Error
	if !errors.As(err, &pe) {
		t.Fatalf("error %v is not a *providers.Error", err)
	}
	if pe.Kind != k || pe.Code != code {
		t.Fatalf("error %q: kind %s code %q, want %s %q", err, pe.Kind, pe.Code, k, code)
	}
}
