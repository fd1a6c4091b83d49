#!/usr/bin/env bash
# Provides the node binaries the real-node test (test/node) needs beyond the
# control plane of hack/setup-envtest.sh: kubelet, kube-controller-manager,
# kube-scheduler and kube-proxy, and containerd 2 with its runc shim. Prints
# the directory that holds them; progress goes to stderr.
#
# Nothing is downloaded from a web site: everything is built from the Go
# module proxy, as hack/setup-envtest.sh builds kube-apiserver, and cached
# outside the clone keyed by version, so it is built once per machine:
#   kubernetes (k8s.io/kubernetes) through a throw-away wrapper module that
#     pins every k8s.io staging module to its published twin;
#   containerd (github.com/containerd/containerd/v2) the same way, static,
#     without the btrfs and devmapper snapshotters (they need cgo).
# runc and the CNI plugins come from Debian (the test installs them).
set -euo pipefail

K8S_VERSION="${NODE_K8S_VERSION:-1.37.2}"
CONTAINERD_VERSION="${NODE_CONTAINERD_VERSION:-2.4.2}"
CACHE_ROOT="${DDNS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ddns-operator}"
DEST="$CACHE_ROOT/node/k8s-${K8S_VERSION}-containerd-${CONTAINERD_VERSION}"
KUBE_BINS=(kubelet kube-controller-manager kube-scheduler kube-proxy)
CONTAINERD_BINS=(containerd containerd-shim-runc-v2 ctr)

start=$SECONDS
log() { echo "setup-node: [$((SECONDS - start))s] $*" >&2; }

complete() {
	local b
	for b in "${KUBE_BINS[@]}" "${CONTAINERD_BINS[@]}"; do
		[[ -x "$DEST/$b" ]] || return 1
	done
}

have() {
	local b
	for b in "$@"; do [[ -x "$DEST/$b" ]] || return 1; done
}

mkdir -p "$CACHE_ROOT"
# One builder at a time: parallel make targets and CI must not race.
exec 9>"$CACHE_ROOT/.node.lock"
if ! flock -n 9; then
	log "another build holds $CACHE_ROOT/.node.lock; waiting for it"
	flock 9
fi

if complete; then
	echo "$DEST"
	exit 0
fi
mkdir -p "$DEST"

# ticker prints a line every minute while a long build runs, so a cold run
# is never silent for minutes. It writes to stderr only (stdout is the path
# callers read with $(...), which must close when the script ends) and does
# not hold the build lock (fd 9): its last sleep may outlive the script.
ticker() {
	local what=$1
	while sleep 60; do log "still building $what"; done
}

build_kube() {
	local work
	work="$(mktemp -d)"
	log "building ${KUBE_BINS[*]} v${K8S_VERSION} from the Go module proxy into $DEST (4 to 15 minutes on 2 cores, less when kube-apiserver was built before; once per machine)"
	ticker "${KUBE_BINS[*]}" >&2 9>&- &
	# Each build runs in a subshell: EXIT also covers a failed step. The
	# values are expanded now, since the function's locals are gone by
	# the time the subshell exits.
	trap "kill $! 2>/dev/null; rm -rf '$work'" EXIT
	cd "$work"
	go mod init node-wrapper >/dev/null 2>&1
	# k8s.io/kubernetes replaces each staging module with ./staging; pin
	# each to its published v0 twin so the module graph resolves.
	local gomod staging
	gomod="$(go mod download -json "k8s.io/kubernetes@v${K8S_VERSION}" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
	staging="0.${K8S_VERSION#1.}"
	{
		echo "require k8s.io/kubernetes v${K8S_VERSION}"
		grep -oE '^\s*k8s.io/[a-z0-9-]+ => ./staging' "$gomod" | awk '{print $1}' | sort -u |
			while read -r m; do echo "replace $m => $m v${staging}"; done
	} >>go.mod
	{
		printf '//go:build tools\n\npackage tools\n\nimport (\n'
		for b in "${KUBE_BINS[@]}"; do printf '\t_ "k8s.io/kubernetes/cmd/%s"\n' "$b"; done
		printf ')\n'
	} >tools.go
	go mod tidy >&2
	local ldflags="-s -w -X k8s.io/component-base/version.gitVersion=v${K8S_VERSION} -X k8s.io/client-go/pkg/version.gitVersion=v${K8S_VERSION}"
	local pkgs=() b
	for b in "${KUBE_BINS[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$b"); done
	# One go build for all four shares the compile of their common packages.
	mkdir -p "$work/out"
	CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$work/out/" "${pkgs[@]}"
	for b in "${KUBE_BINS[@]}"; do mv "$work/out/$b" "$DEST/$b"; done
	log "built ${KUBE_BINS[*]}"
}

build_containerd() {
	local work
	work="$(mktemp -d)"
	log "building ${CONTAINERD_BINS[*]} v${CONTAINERD_VERSION} from the Go module proxy into $DEST (about 3 minutes on 2 cores, once per machine)"
	ticker "${CONTAINERD_BINS[*]}" >&2 9>&- &
	trap "kill $! 2>/dev/null; rm -rf '$work'" EXIT
	cd "$work"
	go mod init containerd-wrapper >/dev/null 2>&1
	local mod=github.com/containerd/containerd/v2
	{
		printf '//go:build tools\n\npackage tools\n\nimport (\n'
		for b in "${CONTAINERD_BINS[@]}"; do printf '\t_ "%s/cmd/%s"\n' "$mod" "$b"; done
		printf ')\n'
	} >tools.go
	go get "$mod@v${CONTAINERD_VERSION}" >&2
	go mod tidy >&2
	local pkgs=() b
	for b in "${CONTAINERD_BINS[@]}"; do pkgs+=("$mod/cmd/$b"); done
	mkdir -p "$work/out"
	# The tags drop what needs cgo (btrfs, devmapper); the shim is built
	# without gRPC as containerd's own Makefile builds it.
	CGO_ENABLED=0 go build -trimpath -tags "urfave_cli_no_docs no_btrfs no_devmapper osusergo netgo static_build" \
		-ldflags "-s -w -X $mod/version.Version=v${CONTAINERD_VERSION}" -o "$work/out/" "${pkgs[@]}"
	for b in "${CONTAINERD_BINS[@]}"; do mv "$work/out/$b" "$DEST/$b"; done
	log "built ${CONTAINERD_BINS[*]}"
}

have "${CONTAINERD_BINS[@]}" || (build_containerd)
have "${KUBE_BINS[@]}" || (build_kube)
complete || { log "binaries missing in $DEST after build"; exit 1; }
log "ready in $DEST"
echo "$DEST"
