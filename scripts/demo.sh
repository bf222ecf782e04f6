#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh (make demo): install what is missing, build everything for the
# newest 6.1 cloud kernel, boot it in QEMU and run scripts/demo-in-vm.sh.
# Shows the demo's output without the kernel's and the harness' own lines
# (all of it is in build/<rel>/console-demo.log); exits with the demo's
# status, or non-zero if the VM failed (timeout, kernel splat).
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

scripts=$LOWFAT_ROOT/scripts
series=${DEMO_KERNEL:-6.1}

"$scripts/deps.sh"
rel=$(kernel_rel "$series") || die "no $series cloud kernel with headers installed"
make -C "$LOWFAT_ROOT" --no-print-directory userspace templates >&2
boot_prepare "$rel" >&2 || die "$rel: $BOOT_WHY"

# Kernel log lines ("[    1.234567] ..."), our init's chatter, the result
# lines, and SeaBIOS's screen control codes are not the demo.
filter() {
	sed -u -E \
		-e 's/\r//g' \
		-e 's/\x1b(\[[0-9;?]*[A-Za-z]|c)//g' \
		-e '/^\[ *[0-9]+\.[0-9]+\] /d' \
		-e '/^(lowfat-init|LOWFAT-[A-Z]+): /d' \
		-e '/^(SeaBIOS|Booting from ROM)/d' \
		-e '/^$/d'
}

set +e
"$scripts/vm-run.sh" "$rel" demo | filter
vm_rc=${PIPESTATUS[0]}
set -e

log=$LOWFAT_BUILD/$rel/console-demo.log
demo_rc=$(tr -d '\r' < "$log" | sed -nE 's/^LOWFAT-EXIT: ([0-9]+)$/\1/p' | tail -n1)
if [ -z "$demo_rc" ]; then
	log "the demo did not finish; see $log"
	exit 1
fi
if [ "$demo_rc" -eq 0 ] && [ "$vm_rc" -ne 0 ]; then
	log "the demo passed but the VM did not (kernel splat?); see $log"
	exit 1
fi
exit "$demo_rc"
