package notify

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// TestParseConfig accepts the chart's rendering and refuses mistakes,
// naming the field.
func TestParseConfig(t *testing.T) {
	cases := []struct {
		name string
		yaml string
		// want are substrings of the error; none means it parses.
		want []string
	}{
		{"everything", `
cluster: home-lab
failingAfter: 15m
coalesce: {quiet: 10s, maxDelay: 2m}
queueSize: 32
targets:
- name: telegram
  events: [AddressChanged, recordfailing]
- name: legacy
  format: ddns-go
  urlKey: legacy.url
  bodyKey: legacy.body
  headersKey: legacy.headers
  lang: zh
heartbeat: {urlKey: heartbeat}
`, nil},
		{"empty", ``, nil},
		{"misspelt key", "targets:\n- name: a\n  event: [AddressChanged]\n", []string{`unknown field "event"`}},
		{"unknown event", "targets:\n- name: a\n  events: [AddressMoved]\n", []string{"targets[0].events", "AddressMoved", "AddressChanged, RecordsUpdated, RecordFailing, RecordRecovered"}},
		{"name with capitals", "targets:\n- name: Telegram\n", []string{"targets[0].name", "lower-case"}},
		{"name twice", "targets:\n- name: a\n- name: a\n", []string{"targets[1].name", "twice"}},
		{"unknown format", "targets:\n- name: a\n  format: slack\n", []string{"targets[0].format", "shoutrrr or ddns-go"}},
		{"body on a shoutrrr target", "targets:\n- name: a\n  bodyKey: b\n", []string{"targets[0]", "only to format ddns-go"}},
		{"bad secret key", "targets:\n- name: a\n  urlKey: 'a/b'\n", []string{"targets[0].urlKey"}},
		{"negative duration", "failingAfter: -1m\n", []string{"failingAfter"}},
		{"not a duration", "coalesce: {quiet: soon}\n", []string{`invalid duration "soon"`}},
		{"heartbeat without key", "heartbeat: {}\n", []string{"heartbeat.urlKey"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ParseConfig([]byte(tc.yaml))
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil {
				t.Fatalf("accepted: %+v", c)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not say %q: %v", w, err)
				}
			}
		})
	}
}

// TestConfigBuildsTargets: the URL keys default to the names, events are
// parsed, and the Secret is read when a message is rendered or sent.
func TestConfigBuildsTargets(t *testing.T) {
	c, err := ParseConfig([]byte(`
cluster: lab
failingAfter: 15m
coalesce: {quiet: 10s, maxDelay: 2m}
targets:
- name: chat
  events: [RecordFailing]
- name: legacy
  format: ddns-go
  urlKey: legacy.url
  bodyKey: legacy.body
`))
	if err != nil {
		t.Fatal(err)
	}
	if o := c.Options(); o.Quiet != 10*time.Second || o.MaxDelay != 2*time.Minute || c.FailingAfter.Duration != 15*time.Minute {
		t.Errorf("options %+v", o)
	}
	dir := t.TempDir()
	ts := c.BuildTargets(dir, func() map[string]string { return map[string]string{"ipv4": "81.2.69.160"} })
	if len(ts) != 2 || ts[0].Name != "chat" || len(ts[0].Events) != 1 || ts[0].Events[0] != RecordFailing {
		t.Fatalf("targets %+v", ts)
	}
	d := &Digest{UpdatedTotal: 1, Updated: []RecordUpdate{{RecordRef: home, New: "81.2.69.160"}}}
	all := func(EventKind) bool { return true }
	if _, err := ts[1].Channel.Render(d, all); err == nil || !strings.Contains(err.Error(), `no key "legacy.url"`) {
		t.Errorf("rendering without the Secret key: %v", err)
	}
	writeFile(t, dir, "legacy.url", " https://hooks.example.com/x?ip=#{ipv4Addr}\n")
	writeFile(t, dir, "legacy.body", `{"d":"#{ipv4Domains}"}`)
	m, err := ts[1].Channel.Render(d, all)
	if err != nil {
		t.Fatal(err)
	}
	if m.Request.URL != "https://hooks.example.com/x?ip=81.2.69.160" || m.Request.Body != `{"d":"home.example.com"}` {
		t.Errorf("request %+v", m.Request)
	}
	if _, err := ts[1].Channel.Render(&Digest{Changes: []AddressChange{{Family: "ipv4", New: "81.2.69.170"}}}, all); !errors.Is(err, ErrNothingToSend) {
		t.Errorf("an address change alone gave %v; ddns-go calls its webhook for writes and failures only", err)
	}
	msg, _ := ts[0].Channel.Test("kubectl", time.Now())
	if !strings.HasPrefix(msg.Text, "[ddns-operator lab] Test notification") {
		t.Errorf("test message %q", msg.Text)
	}
}

// TestScrubRemovesEveryURLPart: whatever a library quotes of its URL, the
// error that is logged keeps none of the credential.
func TestScrubRemovesEveryURLPart(t *testing.T) {
	cases := []struct{ url, errText, secret string }{
		{"telegram://" + telegramToken + "@telegram?chats=" + telegramChat, `Post "https://api.telegram.org/bot` + telegramToken + `/sendMessage": dial tcp: i/o timeout`, "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"},
		{"discord://" + discordToken + "@" + discordID, "invalid webhook " + discordID + "/" + discordToken, discordToken},
		{"wecom://" + wecomKey, "Post \"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=" + wecomKey + "\": EOF", wecomKey},
		{"ntfy://user:s3cr3t-pass@ntfy.example.com/" + ntfyTopic, "posting to https://ntfy.example.com/" + ntfyTopic + " as user:s3cr3t-pass", "s3cr3t-pass"},
		{"generic+https://hooks.example.com/" + genericPath + "?token=abc%2Fdef123", "Post https://hooks.example.com/hooks/9f8e7d6c5b4a?token=abc%2Fdef123: refused", "abc%2Fdef123"},
		{"https://api.day.app/Xy7Kq9pLm2/#{ipv4Addr}", `parse "https://api.day.app/Xy7Kq9pLm2/81.2.69.160": bad`, "Xy7Kq9pLm2"},
	}
	for _, tc := range cases {
		got := scrub(errors.New(tc.errText), secretParts(tc.url)).Error()
		if strings.Contains(got, tc.secret) {
			t.Errorf("%s: %q keeps the secret", tc.url, got)
		}
		if !strings.Contains(got, redacted) {
			t.Errorf("%s: %q says nothing was removed", tc.url, got)
		}
	}
}

// TestRenderStaysWithinServiceLimits: however many records fail with long
// messages, the text fits the smallest service limit and says how many
// were left out.
func TestRenderStaysWithinServiceLimits(t *testing.T) {
	d := &Digest{At: time.Now()}
	for i := range 500 {
		d.addFailure(RecordFailure{RecordRef: RecordRef{Namespace: "ns", Name: strings.Repeat("n", 40) + string(rune('a'+i%26)), FQDN: strings.Repeat("x", 60) + ".example.com", Type: "A"},
			Reason: "ProviderUnavailable", Message: strings.Repeat("very long provider message ", 30)})
	}
	msg := TextRenderer{}.Render(d, func(EventKind) bool { return true })
	if len(msg) > maxMessageBytes {
		t.Fatalf("%d bytes", len(msg))
	}
	if !strings.HasPrefix(msg, "[ddns-operator] 500 records failing") || !strings.Contains(msg, "more") {
		t.Errorf("message %q", msg)
	}
}
