package main

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// linkRule forbids a package tree in the manager binary: the package
// prefix and every package under it, except the subtrees in allow. An SDK
// whose root or umbrella package links hundreds of services for the one
// DNS API the operator calls costs every user megabytes of binary and of
// memory, and minutes of cold build; these rules keep such an import from
// coming back unnoticed.
type linkRule struct {
	prefix string
	allow  []string
	why    string
}

// linkRules are the package trees the manager must not link. A provider
// that needs one of them should import the SDK's service package alone, or
// speak the provider's documented HTTP API.
var linkRules = []linkRule{
	{
		prefix: "github.com/cloudflare/cloudflare-go",
		why:    "the SDK's internal/apijson turns off the linker's dead-method elimination for the whole binary (11.7 MB of the stripped manager); speak the REST API v4, as providers/cloudflare does",
	},
	{
		prefix: "cloud.google.com/go",
		allow:  []string{"cloud.google.com/go/compute/metadata"}, // golang.org/x/oauth2/google's workload identity
		why:    "Google's Cloud client libraries bring gRPC and generated protos; use google.golang.org/api's REST client for Cloud DNS",
	},
	{
		prefix: "github.com/aws/aws-sdk-go-v2/service",
		allow: []string{
			"github.com/aws/aws-sdk-go-v2/service/route53",
			"github.com/aws/aws-sdk-go-v2/service/sts",      // web identity (IRSA) and assumed roles
			"github.com/aws/aws-sdk-go-v2/service/internal", // request customizations route53 and sts share
		},
		why: "only Route 53 and the credential chain's STS are needed",
	},
	{prefix: "github.com/huaweicloud", why: "the Huawei Cloud SDK links every service; use its documented HTTP API"},
	{prefix: "github.com/volcengine", why: "the Volcengine SDK links every service; use its documented HTTP API"},
	{prefix: "github.com/baidubce", why: "the Baidu Cloud SDK links every service; use its documented HTTP API"},
	{prefix: "github.com/aliyun/alibaba-cloud-sdk-go", why: "Alibaba's monolithic SDK; call the API through the darabonba OpenAPI client, as providers/alidns does"},
	{
		prefix: "github.com/alibabacloud-go/alidns-20150109",
		why:    "the alidns SDK package holds every Alibaba Cloud DNS action (4.6 MB of the stripped manager) for the eight the provider sends; call them through the darabonba OpenAPI client's CallApi, as providers/alidns and aliesa do",
	},
	{
		prefix: "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/dnspod",
		why:    "the SDK's dnspod package holds every DNSPod action (2.5 MB of the stripped manager) for the five the provider sends; send them through the common client, as providers/tencentcloud and edgeone do",
	},
	{
		prefix: "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud",
		allow:  []string{"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"},
		why:    "each service package of Tencent Cloud's SDK holds every action of its service; only the common client is needed",
	},
	{prefix: "k8s.io/kubernetes", why: "Kubernetes' own tree is not a library; use k8s.io/api, apimachinery and client-go"},
}

// under reports whether pkg is tree or a package below it.
func under(pkg, tree string) bool {
	return pkg == tree || strings.HasPrefix(pkg, tree+"/")
}

// forbiddenBy returns the rule pkg breaks, or nil.
func forbiddenBy(pkg string) *linkRule {
	for i := range linkRules {
		r := &linkRules[i]
		if !under(pkg, r.prefix) {
			continue
		}
		allowed := false
		for _, a := range r.allow {
			allowed = allowed || under(pkg, a)
		}
		if !allowed {
			return r
		}
	}
	return nil
}

// importGraph is the import graph of a main package and everything it
// links, as `go list -deps` reports it for the image's build (CGO off).
type importGraph struct {
	root    string
	imports map[string][]string
	order   []string // go list's order: dependencies first
}

// listDeps runs go list -deps on pattern from the module root.
func listDeps(t *testing.T, pattern string) importGraph {
	t.Helper()
	cmd := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", pattern)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	out, err := cmd.Output()
	if err != nil {
		var stderr string
		if ee := (*exec.ExitError)(nil); errors.As(err, &ee) {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("go list -deps %s: %v\n%s", pattern, err, stderr)
	}
	g := importGraph{imports: map[string][]string{}}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		g.order = append(g.order, f[0])
		g.imports[f[0]] = f[1:]
	}
	// The main package comes last: every other package is its dependency.
	g.root = g.order[len(g.order)-1]
	return g
}

// chain is the shortest import path from the root to pkg, to tell whoever
// broke a rule which import did it.
func (g importGraph) chain(pkg string) []string {
	prev := map[string]string{g.root: ""}
	queue := []string{g.root}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if p == pkg {
			var out []string
			for ; p != ""; p = prev[p] {
				out = append([]string{p}, out...)
			}
			return out
		}
		for _, next := range g.imports[p] {
			if _, seen := prev[next]; !seen {
				prev[next] = p
				queue = append(queue, next)
			}
		}
	}
	return nil
}

// violations lists the forbidden packages the graph links where they enter
// it: each package that breaks a rule and is imported by one that does not
// (the import to remove), with the rule's reason and the import chain that
// brings it in. Packages whose shortest import chain passes through
// another forbidden package are only counted, in more.
func (g importGraph) violations() (entries []string, more int) {
	for _, pkg := range g.order {
		r := forbiddenBy(pkg)
		if r == nil {
			continue
		}
		chain := g.chain(pkg)
		if len(chain) > 1 && forbiddenBy(chain[len(chain)-2]) != nil {
			more++
			continue
		}
		entries = append(entries, pkg+": "+r.why+"\n\tlinked through "+strings.Join(chain, " -> "))
	}
	return entries, more
}

// The manager links no package tree the size budget forbids (see
// linkRules and BENCHMARKS.md).
func TestManagerLinksNoForbiddenPackage(t *testing.T) {
	g := listDeps(t, ".")
	if v, more := g.violations(); len(v) > 0 {
		t.Errorf("the manager links forbidden packages:\n%s\nand %d more forbidden packages behind them", strings.Join(v, "\n"), more)
	}
	if len(g.order) < 100 {
		t.Fatalf("go list -deps . listed %d packages: the graph is not the manager's", len(g.order))
	}
}

// The guard catches a heavy import: testdata/linkguard is a main package
// that imports the SDK's dnspod package, as providers/tencentcloud once
// did (the module stays required by tencentcloudfake's test).
func TestLinkGuardCatchesAHeavyImport(t *testing.T) {
	const pkg = "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/dnspod/v20210323"
	g := listDeps(t, "./testdata/linkguard")
	v, _ := g.violations()
	want := pkg + ": " + forbiddenBy(pkg).why + "\n\tlinked through " + g.root + " -> " + pkg
	if len(v) != 1 || v[0] != want {
		t.Fatalf("violations:\n%s\nwant exactly:\n%s", strings.Join(v, "\n"), want)
	}
}

// A forbidden package that enters through another forbidden one (an SDK
// root's services) is counted, not reported: the report names the import
// to remove.
func TestViolationsNameWhereATreeEnters(t *testing.T) {
	const root = "example.com/manager"
	sdk, svc := "github.com/cloudflare/cloudflare-go/v6", "github.com/cloudflare/cloudflare-go/v6/zero_trust"
	g := importGraph{
		root:    root,
		imports: map[string][]string{root: {"net/http", sdk}, sdk: {svc, "net/http"}, svc: {"net/http"}},
		order:   []string{"net/http", svc, sdk, root},
	}
	v, more := g.violations()
	want := sdk + ": " + forbiddenBy(sdk).why + "\n\tlinked through " + root + " -> " + sdk
	if len(v) != 1 || v[0] != want || more != 1 {
		t.Fatalf("violations %q and %d more, want exactly %q and 1 more", v, more, want)
	}
}

func TestForbiddenBy(t *testing.T) {
	for _, tc := range []struct {
		pkg       string
		forbidden bool
	}{
		{"github.com/cloudflare/cloudflare-go/v6", true},
		{"github.com/cloudflare/cloudflare-go/v6/zero_trust", true},
		{"github.com/cloudflare/cloudflare-go/v6/magic_transit", true},
		{"github.com/cloudflare/cloudflare-go/v6/dns", true},
		{"github.com/cloudflare/cloudflare-go/v6/internal/apijson", true},
		{"github.com/cloudflare/cloudflare-go", true},
		{"github.com/cloudflare/cloudflare-gopher", false}, // a prefix of a name is not its tree
		{"github.com/cloudflare/circl/sign/ed25519", false},
		{"cloud.google.com/go/dns/apiv1", true},
		{"cloud.google.com/go/compute/metadata", false},
		{"github.com/aws/aws-sdk-go-v2/service/route53", false},
		{"github.com/aws/aws-sdk-go-v2/service/route53/types", false},
		{"github.com/aws/aws-sdk-go-v2/service/route53domains", true},
		{"github.com/aws/aws-sdk-go-v2/service/ec2", true},
		{"github.com/aws/aws-sdk-go-v2/service/sts", false},
		{"github.com/aws/aws-sdk-go-v2/aws", false},
		{"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dns/v2", true},
		{"github.com/volcengine/volcengine-go-sdk/service/dns", true},
		{"github.com/baidubce/bce-sdk-go/services/dns", true},
		{"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/dnspod/v20210323", true},
		{"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/cvm/v20170312", true},
		{"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common", false},
		{"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/http", false},
		{"github.com/alibabacloud-go/alidns-20150109/v4/client", true},
		{"github.com/alibabacloud-go/darabonba-openapi/v2/client", false},
		{"github.com/alibabacloud-go/tea/tea", false},
		{"k8s.io/client-go/kubernetes", false},
		{"github.com/ddns-operator/ddns-operator/providers/cloudflare", false},
	} {
		if got := forbiddenBy(tc.pkg) != nil; got != tc.forbidden {
			t.Errorf("forbiddenBy(%s) = %v, want %v", tc.pkg, got, tc.forbidden)
		}
	}
}

// reflectMethodChain builds pkg as the image does (CGO off) with the
// linker's dependency dump and returns the chain from the program's entry
// to the first function that calls a method chosen at run time
// (reflect.Value.MethodByName, text/template's field evaluation, a type
// that embeds reflect.Type and is held in an interface, ...), or nil when
// there is none. One such function anywhere makes the linker keep every
// exported method of every type held in an interface: 9.6 MB of the
// stripped manager (issue 20, BENCHMARKS.md).
func reflectMethodChain(t *testing.T, pkg string) []string {
	t.Helper()
	cmd := exec.Command("go", "build", "-o", t.TempDir()+"/bin", "-ldflags=-dumpdep", pkg)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	clean := func(s string) string {
		s = strings.TrimSuffix(s, " <ReflectMethod>")
		return strings.TrimSuffix(s, " <UsedInIface>")
	}
	parent := map[string]string{}
	var first string
	var other []string // lines that are not the dump: the build's errors
	sc := bufio.NewScanner(stderr)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		from, to, ok := strings.Cut(sc.Text(), " -> ")
		if !ok {
			other = append(other, sc.Text())
			continue
		}
		name := clean(to)
		if _, seen := parent[name]; !seen {
			parent[name] = clean(from)
		}
		if first == "" && strings.HasSuffix(to, "<ReflectMethod>") {
			first = name
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("go build -ldflags=-dumpdep %s: %v\n%s", pkg, err, strings.Join(other, "\n"))
	}
	if len(parent) < 1000 {
		t.Fatalf("the linker's dump of %s has %d symbols: not the dump", pkg, len(parent))
	}
	if first == "" {
		return nil
	}
	chain := []string{first}
	for s := parent[first]; s != "" && s != "_" && len(chain) < 30; s = parent[s] {
		chain = append(chain, s)
	}
	return chain
}

// The manager calls no method chosen at run time, so the linker drops
// every method nothing calls (see reflectMethodChain).
func TestLinkerDropsUncalledMethods(t *testing.T) {
	if chain := reflectMethodChain(t, "."); chain != nil {
		t.Errorf("the manager links %s, which calls methods by name at run time, so the linker keeps every exported method of every type (about 10 MB); reached through:\n\t%s",
			chain[0], strings.Join(chain[1:], "\n\t"))
	}
}

// The method guard catches a template: testdata/reflectmethod executes a
// text/template, as shoutrrr's smtp and generic services did.
func TestMethodGuardCatchesATemplate(t *testing.T) {
	chain := reflectMethodChain(t, "./testdata/reflectmethod")
	if len(chain) == 0 || !strings.HasPrefix(chain[0], "text/template.") || !slices.Contains(chain, "main.main") {
		t.Errorf("chain %q, want one from main.main to text/template", chain)
	}
}
