package providertest

import (
	"net/http/httptest"
	"testing"
)

// A list endpoint serves at most PageSize items from the offset asked
// for, and under FaultEndlessPages the first page with a total that never
// runs out.
func TestWindowAndTotal(t *testing.T) {
	f := &Fake[struct{}]{PageSize: 5}
	for _, tc := range []struct {
		name                 string
		fault                Fault
		n, offset, limit     int
		lo, hi, reportedSize int
	}{
		{"first page, capped at PageSize", FaultNone, 12, 0, 100, 0, 5, 12},
		{"last, short page", FaultNone, 12, 10, 100, 10, 12, 12},
		{"a limit below PageSize", FaultNone, 12, 2, 3, 2, 5, 12},
		{"past the end", FaultNone, 12, 40, 5, 12, 12, 12},
		{"a negative offset is the start", FaultNone, 12, -3, 5, 0, 5, 12},
		{"endless: the first page again", FaultEndlessPages, 12, 10, 5, 0, 5, EndlessTotal},
	} {
		f.SetFault(tc.fault)
		lo, hi := f.Window(tc.n, tc.offset, tc.limit)
		if lo != tc.lo || hi != tc.hi || f.Total(tc.n) != tc.reportedSize {
			t.Errorf("%s: Window = [%d, %d), Total = %d; want [%d, %d), %d", tc.name, lo, hi, f.Total(tc.n), tc.lo, tc.hi, tc.reportedSize)
		}
	}
}

func TestParseAuthorization(t *testing.T) {
	for _, tc := range []struct {
		name, algorithm, header string
		ok                      bool
		cred, sig               string
		signed                  int
	}{
		{"TC3", "TC3-HMAC-SHA256", "TC3-HMAC-SHA256 Credential=AKID/2024-01-02/dnspod/tc3_request, SignedHeaders=content-type;host, Signature=abc", true, "AKID/2024-01-02/dnspod/tc3_request", "abc", 2},
		{"ACS3 without spaces", "ACS3-HMAC-SHA256", "ACS3-HMAC-SHA256 Credential=LTAI,SignedHeaders=host;x-acs-date;x-acs-action,Signature=def", true, "LTAI", "def", 3},
		{"another algorithm", "TC3-HMAC-SHA256", "HMAC-SHA1 Credential=x, SignedHeaders=host, Signature=y", false, "", "", 0},
		{"a part without =", "TC3-HMAC-SHA256", "TC3-HMAC-SHA256 Credential=x, SignedHeaders, Signature=y", false, "", "", 0},
		{"no signature", "TC3-HMAC-SHA256", "TC3-HMAC-SHA256 Credential=x, SignedHeaders=host", false, "", "", 0},
	} {
		a, ok := ParseAuthorization(tc.header, tc.algorithm)
		if ok != tc.ok || ok && (a.Credential != tc.cred || a.Signature != tc.sig || len(a.SignedHeaders) != tc.signed) {
			t.Errorf("%s: %+v, %t", tc.name, a, ok)
		}
	}
}

func TestCanonicalHeaders(t *testing.T) {
	r := httptest.NewRequest("POST", "http://api.example.test/", nil)
	r.Header.Set("Content-Type", " application/json ")
	r.Header.Add("X-Acs-Date", "2024-01-02T03:04:05Z")
	headers, signed := CanonicalHeaders(r, []string{"x-acs-date", "Host", "content-type"})
	if want := "content-type:application/json\nhost:api.example.test\nx-acs-date:2024-01-02T03:04:05Z\n"; headers != want {
		t.Errorf("headers %q, want %q", headers, want)
	}
	if signed != "content-type;host;x-acs-date" {
		t.Errorf("signed headers %q", signed)
	}
}

func TestFaultStatus(t *testing.T) {
	if FaultStatus(FaultHTTP502) != 502 || FaultStatus(FaultServerError) != 0 {
		t.Errorf("FaultStatus: 502 gives %d, server-error %d", FaultStatus(FaultHTTP502), FaultStatus(FaultServerError))
	}
}
