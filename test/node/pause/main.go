// Command pause is the sandbox ("pause") container of the real-node test:
// it holds each pod's namespaces, reaps orphaned children and exits on
// SIGINT or SIGTERM, as Kubernetes' own pause does. The test builds it and
// packs it into an image with hack/image/ociimage, because the node has no
// registry to pull registry.k8s.io/pause from.
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	sig := make(chan os.Signal, 8)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM, syscall.SIGCHLD)
	for s := range sig {
		if s != syscall.SIGCHLD {
			os.Exit(0)
		}
		// Reap every child that has exited: pause is PID 1 of the pod's
		// PID namespace when the pod shares one.
		for {
			var ws syscall.WaitStatus
			pid, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil)
			if pid <= 0 || err != nil {
				break
			}
		}
	}
}
