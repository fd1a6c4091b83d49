package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"time"
)

// cpuProfile fetches a CPU profile of d from the manager's pprof endpoint
// (--pprof-bind-address) into out.
func cpuProfile(ctx context.Context, pprofURL string, d time.Duration, out string) error {
	secs := int(d.Round(time.Second) / time.Second)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", pprofURL, max(secs, 1)), nil)
	if err != nil {
		return err
	}
	res, err := (&http.Client{Timeout: d + time.Minute}).Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("CPU profile: %s", res.Status)
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, res.Body); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// pprofTop is `go tool pprof -top` of a profile: the n functions with the
// most CPU time of their own, and, with cum, the n with the most including
// what they call.
func pprofTop(profile string, n int, cum bool) (string, error) {
	args := []string{"tool", "pprof", "-top", fmt.Sprintf("-nodecount=%d", n)}
	if cum {
		args = append(args, "-cum")
	}
	out, err := exec.Command("go", append(args, profile)...).Output()
	if err != nil {
		return "", fmt.Errorf("go tool pprof: %w", err)
	}
	// Drop the preamble (file, type, time) up to the "Showing" line.
	s := string(out)
	if i := strings.Index(s, "Showing nodes"); i >= 0 {
		s = s[i:]
	}
	return strings.TrimRight(s, "\n"), nil
}
