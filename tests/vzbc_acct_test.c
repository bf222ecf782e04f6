// SPDX-License-Identifier: GPL-2.0
/*
 * Accounting: numproc against the pids controller's own files, physpages
 * and swappages against the memory controller's, with real workloads.
 */
#include <errno.h>
#include <inttypes.h>
#include <linux/membarrier.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "cg.h"
#include "mem.h"
#include "vzbc.h"

/* Exits are counted one RCU grace period after the reap; lazy RCU may
 * batch callbacks for seconds. */
#define SETTLE_MS	10000
#define MAX_KIDS	64

FIXTURE(acct) {
	int fd;
	uint32_t ctid;
	char cg[CG_PATH_MAX];	/* bound to ctid by most tests */
	int cgfd;
	char out[CG_PATH_MAX];	/* a second cgroup, made on demand */
	int outfd;
	pid_t kids[MAX_KIDS];
	int nr_kids;
};

FIXTURE_SETUP(acct)
{
	self->fd = -1;
	self->cgfd = -1;
	self->outfd = -1;
	self->ctid = vzbc_test_ctid(0);
	/* Orphaned grandchildren come back to us to be reaped. */
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1));
	self->fd = vzbc_open();
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", VZBC_DEV, strerror(-self->fd));
	ASSERT_EQ(0, cg_create_unique("acct", self->cg, CG_PATH_MAX));
	self->cgfd = cg_open(self->cg);
	ASSERT_LE(0, self->cgfd);
}

FIXTURE_TEARDOWN(acct)
{
	for (unsigned int i = 0; i < 8; i++)
		vzbc_destroy(self->fd, vzbc_test_ctid(i));
	/* Our children first, while their pids are surely theirs. */
	for (int i = 0; i < self->nr_kids; i++)
		kill_reap(self->kids[i]);
	EXPECT_EQ(0, cg_destroy(self->cg));
	EXPECT_EQ(0, cg_destroy(self->out));
	close(self->cgfd);
	close(self->outfd);
	close(self->fd);
}

static void make_out(struct __test_metadata *_metadata, FIXTURE_DATA(acct) *self)
{
	ASSERT_EQ(0, cg_create_unique("out", self->out, CG_PATH_MAX));
	self->outfd = cg_open(self->out);
	ASSERT_LE(0, self->outfd);
}

/* A task that sleeps in @cgfd until killed; its pid is remembered. */
static pid_t spawn_sleeper(struct __test_metadata *_metadata,
			   FIXTURE_DATA(acct) *self, int cgfd)
{
	pid_t pid;

	ASSERT_GT(MAX_KIDS, self->nr_kids);
	pid = cg_sleeper(cgfd);
	ASSERT_LT(0, pid) TH_LOG("clone3(CLONE_INTO_CGROUP): %s", strerror(-pid));
	self->kids[self->nr_kids++] = pid;
	return pid;
}

/* Kills and reaps the last @n sleepers. */
static void kill_sleepers(FIXTURE_DATA(acct) *self, int n)
{
	while (n-- > 0 && self->nr_kids > 0)
		kill_reap(self->kids[--self->nr_kids]);
}

/*
 * Best effort to let exits that are still in flight land: a grace period
 * (membarrier's GLOBAL command is synchronize_rcu() on SMP) and a short
 * pause for the callbacks.  Used only to catch late, wrong updates; never
 * needed for a test to pass.
 */
static void settle_rcu(void)
{
	syscall(__NR_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0);
	usleep(100 * 1000);
}

static struct vzbc_stat get_stat(struct __test_metadata *_metadata, int fd,
				 uint32_t ctid, uint32_t res)
{
	struct vzbc_stat st;

	memset(&st, 0, sizeof(st));
	ASSERT_EQ(0, vzbc_get_res(fd, ctid, res, &st))
		TH_LOG("GET ctid %u resource %u", ctid, res);
	return st;
}

/*
 * pids.current of @cg and numproc held of @ctid both reach @want and stay
 * there once exits in flight have landed.
 */
static void expect_numproc(struct __test_metadata *_metadata, int fd,
			   uint32_t ctid, const char *cg, uint64_t want)
{
	struct vzbc_poll_arg va = {
		.fd = fd, .ctid = ctid, .res = VZBC_RES_NUMPROC,
		.field = VZBC_HELD,
	};
	struct cg_file_arg ca = { .path = cg, .file = "pids.current" };
	uint64_t last = 0;
	int ret;

	ret = wait_for_value(cg_poll_read, &ca, want, SETTLE_MS, &last);
	ASSERT_EQ(0, ret) TH_LOG("%s/pids.current is %" PRIu64 ", want %" PRIu64,
				 cg, last, want);
	ret = wait_for_value(vzbc_poll_read, &va, want, SETTLE_MS, &last);
	ASSERT_EQ(0, ret) TH_LOG("ctid %u numproc held is %" PRIu64
				 ", pids.current is %" PRIu64, ctid, last, want);
	settle_rcu();
	ASSERT_EQ(0, cg_read_u64(cg, "pids.current", &last));
	ASSERT_EQ(want, last) TH_LOG("%s/pids.current moved", cg);
	ASSERT_EQ(want, get_stat(_metadata, fd, ctid, VZBC_RES_NUMPROC).held)
		TH_LOG("ctid %u numproc held moved after it settled", ctid);
}

static void bind(struct __test_metadata *_metadata, int fd, uint32_t ctid,
		 int cgfd)
{
	ASSERT_EQ(0, vzbc_create(fd, ctid, cgfd)) TH_LOG("CREATE %u", ctid);
}

TEST_F(acct, numproc_empty)
{
	struct vzbc_stat st;

	bind(_metadata, self->fd, self->ctid, self->cgfd);
	st = get_stat(_metadata, self->fd, self->ctid, VZBC_RES_NUMPROC);
	EXPECT_EQ(VZBC_STAT_ACCOUNTED, st.flags);
	EXPECT_EQ(0u, st.held);
	EXPECT_EQ(0u, st.maxheld);
	EXPECT_EQ(0u, st.minheld);
	EXPECT_EQ(0u, st.failcnt);
	expect_numproc(_metadata, self->fd, self->ctid, self->cg, 0);
}

TEST_F(acct, numproc_processes)
{
	struct vzbc_stat st;

	bind(_metadata, self->fd, self->ctid, self->cgfd);
	for (int i = 0; i < 10; i++)
		spawn_sleeper(_metadata, self, self->cgfd);
	expect_numproc(_metadata, self->fd, self->ctid, self->cg, 10);

	kill_sleepers(self, 4);
	expect_numproc(_metadata, self->fd, self->ctid, self->cg, 6);
	kill_sleepers(self, 6);
	expect_numproc(_metadata, self->fd, self->ctid, self->cg, 0);

	st = get_stat(_metadata, self->fd, self->ctid, VZBC_RES_NUMPROC);
	EXPECT_EQ(10u, st.maxheld);
	EXPECT_EQ(0u, st.minheld);
	EXPECT_EQ(0u, st.failcnt);
}

TEST_F(acct, numproc_counts_tasks_present_at_create)
{
	struct vzbc_stat st;

	for (int i = 0; i < 4; i++)
		spawn_sleeper(_metadata, self, self->cgfd);
	ASSERT_EQ(0, wait_for_value(cg_poll_read,
				    &(struct cg_file_arg){ self->cg, "pids.current" },
				    4, SETTLE_MS, NULL));
	bind(_metadata, self->fd, self->ctid, self->cgfd);
	/* Counted by CREATE itself: no waiting. */
	st = get_stat(_metadata, self->fd, self->ctid, VZBC_RES_NUMPROC);
	EXPECT_EQ(4u, st.held);
	EXPECT_EQ(4u, st.maxheld);
	EXPECT_EQ(4u, st.minheld);

	for (int i = 0; i < 3; i++)
		spawn_sleeper(_metadata, self, self->cgfd);
	expect_numproc(_metadata, self->fd, self->ctid, self->cg, 7);
	kill_sleepers(self, 5);
	expect_numproc(_metadata, self->fd, self->ctid, self->cg, 2);
	spawn_sleeper(_metadata, self, self->cgfd);
	expect_numproc(_metadata, self->fd, self->ctid, self->cg, 3);

	st = get_stat(_metadata, self->fd, self->ctid, VZBC_RES_NUMPROC);
	EXPECT_EQ(7u, st.maxheld);
	EXPECT_EQ(2u, st.minheld);
}

/*
 * Tasks reaped just before CREATE are gone from the task list but their
 * exit has not been accounted yet (that happens a grace period after the
 * reap): they must not be subtracted from the new beancounter.  This is
 * what "ctlvz restart" does: stop (kill, reap), destroy, create, start.
 */
TEST_F(acct, numproc_bind_right_after_reap)
{
	struct vzbc_stat st;

	for (int i = 0; i < 32; i++)
		spawn_sleeper(_metadata, self, self->cgfd);
	kill_sleepers(self, 32);
	bind(_metadata, self->fd, self->ctid, self->cgfd);
	for (int i = 0; i < 3; i++)
		spawn_sleeper(_metadata, self, self->cgfd);
	settle_rcu();
	expect_numproc(_metadata, self->fd, self->ctid, self->cg, 3);
	st = get_stat(_metadata, self->fd, self->ctid, VZBC_RES_NUMPROC);
	EXPECT_EQ(3u, st.maxheld);
}

/*
 * A beancounter re-created for the same cgroup starts afresh: it counts
 * what is there and forgets the old peaks.  (Exits are let to land before
 * the re-create: racing them is numproc_bind_right_after_reap's job.)
 */
TEST_F(acct, numproc_destroy_recreate)
{
	struct vzbc_stat st;

	for (int i = 0; i < 5; i++)
		spawn_sleeper(_metadata, self, self->cgfd);
	bind(_metadata, self->fd, self->ctid, self->cgfd);
	expect_numproc(_metadata, self->fd, self->ctid, self->cg, 5);
	ASSERT_EQ(0, vzbc_set(self->fd, self->ctid, VZBC_RES_NUMPROC, 7, 8));
	ASSERT_EQ(0, vzbc_destroy(self->fd, self->ctid));
	kill_sleepers(self, 3);
	ASSERT_EQ(0, wait_for_value(cg_poll_read,
				    &(struct cg_file_arg){ self->cg, "pids.current" },
				    2, SETTLE_MS, NULL));
	settle_rcu();

	bind(_metadata, self->fd, self->ctid, self->cgfd);
	st = get_stat(_metadata, self->fd, self->ctid, VZBC_RES_NUMPROC);
	EXPECT_EQ(2u, st.held);
	EXPECT_EQ(2u, st.maxheld);
	EXPECT_EQ(2u, st.minheld);
	EXPECT_EQ(VZBC_UNLIMITED, st.barrier);
	EXPECT_EQ(VZBC_UNLIMITED, st.limit);
	spawn_sleeper(_metadata, self, self->cgfd);
	expect_numproc(_metadata, self->fd, self->ctid, self->cg, 3);
}

TEST_F(acct, numproc_zombie_counts_until_reaped)
{
	siginfo_t si;
	pid_t pid;

	bind(_metadata, self->fd, self->ctid, self->cgfd);
	pid = cg_clone_into(self->cgfd);
	if (pid == 0)
		_exit(0);
	ASSERT_LT(0, pid);
	/* Wait for the exit without reaping. */
	memset(&si, 0, sizeof(si));
	ASSERT_EQ(0, waitid(P_PID, pid, &si, WEXITED | WNOWAIT));
	expect_numproc(_metadata, self->fd, self->ctid, self->cg, 1);
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	expect_numproc(_metadata, self->fd, self->ctid, self->cg, 0);
}

TEST_F(acct, numproc_fork_exit_churn)
{
	struct vzbc_stat st;

	bind(_metadata, self->fd, self->ctid, self->cgfd);
	spawn_sleeper(_metadata, self, self->cgfd);
	for (int i = 0; i < 300; i++) {
		pid_t pid = cg_clone_into(self->cgfd);

		if (pid == 0)
			_exit(0);
		ASSERT_LT(0, pid);
		if (i % 3 == 0)
			ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	}
	/* Reap the rest; the sleeper stays. */
	for (int64_t deadline = now_ms() + SETTLE_MS;;) {
		uint64_t cur;

		ASSERT_EQ(0, cg_read_u64(self->cg, "pids.current", &cur));
		if (cur == 1)
			break;
		ASSERT_GT(deadline, now_ms()) TH_LOG("pids.current stuck at %" PRIu64, cur);
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		usleep(1000);
	}
	expect_numproc(_metadata, self->fd, self->ctid, self->cg, 1);
	st = get_stat(_metadata, self->fd, self->ctid, VZBC_RES_NUMPROC);
	EXPECT_LE(2u, st.maxheld);
	EXPECT_GE(301u, st.maxheld);
	EXPECT_EQ(0u, st.minheld);
}

/* A process with threads: each thread is a task. */
struct threads_ctl {
	int go[2];	/* parent -> threads: one byte lets one thread exit */
	int done[2];	/* child -> parent: "ready", then "joined" */
};

static void *thread_wait(void *arg)
{
	struct threads_ctl *c = arg;
	char b;

	if (read(c->go[0], &b, 1) != 1)
		return NULL;
	return NULL;
}

/* In a child: @n threads, report, join them when told, report, pause. */
static void threads_child(struct threads_ctl *c, int n)
{
	pthread_t t[32];
	char b = 'r';

	for (int i = 0; i < n; i++)
		if (pthread_create(&t[i], NULL, thread_wait, c))
			_exit(1);
	if (write(c->done[1], &b, 1) != 1)
		_exit(1);
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	b = 'j';
	if (write(c->done[1], &b, 1) != 1)
		_exit(1);
	for (;;)
		pause();
}

static pid_t spawn_threaded(struct __test_metadata *_metadata,
			    FIXTURE_DATA(acct) *self, const char *cg,
			    struct threads_ctl *c, int n)
{
	pid_t pid;
	char b;

	ASSERT_EQ(0, pipe(c->go));
	ASSERT_EQ(0, pipe(c->done));
	pid = cg_fork_into(cg);
	if (pid == 0)
		threads_child(c, n);
	ASSERT_LT(0, pid);
	self->kids[self->nr_kids++] = pid;
	ASSERT_EQ(1, read(c->done[0], &b, 1));
	ASSERT_EQ('r', b);
	return pid;
}

TEST_F(acct, numproc_threads)
{
	struct threads_ctl c;
	char go[7] = "xxxxxxx", b;

	bind(_metadata, self->fd, self->ctid, self->cgfd);
	spawn_threaded(_metadata, self, self->cg, &c, 7);
	expect_numproc(_metadata, self->fd, self->ctid, self->cg, 8);
	EXPECT_EQ(8, cg_count_lines(self->cg, "cgroup.threads"));

	ASSERT_EQ(7, write(c.go[1], go, sizeof(go)));
	ASSERT_EQ(1, read(c.done[0], &b, 1));
	ASSERT_EQ('j', b);
	expect_numproc(_metadata, self->fd, self->ctid, self->cg, 1);
	kill_sleepers(self, 1);
	expect_numproc(_metadata, self->fd, self->ctid, self->cg, 0);
	EXPECT_EQ(8u, get_stat(_metadata, self->fd, self->ctid,
			       VZBC_RES_NUMPROC).maxheld);
}

TEST_F(acct, numproc_migration)
{
	uint32_t octid = self->ctid + 1;
	struct threads_ctl c;
	char sub[CG_PATH_MAX];
	pid_t pid, mt;

	make_out(_metadata, self);
	ASSERT_EQ(0, cg_create_child(self->cg, "sub", sub, sizeof(sub)));
	bind(_metadata, self->fd, self->ctid, self->cgfd);
	bind(_metadata, self->fd, octid, self->outfd);

	pid = spawn_sleeper(_metadata, self, self->outfd);
	expect_numproc(_metadata, self->fd, octid, self->out, 1);
	expect_numproc(_metadata, self->fd, self->ctid, self->cg, 0);

	/* out -> cg -> cg/sub -> out */
	ASSERT_EQ(0, cg_enter(self->cg, pid));
	expect_numproc(_metadata, self->fd, self->ctid, self->cg, 1);
	expect_numproc(_metadata, self->fd, octid, self->out, 0);
	ASSERT_EQ(0, cg_enter(sub, pid));
	expect_numproc(_metadata, self->fd, self->ctid, self->cg, 1);
	ASSERT_EQ(0, cg_enter(self->out, pid));
	expect_numproc(_metadata, self->fd, self->ctid, self->cg, 0);
	expect_numproc(_metadata, self->fd, octid, self->out, 1);

	/* Writing cgroup.procs moves every thread of the process. */
	mt = spawn_threaded(_metadata, self, self->out, &c, 5);
	expect_numproc(_metadata, self->fd, octid, self->out, 7);
	ASSERT_EQ(0, cg_enter(sub, mt));
	expect_numproc(_metadata, self->fd, self->ctid, self->cg, 6);
	expect_numproc(_metadata, self->fd, octid, self->out, 1);
	ASSERT_EQ(0, cg_enter(self->out, mt));
	expect_numproc(_metadata, self->fd, self->ctid, self->cg, 0);
	expect_numproc(_metadata, self->fd, octid, self->out, 7);

	/* From and to a cgroup that no beancounter holds. */
	ASSERT_EQ(0, vzbc_destroy(self->fd, octid));
	ASSERT_EQ(0, cg_enter(self->cg, mt));
	expect_numproc(_metadata, self->fd, self->ctid, self->cg, 6);
	ASSERT_EQ(0, cg_enter(self->out, mt));
	expect_numproc(_metadata, self->fd, self->ctid, self->cg, 0);

	EXPECT_EQ(6u, get_stat(_metadata, self->fd, self->ctid,
			       VZBC_RES_NUMPROC).maxheld);
	EXPECT_EQ(0u, get_stat(_metadata, self->fd, self->ctid,
			       VZBC_RES_NUMPROC).minheld);
}

/*
 * Tasks anywhere below the bound cgroup count, and a beancounter bound
 * inside another counts its own subtree while the outer one keeps counting.
 * Tasks live in leaves only: a cgroup with tasks and a controller enabled
 * for its children would turn into a thread root.
 *
 *   cg/        ctid (outer)
 *     x/       2 tasks
 *     a/       ctid + 1 (middle)
 *       y/     3 tasks
 *       b/     ctid + 2 (inner), 4 tasks
 */
TEST_F(acct, numproc_subtree_and_nested_beancounters)
{
	uint32_t middle = self->ctid + 1, inner = self->ctid + 2;
	char x[CG_PATH_MAX], a[CG_PATH_MAX], y[CG_PATH_MAX], b[CG_PATH_MAX];
	int xfd, afd, yfd, bfd;

	ASSERT_EQ(0, cg_create_child(self->cg, "x", x, sizeof(x)));
	ASSERT_EQ(0, cg_create_child(self->cg, "a", a, sizeof(a)));
	ASSERT_EQ(0, cg_create_child(a, "y", y, sizeof(y)));
	ASSERT_EQ(0, cg_create_child(a, "b", b, sizeof(b)));
	ASSERT_EQ(0, cg_write(self->cg, "cgroup.subtree_control", "+pids"));
	ASSERT_EQ(0, cg_write(a, "cgroup.subtree_control", "+pids"));
	xfd = cg_open(x);
	afd = cg_open(a);
	yfd = cg_open(y);
	bfd = cg_open(b);
	ASSERT_LE(0, xfd);
	ASSERT_LE(0, afd);
	ASSERT_LE(0, yfd);
	ASSERT_LE(0, bfd);
	bind(_metadata, self->fd, self->ctid, self->cgfd);

	for (int i = 0; i < 2; i++)
		spawn_sleeper(_metadata, self, xfd);
	for (int i = 0; i < 3; i++)
		spawn_sleeper(_metadata, self, yfd);
	for (int i = 0; i < 4; i++)
		spawn_sleeper(_metadata, self, bfd);
	expect_numproc(_metadata, self->fd, self->ctid, self->cg, 9);

	bind(_metadata, self->fd, middle, afd);
	bind(_metadata, self->fd, inner, bfd);
	expect_numproc(_metadata, self->fd, middle, a, 7);
	expect_numproc(_metadata, self->fd, inner, b, 4);
	spawn_sleeper(_metadata, self, bfd);
	expect_numproc(_metadata, self->fd, inner, b, 5);
	expect_numproc(_metadata, self->fd, middle, a, 8);
	expect_numproc(_metadata, self->fd, self->ctid, self->cg, 10);

	/* Moves inside the outer subtree change only the inner counts. */
	ASSERT_EQ(0, cg_enter(x, self->kids[self->nr_kids - 1]));
	expect_numproc(_metadata, self->fd, inner, b, 4);
	expect_numproc(_metadata, self->fd, middle, a, 7);
	expect_numproc(_metadata, self->fd, self->ctid, self->cg, 10);

	kill_sleepers(self, 5);		/* x's newcomer and b's four */
	expect_numproc(_metadata, self->fd, inner, b, 0);
	expect_numproc(_metadata, self->fd, middle, a, 3);
	expect_numproc(_metadata, self->fd, self->ctid, self->cg, 5);
	EXPECT_EQ(5u, get_stat(_metadata, self->fd, self->ctid + 2,
			       VZBC_RES_NUMPROC).maxheld);
	close(xfd);
	close(afd);
	close(yfd);
	close(bfd);
}

/*
 * A task in @cg that tries @n forks (the children sleep) and reports how
 * many succeeded and how many failed with EAGAIN.
 */
struct fork_report {
	int ok, eagain, other;
};

static void run_forker(struct __test_metadata *_metadata,
		       FIXTURE_DATA(acct) *self, const char *cg, int n,
		       struct fork_report *rep)
{
	int p[2];
	pid_t pid;

	ASSERT_EQ(0, pipe(p));
	pid = cg_fork_into(cg);
	if (pid == 0) {
		struct fork_report r = { 0, 0, 0 };

		for (int i = 0; i < n; i++) {
			pid_t c = fork();

			if (c == 0) {
				for (;;)
					pause();
			}
			if (c > 0)
				r.ok++;
			else if (errno == EAGAIN)
				r.eagain++;
			else
				r.other++;
		}
		if (write(p[1], &r, sizeof(r)) != sizeof(r))
			_exit(1);
		for (;;)
			pause();
	}
	ASSERT_LT(0, pid);
	self->kids[self->nr_kids++] = pid;
	ASSERT_EQ(sizeof(*rep), (size_t)read(p[0], rep, sizeof(*rep)));
	close(p[0]);
	close(p[1]);
	ASSERT_EQ(0, rep->other);
}

TEST_F(acct, numproc_failcnt)
{
	struct fork_report r;
	uint64_t events;

	ASSERT_EQ(0, cg_write(self->cg, "pids.max", "5"));
	bind(_metadata, self->fd, self->ctid, self->cgfd);
	run_forker(_metadata, self, self->cg, 10, &r);
	EXPECT_EQ(4, r.ok);
	EXPECT_EQ(6, r.eagain);
	expect_numproc(_metadata, self->fd, self->ctid, self->cg, 5);

	EXPECT_EQ((uint64_t)r.eagain, get_stat(_metadata, self->fd, self->ctid,
					       VZBC_RES_NUMPROC).failcnt);
	ASSERT_EQ(0, cg_read_key(self->cg, "pids.events", "max", &events));
	EXPECT_EQ((uint64_t)r.eagain, events);
	EXPECT_EQ(5u, get_stat(_metadata, self->fd, self->ctid,
			       VZBC_RES_NUMPROC).maxheld);
}

/* A limit inside the bound subtree refuses forks of the subtree. */
TEST_F(acct, numproc_failcnt_limit_below)
{
	char sub[CG_PATH_MAX];
	struct fork_report r;
	uint64_t events;

	ASSERT_EQ(0, cg_create_child(self->cg, "sub", sub, sizeof(sub)));
	ASSERT_EQ(0, cg_write(self->cg, "cgroup.subtree_control", "+pids"));
	ASSERT_EQ(0, cg_write(sub, "pids.max", "2"));
	bind(_metadata, self->fd, self->ctid, self->cgfd);
	run_forker(_metadata, self, sub, 5, &r);
	EXPECT_EQ(1, r.ok);
	EXPECT_EQ(4, r.eagain);
	expect_numproc(_metadata, self->fd, self->ctid, self->cg, 2);
	EXPECT_EQ((uint64_t)r.eagain, get_stat(_metadata, self->fd, self->ctid,
					       VZBC_RES_NUMPROC).failcnt);
	ASSERT_EQ(0, cg_read_key(sub, "pids.events", "max", &events));
	EXPECT_EQ((uint64_t)r.eagain, events);
}

/* A limit above the bound cgroup refuses its forks too. */
TEST_F(acct, numproc_failcnt_limit_above)
{
	uint32_t inner = self->ctid + 1;
	char sub[CG_PATH_MAX];
	struct fork_report r;
	int subfd;

	ASSERT_EQ(0, cg_create_child(self->cg, "sub", sub, sizeof(sub)));
	subfd = cg_open(sub);
	ASSERT_LE(0, subfd);
	ASSERT_EQ(0, cg_write(self->cg, "pids.max", "3"));
	bind(_metadata, self->fd, inner, subfd);
	bind(_metadata, self->fd, self->ctid, self->cgfd);
	run_forker(_metadata, self, sub, 10, &r);
	EXPECT_EQ(2, r.ok);
	EXPECT_EQ(8, r.eagain);
	expect_numproc(_metadata, self->fd, self->ctid, self->cg, 3);
	EXPECT_EQ((uint64_t)r.eagain, get_stat(_metadata, self->fd, inner,
					       VZBC_RES_NUMPROC).failcnt);
	EXPECT_EQ((uint64_t)r.eagain, get_stat(_metadata, self->fd, self->ctid,
					       VZBC_RES_NUMPROC).failcnt);
	close(subfd);
}

/* Failures elsewhere are not ours. */
TEST_F(acct, numproc_failcnt_other_cgroup)
{
	struct fork_report r;

	make_out(_metadata, self);
	ASSERT_EQ(0, cg_write(self->out, "pids.max", "1"));
	bind(_metadata, self->fd, self->ctid, self->cgfd);
	run_forker(_metadata, self, self->out, 3, &r);
	EXPECT_EQ(3, r.eagain);
	EXPECT_EQ(0u, get_stat(_metadata, self->fd, self->ctid,
			       VZBC_RES_NUMPROC).failcnt);
}

/*
 * held of a memory resource against @file read just before and just
 * after the GET, in pages, one page of slack either way.
 */
static void expect_mem_held(struct __test_metadata *_metadata, int fd,
			    uint32_t ctid, uint32_t res, const char *cg,
			    const char *file, struct vzbc_stat *out)
{
	uint64_t before, after, lo, hi, ps = page_size();
	struct vzbc_stat st;

	ASSERT_EQ(0, cg_read_u64(cg, file, &before));
	st = get_stat(_metadata, fd, ctid, res);
	ASSERT_EQ(0, cg_read_u64(cg, file, &after));
	lo = (before < after ? before : after) / ps;
	hi = (before > after ? before : after) / ps;
	EXPECT_EQ(VZBC_STAT_ACCOUNTED, st.flags);
	EXPECT_LE(lo, st.held + 1) TH_LOG("%s: %" PRIu64 "..%" PRIu64 " pages",
					  file, lo, hi);
	EXPECT_GE(hi + 1, st.held) TH_LOG("%s: %" PRIu64 "..%" PRIu64 " pages",
					  file, lo, hi);
	EXPECT_LE(st.minheld, st.held);
	EXPECT_LE(st.held, st.maxheld);
	*out = st;
}

/* A child in @cg that touches @bytes of anonymous memory, then waits. */
static pid_t spawn_eater(struct __test_metadata *_metadata,
			 FIXTURE_DATA(acct) *self, const char *cg,
			 size_t bytes, bool report)
{
	int p[2];
	pid_t pid;
	char b;

	ASSERT_EQ(0, pipe(p));
	pid = cg_fork_into(cg);
	if (pid == 0) {
		char *m = malloc(bytes);

		if (!m)
			_exit(2);
		for (size_t i = 0; i < bytes; i += 4096)
			m[i] = 1;
		if (report && write(p[1], "t", 1) != 1)
			_exit(1);
		if (!report)
			_exit(0);
		for (;;)
			pause();
	}
	ASSERT_LT(0, pid);
	close(p[1]);
	if (report) {
		self->kids[self->nr_kids++] = pid;
		ASSERT_EQ(1, read(p[0], &b, 1)) TH_LOG("the eater died");
	}
	close(p[0]);
	return pid;
}

TEST_F(acct, physpages_follow_memory_current)
{
	uint64_t ps = page_size(), want = (64ull << 20) / ps, peak_lo, peak_hi;
	uint64_t events;
	struct vzbc_stat st;

	bind(_metadata, self->fd, self->ctid, self->cgfd);
	spawn_eater(_metadata, self, self->cg, 64 << 20, true);

	expect_mem_held(_metadata, self->fd, self->ctid, VZBC_RES_PHYSPAGES,
			self->cg, "memory.current", &st);
	EXPECT_LE(want, st.held);

	/* maxheld is the kernel's own watermark. */
	ASSERT_EQ(0, cg_read_u64(self->cg, "memory.peak", &peak_lo));
	st = get_stat(_metadata, self->fd, self->ctid, VZBC_RES_PHYSPAGES);
	ASSERT_EQ(0, cg_read_u64(self->cg, "memory.peak", &peak_hi));
	EXPECT_LE(peak_lo / ps, st.maxheld);
	EXPECT_GE(peak_hi / ps, st.maxheld);
	ASSERT_EQ(0, cg_read_key(self->cg, "memory.events", "max", &events));
	EXPECT_EQ(events, st.failcnt);

	/* Freed memory leaves held, not maxheld. */
	kill_sleepers(self, 1);
	expect_mem_held(_metadata, self->fd, self->ctid, VZBC_RES_PHYSPAGES,
			self->cg, "memory.current", &st);
	EXPECT_GT(want / 2, st.held);
	EXPECT_LE(want, st.maxheld);
	EXPECT_GE(want / 2, st.minheld);
}

TEST_F(acct, physpages_failcnt_at_memory_max)
{
	uint64_t ps = page_size(), events, oom_kills;
	struct vzbc_stat st;
	int status;
	pid_t pid;

	ASSERT_EQ(0, cg_write(self->cg, "memory.max", "32M"));
	if (cg_has_file(self->cg, "memory.swap.max"))
		ASSERT_EQ(0, cg_write(self->cg, "memory.swap.max", "0"));
	bind(_metadata, self->fd, self->ctid, self->cgfd);
	EXPECT_EQ(0u, get_stat(_metadata, self->fd, self->ctid,
			       VZBC_RES_PHYSPAGES).failcnt);

	pid = spawn_eater(_metadata, self, self->cg, 64 << 20, false);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
		TH_LOG("the 64M allocator was not OOM-killed at memory.max=32M (status %#x)",
		       status);

	/* Nothing runs in the cgroup now: both counters are still. */
	ASSERT_EQ(0, cg_read_key(self->cg, "memory.events", "max", &events));
	ASSERT_EQ(0, cg_read_key(self->cg, "memory.events", "oom_kill", &oom_kills));
	EXPECT_LE(1u, oom_kills);
	st = get_stat(_metadata, self->fd, self->ctid, VZBC_RES_PHYSPAGES);
	EXPECT_LT(0u, st.failcnt);
	EXPECT_EQ(events, st.failcnt);
	/* The watermark never passed the limit. */
	EXPECT_GE((32ull << 20) / ps, st.maxheld);
	EXPECT_LE((16ull << 20) / ps, st.maxheld);
}

TEST_F(acct, swappages_follow_memory_swap)
{
	uint64_t events, peak;
	struct vzbc_stat st;

	if (!cg_has_file(self->cg, "memory.swap.current"))
		SKIP(return, "no swap accounting in this kernel");
	bind(_metadata, self->fd, self->ctid, self->cgfd);
	spawn_eater(_metadata, self, self->cg, 8 << 20, true);
	expect_mem_held(_metadata, self->fd, self->ctid, VZBC_RES_SWAPPAGES,
			self->cg, "memory.swap.current", &st);
	ASSERT_EQ(0, cg_read_key(self->cg, "memory.swap.events", "max", &events));
	EXPECT_EQ(events, st.failcnt);
	/* memory.swap.peak appeared in 6.5. */
	if (cg_read_u64(self->cg, "memory.swap.peak", &peak) == 0)
		EXPECT_EQ(peak / page_size(), st.maxheld);
}

/*
 * Without a memory controller of its own a cgroup's memory is not
 * accounted; it is as soon as the parent delegates "memory".
 */
TEST_F(acct, memory_accounted_only_with_controller)
{
	char sub[CG_PATH_MAX];
	struct vzbc_stat st;
	int subfd;

	ASSERT_EQ(0, cg_create_child(self->cg, "sub", sub, sizeof(sub)));
	subfd = cg_open(sub);
	ASSERT_LE(0, subfd);
	ASSERT_FALSE(cg_has_file(sub, "memory.current"));
	bind(_metadata, self->fd, self->ctid, subfd);
	ASSERT_EQ(0, vzbc_set(self->fd, self->ctid, VZBC_RES_PHYSPAGES, 10, 20));

	for (unsigned int i = 0; i < VZBC_NR_RES; i++) {
		if (!vzbc_res_is_memory(vzbc_res_ids[i]))
			continue;
		st = get_stat(_metadata, self->fd, self->ctid, vzbc_res_ids[i]);
		EXPECT_EQ(0u, st.flags) TH_LOG("%s", vzbc_res_names[i]);
		EXPECT_EQ(0u, st.held);
		EXPECT_EQ(0u, st.maxheld);
		EXPECT_EQ(0u, st.minheld);
		EXPECT_EQ(0u, st.failcnt);
	}
	/* Limits are recorded all the same. */
	st = get_stat(_metadata, self->fd, self->ctid, VZBC_RES_PHYSPAGES);
	EXPECT_EQ(10u, st.barrier);
	EXPECT_EQ(20u, st.limit);
	EXPECT_EQ(VZBC_STAT_ACCOUNTED, get_stat(_metadata, self->fd, self->ctid,
						VZBC_RES_NUMPROC).flags);

	ASSERT_EQ(0, cg_write(self->cg, "cgroup.subtree_control", "+memory"));
	ASSERT_TRUE(cg_has_file(sub, "memory.current"));
	spawn_eater(_metadata, self, sub, 16 << 20, true);
	expect_mem_held(_metadata, self->fd, self->ctid, VZBC_RES_PHYSPAGES,
			sub, "memory.current", &st);
	EXPECT_LE((16ull << 20) / page_size(), st.held);
	close(subfd);
}

TEST_HARNESS_MAIN
