// SPDX-License-Identifier: GPL-2.0
/*
 * bench_acct: what vzbc's accounting costs the tasks it accounts.
 *
 *   bench_acct [-r REPS] [-s SCALE] [-d DISK] MODULE CGROUP
 *
 * Moves itself into CGROUP (a cgroup v2 directory with pids.max,
 * memory.max and io.max set by the caller), then REPS times measures four
 * loops in three states: vzbc unloaded (delete_module; "off"), loaded from
 * MODULE but bound to nothing ("idle": its probes fire, find no
 * beancounter), and loaded and bound to CGROUP (VZBC_IOC_CREATE; "on").
 * Repetition r takes the states in the order off,idle,on rotated by r and
 * reversed every other r, so that a slow drift of the host weighs on all
 * three alike:
 *
 *   fork     fork(), the child _exit(0)s, waitpid()
 *   thread   pthread_create() of a thread that returns at once, join
 *   fault    first touch of each 4 KiB page of a fresh 32 MiB mapping
 *   dio      4 KiB O_DIRECT write to DISK (sequential over its first 64 MiB)
 *
 * Each loop is timed on CLOCK_MONOTONIC; SCALE multiplies the iteration
 * counts.  Output (scripts/bench.sh collects it):
 *   BENCH|acct|LOOP|rep|R|on|NS_PER_OP|off|NS_PER_OP|idle|NS_PER_OP
 *   BENCH|acct|LOOP|summary|REPS|OFF_MEDIAN_NS|ON_MEDIAN_NS|RATIO|RATIO_P25|RATIO_P75|IDLE_RATIO
 * where RATIO is the median of the per-repetition on/off ratios and
 * IDLE_RATIO the median of idle/off (what the probes cost by themselves).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/vzbc.h>

#include "bc.h"
#include "common.h"

#define BENCH_CTID	4242
#define FAULT_BYTES	(32UL << 20)
#define DIO_SPAN	(64UL << 20)
#define DIO_BLOCK	4096

enum { LOOP_FORK, LOOP_THREAD, LOOP_FAULT, LOOP_DIO, NR_LOOPS };
static const char *const loop_name[NR_LOOPS] = { "fork", "thread", "fault", "dio" };
/* Iterations per measurement at SCALE 1: about a second each under TCG. */
static const long loop_iters[NR_LOOPS] = { 300, 1000, 4, 1500 };

static const char *module_path, *cgroup_path, *disk_path = "/dev/vda";
static int dio_fd = -1;
static void *dio_buf;

/* ---- vzbc on and off ---- */

/* Loads vzbc; binds CGROUP to a beancounter if @bind. */
static void vzbc_on(int bind)
{
	int mfd, dev = -1, cg, r;

	mfd = open(module_path, O_RDONLY | O_CLOEXEC);
	if (mfd < 0)
		die("open %s", module_path);
	if (syscall(SYS_finit_module, mfd, "", 0) < 0)
		die("finit_module %s", module_path);
	close(mfd);
	/* devtmpfs creates the node asynchronously. */
	for (int i = 0; i < 500 && dev < 0; i++) {
		dev = bc_open(0, NULL);
		if (dev < 0)
			usleep(10000);
	}
	if (dev < 0) {
		errno = -dev;
		die("open /dev/vzbc");
	}
	if (!bind) {
		close(dev);
		return;
	}
	cg = open(cgroup_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cg < 0)
		die("open %s", cgroup_path);
	r = bc_create(dev, BENCH_CTID, cg, NULL);
	if (r < 0) {
		errno = -r;
		die("VZBC_IOC_CREATE %u on %s", BENCH_CTID, cgroup_path);
	}
	close(cg);
	close(dev);
}

/* Unbinds (if @bound) and unloads vzbc. */
static void vzbc_off(int bound)
{
	int dev = bc_open(0, NULL), r;

	if (dev < 0) {
		errno = -dev;
		die("open /dev/vzbc");
	}
	r = bound ? bc_destroy(dev, BENCH_CTID, NULL) : 0;
	if (r < 0) {
		errno = -r;
		die("VZBC_IOC_DESTROY %u", BENCH_CTID);
	}
	close(dev);
	/* A reference dropped after an RCU grace period may hold it briefly. */
	for (int i = 0;; i++) {
		if (syscall(SYS_delete_module, "vzbc", O_NONBLOCK) == 0)
			break;
		if (errno != EBUSY && errno != EAGAIN)
			die("delete_module vzbc");
		if (i == 500)
			die("delete_module vzbc still busy after 5 s");
		usleep(10000);
	}
}

/* ---- the loops ---- */

static void loop_fork(long n)
{
	for (long i = 0; i < n; i++) {
		int status;
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (pid == 0)
			_exit(0);
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
			die("waitpid");
	}
}

static void *thread_fn(void *arg)
{
	return arg;
}

static void loop_thread(long n)
{
	for (long i = 0; i < n; i++) {
		pthread_t t;
		int e = pthread_create(&t, NULL, thread_fn, NULL);

		if (e) {
			errno = e;
			die("pthread_create");
		}
		pthread_join(t, NULL);
	}
}

/* Returns the number of pages touched. */
static long loop_fault(long n)
{
	long pages = 0, psz = sysconf(_SC_PAGESIZE);

	for (long i = 0; i < n; i++) {
		char *p = mmap(NULL, FAULT_BYTES, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			die("mmap");
		for (unsigned long off = 0; off < FAULT_BYTES; off += psz)
			p[off] = 1;
		pages += FAULT_BYTES / psz;
		munmap(p, FAULT_BYTES);
	}
	return pages;
}

static void loop_dio(long n)
{
	static unsigned long off;

	for (long i = 0; i < n; i++) {
		if (pwrite(dio_fd, dio_buf, DIO_BLOCK, off) != DIO_BLOCK)
			die("pwrite %s at %lu", disk_path, off);
		off = (off + DIO_BLOCK) % DIO_SPAN;
	}
}

static double measure(int loop, long scale)
{
	long n = loop_iters[loop] * scale, ops = n;
	double t0 = now_ns(), t;

	switch (loop) {
	case LOOP_FORK:
		loop_fork(n);
		break;
	case LOOP_THREAD:
		loop_thread(n);
		break;
	case LOOP_FAULT:
		ops = loop_fault(n);
		break;
	case LOOP_DIO:
		loop_dio(n);
		break;
	}
	t = now_ns() - t0;
	return t / ops;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Linear-interpolated quantile of v[0..n), sorted in place. */
static double quantile(double *v, int n, double q)
{
	double pos;
	int i;

	qsort(v, n, sizeof(*v), cmp_double);
	pos = q * (n - 1);
	i = (int)pos;
	if (i >= n - 1)
		return v[n - 1];
	return v[i] + (pos - i) * (v[i + 1] - v[i]);
}

static void enter_cgroup(void)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/cgroup.procs", cgroup_path);
	f = fopen(path, "w");
	if (!f || fprintf(f, "%d\n", getpid()) < 0 || fclose(f) == EOF)
		die("join %s", path);
}

int main(int argc, char **argv)
{
	int reps = 8, opt;
	long scale = 1;
	double *on[NR_LOOPS], *off[NR_LOOPS], *idle[NR_LOOPS];
	double *ratio[NR_LOOPS], *iratio[NR_LOOPS];

	while ((opt = getopt(argc, argv, "r:s:d:")) != -1) {
		switch (opt) {
		case 'r':
			reps = atoi(optarg);
			break;
		case 's':
			scale = atol(optarg);
			break;
		case 'd':
			disk_path = optarg;
			break;
		default:
			goto usage;
		}
	}
	if (optind != argc - 2 || reps < 1 || scale < 1)
		goto usage;
	module_path = argv[optind];
	cgroup_path = argv[optind + 1];

	dio_fd = open(disk_path, O_RDWR | O_DIRECT | O_CLOEXEC);
	if (dio_fd < 0)
		die("open %s O_DIRECT", disk_path);
	if (posix_memalign(&dio_buf, DIO_BLOCK, DIO_BLOCK))
		die("posix_memalign");
	memset(dio_buf, 0x5a, DIO_BLOCK);
	enter_cgroup();
	for (int l = 0; l < NR_LOOPS; l++) {
		on[l] = calloc(reps, sizeof(double));
		off[l] = calloc(reps, sizeof(double));
		idle[l] = calloc(reps, sizeof(double));
		ratio[l] = calloc(reps, sizeof(double));
		iratio[l] = calloc(reps, sizeof(double));
		if (!on[l] || !off[l] || !idle[l] || !ratio[l] || !iratio[l])
			die("calloc");
	}

	/* vzbc is loaded when we start (vm-init.sh loads it): off first. */
	if (syscall(SYS_delete_module, "vzbc", O_NONBLOCK) < 0 && errno != ENOENT)
		die("delete_module vzbc (is a container still running?)");
	/* One untimed pass of each loop warms caches and the disk. */
	for (int l = 0; l < NR_LOOPS; l++)
		measure(l, 1);

	for (int r = 0; r < reps; r++) {
		for (int k = 0; k < 3; k++) {
			/* 0 off, 1 idle, 2 on: rotated by r, reversed on odd r. */
			int state = (r + (r % 2 ? 2 - k : k)) % 3;

			if (state)
				vzbc_on(state == 2);
			for (int l = 0; l < NR_LOOPS; l++) {
				double ns = measure(l, scale);

				(state == 2 ? on : state == 1 ? idle : off)[l][r] = ns;
			}
			if (state)
				vzbc_off(state == 2);
		}
		for (int l = 0; l < NR_LOOPS; l++) {
			ratio[l][r] = on[l][r] / off[l][r];
			iratio[l][r] = idle[l][r] / off[l][r];
			printf("BENCH|acct|%s|rep|%d|on|%.0f|off|%.0f|idle|%.0f\n", loop_name[l], r,
			       on[l][r], off[l][r], idle[l][r]);
		}
		fflush(stdout);
	}
	for (int l = 0; l < NR_LOOPS; l++) {
		double mon = quantile(on[l], reps, 0.5), moff = quantile(off[l], reps, 0.5);

		printf("BENCH|acct|%s|summary|%d|%.0f|%.0f|%.4f|%.4f|%.4f|%.4f\n", loop_name[l],
		       reps, moff, mon, quantile(ratio[l], reps, 0.5),
		       quantile(ratio[l], reps, 0.25), quantile(ratio[l], reps, 0.75),
		       quantile(iratio[l], reps, 0.5));
	}
	/* Leave vzbc loaded, as the VM had it. */
	vzbc_on(0);
	return 0;
usage:
	fprintf(stderr, "usage: bench_acct [-r REPS] [-s SCALE] [-d DISK] MODULE CGROUP\n");
	return 2;
}
