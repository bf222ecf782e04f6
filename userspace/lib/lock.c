// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <time.h>

#include "lock.h"
#include "util.h"

int ct_lock(const struct ct_paths *p, unsigned int ctid, unsigned int timeout,
	    int *fdp, struct ct_err **err)
{
	_cleanup_free_ char *path = xasprintf("%s/%u.lock", p->lockdir, ctid);
	_cleanup_close_ int fd = -1;
	struct timespec start, now;
	int r;

	r = mkdir_p(p->lockdir, 0700);
	if (r < 0)
		return err_set(err, VZ_SYSTEM_ERROR, -r, "create %s", p->lockdir);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return err_set(err, VZ_SYSTEM_ERROR, errno, "open %s", path);

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK && errno != EINTR)
			return err_set(err, VZ_SYSTEM_ERROR, errno, "lock %s", path);
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= (time_t)timeout)
			return err_set(err, VZ_LOCKED, 0,
				       "container %u is locked by another ctlvz (%s); try again later",
				       ctid, path);
		usleep(50 * 1000);
	}
	*fdp = TAKE_FD(fd);
	return 0;
}
