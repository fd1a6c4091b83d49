package main

import (
	"flag"
	"fmt"

	ctrl "sigs.k8s.io/controller-runtime"

	"github.com/ddns-operator/ddns-operator/controllers"
	"github.com/ddns-operator/ddns-operator/internal/egress"
	"github.com/ddns-operator/ddns-operator/internal/notify"
)

// notifyConfig is what the notification flags set.
type notifyConfig struct {
	configPath string
	secretDir  string
}

// addNotifyFlags registers the notification flags.
func addNotifyFlags(fs *flag.FlagSet, c *notifyConfig) {
	fs.StringVar(&c.configPath, "notify-config", "", "Notification and heartbeat configuration file (see docs/notifications.md); empty sends none.")
	fs.StringVar(&c.secretDir, "notify-secret-dir", "/etc/ddns-operator/notify-secret", "Directory holding the notification Secret's keys (the service and heartbeat URLs), as a mounted Secret.")
}

// setupNotifications adds the record observer (always: it also serves the
// record metrics), and the notifier and heartbeat the configuration asks
// for.
func setupNotifications(mgr ctrl.Manager, c notifyConfig, detector *egress.Group) error {
	var cfg notify.Config
	if c.configPath != "" {
		var err error
		if cfg, err = notify.LoadConfig(c.configPath); err != nil {
			return fmt.Errorf("--notify-config: %w", err)
		}
	}
	notify.RegisterMetrics()
	controllers.RegisterRecordMetrics(mgr.GetCache())
	logger := ctrl.Log.WithName("notify")
	tracker := &notify.Tracker{FailingAfter: cfg.FailingAfter.Duration}
	obs := &controllers.RecordObserver{
		Client:    mgr.GetClient(),
		Recorder:  mgr.GetEventRecorder("ddns-operator"),
		Tracker:   tracker,
		Addresses: detector,
	}
	if len(cfg.Targets) > 0 {
		opts := cfg.Options()
		opts.Logger = logger
		n := notify.New(opts, cfg.BuildTargets(c.secretDir, currentAddresses(detector.Default)))
		tracker.Sink = n
		obs.Notifier = n
		if err := mgr.Add(n); err != nil {
			return err
		}
	}
	if err := mgr.Add(tracker); err != nil {
		return err
	}
	if cfg.Heartbeat != nil {
		hb := &notify.Heartbeat{
			URL:       notify.SecretValue{Dir: c.secretDir, Key: cfg.Heartbeat.URLKey}.Read,
			Detectors: map[string]notify.StatusSource{"": detector.Default},
			Failing:   tracker.Failing,
			Logger:    logger.WithName("heartbeat"),
		}
		for _, name := range detector.Names() {
			if d, ok := detector.Named(name); ok {
				if s, ok := d.(notify.StatusSource); ok {
					hb.Detectors[name] = s
				}
			}
		}
		if err := mgr.Add(hb); err != nil {
			return err
		}
	}
	if len(cfg.Targets) > 0 || cfg.Heartbeat != nil {
		ctrl.Log.WithName("setup").Info("Notifications", "targets", len(cfg.Targets), "heartbeat", cfg.Heartbeat != nil)
	}
	return obs.SetupWithManager(mgr, false)
}

// currentAddresses reads the detector's agreed addresses, for ddns-go
// webhooks whose message carries no address change.
func currentAddresses(d notify.StatusSource) func() map[string]string {
	return func() map[string]string {
		out := map[string]string{}
		for _, fam := range []egress.Family{egress.IPv4, egress.IPv6} {
			if st := d.Status(fam); st.Address.IsValid() {
				out[fam.String()] = st.Address.String()
			}
		}
		return out
	}
}
