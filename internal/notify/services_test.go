package notify

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestParseGeneric: the generic webhook URL's keys configure the call as
// shoutrrr documents them and are taken out of the URL; other keys stay.
func TestParseGeneric(t *testing.T) {
	cases := []struct {
		name, url string
		want      genericWebhook
		err       string
	}{
		{name: "custom https URL keeps its query", url: "generic+https://hooks.example.com/h/9f8e?token=abc123&x=1",
			want: genericWebhook{url: "https://hooks.example.com/h/9f8e?token=abc123&x=1", method: "POST"}},
		{name: "generic:// is https", url: "generic://hooks.example.com/h",
			want: genericWebhook{url: "https://hooks.example.com/h", method: "POST"}},
		{name: "disabletls makes it http", url: "generic://hooks.example.com:8080/h?disabletls=yes",
			want: genericWebhook{url: "http://hooks.example.com:8080/h", method: "POST"}},
		{name: "json with title, keys, headers and extra fields",
			url: "generic+https://hooks.example.com/h?template=json&title=DDNS&titlekey=subject&messagekey=text&@authorization=Bearer+t0k3n&@xApiKey=k&$source=k3s&method=put",
			want: genericWebhook{url: "https://hooks.example.com/h", method: "PUT", json: true, title: "DDNS", titleKey: "subject", messageKey: "text",
				headers: map[string]string{"Authorization": "Bearer t0k3n", "X-Api-Key": "k"}, extra: map[string]string{"source": "k3s"}}},
		{name: "named template", url: "generic+https://hooks.example.com/h?template=mytemplate",
			err: `template "mytemplate" is not offered; leave it out to send the text as text/plain, or set template=json`},
		{name: "bad boolean", url: "generic://hooks.example.com/h?disabletls=maybe", err: `disabletls is "maybe"; want yes or no`},
		{name: "bad method", url: "generic://hooks.example.com/h?method=p0st", err: `method "p0st" is not an HTTP method`},
		{name: "other inner scheme", url: "generic+ftp://hooks.example.com/h", err: `the webhook's scheme is "ftp"; want generic+https:// or generic+http://`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := locate(tc.url)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			g := s.(*genericWebhook)
			if g.url != tc.want.url || g.method != tc.want.method || g.json != tc.want.json || g.title != tc.want.title {
				t.Errorf("got url %q method %q json %v title %q, want %q %q %v %q", g.url, g.method, g.json, g.title, tc.want.url, tc.want.method, tc.want.json, tc.want.title)
			}
			if tc.want.titleKey != "" && (g.titleKey != tc.want.titleKey || g.messageKey != tc.want.messageKey) {
				t.Errorf("keys %q %q", g.titleKey, g.messageKey)
			}
			for k, v := range tc.want.headers {
				if g.headers[k] != v {
					t.Errorf("header %s = %q, want %q (all: %v)", k, g.headers[k], v, g.headers)
				}
			}
			for k, v := range tc.want.extra {
				if g.extra[k] != v {
					t.Errorf("extra %s = %q, want %q", k, g.extra[k], v)
				}
			}
		})
	}
}

// TestGenericJSONRequest: template=json sends one JSON object with the
// message, the title, the extra fields and the headers asked for.
func TestGenericJSONRequest(t *testing.T) {
	var got map[string]string
	var header http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		header = r.Header
		b, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(b, &got); err != nil {
			t.Errorf("body %q: %v", b, err)
		}
	}))
	defer srv.Close()
	s, err := locate("generic+" + srv.URL + "/h?template=json&title=DDNS&$cluster=lab&@authorization=Bearer+t0k3n")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.send(context.Background(), "home.example.com is 81.2.69.160"); err != nil {
		t.Fatal(err)
	}
	if got["message"] != "home.example.com is 81.2.69.160" || got["title"] != "DDNS" || got["cluster"] != "lab" {
		t.Errorf("body %v", got)
	}
	if header.Get("Content-Type") != "application/json" || header.Get("Authorization") != "Bearer t0k3n" {
		t.Errorf("headers %v", header)
	}
}

// TestGenericAnswerIsTheError: a refused call says what the webhook
// answered.
func TestGenericAnswerIsTheError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no", http.StatusForbidden)
	}))
	defer srv.Close()
	s, err := locate("generic+" + srv.URL + "/h")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.send(context.Background(), "x"); err == nil || err.Error() != "the webhook answered 403 Forbidden" {
		t.Errorf("error %v", err)
	}
}

// TestUnknownServicesAreNamed: a scheme no service speaks, e-mail
// included, is refused with the list of services.
func TestUnknownServicesAreNamed(t *testing.T) {
	for url, want := range map[string]string{
		"smtp://user:pass@mail.example.com:587/?to=me@example.com": "e-mail (smtp://) is not offered",
		"carrierpigeon://coop/1":                                   `unknown service "carrierpigeon"; the services are bark, discord, generic,`,
		"logger://":                                                `unknown service "logger"`,
	} {
		_, err := locate(url)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", url, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "pass") {
			t.Errorf("%s: error %q quotes the URL", url, err)
		}
	}
}
