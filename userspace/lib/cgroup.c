// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cgroup.h"
#include "util.h"

static const char *const wanted_controllers[] = { "pids", "memory", "io", "cpu" };

static bool has_word(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *s = list; (s = strstr(s, word)); s += n)
		if ((s == list || s[-1] == ' ') && (s[n] == ' ' || s[n] == '\n' || !s[n]))
			return true;
	return false;
}

/* Enable in dir/cgroup.subtree_control what dir/cgroup.controllers offers. */
static int enable_controllers(const char *dir, struct ct_err **err)
{
	_cleanup_free_ char *ctl_path = xasprintf("%s/cgroup.controllers", dir);
	_cleanup_free_ char *st_path = xasprintf("%s/cgroup.subtree_control", dir);
	_cleanup_free_ char *avail = NULL, *enabled = NULL;
	int r;

	r = read_file(ctl_path, &avail);
	if (r < 0)
		return err_set(err, VZ_SYSTEM_ERROR, -r, "read %s", ctl_path);
	r = read_file(st_path, &enabled);
	if (r < 0)
		return err_set(err, VZ_SYSTEM_ERROR, -r, "read %s", st_path);
	for (size_t i = 0; i < ARRAY_SIZE(wanted_controllers); i++) {
		const char *c = wanted_controllers[i];
		_cleanup_free_ char *cmd = NULL;

		if (!has_word(avail, c) || has_word(enabled, c))
			continue;
		cmd = xasprintf("+%s", c);
		r = write_file(st_path, cmd);
		if (r < 0)
			return err_set(err, VZ_SYSTEM_ERROR, -r, "write %s to %s", cmd, st_path);
	}
	return 0;
}

int cg_prepare(const char *cgroot, struct ct_err **err)
{
	_cleanup_free_ char *top = xasprintf("%s/ctlvz", cgroot);
	_cleanup_free_ char *probe = xasprintf("%s/cgroup.controllers", cgroot);

	if (access(probe, F_OK) < 0)
		return err_set(err, VZ_BAD_KERNEL, errno,
			       "%s is not a cgroup v2 mount (set CGROUP_ROOT in the global config)", cgroot);
	if (enable_controllers(cgroot, err) < 0)
		return -1;
	if (mkdir(top, 0755) < 0 && errno != EEXIST)
		return err_set(err, VZ_SYSTEM_ERROR, errno, "mkdir %s", top);
	return enable_controllers(top, err);
}

int cg_create(const char *path, int *dirfd, struct ct_err **err)
{
	int fd;

	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		return err_set(err, VZ_SYSTEM_ERROR, errno, "mkdir %s", path);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return err_set(err, VZ_SYSTEM_ERROR, errno, "open %s", path);
	*dirfd = fd;
	return 0;
}

/*
 * <ct>/payload, the tree the container's init owns (systemd's delegation:
 * it makes init.scope, system.slice... in it).  <ct> keeps the limits and
 * the beancounter and hands every controller down; the payload's own
 * cgroup.max.* stay root's, so the container cannot lift them.
 */
int cg_create_payload(const char *ctcg, int *dirfd, struct ct_err **err)
{
	_cleanup_free_ char *payload = xasprintf("%s/%s", ctcg, CG_PAYLOAD);
	_cleanup_free_ char *depth = xasprintf("%s/cgroup.max.depth", payload);
	_cleanup_free_ char *desc = xasprintf("%s/cgroup.max.descendants", payload);
	int r;

	if (enable_controllers(ctcg, err) < 0 || cg_create(payload, dirfd, err) < 0)
		return -1;
	r = write_file(depth, CG_PAYLOAD_MAX_DEPTH);
	if (r == 0)
		r = write_file(desc, CG_PAYLOAD_MAX_DESCENDANTS);
	if (r < 0) {
		close(*dirfd);
		*dirfd = -1;
		return err_set(err, VZ_SYSTEM_ERROR, -r, "limit the cgroup tree of %s", payload);
	}
	return 0;
}

/* <ct>/ctlvz.exec-PID: a leaf outside the payload for one exec, never systemd's. */
int cg_create_exec(const char *ctcg, pid_t owner, char **path, int *dirfd, struct ct_err **err)
{
	*path = xasprintf("%s/" CG_EXEC_PREFIX "%d", ctcg, owner);
	if (cg_create(*path, dirfd, err) < 0) {
		free(*path);
		*path = NULL;
		return -1;
	}
	return 0;
}

int cg_delegate(int dirfd, const char *path, uid_t uid, gid_t gid, struct ct_err **err)
{
	/* As systemd's Delegate=: the directory and the files that manage children. */
	static const char *const files[] = { ".", "cgroup.procs", "cgroup.threads",
					     "cgroup.subtree_control" };

	for (size_t i = 0; i < ARRAY_SIZE(files); i++)
		if (fchownat(dirfd, files[i], uid, gid, AT_SYMLINK_NOFOLLOW) < 0 &&
		    errno != ENOENT)
			return err_set(err, VZ_SYSTEM_ERROR, errno, "chown %s/%s", path, files[i]);
	return 0;
}

bool cg_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool cg_populated(const char *path)
{
	_cleanup_free_ char *ev = xasprintf("%s/cgroup.events", path);
	_cleanup_free_ char *buf = NULL;

	if (read_file(ev, &buf) < 0)
		return false;
	return strstr(buf, "populated 1") != NULL;
}

long cg_nr_tasks(const char *path)
{
	_cleanup_free_ char *cur = xasprintf("%s/pids.current", path);
	_cleanup_free_ char *thr = xasprintf("%s/cgroup.threads", path);
	_cleanup_free_ char *buf = NULL;
	long n = 0;

	if (read_file(cur, &buf) == 0)
		return strtol(buf, NULL, 10);
	if (read_file(thr, &buf) < 0)
		return -1;
	for (char *s = buf; *s; s++)
		n += *s == '\n';
	return n;
}

static void kill_procs_recursive(const char *path)
{
	_cleanup_free_ char *procs = xasprintf("%s/cgroup.procs", path);
	_cleanup_closedir_ DIR *d = opendir(path);
	_cleanup_free_ char *buf = NULL;
	struct dirent *de;

	if (read_file(procs, &buf) == 0)
		for (char *s = buf, *e; *s; s = e) {
			long pid = strtol(s, &e, 10);

			if (e == s)
				break;
			if (pid > 0)
				kill(pid, SIGKILL);
		}
	while (d && (de = readdir(d))) {
		_cleanup_free_ char *sub = NULL;

		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		sub = xasprintf("%s/%s", path, de->d_name);
		kill_procs_recursive(sub);
	}
}

int cg_kill(const char *path, struct ct_err **err)
{
	_cleanup_free_ char *kill_path = xasprintf("%s/cgroup.kill", path);
	int r;

	r = write_file(kill_path, "1");
	if (r == 0 || r == -ENOENT) {
		if (r == -ENOENT && !cg_exists(path))
			return 0;
		if (r == -ENOENT)	/* before Linux 5.14 */
			kill_procs_recursive(path);
		return 0;
	}
	return err_set(err, VZ_STOP_ERROR, -r, "write %s", kill_path);
}

int cg_wait_empty(const char *path, long timeout_ms)
{
	_cleanup_free_ char *ev = xasprintf("%s/cgroup.events", path);
	_cleanup_close_ int fd = open(ev, O_RDONLY | O_CLOEXEC);
	struct timespec start, now;

	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLPRI };
		char buf[256];
		ssize_t n;
		long left;

		/* Reading the polled fd also re-arms its notification. */
		n = pread(fd, buf, sizeof(buf) - 1, 0);
		if (n < 0)
			return errno == ENODEV || errno == ENOENT ? 0 : -errno;
		buf[n] = '\0';
		if (!strstr(buf, "populated 1"))
			return 0;
		clock_gettime(CLOCK_MONOTONIC, &now);
		left = timeout_ms - ((now.tv_sec - start.tv_sec) * 1000 +
				     (now.tv_nsec - start.tv_nsec) / 1000000);
		if (left <= 0)
			return -ETIMEDOUT;
		/* cgroup.events wakes us with POLLPRI; 100 ms ticks as a safety net. */
		if (poll(&pfd, 1, left < 100 ? left : 100) < 0 && errno != EINTR)
			return -errno;
	}
}

int cg_remove(const char *path, struct ct_err **err)
{
	_cleanup_closedir_ DIR *d = opendir(path);
	struct dirent *de;

	if (!d)
		return errno == ENOENT ? 0 : err_set(err, VZ_SYSTEM_ERROR, errno, "open %s", path);
	while ((de = readdir(d))) {
		_cleanup_free_ char *sub = NULL;

		if (de->d_type != DT_DIR || !strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		sub = xasprintf("%s/%s", path, de->d_name);
		if (cg_remove(sub, err) < 0)
			return -1;
	}
	for (int tries = 0; rmdir(path) < 0; tries++) {
		/* Dying tasks can keep a cgroup busy for a moment after the kill. */
		if (errno == ENOENT)
			return 0;
		if (errno != EBUSY || tries > 100)
			return err_set(err, VZ_SYSTEM_ERROR, errno, "rmdir %s", path);
		usleep(20 * 1000);
	}
	return 0;
}
