package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// memoryLimitEnv names the variable that holds the container's memory
// limit in bytes. The chart sets it from the pod's own
// resources.limits.memory (a resourceFieldRef), so the limit is read where
// it is defined and never copied into the chart's values twice.
const memoryLimitEnv = "DDNS_MEMORY_LIMIT"

// defaultGoMemLimitRatio is the share of the container's memory limit the
// Go runtime may use before collecting harder (GOMEMLIMIT). The rest is
// left for what GOMEMLIMIT does not count and the cgroup does: the page
// cache of the binary, and memory outside the Go heap. Below the limit the
// collector runs as GOGC says; near it, it runs more often instead of the
// container being OOM-killed.
const defaultGoMemLimitRatio = 0.9

// goMemLimit is the soft memory limit for the Go runtime: ratio of the
// container's limit in memoryLimitEnv; 0 (leave the runtime alone) when
// GOMEMLIMIT is set, which the runtime has already applied, when no limit
// is given, or when ratio is 0.
func goMemLimit(getenv func(string) string, ratio float64) (int64, error) {
	if getenv("GOMEMLIMIT") != "" || ratio == 0 {
		return 0, nil
	}
	raw := strings.TrimSpace(getenv(memoryLimitEnv))
	if raw == "" {
		return 0, nil
	}
	limit, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || limit <= 0 {
		return 0, fmt.Errorf("%s=%q: want the container's memory limit in bytes (resourceFieldRef limits.memory)", memoryLimitEnv, raw)
	}
	return int64(math.Floor(float64(limit) * ratio)), nil
}
