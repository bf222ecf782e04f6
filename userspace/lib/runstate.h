/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A container's run state, <LOCKDIR>/CTID.state (see ct.h): what state it
 * is in and which process is its init.
 */
#ifndef CTLVZ_RUNSTATE_H
#define CTLVZ_RUNSTATE_H

#include <sys/types.h>

#include "ct.h"
#include "err.h"

#define STATE_STARTING	"starting"
#define STATE_RUNNING	"running"
#define STATE_STOPPING	"stopping"

struct run_state {
	char state[16];
	pid_t pid;
	unsigned long long starttime;
};

/* Field 22 of /proc/PID/stat (start time in clock ticks); 0 if the process is gone. */
unsigned long long runstate_starttime(pid_t pid);
/* 0 and @st filled, -ENOENT when there is no state file, or -1 with *err. */
int runstate_load(const struct ct *ct, struct run_state *st, struct ct_err **err);
/* Writes @state (with init's pid and start time if @pid > 0), atomically. */
int runstate_save(const struct ct *ct, const char *state, pid_t pid,
		  unsigned long long starttime, struct ct_err **err);
/* A pidfd of the init @st names if it still lives (same pid, same start time); -ESRCH. */
int runstate_find_init(const struct run_state *st, int *pidfd);

#endif
