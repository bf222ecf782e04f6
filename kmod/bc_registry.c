// SPDX-License-Identifier: GPL-2.0
/*
 * The beancounter registry: beancounters by container id and by cgroup.
 *
 * Locking:
 * - vzbc_registry_mutex serialises every change to the registry (create,
 *   destroy) and to the /proc directory of a beancounter.  It nests
 *   outside nothing of ours; proc_mkdir()/remove_proc_subtree() are called
 *   with it held.
 * - vzbc_bcs (xarray, its own spinlock inside) maps ctid -> beancounter;
 *   readers use xa_load()/xa_find() under rcu_read_lock().
 * - vzbc_cg_hash maps the bound cgroup -> beancounter; updated under the
 *   mutex with the _rcu hlist helpers, read under rcu_read_lock() from the
 *   tracepoint and kprobe handlers, which run with preemption disabled.
 * - A beancounter is freed after an RCU grace period once its last
 *   reference is gone, so an RCU reader that found it may keep using it
 *   until rcu_read_unlock().
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hashtable.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/sysfs.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "vzbc.h"

static DEFINE_MUTEX(vzbc_registry_mutex);
static DEFINE_XARRAY(vzbc_bcs);
#define VZBC_CG_HASH_BITS 10
static DEFINE_HASHTABLE(vzbc_cg_hash, VZBC_CG_HASH_BITS);
static atomic_long_t vzbc_nr_bcs = ATOMIC_LONG_INIT(0);

/*
 * Beancounter objects in memory, published or not, until their RCU free:
 * /sys/module/vzbc/parameters/live_beancounters, so that tests can see a
 * leak before the module goes.
 */
static atomic_long_t vzbc_live_bcs = ATOMIC_LONG_INIT(0);

static int vzbc_live_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(&vzbc_live_bcs));
}

static const struct kernel_param_ops vzbc_live_ops = {
	.get = vzbc_live_get,
};
module_param_cb(live_beancounters, &vzbc_live_ops, NULL, 0444);
MODULE_PARM_DESC(live_beancounters,
		 "beancounter objects allocated and not yet freed (read-only)");

static const char * const vzbc_resource_names[__VZBC_RES_MAX] = {
	[VZBC_RES_NUMPROC]	= "numproc",
	[VZBC_RES_PHYSPAGES]	= "physpages",
	[VZBC_RES_SWAPPAGES]	= "swappages",
	[VZBC_RES_IOBYTES]	= "iobytes",
	[VZBC_RES_IOPS]		= "iops",
};

bool vzbc_resource_valid(u32 res)
{
	return res < __VZBC_RES_MAX && vzbc_resource_names[res];
}

const char *vzbc_resource_name(u32 res)
{
	return vzbc_resource_valid(res) ? vzbc_resource_names[res] : NULL;
}

/* Every resource vzbc accounts, in OpenVZ's order. */
const u32 vzbc_resources[VZBC_NR_RESOURCES] = {
	VZBC_RES_NUMPROC,
	VZBC_RES_PHYSPAGES,
	VZBC_RES_SWAPPAGES,
	VZBC_RES_IOBYTES,
	VZBC_RES_IOPS,
};

unsigned long vzbc_bc_count(void)
{
	return atomic_long_read(&vzbc_nr_bcs);
}

bool vzbc_any_bc(void)
{
	return atomic_long_read(&vzbc_nr_bcs) != 0;
}

void vzbc_visit_bound_to(struct cgroup *cgrp,
			 void (*fn)(struct vzbc_bc *bc, void *arg), void *arg)
{
	struct vzbc_bc *bc;

	hash_for_each_possible_rcu(vzbc_cg_hash, bc, cg_node,
				   (unsigned long)cgrp)
		if (bc->cgrp == cgrp)
			fn(bc, arg);
}

void vzbc_visit_cgroup_chain(struct cgroup *cgrp,
			     void (*fn)(struct vzbc_bc *bc, void *arg), void *arg)
{
	for (; cgrp; cgrp = cgroup_parent(cgrp))
		vzbc_visit_bound_to(cgrp, fn, arg);
}

static struct vzbc_bc *vzbc_bc_of_cgroup_rcu(struct cgroup *cgrp)
{
	struct vzbc_bc *bc;

	hash_for_each_possible_rcu(vzbc_cg_hash, bc, cg_node,
				   (unsigned long)cgrp)
		if (bc->cgrp == cgrp)
			return bc;
	return NULL;
}

/*
 * The beancounter bound to @cgrp or to its nearest ancestor, referenced;
 * NULL if none.
 */
struct vzbc_bc *vzbc_bc_get_innermost(struct cgroup *cgrp)
{
	struct vzbc_bc *bc = NULL;

	rcu_read_lock();
	for (; cgrp; cgrp = cgroup_parent(cgrp)) {
		bc = vzbc_bc_of_cgroup_rcu(cgrp);
		if (bc && kref_get_unless_zero(&bc->ref))
			break;
		bc = NULL;
	}
	rcu_read_unlock();
	return bc;
}

struct vzbc_bc *vzbc_bc_get(u32 ctid)
{
	struct vzbc_bc *bc;

	rcu_read_lock();
	bc = xa_load(&vzbc_bcs, ctid);
	if (bc && !kref_get_unless_zero(&bc->ref))
		bc = NULL;
	rcu_read_unlock();
	return bc;
}

/*
 * The live beancounter with the smallest ctid >= *@ctid, referenced, and
 * its ctid in *@ctid; NULL when there is none.
 */
struct vzbc_bc *vzbc_bc_get_next(u32 *ctid)
{
	unsigned long index = *ctid;
	struct vzbc_bc *bc;

	rcu_read_lock();
	for (;;) {
		bc = xa_find(&vzbc_bcs, &index, VZBC_CTID_MAX, XA_PRESENT);
		if (!bc || kref_get_unless_zero(&bc->ref))
			break;
		if (index++ == VZBC_CTID_MAX) {
			bc = NULL;
			break;
		}
	}
	rcu_read_unlock();
	if (bc)
		*ctid = index;
	return bc;
}

static void vzbc_bc_free_rcu(struct rcu_head *head)
{
	struct vzbc_bc *bc = container_of(head, struct vzbc_bc, rcu);

	cgroup_put(bc->cgrp);
	kfree(bc);
	atomic_long_dec(&vzbc_live_bcs);
}

static void vzbc_bc_release(struct kref *ref)
{
	struct vzbc_bc *bc = container_of(ref, struct vzbc_bc, ref);

	call_rcu(&bc->rcu, vzbc_bc_free_rcu);
}

void vzbc_bc_put(struct vzbc_bc *bc)
{
	kref_put(&bc->ref, vzbc_bc_release);
}

/*
 * Creates the beancounter @ctid bound to @cgrp and returns it referenced.
 * Takes over the caller's reference to @cgrp, whatever the outcome.
 */
struct vzbc_bc *vzbc_bc_create(u32 ctid, struct cgroup *cgrp)
{
	struct vzbc_bc *bc;
	unsigned int i;
	int err;

	bc = kzalloc(sizeof(*bc), GFP_KERNEL);
	if (!bc) {
		cgroup_put(cgrp);
		return ERR_PTR(-ENOMEM);
	}
	atomic_long_inc(&vzbc_live_bcs);
	bc->ctid = ctid;
	bc->cgrp = cgrp;
	kref_init(&bc->ref);
	spin_lock_init(&bc->limits_lock);
	for (i = 0; i < VZBC_NR_RESOURCES; i++) {
		bc->limits[vzbc_resources[i]].barrier = VZBC_UNLIMITED;
		bc->limits[vzbc_resources[i]].limit = VZBC_UNLIMITED;
	}

	mutex_lock(&vzbc_registry_mutex);
	rcu_read_lock();
	if (xa_load(&vzbc_bcs, ctid))
		err = -EEXIST;
	else if (vzbc_bc_of_cgroup_rcu(cgrp))
		err = -EBUSY;
	else
		err = 0;
	rcu_read_unlock();
	if (err)
		goto out_unlock;
	/* Everything a reader or the tick may look at, before they can. */
	vzbc_acct_mem_bind(bc);
	vzbc_acct_io_bind(bc);
	vzbc_events_bind(bc);
	err = xa_insert(&vzbc_bcs, ctid, bc, GFP_KERNEL);
	if (err)
		goto out_unlock;
	err = vzbc_proc_bc_add(bc);
	if (err)
		goto out_erase;
	/*
	 * Count and publish in one RCU read-side section.  Tasks are
	 * subtracted when cgroup_release() takes them off their css_set, so
	 * a task reaped before the walk is neither counted nor subtracted
	 * (vzbc_acct_tasks_bind() skips one still on the task list).
	 */
	rcu_read_lock();
	vzbc_acct_tasks_bind(bc);
	hash_add_rcu(vzbc_cg_hash, &bc->cg_node, (unsigned long)cgrp);
	atomic_long_inc(&vzbc_nr_bcs);
	rcu_read_unlock();
	kref_get(&bc->ref);	/* the registry's */
	mutex_unlock(&vzbc_registry_mutex);
	return bc;

out_erase:
	/* GET or LIST may hold a reference already: free through it. */
	xa_erase(&vzbc_bcs, ctid);
	mutex_unlock(&vzbc_registry_mutex);
	vzbc_bc_put(bc);
	return ERR_PTR(err);
out_unlock:
	mutex_unlock(&vzbc_registry_mutex);
	vzbc_bc_free_rcu(&bc->rcu);	/* never published: no reader */
	return ERR_PTR(err);
}

/* Unpublishes @bc; called with the registry mutex held. */
static void vzbc_bc_unlink(struct vzbc_bc *bc)
{
	lockdep_assert_held(&vzbc_registry_mutex);
	xa_erase(&vzbc_bcs, bc->ctid);
	hash_del_rcu(&bc->cg_node);
	atomic_long_dec(&vzbc_nr_bcs);
	vzbc_proc_bc_remove(bc);
	vzbc_bc_put(bc);
}

int vzbc_bc_destroy(u32 ctid)
{
	struct vzbc_bc *bc;
	int err = -ENOENT;

	mutex_lock(&vzbc_registry_mutex);
	bc = xa_load(&vzbc_bcs, ctid);
	if (bc) {
		vzbc_bc_unlink(bc);
		err = 0;
	}
	mutex_unlock(&vzbc_registry_mutex);
	return err;
}

int vzbc_bc_set_limits(struct vzbc_bc *bc, u32 res, u64 barrier, u64 limit)
{
	if (!vzbc_resource_valid(res) || barrier > limit ||
	    limit > VZBC_UNLIMITED)
		return -EINVAL;
	spin_lock(&bc->limits_lock);
	WRITE_ONCE(bc->limits[res].barrier, barrier);
	WRITE_ONCE(bc->limits[res].limit, limit);
	spin_unlock(&bc->limits_lock);
	return 0;
}

void vzbc_bc_stat(struct vzbc_bc *bc, u32 res, struct vzbc_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->resource = res;
	spin_lock(&bc->limits_lock);
	st->barrier = bc->limits[res].barrier;
	st->limit = bc->limits[res].limit;
	spin_unlock(&bc->limits_lock);
	switch (res) {
	case VZBC_RES_NUMPROC:
		vzbc_acct_tasks_stat(bc, st);
		break;
	case VZBC_RES_PHYSPAGES:
	case VZBC_RES_SWAPPAGES:
		vzbc_acct_mem_stat(bc, res, st);
		break;
	case VZBC_RES_IOBYTES:
	case VZBC_RES_IOPS:
		vzbc_acct_io_stat(bc, res, st);
		break;
	}
}

int vzbc_registry_init(void)
{
	return 0;
}

/* Tears down every beancounter; the probes are gone already. */
void vzbc_registry_exit(void)
{
	struct vzbc_bc *bc;
	unsigned long index;

	mutex_lock(&vzbc_registry_mutex);
	xa_for_each(&vzbc_bcs, index, bc)
		vzbc_bc_unlink(bc);
	mutex_unlock(&vzbc_registry_mutex);
	xa_destroy(&vzbc_bcs);
	/*
	 * Readers of /proc may still hold references: the last put, and
	 * its call_rcu(), can come as late as vzbc_proc_exit().  The module's
	 * exit ends with the rcu_barrier() that waits for them.
	 */
}
