#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh (make check): the whole test suite, from a fresh Debian 12 on.
# Installs what is missing, builds ctlvz and the tests once, then for each
# kernel series in KERNELS (default "6.1 6.12"), one after the other: builds
# vzbc.ko, packs the initramfs and runs every test binary in QEMU.
#
# The last line of output is always "N passed, M failed", summed over the
# kernels.  A build failure, a module build warning, and a VM that timed
# out, printed no result or showed a kernel splat each add 1 to M.
# Exit status: 0 only if M is 0.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

scripts=$LOWFAT_ROOT/scripts
read -r -a kernels <<< "${KERNELS:-6.1 6.12}"
[ ${#kernels[@]} -gt 0 ] || die "KERNELS is empty"

passed=0
failed=0
summary=()
done=

# Prints the summary; also on an unexpected exit (a failed step under set -e),
# which then counts as one more failure.
finish() {
	local rc=$?

	trap - EXIT
	if [ -z "$done" ]; then
		failed=$((failed + 1))
		summary+=("check.sh stopped early (exit $rc; see above)")
	fi
	echo
	echo "==== lowfat check summary"
	for s in "${summary[@]}"; do
		echo "  $s"
	done
	# Kept for .ci/run, which repeats it after make's own epilogue.
	mkdir -p "$LOWFAT_BUILD"
	echo "$passed passed, $failed failed" | tee "$LOWFAT_BUILD/check-result"
	[ "$failed" -eq 0 ] && exit 0
	exit 1
}
trap finish EXIT
rm -f "$LOWFAT_BUILD/check-result"

"$scripts/deps.sh"
"$scripts/kselftest-src.sh"

# ctlvz, the tests and the templates do not depend on the kernel: once.
if ! make -C "$LOWFAT_ROOT" --no-print-directory userspace tests templates; then
	failed=$((failed + 1))
	summary+=("userspace/tests/templates build FAILED (see above)")
fi

for series in "${kernels[@]}"; do
	echo "==== $series"
	boot_tests "$series"
	passed=$((passed + BOOT_PASSED))
	failed=$((failed + BOOT_FAILED))
	summary+=("$series ($BOOT_REL): passed=$BOOT_PASSED failed=$BOOT_FAILED$BOOT_NOTE; log build/$BOOT_REL/console-tests.log")
done

done=1
