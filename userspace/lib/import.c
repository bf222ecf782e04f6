// SPDX-License-Identifier: GPL-2.0
/* OpenVZ's CTID.conf, started as is; see import.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>

#include "idmap.h"
#include "import.h"
#include "lim.h"
#include "util.h"

/* Every CTID.conf key ctlvz reads, besides the limits' (lim_key()). */
static const char *const known_keys[] = {
	"OSTEMPLATE", "VE_ROOT", "VE_PRIVATE", "HOSTNAME", "IP_ADDRESS", "USERNS_BASE",
	"INIT", "NAMESERVER", "SEARCHDOMAIN", "ONBOOT", "BOOTORDER", "ORIGIN_SAMPLE",
	"IODEVICES",
};

static bool key_known(const char *key)
{
	for (size_t i = 0; i < ARRAY_SIZE(known_keys); i++)
		if (!strcmp(known_keys[i], key))
			return true;
	for (int id = 0; id < LIM_NR; id++)
		if (!strcmp(lim_key(id), key))
			return true;
	return false;
}

char *conf_unknown_keys(const struct kvfile *conf)
{
	_cleanup_strv_ char **keys = xzalloc(sizeof(char *));
	bool seen;

	for (size_t i = 0; i < conf->nr_lines; i++) {
		const char *k = conf->lines[i].key;

		if (!k || key_known(k))
			continue;
		seen = false;
		for (char **s = keys; *s && !seen; s++)
			seen = !strcmp(*s, k);
		if (!seen)
			keys = strv_push(keys, k);
	}
	return keys[0] ? strv_join(keys) : NULL;
}

int ct_import(struct ct *ct, struct ct_err **err)
{
	_cleanup_free_ char *unknown = conf_unknown_keys(ct->conf);
	_cleanup_free_ char *alloc_lock = NULL, *b = NULL;
	_cleanup_close_ int alloc_fd = -1;
	uid_t base;

	if (unknown && ct->notice) {
		_cleanup_free_ char *msg = xasprintf("container %u: %s: not used by ctlvz, kept "
						     "and ignored: %s", ct->ctid, ct->conf_path,
						     unknown);
		ct->notice(msg);
	}
	if (kv_get(ct->conf, "USERNS_BASE"))
		return 0;
	alloc_lock = xasprintf("%s/idmap.lock", ct->paths->lockdir);
	alloc_fd = open(alloc_lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (alloc_fd < 0 || flock(alloc_fd, LOCK_EX) < 0)
		return err_set(err, VZ_SYSTEM_ERROR, errno, "lock %s", alloc_lock);
	if (idmap_alloc(ct, &base, err) < 0)
		return -1;
	if (ct->notice) {
		_cleanup_free_ char *msg = xasprintf("container %u: no USERNS_BASE (an OpenVZ "
						     "config?): host ids from %u, shifting %s",
						     ct->ctid, base, ct->private_dir);
		ct->notice(msg);
	}
	if (idmap_shift_tree(ct->private_dir, base, err) < 0)
		return err_prefix(err, "import container %u", ct->ctid);
	b = xasprintf("%u", base);
	kv_set(ct->conf, "USERNS_BASE", b);
	return kv_save(ct->conf, err);
}
