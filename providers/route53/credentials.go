package route53

import (
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/credentials/ec2rolecreds"
	"github.com/aws/aws-sdk-go-v2/credentials/endpointcreds"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/ddns-operator/ddns-operator/providers"
)

// Secret keys the provider reads; all optional: a Secret without the first
// two selects the pod's AWS identity.
const (
	// KeyAccessKeyID is an IAM access key ID. It names the key, so it
	// stays readable in messages.
	KeyAccessKeyID = "accessKeyId"
	// KeySecretAccessKey is the access key's secret.
	KeySecretAccessKey = "secretAccessKey"
	// KeySessionToken is the session token of temporary credentials.
	KeySessionToken = "sessionToken"
)

// Credentials are an access key from the Secret. Its String method never
// prints a secret.
type Credentials struct {
	AccessKeyID, SecretAccessKey, SessionToken string
}

// String names the access key ID only.
func (c Credentials) String() string { return "access key " + c.AccessKeyID }

// GoString is String, for %#v.
func (c Credentials) GoString() string { return c.String() }

// FromSecretData reads an access key from the Secret: nil (and no error)
// when it holds neither accessKeyId nor secretAccessKey, which selects the
// pod's AWS identity; one of the two without the other is an error naming
// the missing one.
func FromSecretData(data map[string][]byte) (*Credentials, error) {
	rawID, hasID := data[KeyAccessKeyID]
	rawSecret, hasSecret := data[KeySecretAccessKey]
	_, hasToken := data[KeySessionToken]
	switch {
	case !hasID && !hasSecret && !hasToken:
		return nil, nil
	case !hasID:
		return nil, providers.MissingKey(KeyAccessKeyID)
	case !hasSecret:
		return nil, providers.MissingKey(KeySecretAccessKey)
	}
	c := &Credentials{}
	var err error
	if c.AccessKeyID, err = providers.HeaderToken(KeyAccessKeyID, rawID); err != nil {
		return nil, err
	}
	if c.SecretAccessKey, err = providers.HeaderToken(KeySecretAccessKey, rawSecret); err != nil {
		return nil, err
	}
	if raw, ok := data[KeySessionToken]; ok {
		if c.SessionToken, err = providers.HeaderToken(KeySessionToken, raw); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// credentialsFor returns the credential provider for creds, or for the
// pod's AWS identity when creds is nil, and names it for messages. The
// pod's identity is chosen as the SDK's default chain does, from the
// environment Kubernetes and AWS give the pod:
//
//  1. AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN);
//  2. IRSA: AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE, exchanged at STS
//     (AssumeRoleWithWebIdentity; AWS_ENDPOINT_URL_STS or AWS_ENDPOINT_URL
//     name another endpoint, AWS_REGION its region);
//  3. EKS Pod Identity (or ECS): AWS_CONTAINER_CREDENTIALS_FULL_URI with
//     AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE;
//  4. the node's instance role, from IMDSv2 (AWS_EC2_METADATA_SERVICE_ENDPOINT
//     names another endpoint; AWS_EC2_METADATA_DISABLED=true turns it off).
//
// The credential endpoints are not Route 53: their requests do not wait
// for the Route 53 gate.
func credentialsFor(env providers.Env, creds *Credentials, region string) (aws.CredentialsProvider, string, error) {
	if creds != nil {
		// Messages say "the Secret's access key", not its ID: the ID is
		// readable in the Secret itself, and messages repeat no Secret
		// value at all.
		return credentials.NewStaticCredentialsProvider(creds.AccessKeyID, creds.SecretAccessKey, creds.SessionToken), "the Secret's access key", nil
	}
	hc := providers.Env{HTTPClient: env.HTTPClient}.HTTP()
	getenv := func(k string) string { return strings.TrimSpace(os.Getenv(k)) }
	if id, secret := getenv("AWS_ACCESS_KEY_ID"), getenv("AWS_SECRET_ACCESS_KEY"); id != "" && secret != "" {
		return credentials.NewStaticCredentialsProvider(id, secret, getenv("AWS_SESSION_TOKEN")), "the pod's AWS_ACCESS_KEY_ID", nil
	}
	if role, file := getenv("AWS_ROLE_ARN"), getenv("AWS_WEB_IDENTITY_TOKEN_FILE"); role != "" && file != "" {
		stsRegion := region
		for _, k := range []string{"AWS_REGION", "AWS_DEFAULT_REGION"} {
			if r := getenv(k); r != "" {
				stsRegion = r
				break
			}
		}
		o := sts.Options{Region: stsRegion, HTTPClient: hc, Retryer: aws.NopRetryer{}, Credentials: aws.AnonymousCredentials{}}
		for _, k := range []string{"AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL"} {
			if ep := getenv(k); ep != "" {
				o.BaseEndpoint = aws.String(ep)
				break
			}
		}
		session := getenv("AWS_ROLE_SESSION_NAME")
		if session == "" {
			session = "ddns-operator"
		}
		p := stscreds.NewWebIdentityRoleProvider(sts.New(o), role, stscreds.IdentityTokenFile(file), func(w *stscreds.WebIdentityRoleOptions) {
			w.RoleSessionName = session
		})
		return p, "the pod's web identity (IRSA role " + role + ")", nil
	}
	if uri := getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI"); uri != "" {
		tokenFile := getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")
		p := endpointcreds.New(uri, func(o *endpointcreds.Options) {
			o.HTTPClient, o.Retryer = hc, aws.NopRetryer{}
			if tokenFile != "" {
				o.AuthorizationTokenProvider = endpointcreds.TokenProviderFunc(func() (string, error) {
					b, err := os.ReadFile(tokenFile)
					return strings.TrimSpace(string(b)), err
				})
			}
		})
		return p, "the pod's container credentials (EKS Pod Identity)", nil
	}
	if strings.EqualFold(getenv("AWS_EC2_METADATA_DISABLED"), "true") {
		return nil, "", providers.Errorf(providers.KindCredentials, "",
			"the Secret holds no %s and %s, and the pod has no AWS identity (no IRSA, no EKS Pod Identity, and AWS_EC2_METADATA_DISABLED is true)", KeyAccessKeyID, KeySecretAccessKey)
	}
	io := imds.Options{HTTPClient: hc, Retryer: aws.NopRetryer{}}
	if ep := getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT"); ep != "" {
		io.Endpoint = ep
	}
	p := ec2rolecreds.New(func(o *ec2rolecreds.Options) { o.Client = imds.New(io) })
	return p, "the node's instance role", nil
}
