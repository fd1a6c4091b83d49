#!/usr/bin/env bash
# Builds the test server of provider webhook (providers/webhook/upstream:
# external-dns v0.23.0's webhook HTTP server and in-memory provider behind a
# fault wrapper) and prints the path of the binary. external-dns v0.23.0
# declares go 1.27.0, so the server is a module of its own, built with the
# go1.27.4 toolchain, which the go command fetches from the Go module proxy
# (golang.org/toolchain). The binary is cached outside the clone, keyed by
# the server's sources; the first build takes a few minutes on 2 cores.
# Progress goes to stderr; stdout is the path.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="$ROOT/providers/webhook/upstream"
TOOLCHAIN="${WEBHOOK_UPSTREAM_TOOLCHAIN:-go1.27.4}"
CACHE_ROOT="${DDNS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ddns-operator}"
KEY="$( (echo "$TOOLCHAIN"; cat "$SRC/go.mod" "$SRC/go.sum" "$SRC"/*.go) | sha256sum | cut -c1-16)"
DEST="$CACHE_ROOT/webhook-upstream/$KEY/server"

log() { echo "setup-webhook-upstream: $*" >&2; }

mkdir -p "$CACHE_ROOT"
exec 9>"$CACHE_ROOT/.webhook-upstream.lock"
flock 9

if [[ -x "$DEST" ]]; then
	echo "$DEST"
	exit 0
fi
mkdir -p "$(dirname "$DEST")"
log "building external-dns v0.23.0's webhook server with $TOOLCHAIN (a few minutes on 2 cores, once)"
(cd "$SRC" && GOTOOLCHAIN="$TOOLCHAIN" GOFLAGS=-buildvcs=false go build -trimpath -o "$DEST.tmp" .)
mv "$DEST.tmp" "$DEST"
echo "$DEST"
