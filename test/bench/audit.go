package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// auditPolicy records every write to the API server (not reads, which the
// audit log would otherwise fill with list and watch traffic) at the
// Metadata level: who, what verb, on which resource and subresource.
const auditPolicy = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: ["RequestReceived", "ResponseStarted"]
rules:
- level: None
  verbs: ["get", "list", "watch"]
- level: Metadata
`

// managerUser is the user the manager's kubeconfig authenticates as, so
// its writes are told apart from the benchmark's own.
const managerUser = "bench-admin"

// auditFiles writes the policy into dir and returns the kube-apiserver
// flags that log to dir/audit.log.
func auditFiles(dir string) (policy, log string, err error) {
	policy, log = filepath.Join(dir, "audit-policy.yaml"), filepath.Join(dir, "audit.log")
	return policy, log, os.WriteFile(policy, []byte(auditPolicy), 0o600)
}

// writeCount is the manager's writes to the API server in a window.
type writeCount struct {
	Total  int
	ByKind map[string]int // "patch dynamicdnsrecords/status": count
}

// String is the total with the kinds, most frequent first.
func (w writeCount) String() string {
	if w.Total == 0 {
		return "0"
	}
	return fmt.Sprintf("%d (%s)", w.Total, w.kinds())
}

// kinds lists the count of each kind of write, most frequent first.
func (w writeCount) kinds() string {
	kinds := make([]string, 0, len(w.ByKind))
	for k := range w.ByKind {
		kinds = append(kinds, k)
	}
	sort.Slice(kinds, func(i, j int) bool { return w.ByKind[kinds[i]] > w.ByKind[kinds[j]] })
	parts := make([]string, 0, len(kinds))
	for _, k := range kinds {
		parts = append(parts, fmt.Sprintf("%d %s", w.ByKind[k], k))
	}
	return strings.Join(parts, ", ")
}

// auditEvent is the part of an audit.k8s.io/v1 Event the count reads.
type auditEvent struct {
	Stage string `json:"stage"`
	Verb  string `json:"verb"`
	User  struct {
		Username string `json:"username"`
	} `json:"user"`
	ObjectRef *struct {
		Resource    string `json:"resource"`
		Subresource string `json:"subresource"`
	} `json:"objectRef"`
	Received time.Time `json:"requestReceivedTimestamp"`
}

// countWrites counts the writes user made that the API server received in
// [from, to), from the audit log at path.
func countWrites(path, user string, from, to time.Time) (writeCount, error) {
	w := writeCount{ByKind: map[string]int{}}
	f, err := os.Open(path)
	if err != nil {
		return w, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var e auditEvent
		if json.Unmarshal(sc.Bytes(), &e) != nil || e.Stage != "ResponseComplete" || e.User.Username != user {
			continue
		}
		if e.Received.Before(from) || !e.Received.Before(to) {
			continue
		}
		kind := e.Verb
		if e.ObjectRef != nil {
			kind += " " + e.ObjectRef.Resource
			if e.ObjectRef.Subresource != "" {
				kind += "/" + e.ObjectRef.Subresource
			}
		}
		w.Total++
		w.ByKind[kind]++
	}
	return w, sc.Err()
}
