# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers shared by the lowfat scripts.  Source it, do not run it:
#   . "$(dirname "$0")/lib.sh"
# It sets LOWFAT_ROOT (the repository) and LOWFAT_BUILD (its build/ dir).

LOWFAT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck disable=SC2034 # used by the scripts that source this file
LOWFAT_BUILD=$LOWFAT_ROOT/build

log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# kernel_rel SERIES: print the newest installed Debian cloud kernel release
# of SERIES ("6.1", "6.12") that has headers (/lib/modules/<rel>/build).
# Nothing is hard-coded: the release changes with every Debian update.
kernel_rel() {
	local series=$1 d rel best=

	for d in /lib/modules/"$series".*-cloud-amd64; do
		[ -d "$d/build" ] || continue
		rel=${d##*/}
		if [ -z "$best" ] ||
		   [ "$(printf '%s\n%s\n' "$best" "$rel" | sort -V | tail -n1)" = "$rel" ]; then
			best=$rel
		fi
	done
	[ -n "$best" ] || return 1
	printf '%s\n' "$best"
}

# series_of REL: "6.12.117+deb12-cloud-amd64" -> "6.12".
series_of() {
	local rel=$1

	printf '%s\n' "$rel" | sed -E 's/^([0-9]+\.[0-9]+).*/\1/'
}
