// SPDX-License-Identifier: GPL-2.0
/*
 * ctlvz lifecycle under fault: kill -9 of ctlvz during start and during stop
 * is recognised and repaired by the next command; two concurrent starts
 * start the container once; an init that ignores SIGTERM is killed after the
 * stop timeout; a running container cannot be destroyed; an init that dies
 * at once is a failed start that leaves nothing behind.
 */
#include <signal.h>
#include <time.h>

#include "kselftest_harness.h"
#include "ctlvz_test.h"

#define VZ_ENVCREATE_ERROR	7
#define VZ_VE_NOT_RUNNING	31
#define VZ_VE_RUNNING		32

#define CT	7301
#define STOP_TIMEOUT 3

FIXTURE(lc) {
	struct ctlvz_env env;
	char out[8192];
	char cgroup[PATH_MAX];
};

FIXTURE_SETUP(lc)
{
	memset(&self->env, 0, sizeof(self->env));
	ASSERT_EQ(0, access(ctlvz_bin(), X_OK)) TH_LOG("%s missing", ctlvz_bin());
	ASSERT_EQ(0, access("/dev/vzbc", F_OK)) TH_LOG("/dev/vzbc missing: vzbc.ko not loaded");
	ASSERT_EQ(0, ctlvz_env_init(&self->env, STOP_TIMEOUT));
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out),
			       "create %d --ostemplate busybox --ipadd 10.93.0.1", CT))
		TH_LOG("%s", self->out);
	snprintf(self->cgroup, sizeof(self->cgroup), "/sys/fs/cgroup/ctlvz/%d", CT);
}

FIXTURE_TEARDOWN(lc)
{
	ctlvz_env_fini(&self->env);
}

/* Nothing of a stopped container is left on the host. */
static bool nothing_left(struct __test_metadata *_metadata, const char *cgroup)
{
	char buf[65536];
	int fd;
	ssize_t n;
	bool ok = true;

	if (access(cgroup, F_OK) == 0) {
		TH_LOG("cgroup %s left behind", cgroup);
		ok = false;
	}
	if (access("/sys/class/net/veth7301.0", F_OK) == 0) {
		TH_LOG("veth7301.0 left behind");
		ok = false;
	}
	fd = open("/proc/user_beancounters", O_RDONLY);
	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		buf[n > 0 ? n : 0] = '\0';
		if (strstr(buf, " 7301:")) {
			TH_LOG("beancounter 7301 left behind");
			ok = false;
		}
	}
	return ok;
}

static pid_t spawn_ctlvz(const char *cmd, int ctid)
{
	pid_t pid = fork();

	if (pid == 0) {
		char id[16];
		int null = open("/dev/null", O_WRONLY);

		snprintf(id, sizeof(id), "%d", ctid);
		dup2(null, 1);
		dup2(null, 2);
		execl(ctlvz_bin(), "ctlvz", cmd, id, (char *)NULL);
		_exit(127);
	}
	return pid;
}

static int wait_status(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Exactly the processes of a busybox init that idles: one, in init's payload leaf. */
static int nr_procs(const char *cgroup)
{
	char path[PATH_MAX], buf[4096];
	int fd, lines = 0;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/payload/cgroup.procs", cgroup);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	for (ssize_t i = 0; i < n; i++)
		lines += buf[i] == '\n';
	return lines;
}

TEST_F(lc, kill9_during_start)
{
	static const int delays_us[] = { 0, 1000, 3000, 10000, 30000, 100000 };

	for (size_t i = 0; i < sizeof(delays_us) / sizeof(delays_us[0]); i++) {
		pid_t p = spawn_ctlvz("start", CT);

		usleep(delays_us[i]);
		kill(p, SIGKILL);
		wait_status(p);
		/* status always answers; start repairs whatever is left and starts. */
		EXPECT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "status %d", CT));
		EXPECT_NE(NULL, strstr(self->out, "CTID 7301 exist"));
		if (strstr(self->out, "running")) {
			EXPECT_EQ(VZ_VE_RUNNING, ctlvz_run("start %d", CT));
		} else {
			EXPECT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "start %d", CT))
				TH_LOG("after kill at %d us: %s", delays_us[i], self->out);
		}
		EXPECT_EQ(0, ctlvz_run("exec %d true", CT)) TH_LOG("delay %d us", delays_us[i]);
		EXPECT_EQ(1, nr_procs(self->cgroup));
		EXPECT_EQ(0, ctlvz_run("stop %d", CT));
		EXPECT_TRUE(nothing_left(_metadata, self->cgroup)) TH_LOG("delay %d us", delays_us[i]);
	}
}

TEST_F(lc, kill9_during_stop)
{
	static const int delays_us[] = { 0, 5000, 50000, 500000 };

	for (size_t i = 0; i < sizeof(delays_us) / sizeof(delays_us[0]); i++) {
		pid_t p;

		ASSERT_EQ(0, ctlvz_run("start %d", CT));
		p = spawn_ctlvz("stop", CT);
		usleep(delays_us[i]);
		kill(p, SIGKILL);
		wait_status(p);
		EXPECT_EQ(0, ctlvz_run("status %d", CT));
		/* Either stop finishes the job or it was done already. */
		{
			int rc = ctlvz_out(self->out, sizeof(self->out), "stop %d", CT);

			EXPECT_TRUE(rc == 0 || rc == VZ_VE_NOT_RUNNING) TH_LOG("%d: %s", rc, self->out);
		}
		EXPECT_TRUE(nothing_left(_metadata, self->cgroup)) TH_LOG("delay %d us", delays_us[i]);
		ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "status %d", CT));
		EXPECT_STREQ("CTID 7301 exist unmounted down\n", self->out);
	}
	/* And it starts again. */
	EXPECT_EQ(0, ctlvz_run("start %d", CT));
	EXPECT_EQ(0, ctlvz_run("stop %d", CT));
}

TEST_F(lc, concurrent_starts)
{
	pid_t p[4];
	int ok = 0, running = 0;

	for (int i = 0; i < 4; i++)
		p[i] = spawn_ctlvz("start", CT);
	for (int i = 0; i < 4; i++) {
		int rc = wait_status(p[i]);

		ok += rc == 0;
		running += rc == VZ_VE_RUNNING;
	}
	EXPECT_EQ(1, ok);
	EXPECT_EQ(3, running);
	EXPECT_EQ(1, nr_procs(self->cgroup));
	EXPECT_EQ(0, ctlvz_run("stop %d", CT));
	EXPECT_TRUE(nothing_left(_metadata, self->cgroup));
}

TEST_F(lc, stop_init_ignoring_sigterm)
{
	char path[PATH_MAX], conf[PATH_MAX];
	struct timespec a, b;
	struct stat st;
	FILE *f;

	/* An init written by "container root": owned by the container's ids. */
	snprintf(path, sizeof(path), "%s/private/%d/sbin/stubborn", self->env.dir, CT);
	f = fopen(path, "w");
	ASSERT_NE(NULL, f);
	fputs("#!/bin/sh\ntrap '' TERM\nwhile :; do sleep 1; done\n", f);
	fclose(f);
	snprintf(conf, sizeof(conf), "%s/private/%d/sbin", self->env.dir, CT);
	ASSERT_EQ(0, stat(conf, &st));
	ASSERT_EQ(0, chown(path, st.st_uid, st.st_gid));
	ASSERT_EQ(0, chmod(path, 0755));
	ASSERT_EQ(0, ctlvz_conf_append(&self->env, CT, "INIT=\"/sbin/stubborn\"\n"));

	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "start %d", CT)) TH_LOG("%s", self->out);
	clock_gettime(CLOCK_MONOTONIC, &a);
	EXPECT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "stop %d", CT)) TH_LOG("%s", self->out);
	clock_gettime(CLOCK_MONOTONIC, &b);
	EXPECT_NE(NULL, strstr(self->out, "killing it"));
	EXPECT_LE(STOP_TIMEOUT, b.tv_sec - a.tv_sec + 1);
	EXPECT_GT(STOP_TIMEOUT + 15, b.tv_sec - a.tv_sec);
	EXPECT_TRUE(nothing_left(_metadata, self->cgroup));
}

TEST_F(lc, destroy_running_refused)
{
	char priv[PATH_MAX], conf[PATH_MAX];

	snprintf(priv, sizeof(priv), "%s/private/%d", self->env.dir, CT);
	snprintf(conf, sizeof(conf), "%s/conf/%d.conf", self->env.dir, CT);
	ASSERT_EQ(0, ctlvz_run("start %d", CT));
	EXPECT_EQ(VZ_VE_RUNNING, ctlvz_out(self->out, sizeof(self->out), "destroy %d", CT));
	EXPECT_NE(NULL, strstr(self->out, "is running; stop it first"));
	EXPECT_EQ(0, access(priv, F_OK));
	EXPECT_EQ(0, access(conf, F_OK));
	EXPECT_EQ(0, ctlvz_run("exec %d true", CT));
	EXPECT_EQ(0, ctlvz_run("stop %d", CT));
	EXPECT_EQ(VZ_VE_NOT_RUNNING, ctlvz_run("stop %d", CT));
	EXPECT_EQ(0, ctlvz_run("destroy %d", CT));
	EXPECT_NE(0, access(priv, F_OK));
	EXPECT_NE(0, access(conf, F_OK));
}

TEST_F(lc, restart_and_exec_status)
{
	pid_t a, b;

	ASSERT_EQ(0, ctlvz_run("start %d", CT));
	a = ctlvz_init_pid(&self->env, CT);
	EXPECT_EQ(42, ctlvz_run("exec %d sh -c 'exit 42'", CT));
	EXPECT_EQ(127, ctlvz_run("exec %d /no/such/command", CT));
	ASSERT_EQ(0, ctlvz_run("restart %d", CT));
	b = ctlvz_init_pid(&self->env, CT);
	EXPECT_LT(0, b);
	EXPECT_NE(a, b);
	EXPECT_EQ(0, ctlvz_run("exec %d true", CT));
	EXPECT_EQ(0, ctlvz_run("stop %d", CT));
}

TEST_F(lc, init_dies_at_once)
{
	ASSERT_EQ(0, ctlvz_conf_append(&self->env, CT, "INIT=\"/bin/false\"\n"));
	EXPECT_EQ(VZ_ENVCREATE_ERROR, ctlvz_out(self->out, sizeof(self->out), "start %d", CT));
	EXPECT_NE(NULL, strstr(self->out, "exited at once")) TH_LOG("%s", self->out);
	EXPECT_TRUE(nothing_left(_metadata, self->cgroup));
	EXPECT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "status %d", CT));
	EXPECT_STREQ("CTID 7301 exist unmounted down\n", self->out);
}

TEST_HARNESS_MAIN
