package providers

// MaxPages bounds every paginated listing: at the page sizes providers
// use, far more zones or records than any account holds.
const MaxPages = 1000

// PageGuard stops a paginated listing that never ends: a server that keeps
// saying there is another page while serving pages already read, or more
// than MaxPages pages. Providers call Page once per non-empty page.
type PageGuard struct {
	op    string
	seen  map[string]struct{}
	pages int
}

// NewPageGuard starts guarding the listing op names ("list records").
func NewPageGuard(op string) *PageGuard {
	return &PageGuard{op: op, seen: map[string]struct{}{}}
}

// Page records the IDs of one page. It returns a transient error when the
// page holds only IDs already read (the listing does not advance) or when
// this page is past MaxPages.
func (g *PageGuard) Page(ids []string) error {
	g.pages++
	if g.pages > MaxPages {
		return Errorf(KindTransient, "", "%s: the API is still paginating after %d pages; stopping", g.op, MaxPages)
	}
	fresh := 0
	for _, id := range ids {
		if _, ok := g.seen[id]; !ok {
			g.seen[id] = struct{}{}
			fresh++
		}
	}
	if len(ids) > 0 && fresh == 0 {
		return Errorf(KindTransient, "", "%s: page %d repeats entries already read; the API's pagination does not advance", g.op, g.pages)
	}
	return nil
}
