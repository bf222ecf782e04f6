// SPDX-License-Identifier: GPL-2.0
/* A container's run state; see runstate.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "conf.h"
#include "runstate.h"
#include "util.h"

static int pidfd_open_(pid_t pid) { return syscall(SYS_pidfd_open, pid, 0); }

/* Field 22 of /proc/PID/stat; 0 if the process is gone. */
unsigned long long runstate_starttime(pid_t pid)
{
	_cleanup_free_ char *path = xasprintf("/proc/%d/stat", pid);
	_cleanup_free_ char *buf = NULL;
	unsigned long long t = 0;
	char *s;

	if (read_file(path, &buf) < 0)
		return 0;
	s = strrchr(buf, ')');	/* comm may hold spaces and parentheses */
	if (!s)
		return 0;
	/* after ")": state(3) ... starttime(22) is the 20th field */
	for (int field = 2; s && field < 22; field++)
		s = strchr(s + 1, ' ');
	if (s)
		t = strtoull(s + 1, NULL, 10);
	return t;
}

/* 0 and st filled, or -ENOENT when there is no state file. */
int runstate_load(const struct ct *ct, struct run_state *st, struct ct_err **err)
{
	_cleanup_kv_ struct kvfile *f = NULL;
	const char *s, *pid, *t;
	unsigned long v;

	memset(st, 0, sizeof(*st));
	if (access(ct->state_path, F_OK) < 0)
		return -ENOENT;
	if (kv_load(ct->state_path, true, &f, err) < 0)
		return -1;
	s = kv_get(f, "STATE");
	pid = kv_get(f, "PID");
	t = kv_get(f, "STARTTIME");
	snprintf(st->state, sizeof(st->state), "%s", s ? s : "?");
	if (pid && parse_ulong(pid, 1, 1UL << 22, &v) == 0)
		st->pid = v;
	if (t)
		st->starttime = strtoull(t, NULL, 10);
	return 0;
}

int runstate_save(const struct ct *ct, const char *state, pid_t pid,
		      unsigned long long starttime, struct ct_err **err)
{
	_cleanup_kv_ struct kvfile *f = kv_new(ct->state_path);

	kv_set(f, "STATE", state);
	if (pid > 0) {
		_cleanup_free_ char *p = xasprintf("%d", pid);
		_cleanup_free_ char *t = xasprintf("%llu", starttime);

		kv_set(f, "PID", p);
		kv_set(f, "STARTTIME", t);
	}
	return kv_save(f, err);
}

/*
 * A pidfd of the container's init if the state file names a live one (same
 * pid and start time, checked again after pidfd_open so a reused pid is not
 * taken); -ESRCH otherwise.
 */
int runstate_find_init(const struct run_state *st, int *pidfd)
{
	int fd;

	if (!st->pid || !st->starttime || runstate_starttime(st->pid) != st->starttime)
		return -ESRCH;
	fd = pidfd_open_(st->pid);
	if (fd < 0)
		return -ESRCH;
	if (runstate_starttime(st->pid) != st->starttime) {
		close(fd);
		return -ESRCH;
	}
	*pidfd = fd;
	return 0;
}
