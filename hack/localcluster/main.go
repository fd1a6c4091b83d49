// Command localcluster runs the manager for `make run`: against the current
// kubeconfig when a cluster answers, otherwise against a local control plane
// (kube-apiserver and etcd from hack/setup-envtest.sh) that it starts, with
// the CRDs installed and a kubeconfig written for kubectl. Ctrl-C stops the
// manager and everything this command started.
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

	"k8s.io/client-go/discovery"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "make run:", err)
		os.Exit(1)
	}
}

func run() error {
	manager := flag.String("manager", "bin/manager", "Path of the manager binary.")
	crds := flag.String("crds", "config/crd/bases", "Directory of the CRDs to install.")
	kubeconfigOut := flag.String("kubeconfig-out", "bin/local-kubeconfig", "Where to write the local control plane's kubeconfig.")
	flag.Parse()
	managerArgs := flag.Args()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	kubeconfig := ""
	cfg, err := existingCluster()
	if err == nil {
		fmt.Println("Using the cluster of the current kubeconfig:", cfg.Host)
		if _, err := envtest.InstallCRDs(cfg, envtest.CRDInstallOptions{Paths: []string{*crds}, ErrorIfPathMissing: true}); err != nil {
			return fmt.Errorf("install CRDs: %w", err)
		}
	} else {
		fmt.Println("No cluster answers (" + err.Error() + "); starting a local control plane.")
		env, path, err := startLocal(*crds, *kubeconfigOut)
		if err != nil {
			return err
		}
		defer func() {
			fmt.Println("Stopping the local control plane.")
			_ = env.Stop()
		}()
		kubeconfig = path
		fmt.Printf("\nThe local control plane is up. In another terminal:\n\n  export KUBECONFIG=%s\n  kubectl apply -f config/samples/\n  kubectl get ddns -A\n\n", path)
	}
	return runManager(ctx, *manager, kubeconfig, managerArgs)
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

// startLocal starts kube-apiserver and etcd with the CRDs and writes an
// admin kubeconfig to path.
func startLocal(crds, path string) (*envtest.Environment, string, error) {
	if os.Getenv("KUBEBUILDER_ASSETS") == "" {
		out, err := exec.Command("hack/setup-envtest.sh").Output()
		if err != nil {
			return nil, "", fmt.Errorf("provide control-plane binaries: %w", err)
		}
		_ = os.Setenv("KUBEBUILDER_ASSETS", strings.TrimSpace(string(out)))
	}
	env := &envtest.Environment{CRDDirectoryPaths: []string{crds}, ErrorIfCRDPathMissing: true}
	if _, err := env.Start(); err != nil {
		return nil, "", fmt.Errorf("start the local control plane: %w", err)
	}
	user, err := env.AddUser(envtest.User{Name: "admin", Groups: []string{"system:masters"}}, nil)
	if err != nil {
		_ = env.Stop()
		return nil, "", fmt.Errorf("create an admin user: %w", err)
	}
	kc, err := user.KubeConfig()
	if err != nil {
		_ = env.Stop()
		return nil, "", err
	}
	abs, _ := filepath.Abs(path)
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		_ = env.Stop()
		return nil, "", err
	}
	if err := os.WriteFile(abs, kc, 0o600); err != nil {
		_ = env.Stop()
		return nil, "", err
	}
	return env, abs, nil
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
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start manager: %w", err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return err
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
