/* SPDX-License-Identifier: GPL-2.0 */
/* What every bench program needs: an error exit and a monotonic clock. */
#ifndef LOWFAT_BENCH_COMMON_H
#define LOWFAT_BENCH_COMMON_H

/* Prints "PROG: <fmt>: <strerror(errno)>" and exits 1. */
void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* CLOCK_MONOTONIC in nanoseconds. */
double now_ns(void);

#endif
