// Package system starts the whole operator on one machine, all on
// 127.0.0.1 with free ports and temporary directories: a real
// kube-apiserver and etcd (the envtest binaries) with the CRDs installed,
// BIND 9 with a dynamic zone and TSIG keys, an HTTP echo server standing in
// for the public-IP service, and manager processes built from this
// checkout. The e2e test and `make demo` share it.
package system

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/envtest"

	"github.com/ddns-operator/ddns-operator/providers/rfc2136/bindtest"
)

// Options say where the checkout is and what to serve.
type Options struct {
	// Root is the repository root (holding go.mod and config/).
	Root string
	// Zone is the dynamic zone BIND serves, e.g. "example.test".
	Zone string
	// Address is what the echo server answers at first.
	Address string
	// Manager is a built manager binary; built from Root when empty.
	Manager string
	// Dir holds the kubeconfig, the manager binary and logs; a new
	// temporary directory, removed on Stop, when empty.
	Dir string
}

// System is everything Start started.
type System struct {
	// Dir holds the kubeconfig, logs and the manager binary.
	Dir string
	// Kubeconfig is an admin kubeconfig for the API server.
	Kubeconfig string
	// Kubectl is the kubectl binary matching the API server.
	KubectlBin string
	// Dig is the dig binary.
	Dig string
	// DNS is the BIND 9 server.
	DNS *bindtest.Server
	// Echo is the public-IP stand-in.
	Echo *Echo
	// Manager is the manager binary.
	Manager string
	// Zone is the dynamic zone.
	Zone string

	env    *envtest.Environment
	ownDir bool
}

// Start starts BIND, the echo server and the control plane, and builds the
// manager when opts.Manager is empty. On error it stops what it started.
func Start(opts Options) (s *System, err error) {
	s = &System{Dir: opts.Dir, Zone: opts.Zone, Manager: opts.Manager}
	if s.Dir == "" {
		if s.Dir, err = os.MkdirTemp("", "ddns-e2e-"); err != nil {
			return nil, err
		}
		s.ownDir = true
	} else if s.Dir, err = filepath.Abs(s.Dir); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			s.Stop()
		}
	}()
	assets, err := envtestAssets(opts.Root)
	if err != nil {
		return s, err
	}
	s.KubectlBin = filepath.Join(assets, "kubectl")
	if s.Dig, err = bindtest.FindDig(); err != nil {
		return s, err
	}
	if s.Manager == "" {
		s.Manager = filepath.Join(s.Dir, "manager")
		if err = BuildManager(opts.Root, s.Manager); err != nil {
			return s, err
		}
	}
	if s.DNS, err = bindtest.Start(bindtest.Config{Zones: []string{opts.Zone}, Dir: filepath.Join(s.Dir, "bind")}); err != nil {
		return s, err
	}
	if s.Echo, err = StartEcho(opts.Address); err != nil {
		return s, err
	}
	s.env = &envtest.Environment{
		CRDDirectoryPaths:     []string{filepath.Join(opts.Root, "config", "crd", "bases")},
		ErrorIfCRDPathMissing: true,
		BinaryAssetsDirectory: assets,
		// kube-apiserver drains open watches before it exits; past this
		// it is killed, which StopAPIServer reports as a crash.
		ControlPlaneStopTimeout: 10 * time.Second,
	}
	// A fixed certificate directory lets the API server restart with the
	// same serving certificate, so clients keep working across a restart.
	s.env.ControlPlane.GetAPIServer().CertDir = filepath.Join(s.Dir, "apiserver")
	if err = os.MkdirAll(s.env.ControlPlane.GetAPIServer().CertDir, 0o700); err != nil {
		return s, err
	}
	if _, err = s.env.Start(); err != nil {
		return s, fmt.Errorf("start kube-apiserver and etcd: %w", err)
	}
	user, err := s.env.AddUser(envtest.User{Name: "admin", Groups: []string{"system:masters"}}, nil)
	if err != nil {
		return s, fmt.Errorf("create an admin user: %w", err)
	}
	kc, err := user.KubeConfig()
	if err != nil {
		return s, err
	}
	s.Kubeconfig = filepath.Join(s.Dir, "kubeconfig")
	return s, os.WriteFile(s.Kubeconfig, kc, 0o600)
}

// StopAPIServer stops kube-apiserver, leaving etcd and its data running,
// as during a control-plane upgrade or outage. killed reports that it did
// not drain its watches in time and was killed instead, as in a crash.
func (s *System) StopAPIServer() (killed bool, err error) {
	api := s.env.ControlPlane.APIServer
	if err := api.Stop(); err != nil {
		if !strings.Contains(err.Error(), "timeout waiting for process") {
			return false, err
		}
		// envtest killed it after the timeout but skipped the rest of its
		// stop: finish it so the server can start again.
		return true, api.Authn.Stop()
	}
	return false, nil
}

// StartAPIServer starts kube-apiserver again on the same address, with the
// same certificates and data.
func (s *System) StartAPIServer() error {
	return s.env.ControlPlane.APIServer.Start()
}

// Stop stops everything Start started, in reverse order.
func (s *System) Stop() {
	if s.env != nil {
		_ = s.env.Stop()
	}
	if s.Echo != nil {
		s.Echo.Close()
	}
	if s.DNS != nil {
		s.DNS.Stop()
	}
	if s.ownDir {
		_ = os.RemoveAll(s.Dir)
	}
}

// BuildManager builds the manager binary of the checkout at root.
func BuildManager(root, out string) error {
	// Bounded, so a stuck build fails with its output rather than at the
	// test binary's own deadline.
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, ".")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("build the manager: %w\n%s", err, b)
	}
	return nil
}

// envtestAssets returns the directory of kube-apiserver, etcd and kubectl:
// $KUBEBUILDER_ASSETS, or what hack/setup-envtest.sh provides.
func envtestAssets(root string) (string, error) {
	if dir := os.Getenv("KUBEBUILDER_ASSETS"); dir != "" {
		return dir, nil
	}
	out, err := exec.Command(filepath.Join(root, "hack", "setup-envtest.sh")).Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return "", fmt.Errorf("hack/setup-envtest.sh: %w: %s", err, ee.Stderr)
		}
		return "", fmt.Errorf("hack/setup-envtest.sh: %w", err)
	}
	dir := strings.TrimSpace(string(out))
	_ = os.Setenv("KUBEBUILDER_ASSETS", dir)
	return dir, nil
}

// Kubectl runs kubectl against the system with stdin, returning its
// combined output.
func (s *System) Kubectl(ctx context.Context, stdin string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, s.KubectlBin, append([]string{"--kubeconfig", s.Kubeconfig}, args...)...)
	if stdin != "" {
		cmd.Stdin = strings.NewReader(stdin)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("kubectl %s: %w: %s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out)), nil
}

// Lookup asks BIND for name's records of type typ with dig, returning the
// answers (empty when there are none).
func (s *System) Lookup(ctx context.Context, name, typ string) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, s.Dig, s.DigArgs(name, typ)...).Output()
	if err != nil {
		return nil, fmt.Errorf("dig %s %s: %w", name, typ, err)
	}
	return strings.Fields(string(out)), nil
}

// DigArgs are the dig arguments that ask BIND for name's records.
func (s *System) DigArgs(name, typ string) []string {
	return []string{"@127.0.0.1", "-p", fmt.Sprint(s.DNS.Port), name, typ, "+short", "+tries=1", "+time=2"}
}

// SecretYAML is a Secret with the TSIG key of alg, for records to use.
func (s *System) SecretYAML(name, namespace, alg string) string {
	k := s.DNS.Keys[alg]
	return fmt.Sprintf(`apiVersion: v1
kind: Secret
metadata:
  name: %s
  namespace: %s
stringData:
  tsigKeyName: %s
  tsigSecret: %s
  tsigAlgorithm: %s
`, name, namespace, k.Name, k.Secret, k.Algorithm)
}

// RecordYAML is an A record for domain at the system's BIND.
func (s *System) RecordYAML(name, namespace, domain, secret, deletionPolicy string) string {
	return fmt.Sprintf(`apiVersion: ddns.dev/v1alpha1
kind: DynamicDNSRecord
metadata:
  name: %s
  namespace: %s
spec:
  domain: %s
  type: A
  ttl: 60
  provider: rfc2136
  secretRef:
    name: %s
  rfc2136:
    server: %s
  deletionPolicy: %s
`, name, namespace, domain, secret, s.DNS.Addr, deletionPolicy)
}
