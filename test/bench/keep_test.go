package main

import "testing"

// A new bench report keeps the sections other tools and people wrote
// between markers, and drops the rest of the old report.
func TestKeepSections(t *testing.T) {
	old := "# Benchmarks\nold figures\n\n<!-- by hand: begin -->\n## Per issue\nrows\n<!-- by hand: end -->\n\nstale text\n<!-- test/node: begin -->\n## The pod\n<!-- test/node: end -->\n"
	got := keepSections("# Benchmarks\nnew figures\n", old)
	want := "# Benchmarks\nnew figures\n\n<!-- by hand: begin -->\n## Per issue\nrows\n<!-- by hand: end -->\n\n<!-- test/node: begin -->\n## The pod\n<!-- test/node: end -->\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if got := keepSections("# B\n", "no markers <!-- here --> at all"); got != "# B\n" {
		t.Errorf("without markers: %q", got)
	}
}
