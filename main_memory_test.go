package main

import (
	"strings"
	"testing"
)

func TestGoMemLimit(t *testing.T) {
	for _, tc := range []struct {
		name  string
		env   map[string]string
		ratio float64
		want  int64
		err   string
	}{
		{"no limit given", nil, 0.9, 0, ""},
		{"128Mi at 0.9", map[string]string{memoryLimitEnv: "134217728"}, 0.9, 120795955, ""},
		{"whitespace around the number", map[string]string{memoryLimitEnv: " 134217728\n"}, 0.5, 67108864, ""},
		{"GOMEMLIMIT set by the user wins", map[string]string{memoryLimitEnv: "134217728", "GOMEMLIMIT": "200MiB"}, 0.9, 0, ""},
		{"ratio 0 turns it off", map[string]string{memoryLimitEnv: "134217728"}, 0, 0, ""},
		{"no container limit: the node's allocatable memory", map[string]string{memoryLimitEnv: "25275564032"}, 0.9, 22748007628, ""},
		{"a quantity, not bytes", map[string]string{memoryLimitEnv: "128Mi"}, 0.9, 0, `DDNS_MEMORY_LIMIT="128Mi": want the container's memory limit in bytes`},
		{"zero", map[string]string{memoryLimitEnv: "0"}, 0.9, 0, "want the container's memory limit in bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := goMemLimit(func(k string) string { return tc.env[k] }, tc.ratio)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one holding %q", err, tc.err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("goMemLimit = %d, %v; want %d", got, err, tc.want)
			}
		})
	}
}
