/* SPDX-License-Identifier: GPL-2.0 */
/* The container's cgroup v2 directory, <CGROUP_ROOT>/ctlvz/CTID. */
#ifndef CTLVZ_CGROUP_H
#define CTLVZ_CGROUP_H

#include <stdbool.h>
#include <sys/types.h>

#include "err.h"

/* Make <root>/ctlvz and enable pids, memory, io and cpu (those available) below it. */
int cg_prepare(const char *cgroot, struct ct_err **err);
/* mkdir path (an existing one is fine) and return an O_DIRECTORY fd of it. */
int cg_create(const char *path, int *dirfd, struct ct_err **err);
/*
 * The container's own tree: init starts in <ct>/payload (its cgroup
 * namespace root, delegated to it); each exec and enter runs in a leaf
 * <ct>/ctlvz.exec-PID beside it, removed when the command ends.
 */
#define CG_PAYLOAD "payload"
#define CG_EXEC_PREFIX "ctlvz.exec-"
#define CG_PAYLOAD_MAX_DEPTH "16"
#define CG_PAYLOAD_MAX_DESCENDANTS "4096"
/* Enable the controllers in ctcg, make ctcg/payload with its max.* set, its fd in *dirfd. */
int cg_create_payload(const char *ctcg, int *dirfd, struct ct_err **err);
/* Make ctcg/ctlvz.exec-<owner>: its path (caller frees) and fd. */
int cg_create_exec(const char *ctcg, pid_t owner, char **path, int *dirfd, struct ct_err **err);
/* Let the container's root (host uid/gid) manage sub-cgroups, not its own limits. */
int cg_delegate(int dirfd, const char *path, uid_t uid, gid_t gid, struct ct_err **err);
bool cg_exists(const char *path);
/* "populated 1" in cgroup.events: some task lives in path or below. */
bool cg_populated(const char *path);
/* Tasks (threads included) charged to path: pids.current, else cgroup.threads lines. */
long cg_nr_tasks(const char *path);
/* SIGKILL every task below path (cgroup.kill, or one by one on old kernels). */
int cg_kill(const char *path, struct ct_err **err);
/* Wait until path is unpopulated, at most timeout_ms; -ETIMEDOUT otherwise. */
int cg_wait_empty(const char *path, long timeout_ms);
/* rmdir path and every sub-cgroup the container made; a missing one is fine. */
int cg_remove(const char *path, struct ct_err **err);

#endif
