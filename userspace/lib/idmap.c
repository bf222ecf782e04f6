// SPDX-License-Identifier: GPL-2.0
/* Host uid/gid ranges of containers; see idmap.h. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fts.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "idmap.h"
#include "util.h"

/*
 * Give the tree to the container's root: host ids 0..65535 become
 * base..base+65535.  Ids already above 65535 (a second hard link, or ids
 * no container can map) are left alone.  chown clears set-id bits, so the
 * mode is put back.
 */
int idmap_shift_tree(const char *dir, uid_t base, struct ct_err **err)
{
	char *const paths[] = { (char *)dir, NULL };
	FTS *fts = fts_open(paths, FTS_PHYSICAL | FTS_XDEV | FTS_NOCHDIR, NULL);
	FTSENT *e;
	int r = 0;

	if (!fts)
		return err_set(err, VZ_FS_NEW_VE_PRVT, errno, "walk %s", dir);
	while (!r && (e = fts_read(fts))) {
		const struct stat *st = e->fts_statp;
		uid_t uid;
		gid_t gid;

		if (e->fts_info == FTS_DP)
			continue;
		if (e->fts_info == FTS_NS || e->fts_info == FTS_ERR || e->fts_info == FTS_DNR) {
			r = err_set(err, VZ_FS_NEW_VE_PRVT, e->fts_errno, "walk %s", e->fts_path);
			break;
		}
		uid = st->st_uid < CT_ID_COUNT ? st->st_uid + base : st->st_uid;
		gid = st->st_gid < CT_ID_COUNT ? st->st_gid + base : st->st_gid;
		if (uid == st->st_uid && gid == st->st_gid)
			continue;
		if (lchown(e->fts_accpath, uid, gid) < 0)
			r = err_set(err, VZ_FS_NEW_VE_PRVT, errno, "chown %s", e->fts_path);
		else if (!S_ISLNK(st->st_mode) && (st->st_mode & (S_ISUID | S_ISGID)) &&
			 chmod(e->fts_accpath, st->st_mode & 07777) < 0)
			r = err_set(err, VZ_FS_NEW_VE_PRVT, errno, "chmod %s", e->fts_path);
	}
	fts_close(fts);
	return r;
}

/* Pick a free id slot: the CTID's own if free, else the highest free one. */
int idmap_alloc(const struct ct *ct, uid_t *base, struct ct_err **err)
{
	_cleanup_closedir_ DIR *d = opendir(ct->paths->confdir);
	_cleanup_free_ unsigned char *used = xzalloc(IDMAP_SLOT_MAX + 1);
	struct dirent *de;
	unsigned int slot;

	if (!d)
		return err_set(err, VZ_SYSTEM_ERROR, errno, "open %s", ct->paths->confdir);
	while ((de = readdir(d))) {
		_cleanup_free_ char *path = NULL;
		_cleanup_kv_ struct kvfile *f = NULL;
		unsigned long v;
		const char *b;

		if (!str_has_suffix(de->d_name, ".conf") || de->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s", ct->paths->confdir, de->d_name);
		if (kv_load(path, true, &f, err) < 0)
			return err_prefix(err, "allocate host ids");
		b = kv_get(f, "USERNS_BASE");
		if (b && parse_ulong(b, 0, ~0U, &v) == 0 && v % CT_ID_COUNT == 0 &&
		    v / CT_ID_COUNT <= IDMAP_SLOT_MAX)
			used[v / CT_ID_COUNT] = 1;
	}
	slot = ct->ctid <= IDMAP_SLOT_MAX ? ct->ctid : 0;
	if (!slot || used[slot])
		for (slot = IDMAP_SLOT_MAX; slot > 0 && used[slot]; slot--)
			;
	if (!slot)
		return err_set(err, VZ_RESOURCE_ERROR, 0, "no free host uid range left for a container");
	*base = slot * CT_ID_COUNT;
	return 0;
}

int idmap_base(const struct ct *ct, uid_t *base, struct ct_err **err)
{
	const char *b = kv_get(ct->conf, "USERNS_BASE");
	unsigned long v;

	if (!b || parse_ulong(b, CT_ID_COUNT, (unsigned long)IDMAP_SLOT_MAX * CT_ID_COUNT, &v) < 0 ||
	    v % CT_ID_COUNT)
		return err_set(err, VZ_INVALID_CONFIG, 0,
			       "%s: USERNS_BASE=\"%s\": expected a multiple of %u in %u..%lu",
			       ct->conf_path, b ? b : "", CT_ID_COUNT, CT_ID_COUNT,
			       (unsigned long)IDMAP_SLOT_MAX * CT_ID_COUNT);
	*base = v;
	return 0;
}

int idmap_write(pid_t pid, uid_t base, struct ct_err **err)
{
	static const char *const files[] = { "uid_map", "gid_map" };
	_cleanup_free_ char *map = xasprintf("0 %u %u\n", base, CT_ID_COUNT);

	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		_cleanup_free_ char *path = xasprintf("/proc/%d/%s", pid, files[i]);
		int r = write_file(path, map);

		if (r < 0)
			return err_set(err, VZ_ENVCREATE_ERROR, -r, "write %s", path);
	}
	return 0;
}
