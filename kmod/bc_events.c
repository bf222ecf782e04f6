// SPDX-License-Identifier: GPL-2.0
/*
 * Events: on every tick, announce over netlink every failcnt that grew
 * and every barrier that held went above since the last look.  The
 * refusals that kick the tick (acct_tasks.c) make events follow within a
 * tenth of a second; the kick is rate-limited, so a fork bomb cannot keep
 * it busy.
 *
 * Locking: struct vzbc_events of a beancounter is written by the add hook
 * before the beancounter is published, then only by the tick, under
 * vzbc_tick_mutex (vzbc_tick_assert_held()); dropped is atomic.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ratelimit.h>

#include "bc_events.h"
#include "bc_genl.h"
#include "bc_registry.h"
#include "bc_res.h"
#include "bc_tick.h"

/* Events one beancounter may send per second; more are counted as dropped. */
#define VZBC_EVENTS_PER_SEC	20

/* Event state of one beancounter, its private area; indexed by resource. */
struct vzbc_events {
	u64 failcnt[__VZBC_RES_MAX];	/* as last announced */
	u64 held[__VZBC_RES_MAX];	/* as last seen */
	struct ratelimit_state rs;
	atomic64_t dropped;
};

static struct vzbc_bc_slot vzbc_events_slot = {
	.size = sizeof(struct vzbc_events),
};

static void vzbc_announce(struct vzbc_bc *bc, struct vzbc_events *ev,
			  u32 event, const struct vzbc_stat *st)
{
	if (!__ratelimit(&ev->rs) ||
	    vzbc_genl_send_event(bc->ctid, event, st,
				 atomic64_read(&ev->dropped)))
		atomic64_inc(&ev->dropped);
}

static void vzbc_events_check(struct vzbc_bc *bc)
{
	struct vzbc_events *ev = vzbc_bc_priv(bc, &vzbc_events_slot);
	const struct vzbc_res *r;
	struct vzbc_stat st;
	unsigned int i;

	vzbc_tick_assert_held();
	vzbc_for_each_res(r, i) {
		vzbc_res_stat(bc, r, &st);
		if (!(st.flags & VZBC_STAT_ACCOUNTED))
			continue;
		if (st.failcnt > ev->failcnt[r->id]) {
			vzbc_announce(bc, ev, VZBC_EVENT_FAILCNT, &st);
			ev->failcnt[r->id] = st.failcnt;
		}
		/* A barrier of 0 is vzctl's "no barrier" (VSwap). */
		if (st.barrier && st.barrier < VZBC_UNLIMITED &&
		    ev->held[r->id] <= st.barrier && st.held > st.barrier)
			vzbc_announce(bc, ev, VZBC_EVENT_BARRIER, &st);
		ev->held[r->id] = st.held;
	}
}

/* Before @bc is published: what exists now is not news. */
static int vzbc_events_bc_add(struct vzbc_bc *bc)
{
	struct vzbc_events *ev = vzbc_bc_priv(bc, &vzbc_events_slot);
	const struct vzbc_res *r;
	struct vzbc_stat st;
	unsigned int i;

	vzbc_registry_assert_held();
	ratelimit_state_init(&ev->rs, HZ, VZBC_EVENTS_PER_SEC);
	ratelimit_set_flags(&ev->rs, RATELIMIT_MSG_ON_RELEASE);
	atomic64_set(&ev->dropped, 0);
	vzbc_for_each_res(r, i) {
		vzbc_res_stat(bc, r, &st);
		ev->failcnt[r->id] = st.failcnt;
		ev->held[r->id] = st.held;
	}
	return 0;
}

static struct vzbc_bc_hooks vzbc_events_hooks = {
	.add = vzbc_events_bc_add,
};

static struct vzbc_tick_hook vzbc_events_tick = {
	.fn = vzbc_events_check,
};

int vzbc_events_init(void)
{
	int err;

	err = vzbc_bc_slot_reserve(&vzbc_events_slot);
	if (err)
		return err;
	vzbc_bc_hooks_register(&vzbc_events_hooks);
	vzbc_tick_hook_register(&vzbc_events_tick);
	return 0;
}

void vzbc_events_exit(void)
{
	vzbc_tick_hook_unregister(&vzbc_events_tick);
	vzbc_bc_hooks_unregister(&vzbc_events_hooks);
}
