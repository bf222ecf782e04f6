// SPDX-License-Identifier: GPL-2.0
/*
 * ctlvz command line: bad input of every kind fails with a clear message and
 * vzctl's exit code, and leaves every file of the setup as it was; the
 * vzctl config syntax, its errors (file:line: reason) and list output.
 */
#include "kselftest_harness.h"
#include "ctlvz_test.h"

/* vzctl's exit codes (include/vzerror.h of vzctl) */
#define VZ_NOVECONFIG			14
#define VZ_INVALID_PARAMETER_SYNTAX	20
#define VZ_INVALID_PARAMETER_VALUE	21
#define VZ_VE_OSTEMPLATE_NOTSET		29
#define VZ_VE_NOT_RUNNING		31
#define VZ_FS_PRVT_AREA_EXIST		44
#define VZ_FS_BAD_TMPL			47
#define VZ_BADHOSTNAME			70
#define VZ_BADIP			71
#define VZ_INVALID_CONFIG		85

#define CT_A	7101
#define CT_B	7102

/* Every file below the setup dir but the lock dir: path, mode, size, mtime. */
static char *snap_buf;
static size_t snap_len;

static int snap_one(const char *p, const struct stat *st, int type, struct FTW *f)
{
	char line[PATH_MAX + 128];
	int n;

	(void)type;
	(void)f;
	size_t len = strlen(p);

	if (strstr(p, "/run/") || (len >= 4 && !strcmp(p + len - 4, "/run")))
		return 0;
	n = snprintf(line, sizeof(line), "%s %o %lld %lld.%09ld\n", p, st->st_mode,
		     (long long)st->st_size, (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec);
	snap_buf = realloc(snap_buf, snap_len + n + 1);
	memcpy(snap_buf + snap_len, line, n + 1);
	snap_len += n;
	return 0;
}

static char *snapshot(const char *dir)
{
	snap_buf = calloc(1, 1);
	snap_len = 0;
	nftw(dir, snap_one, 16, FTW_PHYS);
	return snap_buf;
}

FIXTURE(cli) {
	struct ctlvz_env env;
	char *before;
	char out[8192];
};

FIXTURE_SETUP(cli)
{
	memset(&self->env, 0, sizeof(self->env));
	ASSERT_EQ(0, access(ctlvz_bin(), X_OK)) TH_LOG("%s missing", ctlvz_bin());
	ASSERT_EQ(0, ctlvz_env_init(&self->env, 5));
	/* One existing container, so that "unchanged" covers real files. */
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out),
			       "create %d --ostemplate busybox --hostname a1 --ipadd 10.91.0.1",
			       CT_A)) TH_LOG("%s", self->out);
	self->before = snapshot(self->env.dir);
}

FIXTURE_TEARDOWN(cli)
{
	free(self->before);
	ctlvz_env_fini(&self->env);
}

#define EXPECT_UNCHANGED() do {						\
	char *now = snapshot(self->env.dir);				\
	EXPECT_STREQ(self->before, now);				\
	free(now);							\
} while (0)

TEST_F(cli, unknown_command)
{
	EXPECT_EQ(VZ_INVALID_PARAMETER_SYNTAX, ctlvz_out(self->out, sizeof(self->out), "frobnicate 101"));
	EXPECT_NE(NULL, strstr(self->out, "unknown command \"frobnicate\""));
	EXPECT_EQ(VZ_INVALID_PARAMETER_SYNTAX, ctlvz_run(" "));
	EXPECT_UNCHANGED();
}

TEST_F(cli, invalid_ctid)
{
	static const struct { const char *id; int code; } bad[] = {
		{ "0", VZ_INVALID_PARAMETER_VALUE },
		{ "-1", VZ_INVALID_PARAMETER_SYNTAX },
		{ "2147483645", VZ_INVALID_PARAMETER_VALUE },
		{ "4294967296", VZ_INVALID_PARAMETER_VALUE },
		{ "99999999999999999999", VZ_INVALID_PARAMETER_VALUE },
		{ "abc", VZ_INVALID_PARAMETER_SYNTAX },
		{ "12abc", VZ_INVALID_PARAMETER_SYNTAX },
		{ "''", VZ_INVALID_PARAMETER_SYNTAX },
	};
	static const char *const cmds[] = {
		"create %s --ostemplate busybox", "start %s", "stop %s", "status %s",
		"destroy %s", "exec %s true", "set %s --hostname x --save",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		for (size_t c = 0; c < sizeof(cmds) / sizeof(cmds[0]); c++) {
			char args[256];

			snprintf(args, sizeof(args), cmds[c], bad[i].id);
			EXPECT_EQ(bad[i].code, ctlvz_out(self->out, sizeof(self->out), "%s", args))
				TH_LOG("ctlvz %s: %s", args, self->out);
			EXPECT_TRUE(strstr(self->out, "invalid CTID") || strstr(self->out, "missing CTID"))
				TH_LOG("ctlvz %s: %s", args, self->out);
		}
	/* The limits themselves are valid. */
	EXPECT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "status 2147483644"));
	EXPECT_NE(NULL, strstr(self->out, "CTID 2147483644 deleted unmounted down"));
	EXPECT_EQ(0, ctlvz_run("status 1"));
	EXPECT_UNCHANGED();
}

TEST_F(cli, missing_template)
{
	EXPECT_EQ(VZ_FS_BAD_TMPL, ctlvz_out(self->out, sizeof(self->out),
					    "create %d --ostemplate no-such-template", CT_B));
	EXPECT_NE(NULL, strstr(self->out, "no-such-template not found"));
	EXPECT_EQ(VZ_FS_BAD_TMPL, ctlvz_run("create %d --ostemplate /nonexistent/t.tar.gz", CT_B));
	EXPECT_EQ(VZ_VE_OSTEMPLATE_NOTSET, ctlvz_run("create %d", CT_B));
	EXPECT_UNCHANGED();
}

TEST_F(cli, bad_ip)
{
	static const char *const ips[] = {
		"300.1.1.1", "10.0.0.1/33", "10.0.0.1/0", "abc", "10.0.0", "0.0.0.0",
		"255.255.255.255", "127.0.0.2", "224.0.0.1", "10.0.0.1/", "::1",
	};

	for (size_t i = 0; i < sizeof(ips) / sizeof(ips[0]); i++) {
		EXPECT_EQ(VZ_BADIP, ctlvz_out(self->out, sizeof(self->out),
					      "create %d --ostemplate busybox --ipadd '%s'", CT_B, ips[i]))
			TH_LOG("--ipadd %s: %s", ips[i], self->out);
		EXPECT_NE(NULL, strstr(self->out, "invalid IP address"));
		EXPECT_EQ(VZ_BADIP, ctlvz_run("set %d --ipadd '%s' --save", CT_A, ips[i]));
	}
	EXPECT_UNCHANGED();
}

TEST_F(cli, bad_hostname)
{
	EXPECT_EQ(VZ_BADHOSTNAME, ctlvz_run("create %d --ostemplate busybox --hostname 'a b'", CT_B));
	EXPECT_EQ(VZ_BADHOSTNAME, ctlvz_run("set %d --hostname '-x' --save", CT_A));
	EXPECT_EQ(VZ_BADHOSTNAME, ctlvz_run("set %d --hostname 'x\"y' --save", CT_A));
	EXPECT_UNCHANGED();
}

TEST_F(cli, unknown_option)
{
	EXPECT_EQ(VZ_INVALID_PARAMETER_SYNTAX,
		  ctlvz_out(self->out, sizeof(self->out), "create %d --ostemplate busybox --bogus", CT_B));
	EXPECT_NE(NULL, strstr(self->out, "--bogus"));
	EXPECT_EQ(VZ_INVALID_PARAMETER_SYNTAX, ctlvz_run("start %d --bogus", CT_A));
	EXPECT_EQ(VZ_INVALID_PARAMETER_SYNTAX, ctlvz_run("stop %d -x", CT_A));
	EXPECT_EQ(VZ_INVALID_PARAMETER_SYNTAX, ctlvz_run("list --bogus"));
	EXPECT_EQ(VZ_INVALID_PARAMETER_SYNTAX, ctlvz_run("list -o ctid,nosuchfield"));
	/* OpenVZ resources vzbc does not account are unknown options. */
	EXPECT_EQ(VZ_INVALID_PARAMETER_SYNTAX, ctlvz_run("set %d --kmemsize 10", CT_A));
	EXPECT_EQ(VZ_INVALID_PARAMETER_SYNTAX, ctlvz_run("status %d extra", CT_A));
	EXPECT_EQ(VZ_INVALID_PARAMETER_SYNTAX, ctlvz_run("--bogus status %d", CT_A));
	EXPECT_UNCHANGED();
}

TEST_F(cli, existing_and_missing)
{
	EXPECT_EQ(VZ_FS_PRVT_AREA_EXIST, ctlvz_out(self->out, sizeof(self->out),
						   "create %d --ostemplate busybox", CT_A));
	EXPECT_NE(NULL, strstr(self->out, "already exists"));
	EXPECT_EQ(VZ_NOVECONFIG, ctlvz_run("start %d", CT_B));
	EXPECT_EQ(VZ_NOVECONFIG, ctlvz_run("destroy %d", CT_B));
	EXPECT_EQ(VZ_VE_NOT_RUNNING, ctlvz_run("stop %d", CT_A));
	EXPECT_EQ(VZ_VE_NOT_RUNNING, ctlvz_run("exec %d true", CT_A));
	EXPECT_EQ(VZ_VE_NOT_RUNNING, ctlvz_run("set %d --hostname live", CT_A));
	EXPECT_UNCHANGED();
}

TEST_F(cli, malformed_config)
{
	ASSERT_EQ(0, ctlvz_conf_append(&self->env, CT_A, "# a comment\nHOSTNAME=\"unterminated\n"));
	free(self->before);
	self->before = snapshot(self->env.dir);

	EXPECT_EQ(VZ_INVALID_CONFIG, ctlvz_out(self->out, sizeof(self->out), "start %d", CT_A));
	EXPECT_NE(NULL, strstr(self->out, ".conf:8: unterminated quoted value")) TH_LOG("%s", self->out);
	EXPECT_EQ(VZ_INVALID_CONFIG, ctlvz_run("set %d --hostname x --save", CT_A));
	EXPECT_EQ(VZ_INVALID_CONFIG, ctlvz_run("destroy %d", CT_A));
	EXPECT_UNCHANGED();
}

TEST_F(cli, config_roundtrip)
{
	char path[PATH_MAX], buf[4096];
	int fd;
	ssize_t n;

	/* --save on a stopped container rewrites only what changed. */
	EXPECT_EQ(0, ctlvz_run("set %d --hostname b2 --ipadd 10.91.0.2/24 --save", CT_A));
	snprintf(path, sizeof(path), "%s/conf/%d.conf", self->env.dir, CT_A);
	fd = open(path, O_RDONLY);
	ASSERT_LE(0, fd);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	ASSERT_LT(0, n);
	buf[n] = '\0';
	EXPECT_NE(NULL, strstr(buf, "HOSTNAME=\"b2\"\n"));
	EXPECT_NE(NULL, strstr(buf, "IP_ADDRESS=\"10.91.0.1 10.91.0.2/24\"\n"));
	EXPECT_NE(NULL, strstr(buf, "OSTEMPLATE=\"busybox\"\n"));
	EXPECT_NE(NULL, strstr(buf, "VE_PRIVATE=\""));
	/* No temp file is left beside it. */
	snprintf(path, sizeof(path), "%s/conf", self->env.dir);
	{
		char *s = snapshot(path);

		EXPECT_EQ(NULL, strstr(s, ".tmp"));
		free(s);
	}
}

TEST_F(cli, help_and_list)
{
	EXPECT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "--help"));
	EXPECT_NE(NULL, strstr(self->out, "Exit status"));
	EXPECT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "list -a"));
	EXPECT_NE(NULL, strstr(self->out, "CTID"));
	EXPECT_NE(NULL, strstr(self->out, "a1"));
	EXPECT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "list -a -j"));
	EXPECT_NE(NULL, strstr(self->out, "\"ctid\": 7101, \"numproc\": null, \"status\": \"stopped\", "
				       "\"ip\": \"10.91.0.1\", \"hostname\": \"a1\"")) TH_LOG("%s", self->out);
	EXPECT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "list"));
	EXPECT_EQ(NULL, strstr(self->out, "7101"));
	EXPECT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "status %d", CT_A));
	EXPECT_STREQ("CTID 7101 exist unmounted down\n", self->out);
	EXPECT_UNCHANGED();
}

TEST_HARNESS_MAIN
