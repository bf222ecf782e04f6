/* SPDX-License-Identifier: GPL-2.0 */
/* clone3() with a pidfd and CLONE_INTO_CGROUP, and what goes with it. */
#ifndef CTLVZ_CLONE_H
#define CTLVZ_CLONE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* clone3(@flags) into the cgroup @cgroup_fd (if >= 0), a pidfd in *@pidfd (if not NULL). */
pid_t clone3_into(int cgroup_fd, unsigned long long flags, int *pidfd);
/* clone3 can lack CLONE_INTO_CGROUP (< 5.7) or be missing (< 5.3). */
bool clone3_unsupported(int e);
void kill_and_reap(pid_t pid);
/* Every fd from 3 on is closed by the coming exec. */
void clone_cloexec_fds(void);
/* Close every fd from 3 on but the n in keep[] (-1 entries are ignored). */
void clone_close_fds_except(const int *keep, size_t n);

#endif
