#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh (make bench): lowfat measured side by side with crun, LXC,
# bubblewrap and unshare, in one VM boot; bench/README.md has the method.
#
#   1. installs what is missing: scripts/deps.sh, then the peers (crun, lxc,
#      bubblewrap; util-linux's unshare is always there) and gnuplot-nox
#   2. builds ctlvz, the busybox template and the bench programs
#      (bench/*.c) into $LOWFAT_BUILD/bench (default build/bench), so make
#      check's build/ is left alone
#   3. builds vzbc.ko for the kernel and packs an initramfs with the peers'
#      binaries, libraries and data files on top of make check's image
#      (boot_prepare in lib.sh, mkinitramfs.sh's LOWFAT_OVERLAY)
#   4. boots it once in a 4 GiB VM without slub_debug and KFENCE and runs
#      bench/bench-in-vm.sh
#   5. writes bench/results/ (raw.txt, results.md, bench.png) with
#      bench/report.sh and prints the table
#
# Environment:
#   BENCH_KERNEL=6.1         kernel series to boot
#   BENCH_RUNS=50  BENCH_ACCT_REPS=10 BENCH_ACCT_SCALE=1  BENCH_SCALE_MAX=10000
#   BENCH_DENSITY_MAX=1000  BENCH_DENSITY_SECONDS=600  BENCH_PARTS=start,acct,scale,density
#                            passed to the VM (bench/bench-in-vm.sh)
#   BENCH_OUT=bench/results  where the results go
#   LOWFAT_VM_TIMEOUT        default 5400 s
#
# Exit status 0 only if every part ran and every peer ran.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

scripts=$LOWFAT_ROOT/scripts
LOWFAT_BUILD=$LOWFAT_BUILD/bench
export LOWFAT_BUILD
out=${BENCH_OUT:-$LOWFAT_ROOT/bench/results}
series=${BENCH_KERNEL:-6.1}

host_load() { cut -d' ' -f1-3 /proc/loadavg; }

# --- 1. packages -------------------------------------------------------------
"$scripts/deps.sh"
missing=()
for p in crun lxc bubblewrap util-linux gnuplot-nox; do
	case $(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true) in
	ii*) ;;
	*) missing+=("$p") ;;
	esac
done
if [ ${#missing[@]} -gt 0 ]; then
	log "installing: ${missing[*]}"
	[ "$(id -u)" -eq 0 ] || die "must be root to install ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update
	apt-get install -y --no-install-recommends "${missing[@]}"
fi

# --- 2. builds -----------------------------------------------------------------
rel=$(kernel_rel "$series") || die "no installed $series.*-cloud-amd64 kernel with headers"
lock_build "$rel"
make -C "$LOWFAT_ROOT" --no-print-directory userspace templates
make -C "$LOWFAT_ROOT/bench" --no-print-directory O="$LOWFAT_BUILD/bin"

# --- 3. the overlay: bench programs and the peers -----------------------------
overlay=$LOWFAT_BUILD/overlay
rm -rf "$overlay"
mkdir -p "$overlay/usr/lib/lowfat/bench/bin"
install -m 0755 "$LOWFAT_BUILD"/bin/bench_* "$overlay/usr/lib/lowfat/bench/bin/"
install -m 0755 "$LOWFAT_ROOT/bench/bench-in-vm.sh" "$overlay/usr/lib/lowfat/bench/"
# Each peer's own files, from its Debian package: the binaries (their
# libraries come from mkinitramfs.sh's ldd scan) and what they read at run
# time.  util-linux's unshare replaces busybox's applet.
peer_files=(
	/usr/bin/crun
	/usr/bin/bwrap
	/usr/bin/unshare
	/usr/bin/lxc-execute
	/usr/sbin/init.lxc /usr/sbin/init.lxc.static
	/usr/share/lxc/config/common.conf /usr/share/lxc/config/userns.conf
	/usr/libexec/lxc/lxc-monitord
	/usr/lib/x86_64-linux-gnu/lxc/rootfs/README
)
for f in "${peer_files[@]}"; do
	[ -e "$f" ] || die "$f missing (is its package installed?)"
	install -D -m "$(stat -c %a "$f")" "$f" "$overlay$f"
done
mkdir -p "$overlay/var/lib/lxc" "$overlay/etc/ctlvz"

# vzbc.ko and the initramfs, the overlay on top.
LOWFAT_OVERLAY=$overlay boot_prepare "$rel" || die "$rel: $BOOT_WHY"

# --- 4. the VM -------------------------------------------------------------------
env=
for v in BENCH_RUNS BENCH_ACCT_REPS BENCH_ACCT_SCALE BENCH_SCALE_MAX \
	 BENCH_DENSITY_MAX BENCH_DENSITY_SECONDS BENCH_PARTS; do
	if [ -n "${!v:-}" ]; then
		[[ ${!v} =~ ^[A-Za-z0-9_.,+]+$ ]] || die "$v=${!v}: letters, digits, '.', '_', ',' only"
		# lowfat.env separates variables by commas: lists travel with '+'.
		val=${!v}
		env+="${env:+,}$v=${val//,/+}"
	fi
done
append="slub_debug=- kfence.sample_interval=0"
[ -n "$env" ] && append+=" lowfat.env=$env"
load_before=$(host_load)
start=$(date +%s)
log "host load before: $load_before (2 vCPUs of TCG; a busy host slows every figure)"
cmd=$(printf '%s\n' /usr/lib/lowfat/bench/bench-in-vm.sh | base64 -w0)
rc=0
LOWFAT_VM_MEM=4G LOWFAT_VM_TIMEOUT=${LOWFAT_VM_TIMEOUT:-5400} \
LOWFAT_APPEND="${LOWFAT_APPEND:+$LOWFAT_APPEND }$append" \
	"$scripts/vm-run.sh" "$rel" "cmd:$cmd" || rc=$?
took=$(($(date +%s) - start))
load_after=$(host_load)

# --- 5. results --------------------------------------------------------------------
mkdir -p "$out"
console=$LOWFAT_BUILD/$rel/console-cmd.log
raw=$out/raw.txt
{
	echo "BENCH|meta|host_load_before|$load_before"
	echo "BENCH|meta|host_load_after|$load_after"
	echo "BENCH|meta|host_cpus|$(nproc)"
	echo "BENCH|meta|vm_seconds|$took"
	echo "BENCH|meta|date|$(date -u +%Y-%m-%dT%H:%MZ)"
	echo "BENCH|meta|commit|$(git -C "$LOWFAT_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
	tr -d '\r' < "$console" | grep -a '^BENCH|' || true
} > "$raw"
[ "$rc" -eq 0 ] || die "the bench VM failed (exit $rc); console log: $console"
"$LOWFAT_ROOT/bench/report.sh" "$raw" "$out"
cat "$out/results.md"
log "VM run: ${took}s; results in ${out#"$LOWFAT_ROOT"/}/"
