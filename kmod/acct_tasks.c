// SPDX-License-Identifier: GPL-2.0
/*
 * numproc: the tasks (threads included) in a beancounter's cgroup subtree,
 * and the forks the pids controller refused there.
 *
 * Where the numbers come from:
 * - task_newtask tracepoint: fires at the end of copy_process(), after
 *   cgroup_post_fork() linked the child into its final css_set (also for
 *   CLONE_INTO_CGROUP and io_uring/vhost workers): +1.
 * - kprobe on cgroup_release(task): called by release_task() when the
 *   task is reaped, right where the pids controller uncharges it
 *   (pids_release()), its css_set fixed for good by cgroup_exit(): -1.  A
 *   zombie still counts, as it does in pids.current, and the count drops
 *   at the same moment as pids.current (sched_process_free would come one
 *   RCU grace period later: seconds, under lazy RCU).
 * - kprobe on cgroup_freezer_migrate_task(task, src, dst): called by
 *   cgroup_migrate_execute() for every task it moves, under css_set_lock,
 *   so moves serialise against cgroup_exit(): -1 in the beancounters that
 *   hold src but not dst, +1 in those that hold dst but not src.
 * - kretprobe on pids_can_fork(task, cset): a return of -EAGAIN is a fork
 *   refused at pids.max in cset's cgroup or above: failcnt +1.
 *
 * The handlers take no locks: RCU lookups and atomics only.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/sched/signal.h>

#include "acct_tasks.h"
#include "bc_probe.h"
#include "bc_res.h"
#include "bc_tick.h"

/* Task accounting of one beancounter, its private area. */
struct vzbc_tasks {
	atomic64_t held;	/* tasks in the bound subtree */
	atomic64_t maxheld;
	atomic64_t minheld;
	atomic64_t failcnt;	/* forks refused by the pids controller */
};

static struct vzbc_acct vzbc_tasks_acct;

static struct vzbc_tasks *vzbc_tasks_of(struct vzbc_bc *bc)
{
	return vzbc_bc_priv(bc, &vzbc_tasks_acct.slot);
}

static void vzbc_tasks_add(struct vzbc_bc *bc, void *arg)
{
	struct vzbc_tasks *t = vzbc_tasks_of(bc);
	s64 v = atomic64_inc_return(&t->held);
	s64 old = atomic64_read(&t->maxheld);

	while (v > old && !atomic64_try_cmpxchg(&t->maxheld, &old, v))
		;
}

static void vzbc_tasks_sub(struct vzbc_bc *bc, void *arg)
{
	struct vzbc_tasks *t = vzbc_tasks_of(bc);
	s64 v = atomic64_dec_return(&t->held);
	s64 old = atomic64_read(&t->minheld);

	while (v < old && !atomic64_try_cmpxchg(&t->minheld, &old, v))
		;
}

static void vzbc_tasks_failed(struct vzbc_bc *bc, void *arg)
{
	atomic64_inc(&vzbc_tasks_of(bc)->failcnt);
}

static void vzbc_probe_newtask(void *data, struct task_struct *task,
			       unsigned long clone_flags)
{
	if (!vzbc_any_bc())
		return;
	rcu_read_lock();
	vzbc_visit_cgroup_chain(task_dfl_cgroup(task), vzbc_tasks_add, NULL);
	rcu_read_unlock();
}

static int vzbc_release_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct task_struct *task =
		(struct task_struct *)regs_get_kernel_argument(regs, 0);

	if (!vzbc_any_bc())
		return 0;
	rcu_read_lock();
	vzbc_visit_cgroup_chain(task_dfl_cgroup(task), vzbc_tasks_sub, NULL);
	rcu_read_unlock();
	return 0;
}

static struct kprobe vzbc_release_kp = {
	.symbol_name = "cgroup_release",
	.pre_handler = vzbc_release_pre,
};

/*
 * Calls @fn for the beancounters bound to @from or its ancestors, up to
 * (not including) the first ancestor that holds @to as well.
 */
static void vzbc_tasks_move(struct cgroup *from, struct cgroup *to,
			    void (*fn)(struct vzbc_bc *bc, void *arg))
{
	struct cgroup *cg;

	for (cg = from; cg && !cgroup_is_descendant(to, cg);
	     cg = cgroup_parent(cg))
		vzbc_visit_bound_to(cg, fn, NULL);
}

static int vzbc_migrate_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct cgroup *src = (struct cgroup *)regs_get_kernel_argument(regs, 1);
	struct cgroup *dst = (struct cgroup *)regs_get_kernel_argument(regs, 2);

	if (!vzbc_any_bc() || src == dst)
		return 0;
	rcu_read_lock();
	vzbc_tasks_move(src, dst, vzbc_tasks_sub);
	vzbc_tasks_move(dst, src, vzbc_tasks_add);
	rcu_read_unlock();
	return 0;
}

static struct kprobe vzbc_migrate_kp = {
	.symbol_name = "cgroup_freezer_migrate_task",
	.pre_handler = vzbc_migrate_pre,
};

struct vzbc_can_fork {
	struct cgroup *cgrp;
};

static int vzbc_can_fork_entry(struct kretprobe_instance *ri,
			       struct pt_regs *regs)
{
	struct css_set *cset = (struct css_set *)regs_get_kernel_argument(regs, 1);
	struct vzbc_can_fork *cf = (struct vzbc_can_fork *)ri->data;

	/* The child's css_set is pinned by copy_process() until we return. */
	cf->cgrp = cset ? cset->dfl_cgrp : NULL;
	return 0;
}

static int vzbc_can_fork_ret(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	struct vzbc_can_fork *cf = (struct vzbc_can_fork *)ri->data;

	/* pids_can_fork() returns int: the upper half of rax is garbage. */
	if ((int)regs_return_value(regs) != -EAGAIN || !cf->cgrp ||
	    !vzbc_any_bc())
		return 0;
	rcu_read_lock();
	vzbc_visit_cgroup_chain(cf->cgrp, vzbc_tasks_failed, NULL);
	rcu_read_unlock();
	vzbc_tick_kick();
	return 0;
}

static struct kretprobe vzbc_can_fork_krp = {
	.kp.symbol_name = "pids_can_fork",
	.entry_handler = vzbc_can_fork_entry,
	.handler = vzbc_can_fork_ret,
	.data_size = sizeof(struct vzbc_can_fork),
};

/*
 * Counts what is in @bc's subtree already: the registry calls this in the
 * RCU read-side section that publishes @bc to the probes.  A task that
 * cgroup_release() took off its css_set is reaped, still on the task list
 * for a moment, and will not be subtracted: not counted.  Forks and reaps
 * that race with the count may be missed or counted twice: bind a cgroup
 * before tasks enter it (Documentation/vzbc-accounting.rst).
 */
static void vzbc_tasks_publish(struct vzbc_bc *bc, void *priv)
{
	struct vzbc_tasks *tasks = priv;
	struct task_struct *g, *t;
	s64 n = 0;

	for_each_process_thread(g, t)
		if (!list_empty(&t->cg_list) &&
		    cgroup_is_descendant(task_dfl_cgroup(t), bc->cgrp))
			n++;
	atomic64_set(&tasks->held, n);
	atomic64_set(&tasks->maxheld, n);
	atomic64_set(&tasks->minheld, n);
	atomic64_set(&tasks->failcnt, 0);
}

static void vzbc_tasks_stat(struct vzbc_bc *bc, void *priv, u32 res,
			    struct vzbc_stat *st)
{
	struct vzbc_tasks *t = priv;

	st->flags = VZBC_STAT_ACCOUNTED;
	st->held = max_t(s64, atomic64_read(&t->held), 0);
	st->maxheld = max_t(s64, atomic64_read(&t->maxheld), 0);
	st->minheld = max_t(s64, atomic64_read(&t->minheld), 0);
	st->failcnt = atomic64_read(&t->failcnt);
}

static const struct vzbc_res vzbc_tasks_res[] = {
	{ VZBC_RES_NUMPROC, VZBC_UNIT_COUNT, "numproc" },
};

static struct vzbc_acct vzbc_tasks_acct = {
	.name = "tasks",
	.res = vzbc_tasks_res,
	.nr_res = ARRAY_SIZE(vzbc_tasks_res),
	.slot.size = sizeof(struct vzbc_tasks),
	.publish = vzbc_tasks_publish,
	.stat = vzbc_tasks_stat,
};

static struct vzbc_probe vzbc_tasks_probes[] = {
	VZBC_PROBE_TP("task_newtask", vzbc_probe_newtask),
	VZBC_PROBE_KP(&vzbc_release_kp),
	VZBC_PROBE_KP(&vzbc_migrate_kp),
	VZBC_PROBE_KRP(&vzbc_can_fork_krp),
};

/*
 * The table entry first, then the probes: a probe finds no beancounter
 * before /dev/vzbc exists, and none is left when they go.
 */
int vzbc_acct_tasks_init(void)
{
	int err;

	err = vzbc_acct_register(&vzbc_tasks_acct);
	if (err)
		return err;
	err = vzbc_probes_register(vzbc_tasks_probes,
				   ARRAY_SIZE(vzbc_tasks_probes));
	if (err)
		vzbc_acct_unregister(&vzbc_tasks_acct);
	return err;
}

void vzbc_acct_tasks_exit(void)
{
	vzbc_probes_unregister(vzbc_tasks_probes,
			       ARRAY_SIZE(vzbc_tasks_probes));
	vzbc_acct_unregister(&vzbc_tasks_acct);
}
