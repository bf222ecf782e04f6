// SPDX-License-Identifier: GPL-2.0
/*
 * ctlvz set: limits that hold.  Inside real containers, from the host:
 * a fork bomb stays under --numproc and is announced on netlink; an
 * allocator over --ram (and --swap) is OOM-killed in its container only;
 * dd runs at --iolimit / --iopslimit, direct and buffered; a busy loop gets
 * its --cpulimit; /proc/user_beancounters agrees with the kernel's own
 * cgroup files; bad values change nothing; saved limits hold from start.
 *
 * The IO and swap fixtures use the VM's scratch disk ($LOWFAT_DISK,
 * /dev/vda): ext2 on it holds the containers' private areas (so that the
 * default IO target is a real disk) or a swap file.  CTIDs 7400..7499.
 */
#include <dirent.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/swap.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <time.h>

#include "kselftest_harness.h"
#include "ctlvz_test.h"
#include "cg.h"
#include "env.h"
#include "vzbc.h"

/* vzctl's exit codes */
#define VZ_INVALID_PARAMETER_SYNTAX	20
#define VZ_INVALID_PARAMETER_VALUE	21

#define CT_A		7401	/* the "lim" fixture's container */
#define CT_B		7402	/* a second one, created stopped */
#define CT_SWAP		7410
#define CT_IO		7420

#define KIB		1024ULL
#define MIB		(1024ULL * 1024)
#define PAGE		4096ULL
#define MNT		"/mnt/ctlvz-limits"

static int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static void ct_cg(char *buf, size_t len, unsigned int ctid)
{
	snprintf(buf, len, "/sys/fs/cgroup/ctlvz/%u", ctid);
}

/* The whole file, NUL-terminated; its length or -errno. */
static ssize_t slurp(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t n = 0;
	ssize_t r;

	if (fd < 0)
		return -errno;
	while (n < len - 1 && (r = read(fd, buf + n, len - 1 - n)) > 0)
		n += r;
	close(fd);
	buf[n] = '\0';
	return n;
}

/* One line of a cgroup file, without its newline ("max", "25000 100000"). */
static const char *cg_line(const char *cg, const char *file, char *buf, size_t len)
{
	if (cg_read(cg, file, buf, len) < 0)
		return "(unreadable)";
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

static uint64_t cg_u64(const char *cg, const char *file)
{
	uint64_t v = UINT64_MAX - 1;

	cg_read_u64(cg, file, &v);
	return v;
}

static uint64_t cg_key(const char *cg, const char *file, const char *key)
{
	uint64_t v = UINT64_MAX - 1;

	cg_read_key(cg, file, key, &v);
	return v;
}

/*
 * Forks refused by the pids controller, as the kernel counts them for the
 * container cgroup @cg, and whether that count is the whole subtree's.
 * 6.12 counts "max" in pids.events of the cgroup whose limit refused the
 * fork and of its ancestors: one read of the container's file.  6.1 counts
 * it in the forking task's own cgroup only (its pids.events.local is no
 * guide: Debian's 6.1 has the file), and every exec leaf (ctlvz.exec-PID)
 * is removed with its last task, taking its count along: the sum over the
 * cgroups still there is a lower bound.
 */
static uint64_t pids_refused(const char *cg, bool *whole)
{
	char path[PATH_MAX];
	struct utsname u;
	uint64_t sum, v;
	struct dirent *de;
	int major = 0, minor = 0;
	DIR *d;

	if (uname(&u) == 0)
		sscanf(u.release, "%d.%d", &major, &minor);
	*whole = major > 6 || (major == 6 && minor >= 12);
	sum = cg_key(cg, "pids.events", "max");
	if (*whole)
		return sum;
	d = opendir(cg);
	if (!d)
		return sum;
	while ((de = readdir(d))) {
		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", cg, de->d_name);
		v = 0;
		if (cg_read_key(path, "pids.events", "max", &v) == 0)
			sum += v;
	}
	closedir(d);
	return sum;
}

/*
 * "ctlvz ARGS" in the background (its own process group), stdout and
 * stderr appended to @out; its pid.
 */
static pid_t __attribute__((format(printf, 2, 3)))
ctlvz_bg(const char *out, const char *fmt, ...)
{
	char args[1024], cmd[1200];
	va_list ap;
	pid_t pid;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof(cmd), "exec %s %s", ctlvz_bin(), args);
	pid = fork();
	if (pid == 0) {
		int fd = open(out, O_WRONLY | O_CREAT | O_APPEND, 0644);
		int null = open("/dev/null", O_RDONLY);

		if (fd < 0 || null < 0)
			_exit(126);
		dup2(null, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		setpgid(0, 0);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* Exit status of @pid (128 + signal if killed) within @ms, or -1. */
static int wait_exit(pid_t pid, int ms)
{
	int64_t end = now_ms() + ms;
	int st;

	do {
		pid_t r = waitpid(pid, &st, WNOHANG);

		if (r == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		if (r < 0)
			return -1;
		usleep(10 * 1000);
	} while (now_ms() < end);
	return -1;
}

static void kill_group(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* Runs @cmd with sh; its exit status, or -1. */
static int __attribute__((format(printf, 1, 2))) shell(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	return st < 0 || !WIFEXITED(st) ? -1 : WEXITSTATUS(st);
}

/* "real\t0m 9.95s" of busybox time in @out, in ms; -1 if none. */
static int64_t real_ms(const char *out)
{
	const char *p = strstr(out, "real");
	unsigned int min;
	double sec;

	if (!p || sscanf(p + 4, " %um %lfs", &min, &sec) != 2)
		return -1;
	return min * 60000LL + (int64_t)(sec * 1000 + 0.5);
}

static int vzbc_field(int fd, uint32_t ctid, uint32_t res, enum vzbc_field f,
		      uint64_t *v)
{
	struct vzbc_stat st;
	int r = vzbc_get_res(fd, ctid, res, &st);

	if (r)
		return r;
	*v = f == VZBC_HELD ? st.held : f == VZBC_MAXHELD ? st.maxheld :
	     f == VZBC_MINHELD ? st.minheld : st.failcnt;
	return 0;
}

/* One row of /proc/user_beancounters; 0 or -ENOENT. */
static int ubc_get(uint32_t ctid, const char *name, struct ubc_row *row)
{
	struct ubc_file *f = calloc(1, sizeof(*f));
	const struct ubc_block *b;
	const struct ubc_row *r;
	char *text;
	int err = -ENOENT;

	text = read_text(UBC_PROC, &err);
	if (!f || !text || ubc_parse(text, f) < 0)
		goto out;
	b = ubc_find(f, ctid);
	r = b ? ubc_row(b, name) : NULL;
	if (r) {
		*row = *r;
		err = 0;
	}
out:
	free(text);
	free(f);
	return err;
}

/* ---- a sampler thread: peaks of a cgroup file and of a beancounter ---- */

struct peak_sampler {
	pthread_t th;
	volatile int stop;
	volatile int phase;	/* 0 or 1; peaks are kept per phase */
	const char *cg, *file;	/* a one-number cgroup file */
	int vzfd;
	uint32_t ctid, res;
	uint64_t cg_peak[2], held_peak[2];
	int samples, errors;
};

static void *peak_main(void *arg)
{
	struct peak_sampler *s = arg;

	while (!s->stop) {
		int ph = s->phase;
		uint64_t v, h;

		if (cg_read_u64(s->cg, s->file, &v) == 0 &&
		    vzbc_field(s->vzfd, s->ctid, s->res, VZBC_HELD, &h) == 0) {
			if (v > s->cg_peak[ph])
				s->cg_peak[ph] = v;
			if (h > s->held_peak[ph])
				s->held_peak[ph] = h;
			s->samples++;
		} else {
			s->errors++;
		}
		usleep(2000);
	}
	return NULL;
}

static int peak_start(struct peak_sampler *s, const char *cg, const char *file,
		      int vzfd, uint32_t ctid, uint32_t res)
{
	memset(s, 0, sizeof(*s));
	s->cg = cg;
	s->file = file;
	s->vzfd = vzfd;
	s->ctid = ctid;
	s->res = res;
	return pthread_create(&s->th, NULL, peak_main, s);
}

static void peak_stop(struct peak_sampler *s)
{
	s->stop = 1;
	pthread_join(s->th, NULL);
}

/* ---- the "lim" fixture: one running container, private area on /tmp ---- */

FIXTURE(lim) {
	struct ctlvz_env env;
	char cg[PATH_MAX];
	char conf[PATH_MAX];
	char out[16384];
	int vzfd;
	pid_t bg[4];
};

FIXTURE_SETUP(lim)
{
	memset(&self->env, 0, sizeof(self->env));
	self->vzfd = -1;
	ASSERT_EQ(0, access(ctlvz_bin(), X_OK)) TH_LOG("%s missing", ctlvz_bin());
	self->vzfd = vzbc_open();
	ASSERT_LE(0, self->vzfd) TH_LOG("/dev/vzbc: %s", strerror(-self->vzfd));
	ASSERT_EQ(0, ctlvz_env_init(&self->env, 3));
	ct_cg(self->cg, sizeof(self->cg), CT_A);
	snprintf(self->conf, sizeof(self->conf), "%s/conf/%d.conf", self->env.dir, CT_A);
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out),
			       "create %d --ostemplate busybox", CT_A)) TH_LOG("%s", self->out);
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "start %d", CT_A))
		TH_LOG("%s", self->out);
}

FIXTURE_TEARDOWN(lim)
{
	for (size_t i = 0; i < ARRAY_SIZE(self->bg); i++)
		kill_group(self->bg[i]);
	ctlvz_env_fini(&self->env);
	if (self->vzfd >= 0)
		close(self->vzfd);
}

/* Waits until the netlink socket of @pid has joined a multicast group. */
static bool nl_joined(pid_t pid, int ms)
{
	int64_t end = now_ms() + ms;
	char buf[65536];

	do {
		char *line, *save = NULL;

		if (slurp("/proc/net/netlink", buf, sizeof(buf)) > 0)
			for (line = strtok_r(buf, "\n", &save); line;
			     line = strtok_r(NULL, "\n", &save)) {
				unsigned long long sk;
				unsigned int eth, port, groups;

				if (sscanf(line, "%llx %u %u %x", &sk, &eth, &port,
					   &groups) == 4 && eth == 16 &&
				    (port & 0x3fffff) == (unsigned int)pid && groups)
					return true;
			}
		usleep(20 * 1000);
	} while (now_ms() < end);
	return false;
}

/*
 * The bomb: a driver process that keeps "ctlvz exec CT sh -c 'while :; do
 * sleep 1000 & done'" running.  busybox sh exits when a fork fails, so the
 * driver starts the next one (and a start that cannot fork is one more
 * refused fork); the shells' complaints go to @errfile.
 */
static pid_t bomb_start(unsigned int ctid, const char *errfile)
{
	pid_t pid = fork();

	if (pid == 0) {
		char id[16];

		setpgid(0, 0);
		snprintf(id, sizeof(id), "%u", ctid);
		for (;;) {
			pid_t c = fork();

			if (c == 0) {
				int err = open(errfile, O_WRONLY | O_CREAT | O_APPEND, 0644);
				int null = open("/dev/null", O_RDWR);

				dup2(null, 0);
				dup2(null, 1);
				dup2(err, 2);
				execl(ctlvz_bin(), "ctlvz", "exec", id, "sh", "-c",
				      "while :; do sleep 1000 & done", (char *)NULL);
				_exit(127);
			}
			if (c > 0)
				waitpid(c, NULL, 0);
			usleep(20 * 1000);
		}
	}
	return pid;
}

/* Latency in ms of fork + exec of a shell that answers "pong"; -1 on error. */
static int64_t host_ping(void)
{
	int64_t t0 = now_ms();
	char buf[16] = "";
	int p[2];
	pid_t pid;
	ssize_t n;

	if (pipe(p) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		execl("/bin/sh", "sh", "-c", "echo pong", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	n = pid > 0 ? read(p[0], buf, sizeof(buf) - 1) : -1;
	close(p[0]);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	return n == 5 && !strncmp(buf, "pong\n", 5) ? now_ms() - t0 : -1;
}

static uint64_t wait_at_least(const char *cg, const char *file, uint64_t want, int ms)
{
	int64_t end = now_ms() + ms;
	uint64_t v = 0;

	do {
		if (cg_read_u64(cg, file, &v) == 0 && v >= want)
			return v;
		usleep(5 * 1000);
	} while (now_ms() < end);
	return v;
}

TEST_F_TIMEOUT(lim, numproc_fork_bomb, 150)
{
	char mon_out[PATH_MAX], err_out[PATH_MAX], text[16384], line[64];
	struct peak_sampler s;
	struct vzbc_stat st;
	struct ubc_row row;
	uint64_t n, events, failcnt, prev;
	bool whole;
	int64_t ping = 0, t0, took;
	pid_t mon;

	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "set %d --numproc 64:64", CT_A))
		TH_LOG("%s", self->out);
	EXPECT_STREQ("64", cg_line(self->cg, "pids.max", line, sizeof(line)));
	ASSERT_EQ(0, vzbc_get_res(self->vzfd, CT_A, VZBC_RES_NUMPROC, &st));
	EXPECT_EQ(64, st.barrier);
	EXPECT_EQ(64, st.limit);
	EXPECT_EQ(0, st.failcnt);

	/* The monitor listens before the first refused fork. */
	snprintf(mon_out, sizeof(mon_out), "%s/monitor.out", self->env.dir);
	snprintf(err_out, sizeof(err_out), "%s/bomb.err", self->env.dir);
	mon = self->bg[0] = ctlvz_bg(mon_out, "monitor %d -j -n 1", CT_A);
	ASSERT_LT(0, mon);
	ASSERT_TRUE(nl_joined(mon, 10000)) TH_LOG("ctlvz monitor never joined the events group");

	ASSERT_EQ(0, peak_start(&s, self->cg, "pids.current", self->vzfd, CT_A,
				VZBC_RES_NUMPROC));
	t0 = now_ms();
	self->bg[1] = bomb_start(CT_A, err_out);
	ASSERT_LT(0, self->bg[1]);

	n = wait_at_least(self->cg, "pids.current", 64, 60000);
	EXPECT_EQ(64, n) TH_LOG("the bomb never filled the container");
	TH_LOG("64 tasks after %" PRId64 " ms", now_ms() - t0);

	/*
	 * The host still forks and runs a process that answers.  How fast is
	 * not the kernel's promise (a busy build host slows the whole VM): the
	 * time is logged, not judged.
	 */
	for (int i = 0; i < 5; i++) {
		int64_t p = host_ping();

		EXPECT_LE(0, p);
		if (p > ping)
			ping = p;
		usleep(200 * 1000);
	}
	TH_LOG("host fork+exec+answer during the bomb: %" PRId64 " ms at most", ping);

	/* The refusal is announced. */
	EXPECT_EQ(0, wait_exit(mon, 15000)) TH_LOG("ctlvz monitor -n 1 did not finish");
	self->bg[0] = 0;
	ASSERT_LT(0, slurp(mon_out, text, sizeof(text)));
	TH_LOG("monitor: %s", text);
	EXPECT_NE(NULL, strstr(text, "\"ctid\":7401,\"event\":\"failcnt\",\"resource\":\"numproc\""));
	EXPECT_NE(NULL, strstr(text, "\"limit\":64,"));
	EXPECT_EQ(NULL, strchr(strchr(text, '\n') ? strchr(text, '\n') + 1 : "", '{'))
		TH_LOG("-n 1 printed more than one event");

	EXPECT_LT(0, pids_refused(self->cg, &whole));
	ASSERT_EQ(0, vzbc_get_res(self->vzfd, CT_A, VZBC_RES_NUMPROC, &st));
	EXPECT_LT(0, st.failcnt);
	ASSERT_EQ(0, ubc_get(CT_A, "numproc", &row));
	EXPECT_LT(0, row.failcnt);
	EXPECT_EQ(64, row.limit);

	/* The shells saw their forks fail with EAGAIN. */
	ASSERT_LT(0, slurp(err_out, text, sizeof(text)));
	EXPECT_NE(NULL, strstr(text, "can't fork: Resource temporarily unavailable"))
		TH_LOG("bomb stderr: %.400s", text);

	/* Raised live, the new limit holds at once: more tasks appear. */
	s.phase = 1;
	t0 = now_ms();
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "set %d --numproc 96:96", CT_A))
		TH_LOG("%s", self->out);
	EXPECT_STREQ("96", cg_line(self->cg, "pids.max", line, sizeof(line)));
	n = wait_at_least(self->cg, "pids.current", 65, 10000);
	took = now_ms() - t0;
	EXPECT_LT(64, n) TH_LOG("still %" PRIu64 " tasks after raising the limit", n);
	n = wait_at_least(self->cg, "pids.current", 96, 20000);
	EXPECT_EQ(96, n);
	TH_LOG("more than 64 tasks %" PRId64 " ms after set --numproc 96:96, 96 after %" PRId64 " ms",
	       took, now_ms() - t0);
	usleep(500 * 1000);

	kill_group(self->bg[1]);
	self->bg[1] = 0;
	peak_stop(&s);
	TH_LOG("%d samples: pids.current peak %" PRIu64 " / %" PRIu64
	       ", numproc held peak %" PRIu64 " / %" PRIu64,
	       s.samples, s.cg_peak[0], s.cg_peak[1], s.held_peak[0], s.held_peak[1]);
	EXPECT_EQ(0, s.errors);
	EXPECT_EQ(64, s.cg_peak[0]);
	EXPECT_EQ(96, s.cg_peak[1]);
	EXPECT_GE(64, s.held_peak[0]);
	EXPECT_GE(96, s.held_peak[1]);

	/* Once nothing forks any more, failcnt is the kernel's own count. */
	prev = UINT64_MAX;
	for (int i = 0; i < 100; i++) {
		events = pids_refused(self->cg, &whole);
		if (events == prev)
			break;
		prev = events;
		usleep(300 * 1000);
	}
	ASSERT_EQ(0, vzbc_field(self->vzfd, CT_A, VZBC_RES_NUMPROC, VZBC_FAILCNT, &failcnt));
	if (whole) {
		EXPECT_EQ(events, failcnt);
	} else {
		EXPECT_LE(events, failcnt);
	}
	ASSERT_EQ(0, vzbc_field(self->vzfd, CT_A, VZBC_RES_NUMPROC, VZBC_MAXHELD, &n));
	EXPECT_LE(s.held_peak[0], n) TH_LOG("maxheld %" PRIu64 " below a held it reported", n);
	EXPECT_LE(s.held_peak[1], n) TH_LOG("maxheld %" PRIu64 " below a held it reported", n);
	ASSERT_EQ(0, ubc_get(CT_A, "numproc", &row));
	EXPECT_EQ(failcnt, row.failcnt);
	EXPECT_EQ(96, row.barrier);
	EXPECT_EQ(96, row.limit);
	TH_LOG("refused forks: pids.events max %" PRIu64 ", failcnt %" PRIu64, events, failcnt);
}

/* This process's own cgroup directory. */
static void own_cgroup(char *buf, size_t len)
{
	char text[512];
	char *p;

	snprintf(buf, len, "%s", CG_ROOT);
	if (slurp("/proc/self/cgroup", text, sizeof(text)) <= 0)
		return;
	p = strstr(text, "0::");
	if (p) {
		p[strcspn(p, "\n")] = '\0';
		snprintf(buf, len, "%s%s", CG_ROOT, p + 3);
	}
}

/* A host process holding 16 MiB; its pid. */
static pid_t bystander(void)
{
	int p[2];
	pid_t pid;
	char c;

	if (pipe(p) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		char *m = malloc(16 * MIB);

		if (!m)
			_exit(1);
		memset(m, 0x5a, 16 * MIB);
		if (write(p[1], "r", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	if (pid < 0 || read(p[0], &c, 1) != 1)
		pid = -1;
	close(p[0]);
	return pid;
}

TEST_F_TIMEOUT(lim, physpages_oom_inside_only, 90)
{
	char own[PATH_MAX], line[64];
	struct peak_sampler s;
	struct vzbc_stat st;
	struct ubc_row row;
	uint64_t own_oom, max_ev, peak;
	pid_t by;
	int rc;

	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "set %d --ram 64M --swap 0", CT_A))
		TH_LOG("%s", self->out);
	/* A barrier of 0 is no barrier: never memory.high = 0. */
	EXPECT_STREQ("max", cg_line(self->cg, "memory.high", line, sizeof(line)));
	EXPECT_EQ(64 * MIB, cg_u64(self->cg, "memory.max"));
	EXPECT_EQ(0, cg_u64(self->cg, "memory.swap.max"));
	ASSERT_EQ(0, vzbc_get_res(self->vzfd, CT_A, VZBC_RES_PHYSPAGES, &st));
	EXPECT_EQ(0, st.barrier);
	EXPECT_EQ(16384, st.limit);

	own_cgroup(own, sizeof(own));
	own_oom = cg_key(own, "memory.events", "oom_kill");
	by = self->bg[0] = bystander();
	ASSERT_LT(0, by);

	ASSERT_EQ(0, peak_start(&s, self->cg, "memory.current", self->vzfd, CT_A,
				VZBC_RES_PHYSPAGES));
	rc = ctlvz_out(self->out, sizeof(self->out),
		       "exec %d dd if=/dev/zero of=/dev/null bs=256M count=1", CT_A);
	peak_stop(&s);
	TH_LOG("dd exit %d; %d samples: memory.current peak %" PRIu64
	       " bytes, physpages held peak %" PRIu64, rc, s.samples, s.cg_peak[0],
	       s.held_peak[0]);
	EXPECT_EQ(128 + SIGKILL, rc) TH_LOG("%s", self->out);
	EXPECT_EQ(0, s.errors);
	/*
	 * No upper bound on memory.current or memory.peak: the kernel
	 * force-charges a task it is killing past memory.max.  What it does
	 * promise: the watermark is above every usage it showed, and hitting
	 * the limit is counted (memory.events below).
	 */
	peak = cg_u64(self->cg, "memory.peak");
	EXPECT_LE(s.cg_peak[0], peak);
	EXPECT_LT(60 * MIB, peak);	/* it did fill the container */

	/* Killed inside the container; the host and the container's init live on. */
	EXPECT_LE(1, cg_key(self->cg, "memory.events", "oom_kill"));
	EXPECT_EQ(own_oom, cg_key(own, "memory.events", "oom_kill")) TH_LOG("cgroup %s", own);
	EXPECT_EQ(0, waitpid(by, NULL, WNOHANG));
	EXPECT_EQ(0, kill(by, 0));
	EXPECT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "status %d", CT_A));
	EXPECT_NE(NULL, strstr(self->out, "running")) TH_LOG("%s", self->out);
	EXPECT_EQ(0, ctlvz_run("exec %d true", CT_A));

	/* failcnt is memory.events max, in the module and in /proc. */
	max_ev = cg_key(self->cg, "memory.events", "max");
	ASSERT_EQ(0, vzbc_get_res(self->vzfd, CT_A, VZBC_RES_PHYSPAGES, &st));
	EXPECT_LT(0, st.failcnt);
	EXPECT_EQ(max_ev, st.failcnt);
	/* maxheld: the kernel's watermark, and never below a held it reported. */
	EXPECT_LE(peak / PAGE, st.maxheld);
	EXPECT_LE(s.held_peak[0], st.maxheld);
	EXPECT_LE(st.held, st.maxheld);
	ASSERT_EQ(0, ubc_get(CT_A, "physpages", &row));
	EXPECT_EQ(max_ev, row.failcnt);
	EXPECT_EQ(0, row.barrier);
	EXPECT_EQ(16384, row.limit);
	TH_LOG("physpages maxheld %" PRIu64 " failcnt %" PRIu64 " (memory.events max %" PRIu64
	       ", memory.peak %" PRIu64 " bytes)", st.maxheld, st.failcnt, max_ev, peak);
}

/*
 * Only CPU time counts: wall time is taken around the usage reads.  Also
 * how many periods the kernel throttled the group meanwhile (cpu.stat
 * nr_throttled), the count it keeps whenever the quota ran out.
 */
static double cpu_pct(const char *cg, int seconds, uint64_t *throttled)
{
	uint64_t u0, u1, n0, n1;
	int64_t t0, t1;

	t0 = now_ms();
	u0 = cg_key(cg, "cpu.stat", "usage_usec");
	n0 = cg_key(cg, "cpu.stat", "nr_throttled");
	sleep(seconds);
	u1 = cg_key(cg, "cpu.stat", "usage_usec");
	n1 = cg_key(cg, "cpu.stat", "nr_throttled");
	t1 = now_ms();
	*throttled = n1 - n0;
	return (double)(u1 - u0) / ((t1 - t0) * 10.0);
}

static int nr_cpus_online(void)
{
	return (int)sysconf(_SC_NPROCESSORS_ONLN);
}

TEST_F_TIMEOUT(lim, cpulimit_busy_loop, 90)
{
	char out[PATH_MAX], line[64];
	uint64_t throttled;
	double pct;

	snprintf(out, sizeof(out), "%s/busy.out", self->env.dir);
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "set %d --cpulimit 25", CT_A))
		TH_LOG("%s", self->out);
	EXPECT_STREQ("25000 100000", cg_line(self->cg, "cpu.max", line, sizeof(line)));
	self->bg[0] = ctlvz_bg(out, "exec %d sh -c 'while :; do :; done'", CT_A);
	ASSERT_LT(0, self->bg[0]);
	sleep(1);
	/*
	 * The kernel promises the ceiling (a quota per period), not that a
	 * loop on a VM of a busy host reaches it: above the ceiling fails,
	 * below it the throttle count shows the quota did run out.
	 */
	pct = cpu_pct(self->cg, 5, &throttled);
	TH_LOG("--cpulimit 25, one busy loop: %.1f%% of one CPU over 5 s, throttled %" PRIu64
	       " times", pct, throttled);
	EXPECT_LT(0.0, pct);
	EXPECT_GE(30.0, pct);
	EXPECT_LT(0, throttled);

	/* --cpus 1: two loops on two CPUs get one CPU's worth. */
	if (nr_cpus_online() < 2)
		SKIP(return, "one CPU: --cpus 1 cannot be told from no limit");
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "set %d --cpulimit 0 --cpus 1",
			       CT_A)) TH_LOG("%s", self->out);
	EXPECT_STREQ("100000 100000", cg_line(self->cg, "cpu.max", line, sizeof(line)));
	self->bg[1] = ctlvz_bg(out, "exec %d sh -c 'while :; do :; done'", CT_A);
	ASSERT_LT(0, self->bg[1]);
	sleep(1);
	pct = cpu_pct(self->cg, 5, &throttled);
	TH_LOG("--cpus 1, two busy loops: %.1f%% of one CPU over 5 s, throttled %" PRIu64
	       " times", pct, throttled);
	EXPECT_LT(0.0, pct);
	EXPECT_GE(115.0, pct);

	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "set %d --cpuunits 2000", CT_A))
		TH_LOG("%s", self->out);
	EXPECT_STREQ("200", cg_line(self->cg, "cpu.weight", line, sizeof(line)));
	EXPECT_STREQ("100000 100000", cg_line(self->cg, "cpu.max", line, sizeof(line)));
}

/* @v within [min(a, b) - tol, max(a, b) + tol]. */
static bool between(uint64_t v, uint64_t a, uint64_t b, uint64_t tol)
{
	uint64_t lo = a < b ? a : b, hi = a < b ? b : a;

	return v + tol >= lo && v <= hi + tol;
}

struct kernel_view {
	uint64_t pids, mem, peak, mem_max_ev, swap, swap_max_ev;
};

static void kernel_view(const char *cg, struct kernel_view *k)
{
	k->pids = cg_u64(cg, "pids.current");
	k->mem = cg_u64(cg, "memory.current") / PAGE;
	k->peak = cg_u64(cg, "memory.peak") / PAGE;
	k->mem_max_ev = cg_key(cg, "memory.events", "max");
	k->swap = cg_u64(cg, "memory.swap.current") / PAGE;
	k->swap_max_ev = cg_key(cg, "memory.swap.events", "max");
}

TEST_F_TIMEOUT(lim, ubc_equals_kernel_files, 90)
{
	char line[256], expect[256];
	struct kernel_view a, b;
	struct ubc_row np, pp, sp, ib, io;
	struct stat dst;

	ASSERT_EQ(0, stat(test_disk(), &dst));
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out),
			       "set %d --numproc 100:120 --physpages 8000:20000 --swappages 0:1000 "
			       "--iolimit 8M --iopslimit 300 --iodevice %s", CT_A, test_disk()))
		TH_LOG("%s", self->out);
	/* Some tasks and some memory. */
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out),
			       "exec %d sh -c 'for i in 1 2 3 4 5; do sleep 1000 >/dev/null 2>&1 & done; "
			       "dd if=/dev/zero of=/tmp/fill bs=1M count=8 2>/dev/null'", CT_A))
		TH_LOG("%s", self->out);

	for (int round = 0; round < 3; round++) {
		kernel_view(self->cg, &a);
		ASSERT_EQ(0, ubc_get(CT_A, "numproc", &np));
		ASSERT_EQ(0, ubc_get(CT_A, "physpages", &pp));
		ASSERT_EQ(0, ubc_get(CT_A, "swappages", &sp));
		kernel_view(self->cg, &b);
		TH_LOG("numproc %" PRIu64 " (pids.current %" PRIu64 "), physpages %" PRIu64 "/%"
		       PRIu64 " (memory.current %" PRIu64 ", peak %" PRIu64 "), failcnt %" PRIu64
		       ", swappages %" PRIu64, np.held, a.pids, pp.held, pp.maxheld, a.mem,
		       a.peak, pp.failcnt, sp.held);
		EXPECT_TRUE(between(np.held, a.pids, b.pids, 1));
		EXPECT_TRUE(between(pp.held, a.mem, b.mem, 1));
		EXPECT_TRUE(between(pp.maxheld, a.peak, b.peak, 1));
		EXPECT_EQ(a.mem_max_ev, pp.failcnt);
		EXPECT_TRUE(between(sp.held, a.swap, b.swap, 1));
		EXPECT_TRUE(between(sp.maxheld, sp.held, UINT64_MAX / 2, 0));
		EXPECT_EQ(a.swap_max_ev, sp.failcnt);
		EXPECT_LE(5 + 1, np.held);	/* init + the sleeps */
		EXPECT_LE(2048, pp.held);	/* 8 MiB of tmpfs at least */
		usleep(300 * 1000);
	}

	/* Barrier and limit: what was set, in pages for memory. */
	ASSERT_EQ(0, ubc_get(CT_A, "iobytes", &ib));
	ASSERT_EQ(0, ubc_get(CT_A, "iops", &io));
	EXPECT_EQ(100, np.barrier);
	EXPECT_EQ(120, np.limit);
	EXPECT_EQ(8000, pp.barrier);
	EXPECT_EQ(20000, pp.limit);
	EXPECT_EQ(0, sp.barrier);
	EXPECT_EQ(1000, sp.limit);
	EXPECT_EQ(8 * MIB, ib.barrier);
	EXPECT_EQ(8 * MIB, ib.limit);
	EXPECT_EQ(300, io.barrier);
	EXPECT_EQ(300, io.limit);
	/* And the cgroup files that enforce them. */
	EXPECT_STREQ("120", cg_line(self->cg, "pids.max", line, sizeof(line)));
	EXPECT_EQ(8000 * PAGE, cg_u64(self->cg, "memory.high"));
	EXPECT_EQ(20000 * PAGE, cg_u64(self->cg, "memory.max"));
	EXPECT_EQ(1000 * PAGE, cg_u64(self->cg, "memory.swap.max"));
	snprintf(expect, sizeof(expect), "%u:%u rbps=%llu wbps=%llu riops=300 wiops=300",
		 major(dst.st_rdev), minor(dst.st_rdev), 8 * MIB, 8 * MIB);
	EXPECT_STREQ(expect, cg_line(self->cg, "io.max", line, sizeof(line)));
}

/* ---- bad input changes nothing ---- */

struct snapshot {
	char files[7][256];
	struct vzbc_stat stats[VZBC_NR_RES + 1];
	uint32_t nr_stats;
	char conf[4096];
};

static const char *const snap_files[7] = {
	"pids.max", "memory.max", "memory.high", "memory.swap.max", "io.max", "cpu.max",
	"cpu.weight",
};

static void take_snapshot(int vzfd, unsigned int ctid, const char *cg, const char *conf,
			  struct snapshot *s)
{
	memset(s, 0, sizeof(*s));
	for (int i = 0; i < 7; i++)
		if (cg_read(cg, snap_files[i], s->files[i], sizeof(s->files[i])) < 0)
			snprintf(s->files[i], sizeof(s->files[i]), "(none)");
	s->nr_stats = ARRAY_SIZE(s->stats);
	if (vzbc_get(vzfd, ctid, s->stats, &s->nr_stats) < 0)
		s->nr_stats = 0;
	for (uint32_t i = 0; i < s->nr_stats; i++) {
		/* Only what SET changes: barrier and limit. */
		struct vzbc_stat *st = &s->stats[i];

		st->held = st->maxheld = st->minheld = st->failcnt = 0;
		st->flags = 0;
	}
	slurp(conf, s->conf, sizeof(s->conf));
}

static bool same_snapshot(struct __test_metadata *_metadata, const struct snapshot *a,
			  const struct snapshot *b, const char *what)
{
	bool same = true;

	for (int i = 0; i < 7; i++)
		if (strcmp(a->files[i], b->files[i])) {
			TH_LOG("%s: %s changed: \"%s\" -> \"%s\"", what, snap_files[i],
			       a->files[i], b->files[i]);
			same = false;
		}
	if (a->nr_stats != b->nr_stats ||
	    memcmp(a->stats, b->stats, a->nr_stats * sizeof(a->stats[0]))) {
		TH_LOG("%s: the beancounter's barrier/limit changed", what);
		same = false;
	}
	if (strcmp(a->conf, b->conf)) {
		TH_LOG("%s: the config changed:\n%s\n--- now:\n%s", what, a->conf, b->conf);
		same = false;
	}
	return same;
}

TEST_F_TIMEOUT(lim, bad_values_change_nothing, 120)
{
	static const struct {
		const char *args;
		const char *says;	/* part of the message */
	} bad[] = {
		{ "--numproc 65:64", "the barrier is above the limit" },
		{ "--physpages 20000:10000", "the barrier is above the limit" },
		{ "--swappages unlimited:100", "the barrier is above the limit" },
		{ "--numproc 0", "a limit of 0" },
		{ "--numproc 0:0", "a limit of 0" },
		{ "--ram 0", "a limit of 0" },
		{ "--physpages 0:0", "a limit of 0" },
		{ "--cpuunits 0", "too small" },
		{ "--cpuunits 7", "too small" },
		{ "--numproc 99999999999999999999", "too large" },
		{ "--numproc 2147483648", "too large" },
		{ "--ram 17179869184G", "too large" },
		{ "--physpages 0:18446744073709551615", "too large" },
		{ "--iolimit 18446744073709551615", "too large" },
		{ "--cpulimit 100001", "too large" },
		{ "--cpus 4097", "too large" },
		{ "--ram 64Q", "the suffix must be" },
		{ "--ram 64MB", "the suffix must be" },
		{ "--iolimit 4T", "the suffix must be K, M or G" },
		{ "--numproc 64x", "not a number" },
		{ "--numproc -1", "not a number" },
		{ "--numproc ''", "not a number" },
		{ "--numproc 64:", "not a number" },
		{ "--numproc ' 64'", "not a number" },
		{ "--iolimit 4M:8M", "takes one value" },
		{ "--ram 0:64M", "takes one size" },
		{ "--cpulimit 25%%", "not a number" },
		{ "--iolimit 4M --iodevice /dev/nonexistent", "/dev/nonexistent" },
		{ "--iolimit 4M --iodevice /dev/null", "not a block device" },
		{ "--iolimit 4M --iodevice 4095:4095", "4095:4095" },
		/* A good value first, a bad one after: still nothing. */
		{ "--numproc 70:70 --ram 64Q", "the suffix must be" },
		{ "--numproc 70:70 --cpulimit 30 --iolimit 4M --iodevice /dev/nonexistent",
		  "/dev/nonexistent" },
	};
	struct snapshot before, after;
	char what[256];

	/* Limits in place, saved, so that "unchanged" covers real values. */
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out),
			       "set %d --numproc 50:60 --ram 48M --swap 8M --iolimit 4M "
			       "--iopslimit 200 --iodevice %s --cpulimit 50 --cpuunits 500 --save",
			       CT_A, test_disk())) TH_LOG("%s", self->out);
	take_snapshot(self->vzfd, CT_A, self->cg, self->conf, &before);
	ASSERT_NE(NULL, strstr(before.conf, "NUMPROC=\"50:60\"")) TH_LOG("%s", before.conf);

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		for (int save = 0; save < 2; save++) {
			int rc = ctlvz_out(self->out, sizeof(self->out), "set %d %s%s", CT_A,
					   bad[i].args, save ? " --save" : "");

			snprintf(what, sizeof(what), "set %s%s", bad[i].args,
				 save ? " --save" : "");
			EXPECT_EQ(VZ_INVALID_PARAMETER_VALUE, rc) TH_LOG("%s: %s", what, self->out);
			EXPECT_NE(NULL, strstr(self->out, bad[i].says))
				TH_LOG("%s: \"%s\" not in: %s", what, bad[i].says, self->out);
			EXPECT_EQ(0, strncmp(self->out, "ctlvz: set 7401", 15))
				TH_LOG("%s: %s", what, self->out);
			take_snapshot(self->vzfd, CT_A, self->cg, self->conf, &after);
			EXPECT_TRUE(same_snapshot(_metadata, &before, &after, what));
		}
	}
}

TEST_F_TIMEOUT(lim, io_limits_need_a_disk, 60)
{
	struct snapshot before, after;

	/* The private area is on /tmp (tmpfs): no disk to limit by default. */
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "set %d --numproc 80 --save", CT_A))
		TH_LOG("%s", self->out);
	take_snapshot(self->vzfd, CT_A, self->cg, self->conf, &before);
	for (int i = 0; i < 4; i++) {
		static const char *const args[] = {
			"--iolimit 4M", "--iopslimit 100 --save", "--numproc 90 --iolimit 4M --save",
			"--iolimit 4M --iopslimit 100",
		};
		int rc = ctlvz_out(self->out, sizeof(self->out), "set %d %s", CT_A, args[i]);

		EXPECT_EQ(VZ_INVALID_PARAMETER_VALUE, rc) TH_LOG("%s", self->out);
		EXPECT_NE(NULL, strstr(self->out, "is not on a block device"))
			TH_LOG("%s", self->out);
		EXPECT_NE(NULL, strstr(self->out, "--iodevice")) TH_LOG("%s", self->out);
		take_snapshot(self->vzfd, CT_A, self->cg, self->conf, &after);
		EXPECT_TRUE(same_snapshot(_metadata, &before, &after, args[i]));
	}
	/* Stopped, --save alone would store a limit that no start can apply. */
	ASSERT_EQ(0, ctlvz_run("stop %d --fast", CT_A));
	slurp(self->conf, before.conf, sizeof(before.conf));
	EXPECT_EQ(VZ_INVALID_PARAMETER_VALUE,
		  ctlvz_out(self->out, sizeof(self->out), "set %d --iolimit 4M --save", CT_A))
		TH_LOG("%s", self->out);
	slurp(self->conf, after.conf, sizeof(after.conf));
	EXPECT_STREQ(before.conf, after.conf);
	EXPECT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "start %d", CT_A))
		TH_LOG("%s", self->out);
}

TEST_F_TIMEOUT(lim, saved_limits_hold_from_start, 90)
{
	char cg[PATH_MAX], conf[PATH_MAX], text[4096], line[64];
	struct vzbc_stat st;
	struct ubc_row row;

	ct_cg(cg, sizeof(cg), CT_B);
	snprintf(conf, sizeof(conf), "%s/conf/%d.conf", self->env.dir, CT_B);
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "create %d --ostemplate busybox",
			       CT_B)) TH_LOG("%s", self->out);
	/* Stopped: only with --save. */
	EXPECT_NE(0, ctlvz_out(self->out, sizeof(self->out), "set %d --numproc 64:64", CT_B));
	EXPECT_NE(NULL, strstr(self->out, "--save")) TH_LOG("%s", self->out);
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out),
			       "set %d --numproc 64:64 --ram 64M --swap 0 --cpulimit 50 "
			       "--cpuunits 500 --save", CT_B)) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "Saved parameters for container 7402"));
	ASSERT_LT(0, slurp(conf, text, sizeof(text)));
	EXPECT_NE(NULL, strstr(text, "\nNUMPROC=\"64:64\"\n")) TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "\nPHYSPAGES=\"0:16384\"\n")) TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "\nSWAPPAGES=\"0:0\"\n")) TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "\nCPULIMIT=\"50\"\n")) TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "\nCPUUNITS=\"500\"\n")) TH_LOG("%s", text);
	EXPECT_EQ(NULL, strstr(text, "IOLIMIT")) TH_LOG("%s", text);
	EXPECT_EQ(-ENOENT, access(cg, F_OK) < 0 ? -errno : 0);

	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "start %d", CT_B))
		TH_LOG("%s", self->out);
	/* Right after start (ctlvz applies them before init runs). */
	EXPECT_STREQ("64", cg_line(cg, "pids.max", line, sizeof(line)));
	EXPECT_EQ(64 * MIB, cg_u64(cg, "memory.max"));
	EXPECT_STREQ("max", cg_line(cg, "memory.high", line, sizeof(line)));
	EXPECT_EQ(0, cg_u64(cg, "memory.swap.max"));
	EXPECT_STREQ("50000 100000", cg_line(cg, "cpu.max", line, sizeof(line)));
	EXPECT_STREQ("50", cg_line(cg, "cpu.weight", line, sizeof(line)));
	ASSERT_EQ(0, vzbc_get_res(self->vzfd, CT_B, VZBC_RES_NUMPROC, &st));
	EXPECT_EQ(64, st.barrier);
	EXPECT_EQ(64, st.limit);
	ASSERT_EQ(0, ubc_get(CT_B, "physpages", &row));
	EXPECT_EQ(0, row.barrier);
	EXPECT_EQ(16384, row.limit);
	EXPECT_EQ(0, ctlvz_run("exec %d true", CT_B));
	/* A bad --save on the running container changes neither. */
	EXPECT_EQ(VZ_INVALID_PARAMETER_VALUE,
		  ctlvz_out(self->out, sizeof(self->out), "set %d --numproc 10:5 --save", CT_B));
	EXPECT_STREQ("64", cg_line(cg, "pids.max", line, sizeof(line)));
	ASSERT_LT(0, slurp(conf, self->out, sizeof(self->out)));
	EXPECT_STREQ(text, self->out);
	EXPECT_EQ(0, ctlvz_run("stop %d --fast", CT_B));
}

TEST_F_TIMEOUT(lim, list_nproc_and_monitor_errors, 60)
{
	static const struct {
		const char *args;
		int rc;
	} bad[] = {
		{ "monitor 0", VZ_INVALID_PARAMETER_VALUE },
		{ "monitor 2147483645", VZ_INVALID_PARAMETER_VALUE },
		{ "monitor 99999999999", VZ_INVALID_PARAMETER_VALUE },
		{ "monitor abc", VZ_INVALID_PARAMETER_SYNTAX },
		{ "monitor -- -5", VZ_INVALID_PARAMETER_SYNTAX },
		{ "monitor 7401 7402", VZ_INVALID_PARAMETER_SYNTAX },
		{ "monitor -n 0", VZ_INVALID_PARAMETER_SYNTAX },
		{ "monitor -n x 7401", VZ_INVALID_PARAMETER_SYNTAX },
		{ "monitor --bogus", VZ_INVALID_PARAMETER_SYNTAX },
	};
	uint64_t before, after;
	unsigned int ctid;
	long nproc;

	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out),
			       "exec %d sh -c 'for i in 1 2 3 4 5 6 7; do sleep 1000 >/dev/null 2>&1 & done'", CT_A))
		TH_LOG("%s", self->out);
	for (int round = 0; round < 3; round++) {
		before = cg_u64(self->cg, "pids.current");
		ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "list -H -o ctid,numproc"))
			TH_LOG("%s", self->out);
		after = cg_u64(self->cg, "pids.current");
		ASSERT_EQ(2, sscanf(self->out, "%u %ld", &ctid, &nproc)) TH_LOG("%s", self->out);
		EXPECT_EQ(CT_A, ctid);
		EXPECT_EQ(before, after);
		EXPECT_EQ((long)before, nproc) TH_LOG("list: %s", self->out);
		EXPECT_EQ(8, nproc);	/* init and the seven sleeps */
	}
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "list -j"));
	EXPECT_NE(NULL, strstr(self->out, "\"numproc\": 8,")) TH_LOG("%s", self->out);

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		int rc = ctlvz_out(self->out, sizeof(self->out), "%s", bad[i].args);

		EXPECT_EQ(bad[i].rc, rc) TH_LOG("%s: %s", bad[i].args, self->out);
		EXPECT_EQ(0, strncmp(self->out, "ctlvz: ", 7)) TH_LOG("%s: %s", bad[i].args,
								    self->out);
		EXPECT_EQ(NULL, strchr(self->out, '{')) TH_LOG("%s", self->out);
	}
}

/* ---- swap: a swap file on the scratch disk ---- */

FIXTURE(swap) {
	struct ctlvz_env env;
	char cg[PATH_MAX];
	char file[PATH_MAX];
	char out[8192];
	int vzfd;
	bool mounted, swapon;
};

FIXTURE_SETUP(swap)
{
	static char zero[1 << 20];
	int fd;

	memset(&self->env, 0, sizeof(self->env));
	self->vzfd = vzbc_open();
	ASSERT_LE(0, self->vzfd);
	snprintf(self->file, sizeof(self->file), "%s/swapfile", MNT);
	swapoff(self->file);
	umount2(MNT, MNT_DETACH);
	ASSERT_EQ(0, shell("mke2fs -q -b 4096 %s >/dev/null 2>&1", test_disk()));
	mkdir(MNT, 0755);
	ASSERT_EQ(0, mount(test_disk(), MNT, "ext2", 0, NULL)) TH_LOG("mount: %s", strerror(errno));
	self->mounted = true;
	fd = open(self->file, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ASSERT_LE(0, fd);
	for (int i = 0; i < 64; i++)
		ASSERT_EQ((ssize_t)sizeof(zero), write(fd, zero, sizeof(zero)));
	ASSERT_EQ(0, fsync(fd));
	close(fd);
	ASSERT_EQ(0, shell("mkswap %s >/dev/null 2>&1", self->file));
	ASSERT_EQ(0, ctlvz_env_init(&self->env, 3));
	ct_cg(self->cg, sizeof(self->cg), CT_SWAP);
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out),
			       "create %d --ostemplate busybox", CT_SWAP)) TH_LOG("%s", self->out);
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "start %d", CT_SWAP))
		TH_LOG("%s", self->out);
}

FIXTURE_TEARDOWN(swap)
{
	ctlvz_env_fini(&self->env);
	if (self->swapon)
		swapoff(self->file);
	if (self->mounted)
		umount2(MNT, MNT_DETACH);
	if (self->vzfd >= 0)
		close(self->vzfd);
}

TEST_F_TIMEOUT(swap, swappages_hold, 120)
{
	struct peak_sampler s;
	struct vzbc_stat st, pst;
	struct ubc_row row;
	char line[64];
	uint64_t ev;
	int rc;

	if (swapon(self->file, 0) < 0) {
		/* swapon(2): ENOSYS without CONFIG_SWAP; EINVAL where the file
		 * system cannot map the file's blocks. */
		if (errno == ENOSYS || errno == EINVAL)
			SKIP(return, "swapon of a swap file on ext2: %s", strerror(errno));
		ASSERT_EQ(0, -errno) TH_LOG("swapon %s: %s", self->file, strerror(errno));
	}
	self->swapon = true;
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "set %d --ram 32M --swap 16M",
			       CT_SWAP)) TH_LOG("%s", self->out);
	EXPECT_EQ(32 * MIB, cg_u64(self->cg, "memory.max"));
	EXPECT_EQ(16 * MIB, cg_u64(self->cg, "memory.swap.max"));
	EXPECT_STREQ("max", cg_line(self->cg, "memory.high", line, sizeof(line)));
	ASSERT_EQ(0, vzbc_get_res(self->vzfd, CT_SWAP, VZBC_RES_SWAPPAGES, &st));
	EXPECT_EQ(0, st.barrier);
	EXPECT_EQ(4096, st.limit);

	ASSERT_EQ(0, peak_start(&s, self->cg, "memory.swap.current", self->vzfd, CT_SWAP,
				VZBC_RES_SWAPPAGES));
	/*
	 * 96 MiB that are not zeros: 6.12 frees all-zero anonymous memory
	 * without swapping it (underused THPs split onto the zero page, zero
	 * pages swapped to a bitmap), so dd from /dev/zero would fit.  awk
	 * doubles "abc" 25 times: 3 << 25 bytes.
	 */
	rc = ctlvz_out(self->out, sizeof(self->out),
		       "exec %d awk 'BEGIN { s = \"abc\"; while (length(s) < 100663296) "
		       "s = s s; print length(s) }'", CT_SWAP);
	peak_stop(&s);
	TH_LOG("awk exit %d; %d samples: memory.swap.current peak %" PRIu64
	       " bytes, swappages held peak %" PRIu64, rc, s.samples, s.cg_peak[0],
	       s.held_peak[0]);
	EXPECT_EQ(128 + SIGKILL, rc) TH_LOG("%s", self->out);
	EXPECT_EQ(0, s.errors);
	EXPECT_GE(16 * MIB, s.cg_peak[0]);
	EXPECT_GE(4096, s.held_peak[0]);
	EXPECT_LE(1, cg_key(self->cg, "memory.events", "oom_kill"));

	ev = cg_key(self->cg, "memory.swap.events", "max");
	ASSERT_EQ(0, vzbc_get_res(self->vzfd, CT_SWAP, VZBC_RES_SWAPPAGES, &st));
	ASSERT_EQ(0, vzbc_get_res(self->vzfd, CT_SWAP, VZBC_RES_PHYSPAGES, &pst));
	TH_LOG("swappages maxheld %" PRIu64 " failcnt %" PRIu64 " (memory.swap.events max %"
	       PRIu64 "), physpages maxheld %" PRIu64 " failcnt %" PRIu64, st.maxheld,
	       st.failcnt, ev, pst.maxheld, pst.failcnt);
	EXPECT_LT(0, st.maxheld);		/* swap was used... */
	EXPECT_GE(4096, st.maxheld);		/* ...up to its limit */
	EXPECT_LT(2048, st.maxheld);		/* it was filled */
	/*
	 * No "failcnt > 0": memory.swap.events max counts swap charges that
	 * failed, and reclaim stops trying to swap once the cgroup's swap is
	 * (nearly) full, so the OOM kill may come with none (seen: peak 4079
	 * of 4096 pages, max 0).  What the kernel does promise: the module's
	 * failcnt is its counter.
	 */
	EXPECT_EQ(ev, st.failcnt);
	EXPECT_LE(s.held_peak[0], st.maxheld);	/* never below a held it reported */
	EXPECT_LE(st.held, st.maxheld);
	/* RAM hit its limit; no bound on it: a dying task is charged past it. */
	EXPECT_LT(0, pst.failcnt);
	EXPECT_LE(pst.held, pst.maxheld);
	ASSERT_EQ(0, ubc_get(CT_SWAP, "swappages", &row));
	EXPECT_EQ(ev, row.failcnt);
	EXPECT_EQ(4096, row.limit);
	EXPECT_EQ(0, ctlvz_run("exec %d true", CT_SWAP));
}

/* ---- IO: the private area on ext2 on the scratch disk ---- */

FIXTURE(io) {
	struct ctlvz_env env;
	char cg[PATH_MAX];
	char iostat[PATH_MAX];
	char devnum[32];
	char out[8192];
	int vzfd;
	bool mounted;
};

FIXTURE_SETUP(io)
{
	struct stat st;
	FILE *f;

	memset(&self->env, 0, sizeof(self->env));
	self->vzfd = vzbc_open();
	ASSERT_LE(0, self->vzfd);
	ASSERT_EQ(0, stat(test_disk(), &st)) TH_LOG("no scratch disk %s", test_disk());
	ASSERT_TRUE(S_ISBLK(st.st_mode));
	snprintf(self->devnum, sizeof(self->devnum), "%u:%u", major(st.st_rdev),
		 minor(st.st_rdev));
	umount2(MNT, MNT_DETACH);
	ASSERT_EQ(0, shell("mke2fs -q -b 4096 %s >/dev/null 2>&1", test_disk()));
	mkdir(MNT, 0755);
	ASSERT_EQ(0, mount(test_disk(), MNT, "ext2", 0, NULL)) TH_LOG("mount: %s", strerror(errno));
	self->mounted = true;
	ASSERT_EQ(0, ctlvz_env_init(&self->env, 3));
	/* Private areas on the disk: the default IO target, and pivot_root on ext2. */
	f = fopen(self->env.conf, "a");
	ASSERT_NE(NULL, f);
	fprintf(f, "VE_PRIVATE=\"%s/$VEID\"\n", MNT);
	fclose(f);
	ct_cg(self->cg, sizeof(self->cg), CT_IO);
	snprintf(self->iostat, sizeof(self->iostat), "/proc/bc/%d/iostat", CT_IO);
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out),
			       "create %d --ostemplate busybox", CT_IO)) TH_LOG("%s", self->out);
	ASSERT_EQ(0, access(MNT "/7420/bin/busybox", F_OK));
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "start %d", CT_IO))
		TH_LOG("%s", self->out);
	sync();
}

FIXTURE_TEARDOWN(io)
{
	ctlvz_env_fini(&self->env);
	if (self->mounted)
		umount2(MNT, MNT_DETACH);
	if (self->vzfd >= 0)
		close(self->vzfd);
}

/* A time series of the container's IO, every 100 ms. */
#define IO_SAMPLES 1024

struct io_sample {
	int64_t t;		/* ms since the sampler started */
	int64_t late_us;	/* how late its 100 ms sleep ended */
	uint64_t held;		/* iobytes or iops held */
	uint64_t written;	/* /proc/bc/<ctid>/iostat write_bytes */
	uint64_t wb;		/* memory.stat file_writeback */
};

struct io_sampler {
	pthread_t th;
	volatile int stop;
	int vzfd;
	uint32_t ctid, res;
	const char *cg, *iostat;
	int64_t t0;
	int nr;
	struct io_sample s[IO_SAMPLES];
};

static uint64_t text_key(const char *path, const char *key)
{
	char text[4096], *p;
	size_t kl = strlen(key);

	if (slurp(path, text, sizeof(text)) <= 0)
		return 0;
	for (p = text; p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, key, kl) && p[kl] == ' ')
			return strtoull(p + kl + 1, NULL, 10);
	return 0;
}

static void *io_main(void *arg)
{
	struct io_sampler *s = arg;

	while (!s->stop && s->nr < IO_SAMPLES) {
		struct io_sample *x = &s->s[s->nr];

		x->t = now_ms() - s->t0;
		vzbc_field(s->vzfd, s->ctid, s->res, VZBC_HELD, &x->held);
		x->written = text_key(s->iostat, "write_bytes");
		x->wb = cg_key(s->cg, "memory.stat", "file_writeback");
		s->nr++;
		x->late_us = now_us();
		usleep(100 * 1000);
		x->late_us = now_us() - x->late_us - 100 * 1000;
	}
	return NULL;
}

static int io_start(struct io_sampler *s, int vzfd, uint32_t ctid, uint32_t res,
		    const char *cg, const char *iostat)
{
	memset(s, 0, sizeof(*s));
	s->vzfd = vzfd;
	s->ctid = ctid;
	s->res = res;
	s->cg = cg;
	s->iostat = iostat;
	s->t0 = now_ms();
	return pthread_create(&s->th, NULL, io_main, s);
}

static void io_stop(struct io_sampler *s)
{
	s->stop = 1;
	pthread_join(s->th, NULL);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * How long the VM stood still between @from and @to (ms on the sampler's
 * clock): the sum of how late the sampler's 100 ms sleeps ended.  Under
 * TCG on a busy host the VM's vCPUs are sometimes not run for 50-200 ms.
 * blk-throttle gives no credit for time a writer with one IO in flight
 * (dd) could not use, beyond its 100 ms slice, so a throttled run takes
 * that much longer than the limit says; a quiet VM stalls for ~0 ms.
 */
static int64_t stalled_ms(const struct io_sampler *s, int64_t from, int64_t to)
{
	int64_t sum = 0;

	for (int i = 0; i < s->nr; i++)
		if (s->s[i].t >= from && s->s[i].t <= to && s->s[i].late_us > 0)
			sum += s->s[i].late_us;
	return sum / 1000;
}

/* The distinct values of held in [from, to], for the log. */
static void held_series(const struct io_sampler *s, int64_t from, int64_t to,
			uint64_t div, char *buf, size_t len)
{
	uint64_t last = UINT64_MAX;
	size_t n = 0;

	buf[0] = '\0';
	for (int i = 0; i < s->nr && n < len - 24; i++)
		if (s->s[i].t >= from && s->s[i].t <= to && s->s[i].held != last) {
			last = s->s[i].held;
			n += snprintf(buf + n, len - n, " %" PRIu64, last / div);
		}
}

/* Median of held over samples in [from, to] ms; 0 if none. */
static uint64_t held_median(const struct io_sampler *s, int64_t from, int64_t to, int *n)
{
	uint64_t v[IO_SAMPLES];

	*n = 0;
	for (int i = 0; i < s->nr; i++)
		if (s->s[i].t >= from && s->s[i].t <= to)
			v[(*n)++] = s->s[i].held;
	if (!*n)
		return 0;
	qsort(v, *n, sizeof(v[0]), cmp_u64);
	return v[*n / 2];
}

/* The largest held over all samples. */
static uint64_t held_max(const struct io_sampler *s)
{
	uint64_t m = 0;

	for (int i = 0; i < s->nr; i++)
		if (s->s[i].held > m)
			m = s->s[i].held;
	return m;
}

static bool within_pct(double v, double want, double pct)
{
	return v >= want * (1 - pct / 100) && v <= want * (1 + pct / 100);
}

/* Kernel's io.stat wbytes of the container's cgroup, all devices. */
static uint64_t io_stat_wbytes(const char *cg)
{
	char text[4096], *p;
	uint64_t sum = 0;

	if (cg_read(cg, "io.stat", text, sizeof(text)) < 0)
		return 0;
	for (p = text; (p = strstr(p, "wbytes=")); p += 7)
		sum += strtoull(p + 7, NULL, 10);
	return sum;
}

struct timed_run {
	int64_t t0, t1;		/* around ctlvz exec, on the sampler's clock */
	int64_t ms;		/* what busybox time says dd took */
	int64_t stall;		/* how long the VM stood still meanwhile */
};

/*
 * "ctlvz exec CT time dd ARGS" with @s sampling @res; 0, or -1 if dd did
 * not write all of its records.
 */
static int timed_dd(FIXTURE_DATA(io) *self, struct io_sampler *s, uint32_t res,
		    const char *args, const char *records, struct timed_run *r)
{
	int rc;

	if (io_start(s, self->vzfd, CT_IO, res, self->cg, self->iostat))
		return -1;
	r->t0 = now_ms() - s->t0;
	rc = ctlvz_out(self->out, sizeof(self->out), "exec %d time dd %s", CT_IO, args);
	r->t1 = now_ms() - s->t0;
	usleep(2500 * 1000);	/* two more ticks */
	io_stop(s);
	r->ms = real_ms(self->out);
	r->stall = stalled_ms(s, r->t0, r->t1);
	return rc == 0 && strstr(self->out, records) && r->ms > 0 ? 0 : -1;
}

/*
 * A throttled run should take 9 to 11 s; the time the VM stood still
 * comes on top (see stalled_ms()).  A host busy enough to starve the VM's
 * IO without stalling the sampler can still push a run out: one more try
 * then, logged; a wrong limit is wrong both times.
 */
static bool run_in_range(struct __test_metadata *_metadata, const struct timed_run *r,
			 int attempt)
{
	if (r->ms >= 9000 && r->ms <= 11000 + r->stall)
		return true;
	TH_LOG("attempt %d: %" PRId64 " ms, the VM stalled %" PRId64 " ms: not in 9000..%"
	       PRId64 " ms%s", attempt, r->ms, r->stall, 11000 + r->stall,
	       attempt == 1 ? "; once more" : "");
	return false;
}

TEST_F_TIMEOUT(io, iolimit_direct, 120)
{
	struct io_sampler *s = calloc(1, sizeof(*s));
	char line[256], expect[256];
	struct vzbc_stat st;
	uint64_t med, w0, k0;
	int64_t t0, t1, ms, free_ms, stall;
	struct timed_run r;
	double rate, run_rate;
	char series[512];
	int n;

	ASSERT_NE(NULL, s);
	/* How fast this machine writes 40 MiB that way with no limit (host side). */
	t0 = now_ms();
	ASSERT_EQ(0, shell("dd if=/dev/zero of=%s/calib bs=64k count=640 oflag=direct "
			   ">/dev/null 2>&1", MNT));
	free_ms = now_ms() - t0;
	unlink(MNT "/calib");
	TH_LOG("unlimited, the same dd takes %" PRId64 " ms", free_ms);
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "set %d --iolimit 4M", CT_IO))
		TH_LOG("%s", self->out);
	/* The disk the private area lives on. */
	snprintf(expect, sizeof(expect), "%s rbps=4194304 wbps=4194304 riops=max wiops=max",
		 self->devnum);
	EXPECT_STREQ(expect, cg_line(self->cg, "io.max", line, sizeof(line)));
	ASSERT_EQ(0, vzbc_get_res(self->vzfd, CT_IO, VZBC_RES_IOBYTES, &st));
	EXPECT_EQ(4 * MIB, st.limit);
	EXPECT_EQ(4 * MIB, st.barrier);
	w0 = text_key(self->iostat, "write_bytes");
	k0 = io_stat_wbytes(self->cg);

	for (int attempt = 1; attempt <= 2; attempt++) {
		ASSERT_EQ(0, timed_dd(self, s, VZBC_RES_IOBYTES,
				      "if=/dev/zero of=/f bs=64k count=640 oflag=direct",
				      "640+0 records out", &r)) TH_LOG("%s", self->out);
		if (run_in_range(_metadata, &r, attempt))
			break;
	}
	ms = r.ms;
	stall = r.stall;
	t0 = r.t0;
	t1 = r.t1;
	rate = 40.0 * MIB * 1000 / ms;
	TH_LOG("40 MiB O_DIRECT under --iolimit 4M: %" PRId64 " ms, %.0f bytes/s; the VM "
	       "stalled %" PRId64 " ms meanwhile", ms, rate, stall);
	EXPECT_LE(9000, ms);
	EXPECT_GE(11000 + stall, ms);

	/* held while it ran (the VM ran), maxheld: the measured rate and the limit. */
	run_rate = 40.0 * MIB * 1000 / (ms - stall > 1000 ? ms - stall : 1000);
	med = held_median(s, t0 + 2000, t1 - 1000, &n);
	held_series(s, t0, t1 + 2500, KIB, series, sizeof(series));
	ASSERT_EQ(0, vzbc_get_res(self->vzfd, CT_IO, VZBC_RES_IOBYTES, &st));
	TH_LOG("iobytes held median %" PRIu64 " over %d samples (%.0f bytes/s while the VM ran), "
	       "maxheld %" PRIu64 ", failcnt %" PRIu64 "; held KiB/s:%s", med, n, run_rate,
	       st.maxheld, st.failcnt, series);
	EXPECT_LT(30, n);
	EXPECT_TRUE(within_pct(med, run_rate, 10));
	/*
	 * At most the limit and one slice's worth: blk-throttle lets a new
	 * slice (100 ms, 10 % of a second) start with its whole allowance.
	 * At least every held the module reported meanwhile (how close to
	 * the limit the VM got is its speed, not a promise).
	 */
	EXPECT_GE(4 * MIB * 11 / 10, st.maxheld);
	EXPECT_LE(held_max(s), st.maxheld);
	EXPECT_LE(5, st.failcnt);	/* seconds throttled */
	EXPECT_GE((uint64_t)ms / 1000 + 3, st.failcnt);
	/* Everything written, counted as the kernel counts it. */
	EXPECT_EQ(io_stat_wbytes(self->cg) - k0, text_key(self->iostat, "write_bytes") - w0);
	EXPECT_LE(40 * MIB, text_key(self->iostat, "write_bytes") - w0);
	free(s);
}

TEST_F_TIMEOUT(io, iolimit_buffered_fsync, 120)
{
	struct io_sampler *s = calloc(1, sizeof(*s));
	int64_t start = -1, done = -1, ms = 0, stall = 0;
	uint64_t w0 = 0, k0 = 0;

	ASSERT_NE(NULL, s);
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "set %d --iolimit 4M", CT_IO))
		TH_LOG("%s", self->out);
	for (int attempt = 1; attempt <= 2; attempt++) {
		struct timed_run r;

		w0 = text_key(self->iostat, "write_bytes");
		k0 = io_stat_wbytes(self->cg);
		ASSERT_EQ(0, timed_dd(self, s, VZBC_RES_IOBYTES,
				      "if=/dev/zero of=/f bs=64k count=640 conv=fsync",
				      "640+0 records out", &r)) TH_LOG("%s", self->out);
		/*
		 * The page cache fills at memory speed; the write-out starts
		 * when pages go under writeback (or the first bytes reach the
		 * disk) and ends when the last of the 40 MiB went past the
		 * throttle.
		 */
		start = done = -1;
		for (int i = 0; i < s->nr; i++) {
			if (start < 0 && (s->s[i].wb || s->s[i].written > w0))
				start = s->s[i].t;
			if (done < 0 && s->s[i].written >= w0 + 40 * MIB)
				done = s->s[i].t;
		}
		ASSERT_LE(0, start);
		ASSERT_LE(0, done) TH_LOG("only %" PRIu64 " bytes written",
					  s->s[s->nr - 1].written - w0);
		r.ms = ms = done - start;
		r.stall = stall = stalled_ms(s, start, done);
		TH_LOG("40 MiB buffered + fsync under --iolimit 4M: dd %" PRId64 " ms, write-out %"
		       PRId64 " ms, %.0f bytes/s; the VM stalled %" PRId64 " ms meanwhile",
		       real_ms(self->out), ms, 40.0 * MIB * 1000 / (ms ? ms : 1), stall);
		if (run_in_range(_metadata, &r, attempt))
			break;
	}
	EXPECT_LE(9000, ms);
	EXPECT_GE(11000 + stall, ms);
	/* Written back on the container's account, not the flusher's. */
	EXPECT_LE(40 * MIB, io_stat_wbytes(self->cg) - k0);
	EXPECT_EQ(io_stat_wbytes(self->cg) - k0, text_key(self->iostat, "write_bytes") - w0);
	free(s);
}

TEST_F_TIMEOUT(io, iopslimit_small_direct, 120)
{
	struct io_sampler *s = calloc(1, sizeof(*s));
	char line[256], expect[256];
	struct vzbc_stat st, bst;
	int64_t t0, t1, ms, stall;
	struct timed_run r;
	char series[512];
	uint64_t med;
	double iops;
	int n;

	ASSERT_NE(NULL, s);
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "set %d --iopslimit 50", CT_IO))
		TH_LOG("%s", self->out);
	snprintf(expect, sizeof(expect), "%s rbps=max wbps=max riops=50 wiops=50", self->devnum);
	EXPECT_STREQ(expect, cg_line(self->cg, "io.max", line, sizeof(line)));
	for (int attempt = 1; attempt <= 2; attempt++) {
		ASSERT_EQ(0, timed_dd(self, s, VZBC_RES_IOPS,
				      "if=/dev/zero of=/g bs=4k count=500 oflag=direct",
				      "500+0 records out", &r)) TH_LOG("%s", self->out);
		if (run_in_range(_metadata, &r, attempt))
			break;
	}
	ms = r.ms;
	t0 = r.t0;
	t1 = r.t1;
	iops = 500.0 * 1000 / ms;
	med = held_median(s, t0 + 2000, t1 - 1000, &n);
	ASSERT_EQ(0, vzbc_get_res(self->vzfd, CT_IO, VZBC_RES_IOPS, &st));
	ASSERT_EQ(0, vzbc_get_res(self->vzfd, CT_IO, VZBC_RES_IOBYTES, &bst));
	stall = stalled_ms(s, t0, t1);
	held_series(s, t0, t1 + 2500, 1, series, sizeof(series));
	TH_LOG("500 x 4 KiB O_DIRECT under --iopslimit 50: %" PRId64 " ms, %.1f IO/s, the VM "
	       "stalled %" PRId64 " ms; iops held median %" PRIu64 " (%d samples), maxheld %"
	       PRIu64 ", failcnt %" PRIu64 "; held:%s", ms, iops, stall, med, n, st.maxheld,
	       st.failcnt, series);
	EXPECT_LE(9000, ms);
	EXPECT_GE(11000 + stall, ms);
	EXPECT_TRUE(within_pct(med, 500.0 * 1000 / (ms - stall > 1000 ? ms - stall : 1000), 10));
	EXPECT_GE(55, st.maxheld);
	EXPECT_LE(held_max(s), st.maxheld);
	EXPECT_EQ(50, st.limit);
	EXPECT_LE(5, st.failcnt);
	/* The limit that held was the iops one. */
	EXPECT_EQ(0, bst.failcnt);
	free(s);
}

TEST_HARNESS_MAIN
