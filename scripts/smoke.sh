#!/usr/bin/env bash
# smoke.sh builds the real production binary, starts it on a fresh data
# directory under a virtual X display, screenshots the screen and checks the
# window actually drew something (not blank, not one colour) and that the
# process was still running when it did. The screenshot is kept as
# build/smoke/shot.png; `scripts/smoke.sh --keep` also copies it to
# docs/screenshot.png for the README.
#
# Inside the X session this same script runs again with SMOKE_INSIDE=1.
set -euo pipefail

cd "$(dirname "$0")/.."
out=build/smoke
bin=build/bin/outpost
wait_secs=${SMOKE_WAIT_SECS:-30}
min_colours=${SMOKE_MIN_COLOURS:-20}
# The most common colour may cover at most this share of the screen (%).
max_dominant=${SMOKE_MAX_DOMINANT_PERCENT:-97}

# shot_ok FILE: true when FILE has enough colours and no colour dominates.
shot_ok() {
	local colours total top
	colours=$(convert "$1" -format %k info:)
	total=$(identify -format '%w*%h' "$1")
	total=$((total))
	top=$(convert "$1" -format %c histogram:info:- | awk '{n=$1+0; if (n>m) m=n} END {print m+0}')
	echo "colours=$colours dominant=$((100 * top / total))%"
	[ "$colours" -gt "$min_colours" ] && [ $((100 * top)) -le $((max_dominant * total)) ]
}

# inside runs in the Xvfb session: start, poll for a drawn window, shoot.
inside() {
	local pid i
	data=$(mktemp -d)
	trap 'rm -rf "$data"' EXIT
	OUTPOST_DATA_DIR=$data "$bin" >"$out/app.log" 2>&1 &
	pid=$!
	for ((i = 1; i <= wait_secs; i++)); do
		sleep 1
		if ! kill -0 "$pid" 2>/dev/null; then
			wait "$pid" && status=0 || status=$?
			echo "Outpost exited (status $status) before drawing its window. Its output:" >&2
			cat "$out/app.log" >&2
			return 1
		fi
		import -window root "$out/poll.png"
		if shot_ok "$out/poll.png" >/dev/null; then
			sleep 2 # let fonts and the first layout settle
			import -window root "$out/shot.png"
			break
		fi
	done
	if ! kill -0 "$pid" 2>/dev/null; then
		echo "Outpost crashed while its window was being captured. Its output:" >&2
		cat "$out/app.log" >&2
		return 1
	fi
	[ -f "$out/shot.png" ] || cp "$out/poll.png" "$out/shot.png"
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	rm -f "$out/poll.png"
	ls "$data/chart.db" >/dev/null || {
		echo "Outpost ran but created no chart store in its data directory." >&2
		return 1
	}
}

# outside builds, runs inside() under Xvfb, and judges the screenshot.
outside() {
	mkdir -p "$out" build/bin
	rm -f "$out/shot.png"
	echo "Building $bin (production)…"
	go build -tags desktop,production,webkit2_41 -o "$bin" .

	# No WebKit rendering overrides: the window is tested as users get it
	# (main.go already turns GPU acceleration off, which Xvfb needs).
	echo "Starting Outpost under Xvfb (up to ${wait_secs}s for the window)…"
	SMOKE_INSIDE=1 xvfb-run -a -s "-screen 0 1280x800x24" bash "$0"

	echo "Screenshot: $out/shot.png"
	if ! shot_ok "$out/shot.png"; then
		echo "The window looks blank: fewer than $min_colours colours, or one colour covers more than ${max_dominant}% of it. See $out/shot.png and $out/app.log." >&2
		exit 1
	fi
	if [ "${1:-}" = --keep ]; then
		cp "$out/shot.png" docs/screenshot.png
		echo "Copied to docs/screenshot.png"
	fi
	echo "Smoke test passed: Outpost started, drew its window and kept running."
}

# One top-level command: should bash abort it on an expansion error, the
# script ends instead of falling through into the next stage.
if [ "${SMOKE_INSIDE:-}" = 1 ]; then inside; else outside "$@"; fi
