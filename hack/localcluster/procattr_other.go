//go:build !linux

package main

import "syscall"

// dieWithParent does nothing where there is no parent-death signal.
func dieWithParent() {}

// childDiesWithUs is nil where there is no parent-death signal.
func childDiesWithUs() *syscall.SysProcAttr { return nil }
