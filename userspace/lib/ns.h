/* SPDX-License-Identifier: GPL-2.0 */
/* Creating a container's init in fresh namespaces, and joining them later. */
#ifndef CTLVZ_NS_H
#define CTLVZ_NS_H

#include <stdbool.h>
#include <sys/types.h>

#include "err.h"

struct ns_spawn {
	/* in */
	const char *private_dir;	/* host path of the root filesystem */
	const char *root_dir;		/* mount point, /vz/root/CTID */
	const char *hostname;		/* NULL: keep the template's */
	const char *init;		/* path inside the container */
	bool tun;			/* bind the host's /dev/net/tun in */
	int cgroup_fd;			/* directory fd of the payload cgroup (cgroup.h) */
	const char *cgroup_path;	/* its path, for the cgroup.procs fallback */
	uid_t idbase;
	/*
	 * Called after the uid/gid maps are written and before the child
	 * may go on, e.g. to set up networking in its netns.
	 */
	int (*prepare)(pid_t pid, void *arg, struct ct_err **err);
	void *prepare_arg;
	/* out */
	pid_t pid;
	int pidfd;
	int console;			/* master of init's /dev/console, a pty */
	int notify;			/* init's $NOTIFY_SOCKET, bound inside */
};

#define NOTIFY_SOCKET_PATH "/run/host/notify"

/* $container and /run/systemd/container of init (systemd's container interface). */
#define CONTAINER_MANAGER "lowfat"

/*
 * Clone the container's init into new user, pid, mount, uts, ipc, net and
 * cgroup namespaces (CLONE_INTO_CGROUP, or cgroup.procs on old kernels),
 * map its ids, set up its root and exec s->init.  Returns 0 once init has
 * exec'd; errors of the child come back with the step that failed.
 */
int ns_spawn(struct ns_spawn *s, struct ct_err **err);

struct ns_exec {
	int pidfd;			/* the container's init */
	int cgroup_fd;			/* the exec's own leaf, <ct>/ctlvz.exec-PID */
	const char *cgroup_path;
	char *const *argv;		/* run with execvp() inside */
	bool pty;			/* allocate a pty inside and relay to our terminal */
};

/*
 * Run argv inside the container: every namespace of init (user last), its
 * own cgroup leaf, uid/gid 0, its capability bounding set, a session of its
 * own.  The joining helper is not dumpable and holds no fd but the
 * command's stdio and its channels.  Returns the exit status
 * (128 + signal for a killed command) or -1 with err set.
 */
int ns_exec(const struct ns_exec *x, struct ct_err **err);

/* Capabilities kept in a container's bounding set, as OpenVZ's default. */
bool ns_cap_allowed(int cap);



/*
 * Run fn(arg) in a child that joined init's mount, uts, ipc, net and cgroup
 * namespaces and then its user namespace as the container's root.  fn
 * returns 0 or sets errno and returns -1 with a static description in *what.
 */
int ns_run(int pidfd, int (*fn)(void *arg, const char **what), void *arg,
	   struct ct_err **err);
#endif
