/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Provisioning, as vzctl does it: the container's /etc/hostname, /etc/hosts,
 * /etc/resolv.conf and /etc/shadow, written from the host into its private
 * area, for a running container (set) or at start (from CTID.conf's
 * HOSTNAME, NAMESERVER, SEARCHDOMAIN).
 *
 * The private area belongs to the container's root, who may have planted
 * anything there.  Every access resolves inside the area (openat2
 * RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS: a symlink in /etc's path stays
 * inside), opens the file itself with O_NOFOLLOW | O_NONBLOCK and accepts
 * only a regular file (a symlink, FIFO, directory or device there is refused
 * and nothing blocks); the new content goes to a temporary file in the same
 * directory, gets the old file's owner and mode, and is renamed over it.
 */
#ifndef CTLVZ_PROVISION_H
#define CTLVZ_PROVISION_H

#include <stdbool.h>
#include <sys/types.h>

#include "conf.h"
#include "err.h"

/*
 * Read @path (absolute, inside @root) into *out (NUL-terminated).  A
 * missing file is -ENOENT with *err unset; anything but a regular file is
 * refused with VZ_FS_BAD_FILE... (-1, *err set).
 */
int prov_read(const char *root, const char *path, char **out, struct ct_err **err);
/*
 * Replace @path inside @root by @data.  The new file keeps the old one's
 * owner and mode, or gets @uid:@gid and @mode if there was none.
 */
int prov_write(const char *root, const char *path, const char *data, uid_t uid, gid_t gid,
	       mode_t mode, struct ct_err **err);

/* "A.B.C.D" or an IPv6 address, no prefix. */
bool prov_nameserver_ok(const char *s);
/* A DNS domain: labels of [A-Za-z0-9-], dots between. */
bool prov_domain_ok(const char *s);

/* What to write; NULL fields are left as they are. */
struct prov {
	const char *hostname;
	const char *nameservers;	/* blank-separated, as NAMESERVER */
	const char *searchdomains;	/* blank-separated, as SEARCHDOMAIN */
	const char *hosts_ip;		/* the address /etc/hosts names the host at */
};

/*
 * /etc/hostname, /etc/hosts (a line "IP HOST SHORT" replaces the one for
 * IP, every other line is kept, a localhost line is added if none) and
 * /etc/resolv.conf ("nameserver" lines replaced, "search" set) of the
 * container whose private area is @root and whose root is host uid @base.
 */
int prov_apply(const char *root, uid_t base, const struct prov *p, struct ct_err **err);

/* "user:password": user a login name, password non-empty, no newline. */
int prov_userpasswd_parse(const char *s, char **user, char **password, struct ct_err **err);
/*
 * Set @user's password in the container's /etc/shadow, hashed with
 * yescrypt (SHA-512 if libcrypt lacks it).  The user must be in its
 * /etc/passwd and /etc/shadow.
 */
int prov_userpasswd(const char *root, const char *user, const char *password,
		    struct ct_err **err);

/*
 * At start, from @conf: HOSTNAME into /etc/hostname and /etc/hosts,
 * NAMESERVER and SEARCHDOMAIN into /etc/resolv.conf.  Without HOSTNAME the
 * container's own /etc/hostname is only checked to be a regular file (init
 * reads it).
 */
int prov_start(const char *root, uid_t base, const struct kvfile *conf, const char *hosts_ip,
	       struct ct_err **err);

struct ct;
/* prov_start() for @ct: its private area, its first address in /etc/hosts. */
int prov_start_ct(const struct ct *ct, uid_t base, struct ct_err **err);
/* @ct's /etc/hostname and /etc/hosts for a new @hostname. */
int prov_hostname_ct(const struct ct *ct, const char *hostname, struct ct_err **err);
/* @ct's /etc/resolv.conf: NULL fields are left alone. */
int prov_dns_ct(const struct ct *ct, const char *nameservers, const char *searchdomains,
		struct ct_err **err);

#endif
