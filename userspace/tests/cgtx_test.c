// SPDX-License-Identifier: GPL-2.0
/*
 * The cgroup write transaction (lib/cgtx.c) on the host, on a plain
 * directory standing in for a cgroup: a file's old value comes back on
 * rollback (explicit or at the end of scope), stays changed on commit, and
 * a failed write names the file and undoes the ones before it.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

#include "cgtx.h"
#include "err.h"
#include "util.h"

FIXTURE(cgtx) {
	char dir[64];
};

static char *get(const char *dir, const char *file)
{
	_cleanup_free_ char *path = xasprintf("%s/%s", dir, file);
	char *s = NULL;

	if (read_file(path, &s) < 0)
		return xstrdup("(unreadable)");
	return s;
}

static void put(struct __test_metadata *_metadata, const char *dir, const char *file,
		const char *v)
{
	_cleanup_free_ char *path = xasprintf("%s/%s", dir, file);
	FILE *f = fopen(path, "w");

	ASSERT_NE(NULL, f);
	fputs(v, f);
	fclose(f);
}

#define EXPECT_FILE(self, file, want) do {			\
	_cleanup_free_ char *__v = get((self)->dir, file);	\
	EXPECT_STREQ(want, __v) TH_LOG("%s", file);		\
} while (0)

FIXTURE_SETUP(cgtx)
{
	strcpy(self->dir, "/tmp/cgtx_test.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	/*
	 * Plain files are not truncated by a write as cgroup files are
	 * replaced: every value of one file has the same length.
	 */
	put(_metadata, self->dir, "pids.max", "max");
	put(_metadata, self->dir, "memory.max", "0000");
	put(_metadata, self->dir, "io.max", "xxxxxxxxxxxx");
}

FIXTURE_TEARDOWN(cgtx)
{
	rm_rf(self->dir);
}

TEST_F(cgtx, rollback_restores_in_reverse)
{
	_cleanup_err_ struct ct_err *err = NULL;
	struct cgtx tx = { 0 };

	ASSERT_EQ(0, cgtx_begin(&tx, self->dir, &err));
	ASSERT_EQ(0, cgtx_write(&tx, "pids.max", "100", NULL, &err));
	ASSERT_EQ(0, cgtx_write(&tx, "memory.max", "4096", NULL, &err));
	/* The same file twice: the oldest value must win. */
	ASSERT_EQ(0, cgtx_write(&tx, "pids.max", "200", NULL, &err));
	EXPECT_FILE(self, "pids.max", "200");
	EXPECT_FILE(self, "memory.max", "4096");
	cgtx_rollback(&tx);
	EXPECT_FILE(self, "pids.max", "max");
	EXPECT_FILE(self, "memory.max", "0000");
	EXPECT_EQ(NULL, tx.path);
}

TEST_F(cgtx, commit_keeps)
{
	_cleanup_err_ struct ct_err *err = NULL;
	struct cgtx tx = { 0 };

	ASSERT_EQ(0, cgtx_begin(&tx, self->dir, &err));
	ASSERT_EQ(0, cgtx_write(&tx, "pids.max", "100", NULL, &err));
	cgtx_commit(&tx);
	EXPECT_FILE(self, "pids.max", "100");
	/* Ended: a rollback now changes nothing. */
	cgtx_rollback(&tx);
	EXPECT_FILE(self, "pids.max", "100");
}

TEST_F(cgtx, scope_end_rolls_back)
{
	_cleanup_err_ struct ct_err *err = NULL;

	{
		_cleanup_cgtx_ struct cgtx tx = { 0 };

		ASSERT_EQ(0, cgtx_begin(&tx, self->dir, &err));
		ASSERT_EQ(0, cgtx_write(&tx, "memory.max", "8192", NULL, &err));
		EXPECT_FILE(self, "memory.max", "8192");
	}
	EXPECT_FILE(self, "memory.max", "0000");
}

TEST_F(cgtx, given_old_value)
{
	_cleanup_err_ struct ct_err *err = NULL;
	struct cgtx tx = { 0 };

	/* io.max reads back differently from what undoes a write to it. */
	ASSERT_EQ(0, cgtx_begin(&tx, self->dir, &err));
	ASSERT_EQ(0, cgtx_write(&tx, "io.max", "8:0 rbps=001", "8:0 rbps=max", &err));
	cgtx_rollback(&tx);
	EXPECT_FILE(self, "io.max", "8:0 rbps=max");
}

TEST_F(cgtx, failed_write_names_the_file)
{
	_cleanup_err_ struct ct_err *err = NULL;
	_cleanup_free_ char *want = NULL;
	struct cgtx tx = { 0 };

	ASSERT_EQ(0, cgtx_begin(&tx, self->dir, &err));
	ASSERT_EQ(0, cgtx_write(&tx, "pids.max", "100", NULL, &err));
	ASSERT_GT(0, cgtx_write(&tx, "cpu.max", "50000 100000", NULL, &err));
	ASSERT_NE(NULL, err);
	EXPECT_EQ(VZ_SETUBC_ERROR, err->status);
	EXPECT_EQ(ENOENT, err->errnum);
	want = xasprintf("write \"50000 100000\" to %s/cpu.max: %s", self->dir,
			 strerror(ENOENT));
	EXPECT_STREQ(want, err->msg);
	cgtx_rollback(&tx);
	EXPECT_FILE(self, "pids.max", "max");
}

TEST(begin_on_a_missing_directory)
{
	_cleanup_err_ struct ct_err *err = NULL;
	_cleanup_cgtx_ struct cgtx tx = { 0 };

	ASSERT_GT(0, cgtx_begin(&tx, "/nonexistent/ctlvz/101", &err));
	EXPECT_STREQ("open /nonexistent/ctlvz/101: No such file or directory", err->msg);
	EXPECT_EQ(NULL, tx.path);
}

TEST_HARNESS_MAIN
