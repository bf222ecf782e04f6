#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dkms-check.sh: Debian's dkms adds, builds, installs, uninstalls and removes
# vzbc (kmod/dkms.conf) for both kernels the tests run on (newest installed
# 6.1 and 6.12 cloud kernels, scripts/lib.sh kernel_rel).  Everything lives
# in a private DKMS tree, build/dkms/ (source, dkms and install trees: the
# system's /usr/src, /var/lib/dkms and /lib/modules are not touched), which
# is made anew on every run.  Exits non-zero on the first failure.
#
#   scripts/dkms-check.sh             both kernels
#   KERNELS="6.12" scripts/dkms-check.sh
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

command -v dkms >/dev/null || die "dkms is not installed (scripts/deps.sh installs it)"
read -r -a kernels <<< "${KERNELS:-6.1 6.12}"
[ ${#kernels[@]} -gt 0 ] || die "KERNELS is empty"

conf=$LOWFAT_ROOT/kmod/dkms.conf
name=$(sed -n 's/^PACKAGE_NAME="\(.*\)"$/\1/p' "$conf")
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$conf")
if [ -z "$name" ] || [ -z "$ver" ]; then
	die "$conf: no PACKAGE_NAME or PACKAGE_VERSION"
fi

top=$LOWFAT_BUILD/dkms
rm -rf "$top"
mkdir -p "$top/source" "$top/tree" "$top/install"
opts=(--sourcetree "$top/source" --dkmstree "$top/tree"
	--installtree "$top/install" -m "$name" -v "$ver")

# The source tree DKMS copies from: kmod/ with include/, as for the VM.
"$LOWFAT_ROOT/scripts/build-module.sh" --stage "$top/source/$name-$ver"
log "dkms add $name/$ver"
dkms add "${opts[@]}"

for series in "${kernels[@]}"; do
	rel=$(kernel_rel "$series") || die "no installed $series cloud kernel with headers"
	log "dkms build and install $name/$ver for $rel"
	dkms build "${opts[@]}" -k "$rel"
	mkdir -p "$top/install/$rel"
	dkms install "${opts[@]}" --no-depmod -k "$rel"
	ko=$(find "$top/install/$rel" -name "$name.ko*" -print -quit)
	[ -n "$ko" ] || die "dkms install put no $name.ko under $top/install/$rel"
	vermagic=$(modinfo -F vermagic "$ko")
	[ "${vermagic%% *}" = "$rel" ] ||
		die "$ko: vermagic '$vermagic', not for $rel"
	dkms status "${opts[@]}" -k "$rel" | grep -q installed ||
		die "dkms status does not say $name/$ver is installed for $rel"
	dkms uninstall "${opts[@]}" --no-depmod -k "$rel"
	[ ! -e "$ko" ] || die "dkms uninstall left $ko"
	log "$rel: built, installed ($ko), uninstalled"
done

dkms remove "${opts[@]}" --all
[ ! -e "$top/tree/$name/$ver" ] || die "dkms remove left $top/tree/$name/$ver"
log "dkms add/build/install/uninstall/remove passed for: ${kernels[*]}"
