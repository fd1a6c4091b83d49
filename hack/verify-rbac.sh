#!/usr/bin/env bash
# Fails when the generated RBAC grants a wildcard: the operator must ask for
# exactly the resources and verbs it uses.
set -euo pipefail
role="${1:-config/rbac/role.yaml}"
if grep -nE "^\s*-\s*'?\*'?\s*$|\[\s*'?\*'?\s*\]" "$role"; then
	echo "verify-rbac: $role grants a wildcard; list the resources and verbs instead" >&2
	exit 1
fi
