#!/usr/bin/env bash
# Runs one long step of `make run` / `make test` and keeps the person
# watching informed: a line saying what starts and why it may take a while,
# a line every STEP_TICK seconds (default 30) while it runs, and the time it
# took. A cold first build is silent for minutes otherwise.
#
#   hack/step.sh WHAT DETAIL -- COMMAND [ARGS...]
#
# or, sourced by another bash script, `step WHAT DETAIL -- COMMAND...`,
# where COMMAND may be a shell function: give it a subshell body with its
# own `set -e`, and do not test the status of such a step (`if step`,
# `step || ...`): bash then ignores errexit in everything the step runs.
# Everything goes to stderr, the command's stdout included,
# so a script whose stdout is its answer (hack/setup-envtest.sh prints a
# path) can use it. The status is the command's. STEP_PREFIX starts every
# line.

# step_took prints the time since $1 (epoch seconds) as 42s or 3m07s.
step_took() {
	local s=$(($(date +%s) - $1))
	if ((s >= 60)); then printf '%dm%02ds' $((s / 60)) $((s % 60)); else printf '%ds' "$s"; fi
}

step() {
	if [[ $# -lt 4 || $3 != -- ]]; then
		echo "usage: step WHAT DETAIL -- COMMAND [ARGS...]" >&2
		return 2
	fi
	local what=$1 detail=$2 prefix=${STEP_PREFIX:-} start rc ticker errexit=
	shift 3
	start=$(date +%s)
	echo "${prefix}${what}${detail:+ ($detail)}" >&2
	# The ticker stops when the step ends, and by itself when this shell
	# is gone (a background job ignores Ctrl-C). Its sleep must die with
	# it: a sleep left running holds the output open, and whoever reads
	# this script's output to the end (make's $(shell), Output() in Go)
	# waits for it.
	(
		trap 'kill "$sleeper" 2>/dev/null; exit 0' TERM
		while :; do
			sleep "${STEP_TICK:-30}" &
			sleeper=$!
			wait "$sleeper"
			kill -0 $$ 2>/dev/null || exit 0
			echo "${prefix}  ... ${what}: $(step_took "$start") so far"
		done
	) >&2 &
	ticker=$!
	[[ $- == *e* ]] && errexit=1
	set +e
	"$@" >&2
	rc=$?
	kill "$ticker" 2>/dev/null
	wait "$ticker" 2>/dev/null # killed: not this step's status
	if ((rc == 0)); then
		echo "${prefix}${what}: done in $(step_took "$start")" >&2
	else
		echo "${prefix}${what}: failed after $(step_took "$start") (exit status $rc)" >&2
	fi
	[[ -z $errexit ]] || set -e
	return "$rc"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	set -uo pipefail
	step "$@"
	exit
fi
