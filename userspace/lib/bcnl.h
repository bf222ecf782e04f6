/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VZBC generic netlink family through libnl-genl-3: a dump of every
 * beancounter (so that nothing parses /proc) and the "events" group.
 * libnl's NLE_* codes stop here: callers see struct ct_err.
 */
#ifndef CTLVZ_BCNL_H
#define CTLVZ_BCNL_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

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

/* OpenVZ's name of a resource ("numproc"), or NULL. */
const char *bc_res_name(uint32_t id);
const struct bc_res *bc_info_res(const struct bc_info *bc, uint32_t id);

/* Every beancounter, in ctid order (caller frees *out). */
int bcnl_dump(struct bc_info **out, size_t *nr, struct ct_err **err);

/*
 * Calls @cb for every event until @cb returns non-zero (returned) or an
 * error (-1 with *err).
 */
int bcnl_monitor(int (*cb)(const struct bc_event *ev, void *arg), void *arg,
		 struct ct_err **err);

#endif
