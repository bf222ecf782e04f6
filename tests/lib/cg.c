// SPDX-License-Identifier: GPL-2.0
/* cgroup v2 helpers for the vzbc selftests; see cg.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cg.h"

#define CG_KILL_TIMEOUT_MS	10000

int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int join(char *buf, size_t len, const char *a, const char *b)
{
	int n = snprintf(buf, len, "%s/%s", a, b);

	return (n < 0 || (size_t)n >= len) ? -ENAMETOOLONG : 0;
}

int cg_create_child(const char *parent, const char *name, char *path, size_t len)
{
	int ret = join(path, len, parent, name);

	if (ret)
		return ret;
	if (mkdir(path, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

int cg_create_unique(const char *tag, char *path, size_t len)
{
	char name[64];

	snprintf(name, sizeof(name), "vzbct-%d-%s", (int)getpid(), tag);
	return cg_create_child(CG_ROOT, name, path, len);
}

int cg_open(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

bool cg_has_file(const char *path, const char *file)
{
	char p[CG_PATH_MAX + 64];

	if (join(p, sizeof(p), path, file))
		return false;
	return access(p, F_OK) == 0;
}

int cg_write(const char *path, const char *file, const char *val)
{
	char p[CG_PATH_MAX + 64];
	size_t len = strlen(val);
	ssize_t n;
	int fd, ret;

	ret = join(p, sizeof(p), path, file);
	if (ret)
		return ret;
	fd = open(p, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, len);
	ret = n < 0 ? -errno : ((size_t)n == len ? 0 : -EIO);
	close(fd);
	return ret;
}

int cg_write_u64(const char *path, const char *file, uint64_t val)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRIu64, val);
	return cg_write(path, file, buf);
}

ssize_t cg_read(const char *path, const char *file, char *buf, size_t len)
{
	char p[CG_PATH_MAX + 64];
	size_t off = 0;
	ssize_t n;
	int fd, ret;

	if (len == 0)
		return -EINVAL;
	ret = join(p, sizeof(p), path, file);
	if (ret)
		return ret;
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (off < len - 1) {
		n = read(fd, buf + off, len - 1 - off);
		if (n < 0) {
			ret = -errno;
			close(fd);
			return ret;
		}
		if (n == 0)
			break;
		off += n;
	}
	close(fd);
	buf[off] = '\0';
	return off;
}

static int parse_u64(const char *s, uint64_t *val)
{
	unsigned long long v;
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!strncmp(s, "max", 3)) {
		*val = UINT64_MAX;
		return 0;
	}
	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -errno;
	if (*end != '\0' && *end != '\n' && *end != ' ')
		return -EINVAL;
	*val = v;
	return 0;
}

int cg_read_u64(const char *path, const char *file, uint64_t *val)
{
	char buf[64];
	ssize_t n = cg_read(path, file, buf, sizeof(buf));

	if (n < 0)
		return n;
	return parse_u64(buf, val);
}

int cg_read_key(const char *path, const char *file, const char *key,
		uint64_t *val)
{
	char buf[4096], *line, *save = NULL;
	size_t klen = strlen(key);
	ssize_t n = cg_read(path, file, buf, sizeof(buf));

	if (n < 0)
		return n;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, key, klen) && line[klen] == ' ')
			return parse_u64(line + klen + 1, val);
	}
	return -ENOENT;
}

int cg_count_lines(const char *path, const char *file)
{
	char buf[65536];
	ssize_t n = cg_read(path, file, buf, sizeof(buf));
	int lines = 0;

	if (n < 0)
		return n;
	for (ssize_t i = 0; i < n; i++)
		lines += buf[i] == '\n';
	return lines;
}

int cg_enter(const char *path, pid_t pid)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%d", (int)pid);
	return cg_write(path, "cgroup.procs", buf);
}

pid_t cg_clone_into(int cgfd)
{
	struct clone_args args;
	long pid;

	memset(&args, 0, sizeof(args));
	args.flags = CLONE_INTO_CGROUP;
	args.exit_signal = SIGCHLD;
	args.cgroup = cgfd;
	pid = syscall(__NR_clone3, &args, sizeof(args));
	return pid < 0 ? -errno : (pid_t)pid;
}

pid_t cg_sleeper(int cgfd)
{
	pid_t pid = cg_clone_into(cgfd);

	if (pid == 0)
		for (;;)
			pause();
	return pid;
}

pid_t cg_fork_into(const char *path)
{
	int pipefd[2], err = 0;
	ssize_t n;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0) {
		err = -errno;
		close(pipefd[0]);
		close(pipefd[1]);
		return err;
	}
	if (pid == 0) {
		close(pipefd[0]);
		err = cg_enter(path, 0);
		if (write(pipefd[1], &err, sizeof(err)) != sizeof(err) || err)
			_exit(127);
		close(pipefd[1]);
		return 0;
	}
	close(pipefd[1]);
	n = read(pipefd[0], &err, sizeof(err));
	close(pipefd[0]);
	if (n != sizeof(err) || err) {
		kill_reap(pid);
		return err ? err : -EIO;
	}
	return pid;
}

void kill_reap(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

int reap_exited(void)
{
	int n = 0;

	while (waitpid(-1, NULL, WNOHANG) > 0)
		n++;
	return n;
}

static bool cg_populated(const char *path, int *err)
{
	uint64_t v = 1;

	*err = cg_read_key(path, "cgroup.events", "populated", &v);
	return v != 0;
}

int cg_kill_wait(const char *path)
{
	int64_t deadline = now_ms() + CG_KILL_TIMEOUT_MS;
	int err;

	if (access(path, F_OK))
		return errno == ENOENT ? 0 : -errno;
	err = cg_write(path, "cgroup.kill", "1");
	if (err)
		return err;
	while (cg_populated(path, &err)) {
		if (err)
			return err;
		reap_exited();
		if (now_ms() > deadline)
			return -ETIMEDOUT;
		usleep(5000);
	}
	reap_exited();
	return err;
}

static int cg_rmdir_tree(const char *path)
{
	int64_t deadline = now_ms() + CG_KILL_TIMEOUT_MS;
	char child[CG_PATH_MAX];
	struct dirent *de;
	int ret = 0, r;
	DIR *d;

	d = opendir(path);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		if (de->d_type != DT_DIR || !strcmp(de->d_name, ".") ||
		    !strcmp(de->d_name, ".."))
			continue;
		r = join(child, sizeof(child), path, de->d_name);
		if (!r)
			r = cg_rmdir_tree(child);
		if (r && !ret)
			ret = r;
	}
	closedir(d);
	/* Exiting tasks may keep the cgroup busy for a moment. */
	while (rmdir(path)) {
		if (errno == ENOENT)
			break;
		if (errno != EBUSY || now_ms() > deadline)
			return ret ? ret : -errno;
		reap_exited();
		usleep(5000);
	}
	return ret;
}

int cg_destroy(const char *path)
{
	int ret, r;

	if (!path || !path[0])
		return 0;
	ret = cg_kill_wait(path);
	r = cg_rmdir_tree(path);
	return ret ? ret : r;
}

int wait_for_value(poll_read_fn read, void *arg, uint64_t want,
		   int timeout_ms, uint64_t *last)
{
	int64_t deadline = now_ms() + timeout_ms;
	uint64_t v = 0;
	int ret;

	for (;;) {
		ret = read(arg, &v);
		if (last)
			*last = v;
		if (ret)
			return ret;
		if (v == want)
			return 0;
		if (now_ms() > deadline)
			return -ETIMEDOUT;
		usleep(5000);
	}
}

int cg_poll_read(void *arg, uint64_t *val)
{
	const struct cg_file_arg *a = arg;

	return cg_read_u64(a->path, a->file, val);
}
