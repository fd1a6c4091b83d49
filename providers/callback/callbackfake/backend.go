package callbackfake

import (
	"testing"

	"github.com/ddns-operator/ddns-operator/providers"
	"github.com/ddns-operator/ddns-operator/providers/providertest"
)

// noFormat is why the answer-shape faults do not apply to a callback.
const noFormat = "a callback's answer has no format: any 2xx is success, as in ddns-go"

// Backend is the callback provider d with this receiver, for the
// operator's suites: its Secret's URL names the receiver.
func Backend(d providers.Descriptor) providertest.Backend {
	return providertest.Backend{Descriptor: d, Start: func(t testing.TB, zones ...string) *providertest.Server {
		f := New(t, zones...)
		s := f.Server()
		s.Secret = map[string]string{"url": GetURL(f.URL, Token)}
		s.BadSecret = map[string]string{"url": GetURL(f.URL, "not-the-callback-token")}
		s.Skip = map[string]string{
			providertest.CheckAdoption:                               "a callback cannot be read: the operator knows only what it sent, so it neither sees nor adopts records made elsewhere",
			providertest.CheckMarker:                                 "a callback carries no ownership marker",
			providertest.CheckFault(providertest.FaultZoneNotFound):  "a callback has no zones; a receiver's 404 is an invalid request (InvalidRecord)",
			providertest.CheckFault(providertest.FaultTruncatedJSON): noFormat,
			providertest.CheckFault(providertest.FaultHTMLPage):      noFormat,
			providertest.CheckFault(providertest.FaultEmptyOK):       noFormat,
			providertest.CheckFault(providertest.FaultEndlessBody):   noFormat + "; the operator reads at most 64 KiB of it",
			providertest.CheckFault(providertest.FaultEndlessPages):  "a callback has no listing to page through",
			providertest.CheckFault(providertest.FaultLostResponse): "a callback cannot be read back: while answers are lost the operator cannot tell " +
				"that the call arrived, so it calls again with backoff (the same request, idempotent at the receiver) until an answer arrives",
		}
		return s
	}}
}
