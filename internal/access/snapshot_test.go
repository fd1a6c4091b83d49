package access

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
)

// A list answered before a write that succeeded while it was under way
// must not hide that write: the next plan would create the record again.
func TestSnapshotKeepsWritesMadeDuringAList(t *testing.T) {
	for _, tc := range []struct {
		name     string
		write    func(s *snapshot)
		want     []string // IDs of h1's records afterwards; nil: not kept
		wantKept bool
	}{
		{"created", func(s *snapshot) {
			s.apply(nil, []providers.Record{{ID: "2", Name: "h1.example.com"}}, nil)
		}, []string{"1", "2"}, true},
		{"deleted", func(s *snapshot) {
			s.apply([]providers.Record{{ID: "1", Name: "h1.example.com"}}, nil, nil)
		}, nil, true},
		{"failed", func(s *snapshot) { s.invalidate() }, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &snapshot{}
			listed, release := make(chan struct{}), make(chan struct{})
			done := make(chan error)
			go func() {
				_, _, err := s.get(context.Background(), time.Hour, "h1.example.com", func(context.Context) ([]providers.Record, error) {
					close(listed)
					<-release
					return []providers.Record{{ID: "1", Name: "h1.example.com"}}, nil
				})
				done <- err
			}()
			<-listed
			tc.write(s)
			close(release)
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			s.mu.Lock()
			defer s.mu.Unlock()
			if (s.byName != nil) != tc.wantKept {
				t.Fatalf("snapshot kept = %v, want %v", s.byName != nil, tc.wantKept)
			}
			var ids []string
			for _, r := range s.byName["h1.example.com"] {
				ids = append(ids, r.ID)
			}
			if fmt.Sprint(ids) != fmt.Sprint(tc.want) {
				t.Fatalf("h1 = %v, want %v", ids, tc.want)
			}
		})
	}
}
