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
 *
 * The same with containers (ctlvz): loops that create, start, limit, exec
 * in, stop and destroy containers next to the same readers and unload
 * attempts; and hostile containers (a fork bomb, a memory bomb, an IO flood
 * and a task that mlocks all it can, at once) next to a quiet one, while a
 * host probe must keep answering within a second, the limits hold, and the
 * counts agree afterwards.
 *
 * VZBC_CHURN_SECONDS (default 5) sets how long each test churns;
 * VZBC_PROBE_MAX_MS (default 1000) the host probe's bound.
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
#include "ctlvz_test.h"
#include "fuzz.h"
#include "genl.h"
#include "vzbc.h"

#define WORKERS		3
#define IDS_PER_WORKER	16	/* worker w owns vzbc_test_ctid(w * 16 + 0..15) */
#define RING		4	/* containers a worker keeps alive at most */
#define MAX_SLEEPERS	6
#define MAX_FAILS	6
#define SETTLE_MS	30000	/* exits and RCU frees in flight; the host may be busy */
#define STUCK_S		60
/* Readers pause between reads so that they do not starve the workers. */
#define READER_PAUSE_US	2000

#define note(...) fprintf(stderr, "# " __VA_ARGS__)

/* A failure seen by a thread: the main thread asserts on them. */
struct fails {
	pthread_mutex_t lock;
	unsigned int n;
	char msg[MAX_FAILS][256];
};

static void fail(struct fails *f, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&f->lock);
	if (f->n < MAX_FAILS) {
		va_start(ap, fmt);
		vsnprintf(f->msg[f->n], sizeof(f->msg[0]), fmt, ap);
		va_end(ap);
	}
	f->n++;
	pthread_mutex_unlock(&f->lock);
}

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

struct reader {
	int id;
	int64_t deadline;
	struct fails *fails;
	uint32_t base;
	uint16_t family;
	uint32_t events_grp;
	int fd;
	uint64_t reads, dumps, gets, lists, events, overruns;
};

FIXTURE(churn) {
	int fd;
	uint32_t base;
	unsigned int seconds;
	uint64_t seed;
	uint32_t pre_nr;
	uint16_t family;
	uint32_t events_grp;
	struct fails fails;
	struct worker w[WORKERS];
};

static int wait_live(uint64_t want, uint64_t *last)
{
	return wait_for_value(vzbc_live_poll, NULL, want, SETTLE_MS, last);
}

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
	pid = cg_clone_into(c->cgfd);
	if (pid == 0)
		for (;;)
			pause();
	if (pid > 0)
		c->sleepers[c->nsleepers++] = pid;
	else if (pid == -EAGAIN && c->limited)
		w->fork_refused++;
	else
		fail(w->fails, "clone3 into %s: %s", c->cg, strerror(-pid));
}

static int ct_bind(struct worker *w, struct ct *c)
{
	int ret = vzbc_create(w->fd, c->ctid, c->cgfd);

	if (ret)
		fail(w->fails, "CREATE %u on %s: %s", c->ctid, c->cg, strerror(-ret));
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
		fail(w->fails, "mkdir %s: %s", name, strerror(-ret));
		return;
	}
	strcpy(c->procs, c->cg);
	strcat(c->procs, "/cgroup.procs");
	c->cgfd = cg_open(c->cg);
	if (c->cgfd < 0) {
		fail(w->fails, "open %s: %s", c->cg, strerror(-c->cgfd));
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
			fail(w->fails, "%s/pids.max: %s", c->cg, strerror(-ret));
	}
	for (int i = fz_below(&w->rng, 3); i >= 0; i--)
		ct_sleeper(w, c);
}

/* Kills every task of @c and reaps ours; 0 once the cgroup is empty. */
static int ct_kill(struct worker *w, struct ct *c)
{
	int64_t deadline = now_ms() + SETTLE_MS;
	uint64_t populated = 1;
	int ret;

	ret = cg_write(c->cg, "cgroup.kill", "1");
	if (ret) {
		fail(w->fails, "kill %s: %s", c->cg, strerror(-ret));
		return ret;
	}
	for (int i = 0; i < c->nsleepers; i++)
		reap(c->sleepers[i]);
	c->nsleepers = 0;
	while (!(ret = cg_read_key(c->cg, "cgroup.events", "populated", &populated)) &&
	       populated && now_ms() < deadline)
		usleep(2000);
	if (ret || populated)
		fail(w->fails, "%s stays populated: %s", c->cg, strerror(-ret));
	return ret;
}

static void ct_rmdir(struct worker *w, struct ct *c)
{
	int64_t deadline = now_ms() + SETTLE_MS;

	close(c->cgfd);
	c->cgfd = -1;
	while (rmdir(c->cg)) {
		if (errno != EBUSY || now_ms() > deadline) {
			fail(w->fails, "rmdir %s: %s", c->cg, strerror(errno));
			break;
		}
		usleep(2000);
	}
}

static void ct_unbind(struct worker *w, struct ct *c)
{
	int ret = vzbc_destroy(w->fd, c->ctid);

	if (ret)
		fail(w->fails, "DESTROY %u: %s", c->ctid, strerror(-ret));
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
				fail(w->fails, "GET %u of a removed cgroup: %s",
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
			fail(w->fails, "clone3 into %s: %s", c->cg, strerror(-pid));
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
		fail(w->fails, "move %d to %s: %s", (int)pid, to->cg, strerror(-ret));
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
		fail(w->fails, "SET %u: %s", c->ctid, strerror(-ret));
	w->sets++;
	/* Let the pids controller refuse forks now and then. */
	if (fz_chance(&w->rng, 30)) {
		c->limited = fz_chance(&w->rng, 60);
		ret = c->limited ? cg_write_u64(c->cg, "pids.max",
						c->nsleepers + 1 + fz_below(&w->rng, 4)) :
				   cg_write(c->cg, "pids.max", "max");
		if (ret)
			fail(w->fails, "%s/pids.max: %s", c->cg, strerror(-ret));
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
					fail(w->fails, "GET %u: %s", c->ctid, strerror(-ret));
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
 * Readers.
 */

static void read_proc(struct reader *r, struct fz_rng *rng)
{
	static const char *const files[] = { UBC_PROC, BC_PROC_DIR "/resources" };
	struct ubc_file *f = malloc(sizeof(*f));
	char path[64], err[160];
	const char *file;
	char *text;
	int ret;

	if (!f) {
		fail(r->fails, "out of memory");
		return;
	}
	if (fz_chance(rng, 50)) {
		file = fz_pick(rng, files);
	} else {
		snprintf(path, sizeof(path), BC_PROC_DIR "/%u/%s",
			 r->base + fz_below(rng, WORKERS * IDS_PER_WORKER),
			 fz_chance(rng, 70) ? "resources" : "iostat");
		file = path;
	}
	text = read_text(file, &ret);
	r->reads++;
	if (!text) {
		/* A beancounter's directory comes and goes; the rest stays. */
		if (file != path || (ret != -ENOENT && ret != -EIO))
			fail(r->fails, "read %s: %s", file, strerror(-ret));
		free(f);
		return;
	}
	if (file == path) {
		struct ubc_row row;

		if (!strstr(file, "iostat") && ubc_find_row(text, "numproc", &row) != 1)
			fail(r->fails, "%s has no numproc row:\n%.200s", file, text);
	} else if (ubc_parse(text, f)) {
		fail(r->fails, "%s does not parse: %s", file, f->err);
	} else if (file == files[0] && ubc_check_layout(text, true, err, sizeof(err))) {
		fail(r->fails, "%s layout: %s", file, err);
	} else {
		for (int i = 1; i < f->nr_blocks; i++)
			if (f->blocks[i].ctid <= f->blocks[i - 1].ctid)
				fail(r->fails, "%s: ctid %u after %u", file,
				     f->blocks[i].ctid, f->blocks[i - 1].ctid);
	}
	free(text);
	free(f);
}

static void *proc_reader_fn(void *arg)
{
	struct reader *r = arg;
	struct fz_rng rng;

	fz_seed(&rng, r->id * 7919 + now_ms());
	while (now_ms() < r->deadline) {
		read_proc(r, &rng);
		usleep(READER_PAUSE_US);
	}
	return NULL;
}

/* A dump (every part, in order, ending with NLMSG_DONE) or a GET. */
static void nl_request(struct reader *r, int sk, struct fz_rng *rng, char *buf)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct fz_errset allowed = { { 0 } };
	struct fz_nl_seen seen;
	bool dump = fz_chance(rng, 50);
	uint32_t ctid = r->base + fz_below(rng, WORKERS * IDS_PER_WORKER);
	struct genl_msg m;
	char why[200];
	ssize_t n;

	memset(&m, 0, sizeof(m));
	m.nlh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	m.nlh.nlmsg_type = r->family;
	m.nlh.nlmsg_flags = NLM_F_REQUEST | (dump ? NLM_F_DUMP : 0);
	m.nlh.nlmsg_seq = (uint32_t)fz_next(rng);
	m.gh.cmd = VZBC_CMD_GET;
	m.gh.version = VZBC_GENL_VERSION;
	if (!dump)
		genl_put_u32(&m, VZBC_A_CTID, ctid);
	memset(&seen, 0, sizeof(seen));
	seen.check_seq = true;
	seen.seq = m.nlh.nlmsg_seq;
	fz_errset_add(&allowed, ENOENT);
	if (sendto(sk, &m, m.nlh.nlmsg_len, 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) < 0) {
		fail(r->fails, "netlink sendto: %s", strerror(errno));
		return;
	}
	while ((n = recv(sk, buf, GENL_BUF_SIZE, MSG_DONTWAIT)) > 0) {
		if (fz_nl_check(buf, n, r->family, &allowed, &seen, why, sizeof(why))) {
			fail(r->fails, "netlink %s: %s", dump ? "dump" : "GET", why);
			return;
		}
	}
	if (n < 0 && errno != EAGAIN)
		fail(r->fails, "netlink recv: %s", strerror(errno));
	if (seen.bad_seq)
		fail(r->fails, "netlink: answers with another sequence number");
	if (dump) {
		r->dumps++;
		if (seen.dones != 1 || seen.errors || seen.unordered)
			fail(r->fails, "dump: %u dones, %u errors, %s", seen.dones,
			     seen.errors, seen.unordered ? "out of order" : "in order");
	} else {
		r->gets++;
		if (seen.replies + seen.errors != 1 ||
		    (seen.replies && seen.last_ctid != ctid))
			fail(r->fails, "GET %u: %u replies (ctid %u), %u errors",
			     ctid, seen.replies, seen.last_ctid, seen.errors);
	}
}

static void *nl_reader_fn(void *arg)
{
	struct reader *r = arg;
	char *buf = malloc(GENL_BUF_SIZE);
	struct fz_rng rng;
	int sk = genl_socket();

	fz_seed(&rng, r->id * 104729 + now_ms());
	if (sk < 0 || !buf) {
		fail(r->fails, "netlink socket: %s", strerror(-sk));
		free(buf);
		return NULL;
	}
	while (now_ms() < r->deadline) {
		nl_request(r, sk, &rng, buf);
		usleep(READER_PAUSE_US);
	}
	close(sk);
	free(buf);
	return NULL;
}

/* LIST everything, GET what it lists (it may be gone by then). */
static void *ioctl_reader_fn(void *arg)
{
	struct reader *r = arg;
	struct vzbc_stat st[VZBC_NR_RES];
	uint32_t *ids, nr, n;
	int ret;

	while (now_ms() < r->deadline) {
		ret = vzbc_list_all(r->fd, &ids, &nr);
		r->lists++;
		if (ret) {
			fail(r->fails, "LIST: %s", strerror(-ret));
			break;
		}
		for (uint32_t i = 0; i < nr; i++) {
			if (i && ids[i] <= ids[i - 1])
				fail(r->fails, "LIST: %u after %u", ids[i], ids[i - 1]);
			n = VZBC_NR_RES;
			ret = vzbc_get(r->fd, ids[i], st, &n);
			r->gets++;
			if (ret && ret != -ENOENT)
				fail(r->fails, "GET %u: %s", ids[i], strerror(-ret));
			if (!ret && (n != VZBC_NR_RES || st[0].resource != VZBC_RES_NUMPROC))
				fail(r->fails, "GET %u: %u entries", ids[i], n);
		}
		free(ids);
		usleep(READER_PAUSE_US);
	}
	return NULL;
}

/* Every event must be well-formed. */
static void *events_fn(void *arg)
{
	struct reader *r = arg;
	char *buf = malloc(GENL_BUF_SIZE);
	int sk = genl_socket(), grp = r->events_grp;
	struct nlmsghdr *nlh;
	struct genl_bc bc;
	ssize_t n;

	if (sk < 0 || !buf ||
	    setsockopt(sk, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp))) {
		fail(r->fails, "events socket: %s", strerror(errno));
		goto out;
	}
	while (now_ms() < r->deadline) {
		n = genl_recv(sk, buf, GENL_BUF_SIZE, 100);
		if (n == -ETIMEDOUT)
			continue;
		if (n == -ENOBUFS) {	/* the listener fell behind: allowed */
			r->overruns++;
			continue;
		}
		if (n < 0) {
			fail(r->fails, "events recv: %s", strerror(-n));
			break;
		}
		for (nlh = (void *)buf; NLMSG_OK(nlh, n); nlh = NLMSG_NEXT(nlh, n)) {
			const struct genlmsghdr *gh = NLMSG_DATA(nlh);

			r->events++;
			if (nlh->nlmsg_type != r->family || gh->cmd != VZBC_CMD_EVENT ||
			    genl_parse_bc(nlh, &bc) || bc.nr_res != 1 ||
			    (bc.event != VZBC_EVENT_FAILCNT && bc.event != VZBC_EVENT_BARRIER) ||
			    vzbc_res_index(bc.res[0].id) < 0 || bc.ctid > VZBC_CTID_MAX)
				fail(r->fails, "malformed event: type %u cmd %u ctid %u event %u",
				     nlh->nlmsg_type, gh->cmd, bc.ctid, bc.event);
		}
	}
out:
	if (sk >= 0)
		close(sk);
	free(buf);
	return NULL;
}

/*
 * A process that keeps trying to unload the module: /dev/vzbc is open in
 * the test, so each try must fail with EWOULDBLOCK.  Exit status: 0, or 2
 * if the module went (it is loaded again at once), 3 for another error.
 */
static void unloader(int64_t deadline, uint64_t *tries)
{
	int ret;

	while (now_ms() < deadline) {
		ret = vzbc_module_unload();
		(*tries)++;
		if (!ret) {
			vzbc_module_load(NULL);
			_exit(2);
		}
		if (ret != -EWOULDBLOCK)
			_exit(3);
		usleep(5000);
	}
	_exit(0);
}

/* ------------------------------------------------------------------------
 * The test.
 */
FIXTURE_SETUP(churn)
{
	uint32_t *ids;
	uint64_t live;
	int ret;

	self->fd = -1;
	self->base = vzbc_test_ctid(0);
	self->seconds = fz_env_seconds("VZBC_CHURN_SECONDS", 5);
	self->seed = fz_run_seed();
	pthread_mutex_init(&self->fails.lock, NULL);
	ASSERT_EQ(0, vzbc_module_ensure()) TH_LOG("vzbc not loaded");
	self->fd = vzbc_open();
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", VZBC_DEV, strerror(-self->fd));
	ret = vzbc_list_all(self->fd, &ids, &self->pre_nr);
	ASSERT_EQ(0, ret);
	free(ids);
	ASSERT_EQ(0, wait_live(self->pre_nr, &live))
		TH_LOG("live_beancounters %" PRIu64 " with %u beancounters",
		       live, self->pre_nr);
	{
		int sk = genl_socket();

		ASSERT_LE(0, sk);
		ret = genl_resolve(sk, VZBC_GENL_NAME, VZBC_GENL_MCGRP_EVENTS,
				   &self->family, &self->events_grp);
		close(sk);
		ASSERT_EQ(0, ret);
	}
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
	int64_t deadline = now_ms() + SETTLE_MS;
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
	struct reader rd[5];
	pthread_t wt[WORKERS], rt[5];
	uint64_t *tries = mmap(NULL, sizeof(*tries), PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	uint64_t live, held = 0, current = 0, sum[8] = { 0 };
	unsigned int checked = 0;
	int64_t deadline;
	struct timespec ts;
	int status, ret;
	pid_t unl;

	ASSERT_NE(MAP_FAILED, tries);
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
	memset(rd, 0, sizeof(rd));
	for (int i = 0; i < 5; i++) {
		rd[i].id = i;
		rd[i].deadline = deadline;
		rd[i].fails = &self->fails;
		rd[i].base = self->base;
		rd[i].family = self->family;
		rd[i].events_grp = self->events_grp;
		rd[i].fd = self->fd;
	}
	ASSERT_EQ(0, pthread_create(&rt[0], NULL, proc_reader_fn, &rd[0]));
	ASSERT_EQ(0, pthread_create(&rt[1], NULL, proc_reader_fn, &rd[1]));
	ASSERT_EQ(0, pthread_create(&rt[2], NULL, nl_reader_fn, &rd[2]));
	ASSERT_EQ(0, pthread_create(&rt[3], NULL, ioctl_reader_fn, &rd[3]));
	ASSERT_EQ(0, pthread_create(&rt[4], NULL, events_fn, &rd[4]));

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += self->seconds + STUCK_S;
	for (int i = 0; i < WORKERS; i++) {
		ASSERT_EQ(0, pthread_timedjoin_np(wt[i], NULL, &ts))
			TH_LOG("worker %d stuck in the kernel", i);
	}
	for (int i = 0; i < 5; i++) {
		ASSERT_EQ(0, pthread_timedjoin_np(rt[i], NULL, &ts))
			TH_LOG("reader %d stuck in the kernel", i);
	}
	ASSERT_EQ(unl, waitpid(unl, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("unloader: status %#x (2: the module unloaded with %s open, 3: another error)",
		       status, VZBC_DEV);

	for (unsigned int i = 0; i < self->fails.n && i < MAX_FAILS; i++)
		TH_LOG("%s", self->fails.msg[i]);
	EXPECT_EQ(0u, self->fails.n);

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
	ret = wait_live(self->pre_nr, &live);
	EXPECT_EQ(0, ret) TH_LOG("live_beancounters %" PRIu64 ", was %u before the churn",
				 live, self->pre_nr);
	munmap(tries, sizeof(*tries));
}


/* ------------------------------------------------------------------------
 * Containers: ctlvz under churn, and hostile containers.
 */
#define CT_LOOPS	3
#define CT_IDS_PER_LOOP	4

FIXTURE(ct) {
	struct ctlvz_env env;
	int fd;
	uint32_t base;
	unsigned int seconds;
	uint64_t seed;
	uint32_t pre_nr;
	uint16_t family;
	uint32_t events_grp;
	struct fails fails;
	pid_t kids[16];
	int nkids;
	char out[8192];
};

FIXTURE_SETUP(ct)
{
	uint32_t *ids;
	uint64_t live;
	int sk, ret;

	memset(&self->env, 0, sizeof(self->env));
	self->fd = -1;
	self->base = vzbc_test_ctid(0);
	self->seconds = fz_env_seconds("VZBC_CHURN_SECONDS", 5);
	self->seed = fz_run_seed();
	pthread_mutex_init(&self->fails.lock, NULL);
	ASSERT_EQ(0, access(ctlvz_bin(), X_OK)) TH_LOG("%s missing", ctlvz_bin());
	ASSERT_EQ(0, vzbc_module_ensure()) TH_LOG("vzbc not loaded");
	/* Held throughout: unload attempts must be refused. */
	self->fd = vzbc_open();
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", VZBC_DEV, strerror(-self->fd));
	ASSERT_EQ(0, ctlvz_env_init(&self->env, 2));
	ret = vzbc_list_all(self->fd, &ids, &self->pre_nr);
	ASSERT_EQ(0, ret);
	free(ids);
	ASSERT_EQ(0, wait_live(self->pre_nr, &live))
		TH_LOG("live_beancounters %" PRIu64 " with %u beancounters",
		       live, self->pre_nr);
	sk = genl_socket();
	ASSERT_LE(0, sk);
	ret = genl_resolve(sk, VZBC_GENL_NAME, VZBC_GENL_MCGRP_EVENTS,
			   &self->family, &self->events_grp);
	close(sk);
	ASSERT_EQ(0, ret);
}

FIXTURE_TEARDOWN(ct)
{
	for (int i = 0; i < self->nkids; i++)
		kill_reap(self->kids[i]);
	ctlvz_env_fini(&self->env);
	if (self->fd >= 0) {
		for (uint32_t i = 0; i < 64; i++)
			vzbc_destroy(self->fd, self->base + i);
		close(self->fd);
	}
}

static void ct_cgroup(char *buf, size_t len, uint32_t ctid)
{
	snprintf(buf, len, CG_ROOT "/ctlvz/%u", ctid);
}

/* Runs ctlvz; a non-zero exit is a failure, with its output. */
static int ctlvz_ok(struct fails *f, char *out, size_t len, const char *fmt, ...)
{
	char args[512];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	rc = ctlvz_out(out, len, "%s", args);
	if (rc)
		fail(f, "ctlvz %s: exit %d: %.160s", args, rc, out);
	return rc;
}

struct ct_loop {
	FIXTURE_DATA(ct) *self;
	int id;
	int64_t deadline;
	struct fz_rng rng;
	uint64_t cycles, cmds, ms;
	char out[4096];
};

/* create, start, set, exec, stop, destroy: one container's whole life. */
static void *ct_loop_fn(void *arg)
{
	struct ct_loop *l = arg;
	FIXTURE_DATA(ct) *self = l->self;
	struct fails *f = &self->fails;
	struct vzbc_stat st;
	char cg[CG_PATH_MAX];
	int64_t t0;
	int ret;

	do {
		uint32_t ctid = self->base + l->id * CT_IDS_PER_LOOP +
				l->cycles % CT_IDS_PER_LOOP;

		t0 = now_ms();
		if (ctlvz_ok(f, l->out, sizeof(l->out),
			     "create %u --ostemplate busybox", ctid))
			break;
		if (ctlvz_ok(f, l->out, sizeof(l->out), "start %u", ctid))
			goto destroy;
		ctlvz_ok(f, l->out, sizeof(l->out), "set %u --numproc %u:%u --ram %uM%s",
			 ctid, 20 + fz_below(&l->rng, 40), 60, 48 + fz_below(&l->rng, 64),
			 fz_chance(&l->rng, 30) ? " --save" : "");
		ctlvz_ok(f, l->out, sizeof(l->out),
			 "exec %u sh -c 'for i in 1 2 3 4 5 6; do (true) & done; wait'", ctid);
		ret = vzbc_get_res(self->fd, ctid, VZBC_RES_NUMPROC, &st);
		if (ret)
			fail(f, "GET %u of a running container: %s", ctid, strerror(-ret));
		ctlvz_ok(f, l->out, sizeof(l->out), "stop %u%s", ctid,
			 fz_chance(&l->rng, 50) ? " --fast" : "");
destroy:
		ctlvz_ok(f, l->out, sizeof(l->out), "destroy %u", ctid);
		ct_cgroup(cg, sizeof(cg), ctid);
		if (access(cg, F_OK) == 0)
			fail(f, "%s left after destroy", cg);
		l->cmds += 6;
		l->cycles++;
		l->ms += now_ms() - t0;
	} while (now_ms() < l->deadline);
	return NULL;
}

/* The readers of the module test, for our ctid range. */
static void start_readers(FIXTURE_DATA(ct) *self, struct reader *rd, pthread_t *rt,
			  int64_t deadline)
{
	void *(*fns[4])(void *) = {
		proc_reader_fn, nl_reader_fn, ioctl_reader_fn, events_fn,
	};

	memset(rd, 0, 4 * sizeof(*rd));
	for (int i = 0; i < 4; i++) {
		rd[i].id = i;
		rd[i].deadline = deadline;
		rd[i].fails = &self->fails;
		rd[i].base = self->base;
		rd[i].family = self->family;
		rd[i].events_grp = self->events_grp;
		rd[i].fd = self->fd;
		if (pthread_create(&rt[i], NULL, fns[i], &rd[i]))
			fail(&self->fails, "pthread_create: %s", strerror(errno));
	}
}

TEST_F_TIMEOUT(ct, churn, 3600)
{
	struct ct_loop *loops = calloc(CT_LOOPS, sizeof(*loops));
	uint64_t *tries = mmap(NULL, sizeof(*tries), PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	uint64_t live, cycles = 0, ms = 0;
	struct reader rd[4];
	pthread_t lt[CT_LOOPS], rt[4];
	uint32_t *ids, nr;
	int64_t deadline;
	struct timespec ts;
	int status;
	pid_t unl;

	ASSERT_NE(NULL, loops);
	ASSERT_NE(MAP_FAILED, tries);
	*tries = 0;
	note("seed %#" PRIx64 ", %u s\n", self->seed, self->seconds);
	deadline = now_ms() + self->seconds * 1000LL;
	unl = fork();
	ASSERT_LE(0, unl);
	if (unl == 0)
		unloader(deadline, tries);

	for (int i = 0; i < CT_LOOPS; i++) {
		loops[i].self = self;
		loops[i].id = i;
		loops[i].deadline = deadline;
		fz_seed(&loops[i].rng, self->seed + i);
		ASSERT_EQ(0, pthread_create(&lt[i], NULL, ct_loop_fn, &loops[i]));
	}
	start_readers(self, rd, rt, deadline);

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += self->seconds + 300;	/* one container's life: minutes at worst */
	for (int i = 0; i < CT_LOOPS; i++) {
		ASSERT_EQ(0, pthread_timedjoin_np(lt[i], NULL, &ts))
			TH_LOG("container loop %d stuck", i);
		cycles += loops[i].cycles;
		ms += loops[i].ms;
	}
	for (int i = 0; i < 4; i++) {
		ASSERT_EQ(0, pthread_timedjoin_np(rt[i], NULL, &ts))
			TH_LOG("reader %d stuck", i);
	}
	ASSERT_EQ(unl, waitpid(unl, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("unloader: status %#x (2: the module unloaded with %s open, 3: another error)",
		       status, VZBC_DEV);
	for (unsigned int i = 0; i < self->fails.n && i < MAX_FAILS; i++)
		TH_LOG("%s", self->fails.msg[i]);
	EXPECT_EQ(0u, self->fails.n);

	note("container churn %u s: %" PRIu64 " containers through create..destroy, %" PRIu64
	     " ms each on average\n", self->seconds, cycles, cycles ? ms / cycles : 0);
	note("  readers: %" PRIu64 " /proc reads, %" PRIu64 " dumps, %" PRIu64 " netlink GETs, %"
	     PRIu64 " LISTs, %" PRIu64 " events, %" PRIu64 " unload attempts\n",
	     rd[0].reads, rd[1].dumps, rd[1].gets, rd[2].lists, rd[3].events, *tries);

	/* Nothing left: no beancounter of ours, no leaked object. */
	ASSERT_EQ(0, vzbc_list_all(self->fd, &ids, &nr));
	for (uint32_t i = 0; i < nr; i++) {
		EXPECT_FALSE(ids[i] >= self->base && ids[i] < self->base + 64)
			TH_LOG("beancounter %u left after destroy", ids[i]);
	}
	free(ids);
	EXPECT_EQ(0, wait_live(self->pre_nr, &live))
		TH_LOG("live_beancounters %" PRIu64 ", was %u", live, self->pre_nr);
	munmap(tries, sizeof(*tries));
	free(loops);
}

/*
 * Hostile containers.  A and B run their bombs inside (busybox sh); the
 * template has no block device and no mlock tool, so C's IO flood and D's
 * mlocker are host processes placed in C's and D's cgroups, which is what
 * the limits and the beancounters see.  E is quiet and must stay usable.
 */
enum { H_FORK, H_MEM, H_IO, H_MLOCK, H_QUIET, H_NR };

static const char *const h_names[H_NR] = {
	"fork bomb", "memory bomb", "IO flood", "mlock", "quiet",
};

/* Starts "ctlvz exec CTID sh -c SCRIPT" in the background. */
static pid_t exec_bg(uint32_t ctid, const char *script)
{
	char id[16];
	pid_t pid = fork();

	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		snprintf(id, sizeof(id), "%u", ctid);
		execl(ctlvz_bin(), "ctlvz", "exec", id, "sh", "-c", script, (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* O_DIRECT reads of the scratch disk, as fast as io.max lets them. */
static pid_t io_flood(const char *cg)
{
	const char *disk = getenv("LOWFAT_DISK");
	pid_t pid = cg_fork_into(cg);

	if (pid == 0) {
		void *buf;
		int fd = disk ? open(disk, O_RDONLY | O_DIRECT | O_CLOEXEC) : -1;

		if (fd < 0 || posix_memalign(&buf, 4096, 65536))
			_exit(1);
		for (unsigned int i = 0;; i++)
			if (pread(fd, buf, 65536, (off_t)(i % 2048) * 65536) < 0)
				_exit(2);
	}
	return pid;
}

/* Maps and locks memory until the cgroup's OOM killer stops it; again. */
static pid_t mlocker(const char *cg)
{
	pid_t pid = fork();

	if (pid == 0) {
		for (;;) {
			pid_t kid = cg_fork_into(cg);

			if (kid == 0) {
				for (;;) {
					size_t len = 4 << 20;
					void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
						       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

					if (p == MAP_FAILED || mlock(p, len))
						usleep(10000);
				}
			}
			if (kid > 0)
				waitpid(kid, NULL, 0);
			else
				usleep(100000);
		}
	}
	return pid;
}

/* Kills every task of @cg but the container's init, until none is left. */
static int kill_all_but(const char *cg, pid_t init)
{
	int64_t deadline = now_ms() + SETTLE_MS;
	char buf[65536], *line, *save;
	bool others;

	do {
		others = false;
		if (cg_read(cg, "cgroup.procs", buf, sizeof(buf)) < 0)
			return -errno;
		for (line = strtok_r(buf, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			pid_t pid = atoi(line);

			if (pid > 0 && pid != init) {
				kill(pid, SIGKILL);
				others = true;
			}
		}
		reap_exited();
		if (others)
			usleep(20000);
	} while (others && now_ms() < deadline);
	return others ? -ETIMEDOUT : 0;
}

static uint64_t stat_of(int fd, uint32_t ctid, uint32_t res,
			uint64_t (*pick)(const struct vzbc_stat *))
{
	struct vzbc_stat st;

	return vzbc_get_res(fd, ctid, res, &st) ? UINT64_MAX : pick(&st);
}

static uint64_t pick_failcnt(const struct vzbc_stat *st)
{
	return st->failcnt;
}

/*
 * One probe: fork and reap a task, read /proc/user_beancounters, GET the
 * quiet container.  Its duration in milliseconds, or -1 if a step failed.
 */
static int64_t probe_once(int fd, uint32_t quiet)
{
	int64_t t0 = now_ms();
	struct vzbc_stat st;
	char *text;
	pid_t pid;
	int err;

	pid = fork();
	if (pid == 0)
		_exit(0);
	if (pid < 0 || waitpid(pid, NULL, 0) != pid)
		return -1;
	text = read_text(UBC_PROC, &err);
	if (!text)
		return -1;
	free(text);
	if (vzbc_get_res(fd, quiet, VZBC_RES_NUMPROC, &st))
		return -1;
	return now_ms() - t0;
}

/*
 * The VM itself can stall when the host is busy (TCG on shared cores):
 * a real-time thread that sleeps 10 ms at a time sees such stalls as
 * oversleep that nothing inside the VM could cause.  A slow probe during
 * which the whole VM stood still for half its time or more is excused.
 */
struct stall_watch {
	int64_t deadline;
	int64_t worst;		/* oversleep in the current window, ms */
	int64_t total_worst;
	bool rt;
};

static void *stall_watch_fn(void *arg)
{
	struct stall_watch *s = arg;
	struct sched_param sp = { .sched_priority = 50 };
	int64_t t0, over;

	s->rt = !pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp);
	while ((t0 = now_ms()) < s->deadline) {
		usleep(10000);
		over = now_ms() - t0 - 10;
		if (over > __atomic_load_n(&s->worst, __ATOMIC_RELAXED))
			__atomic_store_n(&s->worst, over, __ATOMIC_RELAXED);
		if (over > s->total_worst)
			s->total_worst = over;
	}
	return NULL;
}

/* A cgroup's usage is within its limit ("max": no limit). */
static bool within(const char *cg, const char *cur, const char *max)
{
	uint64_t c, m;

	if (cg_read_u64(cg, cur, &c) || cg_read_u64(cg, max, &m))
		return false;
	return c <= m;
}

TEST_F_TIMEOUT(ct, hostile, 3600)
{
	unsigned int max_ms = fz_env_seconds("VZBC_PROBE_MAX_MS", 1000);
	char cg[H_NR][CG_PATH_MAX];
	uint32_t ctid[H_NR];
	pid_t init[H_NR];
	int64_t deadline, worst = 0, sum = 0, lat, quiet_worst = 0, t0;
	unsigned int probes = 0, slow = 0, excused = 0, quiet_ok = 0;
	/* Static: the thread may outlive a failed assertion's longjmp. */
	static struct stall_watch watch;
	pthread_t wt;
	uint64_t live, held, current;
	int ret;

	ASSERT_NE(NULL, getenv("LOWFAT_DISK")) TH_LOG("no scratch disk for the IO flood");
	/* Orphans of the attackers come back to us, to be reaped. */
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1));
	for (int i = 0; i < H_NR; i++) {
		ctid[i] = self->base + i;
		ct_cgroup(cg[i], sizeof(cg[i]), ctid[i]);
		ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out),
				       "create %u --ostemplate busybox", ctid[i]))
			TH_LOG("%s", self->out);
		ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "start %u", ctid[i]))
			TH_LOG("%s", self->out);
		init[i] = ctlvz_init_pid(&self->env, ctid[i]);
		ASSERT_LT(0, init[i]);
	}
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "set %u --numproc 64:64",
			       ctid[H_FORK])) TH_LOG("%s", self->out);
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "set %u --ram 32M --swap 0",
			       ctid[H_MEM])) TH_LOG("%s", self->out);
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out),
			       "set %u --iolimit 1 --iodevice %s", ctid[H_IO],
			       getenv("LOWFAT_DISK"))) TH_LOG("%s", self->out);
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "set %u --ram 32M --swap 0",
			       ctid[H_MLOCK])) TH_LOG("%s", self->out);
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out),
			       "set %u --numproc 32:32 --ram 32M", ctid[H_QUIET]))
		TH_LOG("%s", self->out);

	/* All at once. */
	self->kids[self->nkids++] = exec_bg(ctid[H_FORK], "f(){ f|f& };f; sleep 100000");
	self->kids[self->nkids++] = exec_bg(ctid[H_MEM],
		"while :; do sh -c 'x=x; while :; do x=$x$x; done'; done");
	self->kids[self->nkids++] = io_flood(cg[H_IO]);
	self->kids[self->nkids++] = mlocker(cg[H_MLOCK]);
	for (int i = 0; i < self->nkids; i++)
		ASSERT_LT(0, self->kids[i]);

	deadline = now_ms() + self->seconds * 1000LL;
	memset(&watch, 0, sizeof(watch));
	watch.deadline = deadline;
	ASSERT_EQ(0, pthread_create(&wt, NULL, stall_watch_fn, &watch));
	while (now_ms() < deadline) {
		__atomic_store_n(&watch.worst, 0, __ATOMIC_RELAXED);
		lat = probe_once(self->fd, ctid[H_QUIET]);
		ASSERT_LE(0, lat) TH_LOG("the host probe failed: %s", strerror(errno));
		probes++;
		sum += lat;
		worst = lat > worst ? lat : worst;
		if (lat > max_ms) {
			if (2 * __atomic_load_n(&watch.worst, __ATOMIC_RELAXED) >= lat)
				excused++;
			else
				slow++;
		}
		/*
		 * The limits hold.  pids.max is never passed by a fork; memory
		 * has no such bound (a task being OOM-killed is charged past
		 * memory.max): its limit shows in memory.events, below.
		 */
		EXPECT_TRUE(within(cg[H_FORK], "pids.current", "pids.max"));
		EXPECT_TRUE(within(cg[H_QUIET], "pids.current", "pids.max"));
		/* The quiet container works. */
		if (probes % 10 == 1) {
			t0 = now_ms();
			EXPECT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "exec %u true",
					       ctid[H_QUIET])) TH_LOG("%s", self->out);
			quiet_worst = now_ms() - t0 > quiet_worst ? now_ms() - t0 : quiet_worst;
			quiet_ok++;
		}
		usleep(100000);
	}
	pthread_join(wt, NULL);
	note("hostile %u s: host probe %u times, %" PRId64 " ms on average, %" PRId64
	     " ms at worst, %u over %u ms (and %u more while the whole VM stalled, up to %"
	     PRId64 " ms%s); quiet container exec'd %u times, %" PRId64 " ms at worst\n",
	     self->seconds, probes, probes ? sum / probes : 0, worst, slow, max_ms,
	     excused, watch.total_worst, watch.rt ? "" : ", not measured in real time",
	     quiet_ok, quiet_worst);
	EXPECT_EQ(0u, slow) TH_LOG("the host probe took %" PRId64 " ms", worst);

	/*
	 * The module saw the refusals.  Under emulation a bomb may not have
	 * reached its limit in the attack window: give each up to 20 s more.
	 */
	{
		static const struct { int who; uint32_t res; } bombs[] = {
			{ H_FORK, VZBC_RES_NUMPROC }, { H_MEM, VZBC_RES_PHYSPAGES },
			{ H_IO, VZBC_RES_IOBYTES }, { H_MLOCK, VZBC_RES_PHYSPAGES },
		};
		int64_t deadline = now_ms() + 20000;

		for (size_t b = 0; b < sizeof(bombs) / sizeof(bombs[0]); b++)
			while (!stat_of(self->fd, ctid[bombs[b].who], bombs[b].res,
					pick_failcnt) && now_ms() < deadline)
				usleep(100000);
	}
	note("  failcnt: numproc of the fork bomb %" PRIu64 ", physpages of the memory bomb %"
	     PRIu64 ", iobytes of the IO flood %" PRIu64 ", physpages of the mlocker %" PRIu64 "\n",
	     stat_of(self->fd, ctid[H_FORK], VZBC_RES_NUMPROC, pick_failcnt),
	     stat_of(self->fd, ctid[H_MEM], VZBC_RES_PHYSPAGES, pick_failcnt),
	     stat_of(self->fd, ctid[H_IO], VZBC_RES_IOBYTES, pick_failcnt),
	     stat_of(self->fd, ctid[H_MLOCK], VZBC_RES_PHYSPAGES, pick_failcnt));
	EXPECT_LT(0u, stat_of(self->fd, ctid[H_FORK], VZBC_RES_NUMPROC, pick_failcnt));
	EXPECT_LT(0u, stat_of(self->fd, ctid[H_MEM], VZBC_RES_PHYSPAGES, pick_failcnt));
	EXPECT_LT(0u, stat_of(self->fd, ctid[H_IO], VZBC_RES_IOBYTES, pick_failcnt));
	EXPECT_LT(0u, stat_of(self->fd, ctid[H_MLOCK], VZBC_RES_PHYSPAGES, pick_failcnt));
	/* The memory bomb grows until killed: the kernel kills it inside. */
	{
		int64_t deadline = now_ms() + 20000;
		uint64_t kills = 0;

		while ((cg_read_key(cg[H_MEM], "memory.events", "oom_kill", &kills) ||
			!kills) && now_ms() < deadline)
			usleep(100000);
		EXPECT_LT(0u, kills) TH_LOG("no OOM kill in the memory bomb's container");
	}

	/* Stop the attacks, keep the containers: the counts agree. */
	for (int i = 0; i < self->nkids; i++)
		kill_reap(self->kids[i]);
	self->nkids = 0;
	for (int i = 0; i < H_NR; i++) {
		ret = kill_all_but(cg[i], init[i]);
		EXPECT_EQ(0, ret) TH_LOG("%s: tasks keep coming", h_names[i]);
	}
	for (int i = 0; i < H_NR; i++) {
		struct cg_file_arg ca = { .path = cg[i], .file = "pids.current" };
		struct vzbc_poll_arg va = {
			.fd = self->fd, .ctid = ctid[i], .res = VZBC_RES_NUMPROC,
			.field = VZBC_HELD,
		};

		ret = wait_for_value(cg_poll_read, &ca, 1, SETTLE_MS, &current);
		EXPECT_EQ(0, ret) TH_LOG("%s: pids.current %" PRIu64 " with only init left",
					 h_names[i], current);
		ret = wait_for_value(vzbc_poll_read, &va, current, SETTLE_MS, &held);
		EXPECT_EQ(0, ret) TH_LOG("%s: numproc held %" PRIu64 ", pids.current %" PRIu64,
					 h_names[i], held, current);
	}

	for (int i = 0; i < H_NR; i++) {
		EXPECT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "stop %u --fast", ctid[i]))
			TH_LOG("%s", self->out);
		EXPECT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "destroy %u", ctid[i]))
			TH_LOG("%s", self->out);
	}
	EXPECT_EQ(0, wait_live(self->pre_nr, &live))
		TH_LOG("live_beancounters %" PRIu64 ", was %u", live, self->pre_nr);
}

TEST_HARNESS_MAIN
