// SPDX-License-Identifier: GPL-2.0
/*
 * Unloading the module: delete_module() is refused while a netlink dump
 * runs, and succeeds, again and again, with beancounters bound by a
 * process that has gone, live_beancounters equal to their number, tasks
 * forking in a bound cgroup and readers in the middle of reading every
 * /proc file; the module loads again with nothing left over.
 * (vzbc_stress_test covers an open /dev/vzbc, /proc files held open and
 * plain reloads.)
 *
 * Every test leaves the module loaded, whatever happens: the teardown
 * reloads it, and so does this binary when it exits.  The kernel must not
 * complain on the console meanwhile (the VM harness fails the run on any
 * splat).  VZBC_FUZZ_SECONDS (default 5) sets how long the unload loop runs.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "kselftest_harness.h"
#include "cg.h"
#include "fuzz.h"
#include "genl.h"
#include "mem.h"
#include "vzbc.h"

#define NR_IDS		64	/* vzbc_test_ctid(0..63): this process's */
#define NL_RBUF		65536

#define note(...) fprintf(stderr, "# " __VA_ARGS__)

#define UL_CG		32
#define UL_READERS	3

static void __attribute__((destructor)) reload_at_exit(void)
{
	if (getenv("VZBC_MODULE"))
		vzbc_module_ensure();
}

FIXTURE(unload) {
	uint32_t base;
	char cg[UL_CG][CG_PATH_MAX];
	pid_t kids[64];
	int nkids;
	unsigned int seconds;
};

FIXTURE_SETUP(unload)
{
	self->base = vzbc_test_ctid(0);
	self->seconds = fz_env_seconds("VZBC_FUZZ_SECONDS", 5);
	ASSERT_NE(NULL, getenv("VZBC_MODULE"))
		TH_LOG("$VZBC_MODULE (the vzbc.ko to reload) is not set");
	ASSERT_EQ(0, vzbc_module_ensure());
	for (int i = 0; i < UL_CG; i++) {
		char tag[16];

		snprintf(tag, sizeof(tag), "ul%d", i);
		ASSERT_EQ(0, cg_create_unique(tag, self->cg[i], CG_PATH_MAX));
	}
}

FIXTURE_TEARDOWN(unload)
{
	int fd, ret;

	for (int i = 0; i < self->nkids; i++)
		kill_reap(self->kids[i]);
	ret = vzbc_module_ensure();
	EXPECT_EQ(0, ret) TH_LOG("reload %s: %s", getenv("VZBC_MODULE"),
				 strerror(-ret));
	fd = vzbc_open();
	if (fd >= 0) {
		for (uint32_t i = 0; i < NR_IDS; i++)
			vzbc_destroy(fd, self->base + i);
		close(fd);
	}
	for (int i = 0; i < UL_CG; i++)
		cg_destroy(self->cg[i]);
}

static pid_t ul_spawn(struct __test_metadata *_metadata,
		      FIXTURE_DATA(unload) *self, pid_t pid)
{
	ASSERT_LT(0, pid) TH_LOG("fork: %s", strerror(-pid));
	ASSERT_GT((int)ARRAY_SIZE(self->kids), self->nkids);
	self->kids[self->nkids++] = pid;
	return pid;
}

/* Binds cgroups 0..@n-1 to ctids base+0..base+@n-1 from a child process. */
static void ul_bind_from_child(struct __test_metadata *_metadata,
			       FIXTURE_DATA(unload) *self, int n)
{
	int status;
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (pid == 0) {
		int fd = vzbc_open();

		if (fd < 0)
			_exit(10);
		for (int i = 0; i < n; i++) {
			int cgfd = cg_open(self->cg[i]);

			if (cgfd < 0 || vzbc_create(fd, self->base + i, cgfd))
				_exit(11);
			close(cgfd);
		}
		_exit(0);	/* closes /dev/vzbc */
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("binding child failed: %#x", status);
}

/* Number of beancounters (LIST), opening /dev/vzbc only for the call. */
static int ul_count(uint32_t *nr)
{
	uint32_t *ids;
	int fd = vzbc_open(), ret;

	if (fd < 0)
		return fd;
	ret = vzbc_list_all(fd, &ids, nr);
	close(fd);
	if (!ret)
		free(ids);
	return ret;
}

/* Waits for the module's refcount to drop to 0 (fds just closed). */
static int ul_wait_unused(void)
{
	int64_t deadline = now_ms() + FZ_SETTLE_MS;
	int ref;

	while ((ref = vzbc_module_refcnt()) > 0 && now_ms() < deadline)
		usleep(5000);
	return ref;
}

/* Unloads, checks that every interface went with the module. */
static void ul_unload(struct __test_metadata *_metadata)
{
	int ret, ref = ul_wait_unused();

	ASSERT_EQ(0, ref) TH_LOG("module refcount %d with nothing of ours open", ref);
	ret = vzbc_module_unload();
	ASSERT_EQ(0, ret) TH_LOG("delete_module: %s", strerror(-ret));
	EXPECT_FALSE(vzbc_module_loaded());
	EXPECT_NE(0, access(VZBC_DEV, F_OK));
	EXPECT_NE(0, access(UBC_PROC, F_OK));
	EXPECT_NE(0, access(BC_PROC_DIR, F_OK));
}

/* Loads, checks that the module starts empty. */
static void ul_load(struct __test_metadata *_metadata)
{
	uint32_t nr = 1;
	uint64_t live = 1;
	int fd, ret;

	ret = vzbc_module_load(NULL);
	ASSERT_EQ(0, ret) TH_LOG("finit_module(%s): %s", getenv("VZBC_MODULE"),
				 strerror(-ret));
	fd = vzbc_open();
	ASSERT_LE(0, fd) TH_LOG("open %s after reload: %s", VZBC_DEV, strerror(-fd));
	EXPECT_EQ(VZBC_API_VERSION, vzbc_version(fd));
	close(fd);
	EXPECT_EQ(0, ul_count(&nr));
	EXPECT_EQ(0u, nr);
	EXPECT_EQ(0, vzbc_live_read(&live));
	EXPECT_EQ(0u, live);
}

/*
 * An unfinished netlink dump holds the module as an open /dev/vzbc does
 * (vzbc_stress_test checks the latter): delete_module(O_NONBLOCK) fails
 * with EWOULDBLOCK, what try_stop_module() returns for a module in use,
 * until the dump ends.
 */
TEST_F_TIMEOUT(unload, dump_pins_module, 120)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct genl_msg m;
	char *buf = malloc(NL_RBUF);
	uint16_t family;
	uint32_t grp;
	int sk, ret, parts = 0;
	bool done = false;
	ssize_t n;

	ASSERT_NE(NULL, buf);
	/* Enough beancounters for a dump of several parts. */
	ul_bind_from_child(_metadata, self, UL_CG);
	sk = genl_socket();
	ASSERT_LE(0, sk);
	ASSERT_EQ(0, genl_resolve(sk, VZBC_GENL_NAME, NULL, &family, &grp));
	/*
	 * A fresh socket, read with a small buffer, gets dump parts of
	 * NLMSG_GOODSIZE (the kernel sizes them after the largest read).
	 */
	close(sk);
	sk = genl_socket();
	ASSERT_LE(0, sk);
	ASSERT_EQ(0, ul_wait_unused()) TH_LOG("the module is in use already");
	genl_msg_init(&m, family, VZBC_CMD_GET, NLM_F_DUMP);
	ASSERT_LE(0, sendto(sk, &m, m.nlh.nlmsg_len, 0, (struct sockaddr *)&kernel,
			    sizeof(kernel)));
	n = recv(sk, buf, 4096, 0);
	ASSERT_LT(0, n);
	ASSERT_EQ(1, genl_first_error(buf, n)) TH_LOG("dump refused");
	for (struct nlmsghdr *h = (void *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n))
		done |= h->nlmsg_type == NLMSG_DONE;
	ASSERT_FALSE(done) TH_LOG("the dump of %d beancounters fit in one part", UL_CG);
	EXPECT_LT(0, vzbc_module_refcnt());
	ret = vzbc_module_unload();
	EXPECT_EQ(-EWOULDBLOCK, ret) TH_LOG("delete_module during a dump: %s",
					    fz_errname(ret));
	ASSERT_TRUE(vzbc_module_loaded());
	while (!done) {
		n = genl_recv(sk, buf, 4096, 5000);
		ASSERT_LT(0, n) TH_LOG("dump: %s", strerror(-n));
		parts++;
		for (struct nlmsghdr *h = (void *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n))
			done |= h->nlmsg_type == NLMSG_DONE;
	}
	note("dump of %d beancounters in %d parts\n", UL_CG, parts + 1);
	EXPECT_EQ(0, ul_wait_unused()) TH_LOG("the finished dump still holds the module");

	/* A dump abandoned half way lets go of the module when its socket goes. */
	ASSERT_LE(0, sendto(sk, &m, m.nlh.nlmsg_len, 0, (struct sockaddr *)&kernel,
			    sizeof(kernel)));
	ASSERT_LT(0, recv(sk, buf, 4096, 0));
	EXPECT_LT(0, vzbc_module_refcnt());
	close(sk);
	EXPECT_EQ(0, ul_wait_unused()) TH_LOG("a closed socket's dump still holds the module");
	free(buf);
}

/*
 * Unload and reload in a loop while readers read every /proc file of the
 * module in small pieces (each read() holds a beancounter from the seq
 * file's start() to its stop()), one of them from inside a bound cgroup
 * (its opens look up and drop its own beancounter), and tasks fork and
 * exit in a bound cgroup (the probes fire throughout).  Whatever a reader
 * holds when the module goes must be let go before its code does.
 */
static void ul_reader(uint32_t base, const char *stop)
{
	struct ubc_file *f = malloc(sizeof(*f));
	char path[64], *text;
	struct fz_rng r;
	int err;

	fz_seed(&r, getpid());
	while (!__atomic_load_n(stop, __ATOMIC_RELAXED)) {
		switch (fz_below(&r, 3)) {
		case 0:
			snprintf(path, sizeof(path), "%s", UBC_PROC);
			break;
		case 1:
			snprintf(path, sizeof(path), BC_PROC_DIR "/resources");
			break;
		default:
			snprintf(path, sizeof(path), BC_PROC_DIR "/%u/%s",
				 base + fz_below(&r, UL_CG),
				 fz_chance(&r, 50) ? "resources" : "iostat");
			break;
		}
		text = fz_read_chunked(path, &r, 300, &err);
		/*
		 * Gone (ENOENT), removed under the reader (EIO), or, inside
		 * a cgroup that is not bound right now, not ours (EACCES).
		 * Half a file is wrong.
		 */
		if (!text && err != -ENOENT && err != -EIO && err != -EACCES)
			_exit(20);
		if (text && !strcmp(path, UBC_PROC) && f && ubc_parse(text, f))
			_exit(21);
		free(text);
	}
	_exit(0);
}

/* Forks and reaps forever; raw system calls (made by cg_clone_into()). */
static void ul_forker(void)
{
	for (;;) {
		long pid = syscall(SYS_clone, SIGCHLD, 0, NULL, NULL, 0);

		if (pid == 0)
			syscall(SYS_exit, 0);
		if (pid > 0)
			syscall(SYS_wait4, pid, NULL, 0, NULL);
	}
}

TEST_F_TIMEOUT(unload, unload_with_readers, 3600)
{
	char *stop = shared_alloc(1);
	int64_t deadline, t0, unload_ms = 0, load_ms = 0;
	int cycles = 0, status, cgfd;
	uint64_t live = 0;
	uint32_t nr;
	pid_t pid;

	ASSERT_NE(NULL, stop);
	/* Reader 0 where the tests run, the others in bound cgroups. */
	for (int i = 0; i < UL_READERS; i++) {
		pid = i ? cg_fork_into(self->cg[1 + i]) : fork();
		if (pid == 0)
			ul_reader(self->base, stop);
		ul_spawn(_metadata, self, pid);
	}
	cgfd = cg_open(self->cg[0]);
	ASSERT_LE(0, cgfd);
	pid = cg_clone_into(cgfd);
	if (pid == 0)
		ul_forker();
	close(cgfd);
	ul_spawn(_metadata, self, pid);

	deadline = now_ms() + self->seconds * 1000LL;
	do {
		ul_bind_from_child(_metadata, self, UL_CG);
		ASSERT_EQ(0, ul_count(&nr));
		ASSERT_EQ(0, vzbc_live_wait(nr, &live))
			TH_LOG("cycle %d: live_beancounters %" PRIu64 " with %u beancounters",
			       cycles, live, nr);
		t0 = now_ms();
		ul_unload(_metadata);
		unload_ms += now_ms() - t0;
		t0 = now_ms();
		ul_load(_metadata);
		load_ms += now_ms() - t0;
		cycles++;
	} while (now_ms() < deadline || cycles < 2);

	__atomic_store_n(stop, 1, __ATOMIC_RELAXED);
	for (int i = 0; i < UL_READERS; i++) {
		ASSERT_EQ(self->kids[i], waitpid(self->kids[i], &status, 0));
		self->kids[i] = 0;
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
			TH_LOG("reader %d: status %#x (20: read error, 21: unparsable)",
			       i, status);
	}
	note("%d unload/reload cycles with %d beancounters: unload %" PRId64
		       " ms, load %" PRId64 " ms on average\n", cycles, UL_CG,
		       unload_ms / cycles, load_ms / cycles);
	shared_free(stop, 1);
}

TEST_HARNESS_MAIN
