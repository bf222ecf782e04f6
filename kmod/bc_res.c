// SPDX-License-Identifier: GPL-2.0
/*
 * The resource table (bc_res.h): the accounting units register here, and
 * the layers above read resources, their stats, samples and /proc files
 * through it.  Beancounters reach the units through one registry hook.
 *
 * Locking: the table is written at module init and exit only, while no
 * beancounter exists and no face (ioctl, netlink, /proc) is registered:
 * every unit registers before the faces come up and unregisters after
 * they are gone (main.c).  Readers take no lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/seq_file.h>

#include "bc_res.h"

struct vzbc_res_entry {
	const struct vzbc_res *res;
	struct vzbc_acct *acct;
};

static struct vzbc_res_entry vzbc_res_by_id[__VZBC_RES_MAX];
/* The resources in ascending id order, and how many. */
static const struct vzbc_res *vzbc_res_order[__VZBC_RES_MAX];
static unsigned int vzbc_nr_res;
static LIST_HEAD(vzbc_accts);

static void vzbc_res_reorder(void)
{
	unsigned int id;

	vzbc_nr_res = 0;
	for (id = 0; id < __VZBC_RES_MAX; id++)
		if (vzbc_res_by_id[id].res)
			vzbc_res_order[vzbc_nr_res++] = vzbc_res_by_id[id].res;
}

int vzbc_acct_register(struct vzbc_acct *acct)
{
	unsigned int i;
	int err;

	for (i = 0; i < acct->nr_res; i++) {
		u32 id = acct->res[i].id;

		if (WARN_ON(id >= __VZBC_RES_MAX || vzbc_res_by_id[id].res))
			return -EINVAL;
	}
	err = vzbc_bc_slot_reserve(&acct->slot);
	if (err)
		return err;
	for (i = 0; i < acct->nr_res; i++) {
		vzbc_res_by_id[acct->res[i].id].res = &acct->res[i];
		vzbc_res_by_id[acct->res[i].id].acct = acct;
	}
	list_add_tail(&acct->node, &vzbc_accts);
	vzbc_res_reorder();
	return 0;
}

void vzbc_acct_unregister(struct vzbc_acct *acct)
{
	unsigned int i;

	for (i = 0; i < acct->nr_res; i++)
		vzbc_res_by_id[acct->res[i].id] = (struct vzbc_res_entry){};
	list_del(&acct->node);
	vzbc_res_reorder();
}

unsigned int vzbc_res_count(void)
{
	return vzbc_nr_res;
}

const struct vzbc_res *vzbc_res_nth(unsigned int i)
{
	return i < vzbc_nr_res ? vzbc_res_order[i] : NULL;
}

const struct vzbc_res *vzbc_res_find(u32 id)
{
	return id < __VZBC_RES_MAX ? vzbc_res_by_id[id].res : NULL;
}

void vzbc_res_stat(struct vzbc_bc *bc, const struct vzbc_res *r,
		   struct vzbc_stat *st)
{
	struct vzbc_acct *a = vzbc_res_by_id[r->id].acct;
	struct vzbc_limits l;

	memset(st, 0, sizeof(*st));
	st->resource = r->id;
	vzbc_bc_get_limits(bc, r->id, &l);
	st->barrier = l.barrier;
	st->limit = l.limit;
	a->stat(bc, vzbc_bc_priv(bc, &a->slot), r->id, st);
}

void vzbc_res_sample(struct vzbc_bc *bc, unsigned long now)
{
	struct vzbc_acct *a;

	list_for_each_entry(a, &vzbc_accts, node)
		if (a->sample)
			a->sample(bc, vzbc_bc_priv(bc, &a->slot), now);
}

const struct vzbc_acct *vzbc_acct_next_file(const struct vzbc_acct *prev)
{
	const struct vzbc_acct *a;

	a = prev ? list_next_entry(prev, node) :
		list_first_entry(&vzbc_accts, struct vzbc_acct, node);
	for (; !list_entry_is_head(a, &vzbc_accts, node);
	     a = list_next_entry(a, node))
		if (a->show)
			return a;
	return NULL;
}

int vzbc_acct_show(struct seq_file *m, const struct vzbc_acct *a,
		   struct vzbc_bc *bc)
{
	return a->show(m, bc, vzbc_bc_priv(bc, &a->slot));
}

/* A new beancounter: every unit binds it, in registration order. */
static int vzbc_res_bc_add(struct vzbc_bc *bc)
{
	struct vzbc_acct *a;

	list_for_each_entry(a, &vzbc_accts, node)
		if (a->bind)
			a->bind(bc, vzbc_bc_priv(bc, &a->slot));
	return 0;
}

static void vzbc_res_bc_publish(struct vzbc_bc *bc)
{
	struct vzbc_acct *a;

	list_for_each_entry(a, &vzbc_accts, node)
		if (a->publish)
			a->publish(bc, vzbc_bc_priv(bc, &a->slot));
}

static struct vzbc_bc_hooks vzbc_res_hooks = {
	.add = vzbc_res_bc_add,
	.publish = vzbc_res_bc_publish,
};

/* Before every other hook: events and /proc read stats in their add. */
int vzbc_res_init(void)
{
	vzbc_bc_hooks_register(&vzbc_res_hooks);
	return 0;
}

void vzbc_res_exit(void)
{
	vzbc_bc_hooks_unregister(&vzbc_res_hooks);
	WARN_ON(!list_empty(&vzbc_accts));
}
