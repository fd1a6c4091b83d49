#!/usr/bin/env bash
# Provides promtool, Prometheus's rule checker and rule unit tester, for the
# chart's alert tests (test/chart/alerts_test.go) and prints its path.
#
# Nothing can be downloaded here but Go modules, so promtool is built from
# the Go module proxy (github.com/prometheus/prometheus/cmd/promtool), once
# (a few minutes on 2 cores), and cached outside the clone keyed by version,
# as hack/setup-envtest.sh does for the control plane. Progress goes to
# stderr; stdout is the path.
set -euo pipefail

VERSION="${PROMTOOL_VERSION:-v0.316.0}"
CACHE_ROOT="${DDNS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ddns-operator}"
DEST="$CACHE_ROOT/promtool/$VERSION"

mkdir -p "$CACHE_ROOT"
# One builder at a time: parallel test packages and CI must not race.
exec 9>"$CACHE_ROOT/.promtool.lock"
flock 9

if [[ -x "$DEST/promtool" ]]; then
	echo "$DEST/promtool"
	exit 0
fi
mkdir -p "$DEST"
echo "setup-promtool: building promtool $VERSION from the Go module proxy (once; cached in $DEST)" >&2
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# Outside this module, so its go.mod plays no part.
(cd "$tmp" && GOBIN="$tmp" GOFLAGS= go install "github.com/prometheus/prometheus/cmd/promtool@${VERSION}" >&2)
mv "$tmp/promtool" "$DEST/promtool"
echo "$DEST/promtool"
