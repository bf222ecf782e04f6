/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel client: everything userspace says to vzbc.ko, through the
 * ioctls of /dev/vzbc and the VZBC generic netlink family (libnl-genl-3),
 * for ctlvz, the tests and the benchmarks alike.
 *
 * One error policy: a function returns 0 (or a non-negative result) or
 * -errno and, if @err is not NULL, fills *@err with a message naming the
 * step and the object ("vzbc CREATE of beancounter 101: File exists").
 * libnl's NLE_* codes are converted to errno here and never leave.
 *
 * Resource names and units come from the running module (bc_resources(),
 * bc_nl_resources()): userspace keeps no table of them.
 */
#ifndef CTLVZ_BC_H
#define CTLVZ_BC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/vzbc.h>

#include "err.h"

#define VZBC_DEVICE_PATH "/dev/vzbc"

/* ---- ioctls on /dev/vzbc ---- */

/* bc_open() flags */
#define BC_OPEN_MODPROBE	(1U << 0)	/* "modprobe vzbc" if the node is missing */

/* An O_RDWR|O_CLOEXEC fd of /dev/vzbc, or -errno (VZ_BAD_KERNEL if missing). */
int bc_open(unsigned int flags, struct ct_err **err);
/* VZBC_API_VERSION of the module. */
int bc_version(int fd, struct ct_err **err);
int bc_create(int fd, uint32_t ctid, int cgroup_fd, struct ct_err **err);
/* -ENOENT (with *err) for an unknown ctid. */
int bc_destroy(int fd, uint32_t ctid, struct ct_err **err);
int bc_set(int fd, uint32_t ctid, uint32_t res, uint64_t barrier,
	   uint64_t limit, struct ct_err **err);
/* GET with capacity *@nr entries; *@nr becomes the entries written. */
int bc_get(int fd, uint32_t ctid, struct vzbc_stat *stats, uint32_t *nr,
	   struct ct_err **err);
/* GET of one resource; -ENODATA if the module did not report it. */
int bc_get_res(int fd, uint32_t ctid, uint32_t res, struct vzbc_stat *st,
	       struct ct_err **err);
/* One page of ctids >= @start; *@next (if not NULL) continues, 0 at the end. */
int bc_list(int fd, uint32_t start, uint32_t *ctids, uint32_t *nr,
	    uint32_t *next, struct ct_err **err);

/* One resource the module accounts. */
struct bc_resinfo {
	uint32_t id;
	uint32_t unit;			/* enum vzbc_unit */
	char name[VZBC_RES_NAME_LEN];	/* as /proc/user_beancounters prints it */
};

/* Every resource the module accounts, in index order (caller frees *@out). */
int bc_resources(int fd, struct bc_resinfo **out, size_t *nr,
		 struct ct_err **err);
/* The entry of @id in @tab, or NULL. */
const struct bc_resinfo *bc_resinfo_find(const struct bc_resinfo *tab,
					 size_t nr, uint32_t id);

/* ---- the VZBC generic netlink family ---- */

struct bc_res {
	uint32_t id, flags;
	uint64_t held, maxheld, minheld, barrier, limit, failcnt;
};

#define BC_MAX_RES 16

struct bc_info {
	uint32_t ctid;
	size_t nr_res;
	struct bc_res res[BC_MAX_RES];
};

struct bc_event {
	uint32_t ctid;
	uint32_t event;		/* VZBC_EVENT_* */
	struct bc_res res;
	uint64_t dropped;
};

const struct bc_res *bc_info_res(const struct bc_info *bc, uint32_t id);

/* The family's id and, if @grp is not NULL, the id of group @grp in *@grp_id. */
int bc_nl_resolve(const char *grp, uint16_t *family, uint32_t *grp_id,
		  struct ct_err **err);
/* Every beancounter, in ctid order (caller frees *@out). */
int bc_nl_dump(struct bc_info **out, size_t *nr, struct ct_err **err);
/* VZBC_CMD_RESOURCES: as bc_resources(), over netlink. */
int bc_nl_resources(struct bc_resinfo **out, size_t *nr, struct ct_err **err);
/*
 * Calls @cb for every event until @cb returns non-zero (returned), or an
 * error (-errno with *err).
 */
int bc_nl_monitor(int (*cb)(const struct bc_event *ev, void *arg), void *arg,
		  struct ct_err **err);

#endif
