package controllers

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	"sigs.k8s.io/controller-runtime/pkg/envtest"

	ddnsv1 "github.com/ddns-operator/ddns-operator/api/v1alpha1"
)

// TestKubectlGetShowsPrinterColumns runs the user's own tool against the
// API server while the manager reconciles, and checks the columns it prints.
func TestKubectlGetShowsPrinterColumns(t *testing.T) {
	t.Parallel()
	requireAPIServer(t)
	kubectl := filepath.Join(os.Getenv("KUBEBUILDER_ASSETS"), "kubectl")
	if _, err := os.Stat(kubectl); err != nil {
		t.Fatalf("kubectl is not among the envtest binaries: %v", err)
	}
	f := newFixture(t)
	user, err := testEnv.AddUser(envtest.User{Name: "kubectl-" + f.ns, Groups: []string{"system:masters"}}, nil)
	f.g.Expect(err).NotTo(HaveOccurred())
	kc, err := user.KubeConfig()
	f.g.Expect(err).NotTo(HaveOccurred())
	kubeconfig := filepath.Join(t.TempDir(), "kubeconfig")
	f.g.Expect(os.WriteFile(kubeconfig, kc, 0o600)).To(Succeed())

	domain := f.d("home", "example.com")
	f.record("home", domain, nil)
	f.record("broken", f.d("broken", "example.com"), func(s *ddnsv1.DynamicDNSRecordSpec) { s.SecretRef.Name = "missing" })
	obj := f.waitReady("home")
	f.waitReason("broken", ddnsv1.ReasonSecretNotFound)

	out, err := exec.Command(kubectl, "--kubeconfig", kubeconfig, "get", "ddns", "-n", f.ns).CombinedOutput()
	f.g.Expect(err).NotTo(HaveOccurred(), string(out))
	t.Logf("kubectl get ddns:\n%s", out)
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	f.g.Expect(lines).To(HaveLen(3))
	f.g.Expect(strings.Fields(lines[0])).To(Equal([]string{"NAME", "DOMAIN", "TYPE", "ADDRESS", "READY", "REASON", "AGE"}))
	rows := map[string][]string{}
	for _, l := range lines[1:] {
		fields := strings.Fields(l)
		rows[fields[0]] = fields
	}
	f.g.Expect(rows["home"][:6]).To(Equal([]string{"home", domain, "A", obj.Status.Addresses[0], "True", ddnsv1.ReasonSynced}))
	f.g.Expect(rows["broken"][:5]).To(Equal([]string{"broken", f.d("broken", "example.com"), "A", "False", ddnsv1.ReasonSecretNotFound}))

	out, err = exec.Command(kubectl, "--kubeconfig", kubeconfig, "get", "ddns", "-n", f.ns, "home", "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].message}").CombinedOutput()
	f.g.Expect(err).NotTo(HaveOccurred(), string(out))
	f.g.Expect(string(out)).To(ContainSubstring(obj.Status.Addresses[0]))
}

// TestKubectlExplainShowsDefaultsAndLimits reads the fields a user looks
// up with kubectl explain: each says its default and limits in words.
func TestKubectlExplainShowsDefaultsAndLimits(t *testing.T) {
	t.Parallel()
	requireAPIServer(t)
	kubectl := filepath.Join(os.Getenv("KUBEBUILDER_ASSETS"), "kubectl")
	f := newFixture(t)
	user, err := testEnv.AddUser(envtest.User{Name: "explain-" + f.ns, Groups: []string{"system:masters"}}, nil)
	f.g.Expect(err).NotTo(HaveOccurred())
	kc, err := user.KubeConfig()
	f.g.Expect(err).NotTo(HaveOccurred())
	kubeconfig := filepath.Join(t.TempDir(), "kubeconfig")
	f.g.Expect(os.WriteFile(kubeconfig, kc, 0o600)).To(Succeed())
	for field, want := range map[string][]string{
		"ddns.spec.interval":       {"30s", "24h", "5m when unset"},
		"ddns.spec.deletionPolicy": {"Retain, the default", "Delete"},
		"ddns.spec.ttl":            {"1 to 86400", "cloudflare automatic (300)", "alidns 600", "tencentcloud 600", "dnspod 600", "rfc2136 300"},
		"ddns.status.recordIds":    {"IDs of the records this resource manages"},
	} {
		out, err := exec.Command(kubectl, "--kubeconfig", kubeconfig, "explain", field).CombinedOutput()
		f.g.Expect(err).NotTo(HaveOccurred(), string(out))
		text := strings.Join(strings.Fields(string(out)), " ")
		for _, w := range want {
			f.g.Expect(text).To(ContainSubstring(w), "kubectl explain %s:\n%s", field, out)
		}
	}
}
