package notify

import (
	"fmt"
	"strings"
	"time"
)

// Message size limits: Telegram takes 4096 characters, Discord 2000 per
// chunk, WeCom 2048 bytes of text. Every message stays within the smallest,
// so one rendering suits every service.
const (
	maxMessageBytes = 2000
	// maxListed is how many records a section lists before "... and N more".
	maxListed = 20
	// maxDetail bounds one condition message quoted in a failure line.
	maxDetail = 160
)

// TextRenderer writes a digest as plain text: a title line saying what
// happened, then one section per kind of event.
type TextRenderer struct {
	// Cluster names the installation in the title; empty for none.
	Cluster string
}

// title is "[ddns-operator]" or "[ddns-operator home-lab]".
func (r TextRenderer) title() string {
	if r.Cluster == "" {
		return "[ddns-operator]"
	}
	return "[ddns-operator " + r.Cluster + "]"
}

// Render writes the sections of d that wants accepts, listing fewer records
// until the message fits maxMessageBytes.
func (r TextRenderer) Render(d *Digest, wants func(EventKind) bool) string {
	var msg string
	for listed := maxListed; ; listed /= 2 {
		msg = r.render(d, wants, listed)
		if len(msg) <= maxMessageBytes || listed == 0 {
			break
		}
	}
	return truncate(msg, maxMessageBytes)
}

func (r TextRenderer) render(d *Digest, wants func(EventKind) bool, listed int) string {
	var heads []string
	var b strings.Builder
	if wants(AddressChanged) && len(d.Changes) > 0 {
		heads = append(heads, changeHead(d.Changes))
		b.WriteString("\n")
		for _, c := range d.Changes {
			b.WriteString("\n" + changeLine(c))
		}
	}
	if wants(RecordsUpdated) && d.UpdatedTotal > 0 {
		heads = append(heads, count(d.UpdatedTotal, "record")+" updated")
		section(&b, "Updated "+count(d.UpdatedTotal, "record")+":", d.UpdatedTotal, listed, len(d.Updated), func(i int) string { return updateLine(d.Updated[i]) })
	}
	if wants(RecordFailing) && d.FailingTotal > 0 {
		heads = append(heads, count(d.FailingTotal, "record")+" failing")
		section(&b, "Failing:", d.FailingTotal, listed, len(d.Failing), func(i int) string { return failureLine(d.Failing[i], d.At) })
	}
	if wants(RecordRecovered) && d.RecoveredTotal > 0 {
		heads = append(heads, count(d.RecoveredTotal, "record")+" recovered")
		section(&b, "Recovered:", d.RecoveredTotal, listed, len(d.Recovered), func(i int) string { return recoveryLine(d.Recovered[i]) })
	}
	return r.title() + " " + strings.Join(heads, ", ") + b.String()
}

// TestMessage is the text of a test notification.
func (r TextRenderer) TestMessage(requestedBy string) string {
	return r.title() + " Test notification\n\nThis is a test message from ddns-operator, sent on request (" + requestedBy + "). If you read it, this target works."
}

func section(b *strings.Builder, head string, total, listed, kept int, line func(int) string) {
	b.WriteString("\n\n" + head)
	n := min(listed, kept)
	for i := range n {
		b.WriteString("\n- " + line(i))
	}
	if total > n {
		fmt.Fprintf(b, "\n- ... and %d more", total-n)
	}
}

func changeHead(cs []AddressChange) string {
	var fams []string
	for _, c := range cs {
		if f := familyName(c.Family); !contains(fams, f) {
			fams = append(fams, f)
		}
	}
	if len(fams) == 1 {
		return fams[0] + " address changed"
	}
	return strings.Join(fams, " and ") + " addresses changed"
}

func changeLine(c AddressChange) string {
	who := familyName(c.Family) + " address"
	if c.List != "" {
		who += " of source list " + c.List
	}
	old := c.Old
	if old == "" {
		old = "none"
	}
	return fmt.Sprintf("%s changed: %s -> %s (%s follow it)", who, old, c.New, count(c.Records, "record"))
}

func updateLine(u RecordUpdate) string {
	switch {
	case u.Old == "":
		return fmt.Sprintf("%s %s set to %s (%s/%s)", u.FQDN, u.Type, u.New, u.Namespace, u.Name)
	case u.Old == u.New:
		return fmt.Sprintf("%s %s rewritten with %s (%s/%s)", u.FQDN, u.Type, u.New, u.Namespace, u.Name)
	default:
		return fmt.Sprintf("%s %s %s -> %s (%s/%s)", u.FQDN, u.Type, u.Old, u.New, u.Namespace, u.Name)
	}
}

func failureLine(f RecordFailure, now time.Time) string {
	state := "Stalled (needs you)"
	if !f.Stalled {
		state = "retrying for " + human(now.Sub(f.Since))
	}
	return fmt.Sprintf("%s: %s, %s: %s", f.RecordRef, state, f.Reason, truncate(f.Message, maxDetail))
}

func recoveryLine(r RecordRecovery) string {
	return fmt.Sprintf("%s points at %s again, after %s", r.RecordRef, r.Address, human(r.FailedFor))
}

func familyName(f string) string {
	if f == "ipv6" {
		return "IPv6"
	}
	return "IPv4"
}

// count is "1 record" or "3 records".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// human writes a duration the way people say it: 45s, 12m, 3h5m, 2d4h.
func human(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", max(int(d/time.Second), 0))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d/time.Minute))
	case d < 48*time.Hour:
		h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
		if m == 0 {
			return fmt.Sprintf("%dh", h)
		}
		return fmt.Sprintf("%dh%dm", h, m)
	default:
		days, h := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour)
		if h == 0 {
			return fmt.Sprintf("%dd", days)
		}
		return fmt.Sprintf("%dd%dh", days, h)
	}
}

// truncate cuts s to at most n bytes on a rune boundary, marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n - len("...")
	for cut > 0 && !isRuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
