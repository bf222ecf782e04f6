// SPDX-License-Identifier: GPL-2.0
/*
 * iobytes and iops: totals agree with io.stat, rates follow io.max,
 * throttled seconds land in failcnt, and buffered writeback is charged to
 * the cgroup that dirtied the pages.  Needs the VM's spare disk
 * ($LOWFAT_DISK, /dev/vda); its contents are scratch.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "cg.h"
#include "env.h"
#include "vzbc.h"

#define MIB (1024 * 1024)
#define CHUNK (64 * 1024)
#define MNT "/tmp/vzbc-io-mnt"

/* Sums key @key over every device line of @cg's io.stat. */
static int io_stat_sum(const char *cg, const char *key, uint64_t *sum)
{
	char text[4096], *line, *save = NULL;
	size_t klen = strlen(key);
	ssize_t n = cg_read(cg, "io.stat", text, sizeof(text));

	if (n < 0)
		return n;
	*sum = 0;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *tok, *s2 = NULL;

		for (tok = strtok_r(line, " ", &s2); tok;
		     tok = strtok_r(NULL, " ", &s2))
			if (!strncmp(tok, key, klen) && tok[klen] == '=')
				*sum += strtoull(tok + klen + 1, NULL, 10);
	}
	return 0;
}

/* Value of "@key N" in /proc/bc/<ctid>/iostat. */
static int bc_iostat(uint32_t ctid, const char *key, uint64_t *val)
{
	char path[64], *text, *p;
	int err;

	snprintf(path, sizeof(path), "/proc/bc/%u/iostat", ctid);
	text = read_text(path, &err);
	if (!text)
		return err;
	err = -ENOENT;
	for (p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		size_t klen = strlen(key);

		if (!strncmp(p, key, klen) && p[klen] == ' ') {
			*val = strtoull(p + klen + 1, NULL, 10);
			err = 0;
			break;
		}
	}
	free(text);
	return err;
}

/* In a child moved into @cg: O_DIRECT writes of @bytes, then reads. */
static int direct_io(const char *cg, size_t write_bytes, size_t read_bytes)
{
	pid_t pid = cg_fork_into(cg);
	int status;

	if (pid < 0)
		return pid;
	if (pid == 0) {
		void *buf;
		size_t off;
		int fd = open(test_disk(), O_RDWR | O_DIRECT);

		if (fd < 0 || posix_memalign(&buf, 4096, CHUNK))
			_exit(2);
		memset(buf, 0x5a, CHUNK);
		for (off = 0; off < write_bytes; off += CHUNK)
			if (pwrite(fd, buf, CHUNK, off) != CHUNK)
				_exit(3);
		for (off = 0; off < read_bytes; off += CHUNK)
			if (pread(fd, buf, CHUNK, off) != CHUNK)
				_exit(4);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 100;
}

FIXTURE(io) {
	int dev;
	char cg[CG_PATH_MAX];
	uint32_t ctid;
	char devnum[32];
};

FIXTURE_SETUP(io)
{
	struct stat st;
	int cgfd;

	ASSERT_EQ(0, stat(test_disk(), &st)) TH_LOG("no test disk %s", test_disk());
	ASSERT_TRUE(S_ISBLK(st.st_mode));
	snprintf(self->devnum, sizeof(self->devnum), "%u:%u",
		 major(st.st_rdev), minor(st.st_rdev));
	self->dev = vzbc_open();
	ASSERT_LE(0, self->dev);
	ASSERT_EQ(0, cg_create_unique("io", self->cg, sizeof(self->cg)));
	ASSERT_TRUE(cg_has_file(self->cg, "io.max"));
	cgfd = cg_open(self->cg);
	ASSERT_LE(0, cgfd);
	self->ctid = vzbc_test_ctid(0);
	ASSERT_EQ(0, vzbc_create(self->dev, self->ctid, cgfd));
	close(cgfd);
}

FIXTURE_TEARDOWN(io)
{
	umount2(MNT, MNT_DETACH);
	vzbc_destroy(self->dev, self->ctid);
	cg_destroy(self->cg);
	close(self->dev);
}

/* The totals are exactly what the kernel's io.stat counted. */
TEST_F(io, totals_match_io_stat)
{
	uint64_t ours, kernels;

	ASSERT_EQ(0, direct_io(self->cg, 4 * MIB, 1 * MIB));
	ASSERT_EQ(0, bc_iostat(self->ctid, "write_bytes", &ours));
	ASSERT_EQ(0, io_stat_sum(self->cg, "wbytes", &kernels));
	EXPECT_EQ(4 * MIB, ours);
	EXPECT_EQ(kernels, ours);
	ASSERT_EQ(0, bc_iostat(self->ctid, "read_bytes", &ours));
	ASSERT_EQ(0, io_stat_sum(self->cg, "rbytes", &kernels));
	EXPECT_EQ(1 * MIB, ours);
	EXPECT_EQ(kernels, ours);
	ASSERT_EQ(0, bc_iostat(self->ctid, "write_ops", &ours));
	ASSERT_EQ(0, io_stat_sum(self->cg, "wios", &kernels));
	EXPECT_EQ(4 * MIB / CHUNK, ours);
	EXPECT_EQ(kernels, ours);
	ASSERT_EQ(0, bc_iostat(self->ctid, "read_ops", &ours));
	ASSERT_EQ(0, io_stat_sum(self->cg, "rios", &kernels));
	EXPECT_EQ(kernels, ours);
}

/*
 * Under io.max wbps=1M the rate vzbc reports stays near 1 MiB/s, the
 * write takes as long as the limit says, and the throttled seconds count
 * into iobytes' failcnt only (its limit is the one set).
 */
TEST_F(io, rate_follows_io_max)
{
	struct vzbc_stat bytes, ops;
	char limit[64];
	int64_t t0, ms;

	snprintf(limit, sizeof(limit), "%s wbps=%d", self->devnum, MIB);
	ASSERT_EQ(0, cg_write(self->cg, "io.max", limit));
	ASSERT_EQ(0, vzbc_set(self->dev, self->ctid, VZBC_RES_IOBYTES,
			      MIB, MIB));
	t0 = now_ms();
	ASSERT_EQ(0, direct_io(self->cg, 4 * MIB, 0));
	ms = now_ms() - t0;
	/*
	 * blk-throttle lets the first slice through unthrottled; after it
	 * the limit is a ceiling, so the write takes at least this long.  How
	 * much longer is the host's speed, not the kernel's promise: logged.
	 */
	TH_LOG("4 MiB under wbps=1M: %" PRId64 " ms", ms);
	EXPECT_LE(2500, ms);
	usleep(1200 * 1000);	/* one more tick */
	ASSERT_EQ(0, vzbc_get_res(self->dev, self->ctid, VZBC_RES_IOBYTES,
				  &bytes));
	ASSERT_EQ(0, vzbc_get_res(self->dev, self->ctid, VZBC_RES_IOPS, &ops));
	TH_LOG("iobytes maxheld %llu failcnt %llu, iops maxheld %llu",
	       (unsigned long long)bytes.maxheld,
	       (unsigned long long)bytes.failcnt,
	       (unsigned long long)ops.maxheld);
	EXPECT_EQ(VZBC_STAT_ACCOUNTED, bytes.flags);
	EXPECT_LE(MIB / 2, bytes.maxheld);
	EXPECT_GE(2 * MIB, bytes.maxheld);
	EXPECT_LE(2, bytes.failcnt);
	EXPECT_EQ(0, ops.failcnt);
	EXPECT_LE(8, ops.maxheld);	/* 16 x 64 KiB per second, roughly */
	EXPECT_GE(32, ops.maxheld);
	/* Idle now: the next full tick reads a rate of 0. */
	{
		struct vzbc_poll_arg held = {
			.fd = self->dev, .ctid = self->ctid,
			.res = VZBC_RES_IOBYTES, .field = VZBC_HELD,
		};
		uint64_t last;

		EXPECT_EQ(0, wait_for_value(vzbc_poll_read, &held, 0, 3000,
					    &last));
	}
}

/*
 * Dirty pages written back by sync(2) from outside the container are
 * still the container's IO.
 */
TEST_F(io, writeback_charged_to_dirtier)
{
	char cmd[128];
	uint64_t written;
	pid_t pid;
	int status;

	snprintf(cmd, sizeof(cmd), "mke2fs -q %s >/dev/null 2>&1", test_disk());
	ASSERT_EQ(0, system(cmd));
	mkdir(MNT, 0755);
	ASSERT_EQ(0, mount(test_disk(), MNT, "ext2", 0, NULL));
	sync();
	ASSERT_EQ(0, bc_iostat(self->ctid, "write_bytes", &written));
	ASSERT_EQ(0, written);

	pid = cg_fork_into(self->cg);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		static char page[4096];
		int i, fd = open(MNT "/dirty", O_WRONLY | O_CREAT, 0644);

		if (fd < 0)
			_exit(2);
		memset(page, 0xa5, sizeof(page));
		for (i = 0; i < 2 * MIB / 4096; i++)
			if (write(fd, page, sizeof(page)) != sizeof(page))
				_exit(3);
		_exit(0);	/* no fsync: the pages stay dirty */
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, status);
	ASSERT_EQ(0, bc_iostat(self->ctid, "write_bytes", &written));
	EXPECT_GT(MIB, written);	/* nothing written back yet */
	sync();				/* from the test's own cgroup */
	ASSERT_EQ(0, bc_iostat(self->ctid, "write_bytes", &written));
	EXPECT_LE(2 * MIB, written);
	ASSERT_EQ(0, umount(MNT));
}

TEST_HARNESS_MAIN
