package main

import (
	"bytes"
	"errors"
	"regexp"
	"testing"

	"github.com/go-logr/logr"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
)

// The lazy logger writes the same lines as zap's own: names, the values
// given to WithValues before the line's own, errors; nothing below the
// level.
func TestLazyValuesLogsTheSameLines(t *testing.T) {
	for _, format := range []string{"json", "console"} {
		t.Run(format, func(t *testing.T) {
			opts, err := newLogger(config{logLevel: "info", logFormat: format})
			if err != nil {
				t.Fatal(err)
			}
			write := func(l logr.Logger) {
				l = l.WithName("controller").WithValues("namespace", "home", "name", "www").WithName("dynamicdnsrecord")
				l.Info("Updated record", "value", "81.2.69.160")
				l.V(1).Info("not at info level", "value", "x")
				l.WithValues("attempt", 2).Error(errors.New("zone example.com not found"), "Reconciler error", "zone", "example.com")
			}
			var plain, lazy bytes.Buffer
			write(zap.New(opts, zap.WriteTo(&plain)))
			write(lazyValues(zap.New(opts, zap.WriteTo(&lazy))))
			ts := regexp.MustCompile(`\d{4}-\d\d-\d\dT[0-9:.]+Z`)
			got, want := ts.ReplaceAllString(lazy.String(), "TS"), ts.ReplaceAllString(plain.String(), "TS")
			if got != want {
				t.Fatalf("lazy logger wrote\n%s\nzap wrote\n%s", got, want)
			}
			if n := bytes.Count(plain.Bytes(), []byte("\n")); n != 2 || !bytes.Contains(plain.Bytes(), []byte("www")) || !bytes.Contains(plain.Bytes(), []byte("attempt")) {
				t.Fatalf("%d lines, want 2:\n%s", n, plain.String())
			}
		})
	}
}
