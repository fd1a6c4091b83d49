package tencentcloud

import (
	"context"

	dnspod "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/dnspod/v20210323"

	"github.com/ddns-operator/ddns-operator/providers"
)

// safeAPI turns a panic inside the SDK into a transient error. The SDK
// dereferences the decoded answer without checking it: a non-200 answer
// whose body is JSON null (FuzzTencentCloudResponses found it) panics in
// its error reader, which would otherwise take down a reconcile worker.
type safeAPI struct{ api dnspodAPI }

func guard[Req, Resp any](ctx context.Context, action string, call func(context.Context, Req) (Resp, error), req Req) (resp Resp, err error) {
	defer func() {
		if recover() != nil {
			var zero Resp
			resp, err = zero, providers.Errorf(providers.KindTransient, "", "%s: the API's answer could not be read", action)
		}
	}()
	return call(ctx, req)
}

func (s safeAPI) DescribeDomainListWithContext(ctx context.Context, r *dnspod.DescribeDomainListRequest) (*dnspod.DescribeDomainListResponse, error) {
	return guard(ctx, "DescribeDomainList", s.api.DescribeDomainListWithContext, r)
}

func (s safeAPI) DescribeRecordListWithContext(ctx context.Context, r *dnspod.DescribeRecordListRequest) (*dnspod.DescribeRecordListResponse, error) {
	return guard(ctx, "DescribeRecordList", s.api.DescribeRecordListWithContext, r)
}

func (s safeAPI) CreateRecordWithContext(ctx context.Context, r *dnspod.CreateRecordRequest) (*dnspod.CreateRecordResponse, error) {
	return guard(ctx, "CreateRecord", s.api.CreateRecordWithContext, r)
}

func (s safeAPI) ModifyRecordWithContext(ctx context.Context, r *dnspod.ModifyRecordRequest) (*dnspod.ModifyRecordResponse, error) {
	return guard(ctx, "ModifyRecord", s.api.ModifyRecordWithContext, r)
}

func (s safeAPI) DeleteRecordWithContext(ctx context.Context, r *dnspod.DeleteRecordRequest) (*dnspod.DeleteRecordResponse, error) {
	return guard(ctx, "DeleteRecord", s.api.DeleteRecordWithContext, r)
}
