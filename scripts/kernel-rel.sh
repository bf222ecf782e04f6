#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kernel-rel.sh SERIES: print the newest installed cloud kernel release of
# SERIES (e.g. "6.1" -> "6.1.0-57-cloud-amd64").  Fails if none has headers.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || die "usage: ${0##*/} SERIES (e.g. 6.1 or 6.12)"
kernel_rel "$1" || die "no $1.*-cloud-amd64 kernel with headers in /lib/modules; run scripts/deps.sh"
