#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the lowfat test VM (PID 1, busybox sh).  Built into the initramfs
# by scripts/mkinitramfs.sh, booted by scripts/vm-run.sh.
#
# Sets up the file systems and cgroup v2, loads virtio/veth and vzbc.ko, then
# runs what the kernel command line asks for:
#
#   lowfat.run=tests       every /usr/lib/lowfat/tests/*_test (default)
#   lowfat.run=demo        /usr/lib/lowfat/demo-in-vm.sh
#   lowfat.run=shell       an interactive shell on the console
#   lowfat.run=cmd:BASE64  sh -c "$(echo BASE64 | base64 -d)"
#   lowfat.tests=a,b       only these test binaries (names, without path)
#   lowfat.test_timeout=S  seconds per test binary (default 300)
#   lowfat.env=K=V,K2=V2   export K=V and K2=V2 to the tests and the demo
#                          (names [A-Za-z_][A-Za-z0-9_]*, values without
#                          spaces or commas; e.g. VZBC_FUZZ_SECONDS=120)
#
# Its verdict is one console line, "LOWFAT-RESULT: passed=N failed=M", then
# "LOWFAT-TAINT: <kernel taint mask>", then it powers the VM off.
#
# Environment given to tests and the demo:
#   VZBC_MODULE=/lib/vzbc/vzbc.ko   LOWFAT_DISK=/dev/vda (empty 256 MiB disk)
#   LOWFAT_KERNEL=<uname -r>        LOWFAT_TEMPLATES=/vz/template/cache
# The VM's init process lives in the leaf cgroup /sys/fs/cgroup/init; the root
# cgroup has +pids +memory +io +cpu in cgroup.subtree_control, so tests create
# their cgroups directly under /sys/fs/cgroup.

PATH=/usr/sbin:/usr/bin:/sbin:/bin
HOME=/root
TMPDIR=/tmp
export PATH HOME TMPDIR

TESTS_DIR=/usr/lib/lowfat/tests
DEMO=/usr/lib/lowfat/demo-in-vm.sh
passed=0
failed=0

say() { echo "lowfat-init: $*"; }
fail() {
	say "FAIL: $*"
	failed=$((failed + 1))
}

# --- file systems ------------------------------------------------------------
mount -t devtmpfs -o mode=0755 devtmpfs /dev 2>/dev/null
# The kernel gives /init the console only if /dev/console existed in the
# initramfs; make sure of it now that devtmpfs is there.
exec </dev/console >/dev/console 2>&1

mount -t proc proc /proc || fail "mount /proc"
mount -t sysfs sysfs /sys || fail "mount /sys"
mkdir -p /dev/pts /dev/shm
mount -t devpts -o gid=5,mode=0620,ptmxmode=0666 devpts /dev/pts || fail "mount /dev/pts"
mount -t tmpfs -o mode=1777 tmpfs /dev/shm || fail "mount /dev/shm"
mount -t tmpfs -o mode=1777 tmpfs /tmp || fail "mount /tmp"
mount -t tmpfs -o mode=0755 tmpfs /run || fail "mount /run"
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
hostname lowfat
ip link set lo up 2>/dev/null || fail "ip link set lo up"

# Warnings (KERN_WARNING) must reach the console, so vm-run.sh sees every
# "WARNING: CPU" and its trace: the command line's loglevel=4 keeps the boot
# quiet, from here on level 4 messages are printed too.
echo 5 > /proc/sys/kernel/printk

# --- cgroup v2 -----------------------------------------------------------------
# Mounted like systemd does.  Controllers are enabled in the root first; the
# root is exempt from the no-internal-process rule, but its children are not,
# so init then moves itself into the leaf "init" and leaves the rest of the
# tree to the tests.
cg=/sys/fs/cgroup
mount -t cgroup2 -o nsdelegate,memory_recursiveprot cgroup2 $cg 2>/dev/null ||
	mount -t cgroup2 cgroup2 $cg || fail "mount cgroup2"
for c in pids memory io cpu; do
	if ! grep -qw "$c" $cg/cgroup.controllers; then
		fail "cgroup controller $c not available"
	elif ! echo "+$c" > $cg/cgroup.subtree_control; then
		fail "cannot enable cgroup controller $c"
	fi
done
if ! mkdir -p $cg/init || ! echo $$ > $cg/init/cgroup.procs; then
	fail "move init into $cg/init"
fi

# --- modules -------------------------------------------------------------------
LOWFAT_KERNEL=$(uname -r)
export LOWFAT_KERNEL
kmods=/lib/modules/$LOWFAT_KERNEL
if [ -f "$kmods/lowfat.load" ]; then
	while read -r m; do
		insmod "$kmods/$m" || fail "insmod $m"
	done < "$kmods/lowfat.load"
else
	fail "$kmods/lowfat.load missing (initramfs built for another kernel?)"
fi

VZBC_MODULE=/lib/vzbc/vzbc.ko
export VZBC_MODULE
if insmod $VZBC_MODULE; then
	say "vzbc loaded"
else
	fail "insmod $VZBC_MODULE"
fi

# The virtio disk: a block device node appears once devtmpfs catches up.
i=0
while [ ! -b /dev/vda ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
if [ -b /dev/vda ]; then
	LOWFAT_DISK=/dev/vda
	export LOWFAT_DISK
else
	say "no /dev/vda: LOWFAT_DISK not set"
fi
LOWFAT_TEMPLATES=/vz/template/cache
export LOWFAT_TEMPLATES

# --- command line ----------------------------------------------------------------
mode=tests
only=
timeout_s=300
envlist=
read -r cmdline < /proc/cmdline
set -f
for arg in $cmdline; do
	case $arg in
	lowfat.run=*)          mode=${arg#lowfat.run=} ;;
	lowfat.tests=*)        only=${arg#lowfat.tests=} ;;
	lowfat.test_timeout=*) timeout_s=${arg#lowfat.test_timeout=} ;;
	lowfat.env=*)          envlist=$envlist,${arg#lowfat.env=} ;;
	esac
done
# The kernel keeps dotted parameters from init's environment, so tests get
# theirs this way (scripts/stress.sh passes durations).
IFS=,
for kv in $envlist; do
	[ -n "$kv" ] || continue
	key=${kv%%=*}
	case $key in
	"$kv" | '' | [!A-Za-z_]* | *[!A-Za-z0-9_]*)
		fail "lowfat.env: '$kv' is not NAME=VALUE"
		continue
		;;
	esac
	export "$key=${kv#*=}"
	say "env: $key=${kv#*=}"
done
unset IFS
set +f
LOWFAT_MODE=${mode%%:*}
export LOWFAT_MODE

# --- test binaries -----------------------------------------------------------------
# Counts the KTAP result lines of one binary's output ("ok N name",
# "not ok N name", "# SKIP" directives count as neither) and its plan "1..N".
# Prints: passed failed skipped planned
count_ktap() {
	awk '
		/^1\.\.[0-9]+/ { plan = substr($0, 4) + 0; next }
		/^(not )?ok [0-9]+/ {
			if ($0 ~ /#[ \t]*[Ss][Kk][Ii][Pp]/) skip++
			else if ($0 ~ /^not /) fail++
			else pass++
		}
		END { printf "%d %d %d %d\n", pass, fail, skip, plan }
	' "$1"
}

selected() {
	[ -z "$only" ] && return 0
	case ",$only," in
	*",$1,"*) return 0 ;;
	esac
	return 1
}

# Kills every user process but init: what a test binary left behind (its
# process group and anything that escaped it, e.g. a container's init) must
# not disturb the next one.  Kernel threads have an empty cmdline.
sweep() {
	for d in /proc/[0-9]*; do
		n=${d#/proc/}
		[ "$n" -eq $$ ] && continue
		cmd=
		read -r cmd < "$d/cmdline" 2>/dev/null
		[ -n "$cmd" ] || continue
		comm='?'
		read -r comm < "$d/comm" 2>/dev/null
		say "$1: killing leftover process $n ($comm)"
		kill -KILL "$n" 2>/dev/null
	done
}

# Runs one test binary in its own session, output to a file that "tail -f"
# streams to the console: a process the test leaves behind can neither
# block the runner (as it could holding a pipe) nor outlive the test.
run_test() {
	t=$1
	name=${t##*/}
	out=/tmp/lowfat-$name.out

	say "running $name (timeout ${timeout_s}s)"
	: > "$out"
	tail -f "$out" &
	tailpid=$!
	start=$(date +%s)
	(cd /tmp && exec timeout -k 10 "$timeout_s" setsid "$t") </dev/null >"$out" 2>&1 &
	pid=$!
	wait $pid
	rc=$?
	end=$(date +%s)
	kill -KILL -- "-$pid" 2>/dev/null
	sleep 1		# tail -f polls once a second
	kill "$tailpid" 2>/dev/null
	wait "$tailpid" 2>/dev/null
	sweep "$name"

	# shellcheck disable=SC2046 # four numbers
	set -- $(count_ktap "$out")
	p=$1 f=$2 s=$3 plan=$4
	n=$((p + f + s))
	why=
	if [ "$rc" -ne 0 ] && [ $((end - start)) -ge "$timeout_s" ]; then
		why="timed out after ${timeout_s}s"
	elif [ $n -eq 0 ]; then
		why="printed no test result (exit $rc)"
	elif [ "$plan" -gt $n ]; then
		why="planned $plan tests, reported $n (exit $rc)"
	elif [ "$rc" -ne 0 ] && [ "$rc" -ne 4 ] && [ "$f" -eq 0 ]; then
		why="exited with $rc"
	fi
	if [ -n "$why" ]; then
		f=$((f + 1))
		say "FAIL: $name $why"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	say "$name: passed=$p failed=$f skipped=$s"
	grep -E '^(not )?ok [0-9]+.*#[[:space:]]*[Ss][Kk][Ii][Pp]' "$out" |
		sed "s/^/lowfat-init: SKIP $name: /" >> /tmp/lowfat-skips
}

run_tests() {
	found=0
	: > /tmp/lowfat-skips
	for t in "$TESTS_DIR"/*_test; do
		[ -f "$t" ] || continue
		[ -x "$t" ] || continue
		selected "${t##*/}" || continue
		found=$((found + 1))
		run_test "$t"
	done
	[ $found -gt 0 ] || fail "no test binaries${only:+ matching $only} in $TESTS_DIR"
	cat /tmp/lowfat-skips
}

# --- run -------------------------------------------------------------------------
say "kernel $LOWFAT_KERNEL, mode $LOWFAT_MODE"
case $mode in
tests)
	run_tests
	;;
demo)
	if [ -x "$DEMO" ]; then
		(cd /tmp && "$DEMO")
		rc=$?
		echo "LOWFAT-EXIT: $rc"
		if [ $rc -eq 0 ]; then passed=$((passed + 1)); else fail "demo exited with $rc"; fi
	else
		echo "LOWFAT-EXIT: 127"
		fail "$DEMO missing (scripts/demo-in-vm.sh not written yet?)"
	fi
	;;
cmd:*)
	cmd=$(echo "${mode#cmd:}" | base64 -d)
	say "running: $cmd"
	(cd /tmp && sh -c "$cmd")
	rc=$?
	echo "LOWFAT-EXIT: $rc"
	if [ $rc -eq 0 ]; then passed=$((passed + 1)); else fail "command exited with $rc"; fi
	;;
shell)
	say "interactive shell; exit it to power off"
	setsid cttyhack sh -l
	;;
*)
	fail "unknown lowfat.run=$mode"
	;;
esac

sync
# Only emergencies on the console now, so that no kernel message can cut the
# verdict in two; a late warning still shows in the taint mask.
echo 1 > /proc/sys/kernel/printk
echo "LOWFAT-RESULT: passed=$passed failed=$failed"
echo "LOWFAT-TAINT: $(cat /proc/sys/kernel/tainted)"
poweroff -f
# Not reached unless poweroff failed; -no-reboot turns this into an exit.
echo b > /proc/sysrq-trigger
