/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The registry, vzbc's bottom layer: beancounter objects, their lookup by
 * container id and by cgroup, their references and limits, an iterator,
 * per-beancounter private areas and add/remove hooks.  It knows no
 * resource and no subsystem: the layers above reserve a private area
 * (struct vzbc_bc_slot) for their state and register hooks
 * (struct vzbc_bc_hooks) to hear of a beancounter's birth and death.
 *
 * Private areas: each unit that keeps per-beancounter state (an accounting
 * unit, events, /proc) declares a struct vzbc_bc_slot with the size of its
 * state and reserves it with vzbc_bc_slot_reserve() at module init, before
 * any beancounter exists.  The registry allocates every beancounter with
 * room for all reserved slots after struct vzbc_bc, zeroed, and hands a
 * unit its area through vzbc_bc_priv(); only that unit knows the type.
 */
#ifndef _VZBC_BC_REGISTRY_H
#define _VZBC_BC_REGISTRY_H

#include <linux/cgroup.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/vzbc.h>

/* Barrier and limit of one resource, as last set by VZBC_IOC_SET. */
struct vzbc_limits {
	u64 barrier;
	u64 limit;
};

/**
 * struct vzbc_bc - one beancounter
 * @ctid: container id, immutable
 * @cgrp: the bound cgroup v2 directory, referenced, immutable
 * @ref: the registry holds one reference; readers take more with
 *	vzbc_bc_get() while they sleep
 * @cg_node: entry in the registry's cgroup hash (RCU list)
 * @rcu: frees the object after the last RCU reader
 * @limits_lock: protects @limits; readers may use READ_ONCE on each field
 * @limits: indexed by enum vzbc_resource
 * @priv: the reserved private areas (struct vzbc_bc_slot), zeroed
 */
struct vzbc_bc {
	u32 ctid;
	struct cgroup *cgrp;
	struct kref ref;
	struct hlist_node cg_node;
	struct rcu_head rcu;
	spinlock_t limits_lock;	/* protects limits[] */
	struct vzbc_limits limits[__VZBC_RES_MAX];
	u64 priv[] __aligned(sizeof(u64));
};

/**
 * struct vzbc_bc_slot - a per-beancounter private area
 * @size: bytes the owner needs, set by the owner
 * @offset: where the area starts in &vzbc_bc.priv, set by
 *	vzbc_bc_slot_reserve()
 */
struct vzbc_bc_slot {
	size_t size;
	size_t offset;
};

/* Module init only, before the first beancounter: -EBUSY after. */
int vzbc_bc_slot_reserve(struct vzbc_bc_slot *slot);

static inline void *vzbc_bc_priv(struct vzbc_bc *bc,
				 const struct vzbc_bc_slot *slot)
{
	return (char *)bc->priv + slot->offset;
}

/**
 * struct vzbc_bc_hooks - what a layer above does when a beancounter comes
 *	and goes
 * @add: before @bc is published, under the registry mutex (may sleep);
 *	an error undoes the hooks added before and fails the CREATE
 * @publish: in the RCU read-side section that publishes @bc to the
 *	probes (must not sleep); optional
 * @remove: after @bc is unpublished, under the registry mutex, in the
 *	reverse order of the hooks; optional
 * @node: the registry's list, in registration order
 *
 * Hooks are registered at module init, before the first beancounter, and
 * unregistered at exit once none is left (vzbc_bc_destroy_all()).
 */
struct vzbc_bc_hooks {
	int (*add)(struct vzbc_bc *bc);
	void (*publish)(struct vzbc_bc *bc);
	void (*remove)(struct vzbc_bc *bc);
	struct list_head node;
};

/* For the hooks' own state: they run under the registry's mutex. */
void vzbc_registry_assert_held(void);

void vzbc_bc_hooks_register(struct vzbc_bc_hooks *hooks);
void vzbc_bc_hooks_unregister(struct vzbc_bc_hooks *hooks);

int vzbc_registry_init(void);
void vzbc_registry_exit(void);

struct vzbc_bc *vzbc_bc_create(u32 ctid, struct cgroup *cgrp);
int vzbc_bc_destroy(u32 ctid);
/* Destroys every beancounter (module exit), hooks still registered. */
void vzbc_bc_destroy_all(void);

struct vzbc_bc *vzbc_bc_get(u32 ctid);
void vzbc_bc_put(struct vzbc_bc *bc);
/*
 * The iterator: the live beancounter with the smallest ctid >= *@ctid,
 * referenced, its ctid in *@ctid; NULL when there is none.
 */
struct vzbc_bc *vzbc_bc_get_next(u32 *ctid);
/* The beancounter bound to @cgrp or its nearest ancestor, referenced. */
struct vzbc_bc *vzbc_bc_get_innermost(struct cgroup *cgrp);
unsigned long vzbc_bc_count(void);
bool vzbc_any_bc(void);

/* @res < __VZBC_RES_MAX; which resources exist is bc_res.c's business. */
int vzbc_bc_set_limits(struct vzbc_bc *bc, u32 res, u64 barrier, u64 limit);
void vzbc_bc_get_limits(struct vzbc_bc *bc, u32 res, struct vzbc_limits *l);
/* One field without the lock, for probes and the tick. */
static inline u64 vzbc_bc_limit(struct vzbc_bc *bc, u32 res)
{
	return READ_ONCE(bc->limits[res].limit);
}

/*
 * Call @fn for every beancounter bound to @cgrp (_bound_to), or to @cgrp
 * or one of its ancestors (_cgroup_chain).  Caller holds rcu_read_lock();
 * @fn must not sleep.
 */
void vzbc_visit_bound_to(struct cgroup *cgrp,
			 void (*fn)(struct vzbc_bc *bc, void *arg), void *arg);
void vzbc_visit_cgroup_chain(struct cgroup *cgrp,
			     void (*fn)(struct vzbc_bc *bc, void *arg), void *arg);

#endif /* _VZBC_BC_REGISTRY_H */
