#!/usr/bin/env bash
# Provides the control-plane binaries the tests and `make run` need
# (kube-apiserver, etcd, kubectl) and prints the directory that holds them,
# for KUBEBUILDER_ASSETS.
#
# The binaries are cached outside the clone, keyed by version, so a fresh clone
# reuses them. The script first tries setup-envtest's download; where the network
# does not allow it (as on our CI machines) it builds them from the Go module
# proxy: kube-apiserver and kubectl from k8s.io/kubernetes through a throw-away
# wrapper module that pins every k8s.io staging module, and etcd through a tiny
# main that calls etcdmain.Main. Progress goes to stderr; stdout is the path.
#
# The directory printed holds wrappers that start the real etcd and
# kube-apiserver with the parent-death signal set (setpriv --pdeathsig): they
# die with the process that started them. A test binary that times out
# (panic) or is killed cannot run envtest's Stop, and without this its etcd
# and kube-apiserver lived on as orphans for as long as the machine did.
set -euo pipefail

K8S_VERSION="${ENVTEST_K8S_VERSION:-1.37.2}"
ETCD_VERSION="${ENVTEST_ETCD_VERSION:-3.6.6}"
CACHE_ROOT="${DDNS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ddns-operator}"
DEST="$CACHE_ROOT/envtest/k8s-${K8S_VERSION}-etcd-${ETCD_VERSION}"

HACK="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=hack/step.sh
source "$HACK/step.sh"
export STEP_PREFIX="setup-envtest: "

log() { echo "setup-envtest: $*" >&2; }

complete() {
	[[ -x "$DEST/kube-apiserver" && -x "$DEST/etcd" && -x "$DEST/kubectl" ]]
}

mkdir -p "$CACHE_ROOT"
# One builder at a time: parallel make targets and CI must not race.
exec 9>"$CACHE_ROOT/.envtest.lock"
flock 9

# wrapped prints the directory of die-with-parent wrappers around the
# binaries in $DEST, writing them when missing or out of date, or $DEST
# itself where setpriv (util-linux, Linux only) is missing.
wrapped() {
	local dir="$DEST/die-with-parent" b
	if ! command -v setpriv >/dev/null 2>&1; then
		log "setpriv (util-linux) not found: etcd and kube-apiserver will outlive a test binary that is killed"
		echo "$DEST"
		return
	fi
	mkdir -p "$dir"
	for b in etcd kube-apiserver; do
		if ! wrapper | cmp -s - "$dir/$b"; then
			wrapper >"$dir/$b.tmp.$$"
			chmod 755 "$dir/$b.tmp.$$"
			mv -f "$dir/$b.tmp.$$" "$dir/$b"
		fi
	done
	[[ -L "$dir/kubectl" ]] || ln -sfn ../kubectl "$dir/kubectl"
	echo "$dir"
}

# wrapper is the script installed as die-with-parent/NAME: it runs ../NAME
# with the parent-death signal SIGKILL, which survives exec. The inner
# shell checks that the parent is still the one that started it, so a
# parent that died before the signal was set cannot leave an orphan either.
wrapper() {
	cat <<'SH'
#!/bin/sh
# Written by hack/setup-envtest.sh: runs ../NAME so that it dies with the
# process that started it (a killed or timed-out test binary, make run).
exec setpriv --pdeathsig KILL -- /bin/sh -c '[ "$PPID" = "$1" ] || exit 1; shift; exec "$@"' sh "$PPID" "${0%/*}/../${0##*/}" "$@"
SH
}

if complete; then
	wrapped
	exit 0
fi
mkdir -p "$DEST"
log "the control-plane binaries for kube-apiserver ${K8S_VERSION} and etcd ${ETCD_VERSION} are not in $DEST yet;"
log "providing them once (later runs reuse them; about 15 minutes on 2 cores when they must be built)"

# download asks setup-envtest for prebuilt binaries into $1, writing the
# directory it reports to $1/path and its complaints to $1/err.
download() (
	timeout 120 go run sigs.k8s.io/controller-runtime/tools/setup-envtest@latest \
		use "${K8S_VERSION}" --bin-dir "$1" -p path >"$1/path" 2>"$1/err"
)

try_download() {
	local tmp
	tmp="$(mktemp -d)"
	if step "trying setup-envtest's download of prebuilt ${K8S_VERSION} binaries" "at most 2 minutes" -- download "$tmp"; then
		local dir
		dir="$(cat "$tmp/path")"
		if [[ -x "$dir/kube-apiserver" && -x "$dir/etcd" ]]; then
			cp "$dir/kube-apiserver" "$dir/etcd" "$DEST/"
			[[ -x "$dir/kubectl" ]] && cp "$dir/kubectl" "$DEST/"
			rm -rf "$tmp"
			return 0
		fi
	fi
	log "download not possible here ($(grep -v '^exit status' "$tmp/err" 2>/dev/null | tail -n1 || true)); building from source"
	rm -rf "$tmp"
	return 1
}

# quietly runs a command that resolves modules, whose output (a line per
# module found and added, hundreds) is shown only when it fails.
quietly() {
	local out rc=0
	out="$(mktemp)"
	"$@" >"$out" 2>&1 || rc=$?
	((rc == 0)) || cat "$out" >&2
	rm -f "$out"
	return "$rc"
}

# kube_module writes a throw-away module in the current directory that
# builds kube-apiserver and kubectl, and downloads what they need.
kube_module() (
	set -e
	go mod init envtest-wrapper >/dev/null 2>&1
	# Every staging module k8s.io/kubernetes replaces with ./staging must be
	# pinned to its published v0 twin, or the module graph does not resolve.
	local gomod
	gomod="$(go mod download -json "k8s.io/kubernetes@v${K8S_VERSION}" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
	[[ -n "$gomod" ]] || { echo "cannot download k8s.io/kubernetes@v${K8S_VERSION}" >&2; exit 1; }
	local staging="0.${K8S_VERSION#1.}"
	{
		echo "require k8s.io/kubernetes v${K8S_VERSION}"
		grep -oE '^\s*k8s.io/[a-z0-9-]+ => ./staging' "$gomod" | awk '{print $1}' | sort -u |
			while read -r m; do echo "replace $m => $m v${staging}"; done
	} >>go.mod
	cat >tools.go <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
GO
	quietly go mod tidy
)

# kube_build builds the command $1 (kube-apiserver or kubectl) of the
# module in the current directory into $DEST.
kube_build() (
	set -e
	local ldflags="-s -w -X k8s.io/component-base/version.gitVersion=v${K8S_VERSION} -X k8s.io/client-go/pkg/version.gitVersion=v${K8S_VERSION}"
	CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$DEST/$1.tmp" "k8s.io/kubernetes/cmd/$1"
	mv "$DEST/$1.tmp" "$DEST/$1"
)

build_kube() (
	set -e
	local work
	work="$(mktemp -d)"
	trap 'rm -rf "$work"' EXIT
	cd "$work"
	step "downloading the k8s.io/kubernetes v${K8S_VERSION} sources" "once, into the Go module cache $(go env GOMODCACHE)" -- kube_module
	[[ -x "$DEST/kube-apiserver" ]] ||
		step "building kube-apiserver v${K8S_VERSION}" "once, into $DEST; about 10 minutes on 2 cores, more on a busy machine" -- kube_build kube-apiserver
	step "building kubectl v${K8S_VERSION}" "once, into $DEST; a minute or two" -- kube_build kubectl
)

# etcd_build builds etcd from a tiny main in the current directory.
etcd_build() (
	set -e
	go mod init etcd-wrapper >/dev/null 2>&1
	cat >main.go <<'GO'
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
	quietly go get "go.etcd.io/etcd/server/v3@v${ETCD_VERSION}"
	quietly go mod tidy
	CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$DEST/etcd.tmp" .
	mv "$DEST/etcd.tmp" "$DEST/etcd"
)

build_etcd() (
	set -e
	local work
	work="$(mktemp -d)"
	trap 'rm -rf "$work"' EXIT
	cd "$work"
	step "building etcd v${ETCD_VERSION} from the Go module proxy" "once, into $DEST; a minute or two" -- etcd_build
)

if [[ "${ENVTEST_NO_DOWNLOAD:-}" == "" ]] && try_download && complete; then
	wrapped
	exit 0
fi
[[ -x "$DEST/etcd" ]] || build_etcd
[[ -x "$DEST/kube-apiserver" && -x "$DEST/kubectl" ]] || build_kube
complete || { log "binaries missing in $DEST after build"; exit 1; }
log "ready in $DEST; later runs start at once"
wrapped
