// SPDX-License-Identifier: GPL-2.0
/*
 * physpages and swappages: read from the bound cgroup's memory controller,
 * which counts them already.
 *
 *   held     memory.current / memory.swap.current (page_counter usage)
 *   maxheld  memory.peak (the page_counter watermark; the kernel's own)
 *   minheld  the lowest usage any reader of vzbc has seen
 *   failcnt  "max" in memory.events / memory.swap.events
 *
 * All in pages.  When the cgroup has no memory controller of its own (the
 * parent does not delegate "memory"), the resources are not accounted.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/memcontrol.h>
#include <linux/page_counter.h>

#include "vzbc.h"

/* @bc's own memcg, referenced, or NULL. */
static struct mem_cgroup *vzbc_memcg_get(struct vzbc_bc *bc)
{
	struct cgroup_subsys_state *css;

	if (mem_cgroup_disabled())
		return NULL;
	css = cgroup_get_e_css(bc->cgrp, &memory_cgrp_subsys);
	if (!css)
		return NULL;
	if (css->cgroup != bc->cgrp) {	/* an ancestor's: not ours */
		css_put(css);
		return NULL;
	}
	return mem_cgroup_from_css(css);
}

static void vzbc_lower_min(atomic_long_t *min, unsigned long v)
{
	long old = atomic_long_read(min);

	while ((long)v < old && !atomic_long_try_cmpxchg(min, &old, v))
		;
}

void vzbc_acct_mem_bind(struct vzbc_bc *bc)
{
	struct mem_cgroup *memcg = vzbc_memcg_get(bc);

	atomic_long_set(&bc->mem_low.physpages, LONG_MAX);
	atomic_long_set(&bc->mem_low.swappages, LONG_MAX);
	if (!memcg)
		return;
	atomic_long_set(&bc->mem_low.physpages,
			page_counter_read(&memcg->memory));
	atomic_long_set(&bc->mem_low.swappages,
			page_counter_read(&memcg->swap));
	css_put(&memcg->css);
}

void vzbc_acct_mem_stat(struct vzbc_bc *bc, u32 res, struct vzbc_stat *st)
{
	struct mem_cgroup *memcg = vzbc_memcg_get(bc);
	struct page_counter *pc;
	atomic_long_t *low;
	int event;

	if (!memcg)
		return;
	if (res == VZBC_RES_PHYSPAGES) {
		pc = &memcg->memory;
		low = &bc->mem_low.physpages;
		event = MEMCG_MAX;
	} else {
		pc = &memcg->swap;
		low = &bc->mem_low.swappages;
		event = MEMCG_SWAP_MAX;
	}
	st->flags = VZBC_STAT_ACCOUNTED;
	st->held = page_counter_read(pc);
	st->maxheld = max_t(u64, READ_ONCE(pc->watermark), st->held);
	vzbc_lower_min(low, st->held);
	st->minheld = atomic_long_read(low);
	st->failcnt = atomic_long_read(&memcg->memory_events[event]);
	css_put(&memcg->css);
}
