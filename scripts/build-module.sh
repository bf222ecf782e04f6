#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-module.sh REL [MAKE-ARGS...]: build vzbc.ko for kernel release REL in
# its own tree, build/REL/src, so that modules for several kernels never
# share objects and no build product lands in the repository.  The tree is
# a copy of kmod/ (Kbuild, dkms.conf, the sources) with include/ beside the
# sources, the layout kmod/Kbuild expects.  Output: build/REL/src/vzbc.ko;
# kbuild's output is also kept in build/REL/build.log.  Extra arguments go
# to kbuild (e.g. W=1, C=2).  KDIR overrides /lib/modules/REL/build.
#
# build-module.sh --stage DIR: only make that source tree in DIR (for DKMS:
# DIR=/usr/src/vzbc-<version>).
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# stage DIR: refresh the module's source tree in DIR.  What is gone from the
# repository goes; objects already there stay, so rebuilds are incremental.
stage() {
	local dir=$1 ex=(--exclude='*.o' --exclude='*.ko' --exclude='*.mod'
		--exclude='*.mod.c' --exclude='.*.cmd' --exclude='*.order'
		--exclude='*.symvers' --exclude='.*.d' --exclude='*.o.d'
		--exclude='*.a')

	mkdir -p "$dir"
	find "$dir" -type f \( -name '*.[chS]' -o -name Kbuild -o \
		-name Makefile -o -name dkms.conf \) -delete
	(cd "$LOWFAT_ROOT/kmod" && tar -cf - "${ex[@]}" .) | tar -C "$dir" -xf -
	(cd "$LOWFAT_ROOT" && tar -cf - include) | tar -C "$dir" -xf -
}

[ $# -ge 1 ] || die "usage: ${0##*/} REL [MAKE-ARGS...] | --stage DIR"
if [ "$1" = --stage ]; then
	[ $# -eq 2 ] || die "usage: ${0##*/} --stage DIR"
	stage "$2"
	exit 0
fi
rel=$1
shift
kdir=${KDIR:-/lib/modules/$rel/build}
[ -d "$kdir" ] || die "no headers for $rel at $kdir; run scripts/deps.sh"

out=$LOWFAT_BUILD/$rel
lock_build "$rel"
src=$out/src
stage "$src"

log "building vzbc.ko for $rel"
set +e
make -C "$kdir" M="$src" "$@" modules 2>&1 | tee "$out/build.log"
rc=${PIPESTATUS[0]}
set -e
[ "$rc" -eq 0 ] || die "module build for $rel failed (log: $out/build.log)"
[ -f "$src/vzbc.ko" ] || die "module build for $rel produced no vzbc.ko"
