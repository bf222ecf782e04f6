# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers shared by the lowfat scripts.  Source it, do not run it:
#   . "$(dirname "$0")/lib.sh"
# It sets LOWFAT_ROOT (the repository) and LOWFAT_BUILD (where everything
# is built: build/ in the repository unless LOWFAT_BUILD is set, e.g. to keep
# one's own runs apart when several people share a checkout).

LOWFAT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOWFAT_BUILD=${LOWFAT_BUILD:-$LOWFAT_ROOT/build}
export LOWFAT_BUILD

log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# kernel_rel SERIES: print the newest installed Debian cloud kernel release
# of SERIES ("6.1", "6.12") that has headers (/lib/modules/<rel>/build).
# Nothing is hard-coded: the release changes with every Debian update.
kernel_rel() {
	local series=$1 d rel best=

	for d in /lib/modules/"$series".*-cloud-amd64; do
		[ -d "$d/build" ] || continue
		rel=${d##*/}
		if [ -z "$best" ] ||
		   [ "$(printf '%s\n%s\n' "$best" "$rel" | sort -V | tail -n1)" = "$rel" ]; then
			best=$rel
		fi
	done
	[ -n "$best" ] || return 1
	printf '%s\n' "$best"
}

# series_of REL: "6.12.117+deb12-cloud-amd64" -> "6.12".
series_of() {
	local rel=$1

	printf '%s\n' "$rel" | sed -E 's/^([0-9]+\.[0-9]+).*/\1/'
}

# lock_build REL: hold build/REL for this process and its children, so that
# two runs for the same kernel (two people, or "make check" while someone
# boots a VM) never rebuild each other's initramfs or log.  check.sh takes it
# once for build, initramfs and boot; the scripts it runs see LOWFAT_LOCKED
# and do not lock again.  Released when the last holder of fd 9 exits.
lock_build() {
	local rel=$1

	[ "${LOWFAT_LOCKED:-}" = "$rel" ] && return 0
	mkdir -p "$LOWFAT_BUILD/$rel"
	exec 9> "$LOWFAT_BUILD/$rel/.lock"
	if ! flock -n 9; then
		log "waiting: another run is using $LOWFAT_BUILD/$rel"
		flock 9
	fi
	LOWFAT_LOCKED=$rel
	export LOWFAT_LOCKED
}

# boot_prepare REL: everything a boot of REL needs, under lock_build:
# vzbc.ko (build-module.sh) and the initramfs (mkinitramfs.sh, which takes
# LOWFAT_OVERLAY).  Returns 1 with the reason in BOOT_WHY; BOOT_WARNINGS is
# 1 if the module's build printed a warning or an error.
boot_prepare() {
	local rel=$1

	BOOT_WHY=
	BOOT_WARNINGS=0
	lock_build "$rel"
	if ! "$LOWFAT_ROOT/scripts/build-module.sh" "$rel"; then
		BOOT_WHY="module build FAILED, not booted"
		return 1
	fi
	if grep -Eiq 'warning:|error:' "$LOWFAT_BUILD/$rel/build.log"; then
		BOOT_WARNINGS=1
	fi
	if ! "$LOWFAT_ROOT/scripts/mkinitramfs.sh" "$rel"; then
		BOOT_WHY="initramfs FAILED, not booted"
		return 1
	fi
}

# boot_tests SERIES: the newest kernel of SERIES, prepared (boot_prepare)
# and booted with the test binaries (vm-run.sh REL tests; LOWFAT_TESTS and
# the other knobs pass through the environment).  Sets BOOT_REL, BOOT_PASSED,
# BOOT_FAILED (the tests' failures plus one for each problem of the kernel's
# run: no kernel, a failed build, build warnings, a VM that timed out,
# printed no result or showed a splat) and BOOT_NOTE (those problems, as
# ", what (+1 failed)" text for a summary line).
# shellcheck disable=SC2034 # BOOT_* are its results, read by the caller
boot_tests() {
	local series=$1 result p=0 f=0 problems=1

	BOOT_PASSED=0
	BOOT_FAILED=1
	BOOT_NOTE=
	if ! BOOT_REL=$(kernel_rel "$series"); then
		BOOT_REL="none"
		BOOT_NOTE=", no installed $series.*-cloud-amd64 kernel with headers (+1 failed)"
		return 0
	fi
	if ! boot_prepare "$BOOT_REL"; then
		BOOT_NOTE=", $BOOT_WHY (+1 failed)"
		return 0
	fi
	BOOT_FAILED=0
	if [ "$BOOT_WARNINGS" -ne 0 ]; then
		BOOT_FAILED=1
		BOOT_NOTE=", module build warnings (+1 failed)"
	fi
	"$LOWFAT_ROOT/scripts/vm-run.sh" "$BOOT_REL" tests || true
	result=$LOWFAT_BUILD/$BOOT_REL/result-tests
	if [ -r "$result" ]; then
		# "passed=N failed=M problems=K"
		read -r p f problems < <(sed -E 's/[a-z]+=//g' "$result")
	fi
	BOOT_PASSED=$p
	BOOT_FAILED=$((BOOT_FAILED + f))
	if [ "$problems" -ne 0 ]; then
		BOOT_FAILED=$((BOOT_FAILED + 1))
		BOOT_NOTE+=", VM problems: timeout, no result, splat or taint (+1 failed)"
	fi
}

# A run that ends with one line "N passed, M failed" (check.sh, stress.sh):
#   run_begin TITLE RESULT   counters to 0; on exit, whatever the cause,
#                            prints "==== lowfat TITLE summary", the summary
#                            lines and the last line, which also goes to
#                            $LOWFAT_BUILD/RESULT; exits 0 only if M is 0
#   run_fail TEXT            one more failure, TEXT in the summary
#   run_build                deps, kselftest headers, ctlvz, the tests and
#                            the templates (they do not depend on the kernel)
#   run_host SERIES...       the tests that need no VM: the host unit tests
#                            (make unit, each KTAP "ok"/"not ok" counted)
#                            and DKMS for every kernel (scripts/dkms-check.sh,
#                            one result per kernel)
#   run_kernel SERIES LOG    boot_tests SERIES, its numbers added, its
#                            summary line; the console log kept as
#                            build/REL/LOG (console-tests.log: as it is)
#   run_end                  the run got to its end (not stopped early)
run_begin() {
	RUN_TITLE=$1
	RUN_RESULT=$LOWFAT_BUILD/$2
	RUN_PASSED=0
	RUN_FAILED=0
	RUN_SUMMARY=()
	RUN_DONE=
	rm -f "$RUN_RESULT"
	trap run_finish EXIT
}

run_finish() {
	local rc=$? s

	trap - EXIT
	if [ -z "$RUN_DONE" ]; then
		RUN_FAILED=$((RUN_FAILED + 1))
		RUN_SUMMARY+=("${0##*/} stopped early (exit $rc; see above)")
	fi
	echo
	echo "==== lowfat $RUN_TITLE summary"
	for s in "${RUN_SUMMARY[@]}"; do
		echo "  $s"
	done
	# Kept for .ci/run, which repeats it after make's own epilogue.
	mkdir -p "$LOWFAT_BUILD"
	echo "$RUN_PASSED passed, $RUN_FAILED failed" | tee "$RUN_RESULT"
	[ "$RUN_FAILED" -eq 0 ] && exit 0
	exit 1
}

run_fail() {
	RUN_FAILED=$((RUN_FAILED + 1))
	RUN_SUMMARY+=("$1")
}

run_build() {
	"$LOWFAT_ROOT/scripts/deps.sh"
	"$LOWFAT_ROOT/scripts/kselftest-src.sh"
	if ! make -C "$LOWFAT_ROOT" --no-print-directory userspace tests templates; then
		run_fail "userspace/tests/templates build FAILED (see above)"
	fi
}

run_host() {
	local out rc=0 ok notok series

	out=$(make -s -C "$LOWFAT_ROOT" --no-print-directory unit 2>&1) || rc=$?
	printf '%s\n' "$out"
	ok=$(grep -c '^ok [0-9]' <<< "$out" || true)
	notok=$(grep -c '^not ok [0-9]' <<< "$out" || true)
	RUN_PASSED=$((RUN_PASSED + ok))
	RUN_FAILED=$((RUN_FAILED + notok))
	if [ "$rc" -ne 0 ] && [ "$notok" -eq 0 ]; then
		run_fail "host unit tests: make unit failed (exit $rc) with no failed test (see above)"
	else
		RUN_SUMMARY+=("host unit tests: passed=$ok failed=$notok")
	fi
	for series in "$@"; do
		if KERNELS=$series "$LOWFAT_ROOT/scripts/dkms-check.sh"; then
			RUN_PASSED=$((RUN_PASSED + 1))
			RUN_SUMMARY+=("$series: dkms add/build/install/remove passed")
		else
			run_fail "$series: dkms add/build/install/remove FAILED (see above)"
		fi
	done
}

run_kernel() {
	local series=$1 log=$2 start took out

	start=$(date +%s)
	boot_tests "$series"
	took=$(($(date +%s) - start))
	out=$LOWFAT_BUILD/$BOOT_REL
	if [ "$log" != console-tests.log ]; then
		cp -f "$out/console-tests.log" "$out/$log" 2>/dev/null || true
	fi
	RUN_PASSED=$((RUN_PASSED + BOOT_PASSED))
	RUN_FAILED=$((RUN_FAILED + BOOT_FAILED))
	RUN_SUMMARY+=("$series ($BOOT_REL): passed=$BOOT_PASSED failed=$BOOT_FAILED$BOOT_NOTE in ${took}s; log ${out#"$LOWFAT_ROOT"/}/$log")
}

run_end() {
	RUN_DONE=1
}
