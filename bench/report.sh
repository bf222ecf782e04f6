#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# report.sh RAW OUTDIR: turns the "BENCH|..." lines of one make bench run
# (RAW, written by scripts/bench.sh) into OUTDIR/results.md (the tables)
# and OUTDIR/bench.png (gnuplot: start latency, accounting ratios, time per
# beancounter).  Host-side, POSIX sh + awk + gnuplot.
set -eu

[ $# -eq 2 ] || { echo "usage: report.sh RAW OUTDIR" >&2; exit 2; }
raw=$1
out=$2
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

meta() { awk -F'|' -v k="$1" '$2 == "meta" && $3 == k { v = $4 } END { print v }' "$raw"; }

# --- data files for gnuplot ------------------------------------------------------
awk -F'|' '$2 == "start" && $4 == "summary" { print $3, $6 / 1000, $7 / 1000 }' "$raw" > "$tmp/start.dat"
awk -F'|' '$2 == "acct" && $4 == "summary" { print $3, $8, $9, $10, $11 }' "$raw" > "$tmp/acct.dat"
awk -F'|' '$2 == "scale" { print $3, $5, $7, $9 }' "$raw" > "$tmp/scale.dat"

# --- slope of the time per beancounter -------------------------------------------
# Least squares of ns/bc against log10(N) over N >= 100 (below, the fixed
# cost of one call is spread over too few beancounters to say anything):
# ns per decade; flat means near 0 next to the value itself.
slope() {
	awk -v col="$1" '$1 >= 100 { x = log($1) / log(10); y = $col; n++; sx += x; sy += y; sxx += x * x; sxy += x * y }
		END { if (n < 2) { print "n/a"; exit } d = n * sxx - sx * sx; printf "%+.0f", (n * sxy - sx * sy) / d }' "$tmp/scale.dat"
}
ratio_hi() {
	awk -v col="$1" 'NR == 1 { } $1 == 100 { lo = $col } { hi = $col; n = $1 }
		END { if (lo > 0 && n > 100) printf "%.2f", hi / lo; else print "n/a" }' "$tmp/scale.dat"
}

# --- results.md --------------------------------------------------------------------
{
	echo "# make bench results"
	echo
	echo "Run $(meta date), commit $(meta commit), kernel $(meta kernel), $(meta cpus) vCPUs (QEMU TCG),"
	echo "$(($(meta memtotal_kib) / 1024)) MiB guest RAM; host: $(meta host_cpus) cores, load average"
	echo "$(meta host_load_before) before and $(meta host_load_after) after the VM, which ran $(meta vm_seconds) s."
	echo "Peers: $(awk -F'|' '$2 == "meta" && $3 == "version" { printf "%s%s: %s", s, $4, $5; s = "; " }' "$raw")."
	echo
	echo "## 1. Start latency (command to /bin/true run in a fresh container, container gone)"
	echo
	echo "| engine | runs | median ms | p95 ms | min ms | max ms | median / crun |"
	echo "|---|---:|---:|---:|---:|---:|---:|"
	awk -F'|' '$2 == "start" && $4 == "summary" { name[++n] = $3; r[n] = $5; med[n] = $6; p95[n] = $7; mn[n] = $8; mx[n] = $9; if ($3 == "crun") c = $6 }
		END { for (i = 1; i <= n; i++) printf "| %s | %d | %.1f | %.1f | %.1f | %.1f | %s |\n", name[i], r[i], med[i] / 1000, p95[i] / 1000, mn[i] / 1000, mx[i] / 1000, c ? sprintf("%.2f", med[i] / c) : "n/a" }' "$raw"
	echo
	echo "Where the time of the multi-command rows goes (median of each command):"
	echo
	awk -F'|' '$2 == "startcmd" { printf "- %s: %s %.1f ms\n", $3, $6, $5 / 1000 }' "$raw"
	echo
	echo "## 2. Accounting overhead (vzbc loaded and bound / not loaded, same boot, interleaved)"
	echo
	echo "| loop | reps | off ns/op | on ns/op | on/off (median) | on/off p25..p75 | target 1.02 | loaded, unbound / off |"
	echo "|---|---:|---:|---:|---:|---:|---|---:|"
	awk -F'|' '$2 == "acct" && $4 == "summary" { printf "| %s | %d | %d | %d | %.3f | %.3f..%.3f | %s | %.3f |\n", $3, $5, $6, $7, $8, $9, $10, ($10 <= 1.02 ? "met" : $9 > 1.02 ? "NOT met" : "unresolved: p25..p75 spans 1.02"), $11 }' "$raw"
	echo
	echo "## 3. Scaling (time per beancounter; get: time per call)"
	echo
	echo "| beancounters | /proc read ns/bc | netlink dump ns/bc | GET ioctl ns/call |"
	echo "|---:|---:|---:|---:|"
	awk '{ printf "| %d | %d | %d | %d |\n", $1, $2, $3, $4 }' "$tmp/scale.dat"
	echo
	echo "Slope over 100..max beancounters (least squares, ns per decade of N):"
	echo "/proc $(slope 2), dump $(slope 3), GET $(slope 4);"
	echo "ratio of the largest N to N=100: /proc $(ratio_hi 2), dump $(ratio_hi 3), GET $(ratio_hi 4)."
	echo
	awk -F'|' '$2 == "slab" { b = $3; v = $4; top = $5 } END { if (b) printf "Slab memory per beancounter (sum of active_objs x objsize over /proc/slabinfo, before and after binding %d beancounters to existing cgroups): %d bytes; largest caches: %s.\n", b, v, top }' "$raw"
	echo
	echo "## 4. Density (busybox init, 16 MiB memory limit each, 4 GiB VM)"
	echo
	awk -F'|' '$2 == "density" && $3 == "started" {
		printf "| containers started | of created | time to start all | per container | host memory per container (MemAvailable delta / n) | Slab delta / n | stopped because |\n"
		printf "|---:|---:|---:|---:|---:|---:|---|\n"
		printf "| %d | %d | %.1f s | %.0f ms | %d KiB | %d KiB | %s |\n", $4, $6, $8 / 1000, $8 / $4, $10, $12, $14 }' "$raw"
} > "$out/results.md"

# --- bench.png ----------------------------------------------------------------------
if command -v gnuplot >/dev/null; then
	# A part that did not run (BENCH_PARTS) leaves its panel empty.
	plot_or_empty() {
		if [ -s "$1" ]; then echo "$2"; else echo 'plot [0:1] [0:1] NaN title "not run"'; fi
	}
	gnuplot <<EOF
set terminal pngcairo size 1400,1000 font ",10" noenhanced
set output "$out/bench.png"
set multiplot layout 2,2 title "lowfat make bench, $(meta date), kernel $(meta kernel), TCG, host load $(meta host_load_before)"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set grid ytics
set key top left
set title "1. start latency (ms)"
set ylabel "ms"
$(plot_or_empty "$tmp/start.dat" "plot \"$tmp/start.dat\" using 2:xtic(1) title \"median\", \"\" using 3 title \"p95\"")
set title "2. accounting overhead: vzbc bound / unloaded (target 1.02)"
set ylabel "ratio"
set yrange [0:*]
$(plot_or_empty "$tmp/acct.dat" "plot \"$tmp/acct.dat\" using 2:xtic(1) title \"bound / unloaded\", \"\" using 5 title \"loaded, unbound / unloaded\", 1.02 with lines lw 2 title \"target\"")
unset yrange
set style data linespoints
set title "3. time per beancounter"
$([ -s "$tmp/scale.dat" ] && echo "set logscale xy")
set xlabel "beancounters"
set ylabel "ns per beancounter (GET: per call)"
$(plot_or_empty "$tmp/scale.dat" "plot \"$tmp/scale.dat\" using 1:2 title \"/proc read\", \"\" using 1:3 title \"netlink dump\", \"\" using 1:4 title \"GET ioctl\"")
unset logscale xy
unset xlabel
set title "density"
unset border
unset tics
unset ylabel
$(awk -F'|' '$2 == "density" && $3 == "started" {
	printf "set label 1 \"%d containers started (of %d created) in %.1f s\" at graph 0.05, graph 0.7\n", $4, $6, $8 / 1000
	printf "set label 2 \"host memory per container: %d KiB (slab %d KiB)\" at graph 0.05, graph 0.6\n", $10, $12
	printf "set label 3 \"stopped because: %s\" at graph 0.05, graph 0.5\n", $14 }' "$raw")
plot [0:1] [0:1] NaN notitle
unset multiplot
EOF
fi
