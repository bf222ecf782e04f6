#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# stress.sh (make stress): the robustness suite for minutes instead of the
# seconds "make check" gives it.  For each kernel series in KERNELS (default
# "6.1 6.12"), one after the other: builds vzbc.ko, packs the initramfs and
# boots it with the stress tests only, their durations passed through
# lowfat.env (scripts/vm-init.sh).  Each boot has panic_on_warn=1, slub_debug
# and (6.12) KFENCE, and any splat on the console fails it (vm-run.sh).
#
#   vzbc_fuzz_test     ioctl fuzzer, netlink fuzzer: STRESS_SECONDS each
#   vzbc_module_test   unload/reload with readers: STRESS_SECONDS
#   vzbc_churn_test    module-level churn: STRESS_SECONDS
#   ctlvz_churn_test   container churn (ctlvz) and hostile containers:
#                      STRESS_SECONDS each
#
# Environment:
#   STRESS_SECONDS=S   duration of each timed test (default 120)
#   STRESS_TESTS=a,b   test binaries to run (default the four above)
#   VZBC_FUZZ_SEED=N   replay a fuzzer run (the seed is in the log)
#   KERNELS="6.1 6.12"
#
# The last line of output is always "N passed, M failed", summed over the
# kernels; a failed build, or a VM that timed out, printed no result or
# showed a kernel splat, adds 1 to M.  Exit status: 0 only if M is 0.  Each
# kernel's console log is kept as build/REL/console-stress.log.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

read -r -a kernels <<< "${KERNELS:-6.1 6.12}"
[ ${#kernels[@]} -gt 0 ] || die "KERNELS is empty"
seconds=${STRESS_SECONDS:-120}
[[ $seconds =~ ^[1-9][0-9]*$ ]] || die "STRESS_SECONDS must be a positive number of seconds"
tests=${STRESS_TESTS:-vzbc_fuzz_test,vzbc_module_test,vzbc_churn_test,ctlvz_churn_test}

env="VZBC_FUZZ_SECONDS=$seconds,VZBC_CHURN_SECONDS=$seconds"
if [ -n "${VZBC_FUZZ_SEED:-}" ]; then
	env+=",VZBC_FUZZ_SEED=$VZBC_FUZZ_SEED"
fi
# A binary runs up to two timed tests; allow for setup, the checks
# afterwards, containers' lives and a slow (TCG) VM on a busy host.
test_timeout=$((3 * seconds + 900))
vm_timeout=$((6 * seconds + 2400))

run_begin "stress ($tests, ${seconds}s each)" stress-result
run_build
for t in ${tests//,/ }; do
	[ -x "$LOWFAT_BUILD/tests/$t" ] || run_fail "$t: not built"
done

for series in "${kernels[@]}"; do
	echo "==== $series: $tests, ${seconds}s each"
	LOWFAT_TESTS=$tests LOWFAT_TEST_TIMEOUT=$test_timeout \
	LOWFAT_VM_TIMEOUT=$vm_timeout \
	LOWFAT_APPEND="${LOWFAT_APPEND:+$LOWFAT_APPEND }lowfat.env=$env" \
		run_kernel "$series" console-stress.log
	# The figures the tests print ("# ioctl fuzz (root): N calls ...").
	while IFS= read -r l; do
		RUN_SUMMARY+=("  $l")
	done < <(tr -d '\r' < "$LOWFAT_BUILD/$BOOT_REL/console-stress.log" 2>/dev/null |
		 grep -aE '^# (ioctl fuzz|netlink fuzz|churn|container churn|hostile|  readers|  failcnt|  [0-9]+ tasks|[0-9]+ unload)' || true)
done
run_end
