package tencentcloud

import (
	"context"

	tchttp "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/http"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/json"

	"github.com/ddns-operator/ddns-operator/providers"
)

// The DNSPod API's coordinates.
const (
	service = "dnspod"
	// Version is the DNSPod API version the provider speaks.
	Version = "2021-03-23"
)

// sender is the part of the common client the provider uses: it signs
// a request (TC3-HMAC-SHA256), sends it and reads the answer, an error
// envelope included, into a response.
type sender interface {
	Send(tchttp.Request, tchttp.Response) error
}

// request is one call of action: the SDK's base request (service, version,
// action and the common parameters the client adds) and the action's
// parameters, which are the JSON body.
type request[P any] struct {
	*tchttp.BaseRequest
	params *P
}

// MarshalJSON writes the body: the parameters alone, with the SDK's JSON
// encoder, as the SDK's generated request types marshal.
func (r *request[P]) MarshalJSON() ([]byte, error) { return json.Marshal(r.params) }

// response is an answer: {"Response": {...}} around the action's result;
// the embedded base response reads the error envelope.
type response[R any] struct {
	*tchttp.BaseResponse
	Response *R `json:"Response"`
}

// call sends action with params and returns the answer's Response (nil
// when the answer has none). A panic inside the client becomes a
// transient error: it dereferences the decoded answer without checking
// it, and a non-200 answer whose body is JSON null
// (FuzzTencentCloudResponses found it) would otherwise take down a
// reconcile worker. Errors are the client's, for mapError.
func call[R, P any](ctx context.Context, api sender, action string, params *P) (out *R, err error) {
	defer func() {
		if recover() != nil {
			out, err = nil, providers.Errorf(providers.KindTransient, "", "%s: the API's answer could not be read", action)
		}
	}()
	req := &request[P]{BaseRequest: &tchttp.BaseRequest{}, params: params}
	req.Init().WithApiInfo(service, Version, action)
	req.SetContext(ctx)
	resp := &response[R]{BaseResponse: &tchttp.BaseResponse{}}
	if err := api.Send(req, resp); err != nil {
		return nil, err
	}
	return resp.Response, nil
}

// The parameters of the actions the provider sends: the fields it sets,
// with the JSON names and options and in the order of the SDK's request
// types (dnspod/v20210323/models.go), so that the body is the same bytes.
// https://cloud.tencent.com/document/api/1427/56172 (DescribeDomainList),
// 56166 (DescribeRecordList), 56180 (CreateRecord), 56157 (ModifyRecord),
// 56176 (DeleteRecord).

// describeDomainListParams are DescribeDomainList's parameters.
type describeDomainListParams struct {
	Offset *int64 `json:"Offset,omitnil,omitempty"`
	Limit  *int64 `json:"Limit,omitnil,omitempty"`
}

// describeRecordListParams are DescribeRecordList's parameters.
type describeRecordListParams struct {
	Domain       *string `json:"Domain,omitnil,omitempty"`
	Subdomain    *string `json:"Subdomain,omitnil,omitempty"`
	RecordType   *string `json:"RecordType,omitnil,omitempty"`
	RecordLine   *string `json:"RecordLine,omitnil,omitempty"`
	RecordLineID *string `json:"RecordLineId,omitnil,omitempty"`
	Offset       *uint64 `json:"Offset,omitnil,omitempty"`
	Limit        *uint64 `json:"Limit,omitnil,omitempty"`
}

// createRecordParams are CreateRecord's parameters.
type createRecordParams struct {
	Domain       *string `json:"Domain,omitnil,omitempty"`
	RecordType   *string `json:"RecordType,omitnil,omitempty"`
	RecordLine   *string `json:"RecordLine,omitnil,omitempty"`
	Value        *string `json:"Value,omitnil,omitempty"`
	SubDomain    *string `json:"SubDomain,omitnil,omitempty"`
	RecordLineID *string `json:"RecordLineId,omitnil,omitempty"`
	TTL          *uint64 `json:"TTL,omitnil,omitempty"`
	Remark       *string `json:"Remark,omitnil,omitempty"`
}

// modifyRecordParams are ModifyRecord's parameters.
type modifyRecordParams struct {
	Domain       *string `json:"Domain,omitnil,omitempty"`
	RecordType   *string `json:"RecordType,omitnil,omitempty"`
	RecordLine   *string `json:"RecordLine,omitnil,omitempty"`
	Value        *string `json:"Value,omitnil,omitempty"`
	RecordID     *uint64 `json:"RecordId,omitnil,omitempty"`
	SubDomain    *string `json:"SubDomain,omitnil,omitempty"`
	RecordLineID *string `json:"RecordLineId,omitnil,omitempty"`
	MX           *uint64 `json:"MX,omitnil,omitempty"`
	TTL          *uint64 `json:"TTL,omitnil,omitempty"`
	Weight       *uint64 `json:"Weight,omitnil,omitempty"`
	Status       *string `json:"Status,omitnil,omitempty"`
	Remark       *string `json:"Remark,omitnil,omitempty"`
}

// deleteRecordParams are DeleteRecord's parameters.
type deleteRecordParams struct {
	Domain   *string `json:"Domain,omitnil,omitempty"`
	RecordID *uint64 `json:"RecordId,omitnil,omitempty"`
}

// The parts of the answers the provider reads; every other field is
// ignored.

// domainListResult is DescribeDomainList's Response.
type domainListResult struct {
	DomainCountInfo *struct {
		DomainTotal *uint64 `json:"DomainTotal"`
	} `json:"DomainCountInfo"`
	DomainList []*domainItem `json:"DomainList"`
}

// domainItem is one domain of DescribeDomainList (DomainListItem).
type domainItem struct {
	DomainID *uint64 `json:"DomainId"`
	Name     *string `json:"Name"`
	Punycode *string `json:"Punycode"`
}

// recordListResult is DescribeRecordList's Response.
type recordListResult struct {
	RecordCountInfo *struct {
		TotalCount *uint64 `json:"TotalCount"`
	} `json:"RecordCountInfo"`
	RecordList []*recordItem `json:"RecordList"`
}

// recordItem is one record of DescribeRecordList (RecordListItem): what
// the provider reports and what ModifyRecord must send back unchanged.
type recordItem struct {
	RecordID *uint64 `json:"RecordId"`
	Value    *string `json:"Value"`
	Status   *string `json:"Status"`
	Name     *string `json:"Name"`
	Line     *string `json:"Line"`
	LineID   *string `json:"LineId"`
	Type     *string `json:"Type"`
	Weight   *uint64 `json:"Weight"`
	Remark   *string `json:"Remark"`
	TTL      *uint64 `json:"TTL"`
	MX       *uint64 `json:"MX"`
}

// createRecordResult is CreateRecord's Response.
type createRecordResult struct {
	RecordID *uint64 `json:"RecordId"`
}

// noResult is the Response of a write whose result the provider does not
// read (ModifyRecord, DeleteRecord).
type noResult struct{}
