// Package notify tells people what the operator did: it turns address
// changes and record outcomes into messages for chat and push services
// (through shoutrrr) or ddns-go-style webhooks, and pings a heartbeat URL.
//
// The life of an event: a caller (the record observer in controllers/, the
// egress subscription) hands it to a Notifier, which only takes a mutex and
// appends it to the pending digest: it never waits on the network. The
// digest goes out when no new event came for Coalesce.Quiet, or when its
// first event is Coalesce.MaxDelay old, as one message per target holding
// the events that target wants. Each target has a bounded outbox and one
// worker that sends, retries with backoff until the message is
// Retry.MaxAge old, and drops (and counts) the oldest queued message when
// the outbox is full. So a receiver down for hours costs at most a full
// outbox and never slows a reconcile.
package notify

import (
	"fmt"
	"strings"
	"time"
)

// EventKind names a kind of event a target can ask for.
type EventKind string

// The event kinds, as written in a target's events list.
const (
	// AddressChanged: the detected egress address of a family changed.
	AddressChanged EventKind = "AddressChanged"
	// RecordsUpdated: records were written at their provider.
	RecordsUpdated EventKind = "RecordsUpdated"
	// RecordFailing: a record is Stalled, or has been retrying longer than
	// FailingAfter.
	RecordFailing EventKind = "RecordFailing"
	// RecordRecovered: a record reported failing is Ready again.
	RecordRecovered EventKind = "RecordRecovered"
)

// AllEvents is every kind, in the order a message lists them; a target that
// names no events gets all of them.
var AllEvents = []EventKind{AddressChanged, RecordsUpdated, RecordFailing, RecordRecovered}

// ParseEventKind accepts a kind's name in any letter case.
func ParseEventKind(s string) (EventKind, error) {
	for _, k := range AllEvents {
		if strings.EqualFold(s, string(k)) {
			return k, nil
		}
	}
	return "", fmt.Errorf("unknown event %q: want one of %s", s, kindList(AllEvents))
}

func kindList(ks []EventKind) string {
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = string(k)
	}
	return strings.Join(out, ", ")
}

// AddressChange is one change of a detected address.
type AddressChange struct {
	// List is the named source list that changed; empty for the
	// cluster-wide detector.
	List string
	// Family is "ipv4" or "ipv6".
	Family string
	// Old is empty for the first address ever detected.
	Old, New string
	// Records is how many records follow this list and family.
	Records int
}

// RecordRef names a DynamicDNSRecord and the DNS record it manages.
type RecordRef struct {
	Namespace, Name string
	// FQDN and Type are the DNS name and record type (A or AAAA).
	FQDN, Type string
}

// String is "fqdn type (namespace/name)".
func (r RecordRef) String() string {
	return fmt.Sprintf("%s %s (%s/%s)", r.FQDN, r.Type, r.Namespace, r.Name)
}

func (r RecordRef) key() string { return r.Namespace + "/" + r.Name }

// family is the address family the record publishes.
func (r RecordRef) family() string {
	if r.Type == "AAAA" {
		return "ipv6"
	}
	return "ipv4"
}

// RecordUpdate is one write of a record at its provider.
type RecordUpdate struct {
	RecordRef
	// Old is empty when the record was created.
	Old, New string
}

// RecordFailure is a record reported failing.
type RecordFailure struct {
	RecordRef
	// Reason and Message are the Ready condition's (never a credential:
	// the controller scrubs them before they reach status).
	Reason, Message string
	// Stalled is true when a user must act; false for a record retrying
	// longer than FailingAfter.
	Stalled bool
	// Since is when the record stopped being Ready.
	Since time.Time
}

// RecordRecovery is a record reported failing that is Ready again.
type RecordRecovery struct {
	RecordRef
	Address string
	// FailedFor is how long it was not Ready.
	FailedFor time.Duration
}
