// Command dashshot renders the chart's Grafana dashboard to an HTML page
// from a Prometheus server's data, so a headless browser can take a
// picture of it where Grafana itself cannot be installed (docs/monitoring.md
// says how the picture in the docs was made). It reads the dashboard JSON,
// runs every panel's queries through Prometheus's HTTP API (instant queries
// for stats, bar gauges and tables, range queries for time series), and
// lays the panels out on Grafana's 24-column grid in Grafana's dark theme.
// It draws what the queries return and nothing else.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"html"
	"math"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

type panel struct {
	Title   string                   `json:"title"`
	Type    string                   `json:"type"`
	GridPos struct{ X, Y, W, H int } `json:"gridPos"`
	Targets []struct {
		Expr         string `json:"expr"`
		LegendFormat string `json:"legendFormat"`
	} `json:"targets"`
	FieldConfig struct {
		Defaults struct {
			Unit     string `json:"unit"`
			Decimals *int   `json:"decimals"`
		} `json:"defaults"`
	} `json:"fieldConfig"`
	Options struct {
		TextMode string `json:"textMode"`
	} `json:"options"`
}

// series is one result of a query.
type series struct {
	labels map[string]string
	legend string
	times  []float64
	values []float64
}

func main() {
	dashPath := flag.String("dashboard", "charts/ddns-operator/dashboards/ddns-operator.json", "Dashboard JSON.")
	prom := flag.String("prometheus", "http://127.0.0.1:9090", "Prometheus base URL.")
	window := flag.Duration("window", 30*time.Minute, "Time range of the time series, ending now.")
	out := flag.String("out", "dashboard.html", "HTML page to write.")
	flag.Parse()
	if err := run(*dashPath, *prom, *window, *out); err != nil {
		fmt.Fprintln(os.Stderr, "dashshot:", err)
		os.Exit(1)
	}
}

func run(dashPath, prom string, window time.Duration, out string) error {
	b, err := os.ReadFile(dashPath)
	if err != nil {
		return err
	}
	var dash struct {
		Title  string  `json:"title"`
		Panels []panel `json:"panels"`
	}
	if err := json.Unmarshal(b, &dash); err != nil {
		return err
	}
	end := time.Now()
	start := end.Add(-window)
	step := max(window/120, 5*time.Second)
	const colW, rowH, width = 66.0, 34.0, 24 * 66.0
	height := 0.0
	var body strings.Builder
	for _, p := range dash.Panels {
		x, y, w, h := float64(p.GridPos.X)*colW, float64(p.GridPos.Y)*rowH, float64(p.GridPos.W)*colW, float64(p.GridPos.H)*rowH
		height = max(height, y+h)
		if p.Type == "row" {
			fmt.Fprintf(&body, `<div class="row" style="left:%.0fpx;top:%.0fpx;width:%.0fpx">%s</div>`, x, y, w, html.EscapeString(p.Title))
			continue
		}
		var all []series
		for _, t := range p.Targets {
			// Grafana's $__rate_interval is at least four scrape intervals
			// and one step; a minute covers both here.
			// The source list variable shows its default list.
			expr := regexp.MustCompile(`\$__rate_interval`).ReplaceAllString(t.Expr, "1m")
			expr = strings.ReplaceAll(expr, "$list", "default")
			var ss []series
			if p.Type == "timeseries" {
				ss, err = queryRange(prom, expr, start, end, step)
			} else {
				ss, err = queryInstant(prom, expr, end)
			}
			if err != nil {
				return fmt.Errorf("panel %q: %w", p.Title, err)
			}
			for i := range ss {
				ss[i].legend = legend(t.LegendFormat, ss[i].labels)
			}
			all = append(all, ss...)
		}
		sort.SliceStable(all, func(i, j int) bool { return all[i].legend < all[j].legend })
		inner := ""
		switch p.Type {
		case "stat":
			inner = stat(p, all, end)
		case "timeseries":
			inner = timeseries(p, all, start, end, w-16, h-40)
		case "bargauge":
			inner = bars(p, all)
		case "table":
			inner = table(all)
		}
		fmt.Fprintf(&body, `<div class="panel" style="left:%.0fpx;top:%.0fpx;width:%.0fpx;height:%.0fpx"><div class="title">%s</div><div class="inner">%s</div></div>`,
			x+4, y+4, w-8, h-8, html.EscapeString(p.Title), inner)
	}
	page := fmt.Sprintf(`<!doctype html><html><head><meta charset="utf-8"><style>
body{margin:0;background:#111217;font-family:Inter,"DejaVu Sans",Helvetica,Arial,sans-serif;color:#ccccdc}
.head{height:48px;line-height:48px;padding:0 16px;font-size:18px;border-bottom:1px solid #2c3235}
.head span{font-size:12px;color:#8e8e8e;margin-left:16px}
.grid{position:relative;margin:8px 8px 16px 8px;width:%.0fpx;height:%.0fpx}
.panel{position:absolute;background:#181b1f;border:1px solid #2c3235;border-radius:2px;overflow:hidden;box-sizing:border-box}
.title{font-size:13px;font-weight:500;padding:6px 8px;color:#ccccdc;white-space:nowrap;overflow:hidden}
.inner{position:absolute;top:30px;left:8px;right:8px;bottom:6px}
.row{position:absolute;height:30px;line-height:30px;font-size:14px;font-weight:500;color:#ccccdc;padding-left:4px}
.stat{display:flex;height:100%%;gap:6px}
.cell{flex:1;display:flex;flex-direction:column;justify-content:center;align-items:center;border-radius:2px}
.cell .v{font-size:22px;font-weight:500;color:#fff;text-align:center;word-break:break-all}
.cell .n{font-size:11px;color:#ccccdc}
.legend{font-size:11px;line-height:15px;position:absolute;bottom:0;left:0;right:0;max-height:32px;overflow:hidden}
.legend i{display:inline-block;width:12px;height:3px;margin:0 4px 3px 8px}
table{border-collapse:collapse;font-size:12px;width:100%%}td,th{padding:3px 6px;border-bottom:1px solid #2c3235;text-align:left}th{color:#6e9fff;font-weight:500}
.bar{display:flex;align-items:center;font-size:12px;margin:4px 0}.bar .l{width:38%%;white-space:nowrap;overflow:hidden}.bar .b{height:18px;background:#73bf69;margin-right:6px}
.none{color:#8e8e8e;font-size:13px;text-align:center;margin-top:20px}
</style></head><body><div class="head">%s<span>%s - %s, from Prometheus at %s</span></div><div class="grid">%s</div></body></html>`,
		width, height, html.EscapeString(dash.Title), start.Format("15:04"), end.Format("15:04 MST"), html.EscapeString(prom), body.String())
	return os.WriteFile(out, []byte(page), 0o644)
}

var palette = []string{"#73bf69", "#f2cc0c", "#5794f2", "#ff9830", "#f2495c", "#b877d9", "#8ab8ff", "#ffb357", "#96d98d", "#ca95e5"}

func legend(format string, labels map[string]string) string {
	if format == "" {
		var parts []string
		for k, v := range labels {
			parts = append(parts, k+"="+v)
		}
		sort.Strings(parts)
		return strings.Join(parts, ", ")
	}
	return regexp.MustCompile(`\{\{\s*(\w+)\s*\}\}`).ReplaceAllStringFunc(format, func(m string) string {
		return labels[strings.Trim(m, "{} ")]
	})
}

func stat(p panel, ss []series, now time.Time) string {
	if len(ss) == 0 {
		return `<div class="none">none</div>`
	}
	var b strings.Builder
	b.WriteString(`<div class="stat">`)
	for _, s := range ss {
		v := s.values[len(s.values)-1]
		if d := p.FieldConfig.Defaults.Decimals; d != nil {
			pow := math.Pow(10, float64(*d))
			v = math.Round(v*pow) / pow
		}
		bg := "transparent"
		if p.Options.TextMode != "name" && (strings.Contains(p.Title, "Records") || p.FieldConfig.Defaults.Unit == "bool_yes_no") {
			bg = "#1a7f4b"
			if v > 0 && (s.legend == "not Ready" || p.FieldConfig.Defaults.Unit == "bool_yes_no") {
				bg = "#c4162a"
			}
		}
		if p.Options.TextMode == "name" {
			fmt.Fprintf(&b, `<div class="cell" style="background:%s"><div class="v">%s</div></div>`, bg, html.EscapeString(s.legend))
			continue
		}
		fmt.Fprintf(&b, `<div class="cell" style="background:%s"><div class="v">%s</div><div class="n">%s</div></div>`, bg, html.EscapeString(format(v, p.FieldConfig.Defaults.Unit, now)), html.EscapeString(s.legend))
	}
	b.WriteString(`</div>`)
	return b.String()
}

func bars(p panel, ss []series) string {
	if len(ss) == 0 {
		return `<div class="none">No data</div>`
	}
	top := 0.0
	for _, s := range ss {
		top = max(top, s.values[len(s.values)-1])
	}
	var b strings.Builder
	for i, s := range ss {
		v := s.values[len(s.values)-1]
		fmt.Fprintf(&b, `<div class="bar"><div class="l">%s</div><div class="b" style="width:%.0f%%;background:%s"></div>%s</div>`,
			html.EscapeString(s.legend), 55*v/math.Max(top, 1), palette[i%len(palette)], format(v, "short", time.Time{}))
	}
	return b.String()
}

func table(ss []series) string {
	if len(ss) == 0 {
		return `<div class="none">No records are failing</div>`
	}
	var keys []string
	for k := range ss[0].labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString("<table><tr>")
	for _, k := range keys {
		fmt.Fprintf(&b, "<th>%s</th>", k)
	}
	b.WriteString("</tr>")
	for _, s := range ss {
		b.WriteString("<tr>")
		for _, k := range keys {
			fmt.Fprintf(&b, "<td>%s</td>", html.EscapeString(s.labels[k]))
		}
		b.WriteString("</tr>")
	}
	b.WriteString("</table>")
	return b.String()
}

func timeseries(p panel, ss []series, start, end time.Time, w, h float64) string {
	if len(ss) == 0 {
		return `<div class="none">No data</div>`
	}
	legendH := 34.0
	ph := h - legendH
	lo, hi := 0.0, 0.0
	for _, s := range ss {
		for _, v := range s.values {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				hi = max(hi, v)
				lo = min(lo, v)
			}
		}
	}
	if hi == lo {
		hi = lo + 1
	}
	const axisW = 66.0
	pw := w - axisW
	var b strings.Builder
	fmt.Fprintf(&b, `<svg width="%.0f" height="%.0f" style="position:absolute;top:0;left:0">`, w, ph)
	for i := 0; i <= 4; i++ {
		y := ph - 14 - float64(i)*(ph-20)/4
		v := lo + float64(i)*(hi-lo)/4
		fmt.Fprintf(&b, `<line x1="%.0f" x2="%.0f" y1="%.1f" y2="%.1f" stroke="#2c3235"/><text x="%.0f" y="%.1f" fill="#8e8e8e" font-size="10" text-anchor="end">%s</text>`,
			axisW, w, y, y, axisW-4, y+3, format(v, p.FieldConfig.Defaults.Unit, end))
	}
	span := end.Sub(start).Seconds()
	for i := 0; i <= 5; i++ {
		t := start.Add(time.Duration(float64(i) * span / 5 * float64(time.Second)))
		fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" fill="#8e8e8e" font-size="10" text-anchor="middle">%s</text>`, axisW+float64(i)*pw/5, ph-2, t.Format("15:04"))
	}
	for i, s := range ss {
		var pts []string
		for k, ts := range s.times {
			v := s.values[k]
			if math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			x := axisW + (ts-float64(start.Unix()))/span*pw
			y := ph - 14 - (v-lo)/(hi-lo)*(ph-20)
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x, y))
		}
		fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="1.5" points="%s"/>`, palette[i%len(palette)], strings.Join(pts, " "))
	}
	b.WriteString(`</svg><div class="legend">`)
	for i, s := range ss {
		fmt.Fprintf(&b, `<span><i style="background:%s"></i>%s</span> `, palette[i%len(palette)], html.EscapeString(s.legend))
	}
	b.WriteString(`</div>`)
	return b.String()
}

// format writes v in the panel's unit, as Grafana would.
func format(v float64, unit string, now time.Time) string {
	switch unit {
	case "dateTimeFromNow":
		ago := now.Sub(time.UnixMilli(int64(v)))
		switch {
		case ago < time.Minute:
			return "a few seconds ago"
		case ago < 2*time.Minute:
			return "1 minute ago"
		case ago < time.Hour:
			return fmt.Sprintf("%d minutes ago", int(ago.Minutes()))
		default:
			return fmt.Sprintf("%d hours ago", int(ago.Hours()))
		}
	case "bool_yes_no":
		if v != 0 {
			return "Yes"
		}
		return "No"
	case "s":
		switch {
		case v == 0:
			return "0 s"
		case v < 1:
			return fmt.Sprintf("%.0f ms", v*1000)
		default:
			return fmt.Sprintf("%.2f s", v)
		}
	case "reqps":
		return strconv.FormatFloat(v, 'f', 2, 64) + " req/s"
	default:
		if v == math.Trunc(v) {
			return strconv.FormatFloat(v, 'f', 0, 64)
		}
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
}

type apiResult struct {
	Status string `json:"status"`
	Error  string `json:"error"`
	Data   struct {
		ResultType string `json:"resultType"`
		Result     []struct {
			Metric map[string]string `json:"metric"`
			Value  []any             `json:"value"`
			Values [][]any           `json:"values"`
		} `json:"result"`
	} `json:"data"`
}

func get(u string) (apiResult, error) {
	var r apiResult
	resp, err := http.Get(u)
	if err != nil {
		return r, err
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return r, err
	}
	if r.Status != "success" {
		return r, fmt.Errorf("prometheus: %s", r.Error)
	}
	return r, nil
}

func sample(p []any) (float64, float64) {
	t, _ := p[0].(float64)
	v, _ := strconv.ParseFloat(fmt.Sprint(p[1]), 64)
	return t, v
}

func queryInstant(prom, expr string, at time.Time) ([]series, error) {
	r, err := get(prom + "/api/v1/query?" + url.Values{"query": {expr}, "time": {strconv.FormatInt(at.Unix(), 10)}}.Encode())
	if err != nil {
		return nil, err
	}
	var out []series
	for _, x := range r.Data.Result {
		t, v := sample(x.Value)
		delete(x.Metric, "__name__")
		out = append(out, series{labels: x.Metric, times: []float64{t}, values: []float64{v}})
	}
	return out, nil
}

func queryRange(prom, expr string, start, end time.Time, step time.Duration) ([]series, error) {
	r, err := get(prom + "/api/v1/query_range?" + url.Values{"query": {expr}, "start": {strconv.FormatInt(start.Unix(), 10)},
		"end": {strconv.FormatInt(end.Unix(), 10)}, "step": {strconv.Itoa(int(step.Seconds()))}}.Encode())
	if err != nil {
		return nil, err
	}
	var out []series
	for _, x := range r.Data.Result {
		s := series{labels: x.Metric}
		delete(s.labels, "__name__")
		for _, p := range x.Values {
			t, v := sample(p)
			s.times, s.values = append(s.times, t), append(s.values, v)
		}
		out = append(out, s)
	}
	return out, nil
}
