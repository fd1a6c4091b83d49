package main

import (
	"os"
	"syscall"
)

// dieWithParent asks the kernel to send this process SIGTERM when its
// parent (make) dies, so a killed `make run` (or a test that ran it and
// timed out) does not leave this command, and with it the control plane,
// BIND and the manager, running. SIGTERM is handled like Ctrl-C: everything
// is stopped in order.
func dieWithParent() {
	parent := os.Getppid()
	_, _, _ = syscall.RawSyscall(syscall.SYS_PRCTL, syscall.PR_SET_PDEATHSIG, uintptr(syscall.SIGTERM), 0)
	if os.Getppid() != parent { // the parent died before the signal was armed
		os.Exit(1)
	}
}

// childDiesWithUs is the SysProcAttr for children that must not outlive
// this command, even when it is killed with SIGKILL.
func childDiesWithUs() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
