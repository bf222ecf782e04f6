// SPDX-License-Identifier: GPL-2.0
/* Resource limits: vzctl syntax in, cgroup v2 files and vzbc SET out. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <linux/vzbc.h>

#include "limits.h"
#include "util.h"

#define PAGE_BYTES	((uint64_t)4096)
#define CPU_PERIOD_US	((uint64_t)100000)
#define KIB		((uint64_t)1024)

enum lim_unit {
	UNIT_COUNT,	/* a plain number */
	UNIT_PAGES,	/* pages, or bytes with a K/M/G/T suffix */
	UNIT_RATE,	/* bytes/s with K/M/G; a bare number is MB/s */
	UNIT_PERCENT,	/* percent of one CPU, "%" optional */
};

static const struct lim_desc {
	const char *option;
	const char *key;
	enum lim_unit unit;
	bool pair;		/* barrier[:limit] */
	bool zero_unlimited;	/* 0 means "no limit" (vzctl) */
	bool zero_limit_ok;	/* a limit of 0 makes sense */
	uint64_t min, max;	/* bounds of a single value */
	uint32_t vzbc_res;	/* 0: not reported by vzbc */
} lim_descs[LIM_NR] = {
	[LIM_NUMPROC] = { "numproc", "NUMPROC", UNIT_COUNT, true, false, false,
			  0, INT32_MAX, VZBC_RES_NUMPROC },
	[LIM_PHYSPAGES] = { "physpages", "PHYSPAGES", UNIT_PAGES, true, false,
			    false, 0, INT64_MAX / PAGE_BYTES, VZBC_RES_PHYSPAGES },
	[LIM_SWAPPAGES] = { "swappages", "SWAPPAGES", UNIT_PAGES, true, false,
			    true, 0, INT64_MAX / PAGE_BYTES, VZBC_RES_SWAPPAGES },
	[LIM_IOLIMIT] = { "iolimit", "IOLIMIT", UNIT_RATE, false, true, false,
			  0, INT64_MAX, VZBC_RES_IOBYTES },
	[LIM_IOPSLIMIT] = { "iopslimit", "IOPSLIMIT", UNIT_COUNT, false, true,
			    false, 0, INT32_MAX, VZBC_RES_IOPS },
	[LIM_CPULIMIT] = { "cpulimit", "CPULIMIT", UNIT_PERCENT, false, true,
			   false, 0, 100000, 0 },
	[LIM_CPUS] = { "cpus", "CPUS", UNIT_COUNT, false, true, false,
		       0, 4096, 0 },
	[LIM_CPUUNITS] = { "cpuunits", "CPUUNITS", UNIT_COUNT, false, false,
			   false, 8, 500000, 0 },
};

const char *lim_option(enum lim_id id)
{
	return lim_descs[id].option;
}

const char *lim_key(enum lim_id id)
{
	return lim_descs[id].key;
}

static int bad(struct ct_err **err, const char *text, const char *why)
{
	return err_set(err, VZ_INVALID_PARAMETER_VALUE, 0,
		       "invalid value \"%s\": %s", text, why);
}

/* Digits only, no sign or blanks; -ERANGE past UINT64_MAX. */
static int parse_u64(const char *s, size_t len, uint64_t *v)
{
	uint64_t r = 0;
	size_t i;

	if (!len)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		if (r > (UINT64_MAX - (s[i] - '0')) / 10)
			return -ERANGE;
		r = r * 10 + (s[i] - '0');
	}
	*v = r;
	return 0;
}

static uint64_t suffix_mult(char c)
{
	switch (c) {
	case 'K': case 'k': return KIB;
	case 'M': case 'm': return KIB * KIB;
	case 'G': case 'g': return KIB * KIB * KIB;
	case 'T': case 't': return KIB * KIB * KIB * KIB;
	}
	return 0;
}

/* One value of limit @d; LIM_UNLIMITED for "unlimited" or 0 where 0 is none. */
static int parse_one(const struct lim_desc *d, const char *s, size_t len,
		     uint64_t *out, const char **why)
{
	uint64_t v = 0, mult = 1;
	size_t n = len;
	int r;

	if (len == 9 && !strncmp(s, "unlimited", 9)) {
		*out = LIM_UNLIMITED;
		return 0;
	}
	if (d->unit == UNIT_PERCENT && n && s[n - 1] == '%')
		n--;
	if ((d->unit == UNIT_PAGES || d->unit == UNIT_RATE) && n &&
	    !(s[n - 1] >= '0' && s[n - 1] <= '9')) {
		mult = suffix_mult(s[n - 1]);
		if (!mult || (d->unit == UNIT_RATE && mult > KIB * KIB * KIB)) {
			*why = d->unit == UNIT_RATE ?
				"the suffix must be K, M or G" :
				"the suffix must be K, M, G or T";
			return -EINVAL;
		}
		n--;
	} else if (d->unit == UNIT_RATE) {
		mult = KIB * KIB;	/* vzctl: a bare --iolimit is MB/s */
	}
	r = parse_u64(s, n, &v);
	if (r == -ERANGE || (r == 0 && mult > 1 && v > UINT64_MAX / mult)) {
		*why = "too large";
		return -ERANGE;
	}
	if (r) {
		*why = "not a number (or \"unlimited\")";
		return -EINVAL;
	}
	v *= mult;
	if (d->unit == UNIT_PAGES && mult > 1)
		v = (v + PAGE_BYTES - 1) / PAGE_BYTES;	/* bytes: whole pages */
	if (v == 0 && d->zero_unlimited) {
		*out = LIM_UNLIMITED;
		return 0;
	}
	if (v < d->min || v > d->max) {
		*why = v < d->min ? "too small" : "too large";
		return -ERANGE;
	}
	*out = v;
	return 0;
}

/* Parses @text; messages quote @shown, what the user typed. */
static int lim_parse_as(struct ct_limits *l, enum lim_id id, const char *text,
			const char *shown, struct ct_err **err)
{
	const struct lim_desc *d = &lim_descs[id];
	const char *colon = strchr(text, ':');
	const char *why = NULL;
	uint64_t b, lim;

	if (colon && !d->pair)
		return bad(err, shown, "takes one value, not barrier:limit");
	if (parse_one(d, text, colon ? (size_t)(colon - text) : strlen(text),
		      &b, &why) < 0)
		return bad(err, shown, why);
	lim = b;
	if (colon && parse_one(d, colon + 1, strlen(colon + 1), &lim, &why) < 0)
		return bad(err, shown, why);
	if (d->pair && lim != LIM_UNLIMITED && b != LIM_UNLIMITED && b > lim)
		return bad(err, shown, "the barrier is above the limit");
	if (d->pair && b == LIM_UNLIMITED && lim != LIM_UNLIMITED)
		return bad(err, shown, "the barrier is above the limit");
	if (lim == 0 && !d->zero_limit_ok)
		return bad(err, shown, "a limit of 0 leaves nothing to run with");
	l->v[id] = (struct lim_value){ .set = true, .barrier = b, .limit = lim };
	return 0;
}

int lim_parse(struct ct_limits *l, enum lim_id id, const char *text,
	      struct ct_err **err)
{
	return lim_parse_as(l, id, text, text, err);
}

int lim_parse_shorthand(struct ct_limits *l, const char *opt, const char *text,
			struct ct_err **err)
{
	enum lim_id id = !strcmp(opt, "ram") ? LIM_PHYSPAGES : LIM_SWAPPAGES;
	_cleanup_free_ char *pair = NULL;

	if (strchr(text, ':'))
		return bad(err, text, "takes one size, not barrier:limit");
	pair = xasprintf("0:%s", text);
	return lim_parse_as(l, id, pair, text, err);
}

int lim_load(struct ct_limits *l, const struct kvfile *conf,
	     struct ct_err **err)
{
	const char *devs;
	int id;

	for (id = 0; id < LIM_NR; id++) {
		const char *v = kv_get(conf, lim_descs[id].key);

		if (v && lim_parse(l, id, v, err) < 0)
			return err_prefix(err, "%s: %s", conf->path,
					  lim_descs[id].key);
	}
	devs = kv_get(conf, "IODEVICES");
	if (devs && *devs) {
		_cleanup_free_ char *copy = xstrdup(devs);
		char *tok, *save = NULL;

		l->iodevices = xzalloc(sizeof(char *));
		for (tok = strtok_r(copy, " ", &save); tok;
		     tok = strtok_r(NULL, " ", &save))
			l->iodevices = strv_push(l->iodevices, tok);
	}
	return 0;
}

static char *fmt_one(const struct lim_desc *d, uint64_t v)
{
	if (v == LIM_UNLIMITED)
		return xstrdup("unlimited");
	if (d->unit == UNIT_RATE) {
		if (v % (KIB * KIB * KIB) == 0)
			return xasprintf("%" PRIu64 "G", v / (KIB * KIB * KIB));
		if (v % (KIB * KIB) == 0)
			return xasprintf("%" PRIu64 "M", v / (KIB * KIB));
		return xasprintf("%" PRIu64 "K", v / KIB);
	}
	return xasprintf("%" PRIu64, v);
}

void lim_store(const struct ct_limits *l, struct kvfile *conf)
{
	int id;

	for (id = 0; id < LIM_NR; id++) {
		const struct lim_desc *d = &lim_descs[id];
		_cleanup_free_ char *b = NULL, *lim = NULL, *val = NULL;

		if (!l->v[id].set)
			continue;
		b = fmt_one(d, l->v[id].barrier);
		lim = fmt_one(d, l->v[id].limit);
		val = d->pair ? xasprintf("%s:%s", b, lim) : xstrdup(lim);
		kv_set(conf, d->key, val);
	}
	if (l->iodevices) {
		size_t i, n = strv_len(l->iodevices);
		_cleanup_free_ char *joined = xstrdup("");

		for (i = 0; i < n; i++) {
			char *next = xasprintf("%s%s%s", joined, i ? " " : "",
					       l->iodevices[i]);

			free(joined);
			joined = next;
		}
		kv_set(conf, "IODEVICES", joined);
	}
}

bool lim_any(const struct ct_limits *l)
{
	int id;

	for (id = 0; id < LIM_NR; id++)
		if (l->v[id].set)
			return true;
	return l->iodevices != NULL;
}

void lim_free(struct ct_limits *l)
{
	strv_free(l->iodevices);
	l->iodevices = NULL;
}

/* One cgroup file write, remembered so that it can be undone. */
struct cg_write {
	char *file;
	char *value;
	char *old;	/* what to write back */
};

struct write_plan {
	struct cg_write *w;
	size_t nr;
};

static void plan_add(struct write_plan *p, const char *file, char *value,
		     char *old)
{
	p->w = xrealloc(p->w, (p->nr + 1) * sizeof(*p->w));
	p->w[p->nr++] = (struct cg_write){ xstrdup(file), value, old };
}

static void plan_free(struct write_plan *p)
{
	size_t i;

	for (i = 0; i < p->nr; i++) {
		free(p->w[i].file);
		free(p->w[i].value);
		free(p->w[i].old);
	}
	free(p->w);
}

static char *bytes_or_max(uint64_t pages)
{
	return pages == LIM_UNLIMITED ? xstrdup("max") :
		xasprintf("%" PRIu64, pages * PAGE_BYTES);
}

/* The current value of a single-value file, for undo. */
static char *read_old(int dirfd, const char *file)
{
	char *s = NULL;

	if (read_file_at(dirfd, file, &s) < 0)
		return NULL;
	s[strcspn(s, "\n")] = '\0';
	return s;
}

/*
 * "MAJ:MIN" of the whole disk of block device @dev (a partition's disk:
 * io.max takes whole disks only), or -ENODEV if the kernel has no such
 * block device.
 */
static int whole_disk(dev_t dev, char **out)
{
	_cleanup_free_ char *sys = NULL, *real = NULL, *num = NULL;
	char *slash;

	sys = xasprintf("/sys/dev/block/%u:%u", major(dev), minor(dev));
	real = realpath(sys, NULL);
	if (!real)
		return errno == ENOENT ? -ENODEV : -errno;
	free(sys);
	sys = xasprintf("%s/partition", real);
	if (access(sys, F_OK) == 0) {
		slash = strrchr(real, '/');
		*slash = '\0';
	}
	free(sys);
	sys = xasprintf("%s/dev", real);
	if (read_file(sys, &num) < 0)
		return -ENODEV;
	num[strcspn(num, "\n")] = '\0';
	*out = TAKE_PTR(num);
	return 0;
}

/* "MAJ:MIN" of the whole disk holding @path's file system, or -ENODEV. */
static int disk_of(const char *path, char **out)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return -errno;
	if (major(st.st_dev) == 0)
		return -ENODEV;	/* tmpfs, overlay, ...: no disk */
	return whole_disk(st.st_dev, out);
}

/* "MAJ:MIN" of the disk of a named block device (/dev/vda, /dev/vda1, 254:0). */
static int disk_named(const char *name, char **out, struct ct_err **err)
{
	unsigned int maj, min;
	struct stat st;
	dev_t dev;
	char c;
	int r;

	if (sscanf(name, "%u:%u%c", &maj, &min, &c) == 2) {
		dev = makedev(maj, min);
	} else {
		if (stat(name, &st) < 0)
			return err_set(err, VZ_INVALID_PARAMETER_VALUE, errno,
				       "IO device %s", name);
		if (!S_ISBLK(st.st_mode))
			return err_set(err, VZ_INVALID_PARAMETER_VALUE, 0,
				       "IO device %s: not a block device", name);
		dev = st.st_rdev;
	}
	r = whole_disk(dev, out);
	if (r == -ENODEV)
		return err_set(err, VZ_INVALID_PARAMETER_VALUE, 0,
			       "IO device %s: no such block device (see /sys/dev/block)",
			       name);
	if (r < 0)
		return err_set(err, VZ_SYSTEM_ERROR, -r, "IO device %s", name);
	return 0;
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

			if (disk_named(l->iodevices[i], &d, err) < 0)
				return -1;
			disks = strv_push(disks, d);
		}
	} else {
		_cleanup_free_ char *d = NULL;
		int r = disk_of(root, &d);

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

static int plan_io(const struct ct_limits *l, int dirfd, const char *root,
		   struct write_plan *p, struct ct_err **err)
{
	const struct lim_value *bps = &l->v[LIM_IOLIMIT];
	const struct lim_value *iops = &l->v[LIM_IOPSLIMIT];
	_cleanup_strv_ char **disks = NULL;
	_cleanup_free_ char *iomax = NULL;
	size_t i;
	int r;

	if (!bps->set && !iops->set)
		return 0;
	if (io_disks(l, root, &disks, err) < 0)
		return -1;
	r = read_file_at(dirfd, "io.max", &iomax);
	if (r < 0)
		return err_set(err, VZ_SYSTEM_ERROR, -r,
			       "read io.max (is the io controller enabled?)");
	for (i = 0; disks[i]; i++) {
		_cleanup_free_ char *b = NULL, *o = NULL;

		b = bps->set ? (bps->limit == LIM_UNLIMITED ?
				xstrdup(" rbps=max wbps=max") :
				xasprintf(" rbps=%" PRIu64 " wbps=%" PRIu64,
					  bps->limit, bps->limit)) : xstrdup("");
		o = iops->set ? (iops->limit == LIM_UNLIMITED ?
				 xstrdup(" riops=max wiops=max") :
				 xasprintf(" riops=%" PRIu64 " wiops=%" PRIu64,
					   iops->limit, iops->limit)) : xstrdup("");
		plan_add(p, "io.max", xasprintf("%s%s%s", disks[i], b, o),
			 io_old_line(iomax, disks[i]));
	}
	return 0;
}

static void plan_cpu(const struct ct_limits *l, int dirfd,
		     struct write_plan *p)
{
	const struct lim_value *pct = &l->v[LIM_CPULIMIT];
	const struct lim_value *cpus = &l->v[LIM_CPUS];
	const struct lim_value *units = &l->v[LIM_CPUUNITS];

	if (pct->set || cpus->set) {
		uint64_t quota = LIM_UNLIMITED;

		if (pct->set && pct->limit != LIM_UNLIMITED)
			quota = pct->limit * CPU_PERIOD_US / 100;
		if (cpus->set && cpus->limit != LIM_UNLIMITED &&
		    cpus->limit * CPU_PERIOD_US < quota)
			quota = cpus->limit * CPU_PERIOD_US;
		plan_add(p, "cpu.max", quota == LIM_UNLIMITED ?
			 xasprintf("max %" PRIu64, CPU_PERIOD_US) :
			 xasprintf("%" PRIu64 " %" PRIu64, quota, CPU_PERIOD_US),
			 read_old(dirfd, "cpu.max"));
	}
	if (units->set) {
		uint64_t w = units->limit / 10;

		if (w < 1)
			w = 1;
		if (w > 10000)
			w = 10000;
		plan_add(p, "cpu.weight", xasprintf("%" PRIu64, w),
			 read_old(dirfd, "cpu.weight"));
	}
}

static int plan_all(const struct ct_limits *l, int dirfd, const char *root,
		    struct write_plan *p, struct ct_err **err)
{
	const struct lim_value *v;

	v = &l->v[LIM_NUMPROC];
	if (v->set)
		plan_add(p, "pids.max", v->limit == LIM_UNLIMITED ?
			 xstrdup("max") : xasprintf("%" PRIu64, v->limit),
			 read_old(dirfd, "pids.max"));
	v = &l->v[LIM_PHYSPAGES];
	if (v->set) {
		/* A barrier of 0 is "no barrier": memory.high = max. */
		plan_add(p, "memory.high",
			 bytes_or_max(v->barrier ? v->barrier : LIM_UNLIMITED),
			 read_old(dirfd, "memory.high"));
		plan_add(p, "memory.max", bytes_or_max(v->limit),
			 read_old(dirfd, "memory.max"));
	}
	v = &l->v[LIM_SWAPPAGES];
	if (v->set)
		plan_add(p, "memory.swap.max", bytes_or_max(v->limit),
			 read_old(dirfd, "memory.swap.max"));
	if (plan_io(l, dirfd, root, p, err) < 0)
		return -1;
	plan_cpu(l, dirfd, p);
	return 0;
}

static void undo_writes(int dirfd, const struct write_plan *p, size_t done)
{
	while (done--)
		if (p->w[done].old)
			write_file_at(dirfd, p->w[done].file, p->w[done].old);
}

static int vzbc_get_stat(int vzfd, unsigned int ctid, uint32_t res,
			 struct vzbc_stat *out)
{
	struct vzbc_stat st[32];
	struct vzbc_get g = {
		.size = sizeof(g), .ctid = ctid, .nr_stats = 32,
		.stats = (uintptr_t)st,
	};
	uint32_t i;

	if (ioctl(vzfd, VZBC_IOC_GET, &g) < 0)
		return -errno;
	for (i = 0; i < g.nr_stats; i++)
		if (st[i].resource == res) {
			*out = st[i];
			return 0;
		}
	return -ENOENT;
}

static int vzbc_set_one(int vzfd, unsigned int ctid, uint32_t res,
			uint64_t barrier, uint64_t limit)
{
	struct vzbc_set s = {
		.size = sizeof(s), .ctid = ctid, .resource = res,
		.barrier = barrier == LIM_UNLIMITED ? VZBC_UNLIMITED : barrier,
		.limit = limit == LIM_UNLIMITED ? VZBC_UNLIMITED : limit,
	};

	return ioctl(vzfd, VZBC_IOC_SET, &s) < 0 ? -errno : 0;
}

/* Registers the limits with vzbc; undoes its own SETs on failure. */
static int apply_vzbc(const struct ct_limits *l, int vzfd, unsigned int ctid,
		      struct ct_err **err)
{
	struct vzbc_stat old[LIM_NR];
	int id, r = 0;

	for (id = 0; id < LIM_NR; id++) {
		const struct lim_desc *d = &lim_descs[id];

		if (!l->v[id].set || !d->vzbc_res)
			continue;
		r = vzbc_get_stat(vzfd, ctid, d->vzbc_res, &old[id]);
		if (!r)
			r = vzbc_set_one(vzfd, ctid, d->vzbc_res,
					 l->v[id].barrier, l->v[id].limit);
		if (r)
			break;
	}
	if (!r)
		return 0;
	err_set(err, VZ_SETUBC_ERROR, -r, "vzbc SET %s of beancounter %u",
		lim_descs[id].option, ctid);
	while (id-- > 0)
		if (l->v[id].set && lim_descs[id].vzbc_res)
			vzbc_set_one(vzfd, ctid, lim_descs[id].vzbc_res,
				     old[id].barrier, old[id].limit);
	return -1;
}

int lim_apply(const struct ct_limits *l, const char *cgroup, int vzfd,
	      unsigned int ctid, const char *root, struct ct_err **err)
{
	_cleanup_(plan_free) struct write_plan p = { 0 };
	_cleanup_close_ int dirfd = -1;
	size_t i;

	dirfd = open(cgroup, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return err_set(err, VZ_SYSTEM_ERROR, errno, "open %s", cgroup);
	if (plan_all(l, dirfd, root, &p, err) < 0)
		return -1;
	for (i = 0; i < p.nr; i++) {
		int r = write_file_at(dirfd, p.w[i].file, p.w[i].value);

		if (r < 0) {
			undo_writes(dirfd, &p, i);
			return err_set(err, VZ_SETUBC_ERROR, -r,
				       "write \"%s\" to %s/%s", p.w[i].value,
				       cgroup, p.w[i].file);
		}
	}
	if (vzfd >= 0 && apply_vzbc(l, vzfd, ctid, err) < 0) {
		undo_writes(dirfd, &p, p.nr);
		return -1;
	}
	return 0;
}

int lim_check(const struct ct_limits *l, const char *root, struct ct_err **err)
{
	_cleanup_strv_ char **disks = NULL;

	if (!l->v[LIM_IOLIMIT].set && !l->v[LIM_IOPSLIMIT].set && !l->iodevices)
		return 0;
	return io_disks(l, root, &disks, err);
}
