// SPDX-License-Identifier: GPL-2.0
/* The container object: its id, paths, CTID.conf and lock (ct.h). */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "ct.h"
#include "lock.h"
#include "util.h"

int ct_parse_id(const char *s, unsigned int *ctid, struct ct_err **err)
{
	unsigned long v;
	int r = parse_ulong(s, CTID_MIN, CTID_MAX, &v);

	if (r == -EINVAL)
		return err_set(err, VZ_INVALID_PARAMETER_SYNTAX, 0,
			       "invalid CTID \"%s\": expected a number %u..%u", s, CTID_MIN, CTID_MAX);
	if (r < 0)
		return err_set(err, VZ_INVALID_PARAMETER_VALUE, 0,
			       "invalid CTID %s: must be %u..%u", s, CTID_MIN, CTID_MAX);
	*ctid = v;
	return 0;
}

bool ct_hostname_ok(const char *h)
{
	size_t n = strlen(h);

	if (n == 0 || n > 64 || h[0] == '-' || h[0] == '.' || h[n - 1] == '.')
		return false;
	for (; *h; h++)
		if (!isalnum((unsigned char)*h) && *h != '-' && *h != '.')
			return false;
	return true;
}

int ct_open(const struct ct_paths *paths, unsigned int ctid, bool lock, struct ct **out,
	    struct ct_err **err)
{
	struct ct *ct = xzalloc(sizeof(*ct));
	_cleanup_ct_ struct ct *guard = ct;
	const char *v;

	ct->ctid = ctid;
	ct->paths = paths;
	ct->lock_fd = -1;
	ct->conf_path = xasprintf("%s/%u.conf", paths->confdir, ctid);
	ct->cgroup = xasprintf("%s/ctlvz/%u", paths->cgroup_root, ctid);
	ct->state_path = xasprintf("%s/%u.state", paths->lockdir, ctid);
	ct->console_path = xasprintf("%s/%u.console", paths->lockdir, ctid);
	ct->console_sock = xasprintf("%s/%u.console.sock", paths->lockdir, ctid);
	ct->ready_path = xasprintf("%s/%u.ready", paths->lockdir, ctid);

	if (lock && ct_lock(paths, ctid, paths->stop_timeout + 30, &ct->lock_fd, err) < 0)
		return -1;
	ct->exists = access(ct->conf_path, F_OK) == 0;
	if (kv_load(ct->conf_path, true, &ct->conf, err) < 0)
		return -1;
	v = kv_get(ct->conf, "VE_ROOT");
	ct->root = paths_expand(v ? v : paths->ve_root, ctid);
	v = kv_get(ct->conf, "VE_PRIVATE");
	ct->private_dir = paths_expand(v ? v : paths->ve_private, ctid);
	*out = TAKE_PTR(guard);
	return 0;
}

void ct_free(struct ct **ctp)
{
	struct ct *ct = *ctp;

	if (!ct)
		return;
	if (ct->lock_fd >= 0)
		close(ct->lock_fd);
	kv_free(&ct->conf);
	free(ct->conf_path);
	free(ct->root);
	free(ct->private_dir);
	free(ct->cgroup);
	free(ct->state_path);
	free(ct->console_path);
	free(ct->console_sock);
	free(ct->ready_path);
	free(ct);
	*ctp = NULL;
}

char **ct_ips(const struct ct *ct)
{
	return strv_split(kv_get(ct->conf, "IP_ADDRESS"));
}
