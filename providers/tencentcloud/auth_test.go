package tencentcloud_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/tencentcloud"
	"github.com/ddns-operator/ddns-operator/providers/tencentcloud/tencentcloudfake"
)

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }

// rewrite is a transport that changes a signed request before sending it.
type rewrite func(*http.Request)

func (f rewrite) RoundTrip(r *http.Request) (*http.Response, error) {
	f(r)
	return http.DefaultTransport.RoundTrip(r)
}

func withTransport(fake *tencentcloudfake.Fake, id, key string, rt http.RoundTripper) providers.Provider {
	return tencentcloud.New(providers.Env{Endpoint: fake.URL, HTTPClient: &http.Client{Transport: rt, Timeout: 5 * time.Second}},
		tencentcloud.Credentials{SecretID: id, SecretKey: key}, nil)
}

// wantCode checks an error's kind and provider code.
func wantCode(t *testing.T, err error, kind providers.Kind, code string) {
	t.Helper()
	var pe *providers.Error
	if !errors.As(err, &pe) || pe.Kind != kind || pe.Code != code {
		t.Fatalf("error %v, want kind %s code %s", err, kind, code)
	}
	noSecrets(t, err.Error(), tencentcloudfake.SecretKey, "wrong-secret-key")
}

// The fake recomputes TC3-HMAC-SHA256 and answers as the API does.
func TestFakeAuthentication(t *testing.T) {
	ctx := t.Context()
	fake := tencentcloudfake.New(t, "example.com")
	_, err := build(t, fake, tencentcloudfake.SecretID, "wrong-secret-key", nil).FindZone(ctx, "example.com", "")
	wantCode(t, err, providers.KindAuth, "AuthFailure.SignatureFailure")

	_, err = build(t, fake, "AKIDunknownSecretId", tencentcloudfake.SecretKey, nil).FindZone(ctx, "example.com", "")
	wantCode(t, err, providers.KindAuth, "AuthFailure.SecretIdNotFound")

	// A body changed after signing no longer matches the signature.
	tamper := rewrite(func(r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		b = bytes.Replace(b, []byte(`"Limit":3000`), []byte(`"Limit":2999`), 1)
		r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
	})
	_, err = withTransport(fake, tencentcloudfake.SecretID, tencentcloudfake.SecretKey, tamper).FindZone(ctx, "example.com", "")
	wantCode(t, err, providers.KindAuth, "AuthFailure.SignatureFailure")

	// So does a changed signed header.
	host := rewrite(func(r *http.Request) { r.Header.Set("Content-Type", "application/json; charset=utf-8") })
	_, err = withTransport(fake, tencentcloudfake.SecretID, tencentcloudfake.SecretKey, host).FindZone(ctx, "example.com", "")
	wantCode(t, err, providers.KindAuth, "AuthFailure.SignatureFailure")

	// A timestamp more than five minutes off is expired.
	old := rewrite(func(r *http.Request) {
		// The SDK sets the header under its non-canonical name.
		delete(r.Header, "X-TC-Timestamp")
		r.Header.Set("X-TC-Timestamp", strconv.FormatInt(time.Now().Add(-10*time.Minute).Unix(), 10))
	})
	_, err = withTransport(fake, tencentcloudfake.SecretID, tencentcloudfake.SecretKey, old).FindZone(ctx, "example.com", "")
	wantCode(t, err, providers.KindAuth, "AuthFailure.SignatureExpire")

	// No Authorization at all.
	none := rewrite(func(r *http.Request) { r.Header.Del("Authorization") })
	_, err = withTransport(fake, tencentcloudfake.SecretID, tencentcloudfake.SecretKey, none).FindZone(ctx, "example.com", "")
	wantCode(t, err, providers.KindAuth, "AuthFailure.InvalidAuthorization")

	if fake.Served() != 0 {
		t.Errorf("%d unauthenticated requests were served", fake.Served())
	}
	// A second key pair works once the fake knows it.
	fake.AddKey("AKIDsecondKey", "second-secret")
	if _, err := build(t, fake, "AKIDsecondKey", "second-secret", nil).FindZone(ctx, "example.com", ""); err != nil {
		t.Fatalf("second key: %v", err)
	}
}

// Failures below the API (HTTP errors, garbage, a closed server) are
// transient and say nothing of the request.
func TestTransportFailures(t *testing.T) {
	ctx := t.Context()
	for _, tc := range []struct {
		name    string
		handler http.HandlerFunc
		code    string
	}{
		{"bad gateway", func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(http.StatusBadGateway)
			_, _ = w.Write([]byte(`{"message": "upstream ` + tencentcloudfake.SecretKey + `"}`))
		}, "ClientError.HttpStatusCodeError"},
		{"bad gateway with a page", func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "<html>upstream "+tencentcloudfake.SecretKey+"</html>", http.StatusBadGateway)
		}, "ClientError.ParseJsonError"},
		{"not JSON", func(w http.ResponseWriter, _ *http.Request) {
			_, _ = w.Write([]byte("<html>" + tencentcloudfake.SecretKey + "</html>"))
		}, "ClientError.ParseJsonError"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(tc.handler)
			defer srv.Close()
			p := tencentcloud.New(providers.Env{Endpoint: srv.URL},
				tencentcloud.Credentials{SecretID: tencentcloudfake.SecretID, SecretKey: tencentcloudfake.SecretKey}, nil)
			_, err := p.FindZone(ctx, "example.com", "")
			wantCode(t, err, providers.KindTransient, tc.code)
		})
	}
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	p := tencentcloud.New(providers.Env{Endpoint: url},
		tencentcloud.Credentials{SecretID: tencentcloudfake.SecretID, SecretKey: tencentcloudfake.SecretKey}, nil)
	_, err := p.FindZone(ctx, "example.com", "")
	wantCode(t, err, providers.KindTransient, "ClientError.NetworkError")
	if strings.Contains(err.Error(), strings.TrimPrefix(url, "http://")) {
		t.Errorf("network error %q repeats the endpoint", err)
	}
}
