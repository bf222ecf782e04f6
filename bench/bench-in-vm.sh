#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# bench-in-vm.sh: the whole of "make bench", run inside the VM (busybox sh)
# by scripts/bench.sh through vm-init.sh's cmd mode.  Prints its figures as
# "BENCH|..." lines on the console; scripts/bench.sh turns them into
# bench/results/.  Any failure (a peer that cannot run included) exits
# non-zero, which fails the VM's verdict and so make bench.
#
# Environment (scripts/bench.sh passes it through lowfat.env):
#   BENCH_RUNS=50            start latency: runs per peer
#   BENCH_ACCT_REPS=10       accounting overhead: on/off repetitions
#   BENCH_ACCT_SCALE=1       accounting overhead: iteration multiplier
#   BENCH_SCALE_MAX=10000    scaling: largest beancounter count
#   BENCH_DENSITY_MAX=1000   density: containers to start at most
#   BENCH_DENSITY_SECONDS=600  density: budget for creating, then for starting
#   BENCH_PARTS=start,acct,scale,density   which parts to run ('+' or ',')
#
# First it leaves the initramfs: / of an initramfs is rootfs, which
# pivot_root(2) refuses, so crun, LXC and bubblewrap would each need a
# fallback (crun --no-pivot, LXC's chroot) that a real host never takes.
# The script copies the image into a tmpfs, moves that over / in a private
# mount namespace and chroots into it, as switch_root(8) does; from then on
# every engine, ctlvz included, sees a normal root file system.
set -eu

BENCH=/usr/lib/lowfat/bench
BIN=$BENCH/bin
CG=/sys/fs/cgroup
RUNS=${BENCH_RUNS:-50}
PARTS=$(echo "${BENCH_PARTS:-start,acct,scale,density}" | tr '+' ',')
CT=101			# the latency container, whose private area every peer uses
# ... through a bind mount: $VE_PRIVATE's parent is 0700, which the peers'
# mapped root cannot cross (ctlvz mounts it from a host-side helper).
ROOTFS=/bench/rootfs

say() { echo "bench: $*"; }
fail() {
	echo "bench: FAIL: $*"
	exit 1
}
want() {
	case ",$PARTS," in
	*",$1,"*) return 0 ;;
	esac
	return 1
}
now_ns() { "$BIN/bench_start" -t; }
# File system type of / (the last mount on it).
root_fstype() {
	awk '$5 == "/" { for (i = 7; $i != "-"; i++); t = $(i + 1) } END { print t }' \
		/proc/self/mountinfo
}
meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }

# --- leave the initramfs -----------------------------------------------------
if [ "${1:-}" != --inner ]; then
	if [ "$(root_fstype)" != rootfs ]; then
		exec "$0" --inner
	fi
	say "copying the initramfs into a tmpfs root"
	# shellcheck disable=SC2016 # the inner sh expands them
	exec /usr/bin/unshare --mount --propagation private sh -euc '
		mkdir -p /newroot
		mount -t tmpfs -o size=90%,mode=0755 tmpfs /newroot
		for d in /*; do
			case $d in
			/proc | /sys | /dev | /tmp | /run | /newroot) mkdir -p "/newroot$d" ;;
			*) cp -a "$d" /newroot/ ;;
			esac
		done
		mount -t proc proc /newroot/proc
		mount --rbind /sys /newroot/sys
		mount --rbind /dev /newroot/dev
		mount -t tmpfs -o mode=1777 tmpfs /newroot/tmp
		mount -t tmpfs -o mode=0755 tmpfs /newroot/run
		cd /newroot
		mount --move . /
		exec chroot . "$0" --inner
	' "$0"
fi

cd /tmp
[ "$(root_fstype)" != rootfs ] || fail "/ is still the initramfs"
say "root: $(root_fstype)"
echo "BENCH|meta|kernel|$(uname -r)"
echo "BENCH|meta|cpus|$(nproc)"
echo "BENCH|meta|memtotal_kib|$(meminfo MemTotal)"
echo "BENCH|meta|cmdline|$(cat /proc/cmdline)"
# slub_debug and KFENCE slow every allocation: make check wants them,
# a benchmark must not have them.  scripts/bench.sh turns them off.
if grep -q 1 /sys/kernel/slab/kmalloc-64/sanity_checks 2>/dev/null; then
	fail "slub_debug is on: boot with slub_debug=- (scripts/bench.sh does)"
fi
for v in crun bwrap lxc-execute; do
	echo "BENCH|meta|version|$v|$("/usr/bin/$v" --version 2>&1 | head -n1)"
done
echo "BENCH|meta|version|unshare|$(/usr/bin/unshare --version 2>&1 | head -n1)"

# --- the container and the shared root file system --------------------------
cgset() { echo "$2" > "$CG/$1" || fail "write $CG/$1: $2"; }

/usr/sbin/ctlvz create $CT --ostemplate busybox --hostname bench >/dev/null ||
	fail "ctlvz create $CT"
/usr/sbin/ctlvz set $CT --numproc 128 --ram 64M --save >/dev/null ||
	fail "ctlvz set $CT"
base=$(sed -nE 's/^USERNS_BASE="?([0-9]+)"?$/\1/p' /etc/ctlvz/conf/$CT.conf)
[ -n "$base" ] || fail "no USERNS_BASE in /etc/ctlvz/conf/$CT.conf"
mkdir -p $ROOTFS
mount --bind /vz/private/$CT $ROOTFS || fail "bind /vz/private/$CT on $ROOTFS"
mkdir -p "$CG/bench"
cgset bench/cgroup.subtree_control "+pids +memory +io +cpu"
# LXC run as root places its cgroups below PID 1's (lxc.cgroup.relative=0),
# and vm-init.sh's leaf /init can have no children with controllers: PID 1
# goes to the root cgroup, which may hold tasks, as it does under systemd.
cgset cgroup.procs 1

# crun: an OCI bundle whose root is the container's private area, with
# the same namespaces as ctlvz (user with the same id map, pid, mount,
# uts, ipc, network, cgroup) and the same pids and memory limits.
mkdir -p /bench/oci
cat > /bench/oci/config.json <<EOF
{
  "ociVersion": "1.0.2",
  "process": {
    "terminal": false, "user": { "uid": 0, "gid": 0 },
    "args": [ "/bin/true" ], "env": [ "PATH=/usr/sbin:/usr/bin:/sbin:/bin" ],
    "cwd": "/", "noNewPrivileges": false
  },
  "root": { "path": "$ROOTFS", "readonly": false },
  "hostname": "bench",
  "mounts": [
    { "destination": "/proc", "type": "proc", "source": "proc" },
    { "destination": "/dev", "type": "tmpfs", "source": "tmpfs",
      "options": [ "nosuid", "strictatime", "mode=755", "size=65536k" ] },
    { "destination": "/dev/pts", "type": "devpts", "source": "devpts",
      "options": [ "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620" ] },
    { "destination": "/dev/shm", "type": "tmpfs", "source": "shm",
      "options": [ "nosuid", "noexec", "nodev", "mode=1777", "size=65536k" ] },
    { "destination": "/sys", "type": "sysfs", "source": "sysfs",
      "options": [ "nosuid", "noexec", "nodev", "ro" ] },
    { "destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup",
      "options": [ "nosuid", "noexec", "nodev", "relatime", "ro" ] },
    { "destination": "/run", "type": "tmpfs", "source": "tmpfs",
      "options": [ "nosuid", "nodev", "mode=755" ] },
    { "destination": "/tmp", "type": "tmpfs", "source": "tmpfs",
      "options": [ "nosuid", "nodev", "mode=1777" ] }
  ],
  "linux": {
    "uidMappings": [ { "containerID": 0, "hostID": $base, "size": 65536 } ],
    "gidMappings": [ { "containerID": 0, "hostID": $base, "size": 65536 } ],
    "cgroupsPath": "/bench/crun",
    "resources": { "pids": { "limit": 128 }, "memory": { "limit": 67108864 } },
    "namespaces": [ { "type": "pid" }, { "type": "network" }, { "type": "ipc" },
                    { "type": "uts" }, { "type": "mount" }, { "type": "user" },
                    { "type": "cgroup" } ]
  }
}
EOF

# LXC: the same root, id map, namespaces (LXC unshares them all by
# default) and limits; no AppArmor in this kernel's VM.
mkdir -p /bench/lxc /var/lib/lxc
cat > /bench/lxc/bench.conf <<EOF
lxc.uts.name = bench
lxc.rootfs.path = dir:$ROOTFS
lxc.idmap = u 0 $base 65536
lxc.idmap = g 0 $base 65536
lxc.net.0.type = empty
lxc.apparmor.profile = unconfined
lxc.mount.auto = proc:mixed sys:ro cgroup:ro
lxc.autodev = 1
lxc.tty.max = 0
lxc.pty.max = 16
lxc.console.path = none
lxc.cgroup.dir.container = bench/lxc
lxc.cgroup.dir.monitor = bench/lxc-monitor
lxc.cgroup2.pids.max = 128
lxc.cgroup2.memory.max = 67108864
lxc.log.level = ERROR
EOF

# --- 1. start latency ---------------------------------------------------------
if want start; then
	say "start latency: $RUNS runs per peer, interleaved"
	cat > /bench/start.spec <<EOF
ctlvz|/usr/sbin/ctlvz start $CT ; /usr/sbin/ctlvz exec $CT /bin/true ; /usr/sbin/ctlvz stop $CT --fast
ctlvz-clean-stop|/usr/sbin/ctlvz start $CT ; /usr/sbin/ctlvz exec $CT /bin/true ; /usr/sbin/ctlvz stop $CT
crun|/usr/bin/crun --cgroup-manager=cgroupfs run --bundle /bench/oci bench-crun
lxc|/usr/bin/lxc-execute -n bench-lxc -P /bench/lxc -f /bench/lxc/bench.conf -- /bin/true
bwrap|/usr/bin/bwrap --unshare-all --bind $ROOTFS / --proc /proc --dev /dev /bin/true
unshare|/usr/bin/unshare --fork --pid --mount --uts --ipc --net --mount-proc --root=$ROOTFS /bin/true
EOF
	"$BIN/bench_start" -n "$RUNS" /bench/start.spec || fail "start latency"
	# "The container being gone": nothing left of any peer.
	for d in "$CG"/bench/* "$CG"/ctlvz/*; do
		[ -d "$d" ] || continue
		[ "$(cat "$d/cgroup.procs" 2>/dev/null)" = "" ] || fail "$d still has tasks"
	done
	[ ! -d "$CG/ctlvz/$CT" ] || fail "ctlvz left $CG/ctlvz/$CT behind"
	[ -z "$(ls /run/crun 2>/dev/null)" ] || fail "crun left state: $(ls /run/crun)"
fi

# --- 2. accounting overhead ----------------------------------------------------
if want acct; then
	say "accounting overhead: ${BENCH_ACCT_REPS:-10} repetitions, vzbc unloaded, idle, bound"
	dev=$(cat /sys/block/vda/dev)
	mkdir -p "$CG/bench/acct"
	cgset bench/acct/pids.max 4096
	cgset bench/acct/memory.max $((512 << 20))
	# Limits far above what the loops reach: the limit path runs, never waits.
	cgset bench/acct/io.max "$dev rbps=1073741824 wbps=1073741824 riops=1000000 wiops=1000000"
	"$BIN/bench_acct" -r "${BENCH_ACCT_REPS:-10}" -s "${BENCH_ACCT_SCALE:-1}" \
		-d /dev/vda /lib/vzbc/vzbc.ko "$CG/bench/acct" || fail "accounting overhead"
	rmdir "$CG/bench/acct"
fi

# --- 3. scaling ------------------------------------------------------------------
if want scale; then
	say "scaling: up to ${BENCH_SCALE_MAX:-10000} beancounters"
	mkdir -p "$CG/bench/scale"
	cgset bench/scale/cgroup.subtree_control "+pids +memory"
	t0=$(now_ns)
	"$BIN/bench_scale" -m "${BENCH_SCALE_MAX:-10000}" "$CG/bench/scale" || fail "scaling"
	say "scaling took $((($(now_ns) - t0) / 1000000)) ms"
	rmdir "$CG/bench/scale"
fi

# --- 4. density --------------------------------------------------------------------
if want density; then
	max=${BENCH_DENSITY_MAX:-1000}
	budget=${BENCH_DENSITY_SECONDS:-600}
	say "density: up to $max containers of 16 MiB, ${budget}s to start them"
	# Private areas are created first (files in this tmpfs, not what a
	# running container costs), then started; only the starts are timed.
	t0=$(now_ns)
	created=0
	while [ $created -lt "$max" ] && [ $((($(now_ns) - t0) / 1000000000)) -lt "$budget" ]; do
		id=$((1000 + created))
		/usr/sbin/ctlvz create $id --ostemplate busybox >/dev/null ||
			fail "ctlvz create $id"
		/usr/sbin/ctlvz set $id --ram 16M --save >/dev/null || fail "ctlvz set $id"
		created=$((created + 1))
	done
	say "created $created private areas in $((($(now_ns) - t0) / 1000000)) ms"
	sync
	echo 3 > /proc/sys/vm/drop_caches
	avail0=$(meminfo MemAvailable)
	slab0=$(meminfo Slab)
	started=0
	why="all $created started"
	t0=$(now_ns)
	while [ $started -lt "$created" ]; do
		if [ $((($(now_ns) - t0) / 1000000000)) -ge "$budget" ]; then
			why="time budget of ${budget}s reached"
			break
		fi
		if [ "$(meminfo MemAvailable)" -lt 65536 ]; then
			why="MemAvailable below 64 MiB"
			break
		fi
		id=$((1000 + started))
		if ! /usr/sbin/ctlvz start $id >/tmp/density.err 2>&1; then
			why="ctlvz start $id failed: $(head -c 200 /tmp/density.err)"
			break
		fi
		started=$((started + 1))
	done
	t1=$(now_ns)
	sleep 2
	echo 3 > /proc/sys/vm/drop_caches
	avail1=$(meminfo MemAvailable)
	slab1=$(meminfo Slab)
	running=$(find "$CG/ctlvz" -mindepth 1 -maxdepth 1 -type d -name '[0-9]*' | wc -l)
	[ "$running" -eq "$started" ] || fail "density: $started started but $running cgroups"
	[ "$started" -gt 0 ] || fail "density: no container started ($why)"
	echo "BENCH|density|started|$started|created|$created|ms|$(((t1 - t0) / 1000000))|avail_kib_per_ct|$(((avail0 - avail1) / started))|slab_kib_per_ct|$(((slab1 - slab0) / started))|why|$why"
	bcs=$(grep -c '^ *[0-9]*:' /proc/user_beancounters || true)
	echo "BENCH|density|beancounters|$bcs"
fi

say "done"
