// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/user_beancounters, /proc/bc/resources and /proc/bc/<ctid>/: the
 * OpenVZ layout, the values against GET, and who sees what.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "cg.h"
#include "fuzz.h"
#include "mem.h"
#include "priv.h"
#include "vzbc.h"

#define NR_BC		3	/* ctid[2] and cg[2] are made on demand */
#define MAX_KIDS	16
#define SETTLE_MS	10000

FIXTURE(proc) {
	int fd;
	uint32_t ctid[NR_BC];
	char cg[NR_BC][CG_PATH_MAX];
	int cgfd[NR_BC];
	pid_t kids[MAX_KIDS];
	int nr_kids;
	struct ubc_file *f;	/* scratch for parsing */
};

static void spawn_sleepers(struct __test_metadata *_metadata,
			   FIXTURE_DATA(proc) *self, int cgfd, int n)
{
	for (int i = 0; i < n; i++) {
		pid_t pid;

		ASSERT_GT(MAX_KIDS, self->nr_kids);
		pid = cg_sleeper(cgfd);
		ASSERT_LT(0, pid);
		self->kids[self->nr_kids++] = pid;
	}
}

FIXTURE_SETUP(proc)
{
	struct vzbc_poll_arg held = {
		.res = VZBC_RES_NUMPROC, .field = VZBC_HELD,
	};

	self->fd = -1;
	for (int i = 0; i < NR_BC; i++) {
		self->cgfd[i] = -1;
		self->ctid[i] = vzbc_test_ctid(1 + i);
	}
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1));
	self->f = malloc(sizeof(*self->f));
	ASSERT_NE(NULL, self->f);
	self->fd = vzbc_open();
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", VZBC_DEV, strerror(-self->fd));
	for (int i = 0; i < 2; i++) {
		char tag[8];

		snprintf(tag, sizeof(tag), "p%d", i);
		ASSERT_EQ(0, cg_create_unique(tag, self->cg[i], CG_PATH_MAX));
		self->cgfd[i] = cg_open(self->cg[i]);
		ASSERT_LE(0, self->cgfd[i]);
		ASSERT_EQ(0, vzbc_create(self->fd, self->ctid[i], self->cgfd[i]));
	}
	ASSERT_EQ(0, vzbc_set(self->fd, self->ctid[0], VZBC_RES_NUMPROC, 1234, 5678));
	spawn_sleepers(_metadata, self, self->cgfd[0], 3);
	held.fd = self->fd;
	held.ctid = self->ctid[0];
	ASSERT_EQ(0, wait_for_value(vzbc_poll_read, &held, 3, SETTLE_MS, NULL));
}

FIXTURE_TEARDOWN(proc)
{
	for (int i = 0; i < self->nr_kids; i++)
		kill_reap(self->kids[i]);
	for (unsigned int i = 0; i < 64; i++)
		vzbc_destroy(self->fd, vzbc_test_ctid(i));
	for (int i = 0; i < NR_BC; i++) {
		close(self->cgfd[i]);
		EXPECT_EQ(0, cg_destroy(self->cg[i]));
	}
	close(self->fd);
	free(self->f);
}

static char *must_read(struct __test_metadata *_metadata, const char *path)
{
	int err = 0;
	char *text = read_text(path, &err);

	ASSERT_NE(NULL, text) TH_LOG("%s: %s", path, strerror(-err));
	return text;
}

static void parse(struct __test_metadata *_metadata, const char *path,
		  const char *text, bool with_version, struct ubc_file *f)
{
	char err[256];

	ASSERT_EQ(0, ubc_check_layout(text, with_version, err, sizeof(err)))
		TH_LOG("%s layout: %s\n%s", path, err, text);
	ASSERT_EQ(0, ubc_parse(text, f)) TH_LOG("%s: %s\n%s", path, f->err, text);
	if (with_version) {
		ASSERT_STREQ("2.5", f->version);
	} else {
		ASSERT_STREQ("", f->version);
	}
}

/* The rows a block must have: the accounted resources, in order. */
static void expect_rows(struct __test_metadata *_metadata, int fd,
			const struct ubc_block *b)
{
	struct vzbc_stat st[VZBC_NR_RES];
	uint32_t nr = VZBC_NR_RES;
	int row = 0;

	ASSERT_NE(NULL, b);
	ASSERT_EQ(0, vzbc_get(fd, b->ctid, st, &nr));
	ASSERT_EQ(VZBC_NR_RES, nr);
	for (unsigned int i = 0; i < nr; i++) {
		if (!(st[i].flags & VZBC_STAT_ACCOUNTED))
			continue;
		ASSERT_GT(b->nr_rows, row) TH_LOG("ctid %u: no %s row", b->ctid,
						  vzbc_res_names[i]);
		EXPECT_STREQ(vzbc_res_names[i], b->rows[row].name)
			TH_LOG("ctid %u row %d", b->ctid, row);
		row++;
	}
	EXPECT_EQ(row, b->nr_rows) TH_LOG("ctid %u: extra rows", b->ctid);
}

/*
 * A row against GET calls made just before and after the read: limits and
 * counters that only grow must lie between the two; numproc (settled by
 * the setup) must equal them.
 */
static void expect_row_values(struct __test_metadata *_metadata,
			      const struct ubc_row *row, uint32_t ctid,
			      const struct vzbc_stat *before,
			      const struct vzbc_stat *after)
{
	int i = -1;

	ASSERT_NE(NULL, row);
	for (unsigned int j = 0; j < VZBC_NR_RES; j++)
		if (!strcmp(vzbc_res_names[j], row->name))
			i = j;
	ASSERT_LE(0, i) TH_LOG("unknown resource \"%s\"", row->name);
#define BETWEEN(field)							\
	do {								\
		uint64_t lo = before[i].field < after[i].field ?	\
			      before[i].field : after[i].field;		\
		uint64_t hi = before[i].field < after[i].field ?	\
			      after[i].field : before[i].field;		\
		EXPECT_LE(lo, row->field)				\
			TH_LOG("ctid %u %s " #field, ctid, row->name);	\
		EXPECT_GE(hi, row->field)				\
			TH_LOG("ctid %u %s " #field, ctid, row->name);	\
	} while (0)
	BETWEEN(held);
	BETWEEN(maxheld);
	BETWEEN(failcnt);
#undef BETWEEN
	EXPECT_EQ(after[i].barrier, row->barrier) TH_LOG("ctid %u %s", ctid, row->name);
	EXPECT_EQ(after[i].limit, row->limit) TH_LOG("ctid %u %s", ctid, row->name);
}

static void get_all(struct __test_metadata *_metadata, int fd, uint32_t ctid,
		    struct vzbc_stat *st)
{
	uint32_t nr = VZBC_NR_RES;

	ASSERT_EQ(0, vzbc_get(fd, ctid, st, &nr));
	ASSERT_EQ(VZBC_NR_RES, nr);
}

TEST_F(proc, user_beancounters_layout)
{
	char *text = must_read(_metadata, UBC_PROC);
	struct ubc_file *f = self->f;

	parse(_metadata, UBC_PROC, text, true, f);
	/* Ascending, each ctid once, no "0:" host block. */
	for (int i = 0; i < f->nr_blocks; i++) {
		EXPECT_LT(0u, f->blocks[i].ctid);
		if (i) {
			EXPECT_LT(f->blocks[i - 1].ctid, f->blocks[i].ctid);
		}
	}
	expect_rows(_metadata, self->fd, ubc_find(f, self->ctid[0]));
	expect_rows(_metadata, self->fd, ubc_find(f, self->ctid[1]));
	free(text);
}

TEST_F(proc, user_beancounters_values)
{
	struct vzbc_stat before[2][VZBC_NR_RES], after[2][VZBC_NR_RES];
	const struct ubc_block *b;
	const struct ubc_row *r;
	char *text;

	ASSERT_EQ(0, vzbc_set(self->fd, self->ctid[1], VZBC_RES_PHYSPAGES, 100, 200));
	for (int i = 0; i < 2; i++)
		get_all(_metadata, self->fd, self->ctid[i], before[i]);
	text = must_read(_metadata, UBC_PROC);
	for (int i = 0; i < 2; i++)
		get_all(_metadata, self->fd, self->ctid[i], after[i]);
	parse(_metadata, UBC_PROC, text, true, self->f);

	for (int i = 0; i < 2; i++) {
		b = ubc_find(self->f, self->ctid[i]);
		ASSERT_NE(NULL, b);
		for (int j = 0; j < b->nr_rows; j++)
			expect_row_values(_metadata, &b->rows[j], b->ctid,
					  before[i], after[i]);
	}
	/* The numbers the setup made, literally. */
	r = ubc_row(ubc_find(self->f, self->ctid[0]), "numproc");
	ASSERT_NE(NULL, r);
	EXPECT_EQ(3u, r->held);
	EXPECT_EQ(3u, r->maxheld);
	EXPECT_EQ(1234u, r->barrier);
	EXPECT_EQ(5678u, r->limit);
	EXPECT_EQ(0u, r->failcnt);
	r = ubc_row(ubc_find(self->f, self->ctid[1]), "physpages");
	ASSERT_NE(NULL, r);
	EXPECT_EQ(100u, r->barrier);
	EXPECT_EQ(200u, r->limit);
	r = ubc_row(ubc_find(self->f, self->ctid[1]), "numproc");
	ASSERT_NE(NULL, r);
	EXPECT_EQ(0u, r->held);
	EXPECT_EQ(VZBC_UNLIMITED, r->barrier);
	/* Unlimited is LONG_MAX, as OpenVZ prints it. */
	EXPECT_NE(NULL, strstr(text, " 9223372036854775807 "));
	EXPECT_EQ(NULL, strstr(text, "18446744073709551615"));
	free(text);
}

TEST_F(proc, destroy_removes_block_and_dir)
{
	char dir[64], file[80];
	struct stat st;
	char *text;

	snprintf(dir, sizeof(dir), BC_PROC_DIR "/%u", self->ctid[1]);
	snprintf(file, sizeof(file), "%s/resources", dir);
	ASSERT_EQ(0, stat(dir, &st)) TH_LOG("%s: %s", dir, strerror(errno));
	EXPECT_TRUE(S_ISDIR(st.st_mode));
	EXPECT_EQ(0, access(file, R_OK));

	ASSERT_EQ(0, vzbc_destroy(self->fd, self->ctid[1]));
	EXPECT_EQ(-1, stat(dir, &st));
	EXPECT_EQ(ENOENT, errno);
	text = must_read(_metadata, UBC_PROC);
	parse(_metadata, UBC_PROC, text, true, self->f);
	EXPECT_EQ(NULL, ubc_find(self->f, self->ctid[1]));
	EXPECT_NE(NULL, ubc_find(self->f, self->ctid[0]));
	free(text);

	/* And comes back with the beancounter. */
	ASSERT_EQ(0, vzbc_create(self->fd, self->ctid[1], self->cgfd[1]));
	EXPECT_EQ(0, stat(dir, &st));
	text = must_read(_metadata, UBC_PROC);
	parse(_metadata, UBC_PROC, text, true, self->f);
	expect_rows(_metadata, self->fd, ubc_find(self->f, self->ctid[1]));
	free(text);
}

/* /proc/bc/resources: the same blocks, no Version line. */
TEST_F(proc, bc_resources_matches_user_beancounters)
{
	struct ubc_file *all = malloc(sizeof(*all));
	const char *path = BC_PROC_DIR "/resources";
	char *ub, *bc;
	struct stat st;

	ASSERT_NE(NULL, all);
	ASSERT_EQ(0, stat(BC_PROC_DIR, &st));
	ASSERT_TRUE(S_ISDIR(st.st_mode));
	ub = must_read(_metadata, UBC_PROC);
	bc = must_read(_metadata, path);
	parse(_metadata, UBC_PROC, ub, true, self->f);
	parse(_metadata, path, bc, false, all);

	for (int i = 0; i < 2; i++) {
		const struct ubc_block *a = ubc_find(self->f, self->ctid[i]);
		const struct ubc_block *b = ubc_find(all, self->ctid[i]);

		ASSERT_NE(NULL, a);
		ASSERT_NE(NULL, b);
		ASSERT_EQ(a->nr_rows, b->nr_rows);
		for (int j = 0; j < a->nr_rows; j++) {
			EXPECT_STREQ(a->rows[j].name, b->rows[j].name);
			EXPECT_EQ(a->rows[j].barrier, b->rows[j].barrier);
			EXPECT_EQ(a->rows[j].limit, b->rows[j].limit);
		}
		EXPECT_EQ(ubc_row(a, "numproc")->held, ubc_row(b, "numproc")->held);
	}
	free(all);
	free(ub);
	free(bc);
}

/* "\t%-20s %21lu %21lu %21lu %21lu %21lu\n" (Documentation/vzbc-proc.rst) */
static int check_bc_row_layout(const char *text, char *err, size_t len)
{
	const char *l = text, *nl;
	int lineno = 0;

	for (; *l; l = nl + 1) {
		nl = strchr(l, '\n');
		lineno++;
		if (!nl || nl - l != 1 + 20 + 5 * 22 || l[0] != '\t' ||
		    l[1] == ' ') {
			snprintf(err, len, "line %d: not a \\t%%-20s + 5 x %%21lu row",
				 lineno);
			return -EINVAL;
		}
		/* The name, left-aligned in columns 1-20. */
		for (int j = 1, sp = 0; j < 21; j++) {
			if (l[j] == ' ') {
				sp = 1;
			} else if (sp) {
				snprintf(err, len, "line %d: name not left-aligned",
					 lineno);
				return -EINVAL;
			}
		}
		/* Five numbers, each ending at column 43 + 22 * i. */
		for (int i = 0; i < 5; i++) {
			int end = 21 + 22 * (i + 1), j = end - 21;

			while (j < end && l[j] == ' ')
				j++;
			if (j == end || l[end - 22] != ' ') {
				snprintf(err, len, "line %d: column %d", lineno, i);
				return -EINVAL;
			}
			for (; j < end; j++) {
				if (l[j] < '0' || l[j] > '9') {
					snprintf(err, len, "line %d: column %d not "
						 "right-aligned digits", lineno, i);
					return -EINVAL;
				}
			}
		}
	}
	return lineno ? 0 : -ENODATA;
}

TEST_F(proc, bc_ctid_resources)
{
	struct vzbc_stat before[VZBC_NR_RES], after[VZBC_NR_RES];
	char path[80], iostat[80], err[128], *text, *ub;
	const struct ubc_block *b;
	struct ubc_row row;

	snprintf(path, sizeof(path), BC_PROC_DIR "/%u/resources", self->ctid[0]);
	snprintf(iostat, sizeof(iostat), BC_PROC_DIR "/%u/iostat", self->ctid[0]);
	EXPECT_EQ(0, access(iostat, R_OK));

	get_all(_metadata, self->fd, self->ctid[0], before);
	text = must_read(_metadata, path);
	get_all(_metadata, self->fd, self->ctid[0], after);
	ub = must_read(_metadata, UBC_PROC);
	EXPECT_EQ(0, check_bc_row_layout(text, err, sizeof(err)))
		TH_LOG("%s: %s\n%s", path, err, text);

	parse(_metadata, UBC_PROC, ub, true, self->f);
	b = ubc_find(self->f, self->ctid[0]);
	ASSERT_NE(NULL, b);
	/* The same rows as the ctid's block, with the same numbers. */
	for (int j = 0; j < b->nr_rows; j++) {
		ASSERT_EQ(1, ubc_find_row(text, b->rows[j].name, &row))
			TH_LOG("%s: no single %s row\n%s", path, b->rows[j].name, text);
		expect_row_values(_metadata, &row, self->ctid[0], before, after);
		EXPECT_EQ(b->rows[j].barrier, row.barrier);
		EXPECT_EQ(b->rows[j].limit, row.limit);
	}
	ASSERT_EQ(1, ubc_find_row(text, "numproc", &row));
	EXPECT_EQ(3u, row.held);
	EXPECT_EQ(1234u, row.barrier);
	EXPECT_EQ(5678u, row.limit);
	free(text);
	free(ub);
}

/*
 * Reading a file from another process: in a cgroup, and/or with fewer
 * privileges.  The child reports through shared memory.
 */
#define READ_MAX	(1 << 20)

struct remote_read {
	int err;
	size_t len;
	char text[READ_MAX];
};

enum creds { AS_ROOT, AS_NOBODY, AS_ROOT_NO_SYS_ADMIN };

/* Reads @path from a child in @cg (NULL: our own cgroup) with @creds. */
static int read_as(const char *cg, enum creds creds, const char *path,
		   struct remote_read *out)
{
	int status;
	pid_t pid;

	memset(out, 0, offsetof(struct remote_read, text));
	out->err = -EINPROGRESS;
	pid = cg ? cg_fork_into(cg) : fork();
	if (pid < 0)
		return cg ? pid : -errno;
	if (pid == 0) {
		int err = 0, fd;
		ssize_t n;

		if (creds == AS_NOBODY && become_nobody())
			_exit(10);
		if (creds == AS_ROOT_NO_SYS_ADMIN && cap_drop(CAP_SYS_ADMIN))
			_exit(11);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			out->err = -errno;
			_exit(0);
		}
		while (out->len < READ_MAX - 1) {
			n = read(fd, out->text + out->len, READ_MAX - 1 - out->len);
			if (n < 0) {
				err = -errno;
				break;
			}
			if (n == 0)
				break;
			out->len += n;
		}
		out->text[out->len] = '\0';
		out->err = err;
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -errno;
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return -ECHILD;
	return 0;
}

static struct remote_read *remote_buf(void)
{
	return shared_alloc(sizeof(struct remote_read));
}

/* A reader in @cg with @creds sees exactly the block of @ctid. */
static void expect_only_block(struct __test_metadata *_metadata,
			      FIXTURE_DATA(proc) *self, const char *cg,
			      enum creds creds, uint32_t ctid)
{
	struct remote_read *r = remote_buf();
	const char *paths[] = { UBC_PROC, BC_PROC_DIR "/resources" };

	ASSERT_NE(NULL, r);
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(0, read_as(cg, creds, paths[i], r));
		ASSERT_EQ(0, r->err) TH_LOG("%s from %s: %s", paths[i], cg,
					    strerror(-r->err));
		parse(_metadata, paths[i], r->text, i == 0, self->f);
		ASSERT_EQ(1, self->f->nr_blocks) TH_LOG("%s from %s:\n%s",
							paths[i], cg, r->text);
		EXPECT_EQ(ctid, self->f->blocks[0].ctid);
		expect_rows(_metadata, self->fd, &self->f->blocks[0]);
	}
	munmap(r, sizeof(*r));
}

static void expect_open_error(struct __test_metadata *_metadata,
			      const char *cg, enum creds creds,
			      const char *path, int err)
{
	struct remote_read *r = remote_buf();

	ASSERT_NE(NULL, r);
	ASSERT_EQ(0, read_as(cg, creds, path, r));
	EXPECT_EQ(err, r->err) TH_LOG("%s from %s, creds %d", path,
				      cg ? cg : "the host", creds);
	munmap(r, sizeof(*r));
}

TEST_F(proc, container_sees_own_block)
{
	char sub[CG_PATH_MAX], own[80], other[80];

	expect_only_block(_metadata, self, self->cg[0], AS_ROOT, self->ctid[0]);
	expect_only_block(_metadata, self, self->cg[1], AS_ROOT, self->ctid[1]);
	/* Deeper in the container, and without any privilege. */
	ASSERT_EQ(0, cg_create_child(self->cg[0], "sub", sub, sizeof(sub)));
	expect_only_block(_metadata, self, sub, AS_ROOT, self->ctid[0]);
	expect_only_block(_metadata, self, self->cg[0], AS_NOBODY, self->ctid[0]);

	/* Its own /proc/bc directory only. */
	snprintf(own, sizeof(own), BC_PROC_DIR "/%u/resources", self->ctid[0]);
	snprintf(other, sizeof(other), BC_PROC_DIR "/%u/resources", self->ctid[1]);
	expect_open_error(_metadata, sub, AS_ROOT, own, 0);
	expect_open_error(_metadata, sub, AS_ROOT, other, -EACCES);
	expect_open_error(_metadata, self->cg[0], AS_NOBODY, other, -EACCES);
}

TEST_F(proc, nested_beancounter_sees_innermost)
{
	char sub[CG_PATH_MAX];
	char *text;
	int fd;

	ASSERT_EQ(0, cg_create_child(self->cg[0], "inner", sub, sizeof(sub)));
	fd = cg_open(sub);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, vzbc_create(self->fd, self->ctid[2], fd));
	close(fd);
	expect_only_block(_metadata, self, sub, AS_ROOT, self->ctid[2]);
	expect_only_block(_metadata, self, self->cg[0], AS_ROOT, self->ctid[0]);
	/* The host sees all three. */
	text = must_read(_metadata, UBC_PROC);
	parse(_metadata, UBC_PROC, text, true, self->f);
	for (int i = 0; i < NR_BC; i++)
		EXPECT_NE(NULL, ubc_find(self->f, self->ctid[i]));
	free(text);
}

TEST_F(proc, host_needs_cap_sys_admin)
{
	char own[80];
	const char *paths[] = { UBC_PROC, BC_PROC_DIR "/resources", own };

	snprintf(own, sizeof(own), BC_PROC_DIR "/%u/resources", self->ctid[0]);
	for (size_t i = 0; i < ARRAY_SIZE(paths); i++) {
		expect_open_error(_metadata, NULL, AS_NOBODY, paths[i], -EACCES);
		expect_open_error(_metadata, NULL, AS_ROOT_NO_SYS_ADMIN,
				  paths[i], -EACCES);
		expect_open_error(_metadata, NULL, AS_ROOT, paths[i], 0);
	}
}

/* Memory rows appear only where memory is accounted. */
TEST_F(proc, rows_follow_memory_controller)
{
	char sub[CG_PATH_MAX], *text;
	const struct ubc_block *b;
	int fd;

	ASSERT_EQ(0, cg_create_unique("p2", self->cg[2], CG_PATH_MAX));
	ASSERT_EQ(0, cg_create_child(self->cg[2], "sub", sub, sizeof(sub)));
	fd = cg_open(sub);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, vzbc_create(self->fd, self->ctid[2], fd));
	close(fd);

	text = must_read(_metadata, UBC_PROC);
	parse(_metadata, UBC_PROC, text, true, self->f);
	b = ubc_find(self->f, self->ctid[2]);
	expect_rows(_metadata, self->fd, b);
	EXPECT_EQ(NULL, ubc_row(b, "physpages"));
	EXPECT_EQ(NULL, ubc_row(b, "swappages"));
	EXPECT_NE(NULL, ubc_row(b, "numproc"));
	free(text);

	ASSERT_EQ(0, cg_write(self->cg[2], "cgroup.subtree_control", "+memory"));
	text = must_read(_metadata, UBC_PROC);
	parse(_metadata, UBC_PROC, text, true, self->f);
	b = ubc_find(self->f, self->ctid[2]);
	expect_rows(_metadata, self->fd, b);
	EXPECT_NE(NULL, ubc_row(b, "physpages"));
	free(text);
}

/*
 * Enough beancounters to need several seq_file buffers: every block is
 * there once, in order, with its own numbers, however the file is read.
 */
TEST_F(proc, many_beancounters_any_read_size)
{
	static const size_t chunks[] = { 1 << 20, 4096, 333, 61, 1 };
	enum { N = 40, FIRST = 10 };
	char cgs[N][CG_PATH_MAX];
	int err;

	for (int i = 0; i < N; i++) {
		char tag[16];
		int fd;

		snprintf(tag, sizeof(tag), "m%d", i);
		ASSERT_EQ(0, cg_create_unique(tag, cgs[i], CG_PATH_MAX));
		fd = cg_open(cgs[i]);
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, vzbc_create(self->fd, self->ctid[0] + FIRST + i, fd));
		close(fd);
		ASSERT_EQ(0, vzbc_set(self->fd, self->ctid[0] + FIRST + i,
				      VZBC_RES_NUMPROC, i, 2 * i));
	}
	for (size_t c = 0; c < ARRAY_SIZE(chunks); c++) {
		char *text = fz_read_chunked(UBC_PROC, NULL, chunks[c], &err);
		const struct ubc_block *b;
		const struct ubc_row *r;

		ASSERT_NE(NULL, text) TH_LOG("%s", strerror(-err));
		ASSERT_EQ(0, err);
		parse(_metadata, UBC_PROC, text, true, self->f);
		for (int i = 1; i < self->f->nr_blocks; i++) {
			ASSERT_LT(self->f->blocks[i - 1].ctid,
				  self->f->blocks[i].ctid)
				TH_LOG("read %zu bytes at a time", chunks[c]);
		}
		for (int i = 0; i < N; i++) {
			b = ubc_find(self->f, self->ctid[0] + FIRST + i);
			ASSERT_NE(NULL, b) TH_LOG("read %zu at a time: no ctid %u",
						  chunks[c], self->ctid[0] + FIRST + i);
			r = ubc_row(b, "numproc");
			ASSERT_NE(NULL, r);
			EXPECT_EQ((uint64_t)i, r->barrier);
			EXPECT_EQ((uint64_t)2 * i, r->limit);
		}
		free(text);
	}
	for (int i = 0; i < N; i++) {
		vzbc_destroy(self->fd, self->ctid[0] + FIRST + i);
		EXPECT_EQ(0, cg_destroy(cgs[i]));
	}
}

TEST_HARNESS_MAIN
