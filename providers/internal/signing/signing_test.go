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

// The worked example of Alibaba Cloud's RPC signature documentation
// ("Request signatures", ECS DescribeRegions with the secret testsecret).
func TestRPCSignature(t *testing.T) {
	params := map[string][]string{
		"AccessKeyId": {"testid"}, "Action": {"DescribeRegions"}, "Format": {"XML"},
		"SignatureMethod": {"HMAC-SHA1"}, "SignatureNonce": {"3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"},
		"SignatureVersion": {"1.0"}, "Timestamp": {"2016-02-23T12:46:24Z"}, "Version": {"2014-05-26"},
		"Signature": {"left out of what is signed"},
	}
	toSign := signing.RPCStringToSign("GET", params)
	if want := "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"; toSign != want {
		t.Fatalf("RPCStringToSign =\n%s\nwant\n%s", toSign, want)
	}
	if got := signing.RPCSignature("testsecret", toSign); got != "OLeaidS1JvxuMvnyHOwuJ+uX5qY=" {
		t.Fatalf("RPCSignature = %s", got)
	}
}
