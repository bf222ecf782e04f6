// SPDX-License-Identifier: GPL-2.0
/*
 * The console log (lib/console.c) on the host: appends never grow the file
 * past its cap, the newest bytes survive, in order; and the attach
 * client's Esc-. detector; READY=1 in a datagram of sd_notify.
 */
#define _GNU_SOURCE
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "console.h"

FIXTURE(log) {
	int fd;
	off_t size;
};

FIXTURE_SETUP(log)
{
	self->fd = memfd_create("console-log", MFD_CLOEXEC);
	ASSERT_LE(0, self->fd);
	self->size = 0;
}

FIXTURE_TEARDOWN(log)
{
	close(self->fd);
}

static off_t file_size(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 ? st.st_size : -1;
}

/* The whole file as a string (at most len - 1 bytes). */
static ssize_t contents(int fd, char *buf, size_t len)
{
	ssize_t n = pread(fd, buf, len - 1, 0);

	buf[n > 0 ? n : 0] = '\0';
	return n;
}

TEST_F(log, below_the_cap_everything_is_kept)
{
	char buf[64];

	ASSERT_EQ(0, console_log_append(self->fd, &self->size, "hello ", 6, 32));
	ASSERT_EQ(0, console_log_append(self->fd, &self->size, "world", 5, 32));
	EXPECT_EQ(11, self->size);
	EXPECT_EQ(11, file_size(self->fd));
	contents(self->fd, buf, sizeof(buf));
	EXPECT_STREQ("hello world", buf);
}

TEST_F(log, full_drops_the_older_half)
{
	char buf[64];

	/* 30 of 32 bytes, then 6 more: 15 old bytes (cap / 2) stay, then the 6. */
	ASSERT_EQ(0, console_log_append(self->fd, &self->size,
					"0123456789abcdefghijklmnopqrst", 30, 32));
	ASSERT_EQ(0, console_log_append(self->fd, &self->size, "NEWONE", 6, 32));
	EXPECT_EQ(22, self->size);
	EXPECT_EQ(22, file_size(self->fd));
	contents(self->fd, buf, sizeof(buf));
	EXPECT_STREQ("fghijklmnopqrstNEWONE", buf + 1);
	EXPECT_EQ('e', buf[0]);
}

TEST_F(log, a_flood_never_passes_the_cap)
{
	char line[100], buf[4200];
	off_t cap = 4096;

	for (int i = 0; i < 5000; i++) {
		int n = snprintf(line, sizeof(line), "line %d\n", i);

		ASSERT_EQ(0, console_log_append(self->fd, &self->size, line, n, cap));
		ASSERT_GE(cap, file_size(self->fd)) TH_LOG("after line %d", i);
		ASSERT_EQ(self->size, file_size(self->fd));
	}
	contents(self->fd, buf, sizeof(buf));
	/* The last line is whole at the end, the one before it just above. */
	EXPECT_NE(NULL, strstr(buf, "line 4998\nline 4999\n"));
	EXPECT_EQ(0, strcmp(buf + strlen(buf) - 10, "line 4999\n"));
	EXPECT_LE(cap / 2, self->size);
}

TEST_F(log, one_write_bigger_than_the_cap_keeps_its_tail)
{
	char big[100], buf[64];

	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = 'a' + i % 26;
	ASSERT_EQ(0, console_log_append(self->fd, &self->size, "old", 3, 32));
	ASSERT_EQ(0, console_log_append(self->fd, &self->size, big, sizeof(big), 32));
	EXPECT_EQ(32, self->size);
	EXPECT_EQ(32, file_size(self->fd));
	contents(self->fd, buf, sizeof(buf));
	EXPECT_EQ(0, memcmp(buf, big + sizeof(big) - 32, 32));
}

/* What the client forwards for @typed, "" if it detached before anything. */
static bool feed(const char *typed, char *out)
{
	int state = 0;

	*out = '\0';
	for (const char *c = typed; *c; c++) {
		switch (console_escape_step(&state, *c)) {
		case 0:
			strncat(out, c, 1);
			break;
		case 2:
			return true;
		case 3:
			strcat(out, "\033");
			strncat(out, c, 1);
			break;
		}
	}
	return false;
}

TEST(escape)
{
	char out[64];

	EXPECT_FALSE(feed("ls -l\r", out));
	EXPECT_STREQ("ls -l\r", out);
	EXPECT_TRUE(feed("ab\033.cd", out));
	EXPECT_STREQ("ab", out);
	/* An arrow key (Esc [ A) and a lone dot pass through whole. */
	EXPECT_FALSE(feed("\033[A.", out));
	EXPECT_STREQ("\033[A.", out);
	/* Esc Esc is sent as is; only Esc directly followed by '.' detaches. */
	EXPECT_FALSE(feed("\033\033.", out));
	EXPECT_STREQ("\033\033.", out);
}

TEST(notify_ready)
{
	static const char ready[] = "READY=1\nSTATUS=Startup finished in 12.2s.";
	static const char last[] = "STATUS=x\nREADY=1";
	static const char status[] = "STATUS=Startup finished.\nX_READY=1";
	static const char stopping[] = "STOPPING=1\nREADY=10";

	EXPECT_TRUE(console_notify_ready(ready, sizeof(ready) - 1));
	EXPECT_TRUE(console_notify_ready(last, sizeof(last) - 1));
	EXPECT_FALSE(console_notify_ready(status, sizeof(status) - 1));
	EXPECT_FALSE(console_notify_ready(stopping, sizeof(stopping) - 1));
	/* Only the bytes received count: "READY=1" cut short is not it. */
	EXPECT_FALSE(console_notify_ready(ready, 6));
}

TEST_HARNESS_MAIN
