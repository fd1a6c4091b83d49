#!/usr/bin/env bash
# Provides the control-plane binaries the tests need (kube-apiserver, etcd,
# kubectl) and prints the directory that holds them, for KUBEBUILDER_ASSETS.
#
# The binaries are cached outside the clone, keyed by version, so a fresh clone
# reuses them. The script first tries setup-envtest's download; where the network
# does not allow it (as on our CI machines) it builds them from the Go module
# proxy: kube-apiserver and kubectl from k8s.io/kubernetes through a throw-away
# wrapper module that pins every k8s.io staging module, and etcd through a tiny
# main that calls etcdmain.Main. Progress goes to stderr; stdout is the path.
set -euo pipefail

K8S_VERSION="${ENVTEST_K8S_VERSION:-1.37.2}"
ETCD_VERSION="${ENVTEST_ETCD_VERSION:-3.6.6}"
CACHE_ROOT="${DDNS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ddns-operator}"
DEST="$CACHE_ROOT/envtest/k8s-${K8S_VERSION}-etcd-${ETCD_VERSION}"

log() { echo "setup-envtest: $*" >&2; }

complete() {
	[[ -x "$DEST/kube-apiserver" && -x "$DEST/etcd" && -x "$DEST/kubectl" ]]
}

mkdir -p "$CACHE_ROOT"
# One builder at a time: parallel make targets and CI must not race.
exec 9>"$CACHE_ROOT/.envtest.lock"
flock 9

if complete; then
	echo "$DEST"
	exit 0
fi
mkdir -p "$DEST"

try_download() {
	local tmp
	tmp="$(mktemp -d)"
	log "trying setup-envtest download of ${K8S_VERSION}"
	if timeout 120 go run sigs.k8s.io/controller-runtime/tools/setup-envtest@latest \
		use "${K8S_VERSION}" --bin-dir "$tmp" -p path >"$tmp/path" 2>"$tmp/err"; then
		local dir
		dir="$(cat "$tmp/path")"
		if [[ -x "$dir/kube-apiserver" && -x "$dir/etcd" ]]; then
			cp "$dir/kube-apiserver" "$dir/etcd" "$DEST/"
			[[ -x "$dir/kubectl" ]] && cp "$dir/kubectl" "$DEST/"
			rm -rf "$tmp"
			return 0
		fi
	fi
	log "download not possible here ($(tail -n1 "$tmp/err" 2>/dev/null || true)); building from source"
	rm -rf "$tmp"
	return 1
}

build_kube() {
	local work
	work="$(mktemp -d)"
	trap 'rm -rf "$work"' RETURN
	log "building kube-apiserver and kubectl v${K8S_VERSION} from the Go module proxy (about 10 minutes on 2 cores, once)"
	cd "$work"
	go mod init envtest-wrapper >/dev/null 2>&1
	# Every staging module k8s.io/kubernetes replaces with ./staging must be
	# pinned to its published v0 twin, or the module graph does not resolve.
	local gomod
	gomod="$(go mod download -json "k8s.io/kubernetes@v${K8S_VERSION}" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
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
	go mod tidy >&2
	local ldflags="-s -w -X k8s.io/component-base/version.gitVersion=v${K8S_VERSION} -X k8s.io/client-go/pkg/version.gitVersion=v${K8S_VERSION}"
	CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$DEST/kube-apiserver.tmp" k8s.io/kubernetes/cmd/kube-apiserver
	mv "$DEST/kube-apiserver.tmp" "$DEST/kube-apiserver"
	CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$DEST/kubectl.tmp" k8s.io/kubernetes/cmd/kubectl
	mv "$DEST/kubectl.tmp" "$DEST/kubectl"
}

build_etcd() {
	local work
	work="$(mktemp -d)"
	trap 'rm -rf "$work"' RETURN
	log "building etcd v${ETCD_VERSION} from the Go module proxy (about 2 minutes)"
	cd "$work"
	go mod init etcd-wrapper >/dev/null 2>&1
	cat >main.go <<'GO'
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
	go get "go.etcd.io/etcd/server/v3@v${ETCD_VERSION}" >&2
	go mod tidy >&2
	CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$DEST/etcd.tmp" .
	mv "$DEST/etcd.tmp" "$DEST/etcd"
}

if [[ "${ENVTEST_NO_DOWNLOAD:-}" == "" ]] && try_download && complete; then
	echo "$DEST"
	exit 0
fi
[[ -x "$DEST/etcd" ]] || (build_etcd)
[[ -x "$DEST/kube-apiserver" && -x "$DEST/kubectl" ]] || (build_kube)
complete || { log "binaries missing in $DEST after build"; exit 1; }
log "ready in $DEST"
echo "$DEST"
