// SPDX-License-Identifier: GPL-2.0
/*
 * The tick (bc_tick.h): a delayed work that walks every beancounter about
 * once a second.
 *
 * Locking: vzbc_tick_mutex serialises ticks and the hook list; it protects
 * the state that only the tick touches (acct_io.c's IO sample state,
 * bc_events.c's per-beancounter event state), whose owners assert it with
 * vzbc_tick_assert_held().  The registry's mutex is never taken under it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/sched.h>
#include <linux/workqueue.h>

#include "bc_res.h"
#include "bc_tick.h"

/* Serialises ticks; see "Locking" above. */
DEFINE_MUTEX(vzbc_tick_mutex);
static LIST_HEAD(vzbc_tick_hooks);
static void vzbc_tick(struct work_struct *work);
static DECLARE_DELAYED_WORK(vzbc_tick_work, vzbc_tick);
static unsigned long vzbc_last_tick;

void vzbc_tick_hook_register(struct vzbc_tick_hook *hook)
{
	mutex_lock(&vzbc_tick_mutex);
	list_add_tail(&hook->node, &vzbc_tick_hooks);
	mutex_unlock(&vzbc_tick_mutex);
}

void vzbc_tick_hook_unregister(struct vzbc_tick_hook *hook)
{
	mutex_lock(&vzbc_tick_mutex);
	list_del(&hook->node);
	mutex_unlock(&vzbc_tick_mutex);
}

static void vzbc_tick_bc(struct vzbc_bc *bc, unsigned long now)
{
	struct vzbc_tick_hook *h;

	lockdep_assert_held(&vzbc_tick_mutex);
	vzbc_res_sample(bc, now);
	list_for_each_entry(h, &vzbc_tick_hooks, node)
		h->fn(bc);
}

static void vzbc_tick(struct work_struct *work)
{
	unsigned long now = jiffies;
	struct vzbc_bc *bc;
	u32 ctid = 1;

	mutex_lock(&vzbc_tick_mutex);
	WRITE_ONCE(vzbc_last_tick, now);
	while ((bc = vzbc_bc_get_next(&ctid))) {
		vzbc_tick_bc(bc, now);
		vzbc_bc_put(bc);
		if (ctid == VZBC_CTID_MAX)
			break;
		ctid++;
		cond_resched();
	}
	mutex_unlock(&vzbc_tick_mutex);
	/* Unrounded: IO rates want windows of one second (acct_io.c). */
	queue_delayed_work(system_wq, &vzbc_tick_work, HZ);
}

void vzbc_tick_kick(void)
{
	if (time_after(jiffies, READ_ONCE(vzbc_last_tick) + HZ / 10))
		mod_delayed_work(system_wq, &vzbc_tick_work, 0);
}

int vzbc_tick_init(void)
{
	WRITE_ONCE(vzbc_last_tick, jiffies);
	queue_delayed_work(system_wq, &vzbc_tick_work, HZ);
	return 0;
}

void vzbc_tick_exit(void)
{
	cancel_delayed_work_sync(&vzbc_tick_work);
}
