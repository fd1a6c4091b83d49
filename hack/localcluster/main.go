// Command localcluster runs the manager for `make run`: against the current
// kubeconfig when a cluster answers, otherwise against a local control plane
// (kube-apiserver and etcd from hack/setup-envtest.sh) that it starts, with
// the CRDs installed, a kubeconfig written for kubectl, and BIND 9 serving
// the zone example.test for a sample record that reaches Ready with no
// cloud account and no internet. Ctrl-C stops the manager and everything
// this command started.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/go-logr/logr"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/ddns-operator/ddns-operator/providers/rfc2136/bindtest"
)

func main() {
	// envtest logs through controller-runtime's logger. Unset, that logger
	// prints "log.SetLogger(...) was never called" with a goroutine stack
	// at the first line logged 30s after start, which on a fresh machine
	// (minutes spent building kube-apiserver first) is every time. What
	// envtest says is debug detail; its errors come back as errors.
	ctrllog.SetLogger(logr.Discard())
	dieWithParent()
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "make run:", err)
		os.Exit(1)
	}
}

// options are the command's flags.
type options struct {
	manager, crds, kubeconfigOut, sampleOut, setupEnvtest string
	managerArgs                                           []string
}

func run() error {
	var o options
	flag.StringVar(&o.manager, "manager", "bin/manager", "Path of the manager binary.")
	flag.StringVar(&o.crds, "crds", "config/crd/bases", "Directory of the CRDs to install.")
	flag.StringVar(&o.kubeconfigOut, "kubeconfig-out", "bin/local-kubeconfig", "Where to write the local control plane's kubeconfig.")
	flag.StringVar(&o.sampleOut, "sample-out", "bin/local-sample.yaml", "Where to write the sample record for the local BIND 9.")
	flag.StringVar(&o.setupEnvtest, "setup-envtest", "hack/setup-envtest.sh", "The script that provides kube-apiserver, etcd and kubectl and prints their directory (when KUBEBUILDER_ASSETS is unset).")
	flag.Parse()
	o.managerArgs = flag.Args()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	cfg, err := existingCluster()
	if err == nil {
		fmt.Println("Using the cluster of the current kubeconfig:", cfg.Host)
		if _, err := envtest.InstallCRDs(cfg, envtest.CRDInstallOptions{Paths: []string{o.crds}, ErrorIfPathMissing: true}); err != nil {
			return fmt.Errorf("install CRDs: %w", err)
		}
		fmt.Print("\nThe CRDs are installed. Put your credentials in one of config/samples/*.yaml and kubectl apply -f it.\n\n")
		return runManager(ctx, o.manager, "", o.managerArgs)
	}
	fmt.Println("No cluster answers (" + err.Error() + "); starting a local control plane.")
	l, err := startLocal(ctx, o)
	if err != nil {
		return err
	}
	defer l.stop()
	l.printNextSteps()
	return runManager(ctx, o.manager, l.kubeconfig, o.managerArgs)
}

// existingCluster returns the current kubeconfig's cluster when it answers
// within a few seconds.
func existingCluster() (*rest.Config, error) {
	cfg, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(
		clientcmd.NewDefaultClientConfigLoadingRules(), &clientcmd.ConfigOverrides{}).ClientConfig()
	if err != nil {
		return nil, errors.New("no usable kubeconfig")
	}
	probe := rest.CopyConfig(cfg)
	probe.Timeout = 3 * time.Second
	dc, err := discovery.NewDiscoveryClientForConfig(probe)
	if err != nil {
		return nil, err
	}
	if _, err := dc.ServerVersion(); err != nil {
		return nil, fmt.Errorf("%s does not answer", cfg.Host)
	}
	return cfg, nil
}

// local is what startLocal started and wrote.
type local struct {
	env        *envtest.Environment
	dns        *bindtest.Server
	assets     string
	kubeconfig string
	sample     string
}

// startLocal provides the control-plane binaries, starts kube-apiserver and
// etcd with the CRDs and BIND 9 with the sample zone, and writes an admin
// kubeconfig and the sample record. On error it stops what it started.
func startLocal(ctx context.Context, o options) (l *local, err error) {
	l = &local{assets: os.Getenv("KUBEBUILDER_ASSETS")}
	defer func() {
		if err != nil {
			l.stop()
		}
	}()
	if l.assets == "" {
		if l.assets, err = provideBinaries(ctx, o.setupEnvtest); err != nil {
			return l, err
		}
		_ = os.Setenv("KUBEBUILDER_ASSETS", l.assets)
	}
	l.env = &envtest.Environment{CRDDirectoryPaths: []string{o.crds}, ErrorIfCRDPathMissing: true}
	if err = step("Starting kube-apiserver and etcd on 127.0.0.1", "binaries in "+l.assets, func() error {
		_, err := l.env.Start()
		return err
	}); err != nil {
		return l, fmt.Errorf("start the local control plane: %w", err)
	}
	if l.kubeconfig, err = writeKubeconfig(l.env, o.kubeconfigOut); err != nil {
		return l, err
	}
	if err = step("Starting BIND 9 on 127.0.0.1 with the zone "+sampleZone, "for the local sample record", func() error {
		l.dns, err = bindtest.Start(bindtest.Config{Zones: []string{sampleZone}})
		return err
	}); err != nil {
		return l, fmt.Errorf("start BIND 9 for the local sample: %w", err)
	}
	if l.sample, err = filepath.Abs(o.sampleOut); err != nil {
		return l, err
	}
	return l, os.WriteFile(l.sample, []byte(sampleYAML(l.dns)), 0o600)
}

// provideBinaries runs the setup script, its progress shown as it comes,
// and returns the directory it prints.
func provideBinaries(ctx context.Context, script string) (string, error) {
	cmd := exec.CommandContext(ctx, script)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("provide the control-plane binaries with %s: %w", script, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// writeKubeconfig adds an admin user to env and writes its kubeconfig to
// path, returning the absolute path.
func writeKubeconfig(env *envtest.Environment, path string) (string, error) {
	user, err := env.AddUser(envtest.User{Name: "admin", Groups: []string{"system:masters"}}, nil)
	if err != nil {
		return "", fmt.Errorf("create an admin user: %w", err)
	}
	kc, err := user.KubeConfig()
	if err != nil {
		return "", err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return "", err
	}
	return abs, os.WriteFile(abs, kc, 0o600)
}

// printNextSteps tells the person what to type in another terminal. The
// README shows these lines and a test runs them from there.
func (l *local) printNextSteps() {
	fmt.Printf("\nThe local control plane is up, with BIND 9 serving %s on %s.\n", sampleZone, l.dns.Addr)
	fmt.Print("In another terminal, apply the local sample (it needs no cloud account) and watch it become Ready:\n\n")
	fmt.Printf("  export KUBECONFIG=%s\n", l.kubeconfig)
	if _, err := exec.LookPath("kubectl"); err != nil {
		fmt.Printf("  export PATH=$PATH:%s   # kubectl, built with the control plane\n", kubectlDir(l.assets))
	}
	fmt.Printf("  kubectl apply -f %s\n", l.sample)
	fmt.Printf("  kubectl wait ddns/%s --for=condition=Ready --timeout=60s\n", sampleName)
	fmt.Printf("  kubectl get ddns\n")
	fmt.Printf("  dig @127.0.0.1 -p %d %s +short\n", l.dns.Port, sampleDomain)
	fmt.Print("\nThe sample's comments say what it does. For a cloud provider, put your credentials in\n" +
		"config/samples/<provider>.yaml and kubectl apply -f it. Ctrl-C here stops everything.\n\n")
}

// kubectlDir is the directory of the real kubectl behind assets (which may
// hold a symlink to it).
func kubectlDir(assets string) string {
	if p, err := filepath.EvalSymlinks(filepath.Join(assets, "kubectl")); err == nil {
		return filepath.Dir(p)
	}
	return assets
}

// stop stops BIND and the control plane, whichever were started.
func (l *local) stop() {
	if l.dns != nil {
		l.dns.Stop()
	}
	if l.env != nil {
		fmt.Println("Stopping the local control plane.")
		_ = l.env.Stop()
	}
}

// runManager runs the manager until ctx ends or it exits.
func runManager(ctx context.Context, bin, kubeconfig string, args []string) error {
	args = append([]string{"--leader-elect=false"}, args...)
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	cmd.Env = os.Environ()
	if kubeconfig != "" {
		cmd.Env = append(cmd.Env, "KUBECONFIG="+kubeconfig)
	}
	cmd.SysProcAttr = childDiesWithUs()
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start manager: %w", err)
	}
	var waitErr error
	done := make(chan struct{})
	go func() { waitErr = cmd.Wait(); close(done) }()
	select {
	case <-done:
		return waitErr
	case <-ctx.Done():
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		return nil
	}
}
