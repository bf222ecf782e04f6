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
#include <linux/tracepoint.h>

#include "vzbc.h"

static void vzbc_tasks_add(struct vzbc_bc *bc, void *arg)
{
	struct vzbc_tasks *t = &bc->tasks;
	s64 v = atomic64_inc_return(&t->held);
	s64 old = atomic64_read(&t->maxheld);

	while (v > old && !atomic64_try_cmpxchg(&t->maxheld, &old, v))
		;
}

static void vzbc_tasks_sub(struct vzbc_bc *bc, void *arg)
{
	struct vzbc_tasks *t = &bc->tasks;
	s64 v = atomic64_dec_return(&t->held);
	s64 old = atomic64_read(&t->minheld);

	while (v < old && !atomic64_try_cmpxchg(&t->minheld, &old, v))
		;
}

static void vzbc_tasks_failed(struct vzbc_bc *bc, void *arg)
{
	atomic64_inc(&bc->tasks.failcnt);
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
	vzbc_events_kick();
	return 0;
}

static struct kretprobe vzbc_can_fork_krp = {
	.kp.symbol_name = "pids_can_fork",
	.entry_handler = vzbc_can_fork_entry,
	.handler = vzbc_can_fork_ret,
	.data_size = sizeof(struct vzbc_can_fork),
};

struct vzbc_tp {
	const char *name;
	void *probe;
	struct tracepoint *tp;
	bool registered;
};

static struct vzbc_tp vzbc_tps[] = {
	{ .name = "task_newtask", .probe = vzbc_probe_newtask },
};

static void vzbc_tp_lookup(struct tracepoint *tp, void *priv)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(vzbc_tps); i++)
		if (!strcmp(tp->name, vzbc_tps[i].name))
			vzbc_tps[i].tp = tp;
}

/*
 * Counts what is in @bc's subtree already; the caller holds
 * rcu_read_lock() and publishes @bc before dropping it.  A task that
 * cgroup_release() took off its css_set is reaped, still on the task list
 * for a moment, and will not be subtracted: not counted.  Forks and reaps
 * that race with the count may be missed or counted twice: bind a cgroup
 * before tasks enter it (Documentation/vzbc-accounting.rst).
 */
void vzbc_acct_tasks_bind(struct vzbc_bc *bc)
{
	struct task_struct *g, *t;
	s64 n = 0;

	for_each_process_thread(g, t)
		if (!list_empty(&t->cg_list) &&
		    cgroup_is_descendant(task_dfl_cgroup(t), bc->cgrp))
			n++;
	atomic64_set(&bc->tasks.held, n);
	atomic64_set(&bc->tasks.maxheld, n);
	atomic64_set(&bc->tasks.minheld, n);
	atomic64_set(&bc->tasks.failcnt, 0);
}

void vzbc_acct_tasks_stat(struct vzbc_bc *bc, struct vzbc_stat *st)
{
	st->flags = VZBC_STAT_ACCOUNTED;
	st->held = max_t(s64, atomic64_read(&bc->tasks.held), 0);
	st->maxheld = max_t(s64, atomic64_read(&bc->tasks.maxheld), 0);
	st->minheld = max_t(s64, atomic64_read(&bc->tasks.minheld), 0);
	st->failcnt = atomic64_read(&bc->tasks.failcnt);
}

static void vzbc_tps_unregister(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(vzbc_tps); i++) {
		if (vzbc_tps[i].registered)
			tracepoint_probe_unregister(vzbc_tps[i].tp,
						    vzbc_tps[i].probe, NULL);
		vzbc_tps[i].registered = false;
	}
	tracepoint_synchronize_unregister();
}

int vzbc_acct_tasks_init(void)
{
	int i, err;

	for_each_kernel_tracepoint(vzbc_tp_lookup, NULL);
	for (i = 0; i < ARRAY_SIZE(vzbc_tps); i++) {
		if (!vzbc_tps[i].tp) {
			pr_err("tracepoint %s not found\n", vzbc_tps[i].name);
			err = -ENOENT;
			goto out_unregister_tps;
		}
		err = tracepoint_probe_register(vzbc_tps[i].tp,
						vzbc_tps[i].probe, NULL);
		if (err) {
			pr_err("tracepoint %s: register failed: %d\n",
			       vzbc_tps[i].name, err);
			goto out_unregister_tps;
		}
		vzbc_tps[i].registered = true;
	}
	err = register_kprobe(&vzbc_release_kp);
	if (err) {
		pr_err("kprobe %s: register failed: %d\n",
		       vzbc_release_kp.symbol_name, err);
		goto out_unregister_tps;
	}
	err = register_kprobe(&vzbc_migrate_kp);
	if (err) {
		pr_err("kprobe %s: register failed: %d\n",
		       vzbc_migrate_kp.symbol_name, err);
		goto out_unregister_release;
	}
	err = register_kretprobe(&vzbc_can_fork_krp);
	if (err) {
		pr_err("kretprobe %s: register failed: %d\n",
		       vzbc_can_fork_krp.kp.symbol_name, err);
		goto out_unregister_kprobe;
	}
	return 0;

out_unregister_kprobe:
	unregister_kprobe(&vzbc_migrate_kp);
out_unregister_release:
	unregister_kprobe(&vzbc_release_kp);
out_unregister_tps:
	vzbc_tps_unregister();
	return err;
}

void vzbc_acct_tasks_exit(void)
{
	unregister_kretprobe(&vzbc_can_fork_krp);
	unregister_kprobe(&vzbc_migrate_kp);
	unregister_kprobe(&vzbc_release_kp);
	vzbc_tps_unregister();
}
