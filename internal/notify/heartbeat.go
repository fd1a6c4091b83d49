package notify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/go-logr/logr"
	"k8s.io/utils/clock"

	"github.com/ddns-operator/ddns-operator/internal/egress"
)

// StatusSource is a detector whose last detection can be read without a
// lookup; *egress.Detector is one.
type StatusSource interface {
	Status(fam egress.Family) egress.Status
}

// heartbeatPoll is how often the Heartbeat looks for a finished detection
// cycle; a read of the detectors' state, no lookup.
const heartbeatPoll = time.Second

// Heartbeat pings a URL once per detection cycle, as healthchecks.io and
// its kind expect: the URL itself when detection agreed and no record is
// failing, URL/fail otherwise, with a short text saying why in the body.
// A cycle is over when every family that has been detected at all was
// detected again since the last ping, so the ping comes once per
// --detect-interval however many families and source lists there are. A
// missed ping is not retried: the next cycle's ping says the same.
type Heartbeat struct {
	// URL returns the ping URL; read before every ping.
	URL func() (string, error)
	// Detectors by source list name ("" for the cluster-wide one).
	Detectors map[string]StatusSource
	// Failing returns the records reported failing.
	Failing func() []RecordFailure
	Client  *http.Client
	Clock   clock.Clock
	Logger  logr.Logger

	last time.Time // the newest CheckedAt the last ping covered
}

// NeedLeaderElection returns true: the leader is the one whose life the
// heartbeat proves.
func (h *Heartbeat) NeedLeaderElection() bool { return true }

// Start pings after every detection cycle until ctx ends. It implements
// manager.Runnable.
func (h *Heartbeat) Start(ctx context.Context) error {
	if h.Clock == nil {
		h.Clock = clock.RealClock{}
	}
	if h.Client == nil {
		h.Client = &http.Client{Timeout: 10 * time.Second}
	}
	initHeartbeatMetrics()
	t := h.Clock.NewTimer(heartbeatPoll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C():
		}
		if ok, problems := h.cycle(); ok {
			h.ping(ctx, problems)
		}
		t.Reset(heartbeatPoll)
	}
}

// cycle reports whether a new detection cycle finished and, if so, what is
// wrong (nothing: the ping is a success).
func (h *Heartbeat) cycle() (bool, []string) {
	var problems []string
	var newest time.Time
	seen := false
	names := make([]string, 0, len(h.Detectors))
	for n := range h.Detectors {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, fam := range []egress.Family{egress.IPv4, egress.IPv6} {
			st := h.Detectors[name].Status(fam)
			if st.CheckedAt.IsZero() {
				continue // no sources for the family, or not yet detected
			}
			if !st.CheckedAt.After(h.last) {
				return false, nil
			}
			if st.CheckedAt.After(newest) {
				newest = st.CheckedAt
			}
			seen = true
			if p := detectionProblem(name, fam, st); p != "" {
				problems = append(problems, p)
			}
		}
	}
	if !seen {
		return false, nil
	}
	h.last = newest
	if h.Failing != nil {
		for _, f := range h.Failing() {
			problems = append(problems, fmt.Sprintf("record %s is failing: %s", f.RecordRef, f.Reason))
		}
	}
	return true, problems
}

// detectionProblem describes a failed detection. A family without a route
// that never had an address (IPv6 in most pod networks) is not a problem:
// it fails the same way every cycle, and a record needing it fails and is
// reported on its own.
func detectionProblem(list string, fam egress.Family, st egress.Status) string {
	if st.Err == nil {
		return ""
	}
	if errors.Is(st.Err, egress.ErrNoRoute) && !st.Address.IsValid() {
		return ""
	}
	who := fam.String()
	if list != "" {
		who += " (source list " + list + ")"
	}
	if st.Unconfirmed != nil {
		return "detection of " + who + ": sources disagree, keeping " + st.Address.String()
	}
	return "detection of " + who + " failed"
}

// ping sends one heartbeat: success when problems is empty, else fail.
func (h *Heartbeat) ping(ctx context.Context, problems []string) {
	signal := "success"
	body := "ok"
	if len(problems) > 0 {
		signal = "fail"
		body = strings.Join(problems, "\n")
	}
	err := h.send(ctx, signal == "fail", body)
	result := "sent"
	if err != nil {
		result = "error"
		h.Logger.Info("Heartbeat ping failed", "signal", signal, "error", err.Error())
	}
	heartbeats.WithLabelValues(signal, result).Inc()
}

func (h *Heartbeat) send(ctx context.Context, fail bool, body string) error {
	raw, err := h.URL()
	if err != nil {
		return err
	}
	parts := secretParts(raw)
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return errors.New("the heartbeat URL is not an http or https URL")
	}
	if fail {
		u.Path = strings.TrimSuffix(u.Path, "/") + "/fail"
		u.RawPath = ""
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), strings.NewReader(body))
	if err != nil {
		return scrub(err, parts)
	}
	req.Header.Set("Content-Type", "text/plain; charset=utf-8")
	req.Header.Set("User-Agent", "ddns-operator")
	resp, err := h.Client.Do(req)
	if err != nil {
		return scrub(err, parts)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode >= 300 {
		return fmt.Errorf("the heartbeat URL answered %s", resp.Status)
	}
	return nil
}
