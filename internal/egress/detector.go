package egress

import (
	"context"
	"errors"
	"fmt"
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
	// Name of a named source list; empty for the cluster-wide detector.
	// It labels metrics and Changes.
	Name string
	// Sources per family, asked in order. A family without sources is
	// reported as unavailable.
	Sources map[Family][]Source
	// Policy decides when answers agree; DefaultPolicy when zero.
	Policy Policy
	// Interval between detections; DefaultInterval when zero.
	Interval time.Duration
	// Logger for rejected answers and changes.
	Logger logr.Logger
}

// Validate reports a configuration whose policy can never be met.
func (c Config) Validate() error {
	p := c.Policy
	if p.Mode == "" {
		p = DefaultPolicy
	}
	var errs []error
	for _, fam := range []Family{IPv4, IPv6} {
		errs = append(errs, p.validate(fam, c.Sources[fam]))
	}
	return errors.Join(errs...)
}

// familyState is what the Detector knows about one family.
type familyState struct {
	// addr is the last agreed address; it is kept through failures and
	// disagreements.
	addr netip.Addr
	// lastErr is the last detection's error, nil when it agreed.
	lastErr error
	// unconfirmed is set when the last detection saw a valid answer other
	// than addr that the policy could not confirm.
	unconfirmed *AgreementError
	at          time.Time
}

// Status is what a Detector knows about one family.
type Status struct {
	// Address is the last agreed address (invalid when none ever was).
	Address netip.Addr
	// CheckedAt is when the last detection finished.
	CheckedAt time.Time
	// Err is the last detection's error; nil when it agreed.
	Err error
	// Unconfirmed is set when sources named an address other than Address
	// and the policy could not confirm it: Address is kept.
	Unconfirmed *AgreementError
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
	if cfg.Policy.Mode == "" {
		cfg.Policy = DefaultPolicy
	}
	if cfg.Policy.Mode == PolicyQuorum && cfg.Policy.Quorum < 1 {
		cfg.Policy.Quorum = DefaultPolicy.Quorum
	}
	return &Detector{cfg: cfg, state: map[Family]*familyState{IPv4: {}, IPv6: {}}}
}

// Start runs one detection loop per configured family until ctx ends. It
// implements manager.Runnable.
func (d *Detector) Start(ctx context.Context) error {
	var wg sync.WaitGroup
	for _, fam := range []Family{IPv4, IPv6} {
		if len(d.cfg.Sources[fam]) == 0 {
			setAvailable(d.cfg.Name, fam, false)
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
		d.detect(ctx, fam)
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// Address returns the agreed address of fam. Before the first detection has
// finished it waits for it (joining the one in flight). When the last
// detection saw an address it could not confirm, Address returns the kept
// address together with an *AgreementError (errors.Is ErrNoAgreement):
// publish nothing new. When no address was ever agreed, the error wraps
// ErrUnavailable.
func (d *Detector) Address(ctx context.Context, fam Family) (netip.Addr, error) {
	if len(d.cfg.Sources[fam]) == 0 {
		return netip.Addr{}, unavailable(fam, errors.New("no sources are configured for this family"))
	}
	st := d.Status(fam)
	if st.CheckedAt.IsZero() {
		d.detect(ctx, fam)
		st = d.Status(fam)
	}
	switch {
	case st.Address.IsValid() && st.Unconfirmed != nil:
		return st.Address, st.Unconfirmed
	case st.Address.IsValid():
		return st.Address, nil
	default:
		return netip.Addr{}, unavailable(fam, st.Err)
	}
}

// Status returns what the detector knows about fam, without a lookup.
func (d *Detector) Status(fam Family) Status {
	d.mu.Lock()
	defer d.mu.Unlock()
	st := d.state[fam]
	if st == nil {
		return Status{}
	}
	return Status{Address: st.addr, CheckedAt: st.at, Err: st.lastErr, Unconfirmed: st.unconfirmed}
}

// Subscribe returns a channel that receives every address change.
func (d *Detector) Subscribe() <-chan Change {
	ch := make(chan Change, 16)
	d.mu.Lock()
	d.subs = append(d.subs, ch)
	d.mu.Unlock()
	return ch
}

// detect runs one detection of fam, shared by concurrent callers: however
// many records ask at once, each source is asked at most once.
func (d *Detector) detect(ctx context.Context, fam Family) {
	_, _, _ = d.flight.Do(fam.String(), func() (any, error) {
		addr, err := d.lookup(context.WithoutCancel(ctx), fam)
		d.record(fam, addr, err)
		return nil, nil
	})
}

// lookup asks the sources in order until the policy is met.
func (d *Detector) lookup(ctx context.Context, fam Family) (netip.Addr, error) {
	start := time.Now()
	defer func() {
		detectionSeconds.WithLabelValues(listLabel(d.cfg.Name), fam.String()).Observe(time.Since(start).Seconds())
	}()
	sources := d.cfg.Sources[fam]
	t := newTally(d.cfg.Policy, len(sources))
	var errs []error
	noRoute := 0
	for _, src := range sources {
		if !t.wantsMore() {
			break
		}
		sourceRequests.WithLabelValues(src.Name(), fam.String()).Inc()
		began := time.Now()
		addr, err := src.Lookup(ctx, fam)
		sourceSeconds.WithLabelValues(src.Name(), fam.String()).Observe(time.Since(began).Seconds())
		if err == nil {
			err = CheckFamily(addr, fam) // a bug in a source must not leak a family
		}
		if err != nil {
			reason := failureReason(err)
			if reason == "no_route" {
				noRoute++
			}
			sourceFailures.WithLabelValues(src.Name(), fam.String(), reason).Inc()
			d.cfg.Logger.Info("Egress source failed", "source", src.Name(), "family", fam.String(), "reason", reason, "error", err.Error())
			errs = append(errs, err)
			t.fail()
			continue
		}
		if agreed, ok := t.add(src, addr.Unmap()); ok {
			return agreed, nil
		}
	}
	if len(t.answers) > 0 {
		return netip.Addr{}, &AgreementError{Family: fam, Policy: d.cfg.Policy, Answers: t.answers, Failed: t.failed}
	}
	if noRoute == len(sources) {
		return netip.Addr{}, fmt.Errorf("%w: every %s source is unreachable (%w)", ErrNoRoute, fam, errors.Join(errs...))
	}
	return netip.Addr{}, errors.Join(errs...)
}

// failureReason is the metric label of a failed lookup.
func failureReason(err error) string {
	switch {
	case ReasonOf(err) != "":
		return string(ReasonOf(err))
	case errors.Is(err, ErrNoRoute):
		return "no_route"
	case isTimeout(err):
		return "timeout"
	default:
		return "error"
	}
}

// record stores a detection's outcome and notifies subscribers of a change.
// A failed or unconfirmed detection keeps the last agreed address: a
// passing outage of the echo services, or one lying source, must not
// unpublish or change anything.
func (d *Detector) record(fam Family, addr netip.Addr, err error) {
	name := d.cfg.Name
	d.mu.Lock()
	st := d.state[fam]
	st.at, st.lastErr, st.unconfirmed = time.Now(), err, nil
	var agreeErr *AgreementError
	if errors.As(err, &agreeErr) {
		for _, a := range agreeErr.Answers {
			if a.Addr != st.addr {
				st.unconfirmed = agreeErr
			}
		}
	}
	kept, unconfirmed := st.addr, st.unconfirmed != nil
	if err == nil {
		setAgreed(name, fam)
	}
	if err != nil || addr == st.addr {
		d.mu.Unlock()
		setUnconfirmed(name, fam, unconfirmed)
		setAvailable(name, fam, kept.IsValid())
		if unconfirmed {
			d.cfg.Logger.Info("Egress sources do not agree; keeping the last agreed address", "family", fam.String(), "kept", kept.String(), "error", err.Error())
		}
		return
	}
	change := Change{List: name, Family: fam, Old: st.addr, New: addr}
	st.addr = addr
	subs := append([]chan Change(nil), d.subs...)
	d.mu.Unlock()

	setUnconfirmed(name, fam, false)
	setAvailable(name, fam, true)
	setCurrentAddress(name, fam, change.Old, addr)
	addressChanges.WithLabelValues(listLabel(name), fam.String()).Inc()
	if change.Old.IsValid() {
		d.cfg.Logger.Info("Egress address changed", "family", fam.String(), "old", change.Old.String(), "new", addr.String())
	} else {
		d.cfg.Logger.Info("Egress address detected", "family", fam.String(), "address", addr.String())
	}
	for _, ch := range subs {
		select {
		case ch <- change:
		default:
			// The subscriber is behind; its periodic drift check catches up.
		}
	}
}
