#!/usr/bin/env bash
# stage.sh NAME COMMAND [ARG...] runs one stage of a make target, prints how
# long it took, and on failure says which stage failed before exiting with
# its status, so a long `make test` log ends with the reason it stopped.
# Timings are appended to $STAGE_TIMINGS (if set) for the closing summary.
set -uo pipefail

name=$1
shift
start=$(date +%s)
printf '\n==> %s\n' "$name"
"$@"
status=$?
secs=$(($(date +%s) - start))
if [ -n "${STAGE_TIMINGS:-}" ]; then
	printf '%-28s %4ds  %s\n' "$name" "$secs" "$([ $status = 0 ] && echo ok || echo FAILED)" >>"$STAGE_TIMINGS"
fi
if [ $status -ne 0 ]; then
	printf '\n*** FAILED: %s (exit %d after %ds). Fix the error above, then re-run.\n' "$name" "$status" "$secs" >&2
	exit $status
fi
printf '<== %s ok (%ds)\n' "$name" "$secs"
