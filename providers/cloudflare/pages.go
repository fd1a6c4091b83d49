package cloudflare

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/ddns-operator/ddns-operator/providers"
)

// walkPages reads every page of a Cloudflare list endpoint (the v4
// page/per_page/result_info scheme): GET path with query, page and
// perPage; id names an item for the providers.PageGuard that stops a
// listing which never ends, and each receives every item in order. op
// names the call in errors.
func walkPages[T any](ctx context.Context, p *Provider, op, path string, query url.Values, perPage int, id func(T) string, each func(T)) error {
	guard := providers.NewPageGuard(op)
	for page := 1; ; page++ {
		q := url.Values{}
		for k, v := range query {
			q[k] = v
		}
		q.Set("page", strconv.Itoa(page))
		q.Set("per_page", strconv.Itoa(perPage))
		var res envelope[[]T]
		if err := p.call(ctx, op, http.MethodGet, path, q, nil, &res); err != nil {
			return err
		}
		if res.Result == nil {
			return errEmptyAnswer(op)
		}
		items := *res.Result
		for _, item := range items {
			each(item)
		}
		if !morePages(res.ResultInfo, len(items), page) {
			return nil
		}
		ids := make([]string, 0, len(items))
		for _, item := range items {
			ids = append(ids, id(item))
		}
		if err := guard.Page(ids); err != nil {
			return err
		}
	}
}

// morePages reports whether a page after page exists, from result_info's
// total_pages when the server sent it, else from whether the page of n
// items came back full.
func morePages(info resultInfo, n, page int) bool {
	if n == 0 {
		return false
	}
	if total, ok := number(info.TotalPages); ok {
		return float64(page) < total
	}
	per, ok := number(info.PerPage)
	return ok && per > 0 && float64(n) >= per
}
