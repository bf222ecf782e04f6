#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh REL: build build/REL/initramfs.cpio.gz, the whole root file
# system of the test VM for kernel release REL:
#
#   /init                          scripts/vm-init.sh
#   /bin/busybox + applet links    busybox-static
#   /lib/vzbc/vzbc.ko              build/REL/src/vzbc.ko (scripts/build-module.sh)
#   /lib/modules/REL/...           virtio, virtio_blk, veth (+ deps), decompressed,
#                                  lowfat.load lists them in load order
#   /usr/lib/lowfat/tests/         every executable under build/tests/
#   /usr/lib/lowfat/demo-in-vm.sh  scripts/demo-in-vm.sh, if present
#   /usr/sbin/ctlvz                build/userspace/ctlvz, if built
#   /etc/ctlvz/                    etc/ctlvz/: ctlvz.conf and the conf/*.conf-sample plans
#   /vz/template/cache/            every file in build/templates/
#   shared libraries               of every ELF file above (ldd on the host)
#
# LOWFAT_EXTRA_MODULES="a b" adds more of the kernel's own modules.
# LOWFAT_OVERLAY=DIR copies DIR's tree over the image after everything else
# (before the shared library scan, so its executables get their libraries):
# scripts/bench.sh adds the benchmark programs and the peer engines this way.
# Unset (as in make check), the image is exactly the one described above.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || die "usage: ${0##*/} REL"
rel=$1
moddir=/lib/modules/$rel
[ -f "$moddir/modules.dep" ] || die "$moddir/modules.dep missing; is $rel installed?"

out=$LOWFAT_BUILD/$rel
lock_build "$rel"
stage=$out/initramfs
image=$out/initramfs.cpio.gz
busybox=${BUSYBOX:-/bin/busybox}
[ -x "$busybox" ] || die "$busybox missing; run scripts/deps.sh (busybox-static)"

rm -rf "$stage"
mkdir -p "$out"
mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,etc,root,proc,sys,dev,tmp,run,mnt} \
	 "$stage"/{lib/vzbc,usr/lib/lowfat/tests,vz/template/cache}

# --- busybox and its applets -------------------------------------------------
install -m 0755 "$busybox" "$stage/bin/busybox"
while read -r applet; do
	[ -e "$stage/$applet" ] || [ -L "$stage/$applet" ] ||
		ln -s /bin/busybox "$stage/$applet"
done < <("$busybox" --list-full)

# --- our module ----------------------------------------------------------------
if [ -f "$out/src/vzbc.ko" ]; then
	install -m 0644 "$out/src/vzbc.ko" "$stage/lib/vzbc/vzbc.ko"
else
	log "warning: $out/src/vzbc.ko missing (run scripts/build-module.sh $rel); the VM will fail to load it"
fi

# --- the kernel's own modules, with dependencies, in load order --------------
# modules.dep: "kernel/a/b.ko.xz: kernel/c.ko.xz kernel/d.ko.xz", where the
# dependencies of a module are listed so that loading them right to left works.
declare -A dep_line=()
while IFS= read -r line; do
	path=${line%%:*}
	name=${path##*/}
	name=${name%%.ko*}
	dep_line[${name//-/_}]=$line
done < "$moddir/modules.dep"

is_builtin() {
	local name=$1

	sed -E 's|.*/||; s|\.ko$||; s|-|_|g' "$moddir/modules.builtin" |
		grep -qx -- "$name"
}

load_order=()
declare -A queued=()
queue_path() {
	local path=$1

	[ -n "${queued[$path]:-}" ] && return 0
	queued[$path]=1
	load_order+=("$path")
}

wanted=(virtio virtio_ring virtio_pci virtio_blk veth)
read -r -a extra <<< "${LOWFAT_EXTRA_MODULES:-}"
wanted+=("${extra[@]}")
for m in "${wanted[@]}"; do
	m=${m//-/_}
	line=${dep_line[$m]:-}
	if [ -z "$line" ]; then
		is_builtin "$m" || die "module $m is neither in $moddir/modules.dep nor built in"
		continue
	fi
	read -r -a deps <<< "${line#*:}"
	for ((i = ${#deps[@]} - 1; i >= 0; i--)); do
		queue_path "${deps[i]}"
	done
	queue_path "${line%%:*}"
done

kmods=$stage/lib/modules/$rel
mkdir -p "$kmods"
: > "$kmods/lowfat.load"
for path in "${load_order[@]}"; do
	dst=$kmods/${path%.ko*}.ko
	mkdir -p "${dst%/*}"
	case $path in
	*.ko)     cp "$moddir/$path" "$dst" ;;
	*.ko.xz)  xz -dc "$moddir/$path" > "$dst" ;;
	*.ko.zst) zstd -q -dc "$moddir/$path" > "$dst" ;;
	*.ko.gz)  gzip -dc "$moddir/$path" > "$dst" ;;
	*) die "unknown module compression: $path" ;;
	esac
	echo "${path%.ko*}.ko" >> "$kmods/lowfat.load"
done
# A modules.dep for the decompressed set, so busybox modprobe also works.
for f in modules.order modules.builtin modules.builtin.modinfo; do
	[ -f "$moddir/$f" ] && cp "$moddir/$f" "$kmods/"
done
depmod -b "$stage" "$rel"

# --- tests, tools, templates, demo -----------------------------------------
if [ -d "$LOWFAT_BUILD/tests" ]; then
	while IFS= read -r -d '' f; do
		rel_path=${f#"$LOWFAT_BUILD/tests/"}
		install -D -m 0755 "$f" "$stage/usr/lib/lowfat/tests/$rel_path"
	done < <(find "$LOWFAT_BUILD/tests" -type f -perm -u+x -print0)
fi
if [ -x "$LOWFAT_BUILD/userspace/ctlvz" ]; then
	install -m 0755 "$LOWFAT_BUILD/userspace/ctlvz" "$stage/usr/sbin/ctlvz"
fi
# ctlvz's global config and plans, where "make install" puts them.
if [ -d "$LOWFAT_ROOT/etc/ctlvz" ]; then
	install -D -m 0644 "$LOWFAT_ROOT/etc/ctlvz/ctlvz.conf" "$stage/etc/ctlvz/ctlvz.conf"
	install -d "$stage/etc/ctlvz/conf"
	install -m 0644 "$LOWFAT_ROOT"/etc/ctlvz/conf/*.conf-sample "$stage/etc/ctlvz/conf/"
fi
if [ -d "$LOWFAT_BUILD/templates" ]; then
	find "$LOWFAT_BUILD/templates" -maxdepth 1 -type f \
		-exec cp {} "$stage/vz/template/cache/" \;
fi
if [ -f "$LOWFAT_ROOT/scripts/demo-in-vm.sh" ]; then
	install -m 0755 "$LOWFAT_ROOT/scripts/demo-in-vm.sh" \
		"$stage/usr/lib/lowfat/demo-in-vm.sh"
fi
install -m 0755 "$LOWFAT_ROOT/scripts/vm-init.sh" "$stage/init"
if [ -n "${LOWFAT_OVERLAY:-}" ]; then
	[ -d "$LOWFAT_OVERLAY" ] || die "LOWFAT_OVERLAY=$LOWFAT_OVERLAY is not a directory"
	# --remove-destination: an overlay file replaces a busybox applet link.
	cp -a --remove-destination "$LOWFAT_OVERLAY/." "$stage/"
fi

# --- shared libraries of every ELF executable ---------------------------------
is_elf() {
	[ "$(head -c 4 "$1" | od -An -tx1 | tr -d ' \n')" = 7f454c46 ]
}
declare -A libs=()
while IFS= read -r -d '' f; do
	is_elf "$f" || continue
	# "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)" and
	# "/lib64/ld-linux-x86-64.so.2 (0x...)"; static binaries print nothing.
	while read -r lib; do
		libs[$lib]=1
	done < <(ldd "$f" 2>/dev/null |
		 sed -nE 's@^.*=> (/[^ ]+) .*@\1@p; s@^[[:space:]]*(/[^ ]+) \(0x.*@\1@p')
done < <(find "$stage" -type f \( -path '*/bin/*' -o -path '*/sbin/*' \
	-o -path '*/usr/lib/lowfat/*' \) -perm -u+x -print0)
for lib in "${!libs[@]}"; do
	[ -e "$stage$lib" ] && continue
	install -D -m 0755 "$(readlink -f "$lib")" "$stage$lib"
done

# --- minimal /etc and device nodes -------------------------------------------
cat > "$stage/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PASSWD
cat > "$stage/etc/group" <<'GROUP'
root:x:0:
nogroup:x:65534:
GROUP
echo lowfat > "$stage/etc/hostname"
printf '%s\n' "$rel" > "$stage/etc/lowfat-kernel"
# The kernel opens /dev/console before /init runs; vm-init.sh copes without
# it (it reopens the console after mounting devtmpfs), but only root can mknod.
if [ "$(id -u)" -eq 0 ]; then
	mknod -m 0600 "$stage/dev/console" c 5 1
	mknod -m 0666 "$stage/dev/null" c 1 3
fi

# --- pack ---------------------------------------------------------------------
tmp=$(mktemp "$image.XXXXXX")
(cd "$stage" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --owner=0:0 --quiet) | gzip -n -6 > "$tmp"
chmod 0644 "$tmp"
mv "$tmp" "$image"
names=()
for path in "${load_order[@]}"; do
	name=${path##*/}
	names+=("${name%%.ko*}")
done
log "$image: $(du -h "$image" | cut -f1); kernel modules: ${names[*]}"
