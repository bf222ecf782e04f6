// SPDX-License-Identifier: GPL-2.0
/*
 * The beancounter registry: beancounters by container id and by cgroup,
 * their references, limits and private areas, and the hooks of the layers
 * above (bc_registry.h).  It calls no other file of vzbc.
 *
 * Locking:
 * - vzbc_registry_mutex serialises every change to the registry (create,
 *   destroy), the hook list, and the add/publish/remove hooks, which run
 *   with it held (bc_proc.c's hook calls proc_mkdir()/proc_remove()).  It
 *   is the outermost lock of the module.
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

#include "bc_registry.h"

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

/*
 * Private areas: the bytes reserved after struct vzbc_bc so far.  Written
 * at module init only, before the first beancounter (vzbc_nr_bcs == 0 and
 * no CREATE can run: /dev/vzbc comes last).
 */
static size_t vzbc_priv_size;

/* The hooks of the layers above, in registration order; under the mutex. */
static LIST_HEAD(vzbc_hooks);

int vzbc_bc_slot_reserve(struct vzbc_bc_slot *slot)
{
	if (WARN_ON(atomic_long_read(&vzbc_live_bcs)))
		return -EBUSY;
	slot->offset = vzbc_priv_size;
	vzbc_priv_size += ALIGN(slot->size, sizeof(u64));
	return 0;
}

void vzbc_registry_assert_held(void)
{
	lockdep_assert_held(&vzbc_registry_mutex);
}

void vzbc_bc_hooks_register(struct vzbc_bc_hooks *hooks)
{
	mutex_lock(&vzbc_registry_mutex);
	WARN_ON(atomic_long_read(&vzbc_nr_bcs));
	list_add_tail(&hooks->node, &vzbc_hooks);
	mutex_unlock(&vzbc_registry_mutex);
}

void vzbc_bc_hooks_unregister(struct vzbc_bc_hooks *hooks)
{
	mutex_lock(&vzbc_registry_mutex);
	WARN_ON(atomic_long_read(&vzbc_nr_bcs));
	list_del(&hooks->node);
	mutex_unlock(&vzbc_registry_mutex);
}

/* Runs the add hooks; on an error, the remove hooks of those that ran. */
static int vzbc_hooks_add(struct vzbc_bc *bc)
{
	struct vzbc_bc_hooks *h;
	int err;

	lockdep_assert_held(&vzbc_registry_mutex);
	list_for_each_entry(h, &vzbc_hooks, node) {
		if (!h->add)
			continue;
		err = h->add(bc);
		if (err)
			goto out_remove;
	}
	return 0;

out_remove:
	list_for_each_entry_continue_reverse(h, &vzbc_hooks, node)
		if (h->remove)
			h->remove(bc);
	return err;
}

static void vzbc_hooks_remove(struct vzbc_bc *bc)
{
	struct vzbc_bc_hooks *h;

	lockdep_assert_held(&vzbc_registry_mutex);
	list_for_each_entry_reverse(h, &vzbc_hooks, node)
		if (h->remove)
			h->remove(bc);
}

static void vzbc_hooks_publish(struct vzbc_bc *bc)
{
	struct vzbc_bc_hooks *h;

	lockdep_assert_held(&vzbc_registry_mutex);
	list_for_each_entry(h, &vzbc_hooks, node)
		if (h->publish)
			h->publish(bc);
}

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

	bc = kzalloc(struct_size(bc, priv, vzbc_priv_size / sizeof(u64)),
		     GFP_KERNEL);
	if (!bc) {
		cgroup_put(cgrp);
		return ERR_PTR(-ENOMEM);
	}
	atomic_long_inc(&vzbc_live_bcs);
	bc->ctid = ctid;
	bc->cgrp = cgrp;
	kref_init(&bc->ref);
	spin_lock_init(&bc->limits_lock);
	for (i = 0; i < __VZBC_RES_MAX; i++) {
		bc->limits[i].barrier = VZBC_UNLIMITED;
		bc->limits[i].limit = VZBC_UNLIMITED;
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
	err = vzbc_hooks_add(bc);
	if (err)
		goto out_unlock;
	err = xa_insert(&vzbc_bcs, ctid, bc, GFP_KERNEL);
	if (err)
		goto out_remove;
	/*
	 * Publish to the probes in one RCU read-side section with the
	 * publish hooks, which count what is there already (acct_tasks.c
	 * says why this must be one section).
	 */
	rcu_read_lock();
	vzbc_hooks_publish(bc);
	hash_add_rcu(vzbc_cg_hash, &bc->cg_node, (unsigned long)cgrp);
	atomic_long_inc(&vzbc_nr_bcs);
	rcu_read_unlock();
	kref_get(&bc->ref);	/* the registry's */
	mutex_unlock(&vzbc_registry_mutex);
	return bc;

out_remove:
	vzbc_hooks_remove(bc);
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
	vzbc_hooks_remove(bc);
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
	if (res >= __VZBC_RES_MAX || barrier > limit || limit > VZBC_UNLIMITED)
		return -EINVAL;
	spin_lock(&bc->limits_lock);
	WRITE_ONCE(bc->limits[res].barrier, barrier);
	WRITE_ONCE(bc->limits[res].limit, limit);
	spin_unlock(&bc->limits_lock);
	return 0;
}

void vzbc_bc_get_limits(struct vzbc_bc *bc, u32 res, struct vzbc_limits *l)
{
	spin_lock(&bc->limits_lock);
	*l = bc->limits[res];
	spin_unlock(&bc->limits_lock);
}

void vzbc_bc_destroy_all(void)
{
	struct vzbc_bc *bc;
	unsigned long index;

	mutex_lock(&vzbc_registry_mutex);
	xa_for_each(&vzbc_bcs, index, bc)
		vzbc_bc_unlink(bc);
	mutex_unlock(&vzbc_registry_mutex);
}

int vzbc_registry_init(void)
{
	return 0;
}

void vzbc_registry_exit(void)
{
	WARN_ON(!list_empty(&vzbc_hooks));
	xa_destroy(&vzbc_bcs);
	/*
	 * Readers of /proc may have held references past
	 * vzbc_bc_destroy_all(): the last put, and its call_rcu(), can come
	 * as late as the /proc exit.  The module's exit ends with the
	 * rcu_barrier() that waits for them.
	 */
}
