#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# deps.sh: install the Debian 12 packages lowfat needs to build and to test
# in QEMU.  Idempotent: when everything is present it only asks dpkg and
# returns.  Must run as root when something is missing.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

PACKAGES=(
	# build
	make gcc libc6-dev pkg-config sparse perl dkms
	libnl-3-dev libnl-route-3-dev libnl-genl-3-dev libcap-dev
	# the two kernels we test on, their headers, and the 6.1 source tree
	# (kselftest_harness.h, checkpatch.pl)
	linux-image-cloud-amd64 linux-headers-cloud-amd64
	linux-image-6.12-cloud-amd64 linux-headers-6.12-cloud-amd64
	linux-source-6.1
	# VM and initramfs
	qemu-system-x86 busybox-static cpio kmod zstd xz-utils e2fsprogs
)

missing=()
for p in "${PACKAGES[@]}"; do
	status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
	case $status in
	ii*) ;;
	*) missing+=("$p") ;;
	esac
done

if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi

log "installing: ${missing[*]}"
[ "$(id -u)" -eq 0 ] || die "must be root to install packages (or install them: ${missing[*]})"
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${missing[@]}"
