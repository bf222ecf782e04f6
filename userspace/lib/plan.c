// SPDX-License-Identifier: GPL-2.0
/* Sample configs as plans; see plan.h. */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "blkdev.h"
#include "plan.h"
#include "util.h"

#define PLAN_SYSTEM_DIR	"/etc/ctlvz/conf"

bool plan_name_ok(const char *name)
{
	size_t n = strlen(name);

	if (!n || n > 64 || name[0] == '.')
		return false;
	for (; *name; name++)
		if (!isalnum((unsigned char)*name) && !strchr("._-", *name))
			return false;
	return true;
}

/* etc/ctlvz/conf of the tree the binary runs from: /usr/sbin -> /etc, build/userspace -> etc. */
static char *dir_beside_binary(void)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	return xasprintf("%s/../../etc/ctlvz/conf", dirname(exe));
}

char *plan_path(const struct ct_paths *p, const char *name, struct ct_err **err)
{
	_cleanup_free_ char *beside = dir_beside_binary();
	const char *dirs[] = { p->confdir, PLAN_SYSTEM_DIR, beside };

	if (!plan_name_ok(name))
		return err_set(err, VZ_INVALID_PARAMETER_VALUE, 0,
			       "invalid config name \"%s\" (letters, digits, '.', '_', '-')",
			       name), NULL;
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		char *path;

		if (!dirs[i])
			continue;
		path = xasprintf("%s/ve-%s.conf-sample", dirs[i], name);
		if (access(path, R_OK) == 0)
			return path;
		free(path);
	}
	err_set(err, VZ_INVALID_PARAMETER_VALUE, 0,
		"no config \"%s\": no ve-%s.conf-sample in %s or %s", name, name,
		p->confdir, PLAN_SYSTEM_DIR);
	return NULL;
}

/* @area, or the closest directory above it that exists. */
static char *existing_dir(const char *area)
{
	char *d = xstrdup(area);

	while (access(d, F_OK) < 0 && strcmp(d, "/")) {
		char *up = xstrdup(dirname(d));

		free(d);
		d = up;
	}
	return d;
}

int plan_load(const struct ct_paths *p, const char *name, const char *area,
	      ct_notice_fn notice, struct ct_limits *out, struct ct_err **err)
{
	_cleanup_free_ char *path = plan_path(p, name, err);
	_cleanup_kv_ struct kvfile *f = NULL;
	_cleanup_(lim_free) struct ct_limits l = { 0 };
	_cleanup_free_ char *dir = NULL, *disk = NULL;

	if (!path)
		return -1;
	if (kv_load(path, false, &f, err) < 0 || lim_load(&l, f, err) < 0)
		return err_prefix(err, "config \"%s\"", name);
	dir = existing_dir(area);
	if ((l.v[LIM_IOLIMIT].set || l.v[LIM_IOPSLIMIT].set) && !l.iodevices &&
	    blk_disk_of(dir, &disk) < 0) {
		l.v[LIM_IOLIMIT].set = false;
		l.v[LIM_IOPSLIMIT].set = false;
		if (notice) {
			_cleanup_free_ char *msg = xasprintf("config \"%s\": IO limits left out: "
							     "%s is on no block device", name, dir);
			notice(msg);
		}
	}
	lim_free(out);
	*out = l;
	memset(&l, 0, sizeof(l));
	return 0;
}
