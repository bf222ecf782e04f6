# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers shared by the lowfat scripts.  Source it, do not run it:
#   . "$(dirname "$0")/lib.sh"
# It sets LOWFAT_ROOT (the repository) and LOWFAT_BUILD (where everything
# is built: build/ in the repository unless LOWFAT_BUILD is set, e.g. to keep
# one's own runs apart when several people share a checkout).

LOWFAT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOWFAT_BUILD=${LOWFAT_BUILD:-$LOWFAT_ROOT/build}
export LOWFAT_BUILD

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

# lock_build REL: hold build/REL for this process and its children, so that
# two runs for the same kernel (two people, or "make check" while someone
# boots a VM) never rebuild each other's initramfs or log.  check.sh takes it
# once for build, initramfs and boot; the scripts it runs see LOWFAT_LOCKED
# and do not lock again.  Released when the last holder of fd 9 exits.
lock_build() {
	local rel=$1

	[ "${LOWFAT_LOCKED:-}" = "$rel" ] && return 0
	mkdir -p "$LOWFAT_BUILD/$rel"
	exec 9> "$LOWFAT_BUILD/$rel/.lock"
	if ! flock -n 9; then
		log "waiting: another run is using $LOWFAT_BUILD/$rel"
		flock 9
	fi
	LOWFAT_LOCKED=$rel
	export LOWFAT_LOCKED
}
