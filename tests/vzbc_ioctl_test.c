// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/vzbc ioctl API: every command, every documented error, the
 * extensible-struct rules and the capability checks.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "cg.h"
#include "mem.h"
#include "priv.h"
#include "vzbc.h"

#define NR_CG	3

FIXTURE(bc) {
	int fd;
	uint32_t ctid;			/* vzbc_test_ctid(0) */
	bool made_max;			/* VZBC_CTID_MAX may exist */
	char cg[NR_CG][CG_PATH_MAX];
	int cgfd[NR_CG];
};

FIXTURE_SETUP(bc)
{
	self->fd = -1;
	for (int i = 0; i < NR_CG; i++)
		self->cgfd[i] = -1;
	self->ctid = vzbc_test_ctid(0);

	self->fd = vzbc_open();
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", VZBC_DEV, strerror(-self->fd));
	for (int i = 0; i < NR_CG; i++) {
		char tag[8];

		snprintf(tag, sizeof(tag), "%d", i);
		ASSERT_EQ(0, cg_create_unique(tag, self->cg[i], CG_PATH_MAX));
		self->cgfd[i] = cg_open(self->cg[i]);
		ASSERT_LE(0, self->cgfd[i]);
	}
}

FIXTURE_TEARDOWN(bc)
{
	if (self->fd >= 0) {
		for (unsigned int i = 0; i < 64; i++)
			vzbc_destroy(self->fd, vzbc_test_ctid(i));
		if (self->made_max)
			vzbc_destroy(self->fd, VZBC_CTID_MAX);
		close(self->fd);
	}
	for (int i = 0; i < NR_CG; i++) {
		if (self->cgfd[i] >= 0)
			close(self->cgfd[i]);
		EXPECT_EQ(0, cg_destroy(self->cg[i]));
	}
}

/* @rw_len bytes (rounded up to pages) read-write, then one unmapped page. */
static char *guarded_alloc(size_t rw_len, size_t *rounded)
{
	size_t ps = page_size(), len = (rw_len + ps - 1) / ps * ps;
	char *p = mmap(NULL, len + ps, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if (munmap(p + len, ps)) {
		munmap(p, len + ps);
		return NULL;
	}
	*rounded = len;
	return p;
}

/* An address nothing is mapped at. */
static void *unmapped_addr(void)
{
	size_t ps = page_size();
	void *p = mmap(NULL, ps, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	munmap(p, ps);
	return p;
}

/*
 * Issues @cmd with a copy of @arg whose size field says @size.  Bytes from
 * @klen up to @size are zero, but for @dirty_at (if >= 0) which is 1.  A
 * struct of at least @klen bytes ends right before an unmapped page, so a
 * kernel that reads past @size faults.  The first @klen bytes as the kernel
 * left them go to @out.  Returns the ioctl result or -errno.
 */
static int sized_ioctl(int fd, unsigned long cmd, const void *arg, size_t klen,
		       uint32_t size, long dirty_at, void *out)
{
	size_t span = size > klen ? size : klen, rounded;
	char *area = guarded_alloc(span, &rounded), *p;
	int ret;

	if (!area)
		return -ENOMEM;
	p = area + rounded - span;
	memset(p, 0, span);
	memcpy(p, arg, klen);
	memcpy(p, &size, sizeof(size));
	if (dirty_at >= 0)
		p[dirty_at] = 1;
	ret = ioctl(fd, cmd, p);
	ret = ret < 0 ? -errno : ret;
	if (out)
		memcpy(out, p, klen);
	munmap(area, rounded);
	return ret;
}

TEST(device_node)
{
	char buf[32], want[32];
	struct stat st;
	int n;

	ASSERT_EQ(0, stat(VZBC_DEV, &st)) TH_LOG("%s: %s", VZBC_DEV, strerror(errno));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0600u, st.st_mode & 07777);
	EXPECT_EQ(0u, st.st_uid);
	EXPECT_EQ(0u, st.st_gid);
	/* A misc device: major 10, the minor the kernel gave it. */
	EXPECT_EQ(10u, major(st.st_rdev));
	n = cg_read("/sys/class/misc", VZBC_DEVICE_NAME "/dev", buf, sizeof(buf));
	ASSERT_LT(0, n);
	snprintf(want, sizeof(want), "%u:%u\n", major(st.st_rdev), minor(st.st_rdev));
	EXPECT_STREQ(want, buf);
}

TEST_F(bc, version)
{
	EXPECT_EQ(VZBC_API_VERSION, vzbc_version(self->fd));
	/* The argument of an _IO command is ignored. */
	EXPECT_EQ(VZBC_API_VERSION, ioctl(self->fd, VZBC_IOC_VERSION, 0xdeadbeefUL));
}

TEST_F(bc, create_destroy)
{
	struct vzbc_stat st[VZBC_NR_RES];
	uint32_t nr = VZBC_NR_RES;

	ASSERT_EQ(0, vzbc_create(self->fd, self->ctid, self->cgfd[0]));
	ASSERT_EQ(0, vzbc_get(self->fd, self->ctid, st, &nr));
	EXPECT_EQ(VZBC_NR_RES, nr);
	ASSERT_EQ(0, vzbc_destroy(self->fd, self->ctid));

	EXPECT_EQ(-ENOENT, vzbc_get(self->fd, self->ctid, st, &nr));
	EXPECT_EQ(-ENOENT, vzbc_set(self->fd, self->ctid, VZBC_RES_NUMPROC, 1, 1));
	EXPECT_EQ(-ENOENT, vzbc_destroy(self->fd, self->ctid));
	/* The cgroup was released: another id can take it, and the id can
	 * be reused for another cgroup. */
	EXPECT_EQ(0, vzbc_create(self->fd, self->ctid + 1, self->cgfd[0]));
	EXPECT_EQ(0, vzbc_create(self->fd, self->ctid, self->cgfd[1]));
}

TEST_F(bc, persists_after_close)
{
	struct vzbc_stat st;
	int fd2;

	fd2 = vzbc_open();
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, vzbc_create(fd2, self->ctid, self->cgfd[0]));
	ASSERT_EQ(0, vzbc_set(fd2, self->ctid, VZBC_RES_NUMPROC, 3, 4));
	close(fd2);
	/* Beancounters belong to the system, not to the opener. */
	ASSERT_EQ(0, vzbc_get_res(self->fd, self->ctid, VZBC_RES_NUMPROC, &st));
	EXPECT_EQ(3u, st.barrier);
	EXPECT_EQ(4u, st.limit);
}

TEST_F(bc, create_bad_ctid)
{
	static const uint32_t bad[] = { 0, VZBC_CTID_MAX + 1, 0xfffffffeU, 0xffffffffU };

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, vzbc_create(self->fd, bad[i], self->cgfd[0]))
			TH_LOG("ctid %u", bad[i]);
	}
	/* None of them bound the cgroup. */
	EXPECT_EQ(0, vzbc_create(self->fd, self->ctid, self->cgfd[0]));
}

TEST_F(bc, create_max_ctid)
{
	uint32_t ids[2], nr = 2, next = 1;
	struct vzbc_stat st;
	int ret;

	self->made_max = true;
	ret = vzbc_create(self->fd, VZBC_CTID_MAX, self->cgfd[0]);
	ASSERT_EQ(0, ret) TH_LOG("CREATE %u: %s", VZBC_CTID_MAX, strerror(-ret));
	EXPECT_EQ(0, vzbc_get_res(self->fd, VZBC_CTID_MAX, VZBC_RES_NUMPROC, &st));

	/* The last id lists, and listing past it does not wrap around. */
	ASSERT_EQ(0, vzbc_list(self->fd, VZBC_CTID_MAX, ids, &nr, &next));
	ASSERT_EQ(1u, nr);
	EXPECT_EQ(VZBC_CTID_MAX, ids[0]);
	if (next) {
		EXPECT_GT(next, VZBC_CTID_MAX);
		nr = 2;
		ASSERT_EQ(0, vzbc_list(self->fd, next, ids, &nr, &next));
		EXPECT_EQ(0u, nr);
		EXPECT_EQ(0u, next);
	}
	EXPECT_EQ(0, vzbc_destroy(self->fd, VZBC_CTID_MAX));
	EXPECT_EQ(-ENOENT, vzbc_destroy(self->fd, VZBC_CTID_MAX));
}

TEST_F(bc, create_bad_flags)
{
	static const uint32_t bad[] = { 1, 2, 0x80000000U, 0xffffffffU };
	struct vzbc_stat st;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct vzbc_create c = {
			.size = sizeof(c), .ctid = self->ctid,
			.cgroup_fd = self->cgfd[0], .flags = bad[i],
		};

		EXPECT_EQ(-1, ioctl(self->fd, VZBC_IOC_CREATE, &c));
		EXPECT_EQ(EINVAL, errno) TH_LOG("flags %#x", bad[i]);
	}
	EXPECT_EQ(-ENOENT, vzbc_get_res(self->fd, self->ctid, VZBC_RES_NUMPROC, &st));
	EXPECT_EQ(0, vzbc_create(self->fd, self->ctid, self->cgfd[0]));
}

TEST_F(bc, create_bad_fd)
{
	char procs[CG_PATH_MAX + 16];
	int fds[7], closed, nfd = 0;
	struct vzbc_stat st;

	fds[nfd++] = -1;
	fds[nfd++] = open("/dev/null", O_RDWR | O_CLOEXEC);
	fds[nfd++] = memfd_create("vzbc-regular-file", MFD_CLOEXEC);
	/* A regular file inside the cgroup itself. */
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", self->cg[0]);
	fds[nfd++] = open(procs, O_RDONLY | O_CLOEXEC);
	/* Directories that are not cgroups. */
	fds[nfd++] = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	fds[nfd++] = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	/* An fd number that is not open. */
	closed = dup(self->cgfd[0]);
	ASSERT_LE(0, closed);
	close(closed);
	fds[nfd++] = closed;

	for (int i = 0; i < nfd; i++) {
		if (i > 0 && i < nfd - 1)
			ASSERT_LE(0, fds[i]) TH_LOG("fd #%d: %s", i, strerror(errno));
		EXPECT_EQ(-EBADF, vzbc_create(self->fd, self->ctid, fds[i]))
			TH_LOG("fd #%d", i);
		if (i > 0 && i < nfd - 1)
			close(fds[i]);
	}
	EXPECT_EQ(-ENOENT, vzbc_get_res(self->fd, self->ctid, VZBC_RES_NUMPROC, &st));
}

TEST_F(bc, create_root_cgroup)
{
	struct vzbc_stat st;
	int fd = cg_open(CG_ROOT);

	ASSERT_LE(0, fd);
	/* The root cgroup is the host's, never a container's. */
	EXPECT_EQ(-EINVAL, vzbc_create(self->fd, self->ctid, fd));
	close(fd);
	EXPECT_EQ(-ENOENT, vzbc_get_res(self->fd, self->ctid, VZBC_RES_NUMPROC, &st));
}

TEST_F(bc, create_opath_fd)
{
	int fd = open(self->cg[0], O_PATH | O_DIRECTORY | O_CLOEXEC);

	ASSERT_LE(0, fd);
	EXPECT_EQ(0, vzbc_create(self->fd, self->ctid, fd));
	close(fd);
	/* The beancounter does not depend on the fd staying open. */
	EXPECT_EQ(-EBUSY, vzbc_create(self->fd, self->ctid + 1, self->cgfd[0]));
}

TEST_F(bc, create_exists)
{
	ASSERT_EQ(0, vzbc_create(self->fd, self->ctid, self->cgfd[0]));
	EXPECT_EQ(-EEXIST, vzbc_create(self->fd, self->ctid, self->cgfd[1]));
	/* The failed call did not bind the second cgroup. */
	EXPECT_EQ(0, vzbc_create(self->fd, self->ctid + 1, self->cgfd[1]));
}

TEST_F(bc, create_busy)
{
	struct vzbc_stat st;
	int fd2;

	ASSERT_EQ(0, vzbc_create(self->fd, self->ctid, self->cgfd[0]));
	EXPECT_EQ(-EBUSY, vzbc_create(self->fd, self->ctid + 1, self->cgfd[0]));
	/* Another open file of the same cgroup is the same cgroup. */
	fd2 = open(self->cg[0], O_PATH | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, fd2);
	EXPECT_EQ(-EBUSY, vzbc_create(self->fd, self->ctid + 1, fd2));
	close(fd2);
	EXPECT_EQ(-ENOENT, vzbc_get_res(self->fd, self->ctid + 1, VZBC_RES_NUMPROC, &st));

	ASSERT_EQ(0, vzbc_destroy(self->fd, self->ctid));
	EXPECT_EQ(0, vzbc_create(self->fd, self->ctid + 1, self->cgfd[0]));
}

TEST_F(bc, bound_cgroup_removed)
{
	char again[CG_PATH_MAX];
	struct vzbc_stat st;
	int ret, fd;

	ASSERT_EQ(0, vzbc_create(self->fd, self->ctid, self->cgfd[0]));
	close(self->cgfd[0]);
	self->cgfd[0] = -1;
	/* A bound cgroup can still be removed. */
	ASSERT_EQ(0, rmdir(self->cg[0])) TH_LOG("rmdir: %s", strerror(errno));
	ret = vzbc_get_res(self->fd, self->ctid, VZBC_RES_NUMPROC, &st);
	EXPECT_TRUE(ret == 0 || ret == -ENOENT) TH_LOG("GET: %d", ret);
	if (!ret)
		EXPECT_EQ(0u, st.held);
	ret = vzbc_destroy(self->fd, self->ctid);
	EXPECT_TRUE(ret == 0 || ret == -ENOENT) TH_LOG("DESTROY: %d", ret);
	EXPECT_EQ(-ENOENT, vzbc_get_res(self->fd, self->ctid, VZBC_RES_NUMPROC, &st));

	/* A new cgroup of the same name is a new cgroup, free to bind. */
	ASSERT_EQ(0, cg_create_unique("0", again, sizeof(again)));
	ASSERT_STREQ(self->cg[0], again);
	fd = cg_open(again);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, vzbc_create(self->fd, self->ctid + 1, fd));
	close(fd);
}

TEST_F(bc, create_removed_cgroup)
{
	struct vzbc_stat st;

	/* The fd outlives the directory: the cgroup is gone, not bad. */
	ASSERT_EQ(0, rmdir(self->cg[2])) TH_LOG("rmdir: %s", strerror(errno));
	EXPECT_EQ(-ENOENT, vzbc_create(self->fd, self->ctid, self->cgfd[2]));
	EXPECT_EQ(-ENOENT, vzbc_get_res(self->fd, self->ctid, VZBC_RES_NUMPROC, &st));
}

TEST_F(bc, destroy_errors)
{
	EXPECT_EQ(-EINVAL, vzbc_destroy(self->fd, 0));
	EXPECT_EQ(-EINVAL, vzbc_destroy(self->fd, VZBC_CTID_MAX + 1));
	EXPECT_EQ(-EINVAL, vzbc_destroy(self->fd, 0xffffffffU));
	EXPECT_EQ(-ENOENT, vzbc_destroy(self->fd, self->ctid));
}

static void expect_limits(struct __test_metadata *_metadata, int fd,
			  uint32_t ctid, uint32_t res, uint64_t barrier,
			  uint64_t limit)
{
	struct vzbc_stat st;

	ASSERT_EQ(0, vzbc_get_res(fd, ctid, res, &st)) TH_LOG("resource %u", res);
	EXPECT_EQ(barrier, st.barrier) TH_LOG("resource %u", res);
	EXPECT_EQ(limit, st.limit) TH_LOG("resource %u", res);
}

TEST_F(bc, set_get)
{
	static const struct { uint32_t res; uint64_t b, l; } v[] = {
		{ VZBC_RES_NUMPROC, 10, 20 },
		{ VZBC_RES_PHYSPAGES, 1000, 1000 },
		{ VZBC_RES_SWAPPAGES, 0, 0 },
		{ VZBC_RES_IOBYTES, 1 << 20, 8 << 20 },
		/* iops stays unset: checked as untouched below */
	};
	int fd = self->fd;

	ASSERT_EQ(0, vzbc_create(fd, self->ctid, self->cgfd[0]));
	ASSERT_EQ(0, vzbc_create(fd, self->ctid + 1, self->cgfd[1]));
	for (unsigned int i = 0; i < VZBC_NR_RES; i++)
		expect_limits(_metadata, fd, self->ctid, vzbc_res_ids[i],
			      VZBC_UNLIMITED, VZBC_UNLIMITED);

	for (size_t i = 0; i < ARRAY_SIZE(v); i++) {
		ASSERT_EQ(0, vzbc_set(fd, self->ctid, v[i].res, v[i].b, v[i].l));
		/* This resource changed, the later ones did not. */
		for (size_t j = 0; j < ARRAY_SIZE(v); j++)
			expect_limits(_metadata, fd, self->ctid, v[j].res,
				      j <= i ? v[j].b : VZBC_UNLIMITED,
				      j <= i ? v[j].l : VZBC_UNLIMITED);
	}
	expect_limits(_metadata, fd, self->ctid, VZBC_RES_IOPS,
		      VZBC_UNLIMITED, VZBC_UNLIMITED);
	/* Another beancounter is untouched. */
	for (unsigned int i = 0; i < VZBC_NR_RES; i++)
		expect_limits(_metadata, fd, self->ctid + 1, vzbc_res_ids[i],
			      VZBC_UNLIMITED, VZBC_UNLIMITED);

	ASSERT_EQ(0, vzbc_set(fd, self->ctid, VZBC_RES_NUMPROC, 5, VZBC_UNLIMITED));
	expect_limits(_metadata, fd, self->ctid, VZBC_RES_NUMPROC, 5, VZBC_UNLIMITED);
	ASSERT_EQ(0, vzbc_set(fd, self->ctid, VZBC_RES_NUMPROC,
			      VZBC_UNLIMITED, VZBC_UNLIMITED));
	expect_limits(_metadata, fd, self->ctid, VZBC_RES_NUMPROC,
		      VZBC_UNLIMITED, VZBC_UNLIMITED);
}

TEST_F(bc, set_errors)
{
	static const uint32_t bad_res[] = {
		0, 1, 4, 7, 23, __VZBC_RES_MAX, __VZBC_RES_MAX + 1, 1000,
		0x7fffffffU, 0xffffffffU,
	};
	static const struct { uint64_t b, l; } bad_val[] = {
		{ 2, 1 },
		{ VZBC_UNLIMITED, 0 },
		{ 0, VZBC_UNLIMITED + 1 },
		{ VZBC_UNLIMITED + 1, VZBC_UNLIMITED + 1 },
		{ VZBC_UNLIMITED + 1, VZBC_UNLIMITED },
		{ UINT64_MAX, UINT64_MAX },
		{ 0, UINT64_MAX },
	};
	int fd = self->fd;

	ASSERT_EQ(0, vzbc_create(fd, self->ctid, self->cgfd[0]));
	for (unsigned int i = 0; i < VZBC_NR_RES; i++) {
		ASSERT_EQ(0, vzbc_set(fd, self->ctid, vzbc_res_ids[i], 7, 9));
	}

	for (size_t i = 0; i < ARRAY_SIZE(bad_res); i++) {
		EXPECT_EQ(-EINVAL, vzbc_set(fd, self->ctid, bad_res[i], 1, 2))
			TH_LOG("resource %u", bad_res[i]);
	}
	for (unsigned int r = 0; r < VZBC_NR_RES; r++) {
		for (size_t i = 0; i < ARRAY_SIZE(bad_val); i++) {
			EXPECT_EQ(-EINVAL, vzbc_set(fd, self->ctid, vzbc_res_ids[r],
						    bad_val[i].b, bad_val[i].l))
				TH_LOG("resource %u barrier %#llx limit %#llx",
				       vzbc_res_ids[r],
				       (unsigned long long)bad_val[i].b,
				       (unsigned long long)bad_val[i].l);
		}
	}
	for (uint32_t flags = 1; flags; flags <<= 1) {
		struct vzbc_set s = {
			.size = sizeof(s), .ctid = self->ctid,
			.resource = VZBC_RES_NUMPROC, .flags = flags,
			.barrier = 1, .limit = 1,
		};

		EXPECT_EQ(-1, ioctl(fd, VZBC_IOC_SET, &s));
		EXPECT_EQ(EINVAL, errno) TH_LOG("flags %#x", flags);
	}
	EXPECT_EQ(-ENOENT, vzbc_set(fd, self->ctid + 1, VZBC_RES_NUMPROC, 1, 2));
	EXPECT_EQ(-EINVAL, vzbc_set(fd, 0, VZBC_RES_NUMPROC, 1, 2));
	EXPECT_EQ(-EINVAL, vzbc_set(fd, VZBC_CTID_MAX + 1, VZBC_RES_NUMPROC, 1, 2));

	/* Nothing above changed anything. */
	for (unsigned int i = 0; i < VZBC_NR_RES; i++)
		expect_limits(_metadata, fd, self->ctid, vzbc_res_ids[i], 7, 9);
}

static void fill(void *p, size_t len)
{
	memset(p, 0xa5, len);
}

static bool untouched(const void *p, size_t len)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < len; i++)
		if (c[i] != 0xa5)
			return false;
	return true;
}

TEST_F(bc, get_entries)
{
	struct vzbc_stat st[8];
	uint32_t nr;

	ASSERT_EQ(0, vzbc_create(self->fd, self->ctid, self->cgfd[0]));

	fill(st, sizeof(st));
	nr = ARRAY_SIZE(st);
	ASSERT_EQ(0, vzbc_get(self->fd, self->ctid, st, &nr));
	ASSERT_EQ(VZBC_NR_RES, nr);
	for (unsigned int i = 0; i < VZBC_NR_RES; i++) {
		EXPECT_EQ(vzbc_res_ids[i], st[i].resource);
		EXPECT_EQ(0u, st[i].flags & ~VZBC_STAT_ACCOUNTED);
		EXPECT_EQ(VZBC_UNLIMITED, st[i].barrier);
		EXPECT_EQ(VZBC_UNLIMITED, st[i].limit);
		EXPECT_LE(st[i].minheld, st[i].held);
		EXPECT_LE(st[i].held, st[i].maxheld);
	}
	/* An empty cgroup with its own memory controller: all accounted. */
	for (unsigned int i = 0; i < VZBC_NR_RES; i++) {
		EXPECT_EQ(VZBC_STAT_ACCOUNTED, st[i].flags)
			TH_LOG("%s", vzbc_res_names[i]);
	}
	EXPECT_EQ(0u, st[0].held);
	EXPECT_EQ(0u, st[0].maxheld);
	EXPECT_EQ(0u, st[0].failcnt);
	EXPECT_TRUE(untouched(&st[VZBC_NR_RES],
			      sizeof(st) - VZBC_NR_RES * sizeof(st[0])));

	/* A smaller array gets the first resources in order. */
	for (uint32_t cap = 0; cap < VZBC_NR_RES; cap++) {
		fill(st, sizeof(st));
		nr = cap;
		ASSERT_EQ(0, vzbc_get(self->fd, self->ctid, st, &nr));
		ASSERT_EQ(cap, nr);
		for (uint32_t i = 0; i < cap; i++) {
			EXPECT_EQ(vzbc_res_ids[i], st[i].resource);
		}
		EXPECT_TRUE(untouched(&st[cap], sizeof(st) - cap * sizeof(st[0])))
			TH_LOG("capacity %u", cap);
	}
}

TEST_F(bc, get_capacity_edges)
{
	struct vzbc_stat st[VZBC_NR_RES];
	void *hole = unmapped_addr();
	uint32_t nr;

	ASSERT_NE(NULL, hole);
	ASSERT_EQ(0, vzbc_create(self->fd, self->ctid, self->cgfd[0]));

	/* Capacity 0 writes nothing, so any pointer will do. */
	nr = 0;
	EXPECT_EQ(0, vzbc_get(self->fd, self->ctid, NULL, &nr));
	EXPECT_EQ(0u, nr);
	nr = 0;
	EXPECT_EQ(0, vzbc_get(self->fd, self->ctid, hole, &nr));
	EXPECT_EQ(0u, nr);
	/* A huge capacity is fine: only the entries that exist are written. */
	nr = UINT32_MAX;
	EXPECT_EQ(0, vzbc_get(self->fd, self->ctid, st, &nr));
	EXPECT_EQ(VZBC_NR_RES, nr);
	nr = 0x80000000U / sizeof(st[0]) + 1;
	EXPECT_EQ(0, vzbc_get(self->fd, self->ctid, st, &nr));
	EXPECT_EQ(VZBC_NR_RES, nr);
}

TEST_F(bc, get_errors)
{
	size_t rounded, ps = page_size();
	char *area = guarded_alloc(ps, &rounded);
	void *hole = unmapped_addr();
	struct vzbc_stat st[VZBC_NR_RES];
	uint32_t nr;

	ASSERT_NE(NULL, area);
	ASSERT_NE(NULL, hole);
	ASSERT_EQ(0, vzbc_create(self->fd, self->ctid, self->cgfd[0]));

	nr = 1;
	EXPECT_EQ(-EFAULT, vzbc_get(self->fd, self->ctid, NULL, &nr));
	nr = VZBC_NR_RES;
	EXPECT_EQ(-EFAULT, vzbc_get(self->fd, self->ctid, hole, &nr));
	/* Room for one entry before the unmapped page, three asked for. */
	nr = VZBC_NR_RES;
	EXPECT_EQ(-EFAULT, vzbc_get(self->fd, self->ctid,
				    (void *)(area + rounded - sizeof(st[0])), &nr));
	/* Read-only memory. */
	ASSERT_EQ(0, mprotect(area, rounded, PROT_READ));
	nr = VZBC_NR_RES;
	EXPECT_EQ(-EFAULT, vzbc_get(self->fd, self->ctid, (void *)area, &nr));

	nr = VZBC_NR_RES;
	EXPECT_EQ(-ENOENT, vzbc_get(self->fd, self->ctid + 1, st, &nr));
	/* Ids out of range are invalid, not unknown (vzbc-api.rst). */
	nr = VZBC_NR_RES;
	EXPECT_EQ(-EINVAL, vzbc_get(self->fd, 0, st, &nr));
	nr = VZBC_NR_RES;
	EXPECT_EQ(-EINVAL, vzbc_get(self->fd, VZBC_CTID_MAX + 1, st, &nr));

	for (uint32_t flags = 1; flags; flags <<= 1) {
		struct vzbc_get g = {
			.size = sizeof(g), .ctid = self->ctid, .flags = flags,
			.nr_stats = VZBC_NR_RES, .stats = (uintptr_t)st,
		};

		EXPECT_EQ(-1, ioctl(self->fd, VZBC_IOC_GET, &g));
		EXPECT_EQ(EINVAL, errno) TH_LOG("flags %#x", flags);
	}
	munmap(area, rounded);
}

/* The ids of @ids[0..nr) that fall in [lo, hi), in order. */
static uint32_t pick_range(const uint32_t *ids, uint32_t nr, uint32_t lo,
			   uint32_t hi, uint32_t *out)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < nr; i++)
		if (ids[i] >= lo && ids[i] < hi)
			out[n++] = ids[i];
	return n;
}

TEST_F(bc, list)
{
	uint32_t ids[256], mine[8], nr, next, base = self->ctid;

	ASSERT_EQ(0, vzbc_create(self->fd, base + 5, self->cgfd[0]));
	ASSERT_EQ(0, vzbc_create(self->fd, base, self->cgfd[1]));
	ASSERT_EQ(0, vzbc_create(self->fd, base + 2, self->cgfd[2]));

	nr = ARRAY_SIZE(ids);
	ASSERT_EQ(0, vzbc_list(self->fd, base, ids, &nr, &next));
	ASSERT_LE(3u, nr);
	for (uint32_t i = 0; i < nr; i++) {
		EXPECT_LE(base, ids[i]);
		if (i)
			EXPECT_LT(ids[i - 1], ids[i]);
	}
	ASSERT_EQ(3u, pick_range(ids, nr, base, base + 64, mine));
	EXPECT_EQ(base, mine[0]);
	EXPECT_EQ(base + 2, mine[1]);
	EXPECT_EQ(base + 5, mine[2]);
	if (nr < ARRAY_SIZE(ids))
		EXPECT_EQ(0u, next);

	/* Start in the middle. */
	nr = ARRAY_SIZE(ids);
	ASSERT_EQ(0, vzbc_list(self->fd, base + 1, ids, &nr, &next));
	ASSERT_LE(2u, nr);
	EXPECT_EQ(base + 2, ids[0]);
	EXPECT_EQ(base + 5, ids[1]);

	/* One at a time, resuming from next_ctid. */
	nr = 1;
	ASSERT_EQ(0, vzbc_list(self->fd, base, ids, &nr, &next));
	ASSERT_EQ(1u, nr);
	EXPECT_EQ(base, ids[0]);
	EXPECT_LT(base, next);
	EXPECT_GE(base + 2, next);
	nr = 1;
	ASSERT_EQ(0, vzbc_list(self->fd, next, ids, &nr, &next));
	ASSERT_EQ(1u, nr);
	EXPECT_EQ(base + 2, ids[0]);
	EXPECT_LT(base + 2, next);
	EXPECT_GE(base + 5, next);
	nr = 1;
	ASSERT_EQ(0, vzbc_list(self->fd, next, ids, &nr, &next));
	ASSERT_EQ(1u, nr);
	EXPECT_EQ(base + 5, ids[0]);

	/* Destroyed ids are gone. */
	ASSERT_EQ(0, vzbc_destroy(self->fd, base + 2));
	nr = ARRAY_SIZE(ids);
	ASSERT_EQ(0, vzbc_list(self->fd, base, ids, &nr, &next));
	ASSERT_EQ(2u, pick_range(ids, nr, base, base + 64, mine));
	EXPECT_EQ(base, mine[0]);
	EXPECT_EQ(base + 5, mine[1]);
}

TEST_F(bc, list_all_pages)
{
	uint32_t ids[2], nr, start = 0, next, last = 0, seen = 0, calls = 0;

	ASSERT_EQ(0, vzbc_create(self->fd, self->ctid, self->cgfd[0]));
	ASSERT_EQ(0, vzbc_create(self->fd, self->ctid + 3, self->cgfd[1]));
	do {
		nr = ARRAY_SIZE(ids);
		ASSERT_EQ(0, vzbc_list(self->fd, start, ids, &nr, &next));
		ASSERT_GE(ARRAY_SIZE(ids), nr);
		for (uint32_t i = 0; i < nr; i++) {
			/* Strictly ascending across pages: nothing repeats. */
			ASSERT_LT(last, ids[i]);
			last = ids[i];
			seen += ids[i] == self->ctid || ids[i] == self->ctid + 3;
		}
		if (next)
			ASSERT_LT(last, next);
		start = next;
		ASSERT_GT(100000u, ++calls) TH_LOG("LIST does not terminate");
	} while (next);
	EXPECT_EQ(2u, seen);
}

TEST_F(bc, list_edges)
{
	void *hole = unmapped_addr();
	uint32_t ids[4], nr, next, *big;

	ASSERT_NE(NULL, hole);
	ASSERT_EQ(0, vzbc_create(self->fd, self->ctid, self->cgfd[0]));

	nr = 0;
	EXPECT_EQ(0, vzbc_list(self->fd, self->ctid, ids, &nr, &next));
	EXPECT_EQ(0u, nr);
	nr = 0;
	EXPECT_EQ(0, vzbc_list(self->fd, self->ctid, NULL, &nr, &next));
	EXPECT_EQ(0u, nr);

	nr = ARRAY_SIZE(ids);
	EXPECT_EQ(-EFAULT, vzbc_list(self->fd, self->ctid, NULL, &nr, &next));
	nr = ARRAY_SIZE(ids);
	EXPECT_EQ(-EFAULT, vzbc_list(self->fd, self->ctid, hole, &nr, &next));

	/* A start past the last id is invalid; 0 acts as 1. */
	nr = ARRAY_SIZE(ids);
	EXPECT_EQ(-EINVAL, vzbc_list(self->fd, VZBC_CTID_MAX + 1, ids, &nr, &next));
	nr = ARRAY_SIZE(ids);
	EXPECT_EQ(-EINVAL, vzbc_list(self->fd, UINT32_MAX, ids, &nr, &next));

	/* A huge capacity only writes what exists. */
	big = calloc(1 << 16, sizeof(*big));
	ASSERT_NE(NULL, big);
	nr = UINT32_MAX;
	ASSERT_EQ(0, vzbc_list(self->fd, self->ctid, big, &nr, &next));
	ASSERT_LE(1u, nr);
	ASSERT_GT(1u << 16, nr);
	EXPECT_EQ(self->ctid, big[0]);
	EXPECT_EQ(0u, next);
	free(big);
}

/*
 * Extensible structs.  Every command gets the same size cases; a table
 * says how to check the effect of each call.
 */
enum { SZ_OK, SZ_EINVAL, SZ_E2BIG };

struct size_case {
	uint32_t size;		/* 0: the VER0 size */
	long dirty_at;		/* -1: all-zero tail */
	int expect;
};

/* @ver0: the smallest size; @ksize: the kernel's, where the tail starts. */
static struct size_case size_cases(uint32_t ver0, uint32_t ksize, int i)
{
	size_t ps = page_size();
	const struct size_case c[] = {
		{ 0, -1, SZ_EINVAL },
		{ 4, -1, SZ_EINVAL },
		{ ver0 - 1, -1, SZ_EINVAL },
		{ ver0, -1, SZ_OK },
		{ ver0 + 1, -1, SZ_OK },
		{ ksize + 8, -1, SZ_OK },
		{ ksize + 8, ksize, SZ_E2BIG },
		{ ksize + 8, ksize + 7, SZ_E2BIG },
		{ ps, -1, SZ_OK },
		{ ps, ps - 1, SZ_E2BIG },
		/* Past a page is E2BIG however zero, as for openat2 and clone3
		 * (Documentation/vzbc-api.rst). */
		{ ps + 1, -1, SZ_E2BIG },
		{ 3 * ps, -1, SZ_E2BIG },
	};

	if (i >= (int)ARRAY_SIZE(c))
		return (struct size_case){ .size = UINT32_MAX };
	return c[i];
}

static int expected_errno(int expect)
{
	return expect == SZ_OK ? 0 : expect == SZ_EINVAL ? -EINVAL : -E2BIG;
}

#define for_each_size_case(c, ver0, i) \
	for_each_size_case_k(c, ver0, ver0, i)
#define for_each_size_case_k(c, ver0, ksize, i)				\
	for (i = 0, c = size_cases(ver0, ksize, 0); c.size != UINT32_MAX; \
	     c = size_cases(ver0, ksize, ++i))

TEST_F(bc, create_struct_size)
{
	struct vzbc_create c = { .ctid = self->ctid, .cgroup_fd = self->cgfd[0] };
	struct vzbc_stat st;
	struct size_case sc;
	int i;

	for_each_size_case(sc, VZBC_CREATE_SIZE_VER0, i) {
		int ret = sized_ioctl(self->fd, VZBC_IOC_CREATE, &c, sizeof(c),
				      sc.size, sc.dirty_at, NULL);

		EXPECT_EQ(expected_errno(sc.expect), ret)
			TH_LOG("size %u dirty byte %ld", sc.size, sc.dirty_at);
		ret = vzbc_destroy(self->fd, self->ctid);
		EXPECT_EQ(sc.expect == SZ_OK ? 0 : -ENOENT, ret)
			TH_LOG("size %u dirty byte %ld", sc.size, sc.dirty_at);
	}
	EXPECT_EQ(-ENOENT, vzbc_get_res(self->fd, self->ctid, VZBC_RES_NUMPROC, &st));
}

TEST_F(bc, destroy_struct_size)
{
	struct vzbc_ctid c = { .ctid = self->ctid };
	struct vzbc_stat st;
	struct size_case sc;
	int i;

	for_each_size_case(sc, VZBC_CTID_SIZE_VER0, i) {
		int ret;

		ASSERT_EQ(0, vzbc_create(self->fd, self->ctid, self->cgfd[0]));
		ret = sized_ioctl(self->fd, VZBC_IOC_DESTROY, &c, sizeof(c),
				  sc.size, sc.dirty_at, NULL);
		EXPECT_EQ(expected_errno(sc.expect), ret)
			TH_LOG("size %u dirty byte %ld", sc.size, sc.dirty_at);
		ret = vzbc_get_res(self->fd, self->ctid, VZBC_RES_NUMPROC, &st);
		EXPECT_EQ(sc.expect == SZ_OK ? -ENOENT : 0, ret)
			TH_LOG("size %u dirty byte %ld", sc.size, sc.dirty_at);
		vzbc_destroy(self->fd, self->ctid);
	}
}

TEST_F(bc, set_struct_size)
{
	struct vzbc_set s = {
		.ctid = self->ctid, .resource = VZBC_RES_NUMPROC,
	};
	struct size_case sc;
	struct vzbc_stat st;
	int i;

	ASSERT_EQ(0, vzbc_create(self->fd, self->ctid, self->cgfd[0]));
	for_each_size_case(sc, VZBC_SET_SIZE_VER0, i) {
		int ret;

		ASSERT_EQ(0, vzbc_set(self->fd, self->ctid, VZBC_RES_NUMPROC, 1, 2));
		s.barrier = 100 + i;
		s.limit = 200 + i;
		ret = sized_ioctl(self->fd, VZBC_IOC_SET, &s, sizeof(s),
				  sc.size, sc.dirty_at, NULL);
		EXPECT_EQ(expected_errno(sc.expect), ret)
			TH_LOG("size %u dirty byte %ld", sc.size, sc.dirty_at);
		ASSERT_EQ(0, vzbc_get_res(self->fd, self->ctid, VZBC_RES_NUMPROC, &st));
		EXPECT_EQ(sc.expect == SZ_OK ? s.barrier : 1, st.barrier);
		EXPECT_EQ(sc.expect == SZ_OK ? s.limit : 2, st.limit);
	}
}

TEST_F(bc, get_struct_size)
{
	struct vzbc_stat st[VZBC_NR_RES];
	struct vzbc_get g = { .ctid = self->ctid, .stats = (uintptr_t)st }, out;
	struct size_case sc;
	int i;

	ASSERT_EQ(0, vzbc_create(self->fd, self->ctid, self->cgfd[0]));
	for_each_size_case_k(sc, VZBC_GET_SIZE_VER0, VZBC_GET_SIZE_VER1, i) {
		int ret;

		fill(st, sizeof(st));
		g.nr_stats = VZBC_NR_RES;
		ret = sized_ioctl(self->fd, VZBC_IOC_GET, &g, sizeof(g),
				  sc.size, sc.dirty_at, &out);
		EXPECT_EQ(expected_errno(sc.expect), ret)
			TH_LOG("size %u dirty byte %ld", sc.size, sc.dirty_at);
		if (sc.expect == SZ_OK) {
			EXPECT_EQ(VZBC_NR_RES, out.nr_stats);
			EXPECT_EQ((__u32)VZBC_RES_NUMPROC, st[0].resource);
		} else {
			EXPECT_TRUE(untouched(st, sizeof(st)));
		}
	}
}

TEST_F(bc, list_struct_size)
{
	uint32_t ids[64];
	struct vzbc_list l = { .start_ctid = self->ctid, .ctids = (uintptr_t)ids };
	struct vzbc_list out;
	struct size_case sc;
	int i;

	ASSERT_EQ(0, vzbc_create(self->fd, self->ctid, self->cgfd[0]));
	for_each_size_case(sc, VZBC_LIST_SIZE_VER0, i) {
		int ret;

		fill(ids, sizeof(ids));
		l.nr_ctids = ARRAY_SIZE(ids);
		ret = sized_ioctl(self->fd, VZBC_IOC_LIST, &l, sizeof(l),
				  sc.size, sc.dirty_at, &out);
		EXPECT_EQ(expected_errno(sc.expect), ret)
			TH_LOG("size %u dirty byte %ld", sc.size, sc.dirty_at);
		if (sc.expect == SZ_OK) {
			EXPECT_LE(1u, out.nr_ctids);
			EXPECT_EQ(self->ctid, ids[0]);
		} else {
			EXPECT_TRUE(untouched(ids, sizeof(ids)));
		}
	}
}

TEST_F(bc, bad_arg_pointer)
{
	static const struct { unsigned long cmd; uint32_t ver0; } cmds[] = {
		{ VZBC_IOC_CREATE, VZBC_CREATE_SIZE_VER0 },
		{ VZBC_IOC_DESTROY, VZBC_CTID_SIZE_VER0 },
		{ VZBC_IOC_SET, VZBC_SET_SIZE_VER0 },
		{ VZBC_IOC_GET, VZBC_GET_SIZE_VER0 },
		{ VZBC_IOC_LIST, VZBC_LIST_SIZE_VER0 },
	};
	size_t rounded, ps = page_size();
	char *area = guarded_alloc(ps, &rounded);
	void *hole = unmapped_addr();

	ASSERT_NE(NULL, area);
	ASSERT_NE(NULL, hole);
	for (size_t i = 0; i < ARRAY_SIZE(cmds); i++) {
		uint32_t *tail = (uint32_t *)(area + rounded - sizeof(uint32_t));

		EXPECT_EQ(-1, ioctl(self->fd, cmds[i].cmd, NULL));
		EXPECT_EQ(EFAULT, errno) TH_LOG("cmd %#lx NULL", cmds[i].cmd);
		EXPECT_EQ(-1, ioctl(self->fd, cmds[i].cmd, hole));
		EXPECT_EQ(EFAULT, errno) TH_LOG("cmd %#lx unmapped", cmds[i].cmd);
		/* The size field is readable, the rest is not. */
		*tail = cmds[i].ver0;
		EXPECT_EQ(-1, ioctl(self->fd, cmds[i].cmd, tail));
		EXPECT_EQ(EFAULT, errno) TH_LOG("cmd %#lx truncated", cmds[i].cmd);
		/* A page-sized struct whose zero tail runs into the unmapped page. */
		memset(area, 0, rounded);
		*(uint32_t *)(area + 64) = ps;
		EXPECT_EQ(-1, ioctl(self->fd, cmds[i].cmd, area + 64));
		EXPECT_EQ(EFAULT, errno) TH_LOG("cmd %#lx tail unmapped", cmds[i].cmd);
	}
	munmap(area, rounded);
}

TEST_F(bc, unknown_cmd)
{
	const unsigned long cmds[] = {
		_IO(VZBC_MAGIC, 99),
		_IO(VZBC_MAGIC, __VZBC_IOC_NR_MAX),
		_IOWR(VZBC_MAGIC, __VZBC_IOC_NR_MAX, struct vzbc_get),
		_IOWR(VZBC_MAGIC, 255, struct vzbc_get),
		_IO('x', 0),
		_IOW(VZBC_MAGIC + 1, 1, struct vzbc_create),
		_IOWR(VZBC_MAGIC - 1, 4, struct vzbc_get),
		/*
		 * Known numbers with another direction or size are the same
		 * command (only type and number count): vzbc_abi_test.
		 */
	};
	char arg[4096];

	memset(arg, 0, sizeof(arg));
	*(uint32_t *)arg = 64;
	for (size_t i = 0; i < ARRAY_SIZE(cmds); i++) {
		EXPECT_EQ(-1, ioctl(self->fd, cmds[i], arg));
		EXPECT_EQ(ENOTTY, errno) TH_LOG("cmd %#lx", cmds[i]);
	}
}

/*
 * Privilege checks run in a child, which reports what each call returned
 * through shared memory so that the parent asserts with full messages.
 */
enum {
	OP_CREATE, OP_DESTROY, OP_SET, OP_GET, OP_LIST, OP_VERSION,
	OP_OPEN_RW, OP_OPEN_RO, NR_OPS,
};

static const char *const op_names[NR_OPS] = {
	"CREATE", "DESTROY", "SET", "GET", "LIST", "VERSION", "open(O_RDWR)",
	"open(O_RDONLY)",
};

struct priv_result {
	int setup;		/* 0, or -errno of the privilege drop */
	bool skip;
	bool perm_before_read;	/* EPERM even with a NULL argument */
	int ret[NR_OPS];
};

enum drop_how { DROP_CAP_SYS_ADMIN, DROP_USERNS, DROP_SETUID };

static void priv_child(int fd, const char *cg, uint32_t ctid, enum drop_how how,
		       struct priv_result *r)
{
	int cgfd = cg_open(cg), ret = 0;
	uint32_t ids[4], nr = ARRAY_SIZE(ids), nst = VZBC_NR_RES;
	struct vzbc_stat st[VZBC_NR_RES];

	switch (how) {
	case DROP_CAP_SYS_ADMIN:
		ret = cap_drop(CAP_SYS_ADMIN);
		break;
	case DROP_USERNS:
		if (unshare(CLONE_NEWUSER)) {
			ret = -errno;
			/* No user namespaces in this kernel or config. */
			r->skip = errno == EINVAL || errno == ENOSPC ||
				  errno == EPERM;
		}
		break;
	case DROP_SETUID:
		ret = become_nobody();
		break;
	}
	r->setup = ret;
	if (ret)
		_exit(0);
	r->perm_before_read = true;

	r->ret[OP_CREATE] = vzbc_create(fd, ctid + 1, cgfd);
	r->ret[OP_DESTROY] = vzbc_destroy(fd, ctid);
	r->ret[OP_SET] = vzbc_set(fd, ctid, VZBC_RES_NUMPROC, 1, 1);
	/* The capability is checked before the argument is read. */
	if (ioctl(fd, VZBC_IOC_CREATE, NULL) == 0 || errno != EPERM ||
	    ioctl(fd, VZBC_IOC_DESTROY, NULL) == 0 || errno != EPERM ||
	    ioctl(fd, VZBC_IOC_SET, NULL) == 0 || errno != EPERM)
		r->perm_before_read = false;
	r->ret[OP_GET] = vzbc_get(fd, ctid, st, &nst);
	r->ret[OP_LIST] = vzbc_list(fd, ctid, ids, &nr, NULL);
	r->ret[OP_VERSION] = vzbc_version(fd);
	ret = open(VZBC_DEV, O_RDWR | O_CLOEXEC);
	r->ret[OP_OPEN_RW] = ret < 0 ? -errno : 0;
	ret = open(VZBC_DEV, O_RDONLY | O_CLOEXEC);
	r->ret[OP_OPEN_RO] = ret < 0 ? -errno : 0;
	_exit(0);
}

static void check_privileges(struct __test_metadata *_metadata,
			     FIXTURE_DATA(bc) *self, enum drop_how how,
			     const int *want)
{
	struct priv_result *r;
	struct vzbc_stat st;
	int status;
	pid_t pid;

	ASSERT_EQ(0, vzbc_create(self->fd, self->ctid, self->cgfd[0]));
	ASSERT_EQ(0, vzbc_set(self->fd, self->ctid, VZBC_RES_NUMPROC, 40, 50));
	r = mmap(NULL, sizeof(*r), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, r);
	memset(r, 0, sizeof(*r));
	r->setup = -EINPROGRESS;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		priv_child(self->fd, self->cg[1], self->ctid, how, r);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	if (r->skip)
		SKIP(return, "no user namespaces: %s", strerror(-r->setup));
	ASSERT_EQ(0, r->setup) TH_LOG("dropping privileges: %s", strerror(-r->setup));

	if (want[OP_CREATE] == -EPERM)
		EXPECT_TRUE(r->perm_before_read);
	for (int op = 0; op < NR_OPS; op++) {
		if (want[op] == 1)	/* "don't care" */
			continue;
		EXPECT_EQ(want[op], r->ret[op]) TH_LOG("%s", op_names[op]);
	}
	/* The refused calls changed nothing. */
	ASSERT_EQ(0, vzbc_get_res(self->fd, self->ctid, VZBC_RES_NUMPROC, &st));
	EXPECT_EQ(40u, st.barrier);
	EXPECT_EQ(50u, st.limit);
	EXPECT_EQ(-ENOENT, vzbc_get_res(self->fd, self->ctid + 1, VZBC_RES_NUMPROC, &st));
	munmap(r, sizeof(*r));
}

TEST_F(bc, eperm_without_cap_sys_admin)
{
	const int want[NR_OPS] = {
		[OP_CREATE] = -EPERM, [OP_DESTROY] = -EPERM, [OP_SET] = -EPERM,
		[OP_GET] = 0, [OP_LIST] = 0, [OP_VERSION] = VZBC_API_VERSION,
		/* Still uid 0 with CAP_DAC_OVERRIDE: the device opens. */
		[OP_OPEN_RW] = 0, [OP_OPEN_RO] = 0,
	};

	check_privileges(_metadata, self, DROP_CAP_SYS_ADMIN, want);
}

TEST_F(bc, eperm_in_user_namespace)
{
	const int want[NR_OPS] = {
		[OP_CREATE] = -EPERM, [OP_DESTROY] = -EPERM, [OP_SET] = -EPERM,
		[OP_GET] = 0, [OP_LIST] = 0, [OP_VERSION] = VZBC_API_VERSION,
		[OP_OPEN_RW] = 1, [OP_OPEN_RO] = 1,
	};

	check_privileges(_metadata, self, DROP_USERNS, want);
}

TEST_F(bc, non_root_user)
{
	const int want[NR_OPS] = {
		[OP_CREATE] = -EPERM, [OP_DESTROY] = -EPERM, [OP_SET] = -EPERM,
		/* An fd opened by root keeps working for reads. */
		[OP_GET] = 0, [OP_LIST] = 0, [OP_VERSION] = VZBC_API_VERSION,
		/* Mode 0600 root: nobody else opens it. */
		[OP_OPEN_RW] = -EACCES, [OP_OPEN_RO] = -EACCES,
	};

	check_privileges(_metadata, self, DROP_SETUID, want);
}

TEST_HARNESS_MAIN
