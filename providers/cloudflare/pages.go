package cloudflare

import (
	"strconv"

	"github.com/cloudflare/cloudflare-go/v6/packages/pagination"

	"github.com/ddns-operator/ddns-operator/providers"
)

// walkPages reads every page of a Cloudflare list endpoint (the v4
// page/per_page/result_info scheme): fetch gets page n, id names an item for
// the providers.PageGuard that stops a listing which never ends, and each
// receives every item in order. op names the call in errors.
func walkPages[T any](p *Provider, op string, fetch func(page int) (*pagination.V4PagePaginationArray[T], error), id func(T) string, each func(T)) error {
	guard := providers.NewPageGuard(op)
	for page := 1; ; page++ {
		res, err := fetch(page)
		if err != nil {
			return p.mapError(op, err)
		}
		if res == nil {
			return errEmptyAnswer(op)
		}
		for _, item := range res.Result {
			each(item)
		}
		if !morePages(res, page) {
			return nil
		}
		ids := make([]string, 0, len(res.Result))
		for _, item := range res.Result {
			ids = append(ids, id(item))
		}
		if err := guard.Page(ids); err != nil {
			return err
		}
	}
}

// morePages reports whether a page after page exists, from result_info's
// total_pages when the server sent it (the SDK keeps it among the extra
// fields), else from whether the page came back full.
func morePages[T any](res *pagination.V4PagePaginationArray[T], page int) bool {
	if res == nil || len(res.Result) == 0 {
		return false
	}
	if f, ok := res.ResultInfo.JSON.ExtraFields["total_pages"]; ok {
		if total, err := strconv.ParseFloat(f.Raw(), 64); err == nil {
			return float64(page) < total
		}
	}
	per := res.ResultInfo.PerPage
	return per > 0 && int64(len(res.Result)) >= per
}
