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
 * VZBC_CHURN_SECONDS (default 5) sets how long the churn runs.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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

TEST_HARNESS_MAIN
