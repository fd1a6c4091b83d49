package egress

import (
	"errors"
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

// PolicyMode says when the answers of a family's sources are trusted.
type PolicyMode string

const (
	// PolicyFirst trusts the first valid answer. Cheapest, and as good as
	// the first source is honest.
	PolicyFirst PolicyMode = "first"
	// PolicyQuorum asks the sources in order until Quorum independent
	// operators have given the same address.
	PolicyQuorum PolicyMode = "quorum"
	// PolicyAll asks every source; each must answer, all the same.
	PolicyAll PolicyMode = "all"
)

// Policy is the agreement rule of a Detector.
type Policy struct {
	Mode PolicyMode
	// Quorum is how many independent operators must agree under
	// PolicyQuorum.
	Quorum int
}

// DefaultPolicy asks until two independent sources agree.
var DefaultPolicy = Policy{Mode: PolicyQuorum, Quorum: 2}

// String returns the policy in ParsePolicy's syntax.
func (p Policy) String() string {
	if p.Mode == PolicyQuorum {
		return fmt.Sprintf("quorum:%d", p.Quorum)
	}
	return string(p.Mode)
}

// ParsePolicy reads "first", "all", "quorum" (two) or "quorum:N".
func ParsePolicy(s string) (Policy, error) {
	mode, n, hasN := strings.Cut(strings.TrimSpace(s), ":")
	switch PolicyMode(mode) {
	case PolicyFirst, PolicyAll:
		if hasN {
			return Policy{}, fmt.Errorf("policy %q takes no number", s)
		}
		return Policy{Mode: PolicyMode(mode)}, nil
	case PolicyQuorum:
		if !hasN {
			return DefaultPolicy, nil
		}
		q, err := strconv.Atoi(n)
		if err != nil || q < 1 {
			return Policy{}, fmt.Errorf("policy %q: quorum must be a positive number", s)
		}
		return Policy{Mode: PolicyQuorum, Quorum: q}, nil
	}
	return Policy{}, fmt.Errorf("policy %q: want first, all, quorum or quorum:N", s)
}

// validate checks the policy can be met by sources.
func (p Policy) validate(fam Family, sources []Source) error {
	if p.Mode != PolicyQuorum || len(sources) == 0 {
		return nil
	}
	ops := map[string]bool{}
	for _, s := range sources {
		if authoritative(s) {
			return nil
		}
		ops[operatorOf(s)] = true
	}
	if len(ops) < p.Quorum {
		// Said with the fix: a single source (a router's status page, a
		// home-made echo service) is a common first configuration.
		return fmt.Errorf("%s: policy %s needs answers from %d independent operators, but its %d source(s) are run by %d (%s); add sources run by other operators, or use the policy first to trust a single answer",
			fam, p, p.Quorum, len(sources), len(ops), strings.Join(slices.Sorted(maps.Keys(ops)), ", "))
	}
	return nil
}

// ErrNoAgreement is wrapped when the sources' answers did not satisfy the
// policy: they disagree, or too few answered alike.
var ErrNoAgreement = errors.New("egress sources do not agree")

// SourceAnswer is one source's valid answer.
type SourceAnswer struct {
	Source string
	Addr   netip.Addr
}

// AgreementError reports answers that did not satisfy the policy.
type AgreementError struct {
	Family  Family
	Policy  Policy
	Answers []SourceAnswer
	// Failed counts sources that gave no valid answer.
	Failed int
}

func (e *AgreementError) Error() string {
	parts := make([]string, 0, len(e.Answers))
	for _, a := range e.Answers {
		parts = append(parts, a.Source+" said "+a.Addr.String())
	}
	what := "too few sources agree"
	if e.Disagree() {
		what = "sources disagree"
	}
	return fmt.Sprintf("%s on the %s address under policy %s (%s; %d failed)", what, e.Family, e.Policy, strings.Join(parts, ", "), e.Failed)
}

// Unwrap makes errors.Is(err, ErrNoAgreement) true.
func (e *AgreementError) Unwrap() error { return ErrNoAgreement }

// Disagree reports whether valid answers named more than one address.
func (e *AgreementError) Disagree() bool {
	for _, a := range e.Answers[min(1, len(e.Answers)):] {
		if a.Addr != e.Answers[0].Addr {
			return true
		}
	}
	return false
}

// Authoritative is implemented by sources whose answer is the user's word,
// not a detection (StaticSource): it is taken without asking for
// agreement.
type Authoritative interface {
	Authoritative() bool
}

func authoritative(src Source) bool {
	a, ok := src.(Authoritative)
	return ok && a.Authoritative()
}

// tally collects answers and decides whether the policy is met.
type tally struct {
	policy  Policy
	total   int
	answers []SourceAnswer
	votes   map[netip.Addr]map[string]bool
	failed  int
}

func newTally(p Policy, total int) *tally {
	return &tally{policy: p, total: total, votes: map[netip.Addr]map[string]bool{}}
}

func (t *tally) fail() { t.failed++ }

// add counts an answer and returns the agreed address once the policy is
// met; the caller stops asking then.
func (t *tally) add(src Source, addr netip.Addr) (netip.Addr, bool) {
	t.answers = append(t.answers, SourceAnswer{Source: src.Name(), Addr: addr})
	if t.votes[addr] == nil {
		t.votes[addr] = map[string]bool{}
	}
	t.votes[addr][operatorOf(src)] = true
	if authoritative(src) {
		return addr, true
	}
	switch t.policy.Mode {
	case PolicyFirst:
		return addr, true
	case PolicyAll:
		return addr, len(t.answers) == t.total && len(t.votes) == 1
	default:
		return addr, len(t.votes[addr]) >= t.policy.Quorum
	}
}

// wantsMore reports whether asking further sources can still help: under
// PolicyAll one failure or a second address decides it.
func (t *tally) wantsMore() bool {
	return t.policy.Mode != PolicyAll || (t.failed == 0 && len(t.votes) <= 1)
}
