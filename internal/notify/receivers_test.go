package notify

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// The receivers below speak each service's documented wire format, so
// shoutrrr talks to them unmodified. Telegram, Discord and WeCom have fixed
// API hosts in shoutrrr; the test process sends those host names to the
// local receivers (as /etc/hosts would) and trusts a certificate made for
// them (as an installed CA would): see TestMain.

// Fixed hosts of the services whose API address shoutrrr does not let a
// URL change.
const (
	telegramHost = "api.telegram.org"
	discordHost  = "discord.com"
	wecomHost    = "qyapi.weixin.qq.com"
)

// Credentials the receivers accept; the tests check none of them ever
// appears in an error, a log line or a metric.
const (
	telegramToken = "110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
	telegramChat  = "-1001234567890"
	discordID     = "1234567890123456789"
	discordToken  = "dFh7vJ-secret_TOKEN-8a1b"
	wecomKey      = "693a91f6-7aoc-4bc4-97a0-0ec2sifa5aaa"
	ntfyTopic     = "ddns-alerts-4f9c2e"
	genericPath   = "hooks/9f8e7d6c5b4a"
)

var allSecrets = []string{telegramToken, "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", discordToken, wecomKey, ntfyTopic, "9f8e7d6c5b4a"}

// hosts maps the fixed API hosts to local receivers.
var hosts = struct {
	sync.Mutex
	addr map[string]string
}{addr: map[string]string{}}

func TestMain(m *testing.M) {
	cert, pool := testCertificate(telegramHost, discordHost, wecomHost)
	testTLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	http.DefaultTransport = &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: pool},
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, _, _ := net.SplitHostPort(addr)
			hosts.Lock()
			local, ok := hosts.addr[host]
			hosts.Unlock()
			if ok {
				addr = local
			} else if host != "127.0.0.1" && host != "::1" && host != "localhost" {
				// Nothing in these tests may leave the machine.
				return nil, fmt.Errorf("test transport: no receiver for %s", host)
			}
			return dialer.DialContext(ctx, network, addr)
		},
	}
	os.Exit(m.Run())
}

var testTLS *tls.Config

// testCertificate makes a self-signed certificate for names and a pool
// that trusts it.
func testCertificate(names ...string) (tls.Certificate, *x509.CertPool) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "notify test"},
		DNSNames: names, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, IsCA: true, BasicConstraintsValid: true,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		panic(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

// receiver is what every fake keeps: the messages it accepted, how many
// requests it saw, and failures to inject.
type receiver struct {
	name string
	srv  *httptest.Server
	// URL is the shoutrrr URL that reaches this receiver.
	URL string

	mu        sync.Mutex
	accepted  []string
	requests  int
	inFlight  int // requests being answered now
	maxFlight int
	failNext  int           // answer this many requests with 500
	hold      chan struct{} // when set, requests wait for it to close
}

// Accepted returns the messages accepted so far.
func (r *receiver) Accepted() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.accepted...)
}

// Requests returns how many requests arrived.
func (r *receiver) Requests() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.requests
}

// FailNext makes the next n requests fail with 500.
func (r *receiver) FailNext(n int) {
	r.mu.Lock()
	r.failNext = n
	r.mu.Unlock()
}

// MaxInFlight is the most requests the receiver was answering at once.
func (r *receiver) MaxInFlight() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.maxFlight
}

// arrive counts a request and says whether to fail it; it waits while the
// receiver is held, until the caller gives up on the request (failed).
func (r *receiver) arrive(req *http.Request) bool {
	r.mu.Lock()
	r.requests++
	r.inFlight++
	r.maxFlight = max(r.maxFlight, r.inFlight)
	defer func() {
		r.mu.Lock()
		r.inFlight--
		r.mu.Unlock()
	}()
	hold := r.hold
	fail := r.failNext > 0
	if fail {
		r.failNext--
	}
	r.mu.Unlock()
	if hold != nil {
		select {
		case <-hold:
		case <-req.Context().Done():
			return true // the sender gave up: nothing was delivered
		}
	}
	return fail
}

func (r *receiver) accept(msg string) {
	r.mu.Lock()
	r.accepted = append(r.accepted, msg)
	r.mu.Unlock()
}

// start serves h, over TLS under host when host is set.
func (r *receiver) start(t *testing.T, host string, h http.HandlerFunc) {
	r.srv = httptest.NewUnstartedServer(h)
	if host != "" {
		r.srv.TLS = testTLS.Clone()
		r.srv.StartTLS()
		hosts.Lock()
		hosts.addr[host] = r.srv.Listener.Addr().String()
		hosts.Unlock()
	} else {
		r.srv.Start()
	}
	t.Cleanup(r.srv.Close)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// Telegram Bot API: POST https://api.telegram.org/bot<token>/sendMessage
// with a JSON body {chat_id, text, ...}; every answer is {"ok": bool, ...},
// errors carry error_code and description
// (https://core.telegram.org/bots/api#making-requests,
// https://core.telegram.org/bots/api#sendmessage).
func telegramReceiver(t *testing.T) *receiver {
	r := &receiver{name: "telegram", URL: "telegram://" + telegramToken + "@telegram?chats=" + telegramChat}
	r.start(t, telegramHost, func(w http.ResponseWriter, req *http.Request) {
		if req.Method != http.MethodPost || req.URL.Path != "/bot"+telegramToken+"/sendMessage" {
			writeJSON(w, http.StatusUnauthorized, map[string]any{"ok": false, "error_code": 401, "description": "Unauthorized"})
			return
		}
		var body struct {
			ChatID string `json:"chat_id"`
			Text   string `json:"text"`
		}
		if err := json.NewDecoder(req.Body).Decode(&body); err != nil || body.ChatID != telegramChat {
			writeJSON(w, http.StatusBadRequest, map[string]any{"ok": false, "error_code": 400, "description": "Bad Request: chat not found"})
			return
		}
		if r.arrive(req) {
			writeJSON(w, http.StatusInternalServerError, map[string]any{"ok": false, "error_code": 500, "description": "Internal Server Error"})
			return
		}
		r.accept(body.Text)
		writeJSON(w, http.StatusOK, map[string]any{"ok": true, "result": map[string]any{"message_id": 1, "text": body.Text, "chat": map[string]any{"id": -1001234567890}}})
	})
	return r
}

// Discord: POST https://discord.com/api/webhooks/<id>/<token> with a JSON
// body {content} or {embeds: [{description}]}; 204 No Content when not
// asked to wait (https://discord.com/developers/docs/resources/webhook#execute-webhook).
func discordReceiver(t *testing.T) *receiver {
	r := &receiver{name: "discord", URL: "discord://" + discordToken + "@" + discordID}
	r.start(t, discordHost, func(w http.ResponseWriter, req *http.Request) {
		if req.Method != http.MethodPost || req.URL.Path != "/api/webhooks/"+discordID+"/"+discordToken {
			writeJSON(w, http.StatusUnauthorized, map[string]any{"message": "Invalid Webhook Token", "code": 50027})
			return
		}
		var body struct {
			Content string `json:"content"`
			Embeds  []struct {
				Description string `json:"description"`
			} `json:"embeds"`
		}
		if err := json.NewDecoder(req.Body).Decode(&body); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]any{"message": "Cannot send an empty message", "code": 50006})
			return
		}
		if r.arrive(req) {
			writeJSON(w, http.StatusInternalServerError, map[string]any{"message": "500: Internal Server Error", "code": 0})
			return
		}
		text := body.Content
		for _, e := range body.Embeds {
			text += e.Description
		}
		r.accept(text)
		w.WriteHeader(http.StatusNoContent)
	})
	return r
}

// ntfy: POST https://<host>/<topic> with the message as the body and
// options as headers (Title, Priority, Tags); the answer is the published
// message as JSON, errors {"code","http","error"}
// (https://docs.ntfy.sh/publish/). ntfy's host is part of the URL, so this
// one listens on 127.0.0.1 over plain HTTP (scheme=http).
func ntfyReceiver(t *testing.T) *receiver {
	r := &receiver{name: "ntfy"}
	r.start(t, "", func(w http.ResponseWriter, req *http.Request) {
		if req.Method != http.MethodPost || req.URL.Path != "/"+ntfyTopic {
			writeJSON(w, http.StatusNotFound, map[string]any{"code": 40401, "http": 404, "error": "page not found"})
			return
		}
		b, _ := io.ReadAll(req.Body)
		if r.arrive(req) {
			writeJSON(w, http.StatusInternalServerError, map[string]any{"code": 50001, "http": 500, "error": "internal server error"})
			return
		}
		r.accept(string(b))
		writeJSON(w, http.StatusOK, map[string]any{"id": "sPs71M8A2T", "time": time.Now().Unix(), "event": "message", "topic": ntfyTopic, "message": string(b)})
	})
	r.URL = "ntfy://" + r.srv.Listener.Addr().String() + "/" + ntfyTopic + "?scheme=http"
	return r
}

// WeCom group robot: POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=<key>
// with {"msgtype":"text","text":{"content":...}}; the answer is always
// {"errcode","errmsg"}, 0 on success
// (https://developer.work.weixin.qq.com/document/path/91770).
func wecomReceiver(t *testing.T) *receiver {
	r := &receiver{name: "wecom", URL: "wecom://" + wecomKey}
	r.start(t, wecomHost, func(w http.ResponseWriter, req *http.Request) {
		if req.Method != http.MethodPost || req.URL.Path != "/cgi-bin/webhook/send" || req.URL.Query().Get("key") != wecomKey {
			writeJSON(w, http.StatusOK, map[string]any{"errcode": 93000, "errmsg": "invalid webhook url"})
			return
		}
		var body struct {
			MsgType string `json:"msgtype"`
			Text    struct {
				Content string `json:"content"`
			} `json:"text"`
		}
		if err := json.NewDecoder(req.Body).Decode(&body); err != nil || body.MsgType != "text" {
			writeJSON(w, http.StatusOK, map[string]any{"errcode": 40008, "errmsg": "invalid message type"})
			return
		}
		if r.arrive(req) {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		r.accept(body.Text.Content)
		writeJSON(w, http.StatusOK, map[string]any{"errcode": 0, "errmsg": "ok"})
	})
	return r
}

// A generic webhook: the message is POSTed as text/plain.
func genericReceiver(t *testing.T) *receiver {
	r := &receiver{name: "generic"}
	r.start(t, "", func(w http.ResponseWriter, req *http.Request) {
		if req.Method != http.MethodPost || req.URL.Path != "/"+genericPath {
			http.NotFound(w, req)
			return
		}
		b, _ := io.ReadAll(req.Body)
		if r.arrive(req) {
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		r.accept(string(b))
		w.WriteHeader(http.StatusOK)
	})
	r.URL = "generic+" + r.srv.URL + "/" + genericPath
	return r
}

// fixedHosts is held by a test while the fixed API hosts lead to its
// receivers; tests that use them take turns.
var fixedHosts sync.Mutex

// allReceivers starts one receiver per service.
func allReceivers(t *testing.T) []*receiver {
	fixedHosts.Lock()
	t.Cleanup(fixedHosts.Unlock)
	return []*receiver{genericReceiver(t), telegramReceiver(t), discordReceiver(t), ntfyReceiver(t), wecomReceiver(t)}
}

// targetsFor makes one shoutrrr target per receiver, with the URL read
// from a Secret directory as in a cluster.
func targetsFor(t *testing.T, rs []*receiver, events ...EventKind) []Target {
	dir := t.TempDir()
	var out []Target
	for _, r := range rs {
		writeFile(t, dir, r.name, r.URL+"\n")
		out = append(out, Target{Name: r.name, Events: events, Channel: &Shoutrrr{URL: SecretValue{Dir: dir, Key: r.name}.Read}})
	}
	return out
}

func writeFile(t *testing.T, dir, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// noSecretIn fails t when text holds any receiver credential.
func noSecretIn(t *testing.T, where, text string) {
	t.Helper()
	for _, s := range allSecrets {
		if strings.Contains(text, s) {
			t.Errorf("%s holds a credential (%s...): %s", where, s[:4], text)
		}
	}
}
