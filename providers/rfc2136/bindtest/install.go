package bindtest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
)

// aptPackages are what the harness and the e2e test need: named, and dig
// and nsupdate for people reading along.
var aptPackages = []string{"bind9", "bind9-utils", "dnsutils"}

var (
	findOnce  sync.Once
	namedPath string
	findErr   error
)

// FindNamed returns the path of the named binary, installing BIND 9 with
// apt-get when it is missing and the process runs as root. Without root or
// apt it fails with a message that says what to install; it never skips,
// since CI must run the tests that need it.
func FindNamed() (string, error) {
	findOnce.Do(func() {
		namedPath, findErr = findOrInstall("named", "/usr/sbin/named")
	})
	return namedPath, findErr
}

// FindDig returns the path of dig, installing dnsutils as FindNamed does.
func FindDig() (string, error) {
	return findOrInstall("dig", "/usr/bin/dig")
}

func findOrInstall(name, usual string) (string, error) {
	if p, err := lookPath(name, usual); err == nil {
		return p, nil
	}
	if err := aptInstall(); err != nil {
		return "", fmt.Errorf("%s is not installed and could not be installed (%w); install it with: apt-get install %v", name, err, aptPackages)
	}
	return lookPath(name, usual)
}

func lookPath(name, usual string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	if _, err := os.Stat(usual); err == nil {
		return usual, nil
	}
	return "", fmt.Errorf("%s not found in PATH or at %s", name, usual)
}

// aptInstall installs the packages, holding a file lock so that test
// binaries of several packages running at once install only once.
func aptInstall() error {
	if os.Geteuid() != 0 {
		return errors.New("not running as root, so apt-get cannot be used")
	}
	apt, err := exec.LookPath("apt-get")
	if err != nil {
		return errors.New("apt-get not found")
	}
	lock, err := os.OpenFile(filepath.Join(os.TempDir(), "ddns-operator-apt.lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return fmt.Errorf("open the install lock: %w", err)
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return fmt.Errorf("take the install lock: %w", err)
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN) //nolint:errcheck // released on close anyway
	if _, err := lookPath("named", "/usr/sbin/named"); err == nil {
		if _, err := lookPath("dig", "/usr/bin/dig"); err == nil {
			return nil // another process installed them while we waited
		}
	}
	fmt.Fprintf(os.Stderr, "bindtest: installing %v with apt-get (once)\n", aptPackages)
	env := append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
	update := exec.Command(apt, "-o", "DPkg::Lock::Timeout=300", "update", "-qq")
	update.Env = env
	if out, err := update.CombinedOutput(); err != nil {
		return fmt.Errorf("apt-get update: %w: %s", err, tail(out))
	}
	args := append([]string{"-o", "DPkg::Lock::Timeout=300", "install", "-y", "-qq", "--no-install-recommends"}, aptPackages...)
	install := exec.Command(apt, args...)
	install.Env = env
	if out, err := install.CombinedOutput(); err != nil {
		return fmt.Errorf("apt-get install: %w: %s", err, tail(out))
	}
	return nil
}

func tail(b []byte) string {
	const n = 2000
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}
