// SPDX-License-Identifier: GPL-2.0
/*
 * The tick: about once a second, for every beancounter, turn the IO
 * totals into rates and announce over netlink every failcnt that grew and
 * every barrier that held went above since the last look.  Probes that
 * see a refusal kick the tick so that events follow within a tenth of a
 * second; the kick is rate-limited, so a fork bomb cannot keep it busy.
 *
 * Locking: vzbc_tick_mutex serialises ticks; it protects the IO sample
 * state (struct vzbc_io's last_* and rate[]) and struct vzbc_events of
 * every beancounter.  It nests outside the registry's locks.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/mutex.h>
#include <linux/timer.h>
#include <linux/workqueue.h>

#include "vzbc.h"

/* Events one beancounter may send per second; more are counted as dropped. */
#define VZBC_EVENTS_PER_SEC	20

static DEFINE_MUTEX(vzbc_tick_mutex);
static void vzbc_tick(struct work_struct *work);
static DECLARE_DELAYED_WORK(vzbc_tick_work, vzbc_tick);
static unsigned long vzbc_last_tick;

static void vzbc_announce(struct vzbc_bc *bc, u32 event,
			  const struct vzbc_stat *st)
{
	if (!__ratelimit(&bc->events.rs)) {
		atomic64_inc(&bc->events.dropped);
		return;
	}
	vzbc_genl_send_event(bc, event, st);
}

static void vzbc_events_check(struct vzbc_bc *bc)
{
	struct vzbc_events *ev = &bc->events;
	struct vzbc_stat st;
	unsigned int i;

	lockdep_assert_held(&vzbc_tick_mutex);
	for (i = 0; i < VZBC_NR_RESOURCES; i++) {
		vzbc_bc_stat(bc, vzbc_resources[i], &st);
		if (!(st.flags & VZBC_STAT_ACCOUNTED))
			continue;
		if (st.failcnt > ev->failcnt[i]) {
			vzbc_announce(bc, VZBC_EVENT_FAILCNT, &st);
			ev->failcnt[i] = st.failcnt;
		}
		/* A barrier of 0 is vzctl's "no barrier" (VSwap). */
		if (st.barrier && st.barrier < VZBC_UNLIMITED &&
		    ev->held[i] <= st.barrier && st.held > st.barrier)
			vzbc_announce(bc, VZBC_EVENT_BARRIER, &st);
		ev->held[i] = st.held;
	}
}

static void vzbc_tick(struct work_struct *work)
{
	unsigned long now = jiffies;
	struct vzbc_bc *bc;
	u32 ctid = 1;

	mutex_lock(&vzbc_tick_mutex);
	WRITE_ONCE(vzbc_last_tick, now);
	while ((bc = vzbc_bc_get_next(&ctid))) {
		vzbc_acct_io_sample(bc, now);
		vzbc_events_check(bc);
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

/* Any context: run the tick soon, at most ten times a second. */
void vzbc_events_kick(void)
{
	if (time_after(jiffies, READ_ONCE(vzbc_last_tick) + HZ / 10))
		mod_delayed_work(system_wq, &vzbc_tick_work, 0);
}

/* Before @bc is published: what exists now is not news. */
void vzbc_events_bind(struct vzbc_bc *bc)
{
	struct vzbc_events *ev = &bc->events;
	struct vzbc_stat st;
	unsigned int i;

	ratelimit_state_init(&ev->rs, HZ, VZBC_EVENTS_PER_SEC);
	ratelimit_set_flags(&ev->rs, RATELIMIT_MSG_ON_RELEASE);
	atomic64_set(&ev->dropped, 0);
	for (i = 0; i < VZBC_NR_RESOURCES; i++) {
		vzbc_bc_stat(bc, vzbc_resources[i], &st);
		ev->failcnt[i] = st.failcnt;
		ev->held[i] = st.held;
	}
}

int vzbc_events_init(void)
{
	WRITE_ONCE(vzbc_last_tick, jiffies);
	queue_delayed_work(system_wq, &vzbc_tick_work, HZ);
	return 0;
}

void vzbc_events_exit(void)
{
	cancel_delayed_work_sync(&vzbc_tick_work);
}
