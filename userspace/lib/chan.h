/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The channel from a cloned child to its parent, until the child's exec:
 * a child that fails sends one record, {step, errno} and a text naming
 * the object ("mount proc on proc"), and exits; the pipe is O_CLOEXEC, so
 * the parent reads EOF once the exec succeeded.  The parent decides on the
 * step and errno; the text is only for the message.
 */
#ifndef CTLVZ_CHAN_H
#define CTLVZ_CHAN_H

#include "err.h"

enum chan_step {
	CHAN_STEP_NONE,		/* no report: the child exec'd (or exited quietly) */
	CHAN_STEP_SETUP,	/* building the container: mounts, /dev, ids, stdio */
	CHAN_STEP_JOIN,		/* joining the container's cgroup or namespaces */
	CHAN_STEP_RUN,		/* ns_run()'s function inside the container */
	CHAN_STEP_EXEC,		/* the final exec of init or of the command */
};

#define CHAN_TEXT_MAX	1024

struct chan_report {
	enum chan_step step;
	int errnum;			/* errno of the failed call, 0 if none */
	char text[CHAN_TEXT_MAX];	/* what failed, without strerror() */
};

/* In the child: report @step, @errnum and the text, then _exit(127). */
void chan_fail(int fd, enum chan_step step, int errnum, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 4, 5)));

/* In the parent: 0 at EOF (rep->step is CHAN_STEP_NONE), 1 with a report, -errno. */
int chan_read(int fd, struct chan_report *rep);

/*
 * chan_read() for callers that only need the error: 0 at EOF; -1 with *err
 * ("text: strerror(errno)", @status, errnum) and the step in *step (if not
 * NULL) for a report.
 */
int chan_recv(int fd, int status, enum chan_step *step, struct ct_err **err);

#endif
