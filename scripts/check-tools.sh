#!/usr/bin/env bash
# check-tools.sh fails early, with what to do, when Go or Node.js is missing
# or too old: Debian 12's own packages are older than Outpost needs, so they
# are not installed from apt but expected on the machine.
set -euo pipefail

need_go=1.26
need_node=20

version_at_least() { # have need: true when have >= need (dotted numbers)
	[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -1)" = "$2" ]
}

if ! command -v go >/dev/null; then
	echo "Go is not installed (or not on PATH). Install Go $need_go or newer from https://go.dev/dl/ into /usr/local/go and add /usr/local/go/bin to PATH." >&2
	exit 1
fi
have_go=$(go env GOVERSION | sed 's/^go//')
if ! version_at_least "$have_go" "$need_go"; then
	echo "Go $have_go is too old: Outpost needs Go $need_go or newer (https://go.dev/dl/)." >&2
	exit 1
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
	echo "Node.js is not installed (or not on PATH). Install Node.js $need_node or newer with npm (https://nodejs.org/)." >&2
	exit 1
fi
have_node=$(node --version | sed 's/^v//')
if ! version_at_least "$have_node" "$need_node"; then
	echo "Node.js $have_node is too old: Outpost needs Node.js $need_node or newer." >&2
	exit 1
fi
echo "Tools: go $have_go, node $have_node, npm $(npm --version)."
