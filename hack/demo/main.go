// Command demo starts the operator for a person to try, with no cloud
// account: a local kube-apiserver and etcd with the CRDs, BIND 9 serving
// the dynamic zone example.test, an HTTP echo server standing in for the
// public-IP service, and the manager. It applies a sample record, waits
// until it is Ready, prints the kubeconfig and a dig command that shows the
// answer, and runs until Ctrl-C.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/go-logr/logr"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/ddns-operator/ddns-operator/test/e2e/system"
)

func main() {
	// envtest logs through controller-runtime's logger; unset, it prints a
	// goroutine stack at the first line logged 30s after start (see
	// hack/localcluster). Its errors come back as errors.
	ctrllog.SetLogger(logr.Discard())
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "make demo:", err)
		os.Exit(1)
	}
}

func run() error {
	manager := flag.String("manager", "bin/manager", "Path of the manager binary.")
	dir := flag.String("dir", "bin/demo", "Where the kubeconfig, BIND's files and the manager log go.")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	began := time.Now()
	fmt.Println("Starting kube-apiserver, etcd, BIND 9 and the public-IP stand-in on 127.0.0.1 ...")
	_ = os.RemoveAll(*dir)
	s, err := system.Start(system.Options{Root: ".", Zone: "example.test", Address: "81.2.69.160", Manager: *manager, Dir: *dir})
	if err != nil {
		return err
	}
	defer func() {
		fmt.Println("Stopping the demo.")
		s.Stop()
	}()
	// Notifications and the heartbeat go to a local receiver that logs them
	// (docs/notifications.md); metrics are served on a local port.
	rcv, err := system.StartReceiver(*dir + "/notifications.log")
	if err != nil {
		return err
	}
	defer rcv.Close()
	notifyArgs, err := s.NotifyArgs(rcv)
	if err != nil {
		return err
	}
	metricsAddr, err := system.FreeAddr()
	if err != nil {
		return err
	}
	m, err := s.StartManager("demo", append(notifyArgs, "--leader-elect=false", "--metrics-bind-address="+metricsAddr)...)
	if err != nil {
		return err
	}
	defer m.Stop()

	secret := s.SecretYAML("bind-tsig", "default", "hmac-sha256")
	record := s.RecordYAML("home", "default", "home.example.test", "bind-tsig", "Delete")
	if err := os.WriteFile(*dir+"/sample.yaml", []byte(secret+"---\n"+record), 0o600); err != nil {
		return err
	}
	if _, err := s.Kubectl(ctx, secret+"---\n"+record, "apply", "-f", "-"); err != nil {
		return err
	}
	if err := waitReady(ctx, s, m); err != nil {
		return err
	}
	table, _ := s.Kubectl(ctx, "", "get", "ddns", "-A")
	dig := "dig " + strings.Join(s.DigArgs("home.example.test", "A"), " ")
	fmt.Printf(`
The operator is running (ready in %.0fs). In another terminal:

  export KUBECONFIG=%s
  kubectl get ddns -A
%s
  %s
  # -> 81.2.69.160

Pretend the public IP changed, and watch DNS follow within 10 seconds:

  curl -X PUT --data 81.2.69.170 %s
  watch -n1 %s

Notifications (a webhook, a ddns-go-style webhook and the heartbeat) go
to a local receiver; follow them, and send a test message:

  tail -f %s
  kubectl annotate ddns home ddns.dev/test-notification="$(date +%%s)" --overwrite

Metrics (what the Grafana dashboard and the alerts read):

  curl -s http://%s/metrics | grep ^ddns_

The sample record is in %s (a Secret with a TSIG key for BIND, and a
DynamicDNSRecord with provider rfc2136). The manager logs to %s.
Press Ctrl-C to stop everything.
`, time.Since(began).Seconds(), s.Kubeconfig, indent(table), dig, s.Echo.URL, dig, rcv.LogPath, metricsAddr, *dir+"/sample.yaml", m.LogPath)

	select {
	case <-ctx.Done():
	case <-m.Done():
		return fmt.Errorf("the manager exited; its log is %s", m.LogPath)
	}
	return nil
}

// waitReady waits until the sample record is Ready and BIND answers it.
func waitReady(ctx context.Context, s *system.System, m *system.Manager) error {
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		if m.Exited() {
			return fmt.Errorf("the manager exited; its log is %s", m.LogPath)
		}
		st, _ := s.Kubectl(ctx, "", "get", "ddns", "home", "-n", "default", "-o", `jsonpath={.status.conditions[?(@.type=="Ready")].status}`)
		got, _ := s.Lookup(ctx, "home.example.test", "A")
		if st == "True" && len(got) == 1 {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(300 * time.Millisecond):
		}
	}
	return fmt.Errorf("the sample record did not become Ready within 90s; see %s", m.LogPath)
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(strings.TrimSpace(s), "\n", "\n  ") + "\n"
}
