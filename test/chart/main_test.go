// Package chart_test installs ddns-operator the ways users do, on a real API
// server: the Helm chart (lint, schema, render, server-side dry-run, and the
// manager running under the chart's RBAC), the kustomize config, the
// cross-compiled binaries, and the Argo CD health check.
package chart_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	"k8s.io/klog/v2"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"

	ddnsv1 "github.com/ddns-operator/ddns-operator/api/v1alpha1"
)

// Paths from this package to what it tests.
var (
	repoRoot  = filepath.Join("..", "..")
	chartDir  = filepath.Join(repoRoot, "charts", "ddns-operator")
	configDir = filepath.Join(repoRoot, "config")
)

// One API server for the package: admin is its cluster-admin client and
// adminCfg the config the impersonating managers start from.
var (
	admin    client.Client
	adminCfg *rest.Config
	scheme   = runtime.NewScheme()
	logSink  = &syncBuffer{}
)

func TestMain(m *testing.M) {
	os.Exit(runSuite(m))
}

func runSuite(m *testing.M) int {
	_ = clientgoscheme.AddToScheme(scheme)
	_ = ddnsv1.AddToScheme(scheme)
	if os.Getenv("KUBEBUILDER_ASSETS") == "" {
		// Render and lint tests run; API-server tests fail with the reason.
		return m.Run()
	}
	ctrl.SetLogger(zap.New(zap.WriteTo(logSink), zap.UseDevMode(true)))
	// client-go's event broadcaster and leader election log through klog:
	// keep their refusals in logSink too, where the RBAC tests read them.
	klog.SetLogger(ctrl.Log.WithName("klog"))
	env := &envtest.Environment{
		// The chart's own CRD copy: installing it proves it is valid.
		CRDDirectoryPaths: []string{
			filepath.Join(chartDir, "crds"),
			filepath.Join("testdata", "crds"),
		},
		ErrorIfCRDPathMissing: true,
	}
	cfg, err := env.Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, "start envtest:", err)
		return 1
	}
	defer func() { _ = env.Stop() }()
	adminCfg = cfg
	if admin, err = client.New(cfg, client.Options{Scheme: scheme}); err != nil {
		fmt.Fprintln(os.Stderr, "client:", err)
		return 1
	}
	return m.Run()
}

// requireAPIServer fails t when no API server was started.
func requireAPIServer(t *testing.T) {
	t.Helper()
	if admin == nil {
		t.Fatal("KUBEBUILDER_ASSETS is not set: run `make test`, or export KUBEBUILDER_ASSETS=$(bash hack/setup-envtest.sh)")
	}
}

// ctxFor returns a context cancelled when t ends.
func ctxFor(t *testing.T) context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	return ctx
}
