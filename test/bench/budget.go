package main

import (
	"fmt"
	"strings"
)

// The size and memory budget of issue 20: what a Raspberry Pi home lab
// can give the operator with every provider linked.
const (
	budgetBinary      = 45e6 // bytes, stripped (45 MB)
	budgetRSS100      = 48   // MiB, peak RSS at 100 records
	budgetRSS1000     = 60   // MiB, peak RSS at 1,000 records
	budgetWS100       = 40   // MiB, the cgroup's working set at 100 records
	budgetMsPerCheck  = 0.5  // ms of CPU per no-op periodic check of a record
	budgetSteadyWrite = 0    // manager writes to the API server per minute at steady state
	budgetEarly429    = 0    // requests to a throttled credential before Retry-After elapses
)

// budgetRow is one budget line: what, its limit, what was measured, and
// whether it is met (nil when nothing measured it).
type budgetRow struct {
	What, Limit, Measured string
	Met                   *bool
}

// budgetCheck is the budget against this run's figures.
type budgetCheck []budgetRow

// over reports whether any measured figure is over the budget.
func (b budgetCheck) over() bool {
	for _, r := range b {
		if r.Met != nil && !*r.Met {
			return true
		}
	}
	return false
}

// text is the budget as a markdown table.
func (b budgetCheck) text() string {
	var s strings.Builder
	s.WriteString("| budget | limit | measured | outcome |\n|---|---|---|---|\n")
	for _, r := range b {
		outcome := "not measured in this run"
		switch {
		case r.Met == nil:
		case *r.Met:
			outcome = "within"
		default:
			outcome = "**over**"
		}
		fmt.Fprintf(&s, "| %s | %s | %s | %s |\n", r.What, r.Limit, orText(r.Measured, "-"), outcome)
	}
	return s.String()
}

// budget checks every figure the run measured against the budget.
func (rep report) budget() budgetCheck {
	var b budgetCheck
	add := func(what, limit string, measured []string, met []bool) {
		row := budgetRow{What: what, Limit: limit, Measured: strings.Join(measured, "; ")}
		if len(met) > 0 {
			all := true
			for _, m := range met {
				all = all && m
			}
			row.Met = &all
		}
		b = append(b, row)
	}

	var ms []string
	var ok []bool
	if f := rep.binary; f != nil {
		ms = []string{fmt.Sprintf("%.1f MB (%.1f MiB)", float64(f.Stripped)/1e6, float64(f.Stripped)/mib)}
		ok = []bool{float64(f.Stripped) <= budgetBinary}
	}
	add("manager binary, stripped", fmt.Sprintf("%.0f MB", budgetBinary/1e6), ms, ok)

	done := rep.completed()
	for _, lim := range []struct {
		n   int
		mib float64
	}{{100, budgetRSS100}, {1000, budgetRSS1000}} {
		ms, ok = nil, nil
		for _, r := range done {
			if r.N == lim.n {
				ms = append(ms, fmt.Sprintf("%.1f MiB (%dz; now %.1f anon + %.1f file)", r.PeakRSS/mib, r.Zones, r.RSSAnon/mib, r.RSSFile/mib))
				ok = append(ok, r.PeakRSS/mib <= lim.mib)
			}
		}
		add(fmt.Sprintf("peak RSS at %d records", lim.n), fmt.Sprintf("%.0f MiB", lim.mib), ms, ok)
	}

	ms, ok = nil, nil
	for _, r := range done {
		if r.N == 100 && r.SteadyMem.Cgroup != nil {
			ms = append(ms, fmt.Sprintf("%.1f MiB (%dz)", r.SteadyMem.Cgroup.WorkingSet/mib, r.Zones))
			ok = append(ok, r.SteadyMem.Cgroup.WorkingSet/mib <= budgetWS100)
		}
	}
	add("cgroup working set at 100 records", fmt.Sprintf("%.0f MiB", float64(budgetWS100)), ms, ok)

	ms, ok = nil, nil
	for _, r := range done {
		if (r.N == 100 || r.N == 1000) && msPerCheck(r.Steady) >= 0 {
			ms = append(ms, fmt.Sprintf("%.2f ms at N=%d/%dz", msPerCheck(r.Steady), r.N, r.Zones))
			ok = append(ok, msPerCheck(r.Steady) <= budgetMsPerCheck)
		}
	}
	add("CPU per no-op periodic check, per record (100 and 1,000 records)", fmt.Sprintf("%.1f ms", budgetMsPerCheck), ms, ok)

	ms, ok = nil, nil
	for _, r := range done {
		if r.SteadyWrites != nil {
			perMin := float64(r.SteadyWrites.Total) * 60 / r.SteadyWindow.Seconds()
			ms = append(ms, fmt.Sprintf("%.0f/min at N=%d/%dz", perMin, r.N, r.Zones))
			ok = append(ok, perMin <= budgetSteadyWrite)
		}
	}
	add("API-server writes at steady state", "0/min", ms, ok)

	ms, ok = nil, nil
	for _, r := range done {
		if t := r.Throttle; t != nil {
			ms = append(ms, fmt.Sprintf("%d at N=%d (Retry-After %s)", t.Early, r.N, t.RetryAfter))
			ok = append(ok, t.Early <= budgetEarly429)
		}
	}
	add("requests to a credential after a 429, before Retry-After elapses", "0", ms, ok)
	return b
}

// completed are the scenarios that measured the steady window (a later
// phase may have failed).
func (rep report) completed() []result {
	var out []result
	for _, r := range rep.results {
		if r.SteadyWindow > 0 {
			out = append(out, r)
		}
	}
	return out
}
