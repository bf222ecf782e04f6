// SPDX-License-Identifier: GPL-2.0
/*
 * Churn at module level: threads that create cgroups, bind them, set
 * limits, fork short-lived tasks into them, move tasks between them,
 * rebind and destroy them in every order, while other threads read every
 * /proc file of the module, dump and GET over netlink, LIST and GET over
 * ioctl, listen to events, and a child process keeps trying to unload the
 * module (it must be refused: /dev/vzbc is open).
 *
 * Afterwards every remaining beancounter's numproc held equals pids.current
 * of its cgroup, and live_beancounters returns to its value from before.
 * (Containers under churn are ctlvz_churn_test's.)
 *
 * VZBC_CHURN_SECONDS (default 5) sets how long the test churns.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
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
#include "readers.h"
#include "vzbc.h"

#define WORKERS		3
#define IDS_PER_WORKER	16	/* worker w owns vzbc_test_ctid(w * 16 + 0..15) */
#define RING		4	/* containers a worker keeps alive at most */
#define MAX_SLEEPERS	6

#define note(...) fprintf(stderr, "# " __VA_ARGS__)

/* One container: a cgroup, maybe bound, and the sleepers in it. */
struct ct {
	bool used;
	bool bound;
	uint32_t ctid;
	char cg[CG_PATH_MAX];
	char procs[CG_PATH_MAX + 16];	/* its cgroup.procs */
	int cgfd;
	pid_t sleepers[MAX_SLEEPERS];
	int nsleepers;
	bool limited;			/* pids.max set */
	bool rebound;			/* unbound and bound again */
};

struct worker {
	int id;
	int fd;
	struct fz_rng rng;
	int64_t deadline;
	struct fails *fails;
	uint32_t base;			/* its first ctid */
	unsigned int seq;		/* cgroup names */
	struct ct ring[RING];
	uint64_t created, destroyed, rebinds, sets, forks, fork_refused;
	uint64_t moves, gets;
};

FIXTURE(churn) {
	int fd;
	uint32_t base;
	unsigned int seconds;
	uint64_t seed;
	uint32_t pre_nr;
	struct reader tmpl;	/* what every reader starts from */
	struct fails fails;
	struct worker w[WORKERS];
};

/* Waits for a specific child; one that another thread reaped counts. */
static void reap(pid_t pid)
{
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

/* ------------------------------------------------------------------------
 * Workers.
 */

static void ct_sleeper(struct worker *w, struct ct *c)
{
	pid_t pid;

	if (c->nsleepers == MAX_SLEEPERS)
		return;
	pid = cg_sleeper(c->cgfd);
	if (pid > 0)
		c->sleepers[c->nsleepers++] = pid;
	else if (pid == -EAGAIN && c->limited)
		w->fork_refused++;
	else
		fails_add(w->fails, "clone3 into %s: %s", c->cg, strerror(-pid));
}

static int ct_bind(struct worker *w, struct ct *c)
{
	int ret = vzbc_create(w->fd, c->ctid, c->cgfd);

	if (ret)
		fails_add(w->fails, "CREATE %u on %s: %s", c->ctid, c->cg, strerror(-ret));
	c->bound = !ret;
	return ret;
}

static void ct_start(struct worker *w, struct ct *c, uint32_t ctid)
{
	char name[64];
	int ret;

	memset(c, 0, sizeof(*c));
	c->cgfd = -1;
	snprintf(name, sizeof(name), "vzbct-%d-w%d-%u", (int)getpid(), w->id, w->seq++);
	ret = cg_create_child(CG_ROOT, name, c->cg, sizeof(c->cg));
	if (ret) {
		fails_add(w->fails, "mkdir %s: %s", name, strerror(-ret));
		return;
	}
	strcpy(c->procs, c->cg);
	strcat(c->procs, "/cgroup.procs");
	c->cgfd = cg_open(c->cg);
	if (c->cgfd < 0) {
		fails_add(w->fails, "open %s: %s", c->cg, strerror(-c->cgfd));
		rmdir(c->cg);
		return;
	}
	c->used = true;
	c->ctid = ctid;
	/* Bound before its first task, as ctlvz does. */
	if (ct_bind(w, c))
		return;
	w->created++;
	if (fz_chance(&w->rng, 30)) {
		c->limited = true;
		ret = cg_write_u64(c->cg, "pids.max", 2 + fz_below(&w->rng, 4));
		if (ret)
			fails_add(w->fails, "%s/pids.max: %s", c->cg, strerror(-ret));
	}
	for (int i = fz_below(&w->rng, 3); i >= 0; i--)
		ct_sleeper(w, c);
}

/* Kills every task of @c and reaps ours; 0 once the cgroup is empty. */
static int ct_kill(struct worker *w, struct ct *c)
{
	int64_t deadline = now_ms() + FZ_SETTLE_MS;
	uint64_t populated = 1;
	int ret;

	ret = cg_write(c->cg, "cgroup.kill", "1");
	if (ret) {
		fails_add(w->fails, "kill %s: %s", c->cg, strerror(-ret));
		return ret;
	}
	for (int i = 0; i < c->nsleepers; i++)
		reap(c->sleepers[i]);
	c->nsleepers = 0;
	while (!(ret = cg_read_key(c->cg, "cgroup.events", "populated", &populated)) &&
	       populated && now_ms() < deadline)
		usleep(2000);
	if (ret || populated)
		fails_add(w->fails, "%s stays populated: %s", c->cg, strerror(-ret));
	return ret;
}

static void ct_rmdir(struct worker *w, struct ct *c)
{
	int64_t deadline = now_ms() + FZ_SETTLE_MS;

	close(c->cgfd);
	c->cgfd = -1;
	while (rmdir(c->cg)) {
		if (errno != EBUSY || now_ms() > deadline) {
			fails_add(w->fails, "rmdir %s: %s", c->cg, strerror(errno));
			break;
		}
		usleep(2000);
	}
}

static void ct_unbind(struct worker *w, struct ct *c)
{
	int ret = vzbc_destroy(w->fd, c->ctid);

	if (ret)
		fails_add(w->fails, "DESTROY %u: %s", c->ctid, strerror(-ret));
	c->bound = false;
}

/*
 * Every order a container may go in: unbind first (ctlvz destroy), kill
 * first (a stop), or remove the cgroup while the beancounter still holds
 * it and look at it before unbinding.
 */
static void ct_destroy(struct worker *w, struct ct *c)
{
	struct vzbc_stat st;
	int ret;

	switch (fz_below(&w->rng, 3)) {
	case 0:
		if (c->bound)
			ct_unbind(w, c);
		ct_kill(w, c);
		ct_rmdir(w, c);
		break;
	case 1:
		ct_kill(w, c);
		if (c->bound)
			ct_unbind(w, c);
		ct_rmdir(w, c);
		break;
	default:
		ct_kill(w, c);
		ct_rmdir(w, c);
		if (c->bound) {
			ret = vzbc_get_res(w->fd, c->ctid, VZBC_RES_NUMPROC, &st);
			if (ret)
				fails_add(w->fails, "GET %u of a removed cgroup: %s",
				     c->ctid, strerror(-ret));
			ct_unbind(w, c);
		}
		break;
	}
	c->used = false;
	w->destroyed++;
}

/* Short-lived tasks: some exit at once, some move to @to first. */
static void ct_fork_burst(struct worker *w, struct ct *c, struct ct *to)
{
	pid_t pids[8];
	int n = 1 + fz_below(&w->rng, 8), got = 0;
	bool move = to && fz_chance(&w->rng, 30);

	for (int i = 0; i < n; i++) {
		pid_t pid = cg_clone_into(c->cgfd);

		if (pid == 0) {
			/* Raw calls only: write "0" to move ourselves. */
			if (move) {
				int fd = open(to->procs, O_WRONLY);

				if (fd >= 0 && write(fd, "0", 1) != 1)
					_exit(2);
			}
			_exit(0);
		}
		if (pid > 0) {
			pids[got++] = pid;
		} else if (pid == -EAGAIN && c->limited) {
			w->fork_refused++;
		} else {
			fails_add(w->fails, "clone3 into %s: %s", c->cg, strerror(-pid));
			break;
		}
	}
	for (int i = 0; i < got; i++)
		reap(pids[i]);
	w->forks += got;
	w->moves += move ? got : 0;
}

/* Moves a sleeper from @c to @to (a migration between two bound cgroups). */
static void ct_move_sleeper(struct worker *w, struct ct *c, struct ct *to)
{
	pid_t pid;
	int ret;

	if (!c->nsleepers || to->nsleepers == MAX_SLEEPERS)
		return;
	pid = c->sleepers[--c->nsleepers];
	ret = cg_enter(to->cg, pid);
	if (ret == -EAGAIN && to->limited) {	/* pids.max refuses it */
		c->sleepers[c->nsleepers++] = pid;
		return;
	}
	if (ret) {
		fails_add(w->fails, "move %d to %s: %s", (int)pid, to->cg, strerror(-ret));
		c->sleepers[c->nsleepers++] = pid;
		return;
	}
	to->sleepers[to->nsleepers++] = pid;
	w->moves++;
}

static void ct_set(struct worker *w, struct ct *c)
{
	uint32_t res = vzbc_res_ids[fz_below(&w->rng, VZBC_NR_RES)];
	uint64_t b = fz_below(&w->rng, 1000), l = b + fz_below(&w->rng, 1000);
	int ret;

	if (fz_chance(&w->rng, 20))
		b = l = VZBC_UNLIMITED;
	ret = vzbc_set(w->fd, c->ctid, res, b, l);
	if (ret)
		fails_add(w->fails, "SET %u: %s", c->ctid, strerror(-ret));
	w->sets++;
	/* Let the pids controller refuse forks now and then. */
	if (fz_chance(&w->rng, 30)) {
		c->limited = fz_chance(&w->rng, 60);
		ret = c->limited ? cg_write_u64(c->cg, "pids.max",
						c->nsleepers + 1 + fz_below(&w->rng, 4)) :
				   cg_write(c->cg, "pids.max", "max");
		if (ret)
			fails_add(w->fails, "%s/pids.max: %s", c->cg, strerror(-ret));
	}
}

/*
 * ctlvz restart: unbind, bind again with the tasks in place, right after
 * the reaps of the last burst (CREATE waits for their frees to land).
 */
static void ct_rebind(struct worker *w, struct ct *c)
{
	ct_unbind(w, c);
	if (!ct_bind(w, c))
		w->rebinds++;
	c->rebound = true;
}

static uint32_t free_ctid(struct worker *w)
{
	for (;;) {
		uint32_t ctid = w->base + fz_below(&w->rng, IDS_PER_WORKER);
		bool taken = false;

		for (int i = 0; i < RING; i++)
			taken |= w->ring[i].used && w->ring[i].ctid == ctid;
		if (!taken)
			return ctid;
	}
}

static void *worker_fn(void *arg)
{
	struct worker *w = arg;
	struct vzbc_stat st;

	while (now_ms() < w->deadline) {
		struct ct *c = &w->ring[fz_below(&w->rng, RING)];
		struct ct *to = &w->ring[fz_below(&w->rng, RING)];

		if (!to->used || !to->bound || to == c)
			to = NULL;
		if (!c->used) {
			ct_start(w, c, free_ctid(w));
			continue;
		}
		switch (fz_below(&w->rng, 20)) {
		case 0 ... 7:
			ct_fork_burst(w, c, to);
			break;
		case 8 ... 9:
			if (to)
				ct_move_sleeper(w, c, to);
			else
				ct_sleeper(w, c);
			break;
		case 10 ... 12:
			if (c->bound)
				ct_set(w, c);
			break;
		case 13 ... 14:
			if (c->bound) {
				int ret = vzbc_get_res(w->fd, c->ctid, VZBC_RES_NUMPROC, &st);

				if (ret)
					fails_add(w->fails, "GET %u: %s", c->ctid, strerror(-ret));
				w->gets++;
			}
			break;
		case 15:
			if (c->bound)
				ct_rebind(w, c);
			break;
		default:
			ct_destroy(w, c);
			break;
		}
	}
	return NULL;
}

/* ------------------------------------------------------------------------
 * The test.
 */
FIXTURE_SETUP(churn)
{
	uint64_t live;
	int ret;

	self->fd = -1;
	self->base = vzbc_test_ctid(0);
	self->seconds = fz_env_seconds("VZBC_CHURN_SECONDS", 5);
	self->seed = fz_run_seed();
	fails_init(&self->fails);
	ASSERT_EQ(0, vzbc_module_ensure()) TH_LOG("vzbc not loaded");
	self->fd = vzbc_open();
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", VZBC_DEV, strerror(-self->fd));
	ret = readers_setup(self->fd, &self->pre_nr, &live, &self->tmpl);
	ASSERT_EQ(0, ret) TH_LOG("%s (%u beancounters, live_beancounters %" PRIu64 ")",
				 strerror(-ret), self->pre_nr, live);
}

FIXTURE_TEARDOWN(churn)
{
	for (int i = 0; i < WORKERS; i++) {
		for (int j = 0; j < RING; j++) {
			struct ct *c = &self->w[i].ring[j];

			if (!c->used)
				continue;
			if (self->fd >= 0)
				vzbc_destroy(self->fd, c->ctid);
			for (int k = 0; k < c->nsleepers; k++)
				kill_reap(c->sleepers[k]);
			if (c->cgfd >= 0)
				close(c->cgfd);
			cg_destroy(c->cg);
			c->used = false;
		}
	}
	if (self->fd >= 0)
		close(self->fd);
}

/*
 * numproc held of @c's beancounter reaches pids.current of its cgroup
 * (exits are accounted a grace period after the reap).
 */
static int numproc_matches(FIXTURE_DATA(churn) *self, struct ct *c,
			   uint64_t *held, uint64_t *current)
{
	int64_t deadline = now_ms() + FZ_SETTLE_MS;
	struct vzbc_stat st;
	int ret;

	for (;;) {
		ret = cg_read_u64(c->cg, "pids.current", current);
		if (!ret)
			ret = vzbc_get_res(self->fd, c->ctid, VZBC_RES_NUMPROC, &st);
		if (ret)
			return ret;
		*held = st.held;
		if (*held == *current && *current == (uint64_t)c->nsleepers)
			return 0;
		if (now_ms() > deadline)
			return -ETIMEDOUT;
		usleep(10000);
	}
}

TEST_F_TIMEOUT(churn, module, 3600)
{
	static void *(*const fns[5])(void *) = {
		reader_proc_fn, reader_proc_fn, reader_nl_fn, reader_ioctl_fn, reader_events_fn,
	};
	struct reader rd[5], tmpl = self->tmpl;
	pthread_t wt[WORKERS], rt[5];
	uint64_t *tries = shared_alloc(sizeof(*tries));
	uint64_t live, held = 0, current = 0, sum[8] = { 0 };
	unsigned int checked = 0;
	int64_t deadline;
	struct timespec ts;
	int status, ret;
	pid_t unl;

	ASSERT_NE(NULL, tries);
	*tries = 0;
	note("seed %#" PRIx64 ", %u s\n", self->seed, self->seconds);
	deadline = now_ms() + self->seconds * 1000LL;

	unl = fork();
	ASSERT_LE(0, unl);
	if (unl == 0)
		unloader(deadline, tries);

	for (int i = 0; i < WORKERS; i++) {
		struct worker *w = &self->w[i];

		w->id = i;
		w->fd = self->fd;
		w->deadline = deadline;
		w->fails = &self->fails;
		w->base = self->base + i * IDS_PER_WORKER;
		fz_seed(&w->rng, self->seed + i);
		ASSERT_EQ(0, pthread_create(&wt[i], NULL, worker_fn, w));
	}
	tmpl.deadline = deadline;
	tmpl.fails = &self->fails;
	tmpl.base = self->base;
	tmpl.span = WORKERS * IDS_PER_WORKER;
	tmpl.fd = self->fd;
	ASSERT_EQ(0, readers_start(rd, rt, 5, fns, &tmpl));

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += self->seconds + FZ_STUCK_S;
	for (int i = 0; i < WORKERS; i++) {
		ASSERT_EQ(0, pthread_timedjoin_np(wt[i], NULL, &ts))
			TH_LOG("worker %d stuck in the kernel", i);
	}
	ret = readers_join(rt, 5, &ts);
	ASSERT_EQ(-1, ret) TH_LOG("reader %d stuck in the kernel", ret);
	status = unloader_reap(unl);
	EXPECT_EQ(0, status) TH_LOG("unloader: exit %d (2: the module unloaded with %s open, "
				    "3: another error)", status, VZBC_DEV);

	EXPECT_NO_FAILS(&self->fails);

	for (int i = 0; i < WORKERS; i++) {
		struct worker *w = &self->w[i];

		sum[0] += w->created;
		sum[1] += w->destroyed;
		sum[2] += w->forks;
		sum[3] += w->fork_refused;
		sum[4] += w->moves;
		sum[5] += w->rebinds;
		sum[6] += w->sets;
		sum[7] += w->gets;
	}
	note("churn %u s: %" PRIu64 " containers created, %" PRIu64 " destroyed, %" PRIu64
	     " rebinds, %" PRIu64 " SETs, %" PRIu64 " GETs\n", self->seconds, sum[0], sum[1],
	     sum[5], sum[6], sum[7]);
	note("  %" PRIu64 " tasks forked (%" PRIu64 "/s), %" PRIu64 " refused by pids.max, %"
	     PRIu64 " moved\n", sum[2], sum[2] / self->seconds, sum[3], sum[4]);
	note("  readers: %" PRIu64 " /proc reads, %" PRIu64 " dumps, %" PRIu64 " netlink GETs, %"
	     PRIu64 " LISTs, %" PRIu64 " ioctl GETs, %" PRIu64 " events (%" PRIu64
	     " overruns), %" PRIu64 " unload attempts\n",
	     rd[0].reads + rd[1].reads, rd[2].dumps, rd[2].gets, rd[3].lists, rd[3].gets,
	     rd[4].events, rd[4].overruns, *tries);
	EXPECT_LT(0u, *tries);

	/* What is left: numproc == pids.current == the sleepers in it. */
	for (int i = 0; i < WORKERS; i++) {
		for (int j = 0; j < RING; j++) {
			struct ct *c = &self->w[i].ring[j];

			if (!c->used || !c->bound)
				continue;
			ret = numproc_matches(self, c, &held, &current);
			EXPECT_EQ(0, ret) TH_LOG("ctid %u%s: numproc held %" PRIu64
						 ", %s/pids.current %" PRIu64 ", %d sleepers: %s",
						 c->ctid, c->rebound ? " (rebound)" : "",
						 held, c->cg, current, c->nsleepers,
						 strerror(-ret));
			checked++;
		}
	}
	note("  numproc checked on %u beancounters left\n", checked);

	/* Then none: live_beancounters as before. */
	for (int i = 0; i < WORKERS; i++) {
		for (int j = 0; j < RING; j++) {
			struct ct *c = &self->w[i].ring[j];

			if (c->used) {
				self->w[i].deadline = 0;
				ct_destroy(&self->w[i], c);
			}
		}
	}
	EXPECT_EQ(0u, self->fails.n) TH_LOG("%s", self->fails.msg[0]);
	ret = vzbc_live_wait(self->pre_nr, &live);
	EXPECT_EQ(0, ret) TH_LOG("live_beancounters %" PRIu64 ", was %u before the churn",
				 live, self->pre_nr);
	shared_free(tries, sizeof(*tries));
}

TEST_HARNESS_MAIN
