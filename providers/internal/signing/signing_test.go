package signing_test

import (
	"testing"

	"github.com/ddns-operator/ddns-operator/providers/internal/signing"
)

func TestEscape(t *testing.T) {
	for in, want := range map[string]string{
		"abcXYZ019-_.~": "abcXYZ019-_.~",
		"a b":           "a%20b",
		"a/b+c*d":       "a%2Fb%2Bc%2Ad",
		"默认":            "%E9%BB%98%E8%AE%A4",
	} {
		if got := signing.Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestQuery(t *testing.T) {
	got := signing.Query(map[string][]string{"b": {"2", "1"}, "a": {"x y"}, "a2": {"z"}, "Action": {"ListZones"}})
	if want := "Action=ListZones&a=x%20y&a2=z&b=1&b=2"; got != want {
		t.Fatalf("Query = %q, want %q", got, want)
	}
}

// RFC 4231 test case 2.
func TestHMAC(t *testing.T) {
	if got := signing.HMACHex([]byte("Jefe"), "what do ya want for nothing?"); got != "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" {
		t.Fatalf("HMACHex = %s", got)
	}
	if got := signing.SHA256Hex(nil); got != "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" {
		t.Fatalf("SHA256Hex = %s", got)
	}
}
