#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-module.sh REL [MAKE-ARGS...]: build vzbc.ko for kernel release REL in
# its own tree, build/REL/src (a copy of Kbuild, kmod/ and include/), so that
# modules for several kernels and the in-tree "make" never share objects.
# Output: build/REL/src/vzbc.ko; kbuild's output is also kept in
# build/REL/build.log.  Extra arguments go to kbuild (e.g. W=1).
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -ge 1 ] || die "usage: ${0##*/} REL [MAKE-ARGS...]"
rel=$1
shift
kdir=/lib/modules/$rel/build
[ -d "$kdir" ] || die "no headers for $rel at $kdir; run scripts/deps.sh"

out=$LOWFAT_BUILD/$rel
lock_build "$rel"
src=$out/src
mkdir -p "$src"

# Refresh the sources: drop what is gone from the repository, copy the rest
# without any build products an in-tree "make" left behind.  Objects already
# in $src stay, so rebuilds are incremental.
find "$src" -type f \( -name '*.[chS]' -o -name Kbuild -o -name Makefile \) \
	-delete
(cd "$LOWFAT_ROOT" &&
 tar -cf - --exclude='*.o' --exclude='*.ko' --exclude='*.mod' \
	--exclude='*.mod.c' --exclude='.*.cmd' --exclude='*.order' \
	--exclude='*.symvers' --exclude='.*.d' --exclude='*.o.d' \
	--exclude='*.a' Kbuild kmod include) | tar -C "$src" -xf -

log "building vzbc.ko for $rel"
set +e
make -C "$kdir" M="$src" "$@" modules 2>&1 | tee "$out/build.log"
rc=${PIPESTATUS[0]}
set -e
[ "$rc" -eq 0 ] || die "module build for $rel failed (log: $out/build.log)"
[ -f "$src/vzbc.ko" ] || die "module build for $rel produced no vzbc.ko"
