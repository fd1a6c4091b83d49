package route53fake

import "encoding/xml"

// The XML shapes of the Route 53 API 2013-04-01
// (https://docs.aws.amazon.com/Route53/latest/APIReference/API_Operations_Amazon_Route_53.html).

const ns = "https://route53.amazonaws.com/doc/2013-04-01/"

type hostedZoneXML struct {
	ID                     string    `xml:"Id"`
	Name                   string    `xml:"Name"`
	CallerReference        string    `xml:"CallerReference"`
	Config                 configXML `xml:"Config"`
	ResourceRecordSetCount int       `xml:"ResourceRecordSetCount"`
}

type configXML struct {
	Comment     string `xml:"Comment,omitempty"`
	PrivateZone bool   `xml:"PrivateZone"`
}

type listHostedZonesXML struct {
	XMLName     xml.Name        `xml:"ListHostedZonesResponse"`
	NS          string          `xml:"xmlns,attr"`
	HostedZones []hostedZoneXML `xml:"HostedZones>HostedZone"`
	Marker      string          `xml:"Marker,omitempty"`
	IsTruncated bool            `xml:"IsTruncated"`
	NextMarker  string          `xml:"NextMarker,omitempty"`
	MaxItems    int             `xml:"MaxItems"`
}

type getHostedZoneXML struct {
	XMLName     xml.Name      `xml:"GetHostedZoneResponse"`
	NS          string        `xml:"xmlns,attr"`
	HostedZone  hostedZoneXML `xml:"HostedZone"`
	NameServers []string      `xml:"DelegationSet>NameServers>NameServer,omitempty"`
}

type rrsetXML struct {
	Name          string      `xml:"Name"`
	Type          string      `xml:"Type"`
	SetIdentifier *string     `xml:"SetIdentifier"`
	TTL           *int64      `xml:"TTL"`
	Records       []recordXML `xml:"ResourceRecords>ResourceRecord"`
	AliasTarget   *struct {
		DNSName string `xml:"DNSName"`
	} `xml:"AliasTarget"`
}

type recordXML struct {
	Value string `xml:"Value"`
}

type listRRSetsXML struct {
	XMLName        xml.Name   `xml:"ListResourceRecordSetsResponse"`
	NS             string     `xml:"xmlns,attr"`
	Sets           []rrsetXML `xml:"ResourceRecordSets>ResourceRecordSet"`
	IsTruncated    bool       `xml:"IsTruncated"`
	NextRecordName string     `xml:"NextRecordName,omitempty"`
	NextRecordType string     `xml:"NextRecordType,omitempty"`
	MaxItems       int        `xml:"MaxItems"`
}

type changeRequestXML struct {
	XMLName xml.Name `xml:"ChangeResourceRecordSetsRequest"`
	Comment string   `xml:"ChangeBatch>Comment"`
	Changes []struct {
		Action string   `xml:"Action"`
		Set    rrsetXML `xml:"ResourceRecordSet"`
	} `xml:"ChangeBatch>Changes>Change"`
}

type changeInfoXML struct {
	XMLName     xml.Name `xml:"ChangeResourceRecordSetsResponse"`
	NS          string   `xml:"xmlns,attr"`
	ID          string   `xml:"ChangeInfo>Id"`
	Status      string   `xml:"ChangeInfo>Status"`
	SubmittedAt string   `xml:"ChangeInfo>SubmittedAt"`
	Comment     string   `xml:"ChangeInfo>Comment,omitempty"`
}

type errorXML struct {
	XMLName   xml.Name `xml:"ErrorResponse"`
	NS        string   `xml:"xmlns,attr"`
	Type      string   `xml:"Error>Type"`
	Code      string   `xml:"Error>Code"`
	Message   string   `xml:"Error>Message"`
	RequestID string   `xml:"RequestId"`
}

type invalidChangeBatchXML struct {
	XMLName   xml.Name `xml:"InvalidChangeBatch"`
	NS        string   `xml:"xmlns,attr"`
	Messages  []string `xml:"Messages>Message"`
	RequestID string   `xml:"RequestId"`
}

// The STS shape of AssumeRoleWithWebIdentity
// (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html).
type assumeRoleXML struct {
	XMLName         xml.Name `xml:"AssumeRoleWithWebIdentityResponse"`
	NS              string   `xml:"xmlns,attr"`
	Subject         string   `xml:"AssumeRoleWithWebIdentityResult>SubjectFromWebIdentityToken"`
	Audience        string   `xml:"AssumeRoleWithWebIdentityResult>Audience"`
	AssumedRoleArn  string   `xml:"AssumeRoleWithWebIdentityResult>AssumedRoleUser>Arn"`
	AssumedRoleID   string   `xml:"AssumeRoleWithWebIdentityResult>AssumedRoleUser>AssumedRoleId"`
	AccessKeyID     string   `xml:"AssumeRoleWithWebIdentityResult>Credentials>AccessKeyId"`
	SecretAccessKey string   `xml:"AssumeRoleWithWebIdentityResult>Credentials>SecretAccessKey"`
	SessionToken    string   `xml:"AssumeRoleWithWebIdentityResult>Credentials>SessionToken"`
	Expiration      string   `xml:"AssumeRoleWithWebIdentityResult>Credentials>Expiration"`
	Provider        string   `xml:"AssumeRoleWithWebIdentityResult>Provider"`
	RequestID       string   `xml:"ResponseMetadata>RequestId"`
}

type stsErrorXML struct {
	XMLName   xml.Name `xml:"ErrorResponse"`
	NS        string   `xml:"xmlns,attr"`
	Type      string   `xml:"Error>Type"`
	Code      string   `xml:"Error>Code"`
	Message   string   `xml:"Error>Message"`
	RequestID string   `xml:"RequestId"`
}

// xmlUnmarshal decodes a request body.
func xmlUnmarshal(body []byte, v any) error { return xml.Unmarshal(body, v) }
