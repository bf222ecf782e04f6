// SPDX-License-Identifier: GPL-2.0
/*
 * Containers (ctlvz) under churn: loops that create, start, limit, exec in,
 * stop and destroy containers next to readers of every module interface
 * and a process that keeps trying to unload the module (readers.h); and
 * hostile containers (a fork bomb, a memory bomb, an IO flood and a task
 * that mlocks all it can, at once) next to a quiet one, while a host probe
 * must keep answering within a second, the limits hold, and the counts
 * agree afterwards.
 *
 * VZBC_CHURN_SECONDS (default 5) sets how long each test churns;
 * VZBC_PROBE_MAX_MS (default 1000) the host probe's bound.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "cg.h"
#include "ctlvz_test.h"
#include "fuzz.h"
#include "genl.h"
#include "mem.h"
#include "readers.h"
#include "vzbc.h"


#define note(...) fprintf(stderr, "# " __VA_ARGS__)

#define CT_LOOPS	3
#define CT_IDS_PER_LOOP	4

FIXTURE(ct) {
	struct ctlvz_env env;
	int fd;
	uint32_t base;
	unsigned int seconds;
	uint64_t seed;
	uint32_t pre_nr;
	struct reader tmpl;	/* what every reader starts from */
	struct fails fails;
	pid_t kids[16];
	int nkids;
	char out[8192];
};

FIXTURE_SETUP(ct)
{
	uint64_t live;
	int ret;

	memset(&self->env, 0, sizeof(self->env));
	self->fd = -1;
	self->base = vzbc_test_ctid(0);
	self->seconds = fz_env_seconds("VZBC_CHURN_SECONDS", 5);
	self->seed = fz_run_seed();
	fails_init(&self->fails);
	ASSERT_EQ(0, access(ctlvz_bin(), X_OK)) TH_LOG("%s missing", ctlvz_bin());
	ASSERT_EQ(0, vzbc_module_ensure()) TH_LOG("vzbc not loaded");
	/* Held throughout: unload attempts must be refused. */
	self->fd = vzbc_open();
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", VZBC_DEV, strerror(-self->fd));
	ASSERT_EQ(0, ctlvz_env_init(&self->env, 2));
	ret = readers_setup(self->fd, &self->pre_nr, &live, &self->tmpl);
	ASSERT_EQ(0, ret) TH_LOG("%s (%u beancounters, live_beancounters %" PRIu64 ")",
				 strerror(-ret), self->pre_nr, live);
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
		fails_add(f, "ctlvz %s: exit %d: %.160s", args, rc, out);
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
			fails_add(f, "GET %u of a running container: %s", ctid, strerror(-ret));
		ctlvz_ok(f, l->out, sizeof(l->out), "stop %u%s", ctid,
			 fz_chance(&l->rng, 50) ? " --fast" : "");
destroy:
		ctlvz_ok(f, l->out, sizeof(l->out), "destroy %u", ctid);
		ct_cgroup(cg, sizeof(cg), ctid);
		if (access(cg, F_OK) == 0)
			fails_add(f, "%s left after destroy", cg);
		l->cmds += 6;
		l->cycles++;
		l->ms += now_ms() - t0;
	} while (now_ms() < l->deadline);
	return NULL;
}

TEST_F_TIMEOUT(ct, churn, 3600)
{
	struct ct_loop *loops = calloc(CT_LOOPS, sizeof(*loops));
	uint64_t *tries = shared_alloc(sizeof(*tries));
	uint64_t live, cycles = 0, ms = 0;
	static void *(*const fns[4])(void *) = {
		reader_proc_fn, reader_nl_fn, reader_ioctl_fn, reader_events_fn,
	};
	struct reader rd[4], tmpl = self->tmpl;
	pthread_t lt[CT_LOOPS], rt[4];
	uint32_t *ids, nr;
	int64_t deadline;
	struct timespec ts;
	int status;
	pid_t unl;

	ASSERT_NE(NULL, loops);
	ASSERT_NE(NULL, tries);
	*tries = 0;
	note("seed %#" PRIx64 ", %u s\n", self->seed, self->seconds);
	deadline = now_ms() + self->seconds * 1000LL;
	tmpl.deadline = deadline;
	tmpl.fails = &self->fails;
	tmpl.base = self->base;
	tmpl.span = 64;
	tmpl.fd = self->fd;
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
	ASSERT_EQ(0, readers_start(rd, rt, 4, fns, &tmpl));

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += self->seconds + 300;	/* one container's life: minutes at worst */
	for (int i = 0; i < CT_LOOPS; i++) {
		ASSERT_EQ(0, pthread_timedjoin_np(lt[i], NULL, &ts))
			TH_LOG("container loop %d stuck", i);
		cycles += loops[i].cycles;
		ms += loops[i].ms;
	}
	status = readers_join(rt, 4, &ts);
	ASSERT_EQ(-1, status) TH_LOG("reader %d stuck", status);
	status = unloader_reap(unl);
	EXPECT_EQ(0, status) TH_LOG("unloader: exit %d (2: the module unloaded with %s open, "
				    "3: another error)", status, VZBC_DEV);
	EXPECT_NO_FAILS(&self->fails);

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
	EXPECT_EQ(0, vzbc_live_wait(self->pre_nr, &live))
		TH_LOG("live_beancounters %" PRIu64 ", was %u", live, self->pre_nr);
	shared_free(tries, sizeof(*tries));
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
/* SIGKILL to every task of @cg's cgroup.procs but @init; whether there was one. */
static bool kill_procs_but(const char *cg, pid_t init)
{
	char buf[65536], *line, *save;
	bool others = false;

	if (cg_read(cg, "cgroup.procs", buf, sizeof(buf)) < 0)
		return false;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		pid_t pid = atoi(line);

		if (pid > 0 && pid != init) {
			kill(pid, SIGKILL);
			others = true;
		}
	}
	return others;
}

/*
 * Kills every task of the container cgroup @cg but @init: those in @cg and
 * in its leaves (init's payload, exec's ctlvz.exec-PID).
 */
static int kill_all_but(const char *cg, pid_t init)
{
	int64_t deadline = now_ms() + FZ_SETTLE_MS;
	char path[CG_PATH_MAX + 256];
	struct dirent *de;
	bool others;
	DIR *d;

	do {
		others = kill_procs_but(cg, init);
		d = opendir(cg);
		if (!d)
			return -errno;
		while ((de = readdir(d))) {
			if (de->d_type != DT_DIR || de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", cg, de->d_name);
			others |= kill_procs_but(path, init);
		}
		closedir(d);
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
	char leaf[2][CG_PATH_MAX + 16];
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
	/* Host-made attackers join init's leaf: the top cgroup has children. */
	snprintf(leaf[0], sizeof(leaf[0]), "%s/payload", cg[H_IO]);
	snprintf(leaf[1], sizeof(leaf[1]), "%s/payload", cg[H_MLOCK]);
	self->kids[self->nkids++] = io_flood(leaf[0]);
	self->kids[self->nkids++] = mlocker(leaf[1]);
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

		ret = wait_for_value(cg_poll_read, &ca, 1, FZ_SETTLE_MS, &current);
		EXPECT_EQ(0, ret) TH_LOG("%s: pids.current %" PRIu64 " with only init left",
					 h_names[i], current);
		ret = wait_for_value(vzbc_poll_read, &va, current, FZ_SETTLE_MS, &held);
		EXPECT_EQ(0, ret) TH_LOG("%s: numproc held %" PRIu64 ", pids.current %" PRIu64,
					 h_names[i], held, current);
	}

	for (int i = 0; i < H_NR; i++) {
		EXPECT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "stop %u --fast", ctid[i]))
			TH_LOG("%s", self->out);
		EXPECT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "destroy %u", ctid[i]))
			TH_LOG("%s", self->out);
	}
	EXPECT_EQ(0, vzbc_live_wait(self->pre_nr, &live))
		TH_LOG("live_beancounters %" PRIu64 ", was %u", live, self->pre_nr);
}

TEST_HARNESS_MAIN
