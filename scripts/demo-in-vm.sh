#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The product tour, run inside the VM by "make demo" (busybox sh): create a
# container, set its limits, start it, show each limit holding with the
# beancounter that counts it, and show /proc/user_beancounters.  Every step
# checks what it shows; the first thing that is not as promised ends the demo
# with a non-zero status.
set -eu

CT=101
CG=/sys/fs/cgroup/ctlvz/$CT

say() { printf '\n== %s\n' "$*"; }
run() { printf '# %s\n' "$*"; "$@"; }
die() { printf 'DEMO FAILED: %s\n' "$*" >&2; exit 1; }

# One row of /proc/user_beancounters into $held $maxheld $barrier $limit
# $failcnt.
ubc_read() {
	ubc_row "$1" > /tmp/demo-row
	read -r held maxheld barrier limit failcnt < /tmp/demo-row
}

ubc_row() {
	awk -v ct="$CT:" -v res="$1" '
		$1 ~ /^[0-9]+:$/ { cur = $1; $1 = "" ; $0 = $0 }
		cur == ct && $1 == res { print $2, $3, $4, $5, $6 }
	' /proc/user_beancounters
}

say "vzbc.ko is loaded: the beancounter device and its /proc files"
grep '^vzbc ' /proc/modules || die "vzbc is not loaded"
run ls -l /dev/vzbc

say "Create container $CT from the busybox template"
run ctlvz create $CT --ostemplate busybox --hostname ct$CT.example.org \
	--ipadd 10.101.0.1/24

say "Limits, vzctl style, saved to $CT.conf: 48 tasks, 64 MiB of RAM, no swap"
run ctlvz set $CT --numproc 48:48 --ram 64M --swap 0 --cpulimit 50 --save
grep -E '^(NUMPROC|PHYSPAGES|SWAPPAGES|CPULIMIT)=' /etc/ctlvz/conf/$CT.conf ||
	die "the limits were not saved"

say "Start it: new user, pid, mount, uts, ipc, net and cgroup namespaces"
run ctlvz start $CT
run ctlvz status $CT
run ctlvz list
echo "The cgroup enforces what was saved, before init ran:"
printf '  pids.max=%s memory.max=%s memory.high=%s memory.swap.max=%s cpu.max="%s"\n' \
	"$(cat $CG/pids.max)" "$(cat $CG/memory.max)" "$(cat $CG/memory.high)" \
	"$(cat $CG/memory.swap.max)" "$(cat $CG/cpu.max)"
[ "$(cat $CG/pids.max)" = 48 ] || die "pids.max is not 48"
[ "$(cat $CG/memory.max)" = $((64 * 1024 * 1024)) ] || die "memory.max is not 64M"
[ "$(cat $CG/memory.high)" = max ] || die "a barrier of 0 must leave memory.high at max"

say "Inside, it is a system of its own"
run ctlvz exec $CT hostname
run ctlvz exec $CT id
run ctlvz exec $CT ps
run ctlvz exec $CT ip -4 addr show eth0

say "numproc: a fork storm inside stops at 48 tasks; each refusal is counted"
ctlvz monitor $CT -n 1 > /tmp/demo-events &
monitor=$!
sleep 1
# busybox sh gives up at its first refused fork: run the storm twice.
for _ in 1 2; do
	rc=0
	# shellcheck disable=SC2016 # expanded inside the container
	run ctlvz exec $CT sh -c 'while :; do sleep 60 & done' || rc=$?
	echo "the storm ended with status $rc: the kernel refused a fork"
done
tasks=$(cat $CG/pids.current)
echo "host: pids.current of the container = $tasks"
[ "$tasks" -le 48 ] || die "more than 48 tasks"
ubc_read numproc
echo "numproc: held=$held maxheld=$maxheld barrier=$barrier limit=$limit failcnt=$failcnt"
[ "$held" = "$tasks" ] || die "numproc held $held is not pids.current $tasks"
[ "$maxheld" -le 48 ] || die "numproc maxheld above the limit"
[ "$failcnt" -ge 2 ] || die "the refused forks were not counted"
i=0
while kill -0 $monitor 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
echo "ctlvz monitor saw:"
sed 's/^/  /' /tmp/demo-events
grep -q "numproc refused at the limit" /tmp/demo-events || die "no netlink event"

say "Raise the limit live: the running container gets it at once"
run ctlvz set $CT --numproc 96:96
# exec's processes live in a leaf of their own, removed when exec ends: the
# 60 tasks are counted while the command still runs.
echo "# ctlvz exec $CT sh -c '<start 60 sleeps, then wait for them>' &"
# shellcheck disable=SC2016 # expanded inside the container
ctlvz exec $CT sh -c 'i=0; while [ $i -lt 60 ]; do sleep 20 & i=$((i+1)); done; echo started 60; wait' &
execpid=$!
tasks=0
i=0
while [ "$tasks" -le 48 ] && [ $i -lt 200 ]; do
	sleep 0.1
	tasks=$(cat $CG/pids.current)
	i=$((i + 1))
done
echo "host: pids.current = $tasks (above the old 48)"
[ "$tasks" -gt 48 ] || die "the raised limit did not take effect"
kill "$execpid" 2>/dev/null
wait "$execpid" 2>/dev/null || true

say "physpages: a 128 MiB allocation in a 64 MiB container is OOM-killed inside it only"
if run ctlvz exec $CT dd if=/dev/zero of=/dev/null bs=128M count=1; then
	die "the allocation was not stopped"
fi
echo "memory.events of the container: $(tr '\n' ' ' < $CG/memory.events)"
ubc_read physpages
echo "physpages: held=$held maxheld=$maxheld barrier=$barrier limit=$limit failcnt=$failcnt (pages of 4 KiB)"
[ "$maxheld" -le $((64 * 256)) ] || die "physpages maxheld above the limit"
[ "$failcnt" -gt 0 ] || die "physpages failcnt did not grow"
echo "the host is untouched: this shell is still here (pid $$)"

say "/proc/user_beancounters, in OpenVZ's Version 2.5 format"
run cat /proc/user_beancounters
echo "and the same numbers, per container, in /proc/bc/$CT/resources:"
cat /proc/bc/$CT/resources

say "Stop and destroy"
run ctlvz stop $CT
run ctlvz status $CT
[ ! -d $CG ] || die "the cgroup is still there"
[ ! -d /proc/bc/$CT ] || die "the beancounter is still there"
run ctlvz destroy $CT
echo
echo "Demo complete: every limit held and every number above was checked."
