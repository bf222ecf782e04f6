// SPDX-License-Identifier: GPL-2.0
/*
 * Limits to cgroup v2 files and vzbc SETs (the table is in limits.h),
 * written as one transaction (cgtx.h): all or nothing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "bc.h"
#include "blkdev.h"
#include "cgtx.h"
#include "lim.h"
#include "util.h"

#define CPU_PERIOD_US	((uint64_t)100000)

static char *bytes_or_max(uint64_t pages)
{
	return pages == LIM_UNLIMITED ? xstrdup("max") :
		xasprintf("%" PRIu64, pages * LIM_PAGE_BYTES);
}

/* The disks IO limits go to: the named ones, or the one @root lives on. */
static int io_disks(const struct ct_limits *l, const char *root, char ***out,
		    struct ct_err **err)
{
	_cleanup_strv_ char **disks = xzalloc(sizeof(char *));
	size_t i;

	if (l->iodevices && l->iodevices[0]) {
		for (i = 0; l->iodevices[i]; i++) {
			_cleanup_free_ char *d = NULL;

			if (blk_disk_named(l->iodevices[i], &d, err) < 0)
				return -1;
			disks = strv_push(disks, d);
		}
	} else {
		_cleanup_free_ char *d = NULL;
		int r = blk_disk_of(root, &d);

		if (r == -ENODEV)
			return err_set(err, VZ_INVALID_PARAMETER_VALUE, 0,
				       "IO limits: %s is not on a block device; "
				       "name the disks with --iodevice", root);
		if (r < 0)
			return err_set(err, VZ_SYSTEM_ERROR, -r,
				       "IO limits: find the disk of %s", root);
		disks = strv_push(disks, d);
	}
	*out = TAKE_PTR(disks);
	return 0;
}

/* The io.max line of @disk in @iomax now, or one that lifts every limit. */
static char *io_old_line(const char *iomax, const char *disk)
{
	size_t dl = strlen(disk);
	const char *p;

	for (p = iomax; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, disk, dl) && p[dl] == ' ')
			return strndup(p, strcspn(p, "\n"));
	return xasprintf("%s rbps=max wbps=max riops=max wiops=max", disk);
}

/* One io.max line per disk, and the line that puts each disk back. */
struct io_lines {
	char **set;
	char **old;
};

static void io_lines_free(struct io_lines *io)
{
	strv_free(io->set);
	strv_free(io->old);
}

static char *io_keys(const struct lim_value *v, const char *rd, const char *wr)
{
	if (!v->set)
		return xstrdup("");
	if (v->limit == LIM_UNLIMITED)
		return xasprintf(" %s=max %s=max", rd, wr);
	return xasprintf(" %s=%" PRIu64 " %s=%" PRIu64, rd, v->limit, wr, v->limit);
}

/* Everything IO limits need from the system, learnt before any write. */
static int io_prepare(const struct ct_limits *l, const struct cgtx *tx, const char *root,
		      struct io_lines *io, struct ct_err **err)
{
	const struct lim_value *bps = &l->v[LIM_IOLIMIT];
	const struct lim_value *iops = &l->v[LIM_IOPSLIMIT];
	_cleanup_strv_ char **disks = NULL;
	_cleanup_free_ char *iomax = NULL, *b = NULL, *o = NULL;
	size_t i;
	int r;

	io->set = xzalloc(sizeof(char *));
	io->old = xzalloc(sizeof(char *));
	if (!bps->set && !iops->set)
		return 0;
	if (io_disks(l, root, &disks, err) < 0)
		return -1;
	r = read_file_at(tx->dirfd, "io.max", &iomax);
	if (r < 0)
		return err_set(err, VZ_SYSTEM_ERROR, -r,
			       "read io.max (is the io controller enabled?)");
	b = io_keys(bps, "rbps", "wbps");
	o = io_keys(iops, "riops", "wiops");
	for (i = 0; disks[i]; i++) {
		_cleanup_free_ char *line = xasprintf("%s%s%s", disks[i], b, o);
		_cleanup_free_ char *old = io_old_line(iomax, disks[i]);

		io->set = strv_push(io->set, line);
		io->old = strv_push(io->old, old);
	}
	return 0;
}

static int write_cpu(const struct ct_limits *l, struct cgtx *tx, struct ct_err **err)
{
	const struct lim_value *pct = &l->v[LIM_CPULIMIT];
	const struct lim_value *cpus = &l->v[LIM_CPUS];
	const struct lim_value *units = &l->v[LIM_CPUUNITS];

	if (pct->set || cpus->set) {
		uint64_t quota = LIM_UNLIMITED;
		_cleanup_free_ char *v = NULL;

		if (pct->set && pct->limit != LIM_UNLIMITED)
			quota = pct->limit * CPU_PERIOD_US / 100;
		if (cpus->set && cpus->limit != LIM_UNLIMITED &&
		    cpus->limit * CPU_PERIOD_US < quota)
			quota = cpus->limit * CPU_PERIOD_US;
		v = quota == LIM_UNLIMITED ? xasprintf("max %" PRIu64, CPU_PERIOD_US) :
			xasprintf("%" PRIu64 " %" PRIu64, quota, CPU_PERIOD_US);
		if (cgtx_write(tx, "cpu.max", v, NULL, err) < 0)
			return -1;
	}
	if (units->set) {
		uint64_t w = units->limit / 10;
		_cleanup_free_ char *v = NULL;

		if (w < 1)
			w = 1;
		if (w > 10000)
			w = 10000;
		v = xasprintf("%" PRIu64, w);
		if (cgtx_write(tx, "cpu.weight", v, NULL, err) < 0)
			return -1;
	}
	return 0;
}

static int write_memory(const struct ct_limits *l, struct cgtx *tx, struct ct_err **err)
{
	const struct lim_value *v = &l->v[LIM_PHYSPAGES];
	const struct lim_value *sw = &l->v[LIM_SWAPPAGES];

	if (v->set) {
		/* A barrier of 0 is "no barrier": memory.high = max. */
		_cleanup_free_ char *high = bytes_or_max(v->barrier ? v->barrier : LIM_UNLIMITED);
		_cleanup_free_ char *max = bytes_or_max(v->limit);

		if (cgtx_write(tx, "memory.high", high, NULL, err) < 0 ||
		    cgtx_write(tx, "memory.max", max, NULL, err) < 0)
			return -1;
	}
	if (sw->set) {
		_cleanup_free_ char *max = bytes_or_max(sw->limit);

		if (cgtx_write(tx, "memory.swap.max", max, NULL, err) < 0)
			return -1;
	}
	return 0;
}

static int write_cgroup(const struct ct_limits *l, struct cgtx *tx, const struct io_lines *io,
			struct ct_err **err)
{
	const struct lim_value *v = &l->v[LIM_NUMPROC];

	if (v->set) {
		_cleanup_free_ char *max = v->limit == LIM_UNLIMITED ? xstrdup("max") :
			xasprintf("%" PRIu64, v->limit);

		if (cgtx_write(tx, "pids.max", max, NULL, err) < 0)
			return -1;
	}
	if (write_memory(l, tx, err) < 0)
		return -1;
	for (size_t i = 0; io->set[i]; i++)
		if (cgtx_write(tx, "io.max", io->set[i], io->old[i], err) < 0)
			return -1;
	return write_cpu(l, tx, err);
}

static uint64_t to_vzbc(uint64_t v)
{
	return v == LIM_UNLIMITED ? VZBC_UNLIMITED : v;
}

/* Registers the limits with vzbc; undoes its own SETs on failure. */
static int apply_vzbc(const struct ct_limits *l, int vzfd, unsigned int ctid,
		      struct ct_err **err)
{
	struct vzbc_stat old[LIM_NR];
	int id, r = 0;

	for (id = 0; id < LIM_NR; id++) {
		uint32_t res = lim_vzbc_res(id);

		if (!l->v[id].set || !res)
			continue;
		r = bc_get_res(vzfd, ctid, res, &old[id], NULL);
		if (r == -ENODATA)
			r = -ENOENT;
		if (!r)
			r = bc_set(vzfd, ctid, res, to_vzbc(l->v[id].barrier),
				   to_vzbc(l->v[id].limit), NULL);
		if (r)
			break;
	}
	if (!r)
		return 0;
	err_set(err, VZ_SETUBC_ERROR, -r, "vzbc SET %s of beancounter %u",
		lim_option(id), ctid);
	while (id-- > 0)
		if (l->v[id].set && lim_vzbc_res(id))
			bc_set(vzfd, ctid, lim_vzbc_res(id), old[id].barrier, old[id].limit, NULL);
	return -1;
}

int lim_apply(const struct ct_limits *l, const char *cgroup, int vzfd,
	      unsigned int ctid, const char *root, struct ct_err **err)
{
	_cleanup_(io_lines_free) struct io_lines io = { 0 };
	_cleanup_cgtx_ struct cgtx tx = { 0 };

	if (cgtx_begin(&tx, cgroup, err) < 0 ||
	    io_prepare(l, &tx, root, &io, err) < 0 ||
	    write_cgroup(l, &tx, &io, err) < 0)
		return -1;
	if (vzfd >= 0 && apply_vzbc(l, vzfd, ctid, err) < 0)
		return -1;
	cgtx_commit(&tx);
	return 0;
}

int lim_check(const struct ct_limits *l, const char *root, struct ct_err **err)
{
	_cleanup_strv_ char **disks = NULL;

	if (!l->v[LIM_IOLIMIT].set && !l->v[LIM_IOPSLIMIT].set && !l->iodevices)
		return 0;
	return io_disks(l, root, &disks, err);
}
