// SPDX-License-Identifier: GPL-2.0
/* The kernel client, ioctl half: /dev/vzbc (see bc.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>

#include "bc.h"
#include "util.h"

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

int bc_open(unsigned int flags, struct ct_err **err)
{
	int fd = open(VZBC_DEVICE_PATH, O_RDWR | O_CLOEXEC);

	if (fd < 0 && errno == ENOENT && (flags & BC_OPEN_MODPROBE)) {
		int r = run_modprobe();

		if (r < 0)
			return err_errno(err, VZ_BAD_KERNEL, -r,
					 "%s is missing and modprobe could not be run: this kernel has "
					 "no vzbc support; install vzbc.ko", VZBC_DEVICE_PATH);
		if (r > 0) {
			err_errno(err, VZ_BAD_KERNEL, 0,
				  "%s is missing and \"modprobe vzbc\" failed (status %d): this "
				  "kernel has no vzbc support; install vzbc.ko", VZBC_DEVICE_PATH, r);
			return -ENOENT;
		}
		fd = open(VZBC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	}
	if (fd < 0)
		return err_errno(err, errno == ENOENT ? VZ_BAD_KERNEL : VZ_SYSTEM_ERROR, errno,
				 "open %s", VZBC_DEVICE_PATH);
	return fd;
}

/* The ioctl's result, or -errno with the message @fmt in *@err. */
static int __attribute__((format(printf, 5, 6)))
bc_ioctl(int fd, unsigned long cmd, void *arg, struct ct_err **err, const char *fmt, ...)
{
	int r = ioctl(fd, cmd, arg), e = errno;
	va_list ap;

	if (r >= 0)
		return r;
	va_start(ap, fmt);
	r = err_verrno(err, VZ_RESOURCE_ERROR, e, fmt, ap);
	va_end(ap);
	return r;
}

int bc_version(int fd, struct ct_err **err)
{
	return bc_ioctl(fd, VZBC_IOC_VERSION, NULL, err, "vzbc VERSION");
}

int bc_create(int fd, uint32_t ctid, int cgroup_fd, struct ct_err **err)
{
	struct vzbc_create arg = {
		.size = sizeof(arg), .ctid = ctid, .cgroup_fd = cgroup_fd,
	};

	return bc_ioctl(fd, VZBC_IOC_CREATE, &arg, err, "vzbc CREATE of beancounter %u", ctid);
}

int bc_destroy(int fd, uint32_t ctid, struct ct_err **err)
{
	struct vzbc_ctid arg = { .size = sizeof(arg), .ctid = ctid };

	return bc_ioctl(fd, VZBC_IOC_DESTROY, &arg, err, "vzbc DESTROY of beancounter %u", ctid);
}

int bc_set(int fd, uint32_t ctid, uint32_t res, uint64_t barrier,
	   uint64_t limit, struct ct_err **err)
{
	struct vzbc_set arg = {
		.size = sizeof(arg), .ctid = ctid, .resource = res,
		.barrier = barrier, .limit = limit,
	};

	return bc_ioctl(fd, VZBC_IOC_SET, &arg, err, "vzbc SET of resource %u of beancounter %u",
			res, ctid);
}

int bc_get(int fd, uint32_t ctid, struct vzbc_stat *stats, uint32_t *nr,
	   struct ct_err **err)
{
	struct vzbc_get arg = {
		.size = sizeof(arg), .ctid = ctid, .nr_stats = *nr,
		.stats = (uintptr_t)stats, .stat_size = sizeof(*stats),
	};
	int r = bc_ioctl(fd, VZBC_IOC_GET, &arg, err, "vzbc GET of beancounter %u", ctid);

	if (r >= 0)
		*nr = arg.nr_stats;
	return r;
}

int bc_get_res(int fd, uint32_t ctid, uint32_t res, struct vzbc_stat *st,
	       struct ct_err **err)
{
	struct vzbc_stat stats[BC_MAX_RES];
	uint32_t nr = BC_MAX_RES, i;
	int r = bc_get(fd, ctid, stats, &nr, err);

	if (r < 0)
		return r;
	for (i = 0; i < nr && i < BC_MAX_RES; i++)
		if (stats[i].resource == res) {
			*st = stats[i];
			return 0;
		}
	return err_errno(err, VZ_RESOURCE_ERROR, ENODATA,
			 "vzbc GET of beancounter %u: no resource %u", ctid, res);
}

int bc_list(int fd, uint32_t start, uint32_t *ctids, uint32_t *nr,
	    uint32_t *next, struct ct_err **err)
{
	struct vzbc_list arg = {
		.size = sizeof(arg), .start_ctid = start, .nr_ctids = *nr,
		.ctids = (uintptr_t)ctids,
	};
	int r = bc_ioctl(fd, VZBC_IOC_LIST, &arg, err, "vzbc LIST from ctid %u", start);

	if (r < 0)
		return r;
	*nr = arg.nr_ctids;
	if (next)
		*next = arg.next_ctid;
	return r;
}

int bc_resources(int fd, struct bc_resinfo **out, size_t *nr, struct ct_err **err)
{
	struct vzbc_res_info info[BC_MAX_RES];
	struct vzbc_resources arg = {
		.size = sizeof(arg), .nr_info = BC_MAX_RES,
		.info_size = sizeof(info[0]), .info = (uintptr_t)info,
	};
	struct bc_resinfo *tab;
	uint32_t i;
	int r;

	r = bc_ioctl(fd, VZBC_IOC_RESOURCES, &arg, err, "vzbc RESOURCES");
	if (r == -ENOTTY)
		return err_errno(err, VZ_BAD_KERNEL, ENOTTY,
				 "vzbc.ko does not list its resources (VZBC_IOC_RESOURCES, API %d): "
				 "load the vzbc.ko that came with ctlvz", VZBC_API_VERSION);
	if (r < 0)
		return r;
	if (arg.nr_info > BC_MAX_RES)
		return err_errno(err, VZ_RESOURCE_ERROR, EOVERFLOW,
				 "vzbc RESOURCES: %u entries in an array of %u",
				 arg.nr_info, BC_MAX_RES);
	tab = xzalloc((arg.nr_info + 1) * sizeof(*tab));
	for (i = 0; i < arg.nr_info; i++) {
		tab[i].id = info[i].resource;
		tab[i].unit = info[i].unit;
		memcpy(tab[i].name, info[i].name, sizeof(tab[i].name));
		tab[i].name[sizeof(tab[i].name) - 1] = '\0';
	}
	*out = tab;
	*nr = arg.nr_info;
	return 0;
}

const struct bc_resinfo *bc_resinfo_find(const struct bc_resinfo *tab, size_t nr,
					 uint32_t id)
{
	size_t i;

	for (i = 0; i < nr; i++)
		if (tab[i].id == id)
			return &tab[i];
	return NULL;
}
