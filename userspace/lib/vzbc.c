// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdbool.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>

#include <linux/vzbc.h>

#include "util.h"
#include "vzbc.h"

extern char **environ;

/* 0, the modprobe's non-zero exit status (> 0), or -errno if it did not run. */
static int run_modprobe(void)
{
	char *argv[] = { "modprobe", "-q", "vzbc", NULL };
	posix_spawn_file_actions_t fa;
	int status, r;
	pid_t pid;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	r = posix_spawnp(&pid, "modprobe", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (r)
		return -r;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

int vzbc_open(int *fdp, struct ct_err **err)
{
	int fd = open(VZBC_DEVICE_PATH, O_RDWR | O_CLOEXEC);

	if (fd < 0 && errno == ENOENT) {
		int r = run_modprobe();

		if (r < 0)
			return err_set(err, VZ_BAD_KERNEL, -r,
				       "%s is missing and modprobe could not be run: this kernel has "
				       "no vzbc support; install vzbc.ko", VZBC_DEVICE_PATH);
		if (r > 0)
			return err_set(err, VZ_BAD_KERNEL, 0,
				       "%s is missing and \"modprobe vzbc\" failed (status %d): this "
				       "kernel has no vzbc support; install vzbc.ko", VZBC_DEVICE_PATH, r);
		fd = open(VZBC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	}
	if (fd < 0)
		return err_set(err, errno == ENOENT ? VZ_BAD_KERNEL : VZ_SYSTEM_ERROR, errno,
			       "open %s", VZBC_DEVICE_PATH);
	*fdp = fd;
	return 0;
}

int vzbc_create(int fd, unsigned int ctid, int cgroup_fd, struct ct_err **err)
{
	struct vzbc_create arg = {
		.size = sizeof(arg),
		.ctid = ctid,
		.cgroup_fd = cgroup_fd,
	};

	if (ioctl(fd, VZBC_IOC_CREATE, &arg) < 0)
		return err_set(err, VZ_RESOURCE_ERROR, errno, "vzbc CREATE of beancounter %u", ctid);
	return 0;
}

int vzbc_destroy(int fd, unsigned int ctid, bool *existed, struct ct_err **err)
{
	struct vzbc_ctid arg = { .size = sizeof(arg), .ctid = ctid };

	*existed = true;
	if (ioctl(fd, VZBC_IOC_DESTROY, &arg) == 0)
		return 0;
	if (errno == ENOENT) {
		*existed = false;
		return 0;
	}
	return err_set(err, VZ_RESOURCE_ERROR, errno, "vzbc DESTROY of beancounter %u", ctid);
}
