/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cgroup v2 helpers for the vzbc selftests.
 *
 * Paths are absolute cgroup directories (/sys/fs/cgroup/...).  Functions
 * return 0 or -errno unless said otherwise; none of them prints, so the
 * tests decide what a failure means.
 */
#ifndef VZBC_TESTS_CG_H
#define VZBC_TESTS_CG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define CG_ROOT		"/sys/fs/cgroup"
#define CG_PATH_MAX	256

/* Builds "/sys/fs/cgroup/vzbct-<pid>-<tag>" into @path and creates it. */
int cg_create_unique(const char *tag, char *path, size_t len);
/* Creates @parent/@name into @path. */
int cg_create_child(const char *parent, const char *name, char *path, size_t len);
/* Kills every task below @path, waits until it is empty, removes it and its
 * descendants.  ENOENT counts as success. */
int cg_destroy(const char *path);
/* Kills every task in @path and its descendants and waits until none is left
 * (reaping our own children on the way). */
int cg_kill_wait(const char *path);

int cg_open(const char *path);	/* O_RDONLY | O_DIRECTORY | O_CLOEXEC */
bool cg_has_file(const char *path, const char *file);

int cg_write(const char *path, const char *file, const char *val);
int cg_write_u64(const char *path, const char *file, uint64_t val);
/* Reads the whole file, NUL-terminated; returns length or -errno. */
ssize_t cg_read(const char *path, const char *file, char *buf, size_t len);
/* Reads a single number; "max" reads as UINT64_MAX. */
int cg_read_u64(const char *path, const char *file, uint64_t *val);
/* Reads the value of "key value" line @key of a flat-keyed file. */
int cg_read_key(const char *path, const char *file, const char *key,
		uint64_t *val);
/* Number of pids listed in cgroup.procs (or cgroup.threads). */
int cg_count_lines(const char *path, const char *file);

/* Moves @pid (0: the caller) into @path by writing cgroup.procs. */
int cg_enter(const char *path, pid_t pid);

/*
 * clone3(CLONE_INTO_CGROUP) into @cgfd, fork() semantics: returns the child
 * pid in the parent, 0 in the child, -errno on failure.  The child must keep
 * to plain system calls (pause, _exit, ...): it was not made by glibc's fork.
 */
pid_t cg_clone_into(int cgfd);
/*
 * A child in @cgfd (cg_clone_into()) that sleeps until it is killed: its
 * pid, or -errno.
 */
pid_t cg_sleeper(int cgfd);
/*
 * fork() whose child has moved itself into @path before the parent returns.
 * The child may use anything a fork()ed child may.  Same return convention.
 */
pid_t cg_fork_into(const char *path);

/* Kills @pid with SIGKILL and reaps it. */
void kill_reap(pid_t pid);
/* Reaps every child that has exited; returns how many. */
int reap_exited(void);

/* Milliseconds on CLOCK_MONOTONIC. */
int64_t now_ms(void);

/*
 * Polls @read until it yields @want or @timeout_ms elapse.  Returns 0 on a
 * match, -ETIMEDOUT (with the last value in *@last) or @read's -errno.
 */
typedef int (*poll_read_fn)(void *arg, uint64_t *val);
int wait_for_value(poll_read_fn read, void *arg, uint64_t want,
		   int timeout_ms, uint64_t *last);

/* poll_read_fn for a cgroup file holding one number. */
struct cg_file_arg {
	const char *path;
	const char *file;
};
int cg_poll_read(void *arg, uint64_t *val);

#endif /* VZBC_TESTS_CG_H */
