package route53

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/ddns-operator/ddns-operator/providers"
)

func TestMapError(t *testing.T) {
	p := &Provider{source: "the Secret's access key"}
	withStatus := func(status int, err error) error {
		return &awshttp.ResponseError{ResponseError: &smithyhttp.ResponseError{Response: &smithyhttp.Response{Response: &http.Response{StatusCode: status}}, Err: err}}
	}
	for _, tc := range []struct {
		name string
		err  error
		kind providers.Kind
		text string
	}{
		{"a wrong secret", withStatus(403, &smithy.GenericAPIError{Code: "SignatureDoesNotMatch", Message: "The request signature we calculated does not match"}),
			providers.KindAuth, "does not match (credentials: the Secret's access key)"},
		{"an unknown key", withStatus(403, &smithy.GenericAPIError{Code: "InvalidClientTokenId", Message: "The security token included in the request is invalid."}), providers.KindAuth, "invalid"},
		{"no permission", withStatus(403, &smithy.GenericAPIError{Code: "AccessDenied", Message: "User is not authorized to perform: route53:ChangeResourceRecordSets"}), providers.KindAuth, "route53:ChangeResourceRecordSets"},
		{"throttled", withStatus(400, &smithy.GenericAPIError{Code: "Throttling", Message: "Rate exceeded"}), providers.KindRateLimited, "Rate exceeded"},
		{"a change still applying", withStatus(400, &smithy.GenericAPIError{Code: "PriorRequestNotComplete", Message: "still processing a prior request"}), providers.KindRateLimited, "prior request"},
		{"no such zone", withStatus(404, &smithy.GenericAPIError{Code: "NoSuchHostedZone", Message: "No hosted zone found with ID: Z1"}), providers.KindZoneNotFound, "Z1"},
		{"a set made meanwhile", &types.InvalidChangeBatch{Messages: []string{"Tried to create resource record set [name='home.example.com.', type='A'] but it already exists"}},
			providers.KindTransient, "already exists"},
		{"a refused value", &types.InvalidChangeBatch{Messages: []string{"[RRSet of type A with DNS name home.example.com. is not permitted because a conflicting RRSet of type CNAME with the same DNS name already exists in zone example.com.]"}},
			providers.KindInvalid, "conflicting"},
		{"a bad value", &types.InvalidChangeBatch{Messages: []string{"[Invalid Resource Record: 'FATAL problem: ARRDATAIllegalIPv4Address']"}}, providers.KindInvalid, "ARRDATAIllegalIPv4Address"},
		{"a backend failure", withStatus(500, &smithy.GenericAPIError{Code: "InternalFailure", Message: "An internal error occurred.", Fault: smithy.FaultServer}), providers.KindTransient, "internal error"},
		{"a proxy's 503", withStatus(503, errors.New("not XML")), providers.KindTransient, "service unavailable"},
		{"a reset", errors.New("read tcp: connection reset by peer"), providers.KindTransient, "reset"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := p.mapError("list hosted zones", tc.err)
			if providers.KindOf(err) != tc.kind || !strings.Contains(err.Error(), tc.text) {
				t.Fatalf("mapError = %v (kind %s), want kind %s with %q", err, providers.KindOf(err), tc.kind, tc.text)
			}
		})
	}
}

func TestDecodeName(t *testing.T) {
	for in, want := range map[string]string{
		"Home.Example.com.":         "home.example.com",
		`\052.example.com.`:         "*.example.com",
		`_ddns-owner-a.example.com`: "_ddns-owner-a.example.com",
		`a\\b.example.com.`:         `a\\b.example.com`,
	} {
		if got := decodeName(in); got != want {
			t.Errorf("decodeName(%q) = %q, want %q", in, got, want)
		}
	}
}
