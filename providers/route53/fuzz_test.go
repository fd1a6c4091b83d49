package route53_test

import (
	"net/http"
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
	"github.com/ddns-operator/ddns-operator/providers/route53"
	"github.com/ddns-operator/ddns-operator/providers/route53/route53fake"
)

// FuzzRoute53Responses feeds the provider, SDK included, arbitrary answers
// to every call: decoding and error mapping must never panic, loop, leave
// an error unclassified or repeat the secret.
func FuzzRoute53Responses(f *testing.F) {
	providertest.FuzzResponses(f, func(endpoint string, hc *http.Client) (providers.Provider, error) {
		return route53.Descriptor.New(providers.Env{Endpoint: endpoint, HTTPClient: hc}, secret(route53fake.AccessKeyID, route53fake.SecretAccessKey), nil)
	}, []string{route53fake.SecretAccessKey}, []providertest.FuzzSeed{
		{Status: 200, Body: `<?xml version="1.0"?><ListHostedZonesResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><HostedZones><HostedZone><Id>/hostedzone/Z1</Id><Name>example.com.</Name><Config><PrivateZone>false</PrivateZone></Config></HostedZone></HostedZones><IsTruncated>true</IsTruncated><NextMarker>Z1</NextMarker><MaxItems>1</MaxItems></ListHostedZonesResponse>`},
		{Status: 200, Body: `<?xml version="1.0"?><ListResourceRecordSetsResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><ResourceRecordSets><ResourceRecordSet><Name>home.example.com.</Name><Type>A</Type><TTL>300</TTL><ResourceRecords><ResourceRecord><Value>81.2.69.160</Value></ResourceRecord></ResourceRecords></ResourceRecordSet></ResourceRecordSets><IsTruncated>false</IsTruncated><MaxItems>10</MaxItems></ListResourceRecordSetsResponse>`},
		{Status: 200, Body: `<?xml version="1.0"?><ChangeResourceRecordSetsResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><ChangeInfo><Id>/change/C1</Id><Status>PENDING</Status><SubmittedAt>2025-10-01T09:00:00.000Z</SubmittedAt></ChangeInfo></ChangeResourceRecordSetsResponse>`},
		{Status: 400, Body: `<?xml version="1.0"?><InvalidChangeBatch xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Messages><Message>Tried to create resource record set [name='home.example.com.', type='A'] but it already exists</Message></Messages><RequestId>r</RequestId></InvalidChangeBatch>`},
		{Status: 400, Body: `<?xml version="1.0"?><ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r</RequestId></ErrorResponse>`},
		{Status: 403, Body: `<?xml version="1.0"?><ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match</Message></Error><RequestId>r</RequestId></ErrorResponse>`},
		{Status: 404, Body: `<?xml version="1.0"?><ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Error><Type>Sender</Type><Code>NoSuchHostedZone</Code><Message>No hosted zone found with ID: Z1</Message></Error><RequestId>r</RequestId></ErrorResponse>`},
	})
}
