/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tick: about once a second, for every beancounter, the accounting
 * units' samples (bc_res.h) and then the tick hooks of the layers above
 * (events).  Probes that see a refusal kick it so that the hooks run
 * within a tenth of a second.
 */
#ifndef _VZBC_BC_TICK_H
#define _VZBC_BC_TICK_H

#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>

#include "bc_registry.h"

extern struct mutex vzbc_tick_mutex;

/* For state only the tick may touch (acct_io.c's samples, bc_events.c). */
static inline void vzbc_tick_assert_held(void)
{
	lockdep_assert_held(&vzbc_tick_mutex);
}

/**
 * struct vzbc_tick_hook - called by the tick for each beancounter, after
 *	the samples, under vzbc_tick_mutex
 * @fn: the call; may sleep
 * @node: the tick's list; register at init, unregister at exit
 */
struct vzbc_tick_hook {
	void (*fn)(struct vzbc_bc *bc);
	struct list_head node;
};

void vzbc_tick_hook_register(struct vzbc_tick_hook *hook);
void vzbc_tick_hook_unregister(struct vzbc_tick_hook *hook);

/* Any context: run the tick soon, at most ten times a second. */
void vzbc_tick_kick(void);

int vzbc_tick_init(void);
void vzbc_tick_exit(void);

#endif /* _VZBC_BC_TICK_H */
