// SPDX-License-Identifier: GPL-2.0
/* clone3() with a pidfd and CLONE_INTO_CGROUP, and what goes with it. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/sched.h>

#include "clone.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

pid_t clone3_into(int cgroup_fd, unsigned long long flags, int *pidfd)
{
	struct clone_args args = {
		.flags = flags | (pidfd ? CLONE_PIDFD : 0) |
			 (cgroup_fd >= 0 ? CLONE_INTO_CGROUP : 0),
		.pidfd = (unsigned long long)(uintptr_t)pidfd,
		/* CLONE_PARENT children signal our parent as we would */
		.exit_signal = flags & CLONE_PARENT ? 0 : SIGCHLD,
		.cgroup = cgroup_fd >= 0 ? (unsigned long long)cgroup_fd : 0,
	};

	return syscall(SYS_clone3, &args, sizeof(args));
}

/* clone3 can lack CLONE_INTO_CGROUP (< 5.7) or be missing (< 5.3). */
bool clone3_unsupported(int e)
{
	return e == ENOSYS || e == E2BIG || e == EINVAL;
}

void kill_and_reap(pid_t pid)
{
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

void clone_cloexec_fds(void)
{
	syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC);
}

void clone_close_fds_except(const int *keep, size_t n)
{
	unsigned int from = 3;

	/* keep[] is tiny: take its members in increasing order, closing the gaps. */
	for (;;) {
		unsigned int next = ~0U;

		for (size_t i = 0; i < n; i++)
			if (keep[i] >= (int)from && (unsigned int)keep[i] < next)
				next = keep[i];
		if (next > from)
			syscall(SYS_close_range, from, next == ~0U ? ~0U : next - 1, 0U);
		if (next == ~0U)
			return;
		from = next + 1;
	}
}
