// Command ddns-operator runs the DynamicDNSRecord controller: it detects the
// cluster's egress address and keeps DNS records at providers pointing at it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"strings"
	"time"

	"go.uber.org/zap/zapcore"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/healthz"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	ddnsv1 "github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/controllers"
	"github.com/ddns-operator/ddns-operator/internal/egress"
	"github.com/ddns-operator/ddns-operator/providers/registry"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// config is everything the flags set.
type config struct {
	metricsAddr, probeAddr string
	leaderElect            bool
	leaderElectionNS       string
	logFormat, logLevel    string
	detectInterval         time.Duration
	sourceTimeout          time.Duration
	ipv4Sources            string
	ipv6Sources            string
	staticIPv4, staticIPv6 string
	concurrency            int
}

// Default echo services per family; each answers with the caller's address
// as plain text, and each family's host resolves only to that family.
const (
	defaultIPv4Sources = "https://api.ipify.org,https://ipv4.icanhazip.com"
	defaultIPv6Sources = "https://api6.ipify.org,https://ipv6.icanhazip.com"
)

func parseFlags(args []string) (config, error) {
	var c config
	inCluster := os.Getenv("KUBERNETES_SERVICE_HOST") != ""
	fs := flag.NewFlagSet("ddns-operator", flag.ContinueOnError)
	fs.StringVar(&c.metricsAddr, "metrics-bind-address", ":8080", "Address the /metrics endpoint binds to; 0 disables it.")
	fs.StringVar(&c.probeAddr, "health-probe-bind-address", ":8081", "Address the /healthz and /readyz endpoints bind to.")
	fs.BoolVar(&c.leaderElect, "leader-elect", inCluster, "Elect a leader so only one replica writes to providers (default on when running in a cluster).")
	fs.StringVar(&c.leaderElectionNS, "leader-election-namespace", "", "Namespace of the leader election Lease (default: the pod's namespace).")
	fs.StringVar(&c.logFormat, "log-format", map[bool]string{true: "json", false: "console"}[inCluster], "Log format: json or console.")
	fs.StringVar(&c.logLevel, "log-level", "info", "Log level: debug, info or error.")
	fs.DurationVar(&c.detectInterval, "detect-interval", egress.DefaultInterval, "How often the egress address is detected.")
	fs.DurationVar(&c.sourceTimeout, "source-timeout", egress.DefaultTimeout, "Timeout of one lookup at one egress source.")
	fs.StringVar(&c.ipv4Sources, "ipv4-sources", defaultIPv4Sources, "Comma-separated HTTP(S) echo services asked for the IPv4 address, in order; empty disables IPv4.")
	fs.StringVar(&c.ipv6Sources, "ipv6-sources", defaultIPv6Sources, "Comma-separated HTTP(S) echo services asked for the IPv6 address, in order; empty disables IPv6.")
	fs.StringVar(&c.staticIPv4, "static-ipv4", "", "Publish this IPv4 address instead of detecting one.")
	fs.StringVar(&c.staticIPv6, "static-ipv6", "", "Publish this IPv6 address instead of detecting one.")
	fs.IntVar(&c.concurrency, "max-concurrent-reconciles", 4, "How many records reconcile at once.")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if c.detectInterval < 10*time.Second {
		return c, fmt.Errorf("--detect-interval %s is below the minimum of 10s", c.detectInterval)
	}
	return c, nil
}

// buildSources turns the source flags into the detector's sources.
func buildSources(c config) (map[egress.Family][]egress.Source, error) {
	out := map[egress.Family][]egress.Source{}
	for _, f := range []struct {
		fam          egress.Family
		static, urls string
	}{{egress.IPv4, c.staticIPv4, c.ipv4Sources}, {egress.IPv6, c.staticIPv6, c.ipv6Sources}} {
		if f.static != "" {
			addr, err := netip.ParseAddr(f.static)
			if err != nil || !f.fam.Matches(addr) {
				return nil, fmt.Errorf("--static-%s %q is not an %s address", f.fam, f.static, f.fam)
			}
			src := egress.StaticSource{}
			if f.fam == egress.IPv4 {
				src.V4 = addr
			} else {
				src.V6 = addr
			}
			out[f.fam] = []egress.Source{src}
			continue
		}
		for _, u := range strings.Split(f.urls, ",") {
			if u = strings.TrimSpace(u); u == "" {
				continue
			}
			src, err := egress.NewHTTPSource(u, c.sourceTimeout)
			if err != nil {
				return nil, err
			}
			out[f.fam] = append(out[f.fam], src)
		}
	}
	return out, nil
}

func newLogger(c config) (zap.Opts, error) {
	level := map[string]zapcore.Level{"debug": zapcore.DebugLevel, "info": zapcore.InfoLevel, "error": zapcore.ErrorLevel}
	lvl, ok := level[c.logLevel]
	if !ok {
		return nil, fmt.Errorf("--log-level %q: want debug, info or error", c.logLevel)
	}
	if c.logFormat != "json" && c.logFormat != "console" {
		return nil, fmt.Errorf("--log-format %q: want json or console", c.logFormat)
	}
	return func(o *zap.Options) {
		o.Development = c.logFormat == "console"
		o.Level = lvl
		if c.logFormat == "json" {
			o.Encoder = zapcore.NewJSONEncoder(zapcore.EncoderConfig{
				TimeKey: "ts", LevelKey: "level", NameKey: "logger", MessageKey: "msg", StacktraceKey: "stacktrace",
				EncodeTime: zapcore.ISO8601TimeEncoder, EncodeLevel: zapcore.LowercaseLevelEncoder, EncodeDuration: zapcore.StringDurationEncoder,
			})
		}
	}, nil
}

func main() {
	if err := run(ctrl.SetupSignalHandler(), os.Args[1:]); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "ddns-operator:", err)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	c, err := parseFlags(args)
	if err != nil {
		return err
	}
	logOpt, err := newLogger(c)
	if err != nil {
		return err
	}
	ctrl.SetLogger(zap.New(logOpt))
	logger := ctrl.Log.WithName("setup")

	sources, err := buildSources(c)
	if err != nil {
		return err
	}
	scheme := runtime.NewScheme()
	utilruntime.Must(clientgoscheme.AddToScheme(scheme))
	utilruntime.Must(ddnsv1.AddToScheme(scheme))

	restCfg, err := ctrl.GetConfig()
	if err != nil {
		return fmt.Errorf("no Kubernetes API to talk to: %w", err)
	}
	mgr, err := ctrl.NewManager(restCfg, ctrl.Options{
		Scheme:                        scheme,
		Metrics:                       metricsserver.Options{BindAddress: c.metricsAddr},
		HealthProbeBindAddress:        c.probeAddr,
		LeaderElection:                c.leaderElect,
		LeaderElectionID:              "ddns-operator.ddns.dev",
		LeaderElectionNamespace:       c.leaderElectionNS,
		LeaderElectionReleaseOnCancel: true,
		Cache:                         cache.Options{DefaultTransform: controllers.StripSecretMetadata},
		Client:                        client.Options{Cache: &client.CacheOptions{DisableFor: []client.Object{&corev1.Secret{}}}},
	})
	if err != nil {
		return fmt.Errorf("create manager: %w", err)
	}

	egress.RegisterMetrics()
	controllers.RegisterMetrics()
	detector := egress.NewDetector(egress.Config{Sources: sources, Interval: c.detectInterval, Logger: ctrl.Log.WithName("egress")})
	if err := mgr.Add(detector); err != nil {
		return err
	}
	rec := &controllers.DynamicDNSRecordReconciler{
		Client:    mgr.GetClient(),
		APIReader: mgr.GetAPIReader(),
		Recorder:  mgr.GetEventRecorder("ddns-operator"),
		Providers: registry.Default(),
		Addresses: detector,
	}
	if err := rec.SetupWithManager(ctx, mgr, controllers.Options{MaxConcurrentReconciles: c.concurrency}); err != nil {
		return fmt.Errorf("set up controller: %w", err)
	}
	if err := mgr.AddHealthzCheck("healthz", healthz.Ping); err != nil {
		return err
	}
	if err := mgr.AddReadyzCheck("readyz", healthz.Ping); err != nil {
		return err
	}
	logger.Info("Starting manager", "version", version, "leaderElection", c.leaderElect, "detectInterval", c.detectInterval.String(), "providers", rec.Providers.Names())
	return mgr.Start(ctx)
}
