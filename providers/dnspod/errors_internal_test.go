package dnspod

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/ddns-operator/ddns-operator/providers"
)

func TestStatusErrorKinds(t *testing.T) {
	for _, tc := range []struct {
		action, code string
		want         providers.Kind
	}{
		{actionDomainList, "-1", providers.KindAuth},
		{actionRecordList, "-1", providers.KindAuth},
		{actionDomainList, "-2", providers.KindRateLimited},
		{actionDomainList, "-7", providers.KindAuth},
		{actionDomainList, "-8", providers.KindAuth},
		{actionDomainList, "83", providers.KindAuth},
		{actionDomainList, "85", providers.KindAuth},
		{actionDomainList, "50", providers.KindAuth},
		{actionDomainList, "-99", providers.KindTransient},
		{actionDomainList, "3", providers.KindTransient},
		{actionDomainList, "2", providers.KindInvalid},
		{actionDomainList, "6", providers.KindInvalid},
		{actionRecordList, "6", providers.KindZoneNotFound},
		{actionRecordList, "9", providers.KindZoneNotFound},
		{actionRecordList, "8", providers.KindInvalid},
		{actionRecordList, "-15", providers.KindZoneNotFound},
		{actionRecordCreate, "6", providers.KindInvalid},
		{actionRecordCreate, "7", providers.KindZoneNotFound},
		{actionRecordCreate, "-15", providers.KindZoneNotFound},
		{actionRecordCreate, "21", providers.KindInvalid},
		{actionRecordCreate, "22", providers.KindInvalid},
		{actionRecordCreate, "26", providers.KindInvalid},
		{actionRecordCreate, "27", providers.KindInvalid},
		{actionRecordCreate, "32", providers.KindInvalid},
		{actionRecordCreate, "34", providers.KindInvalid},
		{actionRecordCreate, "500025", providers.KindInvalid},
		{actionRecordModify, "6", providers.KindZoneNotFound},
		{actionRecordModify, "8", providers.KindNotFound},
		{actionRecordModify, "29", providers.KindInvalid},
		{actionRecordRemove, "8", providers.KindNotFound},
		{actionRecordRemove, "6", providers.KindZoneNotFound},
		{actionRecordRemove, "12345", providers.KindInvalid},
		{actionRecordRemark, "6", providers.KindZoneNotFound},
		{actionRecordRemark, "8", providers.KindNotFound},
		{actionRecordRemark, "-2", providers.KindRateLimited},
	} {
		err := statusError(tc.action, tc.code, "message from the API", "")
		if err.Kind != tc.want {
			t.Errorf("%s code %s: kind %s, want %s", tc.action, tc.code, err.Kind, tc.want)
		}
		if err.Code != tc.code || !strings.Contains(err.Error(), "message from the API") || !strings.Contains(err.Error(), tc.action) {
			t.Errorf("%s code %s: error %q should keep the action, message and code", tc.action, tc.code, err)
		}
	}
}

func TestStatusErrorTTLMessages(t *testing.T) {
	// The API's own number is kept and nothing is added.
	err := statusError(actionRecordCreate, "32", "Record ttl is limited(600)", "")
	if err.Error() != "dnspod Record.Create: Record ttl is limited(600) (code 32)" {
		t.Errorf("got %q", err)
	}
	// A message without a number gets the free plan's minimum.
	err = statusError(actionRecordModify, "29", "TTL值太小", "")
	if !strings.Contains(err.Error(), "TTL值太小") || !strings.Contains(err.Error(), "600") {
		t.Errorf("got %q", err)
	}
}

func TestStatusErrorRedactsTheToken(t *testing.T) {
	err := statusError(actionDomainList, "-1", "token abc123secret is wrong", "abc123secret")
	if strings.Contains(err.Error(), "abc123secret") || !strings.Contains(err.Error(), "[redacted]") {
		t.Fatalf("got %q", err)
	}
	if err := statusError(actionDomainList, "-1", "", "x"); !strings.Contains(err.Error(), "request refused") {
		t.Fatalf("empty message: %q", err)
	}
}

func TestHTTPError(t *testing.T) {
	for _, tc := range []struct {
		status int
		want   providers.Kind
	}{
		{429, providers.KindRateLimited},
		{500, providers.KindTransient},
		{502, providers.KindTransient},
		{503, providers.KindTransient},
		{403, providers.KindAuth},
		{404, providers.KindTransient},
	} {
		if got := httpError(actionRecordList, tc.status, 0).Kind; got != tc.want {
			t.Errorf("HTTP %d: kind %s, want %s", tc.status, got, tc.want)
		}
	}
	err := httpError(actionRecordList, 429, 7*time.Second)
	if d, ok := providers.RetryAfterOf(err); !ok || d != 7*time.Second {
		t.Fatalf("RetryAfterOf = %v, %v", d, ok)
	}
}

func TestFlexString(t *testing.T) {
	var v struct {
		A, B, C, D, E flexString
	}
	if err := json.Unmarshal([]byte(`{"A":"600","B":600,"C":null,"D":true,"E":"默认"}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.A != "600" || v.B != "600" || v.C != "" || v.D != "true" || v.E != "默认" || v.A.int() != 600 || v.E.int() != 0 {
		t.Fatalf("decoded %+v", v)
	}
	if err := json.Unmarshal([]byte(`{"A":{}}`), &v); err == nil {
		t.Fatal("an object decoded as text")
	}
}

func TestLastPage(t *testing.T) {
	for _, tc := range []struct {
		n, offset, total int
		want             bool
	}{
		{0, 0, 10, true},
		{5, 5, 12, false},
		{2, 12, 12, true},
		{5, 5, 0, true},
		{listLength, listLength, 0, false},
	} {
		if got := lastPage(tc.n, tc.offset, tc.total); got != tc.want {
			t.Errorf("lastPage(%d, %d, %d) = %v", tc.n, tc.offset, tc.total, got)
		}
	}
}
