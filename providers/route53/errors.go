package route53

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/aws/smithy-go"

	"github.com/ddns-operator/ddns-operator/providers"
)

// Route 53's error codes the provider tells apart
// (https://docs.aws.amazon.com/Route53/latest/APIReference/CommonErrors.html
// and each action's Errors section).
var (
	authCodes = []string{"AccessDenied", "AccessDeniedException", "SignatureDoesNotMatch", "InvalidClientTokenId",
		"UnrecognizedClientException", "IncompleteSignature", "MissingAuthenticationToken", "InvalidAccessKeyId",
		"ExpiredToken", "ExpiredTokenException", "NotAuthorized", "OptInRequired", "InvalidIdentityToken",
		"IDPRejectedClaim", "IDPCommunicationError"}
	throttleCodes = []string{"Throttling", "ThrottlingException", "PriorRequestNotComplete", "RequestLimitExceeded", "TooManyRequestsException"}
	zoneCodes     = []string{"NoSuchHostedZone", "HostedZoneNotFound"}
)

// mapError turns what the SDK returned for op into a *providers.Error,
// from Route 53's error code and message, never the SDK error's own text
// (which repeats the operation and request ID, harmless, but the code is
// what a user can act on). Credentials the SDK could not get (a web
// identity token STS refused, an instance without a role) are the
// credential chain's errors, mapped by the same codes. Refusals name the
// credentials used (an access key ID, an IRSA role), never a secret.
func (p *Provider) mapError(op string, err error) error {
	e := classify(op, err)
	var pe *providers.Error
	if errors.As(e, &pe) && pe.Kind == providers.KindAuth && p.source != "" {
		pe.Message += " (credentials: " + p.source + ")"
	}
	return e
}

// classify maps err as mapError says.
func classify(op string, err error) error {
	var icb *types.InvalidChangeBatch
	if errors.As(err, &icb) {
		msg := op + ": " + strings.Join(icb.Messages, "; ")
		if msg == op+": " {
			msg = op + ": " + icb.ErrorMessage()
		}
		if strings.Contains(msg, "Tried to create resource record set") || strings.Contains(msg, "Tried to delete resource record set") {
			// The set changed since the zone was read: read again.
			return providers.Errorf(providers.KindTransient, "InvalidChangeBatch", "%s (the zone changed since it was read)", msg)
		}
		return providers.Errorf(providers.KindInvalid, "InvalidChangeBatch", "%s", msg)
	}
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		var re *awshttp.ResponseError
		if errors.As(err, &re) && re.HTTPStatusCode() >= 300 {
			return byStatus(op, re.HTTPStatusCode(), "", strings.ToLower(http.StatusText(re.HTTPStatusCode())))
		}
		// Transport failures, and answers the SDK could not read (a body
		// past the size limit, XML cut off).
		return providers.Transient(op, err)
	}
	code, text := apiErr.ErrorCode(), apiErr.ErrorMessage()
	if text == "" {
		text = code
	}
	msg := op + ": " + text
	switch {
	case slices.Contains(throttleCodes, code):
		return providers.RateLimited(code, msg, 0)
	case slices.Contains(authCodes, code):
		return providers.Errorf(providers.KindAuth, code, "%s", msg)
	case slices.Contains(zoneCodes, code):
		return providers.Errorf(providers.KindZoneNotFound, code, "%s", msg)
	}
	status := 0
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		status = re.HTTPStatusCode()
	}
	if status == 0 && apiErr.ErrorFault() == smithy.FaultServer {
		status = http.StatusInternalServerError
	}
	return byStatus(op, status, code, text)
}

// byStatus classifies by HTTP status what no code classified.
func byStatus(op string, status int, code, text string) error {
	if code == "" {
		code = strconv.Itoa(status)
	}
	msg := fmt.Sprintf("%s: %s", op, text)
	switch {
	case status == http.StatusTooManyRequests:
		return providers.RateLimited(code, msg, 0)
	case status >= 500 || status == 0:
		return providers.Errorf(providers.KindTransient, code, "%s", msg)
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return providers.Errorf(providers.KindAuth, code, "%s", msg)
	case status == http.StatusNotFound:
		return providers.Errorf(providers.KindNotFound, code, "%s", msg)
	}
	return providers.Errorf(providers.KindInvalid, code, "%s", msg)
}

// zoneError makes a 404 from a hosted zone's paths a missing zone.
func zoneError(err error, zone providers.Zone) error {
	var pe *providers.Error
	if !errors.As(err, &pe) || pe.Kind != providers.KindNotFound {
		return err
	}
	return &providers.Error{Kind: providers.KindZoneNotFound, Code: pe.Code,
		Message: fmt.Sprintf("hosted zone %s (%s) is gone (%s)", zone.ID, zone.Name, pe.Message)}
}
