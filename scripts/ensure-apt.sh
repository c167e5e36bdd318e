#!/usr/bin/env bash
# ensure-apt.sh PACKAGE... installs the Debian packages that are missing, and
# does nothing (no apt-get update, no network) when all are installed, so
# repeated `make run` / `make test` start fast. Works as root or via sudo.
set -euo pipefail

missing=()
for pkg in "$@"; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	[ "$status" = "install ok installed" ] || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
	echo "System packages: all ${#} present."
	exit 0
fi

sudo=""
if [ "$(id -u)" != 0 ]; then
	command -v sudo >/dev/null || {
		echo "Need root to install ${missing[*]}: run as root or install sudo." >&2
		exit 1
	}
	sudo="sudo"
fi
echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
