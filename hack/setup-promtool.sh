#!/usr/bin/env bash
# Provides promtool, Prometheus's rule checker and rule unit tester, for the
# chart's alert tests (test/chart/alerts_test.go) and prints its path.
#
# In order: a promtool already installed (Debian's prometheus package has
# one; the rule tests need nothing newer than 2.x), then Debian's package
# installed with apt when running as root (seconds), and only then a build
# from the Go module proxy (github.com/prometheus/prometheus/cmd/promtool;
# about 15 minutes cold on 2 cores), cached outside the clone keyed by
# version, as hack/setup-envtest.sh does for the control plane. Set
# PROMTOOL_FROM_SOURCE=1 to skip the first two. Progress goes to stderr;
# stdout is the path.
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
if [[ -z "${PROMTOOL_FROM_SOURCE:-}" ]]; then
	if p="$(command -v promtool)"; then
		echo "$p"
		exit 0
	fi
	if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
		echo "setup-promtool: installing Debian's prometheus package for its promtool (apt-get, once)" >&2
		if DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends prometheus >&2 ||
			{ apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends prometheus >&2; }; then
			if p="$(command -v promtool)"; then
				echo "$p"
				exit 0
			fi
		fi
		echo "setup-promtool: apt could not provide promtool; building it instead" >&2
	fi
fi
mkdir -p "$DEST"
echo "setup-promtool: building promtool $VERSION from the Go module proxy (once; cached in $DEST)" >&2
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# Outside this module, so its go.mod plays no part.
(cd "$tmp" && GOBIN="$tmp" GOFLAGS= go install "github.com/prometheus/prometheus/cmd/promtool@${VERSION}" >&2)
mv "$tmp/promtool" "$DEST/promtool"
echo "$DEST/promtool"
