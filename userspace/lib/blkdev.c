// SPDX-License-Identifier: GPL-2.0
/* Block devices as io.max names them; see blkdev.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "blkdev.h"
#include "util.h"

int blk_whole_disk(dev_t dev, char **out)
{
	_cleanup_free_ char *sys = NULL, *real = NULL, *num = NULL;
	char *slash;

	sys = xasprintf("/sys/dev/block/%u:%u", major(dev), minor(dev));
	real = realpath(sys, NULL);
	if (!real)
		return errno == ENOENT ? -ENODEV : -errno;
	free(sys);
	sys = xasprintf("%s/partition", real);
	if (access(sys, F_OK) == 0) {
		slash = strrchr(real, '/');
		*slash = '\0';
	}
	free(sys);
	sys = xasprintf("%s/dev", real);
	if (read_file(sys, &num) < 0)
		return -ENODEV;
	num[strcspn(num, "\n")] = '\0';
	*out = TAKE_PTR(num);
	return 0;
}

int blk_disk_of(const char *path, char **out)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return -errno;
	if (major(st.st_dev) == 0)
		return -ENODEV;	/* tmpfs, overlay, ...: no disk */
	return blk_whole_disk(st.st_dev, out);
}

int blk_disk_named(const char *name, char **out, struct ct_err **err)
{
	unsigned int maj, min;
	struct stat st;
	dev_t dev;
	char c;
	int r;

	if (sscanf(name, "%u:%u%c", &maj, &min, &c) == 2) {
		dev = makedev(maj, min);
	} else {
		if (stat(name, &st) < 0)
			return err_set(err, VZ_INVALID_PARAMETER_VALUE, errno,
				       "IO device %s", name);
		if (!S_ISBLK(st.st_mode))
			return err_set(err, VZ_INVALID_PARAMETER_VALUE, 0,
				       "IO device %s: not a block device", name);
		dev = st.st_rdev;
	}
	r = blk_whole_disk(dev, out);
	if (r == -ENODEV)
		return err_set(err, VZ_INVALID_PARAMETER_VALUE, 0,
			       "IO device %s: no such block device (see /sys/dev/block)",
			       name);
	if (r < 0)
		return err_set(err, VZ_SYSTEM_ERROR, -r, "IO device %s", name);
	return 0;
}

