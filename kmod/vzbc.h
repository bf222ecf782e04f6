/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vzbc internal interfaces: the beancounter object, the registry that
 * finds it by container id or by cgroup, and each subsystem's init/exit.
 */
#ifndef _VZBC_H
#define _VZBC_H

#include <linux/atomic.h>
#include <linux/cgroup.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/ratelimit.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/vzbc.h>

struct seq_file;

/* The resources vzbc accounts, in OpenVZ's order (bc_registry.c). */
#define VZBC_NR_RESOURCES 5
extern const u32 vzbc_resources[VZBC_NR_RESOURCES];
struct proc_dir_entry;

/* Barrier and limit of one resource, as last set by VZBC_IOC_SET. */
struct vzbc_limits {
	u64 barrier;
	u64 limit;
};

/* Task accounting of one beancounter (acct_tasks.c). */
struct vzbc_tasks {
	atomic64_t held;	/* tasks in the bound subtree */
	atomic64_t maxheld;
	atomic64_t minheld;
	atomic64_t failcnt;	/* forks refused by the pids controller */
};

/* One IO rate (acct_io.c); written by the tick only, read with READ_ONCE. */
struct vzbc_io_rate {
	u64 held;
	u64 maxheld;
	u64 minheld;
	u64 failcnt;	/* seconds with a bio held back by io.max */
	bool sampled;
};

enum { VZBC_IO_BYTES, VZBC_IO_OPS, VZBC_IO_NR };

/* Block IO of one beancounter (acct_io.c). */
struct vzbc_io {
	atomic64_t bytes[2];	/* totals: [0] read, [1] write */
	atomic64_t ops[2];
	atomic_t throttled;	/* blk-throttle held a bio since the last sample */
	/* The tick's own, one sample to the next: */
	u64 last_bytes;
	u64 last_ops;
	unsigned long last_jiffies;
	struct vzbc_io_rate rate[VZBC_IO_NR];
};

/* Event state of one beancounter (bc_events.c), under vzbc_events_mutex. */
struct vzbc_events {
	u64 failcnt[VZBC_NR_RESOURCES];	/* as last announced */
	u64 held[VZBC_NR_RESOURCES];	/* as last seen */
	struct ratelimit_state rs;
	atomic64_t dropped;
};

/* Lowest memory usage seen by a reader (acct_mem.c); the kernel keeps the peak. */
struct vzbc_mem_low {
	atomic_long_t physpages;
	atomic_long_t swappages;
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
 * @tasks: numproc accounting, updated from tracepoints without locks
 * @mem_low: memory minheld
 * @io: block IO totals and rates
 * @events: what was announced over netlink
 * @proc_dir: /proc/bc/<ctid>, owned by bc_proc.c
 */
struct vzbc_bc {
	u32 ctid;
	struct cgroup *cgrp;
	struct kref ref;
	struct hlist_node cg_node;
	struct rcu_head rcu;
	spinlock_t limits_lock;	/* protects limits[] */
	struct vzbc_limits limits[__VZBC_RES_MAX];
	struct vzbc_tasks tasks;
	struct vzbc_mem_low mem_low;
	struct vzbc_io io;
	struct vzbc_events events;
	struct proc_dir_entry *proc_dir;
};

/* bc_registry.c */
int vzbc_registry_init(void);
void vzbc_registry_exit(void);
struct vzbc_bc *vzbc_bc_create(u32 ctid, struct cgroup *cgrp);
int vzbc_bc_destroy(u32 ctid);
struct vzbc_bc *vzbc_bc_get(u32 ctid);
void vzbc_bc_put(struct vzbc_bc *bc);
struct vzbc_bc *vzbc_bc_get_next(u32 *ctid);
struct vzbc_bc *vzbc_bc_get_innermost(struct cgroup *cgrp);
unsigned long vzbc_bc_count(void);
bool vzbc_any_bc(void);
int vzbc_bc_set_limits(struct vzbc_bc *bc, u32 res, u64 barrier, u64 limit);

/*
 * Call @fn for every beancounter bound to @cgrp (_bound_to), or to @cgrp
 * or one of its ancestors (_of_cgroup).  Caller holds rcu_read_lock();
 * @fn must not sleep.
 */
void vzbc_visit_bound_to(struct cgroup *cgrp,
			 void (*fn)(struct vzbc_bc *bc, void *arg), void *arg);
void vzbc_visit_cgroup_chain(struct cgroup *cgrp,
			     void (*fn)(struct vzbc_bc *bc, void *arg), void *arg);

/* The resources vzbc knows (bc_registry.c) */
const char *vzbc_resource_name(u32 res);
bool vzbc_resource_valid(u32 res);

/* Reads every resource of @bc into @st (entries for each known resource). */
void vzbc_bc_stat(struct vzbc_bc *bc, u32 res, struct vzbc_stat *st);

/* acct_tasks.c */
int vzbc_acct_tasks_init(void);
void vzbc_acct_tasks_exit(void);
void vzbc_acct_tasks_bind(struct vzbc_bc *bc);
void vzbc_acct_tasks_stat(struct vzbc_bc *bc, struct vzbc_stat *st);

/* acct_mem.c */
void vzbc_acct_mem_bind(struct vzbc_bc *bc);
void vzbc_acct_mem_stat(struct vzbc_bc *bc, u32 res, struct vzbc_stat *st);

/* acct_io.c */
int vzbc_acct_io_init(void);
void vzbc_acct_io_exit(void);
void vzbc_acct_io_bind(struct vzbc_bc *bc);
void vzbc_acct_io_sample(struct vzbc_bc *bc, unsigned long now);
void vzbc_acct_io_stat(struct vzbc_bc *bc, u32 res, struct vzbc_stat *st);
void vzbc_acct_io_show_totals(struct seq_file *m, struct vzbc_bc *bc);

/* bc_events.c: the once-a-second tick, IO sampling and netlink events */
int vzbc_events_init(void);
void vzbc_events_exit(void);
void vzbc_events_bind(struct vzbc_bc *bc);
void vzbc_events_kick(void);

/* bc_genl.c */
int vzbc_genl_init(void);
void vzbc_genl_exit(void);
void vzbc_genl_send_event(struct vzbc_bc *bc, u32 event,
			  const struct vzbc_stat *st);

/* bc_proc.c */
int vzbc_proc_init(void);
void vzbc_proc_exit(void);
int vzbc_proc_bc_add(struct vzbc_bc *bc);
void vzbc_proc_bc_remove(struct vzbc_bc *bc);

/* bc_ioctl.c */
int vzbc_ioctl_init(void);
void vzbc_ioctl_exit(void);

#endif /* _VZBC_H */
