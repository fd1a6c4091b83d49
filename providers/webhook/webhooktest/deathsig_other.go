//go:build !linux

package webhooktest

import "os/exec"

// setDeathSignal has no portable equivalent outside Linux; the test's
// cleanup kills the server.
func setDeathSignal(*exec.Cmd) {}
