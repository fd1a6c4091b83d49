package googleclouddns

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/http"
	"strings"
	"sync"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/google"

	"github.com/ddns-operator/ddns-operator/providers"
)

// tokenURL is where a service account's signed assertion is exchanged for
// an access token. The key's own token_uri is not followed: a Secret must
// not make the operator post to an address of its choosing.
const tokenURL = "https://oauth2.googleapis.com/token"

// ServiceAccountKey is the parsed JSON key of a service account. Its
// String method names the account, never the key.
type ServiceAccountKey struct {
	// JSON is the key as the Secret holds it.
	JSON []byte
	// ClientEmail names the service account.
	ClientEmail string
	// ProjectID is the project the key belongs to.
	ProjectID string
}

// String names the service account.
func (k ServiceAccountKey) String() string { return "service account " + k.ClientEmail }

// GoString is String, for %#v.
func (k ServiceAccountKey) GoString() string { return k.String() }

// FromSecretData reads the service account's JSON key; nil (and no error)
// when the Secret holds no key, which selects the ambient credentials. A
// key must be a service account's ("type": "service_account") with an
// e-mail and a private key: other credential types (external accounts,
// user credentials) can make a client read files or call addresses the
// JSON names, which a Secret must not be able to do.
func FromSecretData(data map[string][]byte) (*ServiceAccountKey, error) {
	raw, ok := data[KeyServiceAccount]
	if !ok {
		return nil, nil
	}
	raw = []byte(strings.TrimSpace(string(raw)))
	if len(raw) == 0 {
		return nil, providers.MalformedKey(KeyServiceAccount, "it is empty; remove the key to use the pod's workload identity")
	}
	var f struct {
		Type        string `json:"type"`
		ClientEmail string `json:"client_email"`
		PrivateKey  string `json:"private_key"`
		ProjectID   string `json:"project_id"`
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, providers.MalformedKey(KeyServiceAccount, "it is not a JSON key file")
	}
	switch {
	case f.Type != "service_account":
		return nil, providers.MalformedKey(KeyServiceAccount, `it is not a service account's key ("type" is not "service_account")`)
	case f.ClientEmail == "" || f.PrivateKey == "":
		return nil, providers.MalformedKey(KeyServiceAccount, "it lacks client_email or private_key")
	}
	if !rsaKey(f.PrivateKey) {
		return nil, providers.MalformedKey(KeyServiceAccount, "its private_key is not an RSA private key in PEM")
	}
	return &ServiceAccountKey{JSON: raw, ClientEmail: f.ClientEmail, ProjectID: f.ProjectID}, nil
}

// rsaKey reports whether text is a PEM RSA private key, as service
// account keys are (PKCS #8, or PKCS #1 in old keys).
func rsaKey(text string) bool {
	block, _ := pem.Decode([]byte(text))
	if block == nil {
		return false
	}
	if k, err := x509.ParsePKCS8PrivateKey(block.Bytes); err == nil {
		_, ok := k.(*rsa.PrivateKey)
		return ok
	}
	_, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	return err == nil
}

// auth holds the token source of one account: the service account's, or
// the ambient one found at first use.
type auth struct {
	env providers.Env
	key *ServiceAccountKey

	mu      sync.Mutex
	ts      oauth2.TokenSource
	project string
}

// newAuth prepares the token source for key (nil: ambient).
func newAuth(env providers.Env, key *ServiceAccountKey) (*auth, error) {
	a := &auth{env: env, key: key}
	if key == nil {
		return a, nil
	}
	conf, err := google.JWTConfigFromJSON(key.JSON, Scope)
	if err != nil {
		return nil, providers.MalformedKey(KeyServiceAccount, "its private key cannot be read")
	}
	conf.TokenURL = tokenURL
	if env.Endpoint != "" {
		// A gateway (or a test's fake) serves the token endpoint too.
		conf.TokenURL = strings.TrimSuffix(env.Endpoint, "/") + "/token"
	}
	// Token requests go through the account's gate and body limit too.
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, env.HTTP())
	a.ts, a.project = conf.TokenSource(ctx), key.ProjectID
	return a, nil
}

// source returns the token source and the credentials' project, looking
// the ambient credentials up the first time.
func (a *auth) source(ctx context.Context) (oauth2.TokenSource, string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.ts != nil {
		return a.ts, a.project, nil
	}
	creds, err := google.FindDefaultCredentials(ctx, Scope)
	if err != nil {
		return nil, "", providers.Errorf(providers.KindCredentials, "",
			"the Secret holds no %s and the pod has no Google credentials (no workload identity, no metadata server): %v", KeyServiceAccount, err)
	}
	a.ts, a.project = creds.TokenSource, creds.ProjectID
	return a.ts, a.project, nil
}

// authorize sets a current access token on r.
func (a *auth) authorize(r *http.Request) error {
	ts, _, err := a.source(r.Context())
	if err != nil {
		return err
	}
	tok, err := ts.Token()
	if err != nil {
		return tokenError(err, a.key)
	}
	r.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	return nil
}

// tokenError classifies a failed token request: refused credentials
// (invalid_grant, invalid_client, unauthorized_client, 400 and 401 from
// the token endpoint) need the user; throttling waits; the rest passes.
func tokenError(err error, key *ServiceAccountKey) error {
	who := "the pod's workload identity"
	if key != nil {
		who = key.String()
	}
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		return providers.Transient("get an access token for "+who, err)
	}
	status := 0
	if re.Response != nil {
		status = re.Response.StatusCode
	}
	text := strings.TrimSpace(re.ErrorCode + " " + re.ErrorDescription)
	if text == "" {
		text = strings.ToLower(http.StatusText(status))
	}
	msg := "get an access token for " + who + ": " + text
	switch {
	case status == http.StatusTooManyRequests:
		return providers.RateLimited(re.ErrorCode, msg, 0)
	case status >= 500 || status == 0:
		return providers.Errorf(providers.KindTransient, re.ErrorCode, "%s", msg)
	}
	return providers.Errorf(providers.KindAuth, re.ErrorCode, "%s", msg)
}
