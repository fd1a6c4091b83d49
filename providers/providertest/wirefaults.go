package providertest

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"
)

// HoldLimit bounds how long FaultTimeout holds a request whose client never
// gives up, so a fake server can always close.
const HoldLimit = 2 * time.Minute

// EndlessBodyLimit bounds the body FaultEndlessBody writes, so a client
// without a body limit still ends (after reading far more than any real
// answer holds).
const EndlessBodyLimit = 64 << 20

// ServeWireFault answers r as fault says when the fault is one every fake
// serves alike, below the provider's wire format (a reset, a hold, a body
// that is not the provider's JSON). It reports whether it answered. Call
// it without holding the fake's lock: FaultTimeout blocks.
func ServeWireFault(w http.ResponseWriter, r *http.Request, fault Fault) bool {
	switch fault {
	case FaultConnectionReset:
		Reset(w)
	case FaultTimeout:
		// With the body read, the server watches the connection and ends
		// r's context as soon as the client hangs up.
		_, _ = io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-time.After(HoldLimit):
		}
		Reset(w)
	case FaultTruncatedJSON:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(`{"Response":{"RequestId":"5e2c0000","result":[{"id":"`))
	case FaultHTMLPage:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte("<!DOCTYPE html>\n<html><head><title>Sign in to the network</title></head>\n" +
			"<body><h1>Welcome</h1><p>Accept the terms to continue.</p></body></html>\n"))
	case FaultEmptyOK:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
	case FaultEndlessBody:
		serveEndless(w, r)
	default:
		return false
	}
	return true
}

// serveEndless writes a JSON array that never closes.
func serveEndless(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	chunk := []byte(strings.Repeat(`{"id":"00000000","name":"x.example.com","type":"A"},`, 64))
	if _, err := w.Write([]byte(`{"Response":{"result":[`)); err != nil {
		return
	}
	for written := 0; written < EndlessBodyLimit; written += len(chunk) {
		if r.Context().Err() != nil {
			return
		}
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
}

// Reset closes the connection under w at once, without an answer: the
// client sees a connection reset (or EOF).
func Reset(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("providertest: the ResponseWriter cannot be hijacked")
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0) // send RST, not FIN
	}
	_ = conn.Close()
}

// LoseResponse runs serve, so the request takes effect at the fake, then
// resets the connection: the client never learns the outcome, as when a
// response is lost on the way back.
func LoseResponse(w http.ResponseWriter, serve func(http.ResponseWriter)) {
	serve(httptest.NewRecorder())
	Reset(w)
}

// EndlessTotal is the item count FaultEndlessPages reports: far more than
// any page walk reaches.
const EndlessTotal = 1 << 30

// StatusFault is an error answer a fake gives for a fault: an HTTP status
// and a short text for the provider's own error body.
type StatusFault struct {
	Status int
	Text   string
	// RetryAfter says the answer carries a Retry-After (the fake sets
	// it in the provider's form).
	RetryAfter bool
}

// StatusOf returns the error answer for the faults every HTTP fake gives
// alike but for the body (throttling and server errors); ok is false for
// the other faults.
func StatusOf(f Fault) (StatusFault, bool) {
	switch f {
	case FaultRateLimited:
		return StatusFault{http.StatusTooManyRequests, "Too many requests", true}, true
	case FaultRateLimitedNoRetryAfter:
		return StatusFault{http.StatusTooManyRequests, "Too many requests", false}, true
	case FaultServerError, FaultHTTP500:
		return StatusFault{http.StatusInternalServerError, "Internal server error", false}, true
	case FaultHTTP502:
		return StatusFault{http.StatusBadGateway, "Bad gateway", false}, true
	case FaultHTTP503:
		return StatusFault{http.StatusServiceUnavailable, "Service unavailable", false}, true
	}
	return StatusFault{}, false
}
