package firststeps_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/internal/egress"
)

// TestEgressDocSourcesParse parses every spec in docs/egress.md's table of
// sources, so the table shows only what the manager accepts.
func TestEgressDocSourcesParse(t *testing.T) {
	doc := readRepoFile(t, "docs/egress.md")
	row := regexp.MustCompile("(?m)^\\| `([^`]+)` \\|")
	table := doc[strings.Index(doc, "| spec | what it asks |"):]
	table = table[:strings.Index(table, "\n\n")]
	specs := row.FindAllStringSubmatch(table, -1)
	if len(specs) < 5 {
		t.Fatalf("found %d specs in docs/egress.md's table of sources", len(specs))
	}
	schemes := map[string]bool{}
	for _, m := range specs {
		spec := m[1]
		if _, err := egress.ParseSource(spec, egress.IPv4, egress.SpecDefaults{}); err != nil {
			t.Errorf("docs/egress.md shows %q, which the manager refuses: %v", spec, err)
		}
		scheme, _, _ := strings.Cut(spec, ":")
		schemes[scheme] = true
	}
	for _, s := range []string{"http", "https", "dns", "interface", "static"} {
		if !schemes[s] {
			t.Errorf("the table has no example of the accepted scheme %s:", s)
		}
	}
}

// TestEgressDocRefusals runs the manager as docs/egress.md shows and
// compares what it prints with what the page quotes: an unknown scheme,
// and a single source under the default quorum:2 (with the fix in the
// message). Both end the manager at start-up, before any lookup.
func TestEgressDocRefusals(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the manager")
	}
	t.Parallel()
	doc := readRepoFile(t, "docs/egress.md")
	dir := t.TempDir()
	manager := filepath.Join(dir, "manager")
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	build := exec.CommandContext(ctx, "go", "build", "-o", manager, ".")
	build.Dir = repoRoot
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build the manager: %v\n%s", err, out)
	}
	single := fencedBlock(t, doc, "### One source needs the policy `first`", "sh")
	cases := []struct {
		name, command, after string
	}{
		{"an unknown scheme", "manager --ipv4-sources=ftp://example.net/ip", "`--ipv4-sources=ftp://example.net/ip`"},
		{"one source under quorum:2", strings.Join(single, "\n"), "exits with status 1 and"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(doc, tc.after) {
				t.Fatalf("docs/egress.md no longer says %s", tc.after)
			}
			want := strings.Join(fencedBlock(t, doc, tc.after, "text"), "\n")
			command, ok := strings.CutPrefix(tc.command, "manager ")
			if !ok {
				t.Fatalf("the documented command %q does not start with manager", tc.command)
			}
			cmd := exec.CommandContext(ctx, "bash", "-c", `exec "$0" `+command, manager)
			cmd.Env = []string{"HOME=" + dir, "KUBECONFIG=" + filepath.Join(dir, "none"), "PATH=" + os.Getenv("PATH")}
			out, err := cmd.CombinedOutput()
			if ee := (*exec.ExitError)(nil); !errors.As(err, &ee) || ee.ExitCode() != 1 {
				t.Errorf("%s: exit %v, want status 1", tc.command, err)
			}
			if got := strings.TrimSpace(string(out)); got != want {
				t.Errorf("%s prints\n%s\ndocs/egress.md quotes\n%s", tc.command, got, want)
			}
		})
	}
}
