// SPDX-License-Identifier: GPL-2.0
/*
 * The ioctl ABI can grow (Documentation/vzbc-api.rst, "ABI rules"): every
 * command is matched by type and number only, so an old caller (the VER0
 * struct, and a number that encodes the VER0 size) and a new caller (a
 * larger, zero-tailed struct, and a number that encodes that size) reach
 * the same command of the same module; a non-zero tail is E2BIG; GET's
 * stat_size and RESOURCES' info_size set the array strides; the resource
 * table from RESOURCES (ioctl and netlink) is the one /proc and GET use.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "cg.h"
#include "genl.h"
#include "vzbc.h"

/* What a newer caller adds to each struct: a zero tail of this many bytes. */
#define NEWER_TAIL	16
#define BIG_STRIDE	72	/* a vzbc_stat/vzbc_res_info of some later day */
#define MAX_RES		32

static char genl_buf[GENL_BUF_SIZE];

/*
 * Calls command @nr as a caller of struct size @size would: the number
 * _IOC(@dir, VZBC_MAGIC, @nr, @size), the argument @s (@ssize
 * bytes) followed by @size - @ssize zero bytes, the size field set to
 * @size, and byte @dirty of the tail (if >= 0) set to 1.  Copies the
 * first @ssize bytes back into @s.  Returns ioctl()'s result or -errno.
 */
static long call_as(int fd, unsigned int dir, unsigned int nr, void *s,
		   size_t ssize, size_t size, int dirty)
{
	char *buf = calloc(1, size > ssize ? size : ssize);
	long ret;

	if (!buf)
		return -ENOMEM;
	memcpy(buf, s, ssize);
	*(uint32_t *)buf = size;
	if (dirty >= 0)
		buf[ssize + dirty] = 1;
	ret = ioctl(fd, _IOC(dir, VZBC_MAGIC, nr, size), buf);
	if (ret < 0)
		ret = -errno;
	memcpy(s, buf, ssize);
	free(buf);
	return ret;
}

/* The VER0 caller and the newer caller of a struct of VER0 size @ver0. */
#define OLD(fd, dir, nr, s, ver0)	call_as(fd, dir, nr, s, ver0, ver0, -1)
#define NEW(fd, dir, nr, s, ver0) \
	call_as(fd, dir, nr, s, ver0, (ver0) + NEWER_TAIL, -1)
#define DIRTY(fd, dir, nr, s, ver0) \
	call_as(fd, dir, nr, s, ver0, (ver0) + NEWER_TAIL, NEWER_TAIL - 1)

#define RW	(_IOC_READ | _IOC_WRITE)

FIXTURE(abi) {
	int fd;
	uint32_t ctid;
	char cg[CG_PATH_MAX];
	int cgfd;
};

FIXTURE_SETUP(abi)
{
	self->cgfd = -1;
	self->ctid = vzbc_test_ctid(0);
	self->fd = vzbc_open();
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", VZBC_DEV, strerror(-self->fd));
	ASSERT_EQ(0, cg_create_unique("abi", self->cg, sizeof(self->cg)));
	self->cgfd = cg_open(self->cg);
	ASSERT_LE(0, self->cgfd);
}

FIXTURE_TEARDOWN(abi)
{
	if (self->fd >= 0) {
		for (unsigned int i = 0; i < 4; i++)
			vzbc_destroy(self->fd, vzbc_test_ctid(i));
		close(self->fd);
	}
	if (self->cgfd >= 0)
		close(self->cgfd);
	EXPECT_EQ(0, cg_destroy(self->cg));
}

static struct vzbc_create create_arg(uint32_t ctid, int cgfd)
{
	return (struct vzbc_create){ .ctid = ctid, .cgroup_fd = cgfd };
}

/* GET through the library helper (the header's own number and size). */
static int get_one(int fd, uint32_t ctid, uint32_t res, struct vzbc_stat *st)
{
	return vzbc_get_res(fd, ctid, res, st);
}

/* RESOURCES with the header's number; *@nr in: capacity, out: written. */
static int resources(int fd, struct vzbc_res_info *info, uint32_t *nr,
		     uint32_t *total)
{
	struct vzbc_resources r = {
		.size = sizeof(r), .nr_info = *nr, .info = (uintptr_t)info,
	};

	if (ioctl(fd, VZBC_IOC_RESOURCES, &r))
		return -errno;
	*nr = r.nr_info;
	*total = r.nr_total;
	return 0;
}

TEST_F(abi, version_any_size)
{
	uint64_t arg[4] = { 0 };

	EXPECT_EQ(VZBC_API_VERSION, ioctl(self->fd, VZBC_IOC_VERSION));
	EXPECT_EQ(VZBC_API_VERSION,
		  ioctl(self->fd, _IOC(_IOC_READ, VZBC_MAGIC, VZBC_IOC_NR_VERSION,
				       sizeof(arg)), arg));
	EXPECT_EQ(VZBC_API_VERSION,
		  ioctl(self->fd, _IOC(RW, VZBC_MAGIC, VZBC_IOC_NR_VERSION, 4),
			arg));
}

TEST_F(abi, unknown_number_any_size)
{
	char arg[64] = { 0 };

	*(uint32_t *)arg = 24;
	EXPECT_EQ(-ENOTTY, call_as(self->fd, RW, __VZBC_IOC_NR_MAX, arg,
				       24, 24, -1));
	EXPECT_EQ(-ENOTTY, call_as(self->fd, _IOC_WRITE, 200, arg, 24, 40,
				       -1));
}

TEST_F(abi, create_destroy_old_and_new)
{
	struct vzbc_create c = create_arg(self->ctid, self->cgfd);
	struct vzbc_ctid d = { .ctid = self->ctid };
	struct vzbc_stat st;

	/* The old caller. */
	ASSERT_EQ(0, OLD(self->fd, _IOC_WRITE, VZBC_IOC_NR_CREATE, &c,
			 VZBC_CREATE_SIZE_VER0));
	ASSERT_EQ(0, get_one(self->fd, self->ctid, VZBC_RES_NUMPROC, &st));
	EXPECT_EQ(-EEXIST, NEW(self->fd, _IOC_WRITE, VZBC_IOC_NR_CREATE, &c,
			       VZBC_CREATE_SIZE_VER0));
	ASSERT_EQ(0, OLD(self->fd, _IOC_WRITE, VZBC_IOC_NR_DESTROY, &d,
			 VZBC_CTID_SIZE_VER0));
	EXPECT_EQ(-ENOENT, get_one(self->fd, self->ctid, VZBC_RES_NUMPROC, &st));

	/* The newer caller, same module. */
	ASSERT_EQ(0, NEW(self->fd, _IOC_WRITE, VZBC_IOC_NR_CREATE, &c,
			 VZBC_CREATE_SIZE_VER0));
	ASSERT_EQ(0, get_one(self->fd, self->ctid, VZBC_RES_NUMPROC, &st));
	ASSERT_EQ(0, NEW(self->fd, _IOC_WRITE, VZBC_IOC_NR_DESTROY, &d,
			 VZBC_CTID_SIZE_VER0));
	EXPECT_EQ(-ENOENT, get_one(self->fd, self->ctid, VZBC_RES_NUMPROC, &st));
	EXPECT_EQ(-ENOENT, OLD(self->fd, _IOC_WRITE, VZBC_IOC_NR_DESTROY, &d,
			       VZBC_CTID_SIZE_VER0));
}

TEST_F(abi, nonzero_tail_e2big_changes_nothing)
{
	struct vzbc_create c = create_arg(self->ctid, self->cgfd);
	struct vzbc_ctid d = { .ctid = self->ctid };
	struct vzbc_set s = {
		.ctid = self->ctid, .resource = VZBC_RES_NUMPROC,
		.barrier = 10, .limit = 20,
	};
	struct vzbc_get g = { .ctid = self->ctid };
	struct vzbc_list l = { 0 };
	struct vzbc_resources r = { 0 };
	struct vzbc_stat st;

	EXPECT_EQ(-E2BIG, DIRTY(self->fd, _IOC_WRITE, VZBC_IOC_NR_CREATE, &c,
				VZBC_CREATE_SIZE_VER0));
	EXPECT_EQ(-ENOENT, get_one(self->fd, self->ctid, VZBC_RES_NUMPROC, &st));
	ASSERT_EQ(0, vzbc_create(self->fd, self->ctid, self->cgfd));
	EXPECT_EQ(-E2BIG, DIRTY(self->fd, _IOC_WRITE, VZBC_IOC_NR_SET, &s,
				VZBC_SET_SIZE_VER0));
	ASSERT_EQ(0, get_one(self->fd, self->ctid, VZBC_RES_NUMPROC, &st));
	EXPECT_EQ(VZBC_UNLIMITED, st.limit);
	EXPECT_EQ(-E2BIG, DIRTY(self->fd, RW, VZBC_IOC_NR_GET, &g,
				VZBC_GET_SIZE_VER1));
	EXPECT_EQ(-E2BIG, DIRTY(self->fd, RW, VZBC_IOC_NR_LIST, &l,
				VZBC_LIST_SIZE_VER0));
	EXPECT_EQ(-E2BIG, DIRTY(self->fd, RW, VZBC_IOC_NR_RESOURCES, &r,
				VZBC_RESOURCES_SIZE_VER0));
	EXPECT_EQ(-E2BIG, DIRTY(self->fd, _IOC_WRITE, VZBC_IOC_NR_DESTROY, &d,
				VZBC_CTID_SIZE_VER0));
	EXPECT_EQ(0, get_one(self->fd, self->ctid, VZBC_RES_NUMPROC, &st));
}

TEST_F(abi, set_old_and_new)
{
	struct vzbc_set s = {
		.ctid = self->ctid, .resource = VZBC_RES_NUMPROC,
		.barrier = 100, .limit = 200,
	};
	struct vzbc_stat st;

	ASSERT_EQ(0, vzbc_create(self->fd, self->ctid, self->cgfd));
	ASSERT_EQ(0, OLD(self->fd, _IOC_WRITE, VZBC_IOC_NR_SET, &s,
			 VZBC_SET_SIZE_VER0));
	ASSERT_EQ(0, get_one(self->fd, self->ctid, VZBC_RES_NUMPROC, &st));
	EXPECT_EQ(100, st.barrier);
	EXPECT_EQ(200, st.limit);
	s.barrier = 300;
	s.limit = 400;
	ASSERT_EQ(0, NEW(self->fd, _IOC_WRITE, VZBC_IOC_NR_SET, &s,
			 VZBC_SET_SIZE_VER0));
	ASSERT_EQ(0, get_one(self->fd, self->ctid, VZBC_RES_NUMPROC, &st));
	EXPECT_EQ(300, st.barrier);
	EXPECT_EQ(400, st.limit);
	/* The old caller's errors stay: an unknown resource. */
	s.resource = 7;
	EXPECT_EQ(-EINVAL, OLD(self->fd, _IOC_WRITE, VZBC_IOC_NR_SET, &s,
			       VZBC_SET_SIZE_VER0));
}

/*
 * GET for self->ctid into @stats (room for MAX_RES entries of @stride),
 * as a caller of struct size @size; the stats are filled with 0xa5 first.
 */
static long get_sized(int fd, uint32_t ctid, void *stats, uint32_t stride,
		      uint32_t stat_size, size_t size, uint32_t *nr)
{
	struct vzbc_get g = {
		.ctid = ctid, .nr_stats = *nr, .stats = (uintptr_t)stats,
		.stat_size = stat_size,
	};
	size_t ssize = size < sizeof(g) ? size : sizeof(g);
	long ret;

	memset(stats, 0xa5, (size_t)MAX_RES * stride);
	ret = call_as(fd, RW, VZBC_IOC_NR_GET, &g, ssize, size, -1);
	*nr = g.nr_stats;
	return ret;
}

/* The fields of a vzbc_stat that cannot move between two GETs of idle bc. */
static void expect_same_stat(struct __test_metadata *_metadata,
			     const struct vzbc_stat *a, const struct vzbc_stat *b)
{
	EXPECT_EQ(a->resource, b->resource);
	EXPECT_EQ(a->flags, b->flags);
	EXPECT_EQ(a->barrier, b->barrier);
	EXPECT_EQ(a->limit, b->limit);
	if (a->resource == VZBC_RES_NUMPROC) {
		EXPECT_EQ(a->held, b->held);
		EXPECT_EQ(a->failcnt, b->failcnt);
	}
}

TEST_F(abi, get_old_and_new)
{
	static struct vzbc_stat old[MAX_RES];
	static unsigned char big[MAX_RES][BIG_STRIDE];
	uint32_t nr_old = MAX_RES, nr = MAX_RES;

	ASSERT_EQ(0, vzbc_create(self->fd, self->ctid, self->cgfd));
	ASSERT_EQ(0, vzbc_set(self->fd, self->ctid, VZBC_RES_NUMPROC, 5, 6));

	/* VER0: 24 bytes, the number says 24, the stride is 56. */
	ASSERT_EQ(0, get_sized(self->fd, self->ctid, old, VZBC_STAT_SIZE_VER0,
			       0, VZBC_GET_SIZE_VER0, &nr_old));
	ASSERT_EQ(VZBC_NR_RES, nr_old);
	for (uint32_t i = 0; i < nr_old; i++)
		EXPECT_EQ(vzbc_res_ids[i], old[i].resource);
	/* Nothing past the entries written. */
	EXPECT_EQ(0xa5a5a5a5u, old[nr_old].resource);
	EXPECT_EQ(5, old[0].barrier);
	EXPECT_EQ(6, old[0].limit);

	/* VER1 with stat_size 56: the same. */
	{
		static struct vzbc_stat v1[MAX_RES];

		ASSERT_EQ(0, get_sized(self->fd, self->ctid, v1,
				       VZBC_STAT_SIZE_VER0, VZBC_STAT_SIZE_VER0,
				       VZBC_GET_SIZE_VER1, &nr));
		ASSERT_EQ(nr_old, nr);
		for (uint32_t i = 0; i < nr; i++)
			expect_same_stat(_metadata, &old[i], &v1[i]);
	}

	/* A newer caller: a larger struct and stride, the tail zeroed. */
	nr = MAX_RES;
	ASSERT_EQ(0, get_sized(self->fd, self->ctid, big, BIG_STRIDE,
			       BIG_STRIDE, VZBC_GET_SIZE_VER1 + NEWER_TAIL, &nr));
	ASSERT_EQ(nr_old, nr);
	for (uint32_t i = 0; i < nr; i++) {
		struct vzbc_stat st;

		memcpy(&st, big[i], sizeof(st));
		expect_same_stat(_metadata, &old[i], &st);
		for (size_t off = sizeof(st); off < BIG_STRIDE; off++) {
			ASSERT_EQ(0, big[i][off])
				TH_LOG("entry %u byte %zu", i, off);
		}
	}
	EXPECT_EQ(0xa5, big[nr][0]);

	/* A capacity smaller than the table: the first ones. */
	nr = 2;
	ASSERT_EQ(0, get_sized(self->fd, self->ctid, big, BIG_STRIDE,
			       BIG_STRIDE, VZBC_GET_SIZE_VER1, &nr));
	EXPECT_EQ(2, nr);
	EXPECT_EQ(0xa5, big[2][0]);
}

TEST_F(abi, get_stride_errors)
{
	static unsigned char stats[MAX_RES][BIG_STRIDE];
	const uint32_t bad[] = {
		1, 8, VZBC_STAT_SIZE_VER0 - 1, getpagesize() + 1, UINT32_MAX,
	};
	struct vzbc_get g;
	uint32_t nr;

	ASSERT_EQ(0, vzbc_create(self->fd, self->ctid, self->cgfd));
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		nr = MAX_RES;
		EXPECT_EQ(-EINVAL, get_sized(self->fd, self->ctid, stats,
					     BIG_STRIDE, bad[i],
					     VZBC_GET_SIZE_VER1, &nr))
			TH_LOG("stat_size %u", bad[i]);
		EXPECT_EQ(MAX_RES, nr);		/* not written back */
		EXPECT_EQ(0xa5, stats[0][0]);	/* no entry written */
	}
	/* A page is the largest stride. */
	{
		size_t ps = getpagesize();
		unsigned char *page = calloc(VZBC_NR_RES, ps);

		ASSERT_NE(NULL, page);
		memset(page, 0xa5, VZBC_NR_RES * ps);
		g = (struct vzbc_get){
			.size = sizeof(g), .ctid = self->ctid,
			.nr_stats = VZBC_NR_RES, .stats = (uintptr_t)page,
			.stat_size = ps,
		};
		ASSERT_EQ(0, ioctl(self->fd, VZBC_IOC_GET, &g));
		EXPECT_EQ(VZBC_NR_RES, g.nr_stats);
		EXPECT_EQ(VZBC_RES_PHYSPAGES, *(uint32_t *)(page + ps));
		EXPECT_EQ(0, page[2 * ps - 1]);
		free(page);
	}
	/* reserved must be 0. */
	g = (struct vzbc_get){
		.size = sizeof(g), .ctid = self->ctid, .nr_stats = MAX_RES,
		.stats = (uintptr_t)stats, .reserved = 1,
	};
	EXPECT_EQ(-1, ioctl(self->fd, VZBC_IOC_GET, &g));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(abi, list_old_and_new)
{
	uint32_t ids[4] = { 0 };
	struct vzbc_list l = {
		.start_ctid = self->ctid, .nr_ctids = 4, .ctids = (uintptr_t)ids,
	};

	ASSERT_EQ(0, vzbc_create(self->fd, self->ctid, self->cgfd));
	ASSERT_EQ(0, OLD(self->fd, RW, VZBC_IOC_NR_LIST, &l,
			 VZBC_LIST_SIZE_VER0));
	ASSERT_LE(1, l.nr_ctids);
	EXPECT_EQ(self->ctid, ids[0]);

	memset(ids, 0, sizeof(ids));
	l = (struct vzbc_list){
		.start_ctid = self->ctid, .nr_ctids = 4, .ctids = (uintptr_t)ids,
	};
	ASSERT_EQ(0, NEW(self->fd, RW, VZBC_IOC_NR_LIST, &l,
			 VZBC_LIST_SIZE_VER0));
	ASSERT_LE(1, l.nr_ctids);
	EXPECT_EQ(self->ctid, ids[0]);
}

/* RESOURCES as a caller of struct size @size with stride @info_size. */
static long res_sized(int fd, void *info, uint32_t stride, uint32_t info_size,
		      size_t size, uint32_t *nr, uint32_t *total)
{
	struct vzbc_resources r = {
		.nr_info = *nr, .info_size = info_size, .info = (uintptr_t)info,
	};
	long ret;

	memset(info, 0xa5, (size_t)MAX_RES * stride);
	ret = call_as(fd, RW, VZBC_IOC_NR_RESOURCES, &r, sizeof(r), size, -1);
	*nr = r.nr_info;
	*total = r.nr_total;
	return ret;
}

TEST_F(abi, resources_old_and_new)
{
	static struct vzbc_res_info old[MAX_RES];
	static unsigned char big[MAX_RES][BIG_STRIDE];
	uint32_t nr = MAX_RES, total = 0, nr2, total2;

	ASSERT_EQ(40, sizeof(struct vzbc_res_info));
	ASSERT_EQ(0, res_sized(self->fd, old, sizeof(old[0]), 0,
			       VZBC_RESOURCES_SIZE_VER0, &nr, &total));
	ASSERT_EQ(VZBC_NR_RES, nr);
	EXPECT_EQ(nr, total);
	EXPECT_EQ(0xa5a5a5a5u, old[nr].resource);

	nr2 = MAX_RES;
	ASSERT_EQ(0, res_sized(self->fd, big, BIG_STRIDE, BIG_STRIDE,
			       VZBC_RESOURCES_SIZE_VER0 + NEWER_TAIL, &nr2,
			       &total2));
	ASSERT_EQ(nr, nr2);
	EXPECT_EQ(total, total2);
	for (uint32_t i = 0; i < nr; i++) {
		struct vzbc_res_info ri;

		memcpy(&ri, big[i], sizeof(ri));
		EXPECT_EQ(old[i].resource, ri.resource);
		EXPECT_EQ(old[i].unit, ri.unit);
		EXPECT_STREQ(old[i].name, ri.name);
		for (size_t off = sizeof(ri); off < BIG_STRIDE; off++) {
			ASSERT_EQ(0, big[i][off])
				TH_LOG("entry %u byte %zu", i, off);
		}
	}
	EXPECT_EQ(0xa5, big[nr][0]);

	/* A small capacity: the first ones, and the total. */
	nr2 = 2;
	ASSERT_EQ(0, res_sized(self->fd, big, BIG_STRIDE, 0,
			       VZBC_RESOURCES_SIZE_VER0, &nr2, &total2));
	EXPECT_EQ(2, nr2);
	EXPECT_EQ(total, total2);
	EXPECT_EQ(0xa5, big[1][sizeof(struct vzbc_res_info)]);

	/* Strides below VER0 or past a page. */
	nr2 = MAX_RES;
	EXPECT_EQ(-EINVAL, res_sized(self->fd, big, BIG_STRIDE,
				     VZBC_RES_INFO_SIZE_VER0 - 1,
				     VZBC_RESOURCES_SIZE_VER0, &nr2, &total2));
	EXPECT_EQ(0xa5, big[0][0]);
	EXPECT_EQ(-EINVAL, res_sized(self->fd, big, BIG_STRIDE,
				     getpagesize() + 1,
				     VZBC_RESOURCES_SIZE_VER0, &nr2, &total2));
	EXPECT_EQ(-EINVAL, res_sized(self->fd, big, BIG_STRIDE, 0,
				     VZBC_RESOURCES_SIZE_VER0 - 1, &nr2,
				     &total2));
}

/* The unit each resource is documented with (Documentation/vzbc-api.rst). */
static uint32_t documented_unit(uint32_t res)
{
	switch (res) {
	case VZBC_RES_NUMPROC:
		return VZBC_UNIT_COUNT;
	case VZBC_RES_PHYSPAGES:
	case VZBC_RES_SWAPPAGES:
		return VZBC_UNIT_PAGES;
	case VZBC_RES_IOBYTES:
		return VZBC_UNIT_BYTES_PER_SEC;
	case VZBC_RES_IOPS:
		return VZBC_UNIT_OPS_PER_SEC;
	}
	return 0;
}

TEST_F(abi, resources_match_proc_and_get)
{
	static struct vzbc_res_info info[MAX_RES];
	static struct vzbc_stat st[MAX_RES];
	static struct ubc_file f;
	const struct ubc_block *b;
	uint32_t nr = MAX_RES, total, nst = MAX_RES;
	char *text;
	int err;

	ASSERT_EQ(0, vzbc_create(self->fd, self->ctid, self->cgfd));
	ASSERT_EQ(0, resources(self->fd, info, &nr, &total));
	ASSERT_EQ(0, vzbc_get(self->fd, self->ctid, st, &nst));
	ASSERT_EQ(nr, nst);
	for (uint32_t i = 0; i < nr; i++) {
		EXPECT_EQ(info[i].resource, st[i].resource);
		EXPECT_EQ(documented_unit(info[i].resource), info[i].unit)
			TH_LOG("%s", info[i].name);
		EXPECT_NE(0, info[i].name[0]);
		EXPECT_NE(NULL, memchr(info[i].name, 0, sizeof(info[i].name)));
		if (i)
			EXPECT_LT(info[i - 1].resource, info[i].resource);
	}

	text = read_text(UBC_PROC, &err);
	ASSERT_NE(NULL, text) TH_LOG("%s: %s", UBC_PROC, strerror(-err));
	ASSERT_EQ(0, ubc_parse(text, &f)) TH_LOG("%s", f.err);
	free(text);
	b = ubc_find(&f, self->ctid);
	ASSERT_NE(NULL, b);
	/* /proc prints the accounted ones, in the table's order, by name. */
	{
		int row = 0;

		for (uint32_t i = 0; i < nr; i++) {
			if (!(st[i].flags & VZBC_STAT_ACCOUNTED))
				continue;
			ASSERT_LT(row, b->nr_rows);
			EXPECT_STREQ(info[i].name, b->rows[row].name);
			row++;
		}
		EXPECT_EQ(b->nr_rows, row);
		EXPECT_LE(1, row);
	}
}

/* Sends VZBC_CMD_RESOURCES; fills @info from the reply.  -errno or count. */
static int genl_resources(int sk, uint16_t family, struct vzbc_res_info *info,
			  int max)
{
	const struct nlmsghdr *nlh = (struct nlmsghdr *)genl_buf;
	struct nlattr *a, *res, *f;
	struct genl_msg m;
	int n = 0, err;
	ssize_t len;

	genl_msg_init(&m, family, VZBC_CMD_RESOURCES, 0);
	err = genl_send(sk, &m);
	if (err)
		return err;
	len = genl_recv(sk, genl_buf, sizeof(genl_buf), 5000);
	if (len < 0)
		return len;
	err = genl_first_error(genl_buf, len);
	if (err != 1)
		return err ? err : -EPROTO;
	if (nlh->nlmsg_type != family)
		return -EPROTO;
	genl_for_each_attr(a, (char *)NLMSG_DATA(nlh) + GENL_HDRLEN,
			   nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN) {
		if ((a->nla_type & NLA_TYPE_MASK) != VZBC_A_RESOURCES)
			return -EPROTO;
		genl_for_each_attr(res, genl_attr_data(a), genl_attr_len(a)) {
			if ((res->nla_type & NLA_TYPE_MASK) != VZBC_A_RESOURCE ||
			    n == max)
				return -EPROTO;
			memset(&info[n], 0xff, sizeof(info[n]));
			info[n].name[0] = 0;
			genl_for_each_attr(f, genl_attr_data(res),
					   genl_attr_len(res)) {
				switch (f->nla_type) {
				case VZBC_RES_A_ID:
					memcpy(&info[n].resource,
					       genl_attr_data(f), 4);
					break;
				case VZBC_RES_A_UNIT:
					memcpy(&info[n].unit, genl_attr_data(f), 4);
					break;
				case VZBC_RES_A_NAME:
					snprintf(info[n].name,
						 sizeof(info[n].name), "%.*s",
						 genl_attr_len(f),
						 (char *)genl_attr_data(f));
					break;
				default:
					return -EPROTO;
				}
			}
			n++;
		}
	}
	return n;
}

TEST_F(abi, genl_resources_match_ioctl)
{
	static struct vzbc_res_info info[MAX_RES], nl[MAX_RES];
	uint32_t nr = MAX_RES, total;
	uint16_t family;
	uint32_t grp;
	int sk, n;

	ASSERT_EQ(0, resources(self->fd, info, &nr, &total));
	sk = genl_socket();
	ASSERT_LE(0, sk);
	ASSERT_EQ(0, genl_resolve(sk, VZBC_GENL_NAME, NULL, &family, &grp));
	n = genl_resources(sk, family, nl, MAX_RES);
	ASSERT_EQ((int)nr, n) TH_LOG("genl RESOURCES: %d", n);
	for (int i = 0; i < n; i++) {
		EXPECT_EQ(info[i].resource, nl[i].resource);
		EXPECT_EQ(info[i].unit, nl[i].unit);
		EXPECT_STREQ(info[i].name, nl[i].name);
	}
	close(sk);
}

TEST_HARNESS_MAIN
