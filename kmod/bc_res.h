/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The resource table: which resources vzbc accounts, their names and
 * units, and the accounting unit (acct_*.c) behind each.  A unit fills a
 * struct vzbc_acct and registers it at module init; everything above
 * (events, netlink, /proc, ioctls) reads resources through this header
 * only and never names a unit.
 *
 * Adding a resource: its number in include/uapi/linux/vzbc.h, one
 * acct_*.c that registers a struct vzbc_acct listing it, and that unit's
 * line in main.c's table of units.
 */
#ifndef _VZBC_BC_RES_H
#define _VZBC_BC_RES_H

#include <linux/list.h>
#include <linux/types.h>
#include <linux/vzbc.h>

#include "bc_registry.h"

struct seq_file;

/* One resource: its number, unit (enum vzbc_unit) and /proc name. */
struct vzbc_res {
	u32 id;
	u32 unit;
	const char *name;
};

/**
 * struct vzbc_acct - an accounting unit and the resources it accounts
 * @name: for messages
 * @res: the resources, any order; ids unique across units
 * @nr_res: entries in @res
 * @slot: the unit's per-beancounter state; the unit sets .size
 * @bind: before @bc is published (may sleep); @priv is zeroed; optional
 * @publish: in the RCU section that publishes @bc to the probes (must not
 *	sleep); optional
 * @stat: fills held, maxheld, minheld, failcnt and flags of resource
 *	@res in @st (resource, barrier and limit are filled already)
 * @sample: the tick's call, about once a second, one at a time
 *	(vzbc_tick_assert_held()); optional
 * @proc_file: name of a file in /proc/bc/<ctid>/ that @show prints;
 *	optional
 * @show: prints @proc_file
 * @node: the table's list
 */
struct vzbc_acct {
	const char *name;
	const struct vzbc_res *res;
	unsigned int nr_res;
	struct vzbc_bc_slot slot;
	void (*bind)(struct vzbc_bc *bc, void *priv);
	void (*publish)(struct vzbc_bc *bc, void *priv);
	void (*stat)(struct vzbc_bc *bc, void *priv, u32 res,
		     struct vzbc_stat *st);
	void (*sample)(struct vzbc_bc *bc, void *priv, unsigned long now);
	const char *proc_file;
	int (*show)(struct seq_file *m, struct vzbc_bc *bc, void *priv);
	struct list_head node;
};

/* Module init only, before the first beancounter. */
int vzbc_acct_register(struct vzbc_acct *acct);
void vzbc_acct_unregister(struct vzbc_acct *acct);

int vzbc_res_init(void);
void vzbc_res_exit(void);

/* The resources, in ascending id (OpenVZ's) order: 0..vzbc_res_count()-1. */
unsigned int vzbc_res_count(void);
const struct vzbc_res *vzbc_res_nth(unsigned int i);
/* The resource numbered @id, or NULL. */
const struct vzbc_res *vzbc_res_find(u32 id);

#define vzbc_for_each_res(r, i)						\
	for ((i) = 0; (i) < vzbc_res_count() && ((r) = vzbc_res_nth(i)); (i)++)

/* Reads resource @r of @bc into @st (zeroed first). */
void vzbc_res_stat(struct vzbc_bc *bc, const struct vzbc_res *r,
		   struct vzbc_stat *st);

/* The tick's sampling: every unit's @sample for @bc. */
void vzbc_res_sample(struct vzbc_bc *bc, unsigned long now);

/* The units that print a /proc/bc/<ctid>/ file of their own. */
#define vzbc_for_each_acct_file(a)					\
	for ((a) = vzbc_acct_next_file(NULL); (a);			\
	     (a) = vzbc_acct_next_file(a))
const struct vzbc_acct *vzbc_acct_next_file(const struct vzbc_acct *prev);
int vzbc_acct_show(struct seq_file *m, const struct vzbc_acct *a,
		   struct vzbc_bc *bc);

#endif /* _VZBC_BC_RES_H */
