// SPDX-License-Identifier: GPL-2.0
/*
 * physpages and swappages: read from the bound cgroup's memory controller,
 * which counts them already.
 *
 *   held     memory.current / memory.swap.current (page_counter usage)
 *   maxheld  the larger of memory.peak (the page_counter watermark, the
 *            kernel's own) and the highest usage any reader has seen
 *   minheld  the lowest usage any reader of vzbc has seen
 *   failcnt  "max" in memory.events / memory.swap.events
 *
 * All in pages.  When the cgroup has no memory controller of its own (the
 * parent does not delegate "memory"), the resources are not accounted.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/memcontrol.h>
#include <linux/page_counter.h>

#include "acct_mem.h"
#include "bc_res.h"

/*
 * What readers have seen, one beancounter's private area: the highest
 * and lowest usage read, so that maxheld is never below and minheld never
 * above a held that vzbc reported.  The page counter's watermark alone
 * does not promise that: a read of usage and one of the watermark are
 * not one snapshot, and usage can pass a watermark that is updated later.
 */
struct vzbc_mem_seen {
	atomic_long_t max;
	atomic_long_t min;
};

struct vzbc_mem {
	struct vzbc_mem_seen phys;
	struct vzbc_mem_seen swap;
};

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

/* Records @v as seen; returns the lowest and highest seen so far. */
static void vzbc_mem_see(struct vzbc_mem_seen *seen, unsigned long v,
			 long *min, long *max)
{
	long old = atomic_long_read(&seen->min);

	while ((long)v < old && !atomic_long_try_cmpxchg(&seen->min, &old, v))
		;
	*min = min_t(long, old, v);
	old = atomic_long_read(&seen->max);
	while ((long)v > old && !atomic_long_try_cmpxchg(&seen->max, &old, v))
		;
	*max = max_t(long, old, v);
}

static void vzbc_mem_seen_init(struct vzbc_mem_seen *seen, unsigned long v)
{
	atomic_long_set(&seen->min, v);
	atomic_long_set(&seen->max, v);
}

static void vzbc_mem_bind(struct vzbc_bc *bc, void *priv)
{
	struct mem_cgroup *memcg = vzbc_memcg_get(bc);
	struct vzbc_mem *mem = priv;

	atomic_long_set(&mem->phys.min, LONG_MAX);
	atomic_long_set(&mem->swap.min, LONG_MAX);
	atomic_long_set(&mem->phys.max, 0);
	atomic_long_set(&mem->swap.max, 0);
	if (!memcg)
		return;
	vzbc_mem_seen_init(&mem->phys, page_counter_read(&memcg->memory));
	vzbc_mem_seen_init(&mem->swap, page_counter_read(&memcg->swap));
	css_put(&memcg->css);
}

static void vzbc_mem_stat(struct vzbc_bc *bc, void *priv, u32 res,
			  struct vzbc_stat *st)
{
	struct mem_cgroup *memcg = vzbc_memcg_get(bc);
	struct vzbc_mem *mem = priv;
	struct vzbc_mem_seen *seen;
	struct page_counter *pc;
	long min, max;
	int event;

	if (!memcg)
		return;
	if (res == VZBC_RES_PHYSPAGES) {
		pc = &memcg->memory;
		seen = &mem->phys;
		event = MEMCG_MAX;
	} else {
		pc = &memcg->swap;
		seen = &mem->swap;
		event = MEMCG_SWAP_MAX;
	}
	st->flags = VZBC_STAT_ACCOUNTED;
	st->held = page_counter_read(pc);
	vzbc_mem_see(seen, st->held, &min, &max);
	st->maxheld = max_t(u64, READ_ONCE(pc->watermark), max);
	st->minheld = min;
	st->failcnt = atomic_long_read(&memcg->memory_events[event]);
	css_put(&memcg->css);
}

static const struct vzbc_res vzbc_mem_res[] = {
	{ VZBC_RES_PHYSPAGES, VZBC_UNIT_PAGES, "physpages" },
	{ VZBC_RES_SWAPPAGES, VZBC_UNIT_PAGES, "swappages" },
};

static struct vzbc_acct vzbc_mem_acct = {
	.name = "mem",
	.res = vzbc_mem_res,
	.nr_res = ARRAY_SIZE(vzbc_mem_res),
	.slot.size = sizeof(struct vzbc_mem),
	.bind = vzbc_mem_bind,
	.stat = vzbc_mem_stat,
};

/* No probes: the memory controller counts already. */
int vzbc_acct_mem_init(void)
{
	return vzbc_acct_register(&vzbc_mem_acct);
}

void vzbc_acct_mem_exit(void)
{
	vzbc_acct_unregister(&vzbc_mem_acct);
}
