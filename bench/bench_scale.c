// SPDX-License-Identifier: GPL-2.0
/*
 * bench_scale: does reading the beancounters cost the same per beancounter
 * with 1 or 10000 of them?
 *
 *   bench_scale [-m MAX] [-t SECONDS] PARENT
 *
 * For N = 1, 10, 100, 1000, 10000 (up to MAX), creates cgroup directories
 * PARENT/bc<i> up to N, binds each to its own beancounter (VZBC_IOC_CREATE,
 * ctids from BASE_CTID on), then times, on CLOCK_MONOTONIC, for at least
 * SECONDS (default 1) and at least 3 rounds each:
 *
 *   proc   open + read to EOF + close of /proc/user_beancounters
 *   dump   one generic netlink dump of the VZBC family (VZBC_CMD_GET with
 *          NLM_F_DUMP), every reply received and parsed up to NLMSG_DONE
 *          by ctlvz's kernel client (bc_nl_dump(), libnl)
 *   get    VZBC_IOC_GET of one beancounter, every ctid in turn (bc_get())
 *
 * and prints the time per beancounter (proc, dump: the time of one read or
 * dump divided by N; get: the time of one call).  Around the binding of
 * each batch it sums /proc/slabinfo (active_objs * objsize over every
 * cache): the growth divided by the batch is the slab memory one
 * beancounter costs (the cgroup directories exist before the first sum).
 * Everything is destroyed and removed at the end.
 *
 * Output (scripts/bench.sh collects it):
 *   BENCH|scale|N|proc|NS_PER_BC|dump|NS_PER_BC|get|NS_PER_CALL
 *   BENCH|slab|BATCH|BYTES_PER_BC|CACHE:BYTES,...
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <linux/vzbc.h>

#include "bc.h"
#include "common.h"

#define BASE_CTID	200000
#define MAX_CACHES	512

static int vzfd = -1;
static const char *parent;
static char *rbuf;
static size_t rbuf_len = 1 << 20;

/* ---- slab usage ---- */

struct cache {
	char name[64];
	long long bytes;
};

static int slab_read(struct cache *c, int max)
{
	FILE *f = fopen("/proc/slabinfo", "r");
	char line[512];
	int n = 0;

	if (!f)
		die("open /proc/slabinfo");
	while (fgets(line, sizeof(line), f) && n < max) {
		long long active, total, objsize;
		char name[64];

		if (line[0] == '#' || !strncmp(line, "slabinfo", 8))
			continue;
		if (sscanf(line, "%63s %lld %lld %lld", name, &active, &total, &objsize) != 4)
			continue;
		snprintf(c[n].name, sizeof(c[n].name), "%s", name);
		c[n].bytes = active * objsize;
		n++;
	}
	fclose(f);
	return n;
}

static int cmp_delta(const void *a, const void *b)
{
	const struct cache *x = a, *y = b;

	return (y->bytes > x->bytes) - (y->bytes < x->bytes);
}

/* Prints the growth between two snapshots (same caches, same order). */
static void slab_report(struct cache *before, int nb, struct cache *after, int na, int batch)
{
	struct cache d[MAX_CACHES];
	long long total = 0;
	int n = 0;

	for (int i = 0; i < na; i++) {
		long long b = 0;

		for (int j = 0; j < nb; j++)
			if (!strcmp(before[j].name, after[i].name)) {
				b = before[j].bytes;
				break;
			}
		d[n] = after[i];
		d[n].bytes -= b;
		total += d[n].bytes;
		n++;
	}
	qsort(d, n, sizeof(d[0]), cmp_delta);
	printf("BENCH|slab|%d|%.0f|", batch, (double)total / batch);
	for (int i = 0; i < n && i < 6 && d[i].bytes > 0; i++)
		printf("%s%s:%.0f", i ? "," : "", d[i].name, (double)d[i].bytes / batch);
	printf("\n");
}

/* ---- binding ---- */

static void make_dirs(int from, int to)
{
	char path[512];

	for (int i = from; i < to; i++) {
		snprintf(path, sizeof(path), "%s/bc%d", parent, i);
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			die("mkdir %s", path);
	}
}

static void bind_range(int from, int to)
{
	char path[512];

	for (int i = from; i < to; i++) {
		int cgfd, r;

		snprintf(path, sizeof(path), "%s/bc%d", parent, i);
		cgfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (cgfd < 0)
			die("open %s", path);
		r = bc_create(vzfd, BASE_CTID + i, cgfd, NULL);
		if (r < 0) {
			errno = -r;
			die("VZBC_IOC_CREATE %u", BASE_CTID + i);
		}
		close(cgfd);
	}
}

static void unbind_all(int n)
{
	char path[512];

	for (int i = 0; i < n; i++) {
		int r = bc_destroy(vzfd, BASE_CTID + i, NULL);

		if (r < 0) {
			errno = -r;
			die("VZBC_IOC_DESTROY %u", BASE_CTID + i);
		}
		snprintf(path, sizeof(path), "%s/bc%d", parent, i);
		if (rmdir(path) < 0)
			die("rmdir %s", path);
	}
}

/* ---- the three readers ---- */

static long read_proc(void)
{
	int fd = open("/proc/user_beancounters", O_RDONLY | O_CLOEXEC);
	long total = 0;
	ssize_t r;

	if (fd < 0)
		die("open /proc/user_beancounters");
	while ((r = read(fd, rbuf, rbuf_len)) > 0)
		total += r;
	if (r < 0)
		die("read /proc/user_beancounters");
	close(fd);
	return total;
}

/* One full dump through the kernel client; returns the number of beancounters. */
static long nl_dump(void)
{
	struct bc_info *bcs = NULL;
	size_t nr = 0;
	int r = bc_nl_dump(&bcs, &nr, NULL);

	if (r < 0) {
		errno = -r;
		die("VZBC dump");
	}
	free(bcs);
	return nr;
}

static void get_one(__u32 ctid)
{
	struct vzbc_stat st[8];
	__u32 nr = 8;
	int r = bc_get(vzfd, ctid, st, &nr, NULL);

	if (r < 0) {
		errno = -r;
		die("VZBC_IOC_GET %u", ctid);
	}
}

int main(int argc, char **argv)
{
	static const int levels[] = { 1, 10, 100, 1000, 10000 };
	struct cache before[MAX_CACHES], after[MAX_CACHES];
	double min_ns = 1e9;
	int max = 10000, bound = 0, opt;

	while ((opt = getopt(argc, argv, "m:t:")) != -1) {
		switch (opt) {
		case 'm':
			max = atoi(optarg);
			break;
		case 't':
			min_ns = atof(optarg) * 1e9;
			break;
		default:
			goto usage;
		}
	}
	if (optind != argc - 1 || max < 1)
		goto usage;
	parent = argv[optind];
	rbuf = malloc(rbuf_len);
	if (!rbuf)
		die("malloc");
	vzfd = bc_open(0, NULL);
	if (vzfd < 0) {
		errno = -vzfd;
		die("open /dev/vzbc");
	}

	for (size_t l = 0; l < sizeof(levels) / sizeof(levels[0]) && levels[l] <= max; l++) {
		int n = levels[l], nb, na, rounds;
		double t0, t, proc_ns, dump_ns, get_ns;
		long msgs;

		make_dirs(bound, n);
		nb = slab_read(before, MAX_CACHES);
		bind_range(bound, n);
		na = slab_read(after, MAX_CACHES);
		if (n - bound >= 100)
			slab_report(before, nb, after, na, n - bound);
		bound = n;

		msgs = nl_dump();
		if (msgs != n) {
			errno = EPROTO;
			die("dump returned %ld beancounters, %d bound (another user of vzbc?)",
			    msgs, n);
		}
		read_proc();	/* warm */

		rounds = 0;
		t0 = now_ns();
		do {
			read_proc();
			rounds++;
		} while ((t = now_ns() - t0) < min_ns || rounds < 3);
		proc_ns = t / rounds / n;

		rounds = 0;
		t0 = now_ns();
		do {
			nl_dump();
			rounds++;
		} while ((t = now_ns() - t0) < min_ns || rounds < 3);
		dump_ns = t / rounds / n;

		rounds = 0;
		t0 = now_ns();
		do {
			for (int i = 0; i < n; i++)
				get_one(BASE_CTID + i);
			rounds++;
		} while ((t = now_ns() - t0) < min_ns || rounds < 3);
		get_ns = t / rounds / n;

		printf("BENCH|scale|%d|proc|%.0f|dump|%.0f|get|%.0f\n", n, proc_ns, dump_ns, get_ns);
		fflush(stdout);
	}
	unbind_all(bound);
	return 0;
usage:
	fprintf(stderr, "usage: bench_scale [-m MAX] [-t SECONDS] PARENT\n");
	return 2;
}
