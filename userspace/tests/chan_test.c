// SPDX-License-Identifier: GPL-2.0
/*
 * The child-to-parent channel (lib/chan.c) on the host: a forked child
 * reports {step, errno} and a text, or execs and the parent sees EOF; the
 * parent's decision (exec's status 127) rests on the step, not the text.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "chan.h"
#include "err.h"

/* Forks a child that runs @fn with the write end; the parent keeps the read end. */
static pid_t child(int *rfd, void (*fn)(int wfd))
{
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		fn(p[1]);
		_exit(0);
	}
	close(p[1]);
	*rfd = p[0];
	return pid;
}

static int reap(pid_t pid)
{
	int status = -1;

	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Runs @fn in a child; its report in *@rep, chan_read()'s result in *@got; its exit status. */
static int report_of(void (*fn)(int wfd), struct chan_report *rep, int *got)
{
	int fd, status;
	pid_t pid = child(&fd, fn);

	if (pid < 0)
		return -1;
	*got = chan_read(fd, rep);
	status = reap(pid);
	close(fd);
	return status;
}

static void fail_exec(int wfd)
{
	chan_fail(wfd, CHAN_STEP_EXEC, ENOENT, "exec %s in the container", "/no/such");
}

static void fail_setup(int wfd)
{
	/* A text that looks like an exec failure must not pass for one. */
	chan_fail(wfd, CHAN_STEP_SETUP, EPERM, "exec mount of /proc");
}

static void do_exec(int wfd)
{
	char *const argv[] = { "true", NULL };

	(void)wfd;
	execvp(argv[0], argv);
	_exit(126);
}

static void garbage(int wfd)
{
	(void)!write(wfd, "xy", 2);
}

static void long_text(int wfd)
{
	char big[3000];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	chan_fail(wfd, CHAN_STEP_RUN, 0, "%s", big);
}

TEST(report_carries_step_and_errno)
{
	struct chan_report rep;
	int got;

	EXPECT_EQ(127, report_of(fail_exec, &rep, &got));
	ASSERT_EQ(1, got);
	EXPECT_EQ(CHAN_STEP_EXEC, rep.step);
	EXPECT_EQ(ENOENT, rep.errnum);
	EXPECT_STREQ("exec /no/such in the container", rep.text);
}

TEST(step_not_text)
{
	_cleanup_err_ struct ct_err *err = NULL;
	enum chan_step step = CHAN_STEP_NONE;
	int fd;
	pid_t pid = child(&fd, fail_setup);

	ASSERT_LT(0, pid);
	ASSERT_GT(0, chan_recv(fd, VZ_COMMAND_EXECUTION_ERROR, &step, &err));
	EXPECT_EQ(CHAN_STEP_SETUP, step);
	EXPECT_EQ(VZ_COMMAND_EXECUTION_ERROR, err->status);
	EXPECT_EQ(EPERM, err->errnum);
	EXPECT_STREQ("exec mount of /proc: Operation not permitted", err->msg);
	reap(pid);
	close(fd);
}

TEST(exec_is_eof)
{
	_cleanup_err_ struct ct_err *err = NULL;
	enum chan_step step = CHAN_STEP_SETUP;
	int fd;
	pid_t pid = child(&fd, do_exec);

	ASSERT_LT(0, pid);
	EXPECT_EQ(0, chan_recv(fd, VZ_ENVCREATE_ERROR, &step, &err));
	EXPECT_EQ(CHAN_STEP_NONE, step);
	EXPECT_EQ(NULL, err);
	EXPECT_EQ(0, reap(pid));
	close(fd);
}

TEST(malformed_report)
{
	struct chan_report rep;
	int got;

	EXPECT_EQ(0, report_of(garbage, &rep, &got));
	ASSERT_EQ(1, got);
	EXPECT_EQ(CHAN_STEP_SETUP, rep.step);
	EXPECT_STREQ("the child sent a malformed report", rep.text);
}

TEST(long_text_is_cut)
{
	struct chan_report rep;
	int got;

	EXPECT_EQ(127, report_of(long_text, &rep, &got));
	ASSERT_EQ(1, got);
	EXPECT_EQ(CHAN_STEP_RUN, rep.step);
	EXPECT_EQ(0, rep.errnum);
	EXPECT_EQ(CHAN_TEXT_MAX - 1, strlen(rep.text));
}

TEST_HARNESS_MAIN
