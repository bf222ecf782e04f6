// SPDX-License-Identifier: GPL-2.0
/*
 * Concurrency and module lifetime: every ioctl and /proc reader racing
 * with each other and with forks, exits and migrations; unloading with and
 * without beancounters, open files and running probes.
 *
 * The VM harness fails the run on any kernel splat, so these tests catch
 * use-after-free and locking bugs as well as wrong counts.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "cg.h"
#include "vzbc.h"

#define SETTLE_MS	10000
#define CHURN_SECONDS	5

#define NR_CHURN	6	/* ctids base + 0..5: created and destroyed */
#define NR_STABLE	3	/* ctids base + 32..34: bound throughout */
#define STABLE_CTID(self, i)	((self)->base + 32 + (i))

FIXTURE(stress) {
	int fd;
	uint32_t base;
	char churn[NR_CHURN][CG_PATH_MAX];
	int churn_fd[NR_CHURN];
	char stable[NR_STABLE][CG_PATH_MAX];
	int stable_fd[NR_STABLE];
	char unbound[CG_PATH_MAX];	/* migrations go through here too */
	pid_t movers[2];		/* sleepers the migrator moves */
};

FIXTURE_SETUP(stress)
{
	char tag[16];

	self->fd = -1;
	self->base = vzbc_test_ctid(0);
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1));
	self->fd = vzbc_open();
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", VZBC_DEV, strerror(-self->fd));
	for (int i = 0; i < NR_CHURN; i++) {
		snprintf(tag, sizeof(tag), "c%d", i);
		ASSERT_EQ(0, cg_create_unique(tag, self->churn[i], CG_PATH_MAX));
		self->churn_fd[i] = cg_open(self->churn[i]);
		ASSERT_LE(0, self->churn_fd[i]);
		/* Residents, so that re-created beancounters have something
		 * to count. */
		ASSERT_LT(0, cg_sleeper(self->churn_fd[i]));
	}
	for (int i = 0; i < NR_STABLE; i++) {
		snprintf(tag, sizeof(tag), "s%d", i);
		ASSERT_EQ(0, cg_create_unique(tag, self->stable[i], CG_PATH_MAX));
		self->stable_fd[i] = cg_open(self->stable[i]);
		ASSERT_LE(0, self->stable_fd[i]);
		ASSERT_EQ(0, vzbc_create(self->fd, STABLE_CTID(self, i),
					 self->stable_fd[i]));
	}
	ASSERT_EQ(0, cg_create_unique("u", self->unbound, CG_PATH_MAX));
	for (int i = 0; i < 2; i++) {
		self->movers[i] = cg_sleeper(self->stable_fd[i]);
		ASSERT_LT(0, self->movers[i]);
	}
}

FIXTURE_TEARDOWN(stress)
{
	for (unsigned int i = 0; i < 64; i++)
		vzbc_destroy(self->fd, vzbc_test_ctid(i));
	close(self->fd);
	for (int i = 0; i < NR_CHURN; i++) {
		close(self->churn_fd[i]);
		EXPECT_EQ(0, cg_destroy(self->churn[i]));
	}
	for (int i = 0; i < NR_STABLE; i++) {
		close(self->stable_fd[i]);
		EXPECT_EQ(0, cg_destroy(self->stable[i]));
	}
	EXPECT_EQ(0, cg_destroy(self->unbound));
}

enum op {
	OP_CREATE, OP_DESTROY, OP_SET, OP_GET, OP_LIST, OP_PROC, OP_FORK,
	OP_MOVE, NR_OP_KINDS,
};

static const char *const op_names[NR_OP_KINDS] = {
	"create", "destroy", "set", "get", "list", "proc", "fork", "move",
};

struct churn {
	FIXTURE_DATA(stress) *self;
	atomic_bool stop;
	atomic_long done[NR_OP_KINDS];	/* calls that succeeded */
	pthread_mutex_t lock;		/* protects the fields below */
	int nr_errors;
	char first_error[512];
};

struct worker {
	struct churn *c;
	enum op op;
	unsigned int seed;
};

static void churn_error(struct churn *c, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&c->lock);
	if (!c->nr_errors++) {
		va_start(ap, fmt);
		vsnprintf(c->first_error, sizeof(c->first_error), fmt, ap);
		va_end(ap);
	}
	pthread_mutex_unlock(&c->lock);
}

/* A ctid of the churn set, or (for SET and GET) of either set. */
static uint32_t pick_ctid(struct worker *w, bool stable_too, bool *stable)
{
	FIXTURE_DATA(stress) *self = w->c->self;
	int n = NR_CHURN + (stable_too ? NR_STABLE : 0);
	int i = rand_r(&w->seed) % n;

	*stable = i >= NR_CHURN;
	return *stable ? STABLE_CTID(self, i - NR_CHURN) : self->base + i;
}

static void check_stats(struct churn *c, uint32_t ctid,
			const struct vzbc_stat *st, uint32_t nr)
{
	if (nr != VZBC_NR_RES) {
		churn_error(c, "GET %u: %u entries", ctid, nr);
		return;
	}
	for (unsigned int i = 0; i < nr; i++) {
		if (st[i].resource != vzbc_res_ids[i] ||
		    st[i].flags & ~VZBC_STAT_ACCOUNTED ||
		    st[i].barrier > st[i].limit ||
		    st[i].limit > VZBC_UNLIMITED)
			churn_error(c, "GET %u entry %u: resource %u flags %#x "
				    "barrier %" PRIu64 " limit %" PRIu64, ctid, i,
				    st[i].resource, st[i].flags,
				    (uint64_t)st[i].barrier, (uint64_t)st[i].limit);
	}
}

static void do_list(struct worker *w)
{
	uint32_t ids[4], nr, next, start = w->c->self->base, last = 0;
	int ret, pages = 0;

	/* Small pages, so that the cursor meets the churn. */
	do {
		nr = ARRAY_SIZE(ids);
		ret = vzbc_list(w->c->self->fd, start, ids, &nr, &next);
		if (ret) {
			churn_error(w->c, "LIST from %u: %d", start, ret);
			return;
		}
		for (uint32_t i = 0; i < nr; i++) {
			if (ids[i] <= last || ids[i] < start)
				churn_error(w->c, "LIST from %u: %u after %u",
					    start, ids[i], last);
			last = ids[i];
		}
		if (next && next <= last)
			churn_error(w->c, "LIST: next %u after %u", next, last);
		start = next;
	} while (next && next < w->c->self->base + 64 && ++pages < 100);
	atomic_fetch_add(&w->c->done[OP_LIST], 1);
}

static void do_proc(struct worker *w, struct ubc_file *f)
{
	char err[256], path[64], *text;
	bool stable;
	int ret, fd;

	text = read_text(UBC_PROC, &ret);
	if (!text) {
		churn_error(w->c, "read %s: %d", UBC_PROC, ret);
		return;
	}
	atomic_fetch_add(&w->c->done[OP_PROC], 1);
	if (ubc_check_layout(text, true, err, sizeof(err)))
		churn_error(w->c, "%s layout: %s", UBC_PROC, err);
	else if (ubc_parse(text, f))
		churn_error(w->c, "%s: %s", UBC_PROC, f->err);
	for (int i = 1; i < f->nr_blocks; i++)
		if (f->blocks[i - 1].ctid >= f->blocks[i].ctid)
			churn_error(w->c, "%s: ctid %u after %u", UBC_PROC,
				    f->blocks[i].ctid, f->blocks[i - 1].ctid);
	free(text);

	/* A /proc/bc file whose beancounter may go away while it is open. */
	snprintf(path, sizeof(path), BC_PROC_DIR "/%u/resources",
		 pick_ctid(w, true, &stable));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno != ENOENT || stable)
			churn_error(w->c, "open %s: %s", path, strerror(errno));
		return;
	}
	/* Once DESTROY removed the entry, reads of it fail with EIO. */
	if (read(fd, err, sizeof(err)) < 0 && (errno != EIO || stable))
		churn_error(w->c, "read %s: %s", path, strerror(errno));
	close(fd);
}

/* Short-lived children in random bound cgroups. */
static void do_fork(struct worker *w)
{
	FIXTURE_DATA(stress) *self = w->c->self;
	int i = rand_r(&w->seed) % (NR_CHURN + NR_STABLE);
	int cgfd = i < NR_CHURN ? self->churn_fd[i] : self->stable_fd[i - NR_CHURN];
	pid_t pids[4];
	int n = 1 + rand_r(&w->seed) % ARRAY_SIZE(pids);

	for (int k = 0; k < n; k++) {
		pids[k] = cg_clone_into(cgfd);
		if (pids[k] == 0) {
			/* Sometimes linger a little, as a zombie-to-be. */
			if (k & 1)
				syscall(SYS_sched_yield);
			_exit(0);
		}
		if (pids[k] < 0) {
			churn_error(w->c, "clone3: %s", strerror(-pids[k]));
			n = k;
			break;
		}
	}
	for (int k = 0; k < n; k++)
		if (waitpid(pids[k], NULL, 0) != pids[k])
			churn_error(w->c, "waitpid: %s", strerror(errno));
	atomic_fetch_add(&w->c->done[OP_FORK], 1);
}

/* The movers wander between the stable cgroups and an unbound one. */
static void do_move(struct worker *w)
{
	FIXTURE_DATA(stress) *self = w->c->self;
	pid_t pid = self->movers[rand_r(&w->seed) % 2];
	int i = rand_r(&w->seed) % (NR_STABLE + 1);
	const char *to = i < NR_STABLE ? self->stable[i] : self->unbound;
	int ret = cg_enter(to, pid);

	if (ret)
		churn_error(w->c, "move %d to %s: %s", pid, to, strerror(-ret));
	else
		atomic_fetch_add(&w->c->done[OP_MOVE], 1);
}

static void *worker_fn(void *arg)
{
	struct worker *w = arg;
	struct churn *c = w->c;
	FIXTURE_DATA(stress) *self = c->self;
	struct vzbc_stat st[VZBC_NR_RES];
	struct ubc_file *f = NULL;
	uint32_t ctid, nr;
	bool stable;
	int ret = 0;

	if (w->op == OP_PROC) {
		f = malloc(sizeof(*f));
		if (!f) {
			churn_error(c, "out of memory");
			return NULL;
		}
	}
	while (!atomic_load(&c->stop)) {
		switch (w->op) {
		case OP_CREATE:
			ctid = pick_ctid(w, false, &stable);
			ret = vzbc_create(self->fd, ctid,
					  self->churn_fd[ctid - self->base]);
			if (ret && ret != -EEXIST)
				churn_error(c, "CREATE %u: %d", ctid, ret);
			break;
		case OP_DESTROY:
			ctid = pick_ctid(w, false, &stable);
			ret = vzbc_destroy(self->fd, ctid);
			if (ret && ret != -ENOENT)
				churn_error(c, "DESTROY %u: %d", ctid, ret);
			break;
		case OP_SET: {
			uint32_t res = vzbc_res_ids[rand_r(&w->seed) % VZBC_NR_RES];
			uint64_t limit = rand_r(&w->seed), barrier = limit / 2;

			ctid = pick_ctid(w, true, &stable);
			ret = vzbc_set(self->fd, ctid, res, barrier, limit);
			if (ret && (ret != -ENOENT || stable))
				churn_error(c, "SET %u: %d", ctid, ret);
			break;
		}
		case OP_GET:
			ctid = pick_ctid(w, true, &stable);
			nr = VZBC_NR_RES;
			ret = vzbc_get(self->fd, ctid, st, &nr);
			if (ret && (ret != -ENOENT || stable))
				churn_error(c, "GET %u: %d", ctid, ret);
			if (!ret)
				check_stats(c, ctid, st, nr);
			break;
		case OP_LIST:
			do_list(w);
			continue;
		case OP_PROC:
			do_proc(w, f);
			continue;
		case OP_FORK:
			do_fork(w);
			continue;
		case OP_MOVE:
			do_move(w);
			usleep(200);
			continue;
		default:
			break;
		}
		if (!ret)
			atomic_fetch_add(&c->done[w->op], 1);
	}
	free(f);
	return NULL;
}

static void expect_numproc(struct __test_metadata *_metadata, int fd,
			   uint32_t ctid, const char *cg)
{
	struct vzbc_poll_arg va = {
		.fd = fd, .ctid = ctid, .res = VZBC_RES_NUMPROC,
		.field = VZBC_HELD,
	};
	uint64_t want, last = 0;

	ASSERT_EQ(0, cg_read_u64(cg, "pids.current", &want));
	EXPECT_EQ(0, wait_for_value(vzbc_poll_read, &va, want, SETTLE_MS, &last))
		TH_LOG("ctid %u: numproc held %" PRIu64 ", %s/pids.current %" PRIu64,
		       ctid, last, cg, want);
}

TEST_F_TIMEOUT(stress, ioctls_proc_forks_and_moves, 180)
{
	/* Two of each registry writer, so that they race each other too. */
	static const enum op ops[] = {
		OP_CREATE, OP_CREATE, OP_DESTROY, OP_DESTROY, OP_SET, OP_GET,
		OP_GET, OP_LIST, OP_PROC, OP_FORK, OP_FORK, OP_MOVE,
	};
	struct worker w[ARRAY_SIZE(ops)];
	pthread_t t[ARRAY_SIZE(ops)];
	uint32_t ids[64], nr, next;
	struct churn *c;

	c = calloc(1, sizeof(*c));
	ASSERT_NE(NULL, c);
	c->self = self;
	pthread_mutex_init(&c->lock, NULL);
	for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
		w[i] = (struct worker){ .c = c, .op = ops[i], .seed = i * 7919 + getpid() };
		ASSERT_EQ(0, pthread_create(&t[i], NULL, worker_fn, &w[i]));
	}
	sleep(CHURN_SECONDS);
	atomic_store(&c->stop, true);
	for (size_t i = 0; i < ARRAY_SIZE(ops); i++)
		pthread_join(t[i], NULL);

	EXPECT_EQ(0, c->nr_errors) TH_LOG("%d errors, the first: %s",
					  c->nr_errors, c->first_error);
	for (int k = 0; k < NR_OP_KINDS; k++) {
		EXPECT_LT(0, atomic_load(&c->done[k])) TH_LOG("no %s succeeded",
							      op_names[k]);
		TH_LOG("%-8s %ld", op_names[k], atomic_load(&c->done[k]));
	}

	/* The beancounters that stayed counted every fork, exit and move. */
	for (int i = 0; i < NR_STABLE; i++)
		expect_numproc(_metadata, self->fd, STABLE_CTID(self, i),
			       self->stable[i]);
	/* The others, bound afresh now that all is quiet, count right. */
	for (int i = 0; i < NR_CHURN; i++) {
		vzbc_destroy(self->fd, self->base + i);
		ASSERT_EQ(0, vzbc_create(self->fd, self->base + i, self->churn_fd[i]));
	}
	for (int i = 0; i < NR_CHURN; i++)
		expect_numproc(_metadata, self->fd, self->base + i, self->churn[i]);
	nr = ARRAY_SIZE(ids);
	ASSERT_EQ(0, vzbc_list(self->fd, self->base, ids, &nr, &next));
	ASSERT_LE((uint32_t)(NR_CHURN + NR_STABLE), nr);
	for (int i = 0; i < NR_CHURN; i++)
		EXPECT_EQ(self->base + i, ids[i]);
	for (int i = 0; i < NR_STABLE; i++)
		EXPECT_EQ(STABLE_CTID(self, i), ids[NR_CHURN + i]);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

/*
 * Module lifetime.  The module is loaded when these start and must be
 * loaded when they end, whatever happens in between: the teardown reloads
 * it from $VZBC_MODULE.
 */
FIXTURE(module) {
	const char *path;
	uint32_t ctid;
	char cg[CG_PATH_MAX];
	int cgfd;
	pid_t kids[8];
	int nr_kids;
};

static int mod_unload(void)
{
	return syscall(__NR_delete_module, "vzbc", O_NONBLOCK) ? -errno : 0;
}

static int mod_load(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -errno;
	ret = syscall(__NR_finit_module, fd, "", 0) ? -errno : 0;
	close(fd);
	return ret;
}

/* "live", "coming", "going", or "" when not loaded at all. */
static void mod_state(char *buf, size_t len)
{
	if (cg_read("/sys/module/vzbc", "initstate", buf, len) < 0)
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
}

static bool mod_live(void)
{
	char s[32];

	mod_state(s, sizeof(s));
	return !strcmp(s, "live");
}

/* Waits for @path to exist (@exists) or not. */
static bool wait_path(const char *path, bool exists)
{
	int64_t deadline = now_ms() + 2000;

	while ((access(path, F_OK) == 0) != exists) {
		if (now_ms() > deadline)
			return false;
		usleep(5000);
	}
	return true;
}

FIXTURE_SETUP(module)
{
	self->cgfd = -1;
	self->ctid = vzbc_test_ctid(0);
	self->path = getenv("VZBC_MODULE");
	if (!self->path)
		self->path = "/lib/vzbc/vzbc.ko";
	ASSERT_EQ(0, access(self->path, R_OK))
		TH_LOG("%s: %s (set VZBC_MODULE)", self->path, strerror(errno));
	ASSERT_TRUE(mod_live()) TH_LOG("vzbc is not loaded");
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1));
	ASSERT_EQ(0, cg_create_unique("mod", self->cg, CG_PATH_MAX));
	self->cgfd = cg_open(self->cg);
	ASSERT_LE(0, self->cgfd);
}

FIXTURE_TEARDOWN(module)
{
	int fd;

	for (int i = 0; i < self->nr_kids; i++)
		kill_reap(self->kids[i]);
	if (!mod_live()) {
		int ret = mod_load(self->path);

		EXPECT_EQ(0, ret) TH_LOG("reloading %s: %s", self->path,
					 strerror(-ret));
	}
	fd = vzbc_open();
	if (fd >= 0) {
		for (unsigned int i = 0; i < 8; i++)
			vzbc_destroy(fd, vzbc_test_ctid(i));
		close(fd);
	}
	close(self->cgfd);
	EXPECT_EQ(0, cg_destroy(self->cg));
}

static void spawn_kid(struct __test_metadata *_metadata,
		      FIXTURE_DATA(module) *self, pid_t pid)
{
	ASSERT_LT(0, pid);
	ASSERT_GT((int)ARRAY_SIZE(self->kids), self->nr_kids);
	self->kids[self->nr_kids++] = pid;
}

static void reload(struct __test_metadata *_metadata, const char *path)
{
	int ret = mod_load(path);

	ASSERT_EQ(0, ret) TH_LOG("finit_module %s: %s", path, strerror(-ret));
	ASSERT_TRUE(mod_live());
	ASSERT_TRUE(wait_path(VZBC_DEV, true)) TH_LOG("no %s after loading", VZBC_DEV);
}

/*
 * Beancounters and open /proc files do not pin the module: unloading
 * tears them down, and the files left open fail cleanly.
 */
TEST_F(module, unload_tears_down_beancounters)
{
	char path[64], buf[64];
	struct vzbc_stat st;
	int fd, procfd[2];
	ssize_t n;

	for (int i = 0; i < 2; i++)
		spawn_kid(_metadata, self, cg_sleeper(self->cgfd));
	fd = vzbc_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, vzbc_create(fd, self->ctid, self->cgfd));
	ASSERT_EQ(0, vzbc_set(fd, self->ctid, VZBC_RES_NUMPROC, 11, 22));
	close(fd);

	snprintf(path, sizeof(path), BC_PROC_DIR "/%u/resources", self->ctid);
	procfd[0] = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, procfd[0]) TH_LOG("%s: %s", path, strerror(errno));
	procfd[1] = open(UBC_PROC, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, procfd[1]);
	ASSERT_LT(0, read(procfd[1], buf, 10));

	ASSERT_EQ(0, mod_unload()) TH_LOG("delete_module: %s", strerror(errno));
	EXPECT_FALSE(mod_live());
	EXPECT_TRUE(wait_path(VZBC_DEV, false));
	EXPECT_NE(0, access(UBC_PROC, F_OK));
	EXPECT_NE(0, access(BC_PROC_DIR, F_OK));
	/* Reads of files whose entry is gone fail (EIO) or see the end. */
	for (int i = 0; i < 2; i++) {
		n = read(procfd[i], buf, sizeof(buf));
		EXPECT_TRUE(n == 0 || (n < 0 && errno == EIO))
			TH_LOG("read after unload: %zd %s", n, strerror(errno));
		close(procfd[i]);
	}

	reload(_metadata, self->path);
	fd = vzbc_open();
	ASSERT_LE(0, fd);
	/* A fresh start: nothing of the old beancounter is left... */
	EXPECT_EQ(-ENOENT, vzbc_get_res(fd, self->ctid, VZBC_RES_NUMPROC, &st));
	/* ...and the cgroup is free to bind; its tasks count at once. */
	ASSERT_EQ(0, vzbc_create(fd, self->ctid, self->cgfd));
	ASSERT_EQ(0, vzbc_get_res(fd, self->ctid, VZBC_RES_NUMPROC, &st));
	EXPECT_EQ(2u, st.held);
	EXPECT_EQ(VZBC_UNLIMITED, st.limit);
	close(fd);
}

TEST_F(module, open_device_pins_module)
{
	char refcnt[32];
	int fd, fd2, status;
	pid_t holder;

	fd = vzbc_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, vzbc_create(fd, self->ctid, self->cgfd));
	/* delete_module(2) says EWOULDBLOCK for a module in use; rmmod(8)
	 * prints "in use" without calling it. */
	EXPECT_EQ(-EWOULDBLOCK, mod_unload());
	ASSERT_TRUE(mod_live());
	ASSERT_LT(0, cg_read("/sys/module/vzbc", "refcnt", refcnt, sizeof(refcnt)));
	EXPECT_LE(1, atoi(refcnt));
	/* The failed unload left everything working. */
	EXPECT_EQ(VZBC_API_VERSION, vzbc_version(fd));
	EXPECT_EQ(0, vzbc_set(fd, self->ctid, VZBC_RES_NUMPROC, 1, 2));

	/* Any open file pins it, also one inherited by another process. */
	fd2 = vzbc_open();
	ASSERT_LE(0, fd2);
	holder = fork();
	if (holder == 0) {
		close(fd);
		for (;;)
			pause();
	}
	ASSERT_LT(0, holder);
	close(fd2);
	close(fd);
	EXPECT_EQ(-EWOULDBLOCK, mod_unload());
	kill(holder, SIGKILL);
	ASSERT_EQ(holder, waitpid(holder, &status, 0));

	/* The last close unpins it, with the beancounter still there. */
	ASSERT_EQ(0, mod_unload()) TH_LOG("delete_module: %s", strerror(errno));
	reload(_metadata, self->path);
}

/* Children that fork and exit in a loop; some forks hit pids.max. */
static pid_t fork_loop(const char *cg)
{
	pid_t pid = cg_fork_into(cg);

	if (pid == 0) {
		for (;;) {
			pid_t kids[3];

			for (int i = 0; i < 3; i++) {
				kids[i] = fork();
				if (kids[i] == 0)
					_exit(0);
			}
			for (int i = 0; i < 3; i++)
				if (kids[i] > 0)
					waitpid(kids[i], NULL, 0);
		}
	}
	return pid;
}

/* Block IO for the io probes: O_DIRECT reads of the VM's scratch disk. */
static pid_t io_loop(const char *cg)
{
	const char *disk = getenv("LOWFAT_DISK");
	pid_t pid;

	if (!disk)
		return 0;
	pid = cg_fork_into(cg);
	if (pid == 0) {
		int fd = open(disk, O_RDONLY | O_DIRECT | O_CLOEXEC);
		void *buf;

		if (fd < 0 || posix_memalign(&buf, 4096, 4096))
			_exit(1);
		for (unsigned int i = 0;; i++)
			if (pread(fd, buf, 4096, (off_t)(i % 4096) * 4096) < 0)
				_exit(2);
	}
	return pid;
}

TEST_F_TIMEOUT(module, reload_cycles_under_load, 240)
{
	struct ubc_file *f = malloc(sizeof(*f));
	pid_t io;

	ASSERT_NE(NULL, f);
	ASSERT_EQ(0, cg_write(self->cg, "pids.max", "6"));
	for (int i = 0; i < 2; i++)
		spawn_kid(_metadata, self, fork_loop(self->cg));
	io = io_loop(self->cg);
	if (io)
		spawn_kid(_metadata, self, io);

	for (int cycle = 0; cycle < 20; cycle++) {
		struct vzbc_stat st;
		char *text;
		int fd, ret;

		fd = vzbc_open();
		ASSERT_LE(0, fd) TH_LOG("cycle %d: open: %s", cycle, strerror(-fd));
		ASSERT_EQ(0, vzbc_create(fd, self->ctid, self->cgfd));
		ASSERT_EQ(0, vzbc_set(fd, self->ctid, VZBC_RES_NUMPROC, 6, 6));
		usleep(50 * 1000);	/* let the probes run */
		/* No count is checked: binding a cgroup while its tasks fork
		 * and exit is inexact by design (vzbc-accounting.rst). */
		ASSERT_EQ(0, vzbc_get_res(fd, self->ctid, VZBC_RES_NUMPROC, &st));
		EXPECT_EQ(VZBC_STAT_ACCOUNTED, st.flags);
		text = read_text(UBC_PROC, &ret);
		ASSERT_NE(NULL, text);
		ASSERT_EQ(0, ubc_parse(text, f)) TH_LOG("%s", f->err);
		EXPECT_NE(NULL, ubc_find(f, self->ctid));
		free(text);
		/* Half of the time the unload has a beancounter to tear down. */
		if (cycle & 1)
			ASSERT_EQ(0, vzbc_destroy(fd, self->ctid));
		close(fd);

		ret = mod_unload();
		ASSERT_EQ(0, ret) TH_LOG("cycle %d: delete_module: %s", cycle,
					 strerror(-ret));
		reload(_metadata, self->path);
	}
	/* Still alive and forking: the workload never noticed. */
	for (int i = 0; i < self->nr_kids; i++)
		EXPECT_EQ(0, kill(self->kids[i], 0));
	free(f);
}

TEST_HARNESS_MAIN
