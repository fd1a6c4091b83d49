package main

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// verdict is one target's outcome.
func verdict(ok bool, detail string) string {
	if ok {
		return "met: " + detail
	}
	return "**not met**: " + detail
}

// targets checks the figures against the targets of issue 7. A target no
// scenario measured says so.
func (rep report) targets() string {
	var b strings.Builder
	b.WriteString("## Targets\n\n| target | outcome |\n|---|---|\n")
	row := func(t, v string) { fmt.Fprintf(&b, "| %s | %s |\n", t, v) }
	rs := rep.results
	var ok []result
	for _, r := range rs {
		if r.Err == "" && r.SteadyWindow > 0 {
			ok = append(ok, r)
		}
	}
	if len(ok) == 0 {
		row("all", "no scenario completed")
		return b.String()
	}

	// Detection constant in N.
	lo, hi := ok[0].DetectPerWindow, ok[0].DetectPerWindow
	for _, r := range ok {
		lo, hi = min(lo, r.DetectPerWindow), max(hi, r.DetectPerWindow)
	}
	row("detection requests per interval constant in N", verdict(hi-lo <= 1,
		fmt.Sprintf("%d to %d echo requests per %s window over N=%d..%d (one detection each 10s)", lo, hi, rep.opts.steadyWindow, ok[0].N, ok[len(ok)-1].N)))

	// Steady state.
	var worstW, worstR string
	wOK, rOK := true, true
	for _, r := range ok {
		if r.Steady.Req.Writes > 0 {
			wOK = false
			worstW += fmt.Sprintf(" N=%d/%dz: %d writes;", r.N, r.Zones, r.Steady.Req.Writes)
		}
		// Lists of a zone are at least an interval apart (the snapshot's
		// maximum age); a window of k intervals and a bit can hold k+1
		// of them, one at each end.
		intervals := math.Floor(float64(r.SteadyWindow) / float64(rep.opts.steadyInterval))
		allowed := float64(r.Zones) * (intervals + 1)
		if float64(r.Steady.Req.Reads) > allowed {
			rOK = false
			worstR += fmt.Sprintf(" N=%d/%dz: %d reads, allowed %.0f (%.0fx);", r.N, r.Zones, r.Steady.Req.Reads, allowed, float64(r.Steady.Req.Reads)/allowed)
		}
	}
	row("steady state: zero writes", verdict(wOK, orText(worstW, "no write in any window")))
	row("steady state: reads at most one list per zone per interval", verdict(rOK, orText(worstR, "within the allowance everywhere")))

	// Address change.
	var gapW, gapR string
	cOK := true
	for _, r := range ok {
		fr, _, fb := floor(r.N, r.Zones)
		if !r.Change.Converged {
			cOK = false
			gapW += fmt.Sprintf(" N=%d/%dz: did not converge;", r.N, r.Zones)
			continue
		}
		// Cloudflare's batch endpoint: at most one write request per 200
		// changed records of a zone.
		if r.Change.Req.Writes > fb {
			cOK = false
			gapW += fmt.Sprintf(" N=%d/%dz: %d write requests for %d changed records, floor %d batch calls;", r.N, r.Zones, r.Change.Req.Writes, r.N, fb)
		}
		if r.Change.Req.Reads > fr {
			cOK = false
			gapR += fmt.Sprintf(" N=%d/%dz: %d reads vs %d lists, %d writes vs %d batch calls;", r.N, r.Zones, r.Change.Req.Reads, fr, r.Change.Req.Writes, fb)
		}
	}
	row("address change: one batch request per 200 changed records of a zone, reads at most one list per zone", verdict(cOK, orText(gapW+gapR, "at the floor in every scenario")))

	// No 429.
	total := 0
	var where string
	for _, r := range rs {
		t := r.Create.Req.Throttled + r.Change.Req.Throttled + r.Steady.Req.Throttled
		total += t
		if t > 0 {
			where += fmt.Sprintf(" N=%d/%dz: %d;", r.N, r.Zones, t)
		}
	}
	row("no 429 during the run", verdict(total == 0, orText(where, "none")))

	// 1,000 records, one zone, under 15s.
	found := false
	for _, r := range ok {
		if r.N == 1000 && r.Zones == 1 && r.RateLimit > 0 {
			found = true
			row(fmt.Sprintf("1,000 records in one zone converge after an address change in under 15s (limit %s)", limitText(r.RateLimit, rep.opts.rateWindow)),
				verdict(r.Change.Converged && r.Change.Took < 15*time.Second, secs(r.Change, r.N)))
		}
	}
	if !found {
		row("1,000 records in one zone converge after an address change in under 15s", "not measured in this run (no N=1000, one zone, rate-limited scenario)")
	}

	// Memory.
	for _, m := range []struct {
		n     int
		limit float64
	}{{1000, 64}, {5000, 128}} {
		var got string
		met := true
		for _, r := range ok {
			if r.N == m.n {
				got += fmt.Sprintf(" %.1f MiB (%dz, limit %s);", r.PeakRSS/mib, r.Zones, limitText(r.RateLimit, rep.opts.rateWindow))
				met = met && r.PeakRSS/mib < m.limit
			}
		}
		t := fmt.Sprintf("peak RSS under %.0f MiB at %d records", m.limit, m.n)
		if got == "" {
			row(t, "not measured in this run")
			continue
		}
		row(t, verdict(met, orText(got, "")))
	}
	for _, r := range rs {
		if r.Unrelated > 0 {
			d := (r.RSSUnrelated - r.RSSBase) / r.RSSBase
			row(fmt.Sprintf("peak RSS unchanged (within 10%%) by %d unrelated Secrets and ConfigMaps", r.Unrelated),
				verdict(d <= 0.10, fmt.Sprintf("%.1f → %.1f MiB (%+.1f%%) at N=%d", r.RSSBase/mib, r.RSSUnrelated/mib, 100*d, r.N)))
		}
	}
	return b.String()
}

func orText(s, def string) string {
	if s == "" {
		return def
	}
	return strings.TrimSuffix(strings.TrimSpace(s), ";")
}
