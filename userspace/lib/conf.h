/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vzctl-style configuration files: lines of KEY="value", comments (#) and
 * blank lines.  Loading keeps every line so that saving rewrites only the
 * keys that changed; saving is atomic (temp file, fsync, rename, fsync dir).
 */
#ifndef CTLVZ_CONF_H
#define CTLVZ_CONF_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

struct kv_line {
	char *key;	/* NULL: comment or blank line kept as raw */
	char *value;
	char *raw;
};

struct kvfile {
	char *path;
	struct kv_line *lines;
	size_t nr_lines;
};

/*
 * Parse path.  A missing file gives an empty kvfile when missing_ok, else
 * -1 with errnum ENOENT.  A malformed line fails with "path:line: reason"
 * and status VZ_INVALID_CONFIG.
 */
int kv_load(const char *path, bool missing_ok, struct kvfile **out, struct ct_err **err);
struct kvfile *kv_new(const char *path);
const char *kv_get(const struct kvfile *f, const char *key);
/* Set (value != NULL) or remove (value == NULL) a key; later duplicates win. */
void kv_set(struct kvfile *f, const char *key, const char *value);
/* Values may not hold '"', '\\', '`' or control characters. */
bool kv_value_ok(const char *value);
int kv_save(const struct kvfile *f, struct ct_err **err);
void kv_free(struct kvfile **f);
static inline void kv_freep(struct kvfile **f) { kv_free(f); }
#define _cleanup_kv_ __attribute__((cleanup(kv_freep)))

/* Host-wide settings from /etc/ctlvz/ctlvz.conf (or $CTLVZ_CONF). */
struct ct_paths {
	char *confdir;		/* CONFDIR: where CTID.conf live */
	char *ve_root;		/* VE_ROOT: mount point template, "$VEID" expanded */
	char *ve_private;	/* VE_PRIVATE: private area template */
	char *template_dir;	/* TEMPLATE: templates are under $TEMPLATE/cache */
	char *cgroup_root;	/* CGROUP_ROOT: the cgroup2 mount */
	char *lockdir;		/* LOCKDIR: locks and run state */
	unsigned long stop_timeout;	/* STOP_TIMEOUT: seconds before SIGKILL */
	char *configfile;	/* CONFIGFILE: plan of a new container, NULL: none */
};

#define CTLVZ_GLOBAL_CONF	"/etc/ctlvz/ctlvz.conf"

int paths_load(struct ct_paths *p, struct ct_err **err);
void paths_free(struct ct_paths *p);
/* Replace $VEID / ${VEID} in tmpl by ctid. */
char *paths_expand(const char *tmpl, unsigned int ctid);

#endif
