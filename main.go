// Command ddns-operator runs the DynamicDNSRecord controller: it detects the
// cluster's egress address and keeps DNS records at providers pointing at it.
package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"go.uber.org/zap/zapcore"
	corev1 "k8s.io/api/core/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/healthz"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	ddnsv1 "github.com/ddns-operator/ddns-operator/api/v1alpha1"
	"github.com/ddns-operator/ddns-operator/controllers"
	"github.com/ddns-operator/ddns-operator/internal/access"
	"github.com/ddns-operator/ddns-operator/internal/egress"
	"github.com/ddns-operator/ddns-operator/providers/registry"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// config is everything the flags set.
type config struct {
	metricsAddr, probeAddr string
	pprofAddr              string
	leaderElect            bool
	leaderElectionNS       string
	logFormat, logLevel    string
	detectInterval         time.Duration
	sourceTimeout          time.Duration
	ipv4Sources            string
	ipv6Sources            string
	staticIPv4, staticIPv6 string
	detectPolicy           string
	sourceMaxBytes         int64
	sourceLists            []string
	ifInet6Path            string
	concurrency            int
	kubeQPS                float64
	ownerID                string
	kubeBurst              int
	watchNamespaces        string
	endpoints              map[string]string
	version                bool
	goMemLimitRatio        float64
	notify                 notifyConfig // notifications, heartbeat (main_notify.go)
}

// Default sources per family, in the order they are asked (see
// docs/egress.md for the syntax). Each family's sources are asked over that
// family only; under the default policy the first two independent
// operators that agree decide, so usually two requests per interval.
const (
	defaultIPv4Sources = "https://api.ipify.org,dns:opendns,https://1.1.1.1/cdn-cgi/trace#trace,dns:google,https://ifconfig.co/ip"
	defaultIPv6Sources = "https://api6.ipify.org,dns:opendns,https://[2606:4700:4700::1111]/cdn-cgi/trace#trace,dns:google,https://ifconfig.co/ip"
)

func parseFlags(args []string) (config, error) {
	var c config
	inCluster := os.Getenv("KUBERNETES_SERVICE_HOST") != ""
	fs := flag.NewFlagSet("ddns-operator", flag.ContinueOnError)
	fs.StringVar(&c.metricsAddr, "metrics-bind-address", ":8080", "Address the /metrics endpoint binds to; 0 disables it.")
	fs.StringVar(&c.probeAddr, "health-probe-bind-address", ":8081", "Address the /healthz and /readyz endpoints bind to.")
	fs.StringVar(&c.pprofAddr, "pprof-bind-address", "", "Address Go's pprof endpoints bind to, for profiling; empty (the default) serves none.")
	fs.BoolVar(&c.leaderElect, "leader-elect", inCluster, "Elect a leader so only one replica writes to providers (default on when running in a cluster).")
	fs.StringVar(&c.leaderElectionNS, "leader-election-namespace", "", "Namespace of the leader election Lease (default: the pod's namespace).")
	fs.StringVar(&c.logFormat, "log-format", map[bool]string{true: "json", false: "console"}[inCluster], "Log format: json or console.")
	fs.StringVar(&c.logLevel, "log-level", "info", "Log level: debug, info or error.")
	fs.DurationVar(&c.detectInterval, "detect-interval", egress.DefaultInterval, "How often the egress address is detected.")
	fs.DurationVar(&c.sourceTimeout, "source-timeout", egress.DefaultTimeout, "Timeout of one lookup at one egress source.")
	fs.StringVar(&c.ipv4Sources, "ipv4-sources", defaultIPv4Sources, "Comma-separated sources asked for the IPv4 address, in order: https URLs (#trace, #json=FIELD, #regex=RE for other formats), dns:opendns|cloudflare|google, dns://IP:PORT/NAME, interface:NAME, static:ADDR; empty disables IPv4.")
	fs.StringVar(&c.ipv6Sources, "ipv6-sources", defaultIPv6Sources, "Comma-separated sources asked for the IPv6 address, in order (syntax as --ipv4-sources); empty disables IPv6.")
	fs.StringVar(&c.staticIPv4, "static-ipv4", "", "Publish this IPv4 address instead of detecting one.")
	fs.StringVar(&c.staticIPv6, "static-ipv6", "", "Publish this IPv6 address instead of detecting one.")
	fs.StringVar(&c.detectPolicy, "detect-policy", egress.DefaultPolicy.String(), "When answers are trusted: quorum:N (N independent sources agree), first (first valid answer) or all (every source, all alike).")
	fs.Int64Var(&c.sourceMaxBytes, "source-max-bytes", egress.DefaultMaxBytes, "Largest HTTP answer an echo source may send.")
	fs.Func("source-list", "A named source list records can choose with spec.ipSource.sources: NAME=SPECS for both families, or NAME/ipv4=SPECS and NAME/ipv6=SPECS; repeatable.", func(v string) error {
		c.sourceLists = append(c.sourceLists, v)
		return nil
	})
	fs.StringVar(&c.ifInet6Path, "if-inet6-path", egress.DefaultIfInet6Path, "File listing IPv6 addresses with their flags, for interface sources.")
	fs.IntVar(&c.concurrency, "max-concurrent-reconciles", 4, "How many records reconcile at once. Provider calls are bounded per credential by the provider's documented limits, whatever this is.")
	fs.StringVar(&c.ownerID, "owner-id", "", "This installation's identity in the ownership markers written with every record (the provider's comment or remark); empty uses the kube-system namespace's UID. Give every cluster writing to one DNS account its own.")
	fs.Float64Var(&c.kubeQPS, "kube-api-qps", 100, "Requests per second the manager may send the Kubernetes API server (status updates, events); an address change updates every record's status at once.")
	fs.IntVar(&c.kubeBurst, "kube-api-burst", 200, "Burst above --kube-api-qps.")
	c.endpoints = map[string]string{}
	fs.Func("provider-endpoint", "PROVIDER=URL: reach that provider's API at URL instead of its public endpoint, e.g. an API gateway or proxy in front of it; repeatable.", func(v string) error {
		name, url, ok := strings.Cut(v, "=")
		if !ok || name == "" || url == "" {
			return fmt.Errorf("want PROVIDER=URL, e.g. cloudflare=https://gateway.example/client/v4/")
		}
		c.endpoints[name] = url
		return nil
	})
	fs.Func("cloudflare-api-url", "Base URL of the Cloudflare API (the same as --provider-endpoint cloudflare=URL).", func(v string) error {
		c.endpoints[ddnsv1.ProviderCloudflare] = v
		return nil
	})
	fs.StringVar(&c.watchNamespaces, "watch-namespaces", "", "Comma-separated namespaces whose records, Secrets and Services the manager watches; empty watches the whole cluster.")
	fs.Float64Var(&c.goMemLimitRatio, "gomemlimit-ratio", defaultGoMemLimitRatio, "Share of the container's memory limit, given in bytes in $"+memoryLimitEnv+" (the chart sets it from the pod's resources.limits.memory), that the Go runtime takes as its soft memory limit; 0 leaves it alone, as does GOMEMLIMIT when set.")
	fs.BoolVar(&c.version, "version", false, "Print the version stamped by the build and exit.")
	addNotifyFlags(fs, &c.notify)
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if _, err := registry.Default().WithEndpoints(c.endpoints); err != nil {
		return c, fmt.Errorf("--provider-endpoint: %w", err)
	}
	if strings.ContainsAny(c.ownerID, ": \t\n") {
		return c, fmt.Errorf("--owner-id %q must not contain ':' or spaces", c.ownerID)
	}
	if c.goMemLimitRatio < 0 || c.goMemLimitRatio > 1 {
		return c, fmt.Errorf("--gomemlimit-ratio %g: want a share between 0 (off) and 1", c.goMemLimitRatio)
	}
	if c.detectInterval < 10*time.Second {
		return c, fmt.Errorf("--detect-interval %s is below the minimum of 10s", c.detectInterval)
	}
	return c, nil
}

// providersOf returns the providers this build ships, with the endpoints
// the flags set, identifying themselves with the build's version.
func providersOf(c config) registry.Registry {
	reg, _ := registry.Default().WithEndpoints(c.endpoints) // checked by parseFlags
	return reg.WithUserAgent("ddns-operator/" + version + " (+https://github.com/ddns-operator/ddns-operator)")
}

// buildSources turns the source flags into the cluster-wide detector's
// sources.
func buildSources(c config) (map[egress.Family][]egress.Source, error) {
	def := egress.SpecDefaults{Timeout: c.sourceTimeout, MaxBytes: c.sourceMaxBytes, IfInet6Path: c.ifInet6Path}
	out := map[egress.Family][]egress.Source{}
	for _, f := range []struct {
		fam           egress.Family
		static, specs string
	}{{egress.IPv4, c.staticIPv4, c.ipv4Sources}, {egress.IPv6, c.staticIPv6, c.ipv6Sources}} {
		if f.static != "" {
			addr, err := netip.ParseAddr(f.static)
			if err != nil || !f.fam.Matches(addr) {
				return nil, fmt.Errorf("--static-%s %q is not an %s address", f.fam, f.static, f.fam)
			}
			f.specs = "static:" + addr.String()
		}
		srcs, err := egress.ParseSources(f.specs, f.fam, def)
		if err != nil {
			return nil, err
		}
		out[f.fam] = srcs
	}
	return out, nil
}

// buildDetectors builds the cluster-wide detector and one per --source-list.
func buildDetectors(c config, sources map[egress.Family][]egress.Source) (*egress.Group, error) {
	policy, err := egress.ParsePolicy(c.detectPolicy)
	if err != nil {
		return nil, fmt.Errorf("--detect-policy: %w", err)
	}
	logger := ctrl.Log.WithName("egress")
	newDetector := func(name string, srcs map[egress.Family][]egress.Source) (*egress.Detector, error) {
		cfg := egress.Config{Name: name, Sources: srcs, Policy: policy, Interval: c.detectInterval, Logger: logger.WithValues("list", cmp.Or(name, "default"))}
		if err := cfg.Validate(); err != nil {
			return nil, err
		}
		return egress.NewDetector(cfg), nil
	}
	def, err := newDetector("", sources)
	if err != nil {
		return nil, fmt.Errorf("--ipv4-sources/--ipv6-sources with --detect-policy: %w", err)
	}
	lists := map[string]map[egress.Family][]egress.Source{}
	specDef := egress.SpecDefaults{Timeout: c.sourceTimeout, MaxBytes: c.sourceMaxBytes, IfInet6Path: c.ifInet6Path}
	for _, v := range c.sourceLists {
		key, specs, ok := strings.Cut(v, "=")
		name, famName, _ := strings.Cut(key, "/")
		if !ok || name == "" || strings.TrimSpace(specs) == "" {
			return nil, fmt.Errorf("--source-list %q: want NAME=SPECS or NAME/ipv4=SPECS", v)
		}
		fams := []egress.Family{egress.IPv4, egress.IPv6}
		switch famName {
		case "":
		case "ipv4":
			fams = fams[:1]
		case "ipv6":
			fams = fams[1:]
		default:
			return nil, fmt.Errorf("--source-list %q: family must be ipv4 or ipv6", v)
		}
		if lists[name] == nil {
			lists[name] = map[egress.Family][]egress.Source{}
		}
		for _, fam := range fams {
			srcs, err := egress.ParseSources(specs, fam, specDef)
			if err != nil {
				return nil, fmt.Errorf("--source-list %s: %w", name, err)
			}
			lists[name][fam] = srcs
		}
	}
	named := map[string]*egress.Detector{}
	for name, srcs := range lists {
		if named[name], err = newDetector(name, srcs); err != nil {
			return nil, fmt.Errorf("--source-list %s: %w", name, err)
		}
	}
	return egress.NewGroup(def, named), nil
}

// namespaceConfigs turns --watch-namespaces into the cache's namespaces;
// nil (the whole cluster) when the flag is empty. Cluster-scoped objects
// (Nodes) are still watched cluster-wide.
func namespaceConfigs(list string) map[string]cache.Config {
	var out map[string]cache.Config
	for _, ns := range namespaceList(list) {
		if out == nil {
			out = map[string]cache.Config{}
		}
		out[ns] = cache.Config{}
	}
	return out
}

// namespaceList splits --watch-namespaces; nil means the whole cluster.
func namespaceList(list string) []string {
	var out []string
	for _, ns := range strings.Split(list, ",") {
		if ns = strings.TrimSpace(ns); ns != "" {
			out = append(out, ns)
		}
	}
	return out
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
		o.Level = lvl
		// A stack trace tells a user nothing about a refused credential
		// or an unreachable API; keep them for panics.
		o.StacktraceLevel = zapcore.PanicLevel
		enc := zapcore.EncoderConfig{
			TimeKey: "ts", LevelKey: "level", NameKey: "logger", MessageKey: "msg", StacktraceKey: "stacktrace",
			EncodeTime: zapcore.ISO8601TimeEncoder, EncodeLevel: zapcore.LowercaseLevelEncoder, EncodeDuration: zapcore.StringDurationEncoder,
		}
		if c.logFormat == "json" {
			o.Encoder = zapcore.NewJSONEncoder(enc)
			return
		}
		enc.EncodeLevel = zapcore.CapitalLevelEncoder
		enc.ConsoleSeparator = "  "
		o.Encoder = zapcore.NewConsoleEncoder(enc)
	}, nil
}

// defaultGCPercent is the manager's GOGC unless the environment sets one.
// A controller's heap is mostly its informer cache plus short-lived garbage
// from each reconcile; collecting at 50% growth instead of Go's 100% cut
// the peak RSS at 1,000 records from 88 to 77 MiB for 1.4 -> 1.6 ms of CPU
// per reconcile (make bench on a 2-core machine). At 30% (with
// defaultMaxProcs), 57.5 -> 53.5 MiB, CPU per check unchanged (0.29 ->
// 0.28 ms), creating the 1,000 records 18.4 -> 20.7 s.
const defaultGCPercent = 30

// defaultMaxProcs is the manager's GOMAXPROCS unless the environment sets
// one. Its work is waiting: on the API server, on providers, on timers. On
// more than one processor each check that wakes it also wakes the Go
// scheduler's idle processors, which look for work and sleep again: at
// 1,000 records a check with nothing to do cost 0.37 ms of CPU on two and
// 0.29 ms on one, peak RSS 59.3 -> 57.5 MiB, and creating them took as
// long (18.3 and 18.4 s; make bench on a 2-core machine).
const defaultMaxProcs = 1

func main() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(defaultGCPercent)
	}
	if os.Getenv("GOMAXPROCS") == "" {
		runtime.GOMAXPROCS(defaultMaxProcs)
	}
	if err := run(ctrl.SetupSignalHandler(), os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			// --help printed the usage, as asked: not a failure.
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "ddns-operator:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	c, err := parseFlags(args)
	if err != nil {
		return err
	}
	if c.version {
		fmt.Println("ddns-operator", version)
		return nil
	}
	logOpt, err := newLogger(c)
	if err != nil {
		return err
	}
	ctrl.SetLogger(lazyValues(zap.New(logOpt)))
	logger := ctrl.Log.WithName("setup")
	memLimit, err := goMemLimit(os.Getenv, c.goMemLimitRatio)
	if err != nil {
		return err
	}
	if memLimit > 0 {
		debug.SetMemoryLimit(memLimit)
	}

	sources, err := buildSources(c)
	if err != nil {
		return err
	}
	detector, err := buildDetectors(c, sources)
	if err != nil {
		return err
	}
	scheme, err := controllers.NewScheme()
	if err != nil {
		return fmt.Errorf("build the API scheme: %w", err)
	}

	restCfg, err := ctrl.GetConfig()
	if err != nil {
		return fmt.Errorf("no Kubernetes API to talk to: %w", err)
	}
	restCfg.QPS, restCfg.Burst = float32(c.kubeQPS), c.kubeBurst
	mgr, err := ctrl.NewManager(restCfg, ctrl.Options{
		Scheme:                        scheme,
		Metrics:                       metricsserver.Options{BindAddress: c.metricsAddr},
		HealthProbeBindAddress:        c.probeAddr,
		PprofBindAddress:              c.pprofAddr,
		LeaderElection:                c.leaderElect,
		LeaderElectionID:              "ddns-operator.ddns.dev",
		LeaderElectionNamespace:       c.leaderElectionNS,
		LeaderElectionReleaseOnCancel: true,
		Cache:                         cache.Options{DefaultTransform: controllers.TrimForCache, DefaultNamespaces: namespaceConfigs(c.watchNamespaces)},
		Client:                        client.Options{Cache: &client.CacheOptions{DisableFor: []client.Object{&corev1.Secret{}}}},
	})
	if err != nil {
		return fmt.Errorf("create manager: %w", err)
	}

	egress.RegisterMetrics()
	access.RegisterMetrics()
	controllers.RegisterMetrics()
	if err := mgr.Add(detector); err != nil {
		return err
	}
	ownerID, err := controllers.InstallationID(ctx, mgr.GetAPIReader(), c.ownerID)
	if err != nil {
		return err
	}
	rec := &controllers.DynamicDNSRecordReconciler{
		OwnerID:    ownerID,
		Client:     mgr.GetClient(),
		APIReader:  mgr.GetAPIReader(),
		Recorder:   mgr.GetEventRecorder("ddns-operator"),
		Providers:  providersOf(c),
		Addresses:  detector,
		Interfaces: controllers.Interfaces{IfInet6Path: c.ifInet6Path},
	}
	if err := rec.SetupWithManager(ctx, mgr, controllers.Options{MaxConcurrentReconciles: c.concurrency, Namespaces: namespaceList(c.watchNamespaces)}); err != nil {
		return fmt.Errorf("set up controller: %w", err)
	}
	if err := setupNotifications(mgr, c.notify, detector); err != nil {
		return fmt.Errorf("set up notifications: %w", err)
	}
	if err := mgr.AddHealthzCheck("healthz", healthz.Ping); err != nil {
		return err
	}
	if err := mgr.AddReadyzCheck("readyz", healthz.Ping); err != nil {
		return err
	}
	logger.Info("Starting manager", "version", version, "leaderElection", c.leaderElect, "detectInterval", c.detectInterval.String(),
		"goMemLimitMiB", memLimit>>20, "providers", rec.Providers.Names())
	return mgr.Start(ctx)
}
