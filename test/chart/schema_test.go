package chart_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// TestSchemaRejectsWrongValues installs (client-only) with wrong values:
// values.schema.json must refuse each one, naming the field at fault.
func TestSchemaRejectsWrongValues(t *testing.T) {
	cases := []struct {
		name string
		vals map[string]any
		// want are substrings the error must hold.
		want []string
	}{
		{"misspelt top-level key", map[string]any{"replicas": 2}, []string{"replicas", "not allowed"}},
		{"misspelt nested key", map[string]any{"detector": map[string]any{"intervall": "1m"}}, []string{"intervall", "not allowed"}},
		{"replica count as a word", map[string]any{"replicaCount": "two"}, []string{"replicaCount", "integer"}},
		{"two replicas without leader election", map[string]any{"replicaCount": 2, "leaderElection": map[string]any{"enabled": false}}, []string{"leaderElection/enabled"}},
		{"unknown detect policy", map[string]any{"detector": map[string]any{"policy": "majority"}}, []string{"detector/policy", "majority"}},
		{"interval not a Go duration", map[string]any{"detector": map[string]any{"interval": "5 minutes"}}, []string{"detector/interval"}},
		{"source with a comma", map[string]any{"detector": map[string]any{"ipv4": map[string]any{"sources": []any{"https://a.example,https://b.example"}}}}, []string{"detector/ipv4/sources/0"}},
		{"IPv6 address as static IPv4", map[string]any{"detector": map[string]any{"ipv4": map[string]any{"static": "2001:db8::7"}}}, []string{"detector/ipv4/static"}},
		{"empty named source list", map[string]any{"detector": map[string]any{"sourceLists": map[string]any{"lan": map[string]any{}}}}, []string{"detector/sourceLists/lan"}},
		{"namespace with capitals", map[string]any{"watchNamespaces": []any{"Home"}}, []string{"watchNamespaces/0"}},
		{"owner ID with a colon", map[string]any{"ownerId": "lab:1"}, []string{"ownerId"}},
		{"namespace twice", map[string]any{"watchNamespaces": []any{"home", "home"}}, []string{"watchNamespaces"}},
		{"log level verbose", map[string]any{"logging": map[string]any{"level": "verbose"}}, []string{"logging/level", "one of"}},
		{"port out of range", map[string]any{"metrics": map[string]any{"port": 70000}}, []string{"metrics/port", "maximum"}},
		{"digest that is a tag", map[string]any{"image": map[string]any{"digest": "latest"}}, []string{"image/digest"}},
		{"hostNetwork as a string", map[string]any{"hostNetwork": "yes"}, []string{"hostNetwork", "boolean"}},
		{"extra arg without dashes", map[string]any{"extraArgs": []any{"v=3"}}, []string{"extraArgs/0"}},
		{"env var without a name", map[string]any{"extraEnv": []any{map[string]any{"value": "x"}}}, []string{"extraEnv/0", "name"}},
		{"memory limit share above 1", map[string]any{"gomemlimitRatio": 1.5}, []string{"gomemlimitRatio", "maximum"}},
		{"memory limit share as a percentage", map[string]any{"gomemlimitRatio": "90%"}, []string{"gomemlimitRatio", "number"}},
		{"budget as a fraction", map[string]any{"podDisruptionBudget": map[string]any{"enabled": true, "maxUnavailable": "half"}}, []string{"podDisruptionBudget/maxUnavailable"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := renderValues("ddns", tc.vals)
			if err == nil {
				t.Fatalf("values %v were accepted", tc.vals)
			}
			msg := err.Error()
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error does not name %q:\n%s", w, msg)
				}
			}
			t.Logf("refused: %s", msg)
		})
	}
}

// TestEverySwitchHasItsDefault: each on/off switch of the schema (an
// "enabled" boolean) is written in values.yaml with its default, so
// `helm show values` shows a user the switch and what it is set to.
func TestEverySwitchHasItsDefault(t *testing.T) {
	var schema map[string]any
	var values map[string]any
	for path, into := range map[string]*map[string]any{"values.schema.json": &schema, "values.yaml": &values} {
		raw, err := os.ReadFile(filepath.Join(chartDir, path))
		if err != nil {
			t.Fatal(err)
		}
		if err := yaml.Unmarshal(raw, into); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	var walk func(at string, s, v map[string]any) int
	walk = func(at string, s, v map[string]any) int {
		n := 0
		props, _ := s["properties"].(map[string]any)
		for name, p := range props {
			ps, _ := p.(map[string]any)
			if name == "enabled" && ps["type"] == "boolean" {
				n++
				if _, ok := v["enabled"]; !ok {
					t.Errorf("values.yaml: %senabled is missing; write the switch with its default", at)
				}
				continue
			}
			if ps["type"] == "object" {
				sub, _ := v[name].(map[string]any)
				n += walk(at+name+".", ps, sub)
			}
		}
		return n
	}
	if n := walk("", schema, values); n < 5 {
		t.Fatalf("found %d switches in values.schema.json; the walk is broken", n)
	}
}
