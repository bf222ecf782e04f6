#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kselftest-src.sh: take the few kernel files lowfat borrows out of
# /usr/src/linux-source-6.1.tar.xz (package linux-source-6.1):
#
#   build/kselftest/  kselftest_harness.h kselftest.h    (tests/ include them)
#   build/checkpatch/ checkpatch.pl spelling.txt const_structs.checkpatch
#
# Only these members are extracted, and only once.  They are never committed.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

TARBALL=${LINUX_SOURCE_TARBALL:-/usr/src/linux-source-6.1.tar.xz}
KSFT_DIR=$LOWFAT_BUILD/kselftest
CP_DIR=$LOWFAT_BUILD/checkpatch

KSFT_FILES=(kselftest_harness.h kselftest.h)
CP_FILES=(checkpatch.pl spelling.txt const_structs.checkpatch)

have_all() {
	local f

	for f in "${KSFT_FILES[@]}"; do [ -s "$KSFT_DIR/$f" ] || return 1; done
	for f in "${CP_FILES[@]}"; do [ -s "$CP_DIR/$f" ] || return 1; done
}

have_all && exit 0

[ -r "$TARBALL" ] || die "$TARBALL missing; run scripts/deps.sh (package linux-source-6.1)"

# The tarball's top directory ("linux-source-6.1/"), read from its first entry.
top=$( (tar -tJf "$TARBALL" || true) | head -n1)
top=${top%%/*}
[ -n "$top" ] || die "cannot list $TARBALL"

members=()
for f in "${KSFT_FILES[@]}"; do members+=("$top/tools/testing/selftests/$f"); done
for f in "${CP_FILES[@]}"; do members+=("$top/scripts/$f"); done

mkdir -p "$LOWFAT_BUILD"
tmp=$(mktemp -d "$LOWFAT_BUILD/.kselftest-src.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

log "extracting ${#members[@]} files from $TARBALL"
tar -xJf "$TARBALL" -C "$tmp" "${members[@]}"

mkdir -p "$KSFT_DIR" "$CP_DIR"
for f in "${KSFT_FILES[@]}"; do
	install -m 0644 "$tmp/$top/tools/testing/selftests/$f" "$KSFT_DIR/$f"
done
for f in "${CP_FILES[@]}"; do
	mode=0644
	[ "$f" = checkpatch.pl ] && mode=0755
	install -m "$mode" "$tmp/$top/scripts/$f" "$CP_DIR/$f"
done
have_all || die "extraction incomplete"
