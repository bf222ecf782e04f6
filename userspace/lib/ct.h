/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A container: its CTID.conf, private area, cgroup, beancounter, network and
 * run state.  Every operation that changes one runs under its lock (lock.h).
 *
 * Run state lives in <LOCKDIR>/CTID.state (KEY="value" lines):
 *   STATE="starting" | "running" | "stopping", PID (init in the host pid
 *   namespace), STARTTIME (its start time in clock ticks, /proc/PID/stat
 *   field 22, so that a reused pid is never taken for init).
 * A state other than "running" with the lock free, or a cgroup without a
 * live init, is what an interrupted ctlvz left: the next start, stop or
 * destroy finishes the teardown ("repair").
 */
#ifndef CTLVZ_CT_H
#define CTLVZ_CT_H

#include <stdbool.h>
#include <sys/types.h>

#include "conf.h"
#include "err.h"
#include "lim.h"

#define CTID_MIN 1U
#define CTID_MAX 2147483644U	/* as vzctl */

/* Tells the admin about something that is not an error ("killing it"). */
typedef void (*ct_notice_fn)(const char *msg);

struct ct {
	unsigned int ctid;
	ct_notice_fn notice;		/* NULL: stay quiet */
	const struct ct_paths *paths;
	char *conf_path;
	struct kvfile *conf;		/* the loaded CTID.conf, empty if none */
	bool exists;			/* CTID.conf was there */
	char *root;			/* VE_ROOT, expanded */
	char *private_dir;		/* VE_PRIVATE, expanded */
	char *cgroup;			/* <CGROUP_ROOT>/ctlvz/CTID */
	char *state_path;
	char *console_path;		/* the console log (console.h) */
	char *console_sock;		/* where "ctlvz console" attaches */
	char *ready_path;		/* there once systemd said READY=1 */
	int lock_fd;
};

/* Parse a CTID: VZ_INVALID_PARAMETER_SYNTAX if not a number, _VALUE if out of range. */
int ct_parse_id(const char *s, unsigned int *ctid, struct ct_err **err);

/* Load the container's config and, with lock, take its lock. */
int ct_open(const struct ct_paths *paths, unsigned int ctid, bool lock, struct ct **out,
	    struct ct_err **err);
void ct_free(struct ct **ct);
static inline void ct_freep(struct ct **ct) { ct_free(ct); }
#define _cleanup_ct_ __attribute__((cleanup(ct_freep)))

struct ct_status {
	bool exists;		/* config and private area */
	bool running;		/* init alive */
	bool booting;		/* running, systemd, not READY=1 yet */
	bool stale;		/* leftovers of an interrupted ctlvz */
	pid_t init_pid;
	long nproc;		/* tasks in the cgroup, -1 if none */
};
int ct_status(struct ct *ct, struct ct_status *st, struct ct_err **err);

struct ct_create_opts {
	const char *ostemplate;
	const char *hostname;
	char *const *ips;	/* canonical "A/P" */
	const struct ct_limits *limits;	/* a plan's (plan.h), NULL: none */
	const char *origin;		/* its name, saved as ORIGIN_SAMPLE */
};
int ct_create(struct ct *ct, const struct ct_create_opts *o, struct ct_err **err);
int ct_destroy(struct ct *ct, struct ct_err **err);
int ct_start(struct ct *ct, struct ct_err **err);
int ct_stop(struct ct *ct, bool fast, struct ct_err **err);
/* Run argv inside; drops the lock first.  Returns the command's status. */
int ct_exec(struct ct *ct, char *const *argv, bool pty, struct ct_err **err);

/* Attach our terminal to the running container's /dev/console (console.h). */
int ct_console(struct ct *ct, struct ct_err **err);

/*
 * Settings changed by "set".  Each applies live to a running container;
 * with save it is also written to CTID.conf.  A stopped container needs save.
 */
struct ct_set {
	const char *hostname;
	char **ipadd;		/* canonical "A/P" */
	size_t nr_ipadd;
	char **ipdel;		/* canonical, or "all" */
	size_t nr_ipdel;
	const struct ct_limits *limits;	/* NULL: none given */
	bool save;
};
int ct_set(struct ct *ct, const struct ct_set *s, struct ct_err **err);

bool ct_hostname_ok(const char *h);
/* IP_ADDRESS of the config as a NULL-terminated array (caller frees each and it). */
char **ct_ips(const struct ct *ct);

#endif
