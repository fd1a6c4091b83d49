#!/usr/bin/env bash
# Fails when the Helm chart's CRDs differ from the generated ones in
# config/crd/bases (`make manifests` copies them), or when the chart's copy
# was changed by `make manifests` and not committed.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
for f in config/crd/bases/*.yaml; do
	c="charts/ddns-operator/crds/$(basename "$f")"
	if ! cmp -s "$f" "$c"; then
		echo "verify-chart: $c differs from $f; run 'make manifests' and commit" >&2
		status=1
	fi
done
for c in charts/ddns-operator/crds/*.yaml; do
	if [ ! -e "config/crd/bases/$(basename "$c")" ]; then
		echo "verify-chart: $c has no generated counterpart in config/crd/bases" >&2
		status=1
	fi
done
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	dirty=$(git status --porcelain -- charts/ddns-operator/crds)
	if [ -n "$dirty" ]; then
		echo "verify-chart: the chart's CRDs are out of date or uncommitted; run 'make manifests' and commit:" >&2
		echo "$dirty" >&2
		status=1
	fi
fi
exit $status
