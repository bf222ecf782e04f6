// SPDX-License-Identifier: GPL-2.0
/*
 * Robustness of the module's interfaces:
 *
 * - ioctl: several threads (and one unprivileged process) send random
 *   commands, sizes, contents and pointers to /dev/vzbc; every result must
 *   be one of the errors Documentation/vzbc-api.rst lists for the command,
 *   and the one(s) the argument calls for; afterwards the module holds
 *   exactly the beancounters the successful calls made.
 * - netlink: the same with random messages to the VZBC family; every
 *   answer must be a well-formed error, ACK, reply or end of dump.
 * (Unloading the module under load is vzbc_module_test's.)
 *
 * The kernel must not complain on the console meanwhile (the VM harness
 * fails the run on any splat).  VZBC_FUZZ_SECONDS (default 5) sets how
 * long each fuzzer runs; VZBC_FUZZ_SEED replays a run.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "kselftest_harness.h"
#include "cg.h"
#include "fuzz.h"
#include "genl.h"
#include "mem.h"
#include "priv.h"
#include "vzbc.h"

#define NR_IDS		64	/* vzbc_test_ctid(0..63): this process's */
#define NR_HOT_IDS	12	/* most fuzzed ctids come from the first few */
#define NR_CG		12
#define IOC_THREADS	4
#define NL_THREADS	3
#define NL_STABLE	8	/* netlink: ids 0..7 exist throughout */
#define NL_DYNAMIC	4	/* netlink: ids 8..11 come and go */
#define NL_ABSENT	40	/* netlink: ids 40..63 never exist */
#define MAX_FAILS	6

/*
 * Results worth reading in the log.  stderr: each test runs in a child
 * that leaves with _exit(), which would drop what stdout buffers.
 */
#define note(...) fprintf(stderr, "# " __VA_ARGS__)

/* ------------------------------------------------------------------------
 * The documented errors (Documentation/vzbc-api.rst, "Commands"), one row
 * per command.  The fuzzer fails on anything else.
 */
enum cmd_kind {
	K_VERSION, K_CREATE, K_DESTROY, K_SET, K_GET, K_LIST, K_RESOURCES,
	K_UNKNOWN, K_NR
};

static const char *const kind_names[K_NR] = {
	"VERSION", "CREATE", "DESTROY", "SET", "GET", "LIST", "RESOURCES", "unknown",
};

static const int documented[K_NR][10] = {
	[K_VERSION] = { 0 },
	[K_CREATE]  = { EINVAL, EBADF, ENOENT, EEXIST, EBUSY, ENOMEM, EPERM,
			EFAULT, E2BIG },
	[K_DESTROY] = { EINVAL, ENOENT, EPERM, EFAULT, E2BIG },
	[K_SET]     = { EINVAL, ENOENT, EPERM, EFAULT, E2BIG },
	[K_GET]     = { EINVAL, ENOENT, EFAULT, E2BIG },
	[K_LIST]    = { EINVAL, EFAULT, E2BIG },
	[K_RESOURCES] = { EINVAL, EFAULT, E2BIG },
	[K_UNKNOWN] = { ENOTTY },
};

static struct fz_errset documented_set(enum cmd_kind k)
{
	struct fz_errset s = { { 0 } };

	for (int i = 0; i < 10 && documented[k][i]; i++)
		fz_errset_add(&s, documented[k][i]);
	return s;
}

/* ------------------------------------------------------------------------
 * The fixture: cgroups to bind, the private ctid range, the module's
 * state before the test.
 */
FIXTURE(fuzz) {
	int fd;
	uint32_t base;			/* vzbc_test_ctid(0) */
	char cg[NR_CG][CG_PATH_MAX];
	int cgfd[NR_CG];
	char nested[CG_PATH_MAX];	/* a child of cg[0] */
	int nestedfd;
	int pathfd;			/* O_PATH of cg[1] */
	int rootfd;			/* the root cgroup: EINVAL */
	int filefd;			/* cg[0]/cgroup.procs: EBADF */
	int tmpfd;			/* a tmpfs directory: EBADF */
	int closedfd;			/* a number no fd has: EBADF */
	int removedfd;			/* a removed cgroup: ENOENT */
	uint32_t *pre_ids;		/* every ctid before the test */
	uint32_t pre_nr;
	unsigned int seconds;
	uint64_t seed;
	int net[NR_IDS];		/* successful CREATEs minus DESTROYs */
};

static bool in_range(FIXTURE_DATA(fuzz) *self, uint32_t ctid)
{
	return ctid >= self->base && ctid - self->base < NR_IDS;
}

/* live_beancounters reaches @want (frees wait for a grace period). */
FIXTURE_SETUP(fuzz)
{
	char path[CG_PATH_MAX + 32];
	uint64_t live;
	int ret;

	self->fd = self->nestedfd = self->pathfd = self->rootfd = -1;
	self->filefd = self->tmpfd = self->removedfd = -1;
	for (int i = 0; i < NR_CG; i++)
		self->cgfd[i] = -1;
	self->base = vzbc_test_ctid(0);
	self->seconds = fz_env_seconds("VZBC_FUZZ_SECONDS", 5);
	self->seed = fz_run_seed();

	ASSERT_EQ(0, vzbc_module_ensure()) TH_LOG("vzbc not loaded and $VZBC_MODULE does not load");
	self->fd = vzbc_open();
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", VZBC_DEV, strerror(-self->fd));
	for (int i = 0; i < NR_CG; i++) {
		char tag[16];

		snprintf(tag, sizeof(tag), "fz%d", i);
		ASSERT_EQ(0, cg_create_unique(tag, self->cg[i], CG_PATH_MAX));
		self->cgfd[i] = cg_open(self->cg[i]);
		ASSERT_LE(0, self->cgfd[i]);
	}
	ASSERT_EQ(0, cg_create_child(self->cg[0], "nested", self->nested,
				     CG_PATH_MAX));
	self->nestedfd = cg_open(self->nested);
	ASSERT_LE(0, self->nestedfd);
	self->pathfd = open(self->cg[1], O_PATH | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, self->pathfd);
	self->rootfd = cg_open(CG_ROOT);
	ASSERT_LE(0, self->rootfd);
	snprintf(path, sizeof(path), "%s/cgroup.procs", self->cg[0]);
	self->filefd = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, self->filefd);
	self->tmpfd = open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, self->tmpfd);
	/* Far above what the test opens, so that nothing takes its number. */
	self->closedfd = fcntl(self->tmpfd, F_DUPFD_CLOEXEC, 900);
	ASSERT_LE(0, self->closedfd);
	close(self->closedfd);
	ASSERT_EQ(0, cg_create_child(self->cg[2], "removed", path, sizeof(path)));
	self->removedfd = cg_open(path);
	ASSERT_LE(0, self->removedfd);
	ASSERT_EQ(0, rmdir(path));

	ret = vzbc_list_all(self->fd, &self->pre_ids, &self->pre_nr);
	ASSERT_EQ(0, ret) TH_LOG("LIST: %s", strerror(-ret));
	for (uint32_t i = 0; i < self->pre_nr; i++) {
		ASSERT_FALSE(in_range(self, self->pre_ids[i]))
			TH_LOG("ctid %u of this test exists already", self->pre_ids[i]);
	}
	ASSERT_EQ(0, vzbc_live_wait(self->pre_nr, &live))
		TH_LOG("live_beancounters is %" PRIu64 " with %u beancounters",
		       live, self->pre_nr);
}

FIXTURE_TEARDOWN(fuzz)
{
	if (self->fd >= 0) {
		for (uint32_t i = 0; i < NR_IDS; i++)
			vzbc_destroy(self->fd, self->base + i);
		close(self->fd);
	}
	if (self->removedfd >= 0)
		close(self->removedfd);
	if (self->nested[0])
		cg_destroy(self->nested);
	for (int i = 0; i < NR_CG; i++) {
		if (self->cgfd[i] >= 0)
			close(self->cgfd[i]);
		cg_destroy(self->cg[i]);
	}
	free(self->pre_ids);
}

/*
 * The module holds the ctids it held before the test plus those of ours
 * whose net count is 1; LIST, /proc/user_beancounters, /proc/bc and GET
 * agree; live_beancounters counts exactly these, and returns to the count
 * from before once ours are destroyed.
 */
static void check_state(struct __test_metadata *_metadata,
			FIXTURE_DATA(fuzz) *self)
{
	char path[64], err[160];
	struct ubc_file *ubc;
	struct vzbc_stat st;
	uint32_t *ids, nr, mine = 0, pre = 0;
	uint64_t live;
	char *text;
	int ret;

	for (int i = 0; i < NR_IDS; i++) {
		ASSERT_TRUE(self->net[i] == 0 || self->net[i] == 1)
			TH_LOG("ctid %u: %d more successful CREATEs than DESTROYs",
			       self->base + i, self->net[i]);
		mine += self->net[i];
	}

	ret = vzbc_list_all(self->fd, &ids, &nr);
	ASSERT_EQ(0, ret) TH_LOG("LIST: %s", strerror(-ret));
	for (uint32_t i = 0; i < nr; i++) {
		if (i) {
			EXPECT_LT(ids[i - 1], ids[i]) TH_LOG("LIST not ascending");
		}
		if (in_range(self, ids[i])) {
			EXPECT_EQ(1, self->net[ids[i] - self->base])
				TH_LOG("ctid %u listed, but its CREATEs and DESTROYs cancel out",
				       ids[i]);
		} else {
			pre++;
		}
	}
	EXPECT_EQ(self->pre_nr, pre) TH_LOG("beancounters of others changed");
	EXPECT_EQ(mine + pre, nr) TH_LOG("LIST has %u ctids, %u expected", nr,
					 mine + pre);
	free(ids);

	ubc = calloc(1, sizeof(*ubc));
	ASSERT_NE(NULL, ubc);
	text = read_text(UBC_PROC, &ret);
	ASSERT_NE(NULL, text) TH_LOG("%s: %s", UBC_PROC, strerror(-ret));
	ret = ubc_parse(text, ubc);
	EXPECT_EQ(0, ret) TH_LOG("%s does not parse: %s", UBC_PROC, ubc->err);
	EXPECT_EQ(0, ubc_check_layout(text, true, err, sizeof(err)))
		TH_LOG("%s layout: %s", UBC_PROC, err);
	free(text);
	for (int i = 0; i < NR_IDS && !ret; i++) {
		uint32_t ctid = self->base + i;
		const struct ubc_block *b = ubc_find(ubc, ctid);

		EXPECT_EQ(self->net[i] == 1, b != NULL)
			TH_LOG("ctid %u %s in %s", ctid, b ? "is" : "is not", UBC_PROC);
		snprintf(path, sizeof(path), BC_PROC_DIR "/%u", ctid);
		EXPECT_EQ(self->net[i] == 1, access(path, F_OK) == 0)
			TH_LOG("%s: %s", path, strerror(errno));
		ret = vzbc_get_res(self->fd, ctid, VZBC_RES_NUMPROC, &st);
		EXPECT_EQ(self->net[i] == 1 ? 0 : -ENOENT, ret)
			TH_LOG("GET %u: %s", ctid, strerror(-ret));
		ret = 0;
	}
	free(ubc);

	ASSERT_EQ(0, vzbc_live_wait(self->pre_nr + mine, &live))
		TH_LOG("live_beancounters is %" PRIu64 " with %u beancounters",
		       live, self->pre_nr + mine);
	for (int i = 0; i < NR_IDS; i++) {
		if (self->net[i] != 1)
			continue;
		EXPECT_EQ(0, vzbc_destroy(self->fd, self->base + i));
		self->net[i] = 0;
	}
	ASSERT_EQ(0, vzbc_live_wait(self->pre_nr, &live))
		TH_LOG("live_beancounters stays at %" PRIu64 " after destroying ours, was %u",
		       live, self->pre_nr);
}

/* ------------------------------------------------------------------------
 * (a) The ioctl fuzzer.
 */

/* What a cgroup_fd in the pool is, and so what CREATE must answer. */
enum fd_class { FD_CGROUP, FD_ROOT, FD_REMOVED, FD_BAD };

struct ioc_worker {
	FIXTURE_DATA(fuzz) *self;
	struct fz_rng rng;
	struct fz_arena arena;
	int fd;
	bool own_fd;		/* opens and closes its own /dev/vzbc */
	bool unpriv;		/* runs without CAP_SYS_ADMIN */
	int64_t deadline;
	uint64_t iters;
	uint64_t per_kind[K_NR];
	uint64_t ok[K_NR];
	uint64_t errs[K_NR][128];
	unsigned int nfail;
	char fail[MAX_FAILS][320];
};

/* One generated call and what it may give. */
struct ioc_case {
	unsigned long cmd;
	enum cmd_kind kind;
	void *arg;
	enum fz_ptr_kind arg_kind;
	size_t readable, writable;	/* bytes from arg on */
	uint32_t size;
	size_t ksize;
	void *out;			/* GET stats, LIST ctids */
	enum fz_ptr_kind out_kind;
	size_t out_writable;
	uint32_t count;			/* nr_stats, nr_ctids, nr_info */
	uint32_t stride;		/* RESOURCES info_size, 0 as 40 */
	size_t ver0;			/* smallest size accepted */
	uint32_t ctid;			/* CREATE, DESTROY */
	struct fz_errset expect;	/* errors this call may give */
	bool may_succeed;
};

static void ioc_fail(struct ioc_worker *w, const struct ioc_case *c,
		     long ret, int err, const char *what)
{
	char set[160];

	if (w->nfail < MAX_FAILS)
		snprintf(w->fail[w->nfail], sizeof(w->fail[0]),
			 "%s (cmd %#lx %s, size %u, arg kind %d, out kind %d, count %u): "
			 "returned %ld/%s, expected %s%s",
			 what, c->cmd, kind_names[c->kind], c->size, c->arg_kind,
			 c->out_kind, c->count, ret, err ? fz_errname(err) : "0",
			 c->may_succeed ? "success or " : "",
			 fz_errset_str(&c->expect, set, sizeof(set)));
	w->nfail++;
}

/*
 * ioctl type bytes the VFS answers itself before the driver sees the
 * command (fs/ioctl.c do_vfs_ioctl(): FIOCLEX & co. 'T', FIFREEZE/FITHAW
 * and FS_IOC_FS[GS]ETXATTR 'X', FS_IOC_[GS]ETFLAGS and FIEMAP 'f', FICLONE
 * & co. 0x94, FIGETBSZ 0x00, FS_IOC_GETFSUUID 0x15): never sent, a freeze
 * of devtmpfs would stop the VM.
 */
static bool vfs_magic(unsigned int type)
{
	return type == 0x00 || type == 0x15 || type == 'T' || type == 'X' ||
	       type == 'f' || type == 0x94;
}

static const unsigned long real_cmds[] = {
	VZBC_IOC_VERSION, VZBC_IOC_CREATE, VZBC_IOC_DESTROY, VZBC_IOC_SET,
	VZBC_IOC_GET, VZBC_IOC_LIST, VZBC_IOC_RESOURCES,
};

static unsigned long pick_cmd(struct fz_rng *r, enum cmd_kind *kind)
{
	unsigned long cmd;
	unsigned int type;

	switch (fz_below(r, 20)) {
	case 0 ... 13:
		cmd = fz_pick(r, real_cmds);
		break;
	case 14 ... 16:	/* a neighbour: our magic, other nr/dir/size */
		cmd = _IOC(fz_below(r, 4), VZBC_MAGIC, fz_below(r, 16),
			   fz_chance(r, 50) ? fz_below(r, 64) : fz_below(r, 1u << 14));
		break;
	case 17 ... 18:	/* another driver's magic */
		do {
			type = fz_below(r, 256);
		} while (vfs_magic(type) || type == VZBC_MAGIC);
		cmd = _IOC(fz_below(r, 4), type, fz_below(r, 256),
			   fz_below(r, 1u << 14));
		break;
	default:
		do {
			cmd = (uint32_t)fz_next(r);
		} while (vfs_magic(_IOC_TYPE(cmd)));
		break;
	}
	/* Type and number make the command: size and direction do not. */
	*kind = K_UNKNOWN;
	if (_IOC_TYPE(cmd) == VZBC_MAGIC && _IOC_NR(cmd) < ARRAY_SIZE(real_cmds))
		*kind = (enum cmd_kind)_IOC_NR(cmd);
	return cmd;
}

/* Mostly our hot ids, some of the rest of our range, some invalid ones. */
static uint32_t pick_ctid(struct fz_rng *r, uint32_t base)
{
	switch (fz_below(r, 20)) {
	case 0 ... 13:
		return base + fz_below(r, NR_HOT_IDS);
	case 14 ... 15:
		return base + fz_below(r, NR_IDS);
	case 16:
		return 0;
	case 17:
		return VZBC_CTID_MAX + 1;
	case 18:
		return UINT32_MAX;
	default:
		return VZBC_CTID_MAX + 1 + fz_below(r, UINT32_MAX - VZBC_CTID_MAX);
	}
}

static bool ctid_ok(uint32_t ctid)
{
	return ctid >= 1 && ctid <= VZBC_CTID_MAX;
}

static int pick_cgfd(struct fz_rng *r, FIXTURE_DATA(fuzz) *self, int devfd,
		     enum fd_class *class)
{
	*class = FD_BAD;
	switch (fz_below(r, 20)) {
	case 0 ... 7:
		*class = FD_CGROUP;
		return self->cgfd[fz_below(r, 6)];
	case 8:
		*class = FD_CGROUP;
		return self->nestedfd;
	case 9:
		*class = FD_CGROUP;
		return self->pathfd;
	case 10:
		*class = FD_ROOT;
		return self->rootfd;
	case 11:
		return self->filefd;
	case 12:
		return self->tmpfd;
	case 13:
		return devfd;
	case 14:
		return self->closedfd;
	case 15:
		return -1;
	case 16:
		return INT_MIN;
	case 17:
		return 1 << 20;
	case 18:
		*class = FD_REMOVED;
		return self->removedfd;
	default:
		return -(int)fz_below(r, 1000) - 2;
	}
}

static uint32_t pick_resource(struct fz_rng *r)
{
	if (fz_chance(r, 75))
		return vzbc_res_ids[fz_below(r, VZBC_NR_RES)];
	return fz_chance(r, 50) ? fz_below(r, 40) : (uint32_t)fz_next(r);
}

static bool resource_ok(uint32_t res)
{
	return vzbc_res_index(res) >= 0;
}

/*
 * Builds one call in @w's arena and works out what it may return:
 * input faults (the struct cannot be read, its size or tail is wrong,
 * a field is invalid) allow only their own errors; without them, the
 * module's state decides (EEXIST, EBUSY, ENOENT or success), plus EFAULT
 * where an output cannot be written.
 */
static void gen_case(struct ioc_worker *w, int devfd, struct ioc_case *c)
{
	FIXTURE_DATA(fuzz) *self = w->self;
	struct fz_rng *r = &w->rng;
	struct fz_arena *a = &w->arena;
	union {
		struct vzbc_create create;
		struct vzbc_ctid ctid;
		struct vzbc_set set;
		struct vzbc_get get;
		struct vzbc_list list;
		struct vzbc_resources res;
		char bytes[64];
	} k;
	const size_t ps = page_size();
	size_t place, len, tail_end;
	enum fd_class fdc = FD_CGROUP;
	bool early = false, tail_dirty = false, fields_bad = false;
	char *dst;

	memset(c, 0, sizeof(*c));
	memset(&k, 0, sizeof(k));
	c->cmd = pick_cmd(r, &c->kind);
	c->out_kind = FZ_PTR_NR;

	switch (c->kind) {
	case K_CREATE:
		c->ksize = sizeof(k.create);
		k.create.ctid = c->ctid = pick_ctid(r, self->base);
		k.create.cgroup_fd = pick_cgfd(r, self, devfd, &fdc);
		k.create.flags = fz_pick_flags(r);
		fields_bad = !ctid_ok(k.create.ctid) || k.create.flags;
		break;
	case K_DESTROY:
		c->ksize = sizeof(k.ctid);
		k.ctid.ctid = c->ctid = pick_ctid(r, self->base);
		fields_bad = !ctid_ok(k.ctid.ctid);
		break;
	case K_SET:
		c->ksize = sizeof(k.set);
		k.set.ctid = pick_ctid(r, self->base);
		k.set.resource = pick_resource(r);
		k.set.flags = fz_pick_flags(r);
		fz_pick_limits(r, &k.set.barrier, &k.set.limit);
		fields_bad = !ctid_ok(k.set.ctid) || k.set.flags ||
			     !resource_ok(k.set.resource) ||
			     k.set.barrier > k.set.limit ||
			     k.set.limit > VZBC_UNLIMITED;
		break;
	case K_GET:
		c->ksize = sizeof(k.get);
		k.get.ctid = pick_ctid(r, self->base);
		k.get.flags = fz_pick_flags(r);
		k.get.nr_stats = c->count = fz_chance(r, 85) ? fz_below(r, 8) :
					    (uint32_t)fz_next(r) >> fz_below(r, 32);
		c->out_kind = fz_pick_ptr_kind(r);
		len = (c->count < VZBC_NR_RES + 2 ? c->count : VZBC_NR_RES + 2) *
		      sizeof(struct vzbc_stat);
		c->out = fz_ptr(r, a, c->out_kind, len);
		k.get.stats = (uintptr_t)c->out;
		fields_bad = !ctid_ok(k.get.ctid) || k.get.flags;
		break;
	case K_LIST:
		c->ksize = sizeof(k.list);
		switch (fz_below(r, 6)) {
		case 0:
			k.list.start_ctid = fz_below(r, 2);
			break;
		case 1 ... 3:
			k.list.start_ctid = self->base + fz_below(r, NR_IDS);
			break;
		case 4:
			k.list.start_ctid = VZBC_CTID_MAX + fz_below(r, 2);
			break;
		default:
			k.list.start_ctid = (uint32_t)fz_next(r);
			break;
		}
		k.list.nr_ctids = c->count = fz_chance(r, 85) ? fz_below(r, 80) :
					     (uint32_t)fz_next(r) >> fz_below(r, 32);
		k.list.next_ctid = fz_chance(r, 90) ? 0 : (uint32_t)fz_next(r);
		c->out_kind = fz_pick_ptr_kind(r);
		len = (c->count < 256 ? c->count : 256) * sizeof(uint32_t);
		c->out = fz_ptr(r, a, c->out_kind, len);
		k.list.ctids = (uintptr_t)c->out;
		fields_bad = k.list.start_ctid > VZBC_CTID_MAX;
		break;
	case K_RESOURCES:
		c->ksize = sizeof(k.res);
		k.res.nr_info = c->count = fz_chance(r, 85) ? fz_below(r, 8) :
					   (uint32_t)fz_next(r) >> fz_below(r, 32);
		k.res.info_size = fz_chance(r, 80) ? 0 : fz_below(r, 2 * ps);
		k.res.nr_total = fz_chance(r, 90) ? 0 : (uint32_t)fz_next(r);
		c->out_kind = fz_pick_ptr_kind(r);
		c->stride = k.res.info_size ? k.res.info_size :
			    VZBC_RES_INFO_SIZE_VER0;
		len = (c->count < VZBC_NR_RES + 2 ? c->count : VZBC_NR_RES + 2) *
		      (c->stride <= ps ? c->stride : 0);
		c->out = fz_ptr(r, a, c->out_kind, len);
		k.res.info = (uintptr_t)c->out;
		fields_bad = c->stride < VZBC_RES_INFO_SIZE_VER0 || c->stride > ps;
		break;
	default:	/* VERSION and unknown commands: any argument */
		c->ksize = sizeof(k.get);
		fz_fill(r, &k, c->ksize);
		break;
	}
	if (c->out_kind != FZ_PTR_NR) {
		size_t rd;

		fz_ptr_room(a, c->out_kind, c->out, &rd, &c->out_writable);
	}

	c->ver0 = c->kind == K_GET ? VZBC_GET_SIZE_VER0 : c->ksize;
	/* The struct: its size field, a tail past it, where it lives. */
	c->size = fz_pick_size(r, c->ksize);
	memcpy(&k, &c->size, sizeof(c->size));
	len = c->size <= ps ? (c->size > c->ksize ? c->size : c->ksize) : c->ksize;
	c->arg_kind = fz_pick_ptr_kind(r);
	/* Sometimes only the struct fits before the guard, not its tail. */
	place = c->arg_kind == FZ_PTR_RW_END && fz_chance(r, 50) ? c->ksize : len;
	c->arg = fz_ptr(r, a, c->arg_kind, place);
	fz_ptr_room(a, c->arg_kind, c->arg, &c->readable, &c->writable);
	if (fz_ptr_readable(c->arg_kind) || c->arg_kind == FZ_PTR_STRADDLE) {
		size_t n = len < c->readable ? len : c->readable;

		dst = c->arg_kind == FZ_PTR_RO ? fz_rw_alias(a, c->arg) : c->arg;
		memcpy(dst, &k, n < c->ksize ? n : c->ksize);
		if (n > c->ksize) {
			memset(dst + c->ksize, 0, n - c->ksize);
			if (fz_chance(r, 25)) {
				size_t at = c->ksize + fz_below(r, n - c->ksize);

				dst[at] = 1 + fz_below(r, 255);
				if (fz_chance(r, 30))
					fz_fill(r, dst + c->ksize, n - c->ksize);
			}
			for (size_t i = c->ksize; i < n && !tail_dirty; i++)
				tail_dirty = dst[i] != 0;
		}
	}

	/* What it may return. */
	if (c->kind == K_VERSION)
		return;
	if (c->kind == K_UNKNOWN) {
		fz_errset_add(&c->expect, ENOTTY);
		return;
	}
	if (w->unpriv && (c->kind == K_CREATE || c->kind == K_DESTROY ||
			  c->kind == K_SET)) {
		fz_errset_add(&c->expect, EPERM);	/* before the argument */
		return;
	}
	if (c->readable < sizeof(uint32_t)) {
		fz_errset_add(&c->expect, EFAULT);
		return;
	}
	/* VER0 == sizeof for all structs but GET's (VER1 adds stat_size). */
	if (c->size < c->ver0 || c->size > ps) {
		fz_errset_add(&c->expect, c->size < c->ver0 ? EINVAL : E2BIG);
		if (c->readable < c->ksize)
			fz_errset_add(&c->expect, EFAULT);
		return;
	}
	tail_end = c->size;
	if (c->readable < tail_end) {
		fz_errset_add(&c->expect, EFAULT);
		early = true;
	}
	if (tail_dirty) {
		fz_errset_add(&c->expect, E2BIG);
		early = true;
	}
	/* GET reads its fields from a size below sizeof (VER0). */
	if (c->readable >= (c->size < c->ksize ? c->size : c->ksize) &&
	    fields_bad) {
		fz_errset_add(&c->expect, EINVAL);
		early = true;
	}
	if (c->kind == K_CREATE && fdc != FD_CGROUP) {
		fz_errset_add(&c->expect, fdc == FD_ROOT ? EINVAL :
					  fdc == FD_REMOVED ? ENOENT : EBADF);
		early = true;
	}
	if (early)
		return;

	c->may_succeed = true;
	switch (c->kind) {
	case K_CREATE:
		fz_errset_add(&c->expect, EEXIST);
		fz_errset_add(&c->expect, EBUSY);
		break;
	case K_DESTROY:
	case K_SET:
		fz_errset_add(&c->expect, ENOENT);
		break;
	case K_GET: {
		uint32_t n = c->count < VZBC_NR_RES ? c->count : VZBC_NR_RES;

		fz_errset_add(&c->expect, ENOENT);
		if (c->out_writable < n * sizeof(struct vzbc_stat)) {
			fz_errset_add(&c->expect, EFAULT);
			c->may_succeed = false;
		}
		/* The struct is written back up to min(size, sizeof). */
		if (c->writable < (c->size < c->ksize ? c->size : c->ksize)) {
			fz_errset_add(&c->expect, EFAULT);
			c->may_succeed = false;
		}
		break;
	}
	case K_RESOURCES: {
		uint32_t n = c->count < VZBC_NR_RES ? c->count : VZBC_NR_RES;

		if (c->out_writable < (size_t)n * c->stride ||
		    c->writable < c->ksize) {
			fz_errset_add(&c->expect, EFAULT);
			c->may_succeed = false;
		}
		break;
	}
	case K_LIST:
		/* How many ids exist past start is not known: maybe none. */
		if (c->out_writable / sizeof(uint32_t) < c->count)
			fz_errset_add(&c->expect, EFAULT);
		if (c->writable < c->ksize) {
			fz_errset_add(&c->expect, EFAULT);
			c->may_succeed = false;
		}
		break;
	default:
		break;
	}
}

/* Output of a successful GET or LIST, where we can read it back. */
static void check_output(struct ioc_worker *w, const struct ioc_case *c)
{
	const char *arg = c->arg, *out = c->out;
	size_t outlen;

	if (c->arg_kind != FZ_PTR_RW && c->arg_kind != FZ_PTR_RW_END)
		return;
	if (c->kind == K_GET) {
		struct vzbc_get g;
		const struct vzbc_stat *st = c->out;
		uint32_t want = c->count < VZBC_NR_RES ? c->count : VZBC_NR_RES;

		memcpy(&g, arg, sizeof(g));
		if (g.nr_stats != want) {
			ioc_fail(w, c, 0, 0, "GET wrote a wrong nr_stats");
			return;
		}
		outlen = want * sizeof(*st);
		/* Skip the entries if they share bytes with the struct. */
		if (!want || (out < arg + c->ksize && arg < out + outlen) ||
		    (c->out_kind != FZ_PTR_RW && c->out_kind != FZ_PTR_RW_END))
			return;
		for (uint32_t i = 0; i < want; i++) {
			struct vzbc_stat s;

			memcpy(&s, &st[i], sizeof(s));
			if (s.resource != vzbc_res_ids[i] ||
			    (s.flags & ~VZBC_STAT_ACCOUNTED) ||
			    s.barrier > s.limit || s.limit > VZBC_UNLIMITED ||
			    (s.resource == VZBC_RES_NUMPROC &&
			     (!(s.flags & VZBC_STAT_ACCOUNTED) || s.held))) {
				ioc_fail(w, c, 0, 0, "GET entry malformed (or numproc of an empty cgroup not 0)");
				return;
			}
		}
	} else if (c->kind == K_LIST) {
		struct vzbc_list l;
		uint32_t prev = 0, id, start;

		memcpy(&l, arg, sizeof(l));
		if (l.nr_ctids > c->count) {
			ioc_fail(w, c, 0, 0, "LIST wrote more ids than asked for");
			return;
		}
		outlen = l.nr_ctids * sizeof(uint32_t);
		if ((out < arg + c->ksize && arg < out + outlen) ||
		    (c->out_kind != FZ_PTR_RW && c->out_kind != FZ_PTR_RW_END))
			return;
		start = l.start_ctid ? l.start_ctid : 1;
		for (uint32_t i = 0; i < l.nr_ctids; i++) {
			memcpy(&id, out + i * sizeof(id), sizeof(id));
			if (id < start || (i && id <= prev) || !ctid_ok(id)) {
				ioc_fail(w, c, 0, 0, "LIST ids not ascending from start_ctid");
				return;
			}
			prev = id;
		}
		if (l.next_ctid && (l.next_ctid <= prev || l.nr_ctids != c->count)) {
			ioc_fail(w, c, 0, 0, "LIST next_ctid inconsistent");
			return;
		}
	}
}

static void judge(struct ioc_worker *w, struct ioc_case *c, long ret, int err)
{
	FIXTURE_DATA(fuzz) *self = w->self;
	struct fz_errset doc = documented_set(c->kind);

	w->per_kind[c->kind]++;
	if (c->kind == K_VERSION) {
		if (ret != VZBC_API_VERSION)
			ioc_fail(w, c, ret, err, "VERSION");
		w->ok[c->kind] += ret == VZBC_API_VERSION;
		return;
	}
	if (ret > 0) {
		ioc_fail(w, c, ret, err, "positive return");
		return;
	}
	if (ret == 0) {
		w->ok[c->kind]++;
		if (!c->may_succeed) {
			ioc_fail(w, c, ret, err, "success where the argument is wrong");
			return;
		}
		if (c->kind == K_CREATE || c->kind == K_DESTROY) {
			if (!in_range(self, c->ctid)) {
				ioc_fail(w, c, ret, err, "changed a ctid outside our range");
				return;
			}
			__atomic_add_fetch(&self->net[c->ctid - self->base],
					   c->kind == K_CREATE ? 1 : -1,
					   __ATOMIC_RELAXED);
		}
		check_output(w, c);
		return;
	}
	w->errs[c->kind][err < 128 ? err : 0]++;
	if (!fz_errset_has(&doc, err))
		ioc_fail(w, c, ret, err, "undocumented error");
	else if (!fz_errset_has(&c->expect, err))
		ioc_fail(w, c, ret, err, "wrong error for this argument");
}

static void *ioc_worker_fn(void *arg)
{
	struct ioc_worker *w = arg;
	struct ioc_case c;
	int fd = w->fd;

	while (now_ms() < w->deadline) {
		if (w->own_fd && (w->iters % 512) == 0) {
			if (fd != w->fd)
				close(fd);
			fd = vzbc_open();
			if (fd < 0) {
				snprintf(w->fail[0], sizeof(w->fail[0]),
					 "open %s: %s", VZBC_DEV, strerror(-fd));
				w->nfail++;
				return NULL;
			}
		}
		gen_case(w, fd, &c);
		errno = 0;
		long ret = ioctl(fd, c.cmd, c.arg);

		judge(w, &c, ret, ret < 0 ? errno : 0);
		w->iters++;
	}
	if (fd != w->fd)
		close(fd);
	return NULL;
}

static void report_ioc(struct __test_metadata *_metadata,
		       struct ioc_worker *w, int n, const char *who,
		       unsigned int seconds)
{
	uint64_t iters = 0, per[K_NR] = { 0 }, ok[K_NR] = { 0 };
	unsigned int fails = 0;

	for (int i = 0; i < n; i++) {
		iters += w[i].iters;
		fails += w[i].nfail;
		for (int k = 0; k < K_NR; k++) {
			per[k] += w[i].per_kind[k];
			ok[k] += w[i].ok[k];
		}
		for (unsigned int f = 0; f < w[i].nfail && f < MAX_FAILS; f++)
			TH_LOG("%s %d: %s", who, i, w[i].fail[f]);
	}
	note("ioctl fuzz (%s): %" PRIu64 " calls in %u s (%" PRIu64 "/s), %u failures\n",
		       who, iters, seconds, iters / seconds, fails);
	for (int k = 0; k < K_NR; k++) {
		char line[512];
		int off;

		off = snprintf(line, sizeof(line), "  %-8s %8" PRIu64 " calls, %8" PRIu64 " ok",
			       kind_names[k], per[k], ok[k]);
		for (int e = 0; e < 128 && off < (int)sizeof(line); e++) {
			uint64_t sum = 0;

			for (int i = 0; i < n; i++)
				sum += w[i].errs[k][e];
			if (sum)
				off += snprintf(line + off, sizeof(line) - off,
						", %" PRIu64 " %s", sum,
						e ? fz_errname(e) : "errno>127");
		}
		note("%s\n", line);
	}
	EXPECT_EQ(0u, fails);
}

TEST_F_TIMEOUT(fuzz, ioctl, 3600)
{
	struct ioc_worker *w, *uw;
	int64_t deadline;
	pid_t pid;
	int ret;

	note("seed %#" PRIx64 ", %u s\n", self->seed, self->seconds);
	w = calloc(IOC_THREADS, sizeof(*w));
	uw = shared_alloc(sizeof(*uw));
	ASSERT_NE(NULL, w);
	ASSERT_NE(NULL, uw);
	deadline = now_ms() + self->seconds * 1000LL;
	for (int i = 0; i < IOC_THREADS; i++) {
		w[i].self = self;
		w[i].fd = self->fd;
		w[i].own_fd = i == 0;
		w[i].deadline = deadline;
		fz_seed(&w[i].rng, self->seed + i);
		ret = fz_arena_init(&w[i].arena);
		ASSERT_EQ(0, ret) TH_LOG("arena: %s", strerror(-ret));
	}
	uw->self = self;
	uw->fd = self->fd;
	uw->unpriv = true;
	uw->deadline = deadline;
	fz_seed(&uw->rng, self->seed + 100);

	/* The unprivileged one, in its own process, before any thread. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		ret = become_nobody();
		if (ret || fz_arena_init(&uw->arena)) {
			snprintf(uw->fail[0], sizeof(uw->fail[0]),
				 "cannot drop privileges or map: %s", strerror(-ret));
			uw->nfail = 1;
			_exit(1);
		}
		ioc_worker_fn(uw);
		_exit(0);
	}

	ret = fz_run_threads(ioc_worker_fn, w, sizeof(*w), IOC_THREADS, deadline);
	EXPECT_EQ(0, ret) TH_LOG("a fuzzer thread is stuck in the kernel");
	ret = fz_wait_child(pid, deadline);
	EXPECT_EQ(0, ret) TH_LOG("unprivileged fuzzer: %d", ret);

	report_ioc(_metadata, w, IOC_THREADS, "root", self->seconds);
	report_ioc(_metadata, uw, 1, "nobody", self->seconds);
	for (int i = 0; i < IOC_THREADS; i++)
		fz_arena_fini(&w[i].arena);
	free(w);
	munmap(uw, sizeof(*uw));

	check_state(_metadata, self);
}

/*
 * A cgroup removed after its fd was opened is no cgroup to bind: CREATE
 * fails with ENOENT (the fuzzer found it undocumented at first).
 */
TEST_F(fuzz, create_on_removed_cgroup)
{
	int ret = vzbc_create(self->fd, self->base, self->removedfd);

	if (ret == 0)
		vzbc_destroy(self->fd, self->base);
	EXPECT_EQ(-ENOENT, ret) TH_LOG("CREATE on a removed cgroup: %s",
				       ret ? fz_errname(ret) : "bound it");
}

/* ------------------------------------------------------------------------
 * (b) The netlink fuzzer.
 */
#define NL_MSG_MAX	12288
#define NL_RBUF		65536

struct nl_worker {
	FIXTURE_DATA(fuzz) *self;
	struct fz_rng rng;
	uint16_t family;
	bool unpriv;
	int64_t deadline;
	uint64_t sent, silent, errors, acks, replies, dones, good_gets, good_dumps;
	uint64_t errs[128];
	unsigned int nfail;
	char fail[MAX_FAILS][320];
};

struct nl_req {
	char buf[NL_MSG_MAX];
	size_t len;		/* bytes sent */
	bool answerable;	/* the first message must get an answer */
	bool dump;		/* the first message asks for a dump */
	enum { WF_NONE, WF_GET, WF_DUMP } wf;	/* a well-formed request */
	uint32_t ctid;		/* of a well-formed GET */
	bool ack;
	uint32_t seq;
};

static void nl_fail(struct nl_worker *w, const struct nl_req *q,
		    const char *fmt, ...)
{
	va_list ap;
	int off;

	if (w->nfail < MAX_FAILS) {
		const struct nlmsghdr *nlh = (const void *)q->buf;
		const struct genlmsghdr *gh = (const void *)(q->buf + NLMSG_HDRLEN);

		off = snprintf(w->fail[w->nfail], sizeof(w->fail[0]),
			       "request len %zu nlmsg_len %u flags %#x cmd %u: ",
			       q->len, nlh->nlmsg_len, nlh->nlmsg_flags, gh->cmd);
		va_start(ap, fmt);
		vsnprintf(w->fail[w->nfail] + off, sizeof(w->fail[0]) - off, fmt, ap);
		va_end(ap);
	}
	w->nfail++;
}

/* The attributes of one message; returns their length. */
static size_t put_attrs(struct nl_worker *w, char *p, size_t room)
{
	FIXTURE_DATA(fuzz) *self = w->self;
	struct fz_rng *r = &w->rng;
	static __thread char big[8192];
	size_t off = 0, n = 0, len;
	int count = fz_below(r, 5);
	uint32_t v;

	for (int i = 0; i < count; i++) {
		switch (fz_below(r, 11)) {
		case 0 ... 2:	/* a CTID, valid or not */
			switch (fz_below(r, 4)) {
			case 0:
				v = self->base + fz_below(r, NL_STABLE + NL_DYNAMIC);
				break;
			case 1:
				v = self->base + NL_ABSENT + fz_below(r, NR_IDS - NL_ABSENT);
				break;
			case 2:
				v = fz_chance(r, 50) ? 0 : VZBC_CTID_MAX + 1;
				break;
			default:
				v = (uint32_t)fz_next(r);
				break;
			}
			n = fz_put_attr(p + off, room - off,
				     fz_nla_type_flags(r, VZBC_A_CTID), &v, sizeof(v));
			break;
		case 3:		/* a CTID of the wrong size */
			len = fz_pick(r, ((const size_t[]){ 0, 1, 2, 3, 5, 6, 8, 16 }));
			fz_fill(r, big, len);
			n = fz_put_attr(p + off, room - off, VZBC_A_CTID, big, len);
			break;
		case 4:		/* known types, random payloads */
			len = fz_below(r, 32);
			fz_fill(r, big, len);
			n = fz_put_attr(p + off, room - off,
				     fz_nla_type_flags(r, fz_below(r, VZBC_A_MAX + 1)),
				     big, len);
			break;
		case 5:		/* unknown types */
			len = fz_below(r, 16);
			fz_fill(r, big, len);
			n = fz_put_attr(p + off, room - off,
				     fz_nla_type_flags(r, fz_chance(r, 50) ?
						     VZBC_A_MAX + 1 + fz_below(r, 8) :
						     fz_below(r, NLA_TYPE_MASK + 1)),
				     big, len);
			break;
		case 6 ... 7:	/* nests of garbage where a nest is due, or not */
			len = fz_put_garbage(r, big, sizeof(big) < room - off ?
						 sizeof(big) : room - off, 3);
			n = fz_put_attr(p + off, room - off,
				     fz_nla_type_flags(r, fz_pick(r, ((const uint16_t[]){
						VZBC_A_RESOURCES, VZBC_A_RESOURCE,
						VZBC_A_CTID, VZBC_A_EVENT,
						VZBC_A_RESOURCES | NLA_F_NESTED }))),
				     big, len);
			break;
		case 8:		/* oversized */
			len = 256 + fz_below(r, 6000);
			fz_fill(r, big, len);
			n = fz_put_attr(p + off, room - off,
				     fz_nla_type_flags(r, fz_below(r, VZBC_A_MAX + 3)),
				     big, len);
			break;
		case 9:		/* a header that lies about its length: last */
			if (room - off >= NLA_HDRLEN + 8) {
				struct nlattr a = {
					.nla_len = fz_chance(r, 50) ? fz_below(r, NLA_HDRLEN) :
						   (uint16_t)(room - off + 1 + fz_below(r, 64)),
					.nla_type = fz_below(r, VZBC_A_MAX + 2),
				};

				memcpy(p + off, &a, sizeof(a));
				fz_fill(r, p + off + NLA_HDRLEN, 4);
				return off + NLA_HDRLEN + 4;
			}
			n = 0;
			break;
		default:	/* a duplicated, valid CTID */
			v = self->base + fz_below(r, NL_STABLE);
			n = fz_put_attr(p + off, room - off, VZBC_A_CTID, &v, sizeof(v));
			if (n) {
				off += n;
				v = self->base + fz_below(r, NR_IDS);
				n = fz_put_attr(p + off, room - off, VZBC_A_CTID, &v,
					     sizeof(v));
			}
			break;
		}
		if (!n)
			break;
		off += n;
	}
	return off;
}

/* One well-formed GET or DUMP, to check answers exactly. */
static void gen_wellformed(struct nl_worker *w, struct nl_req *q,
			   struct nlmsghdr *nlh, struct genlmsghdr *gh)
{
	FIXTURE_DATA(fuzz) *self = w->self;
	struct fz_rng *r = &w->rng;
	size_t off = NLMSG_LENGTH(GENL_HDRLEN);

	gh->cmd = VZBC_CMD_GET;
	gh->version = VZBC_GENL_VERSION;
	q->ack = fz_chance(r, 50);
	nlh->nlmsg_flags = NLM_F_REQUEST | (q->ack ? NLM_F_ACK : 0);
	if (fz_chance(r, 30)) {
		q->wf = WF_DUMP;
		nlh->nlmsg_flags |= NLM_F_DUMP;
	} else {
		q->wf = WF_GET;
		q->ctid = self->base + (fz_chance(r, 60) ? fz_below(r, NL_STABLE) :
					NL_ABSENT + fz_below(r, NR_IDS - NL_ABSENT));
		off += fz_put_attr(q->buf + off, sizeof(q->buf) - off, VZBC_A_CTID,
				&q->ctid, sizeof(q->ctid));
	}
	nlh->nlmsg_len = off;
	q->len = off;
	q->answerable = true;
	q->dump = q->wf == WF_DUMP;
}

static void gen_request(struct nl_worker *w, struct nl_req *q)
{
	struct fz_rng *r = &w->rng;
	size_t off = 0, first_len = 0;
	int nmsgs = fz_chance(r, 90) ? 1 : 2 + fz_below(r, 2);

	memset(q, 0, offsetof(struct nl_req, len));
	q->len = 0;
	q->answerable = q->dump = q->ack = false;
	q->wf = WF_NONE;
	q->seq = (uint32_t)fz_next(r);
	for (int m = 0; m < nmsgs && off + NLMSG_LENGTH(GENL_HDRLEN) < sizeof(q->buf); m++) {
		struct nlmsghdr *nlh = (struct nlmsghdr *)(q->buf + off);
		struct genlmsghdr *gh = (struct genlmsghdr *)(q->buf + off + NLMSG_HDRLEN);
		size_t len, attrs_room;

		memset(nlh, 0, NLMSG_LENGTH(GENL_HDRLEN));
		nlh->nlmsg_type = w->family;
		nlh->nlmsg_seq = q->seq + m;
		nlh->nlmsg_pid = fz_chance(r, 90) ? 0 : (uint32_t)fz_next(r);
		if (m == 0 && nmsgs == 1 && fz_chance(r, 15)) {
			gen_wellformed(w, q, nlh, gh);
			return;
		}
		nlh->nlmsg_flags = fz_pick_nl_flags(r);
		gh->cmd = fz_chance(r, 70) ? VZBC_CMD_GET :
			  fz_pick(r, ((const uint8_t[]){ VZBC_CMD_UNSPEC,
				VZBC_CMD_EVENT, VZBC_CMD_EVENT + 1, 0x7f, 0xff,
				(uint8_t)fz_next(r) }));
		gh->version = fz_chance(r, 80) ? VZBC_GENL_VERSION : fz_below(r, 256);
		gh->reserved = fz_chance(r, 90) ? 0 : (uint16_t)fz_next(r);
		attrs_room = sizeof(q->buf) - off - NLMSG_LENGTH(GENL_HDRLEN);
		if (attrs_room > 8192)
			attrs_room = 8192;
		len = NLMSG_LENGTH(GENL_HDRLEN) +
		      put_attrs(w, q->buf + off + NLMSG_LENGTH(GENL_HDRLEN), attrs_room);
		nlh->nlmsg_len = len;
		/*
		 * Lies in the header, in the last message only: the kernel
		 * would take what follows a short one for another message,
		 * of any type, and hand it to another family.  The datagram
		 * ends where a short header says the message does.
		 */
		switch (m == nmsgs - 1 ? fz_below(r, 25) : 25) {
		case 0:
			nlh->nlmsg_len = fz_below(r, NLMSG_HDRLEN);
			break;
		case 1:
			nlh->nlmsg_len = NLMSG_HDRLEN + fz_below(r, GENL_HDRLEN);
			len = nlh->nlmsg_len;
			break;
		case 2:
			nlh->nlmsg_len = len + 1 + fz_below(r, 4096);
			break;
		case 3:
			if (len > NLMSG_LENGTH(GENL_HDRLEN))
				nlh->nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN) +
					fz_below(r, len - NLMSG_LENGTH(GENL_HDRLEN));
			len = nlh->nlmsg_len;
			break;
		case 4:	/* unaligned, padded with garbage */
			nlh->nlmsg_len = len + 1 + fz_below(r, 3);
			fz_fill(r, q->buf + off + len, 3);
			len = NLMSG_ALIGN(nlh->nlmsg_len);
			break;
		default:
			break;
		}
		if (m == 0) {
			first_len = nlh->nlmsg_len;
			q->dump = (nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
			q->answerable = (nlh->nlmsg_flags & NLM_F_REQUEST) &&
					nlh->nlmsg_len >= NLMSG_HDRLEN;
		}
		off += NLMSG_ALIGN(len);
	}
	q->len = off;
	/* A truncated datagram now and then (never empty: ENODATA). */
	if (fz_chance(r, 4))
		q->len = 1 + fz_below(r, q->len);
	if (first_len > q->len || q->len < NLMSG_HDRLEN)
		q->answerable = false;
}

static void nl_account(struct nl_worker *w, const struct fz_nl_seen *s)
{
	w->errors += s->errors;
	w->acks += s->acks;
	w->replies += s->replies;
	w->dones += s->dones;
}

/* Sends @q on @sk and reads every answer; false if the socket went bad. */
static bool nl_exchange(struct nl_worker *w, int sk, struct nl_req *q,
			char *rbuf, const struct fz_errset *allowed)
{
	FIXTURE_DATA(fuzz) *self = w->self;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct fz_nl_seen seen;
	char why[200];
	ssize_t n;
	unsigned int datagrams = 0;

	memset(&seen, 0, sizeof(seen));
	seen.mask_base = self->base;
	if (q->wf != WF_NONE) {
		seen.check_seq = true;
		seen.seq = q->seq;
	}
	if (sendto(sk, q->buf, q->len, 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) < 0) {
		nl_fail(w, q, "sendto: %s", strerror(errno));
		return false;
	}
	w->sent++;
	/*
	 * The kernel answers in sendto()'s context, and a dump goes on in
	 * recv()'s: once recv() finds nothing, everything has arrived.
	 */
	for (;;) {
		n = recv(sk, rbuf, NL_RBUF, MSG_DONTWAIT | MSG_TRUNC);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				break;
			nl_fail(w, q, "recv: %s", strerror(errno));
			return false;
		}
		if (n > NL_RBUF) {
			nl_fail(w, q, "datagram of %zd bytes", n);
			return false;
		}
		datagrams++;
		if (fz_nl_check(rbuf, n, w->family, allowed, &seen, why, sizeof(why))) {
			nl_fail(w, q, "%s", why);
			return false;
		}
	}
	nl_account(w, &seen);
	if (seen.last_error < 0 && -seen.last_error < 128)
		w->errs[-seen.last_error]++;
	if (!datagrams)
		w->silent++;
	if (q->answerable && !datagrams)
		nl_fail(w, q, "no answer");
	if (seen.multi && !seen.dones && !seen.errors)
		nl_fail(w, q, "a dump without NLMSG_DONE");
	if (seen.unordered && q->wf == WF_DUMP)
		nl_fail(w, q, "dump not in ctid order");
	if (w->unpriv && (seen.replies || seen.dones))
		nl_fail(w, q, "data for an unprivileged socket");
	if (w->unpriv || q->wf == WF_NONE)
		return true;

	/* Well-formed requests get exactly their answer. */
	if (seen.bad_seq)
		nl_fail(w, q, "%u answers with another sequence number", seen.bad_seq);
	if (q->wf == WF_GET) {
		bool exists = q->ctid - self->base < NL_STABLE;

		w->good_gets++;
		if (exists && (seen.replies != 1 || seen.last_ctid != q->ctid ||
			       seen.errors || seen.acks != q->ack))
			nl_fail(w, q, "GET %u: %u replies (ctid %u), %u errors, %u acks",
				q->ctid, seen.replies, seen.last_ctid, seen.errors,
				seen.acks);
		if (!exists && (seen.replies || seen.errors != 1 ||
				seen.last_error != -ENOENT))
			nl_fail(w, q, "GET %u (absent): %u replies, error %d",
				q->ctid, seen.replies, seen.last_error);
	} else {
		uint64_t stable = (1ULL << NL_STABLE) - 1;

		w->good_dumps++;
		if (seen.errors || seen.dones != 1 || seen.last_error ||
		    (seen.mask & stable) != stable ||
		    (seen.mask >> NL_ABSENT))
			nl_fail(w, q, "DUMP: %u errors (%d), %u dones, ids %#" PRIx64,
				seen.errors, seen.last_error, seen.dones, seen.mask);
	}
	return true;
}

static int nl_open(struct nl_worker *w)
{
	static const int opts[] = {
		NETLINK_EXT_ACK, NETLINK_CAP_ACK, NETLINK_GET_STRICT_CHK,
	};
	int sk = genl_socket();

	if (sk < 0)
		return sk;
	for (unsigned int i = 0; i < ARRAY_SIZE(opts); i++) {
		int on = fz_chance(&w->rng, 50);

		setsockopt(sk, SOL_NETLINK, opts[i], &on, sizeof(on));
	}
	return sk;
}

static void *nl_worker_fn(void *arg)
{
	struct nl_worker *w = arg;
	struct fz_errset allowed = { { 0 } };
	struct nl_req *q = malloc(sizeof(*q));
	char *rbuf = malloc(NL_RBUF);
	static const int priv_errs[] = {
		EINVAL, ERANGE, EOPNOTSUPP, ENOENT, EBUSY, ENOMEM, EMSGSIZE,
	};
	static const int unpriv_errs[] = {
		EPERM, EINVAL, ERANGE, EOPNOTSUPP, EBUSY, ENOMEM, EMSGSIZE,
	};
	int sk = -1;

	if (!q || !rbuf) {
		snprintf(w->fail[0], sizeof(w->fail[0]), "out of memory");
		w->nfail++;
		goto out;
	}
	if (w->unpriv)
		for (unsigned int i = 0; i < ARRAY_SIZE(unpriv_errs); i++)
			fz_errset_add(&allowed, unpriv_errs[i]);
	else
		for (unsigned int i = 0; i < ARRAY_SIZE(priv_errs); i++)
			fz_errset_add(&allowed, priv_errs[i]);

	while (now_ms() < w->deadline) {
		if (sk < 0 || fz_chance(&w->rng, 1)) {
			if (sk >= 0)
				close(sk);
			sk = nl_open(w);
			if (sk < 0) {
				memset(q, 0, sizeof(*q));
				nl_fail(w, q, "socket: %s", strerror(-sk));
				break;
			}
		}
		gen_request(w, q);
		/* Now and then walk away from a dump after its first part. */
		if (q->dump && fz_chance(&w->rng, 3)) {
			struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };

			if (sendto(sk, q->buf, q->len, 0, (struct sockaddr *)&kernel,
				   sizeof(kernel)) >= 0) {
				w->sent++;
				recv(sk, rbuf, NL_RBUF, MSG_DONTWAIT);
			}
			close(sk);
			sk = -1;
			continue;
		}
		if (!nl_exchange(w, sk, q, rbuf, &allowed)) {
			close(sk);
			sk = -1;
		}
	}
out:
	if (sk >= 0)
		close(sk);
	free(q);
	free(rbuf);
	return NULL;
}

/* Creates and destroys the dynamic ids while the fuzzers run. */
struct mutator {
	FIXTURE_DATA(fuzz) *self;
	int64_t deadline;
	uint64_t rounds;
	int err;
};

static void *mutator_fn(void *arg)
{
	struct mutator *m = arg;
	FIXTURE_DATA(fuzz) *self = m->self;
	int ret;

	while (now_ms() < m->deadline && !m->err) {
		for (int i = 0; i < NL_DYNAMIC && !m->err; i++) {
			uint32_t ctid = self->base + NL_STABLE + i;

			ret = vzbc_create(self->fd, ctid, self->cgfd[NL_STABLE + i]);
			if (!ret)
				ret = vzbc_set(self->fd, ctid, VZBC_RES_NUMPROC, i, 2 * i);
			if (!ret)
				ret = vzbc_destroy(self->fd, ctid);
			m->err = ret;
		}
		m->rounds++;
	}
	return NULL;
}

static void report_nl(struct __test_metadata *_metadata, struct nl_worker *w,
		      int n, const char *who, unsigned int seconds)
{
	uint64_t sent = 0, silent = 0, errors = 0, acks = 0, replies = 0;
	uint64_t dones = 0, gets = 0, dumps = 0;
	unsigned int fails = 0;
	char line[512];
	int off;

	for (int i = 0; i < n; i++) {
		sent += w[i].sent;
		silent += w[i].silent;
		errors += w[i].errors;
		acks += w[i].acks;
		replies += w[i].replies;
		dones += w[i].dones;
		gets += w[i].good_gets;
		dumps += w[i].good_dumps;
		fails += w[i].nfail;
		for (unsigned int f = 0; f < w[i].nfail && f < MAX_FAILS; f++)
			TH_LOG("%s %d: %s", who, i, w[i].fail[f]);
	}
	note("netlink fuzz (%s): %" PRIu64 " requests in %u s (%" PRIu64 "/s), %u failures\n",
		       who, sent, seconds, sent / seconds, fails);
	off = snprintf(line, sizeof(line),
		       "  %" PRIu64 " errors, %" PRIu64 " acks, %" PRIu64 " replies, %" PRIu64
		       " dumps done, %" PRIu64 " unanswered; well-formed: %" PRIu64 " GET, %" PRIu64 " DUMP",
		       errors, acks, replies, dones, silent, gets, dumps);
	for (int e = 1; e < 128 && off < (int)sizeof(line); e++) {
		uint64_t sum = 0;

		for (int i = 0; i < n; i++)
			sum += w[i].errs[e];
		if (sum)
			off += snprintf(line + off, sizeof(line) - off, "; %" PRIu64 " %s",
					sum, fz_errname(e));
	}
	note("%s\n", line);
	EXPECT_EQ(0u, fails);
}

TEST_F_TIMEOUT(fuzz, netlink, 3600)
{
	struct nl_worker *w, *uw;
	struct mutator m = { .self = self };
	uint32_t grp;
	uint16_t family;
	pthread_t mt;
	int64_t deadline;
	pid_t pid;
	int sk, ret;

	note("seed %#" PRIx64 ", %u s\n", self->seed, self->seconds);
	sk = genl_socket();
	ASSERT_LE(0, sk);
	ret = genl_resolve(sk, VZBC_GENL_NAME, NULL, &family, &grp);
	close(sk);
	ASSERT_EQ(0, ret) TH_LOG("resolve %s: %s", VZBC_GENL_NAME, strerror(-ret));
	for (int i = 0; i < NL_STABLE; i++) {
		ASSERT_EQ(0, vzbc_create(self->fd, self->base + i, self->cgfd[i]));
		self->net[i] = 1;
	}

	w = calloc(NL_THREADS, sizeof(*w));
	uw = shared_alloc(sizeof(*uw));
	ASSERT_NE(NULL, w);
	ASSERT_NE(NULL, uw);
	deadline = now_ms() + self->seconds * 1000LL;
	for (int i = 0; i < NL_THREADS; i++) {
		w[i].self = self;
		w[i].family = family;
		w[i].deadline = deadline;
		fz_seed(&w[i].rng, self->seed + 200 + i);
	}
	uw->self = self;
	uw->family = family;
	uw->unpriv = true;
	uw->deadline = deadline;
	fz_seed(&uw->rng, self->seed + 300);

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		ret = become_nobody();
		if (ret) {
			snprintf(uw->fail[0], sizeof(uw->fail[0]),
				 "cannot drop privileges: %s", strerror(-ret));
			uw->nfail = 1;
			_exit(1);
		}
		nl_worker_fn(uw);
		_exit(0);
	}

	m.deadline = deadline;
	ASSERT_EQ(0, pthread_create(&mt, NULL, mutator_fn, &m));
	ret = fz_run_threads(nl_worker_fn, w, sizeof(*w), NL_THREADS, deadline);
	EXPECT_EQ(0, ret) TH_LOG("a netlink fuzzer thread is stuck in the kernel");
	pthread_join(mt, NULL);
	EXPECT_EQ(0, m.err) TH_LOG("create/set/destroy of the dynamic ids: %s",
				   strerror(-m.err));
	ret = fz_wait_child(pid, deadline);
	EXPECT_EQ(0, ret) TH_LOG("unprivileged netlink fuzzer: %d", ret);

	report_nl(_metadata, w, NL_THREADS, "root", self->seconds);
	report_nl(_metadata, uw, 1, "nobody", self->seconds);
	note("  %" PRIu64 " create/set/destroy rounds of %d ids meanwhile\n",
		       m.rounds, NL_DYNAMIC);
	free(w);
	munmap(uw, sizeof(*uw));

	check_state(_metadata, self);
}

TEST_HARNESS_MAIN
