// SPDX-License-Identifier: GPL-2.0
/*
 * ctlvz provisioning, plans, host boot and OpenVZ configs, on busybox
 * containers:
 *   - a plan (CONFIGFILE, --config) gives a new container its limits, in
 *     CTID.conf, in its cgroup and in /proc/user_beancounters;
 *   - --hostname, --nameserver, --searchdomain, --userpasswd reach the
 *     container's files live and (saved) at start;
 *   - what the container's root plants at /etc/hostname (a FIFO, a symlink
 *     out of the container) is refused at once and never followed;
 *   - "boot" starts ONBOOT containers in BOOTORDER, "shutdown" stops them all;
 *   - a vzctl CTID.conf (no USERNS_BASE, unknown keys, P suffixes) starts,
 *     and a broken line is refused with file:line.
 */
#include <time.h>

#include "kselftest_harness.h"
#include "ctlvz_test.h"

#define VZ_INVALID_PARAMETER_VALUE	21
#define VZ_INVALID_CONFIG		85

#define CT_A	7301
#define CT_B	7302
#define CT_C	7303

FIXTURE(prov) {
	struct ctlvz_env env;
	char out[16384];
	char path[PATH_MAX];
};

FIXTURE_SETUP(prov)
{
	memset(&self->env, 0, sizeof(self->env));
	ASSERT_EQ(0, access(ctlvz_bin(), X_OK)) TH_LOG("%s missing", ctlvz_bin());
	ASSERT_EQ(0, ctlvz_env_init(&self->env, 10));
}

FIXTURE_TEARDOWN(prov)
{
	ctlvz_env_fini(&self->env);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The whole of @path (at most @len - 1 bytes), "" if unreadable. */
static char *slurp(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, len - 1);

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static void append_conf(struct __test_metadata *_metadata, const char *path, const char *text)
{
	FILE *f = fopen(path, "a");

	ASSERT_NE(NULL, f);
	fputs(text, f);
	ASSERT_EQ(0, fclose(f));
}

/* The limit column of @res in @ctid's /proc/user_beancounters block. */
static long long ubc_limit(unsigned int ctid, const char *res)
{
	static char buf[65536];
	char head[32], *p, *end;

	slurp("/proc/user_beancounters", buf, sizeof(buf));
	snprintf(head, sizeof(head), "%u:", ctid);
	p = strstr(buf, head);
	if (!p)
		return -1;
	end = strchr(p + strlen(head), ':');	/* the next block's "CTID:" */
	while ((p = strstr(p, res)) && (!end || p < end)) {
		char name[64];
		long long held, maxheld, barrier, limit;

		if (sscanf(p, "%63s %lld %lld %lld %lld", name, &held, &maxheld, &barrier,
			   &limit) == 5 && !strcmp(name, res))
			return limit;
		p += strlen(res);
	}
	return -1;
}

TEST_F_TIMEOUT(prov, plan_from_the_start, 120)
{
	char buf[256];

	/* An unknown plan: refused, nothing created. */
	EXPECT_EQ(VZ_INVALID_PARAMETER_VALUE,
		  ctlvz_out(self->out, sizeof(self->out),
			    "create %d --ostemplate busybox --config no-such-plan", CT_A));
	EXPECT_NE(NULL, strstr(self->out, "no config \"no-such-plan\"")) TH_LOG("%s", self->out);
	snprintf(self->path, sizeof(self->path), "%s/private/%d", self->env.dir, CT_A);
	EXPECT_NE(0, access(self->path, F_OK));
	snprintf(self->path, sizeof(self->path), "%s/conf/%d.conf", self->env.dir, CT_A);
	EXPECT_NE(0, access(self->path, F_OK));

	/* The global CONFIGFILE: a container created without options has its limits. */
	append_conf(_metadata, self->env.conf, "CONFIGFILE=\"vswap-256m\"\n");
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "create %d --ostemplate busybox",
			       CT_A)) TH_LOG("%s", self->out);
	slurp(self->path, self->out, sizeof(self->out));
	EXPECT_NE(NULL, strstr(self->out, "NUMPROC=\"512:512\"")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "PHYSPAGES=\"0:65536\"")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "SWAPPAGES=\"0:131072\"")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "ORIGIN_SAMPLE=\"vswap-256m\"")) TH_LOG("%s", self->out);
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "start %d", CT_A))
		TH_LOG("%s", self->out);
	snprintf(self->path, sizeof(self->path), "/sys/fs/cgroup/ctlvz/%d/memory.max", CT_A);
	EXPECT_STREQ("268435456\n", slurp(self->path, buf, sizeof(buf)));
	snprintf(self->path, sizeof(self->path), "/sys/fs/cgroup/ctlvz/%d/pids.max", CT_A);
	EXPECT_STREQ("512\n", slurp(self->path, buf, sizeof(buf)));
	EXPECT_EQ(65536, ubc_limit(CT_A, "physpages"));
	EXPECT_EQ(512, ubc_limit(CT_A, "numproc"));

	/* --config names another; set --applyconfig switches a running one. */
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out),
			       "create %d --ostemplate busybox --config vswap-1g", CT_B))
		TH_LOG("%s", self->out);
	snprintf(self->path, sizeof(self->path), "%s/conf/%d.conf", self->env.dir, CT_B);
	slurp(self->path, self->out, sizeof(self->out));
	EXPECT_NE(NULL, strstr(self->out, "PHYSPAGES=\"0:262144\"")) TH_LOG("%s", self->out);
	EXPECT_EQ(VZ_INVALID_PARAMETER_VALUE,
		  ctlvz_out(self->out, sizeof(self->out), "set %d --applyconfig nope --save", CT_A));
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "set %d --applyconfig vswap-512m --save",
			       CT_A)) TH_LOG("%s", self->out);
	snprintf(self->path, sizeof(self->path), "/sys/fs/cgroup/ctlvz/%d/memory.max", CT_A);
	EXPECT_STREQ("536870912\n", slurp(self->path, buf, sizeof(buf)));
	EXPECT_EQ(131072, ubc_limit(CT_A, "physpages"));
}

/* The private area's /etc/hostname replaced by what a hostile root plants. */
static void plant(struct __test_metadata *_metadata, const char *priv, const char *kind,
		  const char *outside)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/etc/hostname", priv);
	unlink(p);
	if (!strcmp(kind, "fifo")) {
		ASSERT_EQ(0, mkfifo(p, 0644));
	} else if (!strcmp(kind, "dir")) {
		ASSERT_EQ(0, mkdir(p, 0755));
	} else {
		ASSERT_EQ(0, symlink(outside, p));
	}
}

TEST_F_TIMEOUT(prov, planted_files_refused_at_once, 120)
{
	static const char *const kinds[] = { "fifo", "symlink", "dir" };
	static const char *const words[] = { "FIFO", "symbolic link", "directory" };
	char priv[512], outside[512], buf[256];

	snprintf(priv, sizeof(priv), "%s/private/%d", self->env.dir, CT_A);
	snprintf(outside, sizeof(outside), "%s/host-file", self->env.dir);
	append_conf(_metadata, outside, "host data\n");
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "create %d --ostemplate busybox",
			       CT_A)) TH_LOG("%s", self->out);
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "start %d", CT_A))
		TH_LOG("%s", self->out);
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
		double t0;
		int rc;

		plant(_metadata, priv, kinds[i], outside);
		t0 = now();
		rc = ctlvz_out(self->out, sizeof(self->out), "set %d --hostname evil%zu", CT_A, i);
		EXPECT_NE(0, rc) TH_LOG("%s: accepted", kinds[i]);
		EXPECT_GT(3.0, now() - t0) TH_LOG("%s: took %.1fs", kinds[i], now() - t0);
		EXPECT_NE(NULL, strstr(self->out, words[i])) TH_LOG("%s: %s", kinds[i], self->out);
		EXPECT_STREQ("host data\n", slurp(outside, buf, sizeof(buf)));
		/* The lock is free again: nothing is left waiting on the FIFO. */
		t0 = now();
		EXPECT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "status %d", CT_A));
		EXPECT_GT(3.0, now() - t0);
		snprintf(self->path, sizeof(self->path), "%s/etc/hostname", priv);
		if (!strcmp(kinds[i], "dir"))
			rmdir(self->path);
	}
	/* A start from the saved config refuses the same way, without blocking. */
	plant(_metadata, priv, "fifo", outside);
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "stop %d", CT_A));
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "set %d --hostname h --save", CT_A));
	EXPECT_NE(0, ctlvz_out(self->out, sizeof(self->out), "start %d", CT_A));
	EXPECT_NE(NULL, strstr(self->out, "FIFO")) TH_LOG("%s", self->out);
}

TEST_F_TIMEOUT(prov, live_and_at_start, 120)
{
	char priv[512], buf[4096];
	char *hash;

	snprintf(priv, sizeof(priv), "%s/private/%d", self->env.dir, CT_A);
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out),
			       "create %d --ostemplate busybox --ipadd 10.73.0.1", CT_A))
		TH_LOG("%s", self->out);
	snprintf(self->path, sizeof(self->path), "%s/etc/hosts", priv);
	append_conf(_metadata, self->path, "192.0.2.9 keepme\n");
	/* Saved while stopped: applied at start. */
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out),
			       "set %d --hostname boot.example.org --nameserver 192.0.2.1 "
			       "--searchdomain example.org --save", CT_A)) TH_LOG("%s", self->out);
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "start %d", CT_A))
		TH_LOG("%s", self->out);
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "exec %d hostname", CT_A));
	EXPECT_STREQ("boot.example.org\n", self->out);
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "exec %d cat /etc/resolv.conf", CT_A));
	EXPECT_STREQ("search example.org\nnameserver 192.0.2.1\n", self->out);
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "exec %d cat /etc/hosts", CT_A));
	EXPECT_NE(NULL, strstr(self->out, "192.0.2.9 keepme\n")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "10.73.0.1 boot.example.org boot\n")) TH_LOG("%s", self->out);

	/* Live, not saved. */
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out),
			       "set %d --hostname live1 --nameserver 2001:db8::53 "
			       "--nameserver 192.0.2.2", CT_A)) TH_LOG("%s", self->out);
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "exec %d hostname", CT_A));
	EXPECT_STREQ("live1\n", self->out);
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "exec %d cat /etc/resolv.conf", CT_A));
	EXPECT_STREQ("search example.org\nnameserver 2001:db8::53\nnameserver 192.0.2.2\n",
		     self->out);
	snprintf(self->path, sizeof(self->path), "%s/conf/%d.conf", self->env.dir, CT_A);
	slurp(self->path, buf, sizeof(buf));
	EXPECT_NE(NULL, strstr(buf, "NAMESERVER=\"192.0.2.1\"")) TH_LOG("%s", buf);

	/* Bad input: refused, nothing changed. */
	EXPECT_EQ(VZ_INVALID_PARAMETER_VALUE,
		  ctlvz_out(self->out, sizeof(self->out), "set %d --nameserver ns1.example.org",
			    CT_A));
	EXPECT_NE(NULL, strstr(self->out, "not an IPv4 or IPv6 address")) TH_LOG("%s", self->out);
	EXPECT_EQ(VZ_INVALID_PARAMETER_VALUE,
		  ctlvz_out(self->out, sizeof(self->out), "set %d --userpasswd rootpw", CT_A));

	/* --userpasswd: busybox has no shadow file; give it one as Debian's. */
	snprintf(self->path, sizeof(self->path), "%s/etc/shadow", priv);
	append_conf(_metadata, self->path, "root:*:19000:0:99999:7:::\n");
	{
		struct stat root;

		ASSERT_EQ(0, stat(priv, &root));
		ASSERT_EQ(0, chown(self->path, root.st_uid, root.st_gid));
		ASSERT_EQ(0, chmod(self->path, 0640));
	}
	EXPECT_EQ(74, ctlvz_out(self->out, sizeof(self->out), "set %d --userpasswd ghost:pw", CT_A));
	EXPECT_NE(NULL, strstr(self->out, "no user ghost")) TH_LOG("%s", self->out);
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "set %d --userpasswd root:s3cret",
			       CT_A)) TH_LOG("%s", self->out);
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "exec %d cat /etc/shadow", CT_A));
	hash = strstr(self->out, "root:$");
	ASSERT_NE(NULL, hash) TH_LOG("%s", self->out);
	EXPECT_TRUE(!strncmp(hash, "root:$y$", 8) || !strncmp(hash, "root:$6$", 8));
	/* The container's root still owns it: host uid = USERNS_BASE. */
	{
		struct stat st, root;

		ASSERT_EQ(0, stat(self->path, &st));
		ASSERT_EQ(0, stat(priv, &root));
		EXPECT_EQ(root.st_uid, st.st_uid);
	}
}

TEST_F_TIMEOUT(prov, boot_order_and_shutdown, 180)
{
	char *a, *b;
	double t0;

	for (int ct = CT_A; ct <= CT_C; ct++)
		ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out),
				       "create %d --ostemplate busybox", ct)) TH_LOG("%s", self->out);
	ASSERT_EQ(0, ctlvz_run("set %d --onboot yes --bootorder 1 --save", CT_A));
	ASSERT_EQ(0, ctlvz_run("set %d --onboot yes --bootorder 10 --save", CT_B));
	ASSERT_EQ(0, ctlvz_run("set %d --onboot no --save", CT_C));
	EXPECT_EQ(VZ_INVALID_PARAMETER_VALUE, ctlvz_run("set %d --onboot maybe --save", CT_C));
	snprintf(self->path, sizeof(self->path), "%s/conf/%d.conf", self->env.dir, CT_C);
	slurp(self->path, self->out, sizeof(self->out));
	EXPECT_NE(NULL, strstr(self->out, "ONBOOT=\"no\"")) TH_LOG("%s", self->out);

	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "boot")) TH_LOG("%s", self->out);
	a = strstr(self->out, "Starting container 7301");
	b = strstr(self->out, "Starting container 7302");
	ASSERT_NE(NULL, a) TH_LOG("%s", self->out);
	ASSERT_NE(NULL, b) TH_LOG("%s", self->out);
	EXPECT_LT(b, a) TH_LOG("BOOTORDER 10 must start before 1: %s", self->out);
	EXPECT_EQ(NULL, strstr(self->out, "7303")) TH_LOG("%s", self->out);
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "status %d", CT_A));
	EXPECT_NE(NULL, strstr(self->out, "running")) TH_LOG("%s", self->out);
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "status %d", CT_B));
	EXPECT_NE(NULL, strstr(self->out, "running")) TH_LOG("%s", self->out);
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "status %d", CT_C));
	EXPECT_EQ(NULL, strstr(self->out, "running")) TH_LOG("%s", self->out);
	/* A second boot leaves running ones alone. */
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "boot")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "Container 7302 is already running")) TH_LOG("%s", self->out);

	ASSERT_EQ(0, ctlvz_run("start %d", CT_C));
	t0 = now();
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "shutdown")) TH_LOG("%s", self->out);
	TH_LOG("shutdown of 3 containers: %.2fs", now() - t0);
	EXPECT_GT(30.0, now() - t0);
	for (int ct = CT_A; ct <= CT_C; ct++) {
		ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "status %d", ct));
		EXPECT_EQ(NULL, strstr(self->out, "running")) TH_LOG("%d: %s", ct, self->out);
		snprintf(self->path, sizeof(self->path), "/sys/fs/cgroup/ctlvz/%d", ct);
		EXPECT_NE(0, access(self->path, F_OK)) TH_LOG("%s left behind", self->path);
	}
}

static int chown_zero(const char *p, const struct stat *st, int type, struct FTW *f)
{
	(void)st;
	(void)type;
	(void)f;
	return lchown(p, 0, 0) < 0 ? -1 : 0;
}

TEST_F_TIMEOUT(prov, openvz_conf_starts, 120)
{
	char priv[512], conf[512], buf[4096];
	struct stat st;
	FILE *f;

	snprintf(priv, sizeof(priv), "%s/private/%d", self->env.dir, CT_A);
	snprintf(conf, sizeof(conf), "%s/conf/%d.conf", self->env.dir, CT_A);
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "create %d --ostemplate busybox",
			       CT_A)) TH_LOG("%s", self->out);
	/* As OpenVZ left it: host ids, vzctl's keys and units, no USERNS_BASE. */
	ASSERT_EQ(0, nftw(priv, chown_zero, 16, FTW_PHYS));
	f = fopen(conf, "w");
	ASSERT_NE(NULL, f);
	fprintf(f, "# vzctl config\nONBOOT=\"no\"\nKMEMSIZE=\"14372700:14790164\"\n"
		   "PHYSPAGES=\"0:32768P\"\nSWAPPAGES=\"0:268435456B\"\nNUMPROC=\"240:240\"\n"
		   "DISKSPACE=\"2G:2.2G\"\nKMEMSIZE=\"1:2\"\nVE_ROOT=\"%s/root/$VEID\"\n"
		   "VE_PRIVATE=\"%s/private/$VEID\"\nOSTEMPLATE=\"busybox\"\n"
		   "ORIGIN_SAMPLE=\"vswap-256m\"\nHOSTNAME=\"imported\"\n",
		self->env.dir, self->env.dir);
	ASSERT_EQ(0, fclose(f));
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "start %d", CT_A))
		TH_LOG("%s", self->out);
	/* The unknown keys named once each, in one notice. */
	EXPECT_NE(NULL, strstr(self->out, "kept and ignored: KMEMSIZE DISKSPACE\n"))
		TH_LOG("%s", self->out);
	slurp(conf, buf, sizeof(buf));
	EXPECT_NE(NULL, strstr(buf, "USERNS_BASE=\"")) TH_LOG("%s", buf);
	EXPECT_NE(NULL, strstr(buf, "DISKSPACE=\"2G:2.2G\"")) TH_LOG("kept: %s", buf);
	ASSERT_EQ(0, stat(priv, &st));
	EXPECT_LE(65536, st.st_uid);
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "exec %d hostname", CT_A));
	EXPECT_STREQ("imported\n", self->out);
	snprintf(self->path, sizeof(self->path), "/sys/fs/cgroup/ctlvz/%d/memory.max", CT_A);
	EXPECT_STREQ("134217728\n", slurp(self->path, buf, sizeof(buf)));
	snprintf(self->path, sizeof(self->path), "/sys/fs/cgroup/ctlvz/%d/memory.swap.max", CT_A);
	EXPECT_STREQ("268435456\n", slurp(self->path, buf, sizeof(buf)));
	ASSERT_EQ(0, ctlvz_run("stop %d", CT_A));

	/* A broken line: refused with file:line, the container stays stopped. */
	append_conf(_metadata, conf, "CPUUNITS=\"1000\n");
	EXPECT_EQ(VZ_INVALID_CONFIG, ctlvz_out(self->out, sizeof(self->out), "start %d", CT_A));
	snprintf(buf, sizeof(buf), "%s:15: unterminated quoted value", conf);
	EXPECT_NE(NULL, strstr(self->out, buf)) TH_LOG("%s", self->out);
	snprintf(self->path, sizeof(self->path), "/sys/fs/cgroup/ctlvz/%d", CT_A);
	EXPECT_NE(0, access(self->path, F_OK)) TH_LOG("started anyway");
	/* Fixed, it starts again (and the fixture can stop and destroy it). */
	f = fopen(conf, "r+");
	ASSERT_NE(NULL, f);
	ASSERT_EQ(0, fseek(f, -1, SEEK_END));
	fputs("\"", f);
	ASSERT_EQ(0, fclose(f));
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "start %d", CT_A))
		TH_LOG("%s", self->out);
}

TEST_HARNESS_MAIN
