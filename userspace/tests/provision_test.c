// SPDX-License-Identifier: GPL-2.0
/*
 * Provisioning (lib/provision.c) on the host, on a directory standing in
 * for a container's private area: what the container's root may plant at
 * the target (a symlink out of the area, a FIFO, a directory) is refused
 * at once, never followed and never waited on; the files come out as
 * vzctl writes them (/etc/hosts keeps its other lines, resolv.conf its
 * options), /etc/shadow gets a hash libcrypt verifies, and bad input is
 * refused with nothing changed.
 *
 *   make unit
 */
#define _GNU_SOURCE
#include <crypt.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "err.h"
#include "provision.h"
#include "util.h"

#define BASE 655360U	/* the container's root on the host */

FIXTURE(prov) {
	char root[64];
	char outside[64];
};

static void put(struct __test_metadata *_metadata, const char *dir, const char *file,
		const char *v)
{
	_cleanup_free_ char *path = xasprintf("%s/%s", dir, file);
	FILE *f = fopen(path, "w");

	ASSERT_NE(NULL, f) TH_LOG("%s", path);
	fputs(v, f);
	ASSERT_EQ(0, fclose(f));
}

static char *get(const char *dir, const char *file)
{
	_cleanup_free_ char *path = xasprintf("%s/%s", dir, file);
	char *s = NULL;

	if (read_file(path, &s) < 0)
		return xstrdup("(unreadable)");
	return s;
}

FIXTURE_SETUP(prov)
{
	_cleanup_free_ char *etc = NULL;

	strcpy(self->root, "/tmp/prov_test.XXXXXX");
	strcpy(self->outside, "/tmp/prov_out.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->root));
	ASSERT_NE(NULL, mkdtemp(self->outside));
	etc = xasprintf("%s/etc", self->root);
	ASSERT_EQ(0, mkdir(etc, 0755));
	put(_metadata, self->outside, "hostname", "host-secret\n");
	/* Anything that blocks fails the test instead of hanging it. */
	alarm(10);
}

FIXTURE_TEARDOWN(prov)
{
	alarm(0);
	rm_rf(self->root);
	rm_rf(self->outside);
}

/* Sets the hostname and expects a refusal naming @kind, quickly. */
static void expect_refused(struct __test_metadata *_metadata, const char *root,
			   const char *kind)
{
	_cleanup_err_ struct ct_err *err = NULL;
	struct prov p = { .hostname = "ct1.example.org" };
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	ASSERT_EQ(-1, prov_apply(root, BASE, &p, &err));
	clock_gettime(CLOCK_MONOTONIC, &b);
	ASSERT_NE(NULL, err);
	EXPECT_NE(NULL, strstr(err->msg, kind)) TH_LOG("message: %s", err->msg);
	EXPECT_NE(NULL, strstr(err->msg, "/etc/hostname")) TH_LOG("message: %s", err->msg);
	EXPECT_GT(2, b.tv_sec - a.tv_sec);
}

TEST_F(prov, symlink_at_target_refused_outside_untouched)
{
	_cleanup_free_ char *link = xasprintf("%s/etc/hostname", self->root);
	_cleanup_free_ char *target = xasprintf("%s/hostname", self->outside);
	_cleanup_free_ char *after = NULL;
	struct stat st;

	ASSERT_EQ(0, symlink(target, link));
	expect_refused(_metadata, self->root, "symbolic link");
	after = get(self->outside, "hostname");
	EXPECT_STREQ("host-secret\n", after);
	ASSERT_EQ(0, lstat(link, &st));
	EXPECT_TRUE(S_ISLNK(st.st_mode));
}

TEST_F(prov, fifo_at_target_refused_without_blocking)
{
	_cleanup_free_ char *fifo = xasprintf("%s/etc/hostname", self->root);
	struct stat st;

	ASSERT_EQ(0, mkfifo(fifo, 0644));
	expect_refused(_metadata, self->root, "FIFO");
	ASSERT_EQ(0, lstat(fifo, &st));
	EXPECT_TRUE(S_ISFIFO(st.st_mode));
}

TEST_F(prov, directory_at_target_refused)
{
	_cleanup_free_ char *dir = xasprintf("%s/etc/hostname", self->root);

	ASSERT_EQ(0, mkdir(dir, 0755));
	expect_refused(_metadata, self->root, "directory");
}

TEST_F(prov, fifo_is_refused_at_read)
{
	_cleanup_free_ char *fifo = xasprintf("%s/etc/resolv.conf", self->root);
	_cleanup_err_ struct ct_err *err = NULL;
	struct prov p = { .nameservers = "192.0.2.53" };

	ASSERT_EQ(0, mkfifo(fifo, 0644));
	ASSERT_EQ(-1, prov_apply(self->root, BASE, &p, &err));
	EXPECT_NE(NULL, strstr(err->msg, "FIFO")) TH_LOG("message: %s", err->msg);
}

/* /etc a symlink to "/": resolved inside the area, never the host's /etc. */
TEST_F(prov, etc_symlink_stays_inside_the_area)
{
	_cleanup_free_ char *etc = xasprintf("%s/etc", self->root);
	_cleanup_free_ char *real = xasprintf("%s/realetc", self->root);
	_cleanup_free_ char *got = NULL, *out = NULL;
	_cleanup_err_ struct ct_err *err = NULL;
	struct prov p = { .hostname = "ct1" };

	ASSERT_EQ(0, rmdir(etc));
	ASSERT_EQ(0, mkdir(real, 0755));
	ASSERT_EQ(0, symlink("/realetc", etc));
	ASSERT_EQ(0, prov_apply(self->root, BASE, &p, &err)) TH_LOG("%s", err->msg);
	got = get(real, "hostname");
	EXPECT_STREQ("ct1\n", got);
	out = get(self->outside, "hostname");
	EXPECT_STREQ("host-secret\n", out);
}

TEST_F(prov, hostname_and_hosts_keep_other_lines)
{
	_cleanup_free_ char *hostname = NULL, *hosts = NULL, *path = NULL;
	_cleanup_err_ struct ct_err *err = NULL;
	struct prov p = { .hostname = "ct1.example.org", .hosts_ip = "10.1.0.1" };
	struct stat st;

	put(_metadata, self->root, "etc/hosts",
	    "127.0.0.1\tlocalhost\n# mine\n10.1.0.1 old.example.org old\n192.0.2.7 db\n");
	ASSERT_EQ(0, prov_apply(self->root, BASE, &p, &err)) TH_LOG("%s", err->msg);
	hostname = get(self->root, "etc/hostname");
	EXPECT_STREQ("ct1.example.org\n", hostname);
	hosts = get(self->root, "etc/hosts");
	EXPECT_STREQ("127.0.0.1\tlocalhost\n# mine\n192.0.2.7 db\n"
		     "10.1.0.1 ct1.example.org ct1\n", hosts);
	/* A new file belongs to the container's root. */
	path = xasprintf("%s/etc/hostname", self->root);
	ASSERT_EQ(0, stat(path, &st));
	EXPECT_EQ(BASE, st.st_uid);
	EXPECT_EQ(0644, st.st_mode & 07777);
}

TEST_F(prov, hosts_gets_localhost_when_missing)
{
	_cleanup_free_ char *hosts = NULL;
	_cleanup_err_ struct ct_err *err = NULL;
	struct prov p = { .hostname = "web" };

	ASSERT_EQ(0, prov_apply(self->root, BASE, &p, &err)) TH_LOG("%s", err->msg);
	hosts = get(self->root, "etc/hosts");
	EXPECT_STREQ("127.0.0.1 localhost.localdomain localhost\n127.0.1.1 web\n", hosts);
}

TEST_F(prov, resolv_conf_as_vzctl)
{
	_cleanup_free_ char *resolv = NULL;
	_cleanup_err_ struct ct_err *err = NULL;
	struct prov p = { .nameservers = "192.0.2.53 2001:db8::53",
			  .searchdomains = "example.org lan" };

	put(_metadata, self->root, "etc/resolv.conf",
	    "search old.org\nnameserver 10.0.0.1\noptions edns0\nnameserver 10.0.0.2\n");
	ASSERT_EQ(0, prov_apply(self->root, BASE, &p, &err)) TH_LOG("%s", err->msg);
	resolv = get(self->root, "etc/resolv.conf");
	EXPECT_STREQ("search example.org lan\noptions edns0\n"
		     "nameserver 192.0.2.53\nnameserver 2001:db8::53\n", resolv);
}

TEST(nameserver_and_domain_syntax)
{
	EXPECT_TRUE(prov_nameserver_ok("8.8.8.8"));
	EXPECT_TRUE(prov_nameserver_ok("2001:4860:4860::8888"));
	EXPECT_FALSE(prov_nameserver_ok("dns.google"));
	EXPECT_FALSE(prov_nameserver_ok("8.8.8.8/32"));
	EXPECT_FALSE(prov_nameserver_ok("256.1.1.1"));
	EXPECT_FALSE(prov_nameserver_ok(""));
	EXPECT_TRUE(prov_domain_ok("example.org"));
	EXPECT_TRUE(prov_domain_ok("lan"));
	EXPECT_FALSE(prov_domain_ok("-bad.org"));
	EXPECT_FALSE(prov_domain_ok("a..b"));
	EXPECT_FALSE(prov_domain_ok("a b"));
	EXPECT_FALSE(prov_domain_ok(""));
}

TEST(userpasswd_syntax)
{
	static const char *const bad[] = { "root", ":pw", "root:", "-x:pw", "ro ot:pw",
					   "root:a\nb" };
	_cleanup_free_ char *u = NULL, *p = NULL;
	_cleanup_err_ struct ct_err *err = NULL;

	ASSERT_EQ(0, prov_userpasswd_parse("admin:s3cr:et", &u, &p, &err));
	EXPECT_STREQ("admin", u);
	EXPECT_STREQ("s3cr:et", p);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		_cleanup_err_ struct ct_err *e = NULL;
		char *bu = NULL, *bp = NULL;

		EXPECT_EQ(-1, prov_userpasswd_parse(bad[i], &bu, &bp, &e)) TH_LOG("%s", bad[i]);
		EXPECT_EQ(NULL, bu);
		if (e)
			EXPECT_EQ(VZ_INVALID_PARAMETER_VALUE, e->status);
	}
}

TEST_F(prov, userpasswd_writes_a_hash_crypt_verifies)
{
	_cleanup_free_ char *shadow = NULL, *path = NULL;
	_cleanup_err_ struct ct_err *err = NULL;
	struct crypt_data cd;
	char *line, *hash, *end;
	struct stat st;

	put(_metadata, self->root, "etc/passwd", "root:x:0:0::/root:/bin/sh\n"
	    "admin:x:1000:1000::/home/admin:/bin/sh\n");
	put(_metadata, self->root, "etc/shadow", "root:*:19000:0:99999:7:::\n"
	    "admin:!:19000:0:99999:7:::\nnobody:*:19000:0:99999:7:::\n");
	path = xasprintf("%s/etc/shadow", self->root);
	ASSERT_EQ(0, chmod(path, 0640));
	ASSERT_EQ(0, chown(path, BASE, BASE + 42));
	ASSERT_EQ(0, prov_userpasswd(self->root, "admin", "s3cret", &err)) TH_LOG("%s", err->msg);
	shadow = get(self->root, "etc/shadow");
	EXPECT_EQ(0, strncmp(shadow, "root:*:19000:0:99999:7:::\nadmin:$", 33)) TH_LOG("%s", shadow);
	EXPECT_NE(NULL, strstr(shadow, ":0:99999:7:::\nnobody:*:19000:0:99999:7:::\n"));
	line = strstr(shadow, "admin:");
	ASSERT_NE(NULL, line);
	hash = line + 6;
	end = strchr(hash, ':');
	ASSERT_NE(NULL, end);
	*end = '\0';
	memset(&cd, 0, sizeof(cd));
	EXPECT_STREQ(hash, crypt_r("s3cret", hash, &cd));
	memset(&cd, 0, sizeof(cd));
	EXPECT_STRNE(hash, crypt_r("wrong", hash, &cd));
	ASSERT_EQ(0, stat(path, &st));
	EXPECT_EQ(0640, st.st_mode & 07777);
	EXPECT_EQ(BASE + 42, st.st_gid);
}

TEST_F(prov, userpasswd_unknown_user_changes_nothing)
{
	_cleanup_free_ char *shadow = NULL;
	_cleanup_err_ struct ct_err *err = NULL;

	put(_metadata, self->root, "etc/passwd", "root:x:0:0::/root:/bin/sh\n");
	put(_metadata, self->root, "etc/shadow", "root:*:19000:0:99999:7:::\n");
	ASSERT_EQ(-1, prov_userpasswd(self->root, "ghost", "pw", &err));
	EXPECT_EQ(VZ_CHANGEPASS, err->status);
	EXPECT_NE(NULL, strstr(err->msg, "no user ghost")) TH_LOG("%s", err->msg);
	shadow = get(self->root, "etc/shadow");
	EXPECT_STREQ("root:*:19000:0:99999:7:::\n", shadow);
}

TEST_F(prov, shadow_fifo_refused)
{
	_cleanup_free_ char *fifo = xasprintf("%s/etc/shadow", self->root);
	_cleanup_err_ struct ct_err *err = NULL;

	put(_metadata, self->root, "etc/passwd", "root:x:0:0::/root:/bin/sh\n");
	ASSERT_EQ(0, mkfifo(fifo, 0600));
	ASSERT_EQ(-1, prov_userpasswd(self->root, "root", "pw", &err));
	EXPECT_NE(NULL, strstr(err->msg, "FIFO")) TH_LOG("%s", err->msg);
}

TEST_HARNESS_MAIN
