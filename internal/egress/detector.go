package egress

import (
	"context"
	"errors"
	"net/netip"
	"sync"
	"time"

	"github.com/go-logr/logr"
	"golang.org/x/sync/singleflight"
)

// DefaultInterval is how often the Detector looks up the address.
const DefaultInterval = 60 * time.Second

// Config configures a Detector.
type Config struct {
	// Sources per family, asked in order. A family without sources is
	// reported as unavailable.
	Sources map[Family][]Source
	// Interval between detections; DefaultInterval when zero.
	Interval time.Duration
	// Logger for rejected answers and changes.
	Logger logr.Logger
}

// familyState is what the Detector knows about one family.
type familyState struct {
	addr    netip.Addr
	lastErr error
	at      time.Time
}

// Detector is the manager-wide AddressSource: one detection loop per family
// at Interval, shared by every record, with single-flight so concurrent
// callers never cause extra lookups.
type Detector struct {
	cfg    Config
	flight singleflight.Group

	mu    sync.Mutex
	state map[Family]*familyState
	subs  []chan Change
}

var _ AddressSource = (*Detector)(nil)

// NewDetector returns a Detector over cfg. Start runs its loops.
func NewDetector(cfg Config) *Detector {
	if cfg.Interval <= 0 {
		cfg.Interval = DefaultInterval
	}
	return &Detector{cfg: cfg, state: map[Family]*familyState{IPv4: {}, IPv6: {}}}
}

// Start runs one detection loop per configured family until ctx ends. It
// implements manager.Runnable.
func (d *Detector) Start(ctx context.Context) error {
	var wg sync.WaitGroup
	for _, fam := range []Family{IPv4, IPv6} {
		if len(d.cfg.Sources[fam]) == 0 {
			continue
		}
		wg.Go(func() { d.loop(ctx, fam) })
	}
	wg.Wait()
	return nil
}

// NeedLeaderElection returns false: every replica keeps its own view of the
// address so a new leader starts with a warm cache.
func (d *Detector) NeedLeaderElection() bool { return false }

func (d *Detector) loop(ctx context.Context, fam Family) {
	ticker := time.NewTicker(d.cfg.Interval)
	defer ticker.Stop()
	for {
		_, _ = d.detect(ctx, fam)
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// Address returns the agreed address of fam. Before the first detection has
// finished it waits for it (joining the one in flight).
func (d *Detector) Address(ctx context.Context, fam Family) (netip.Addr, error) {
	if len(d.cfg.Sources[fam]) == 0 {
		return netip.Addr{}, unavailable(fam, errors.New("no sources are configured for this family"))
	}
	d.mu.Lock()
	st := *d.state[fam]
	d.mu.Unlock()
	if st.addr.IsValid() {
		return st.addr, nil
	}
	if !st.at.IsZero() {
		return netip.Addr{}, unavailable(fam, st.lastErr)
	}
	return d.detect(ctx, fam)
}

// Subscribe returns a channel that receives every address change.
func (d *Detector) Subscribe() <-chan Change {
	ch := make(chan Change, 16)
	d.mu.Lock()
	d.subs = append(d.subs, ch)
	d.mu.Unlock()
	return ch
}

// detect runs one detection of fam, shared by concurrent callers.
func (d *Detector) detect(ctx context.Context, fam Family) (netip.Addr, error) {
	v, err, _ := d.flight.Do(fam.String(), func() (any, error) {
		addr, err := d.lookup(context.WithoutCancel(ctx), fam)
		d.record(fam, addr, err)
		return addr, err
	})
	if err != nil {
		return netip.Addr{}, unavailable(fam, err)
	}
	return v.(netip.Addr), nil
}

// lookup asks the sources in order and returns the first valid answer.
func (d *Detector) lookup(ctx context.Context, fam Family) (netip.Addr, error) {
	start := time.Now()
	defer func() { detectionSeconds.WithLabelValues(fam.String()).Observe(time.Since(start).Seconds()) }()
	var errs []error
	for _, src := range d.cfg.Sources[fam] {
		addr, err := src.Lookup(ctx, fam)
		if err == nil {
			return addr, nil
		}
		reason := "error"
		var rej *RejectError
		if errors.As(err, &rej) {
			reason = string(rej.Reason)
		}
		sourceFailures.WithLabelValues(src.Name(), fam.String(), reason).Inc()
		d.cfg.Logger.Info("Egress source failed", "source", src.Name(), "family", fam.String(), "reason", reason, "error", err.Error())
		errs = append(errs, err)
	}
	return netip.Addr{}, errors.Join(errs...)
}

// record stores a detection's outcome and notifies subscribers of a change.
// A failed detection keeps the last known address: a passing outage of the
// echo services must not unpublish anything.
func (d *Detector) record(fam Family, addr netip.Addr, err error) {
	d.mu.Lock()
	st := d.state[fam]
	st.at, st.lastErr = time.Now(), err
	if err != nil || addr == st.addr {
		d.mu.Unlock()
		return
	}
	change := Change{Family: fam, Old: st.addr, New: addr}
	st.addr = addr
	subs := append([]chan Change(nil), d.subs...)
	d.mu.Unlock()

	setCurrentAddress(fam, change.Old, addr)
	addressChanges.WithLabelValues(fam.String()).Inc()
	d.cfg.Logger.Info("Egress address changed", "family", fam.String(), "old", change.Old.String(), "new", addr.String())
	for _, ch := range subs {
		select {
		case ch <- change:
		default:
			// The subscriber is behind; its periodic drift check catches up.
		}
	}
}
