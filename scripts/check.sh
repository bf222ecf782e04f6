#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh (make check): the whole test suite, from a fresh Debian 12 on.
# Installs what is missing, builds ctlvz and the tests once, runs the host
# unit tests and the DKMS build of every kernel, then for each
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

read -r -a kernels <<< "${KERNELS:-6.1 6.12}"
[ ${#kernels[@]} -gt 0 ] || die "KERNELS is empty"

run_begin check check-result
run_build
run_host "${kernels[@]}"
for series in "${kernels[@]}"; do
	echo "==== $series"
	run_kernel "$series" console-tests.log
done
run_end
