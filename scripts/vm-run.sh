#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm-run.sh REL [MODE]: boot kernel REL in QEMU (TCG) with the initramfs from
# scripts/mkinitramfs.sh and let scripts/vm-init.sh run MODE (tests, demo,
# shell, cmd:BASE64; default tests).
#
# The console goes to stdout and to build/REL/console-MODE.log.  The verdict
# is written to build/REL/result-MODE ("passed=N failed=M problems=K") and
# the exit status is non-zero when any of these happened:
#   - the VM did not finish within LOWFAT_VM_TIMEOUT seconds (default 1200)
#   - no "LOWFAT-RESULT: passed=N failed=M" line (init died, kernel panicked)
#   - failed > 0
#   - a kernel splat on the console (WARNING, BUG, Oops, panic, KFENCE,
#     UBSAN, slub report, hung task, soft lockup, RCU stall, ...)
#   - the kernel ended tainted by a warning, oops, bad page or lockup
#
# Environment:
#   LOWFAT_VM_TIMEOUT=S     whole-VM timeout (default 1200)
#   LOWFAT_TEST_TIMEOUT=S   per test binary timeout inside the VM (default 300)
#   LOWFAT_TESTS=a_test,b_test  run only these test binaries
#   LOWFAT_APPEND="..."     extra kernel command line
#   LOWFAT_ACCEL=...        QEMU accelerator (default tcg,thread=single;
#                           kvm where available).  Single-threaded TCG: with
#                           one host thread per vCPU (MTTCG), a 6.1 guest
#                           was seen looping forever on a jump label that
#                           another vCPU had just patched (a tracepoint
#                           toggled by a module reload): both vCPUs stuck at
#                           a "jmp rel8" for minutes, which real hardware
#                           cannot do.
#   LOWFAT_VM_MEM=2G        guest memory (QEMU -m syntax)
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || [ $# -eq 2 ] || die "usage: ${0##*/} REL [tests|demo|shell|cmd:BASE64]"
rel=$1
mode=${2:-tests}
tag=${mode%%:*}
out=$LOWFAT_BUILD/$rel
lock_build "$rel"
kernel=/boot/vmlinuz-$rel
initrd=$out/initramfs.cpio.gz
disk=$out/disk.img
console=$out/console-$tag.log
result=$out/result-$tag
vm_timeout=${LOWFAT_VM_TIMEOUT:-1200}

[ -r "$kernel" ] || die "$kernel missing"
[ -r "$initrd" ] || die "$initrd missing; run scripts/mkinitramfs.sh $rel"
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 missing; run scripts/deps.sh"

# A fresh, empty disk for every boot: /dev/vda in the VM.
rm -f "$disk"
truncate -s 256M "$disk"

# KFENCE: 6.12's cloud kernel has it built in but disabled (interval 0), the
# parameter turns it on; 6.1's cloud kernel has no KFENCE and ignores it.
append="console=ttyS0 panic=-1 panic_on_warn=1 oops=panic slub_debug=FZPU"
append+=" kfence.sample_interval=10 lowfat.run=$mode quiet loglevel=4"
[ -n "${LOWFAT_TESTS:-}" ] && append+=" lowfat.tests=$LOWFAT_TESTS"
[ -n "${LOWFAT_TEST_TIMEOUT:-}" ] && append+=" lowfat.test_timeout=$LOWFAT_TEST_TIMEOUT"
[ -n "${LOWFAT_APPEND:-}" ] && append+=" $LOWFAT_APPEND"

qemu=(qemu-system-x86_64 -machine q35 -accel "${LOWFAT_ACCEL:-tcg,thread=single}" -cpu max
      -smp 2 -m "${LOWFAT_VM_MEM:-2G}" -nographic -no-reboot -nic none
      -kernel "$kernel" -initrd "$initrd" -append "$append"
      -drive "file=$disk,if=virtio,format=raw")

log "booting $rel, mode $tag, timeout ${vm_timeout}s, log $console"
rm -f "$result"
set +e
if [ "$mode" = shell ]; then
	# Interactive: the terminal is the serial console (Ctrl-A X quits).
	timeout --foreground "$vm_timeout" "${qemu[@]}" | tee "$console"
	rc=${PIPESTATUS[0]}
else
	# QEMU writes the log; tail streams it.  Both run in the background so
	# that a signal to this script stops the VM at once (bash runs traps
	# only between foreground commands, and "wait" is interruptible).
	: > "$console"
	timeout -k 10 "$vm_timeout" "${qemu[@]}" </dev/null >"$console" 2>&1 &
	qpid=$!
	trap 'kill -TERM "$qpid" 2>/dev/null; wait "$qpid"; exit 130' INT TERM HUP
	tail -s 0.2 -n +1 -f --pid="$qpid" "$console" &
	tpid=$!
	wait "$qpid"
	rc=$?
	wait "$tpid"
	trap - INT TERM HUP
fi
set -e

# --- verdict -----------------------------------------------------------------
clean=$(mktemp)
trap 'rm -f "$clean"' EXIT
tr -d '\r' < "$console" > "$clean"

problems=()
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
	problems+=("timeout: the VM ran longer than ${vm_timeout}s")
elif [ "$rc" -ne 0 ]; then
	problems+=("qemu exited with status $rc")
fi

passed=0
failed=0
res=$(grep -aE '^LOWFAT-RESULT: passed=[0-9]+ failed=[0-9]+$' "$clean" | tail -n1 || true)
if [ -n "$res" ]; then
	passed=$(sed -E 's/.*passed=([0-9]+).*/\1/' <<< "$res")
	failed=$(sed -E 's/.*failed=([0-9]+).*/\1/' <<< "$res")
else
	problems+=("no LOWFAT-RESULT line: init died, the kernel panicked or the VM hung")
fi

# Kernel log lines only: "[   12.345678] " (CONFIG_PRINTK_TIME, set in both
# Debian kernels), optionally followed by a caller id, then a splat's
# headline.  Test output and our own lines never start with a printk
# timestamp.  A bare "Call Trace:" is no splat: a memcg OOM kill, which tests
# of memory limits cause on purpose, prints one too.
ts='\[ *[0-9]+\.[0-9]+\]( \[ *[CT][0-9]+\])? '
splat='(------------\[ cut here \]|WARNING: CPU|BUG: |BUG [^ ]+ \((Not tainted|Tainted)|kernel BUG at|Oops|Kernel panic|KFENCE: |general protection fault|UBSAN: |={20,}$|INFO: task .* blocked for more than|watchdog: BUG: soft lockup|Watchdog detected hard LOCKUP|rcu: INFO: rcu_.* detected .*stall|Bad page state|list_(add|del) corruption|refcount_t: |Unable to handle kernel)'
splats=$(grep -anE "$ts$splat" "$clean" | head -n 40 || true)
if [ -n "$splats" ]; then
	problems+=("kernel splat on the console (first lines below)")
fi

# Taint bits that mean something went wrong: M(4) machine check, B(5) bad
# page/slab, D(7) oops, W(9) warning, L(14) soft lockup.  O and E (our
# unsigned out-of-tree module) are expected.
taint=$(sed -nE 's/^LOWFAT-TAINT: ([0-9]+)$/\1/p' "$clean" | tail -n1)
if [ -n "$taint" ] && [ $((taint & (1 << 4 | 1 << 5 | 1 << 7 | 1 << 9 | 1 << 14))) -ne 0 ]; then
	problems+=("kernel tainted: $taint (see Documentation/admin-guide/tainted-kernels.rst)")
fi

printf 'passed=%d failed=%d problems=%d\n' "$passed" "$failed" "${#problems[@]}" > "$result"

{
	echo "---- vm-run: $rel ($tag): passed=$passed failed=$failed"
	for p in "${problems[@]}"; do
		echo "---- vm-run: PROBLEM: $p"
	done
	if [ -n "$splats" ]; then
		while IFS= read -r l; do echo "---- vm-run: | $l"; done <<< "$splats"
	fi
	echo "---- vm-run: console log: $console"
} >&2

[ ${#problems[@]} -eq 0 ] && [ "$failed" -eq 0 ]
