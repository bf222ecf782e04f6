// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/user_beancounters, /proc/bc/resources and /proc/bc/<ctid>/resources.
 *
 * /proc/user_beancounters keeps OpenVZ's 64-bit "Version: 2.5" layout to
 * the byte, so that existing monitoring parses it unchanged.  Who sees
 * what: a task whose cgroup lies inside a bound cgroup sees the block of
 * the innermost such beancounter only; any other task needs CAP_SYS_ADMIN
 * and sees every beancounter; the rest get EACCES.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>
#include <linux/seq_file.h>

#include "bc_proc.h"
#include "bc_registry.h"
#include "bc_res.h"

#define VZBC_UB_HEAD_FMT "%10s  %-12s %20s %20s %20s %20s %20s\n"
#define VZBC_UB_ROW_FMT  "%10s%c %-12s %20llu %20llu %20llu %20llu %20llu\n"
#define VZBC_BC_ROW_FMT  "\t%-20s %21llu %21llu %21llu %21llu %21llu\n"

static struct proc_dir_entry *vzbc_proc_bc_dir;

/*
 * /proc/bc/<ctid> of one beancounter, its private area: made by the add
 * hook and removed by the remove hook, both under the registry mutex.
 */
struct vzbc_proc_bc {
	struct proc_dir_entry *dir;
};

static struct vzbc_bc_slot vzbc_proc_slot = {
	.size = sizeof(struct vzbc_proc_bc),
};

/* What the opener may see: one ctid, or all of them (0). */
struct vzbc_proc_view {
	u32 only_ctid;
	bool version_line;
};

static int vzbc_proc_viewer(u32 *only_ctid)
{
	struct vzbc_bc *bc;

	rcu_read_lock();
	bc = vzbc_bc_get_innermost(task_dfl_cgroup(current));
	rcu_read_unlock();
	if (bc) {
		*only_ctid = bc->ctid;
		vzbc_bc_put(bc);
		return 0;
	}
	if (!capable(CAP_SYS_ADMIN))
		return -EACCES;
	*only_ctid = 0;
	return 0;
}

/*
 * The rows of one beancounter: OpenVZ's layout when @ub is true (the first
 * row names the ctid), the /proc/bc/<ctid>/resources layout otherwise.
 */
static void vzbc_proc_show_bc(struct seq_file *m, struct vzbc_bc *bc, bool ub)
{
	const struct vzbc_res *r;
	struct vzbc_stat st;
	bool first = true;
	unsigned int i;
	char id[12];

	snprintf(id, sizeof(id), "%u", bc->ctid);
	vzbc_for_each_res(r, i) {
		vzbc_res_stat(bc, r, &st);
		if (!(st.flags & VZBC_STAT_ACCOUNTED))
			continue;
		if (ub)
			seq_printf(m, VZBC_UB_ROW_FMT, first ? id : "",
				   first ? ':' : ' ', r->name,
				   st.held, st.maxheld, st.barrier, st.limit,
				   st.failcnt);
		else
			seq_printf(m, VZBC_BC_ROW_FMT, r->name,
				   st.held, st.maxheld, st.barrier, st.limit,
				   st.failcnt);
		first = false;
	}
}

/*
 * The seq position is 0 for the header, then the ctid to look at next, so
 * that a restarted read resumes where it stopped without a walk.
 */
static struct vzbc_bc *vzbc_proc_find(struct vzbc_proc_view *view, loff_t *pos)
{
	struct vzbc_bc *bc;
	u32 ctid;

	if (*pos > VZBC_CTID_MAX)
		return NULL;
	ctid = *pos;
	if (view->only_ctid) {
		if (ctid > view->only_ctid)
			return NULL;
		ctid = view->only_ctid;
		bc = vzbc_bc_get(ctid);
	} else {
		bc = vzbc_bc_get_next(&ctid);
	}
	*pos = bc ? ctid : (loff_t)VZBC_CTID_MAX + 1;
	return bc;
}

static void *vzbc_ub_start(struct seq_file *m, loff_t *pos)
{
	if (*pos == 0)
		return SEQ_START_TOKEN;
	return vzbc_proc_find(m->private, pos);
}

static void *vzbc_ub_next(struct seq_file *m, void *v, loff_t *pos)
{
	if (v != SEQ_START_TOKEN)
		vzbc_bc_put(v);
	(*pos)++;
	return vzbc_proc_find(m->private, pos);
}

static void vzbc_ub_stop(struct seq_file *m, void *v)
{
	if (v && v != SEQ_START_TOKEN)
		vzbc_bc_put(v);
}

static int vzbc_ub_show(struct seq_file *m, void *v)
{
	struct vzbc_proc_view *view = m->private;

	if (v == SEQ_START_TOKEN) {
		if (view->version_line)
			seq_puts(m, "Version: 2.5\n");
		seq_printf(m, VZBC_UB_HEAD_FMT, "uid", "resource", "held",
			   "maxheld", "barrier", "limit", "failcnt");
		return 0;
	}
	vzbc_proc_show_bc(m, v, true);
	return 0;
}

static const struct seq_operations vzbc_ub_seq_ops = {
	.start	= vzbc_ub_start,
	.next	= vzbc_ub_next,
	.stop	= vzbc_ub_stop,
	.show	= vzbc_ub_show,
};

static int vzbc_ub_open_view(struct file *file, bool version_line)
{
	struct vzbc_proc_view *view;
	u32 only;
	int err;

	err = vzbc_proc_viewer(&only);
	if (err)
		return err;
	view = __seq_open_private(file, &vzbc_ub_seq_ops, sizeof(*view));
	if (!view)
		return -ENOMEM;
	view->only_ctid = only;
	view->version_line = version_line;
	return 0;
}

static int vzbc_ub_open(struct inode *inode, struct file *file)
{
	return vzbc_ub_open_view(file, true);
}

static int vzbc_all_open(struct inode *inode, struct file *file)
{
	return vzbc_ub_open_view(file, false);
}

static const struct proc_ops vzbc_ub_proc_ops = {
	.proc_open	= vzbc_ub_open,
	.proc_read	= seq_read,
	.proc_lseek	= seq_lseek,
	.proc_release	= seq_release_private,
};

static const struct proc_ops vzbc_all_proc_ops = {
	.proc_open	= vzbc_all_open,
	.proc_read	= seq_read,
	.proc_lseek	= seq_lseek,
	.proc_release	= seq_release_private,
};

/*
 * /proc/bc/<ctid>/resources and the accounting units' files: the
 * directory's data is the ctid, a file's the unit that prints it (NULL:
 * resources).
 */
static int vzbc_bc_file_show(struct seq_file *m, void *v)
{
	const struct vzbc_acct *a = pde_data(file_inode(m->file));

	if (a)
		return vzbc_acct_show(m, a, m->private);
	vzbc_proc_show_bc(m, m->private, false);
	return 0;
}

static int vzbc_bc_file_open(struct inode *inode, struct file *file)
{
	u32 ctid = (u32)(uintptr_t)proc_get_parent_data(inode);
	struct vzbc_bc *bc;
	u32 only;
	int err;

	err = vzbc_proc_viewer(&only);
	if (err)
		return err;
	if (only && only != ctid)
		return -EACCES;
	bc = vzbc_bc_get(ctid);
	if (!bc)
		return -ENOENT;
	err = single_open(file, vzbc_bc_file_show, bc);
	if (err)
		vzbc_bc_put(bc);
	return err;
}

static int vzbc_bc_file_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;

	vzbc_bc_put(m->private);
	return single_release(inode, file);
}

static const struct proc_ops vzbc_bc_file_proc_ops = {
	.proc_open	= vzbc_bc_file_open,
	.proc_read	= seq_read,
	.proc_lseek	= seq_lseek,
	.proc_release	= vzbc_bc_file_release,
};

static int vzbc_proc_bc_add(struct vzbc_bc *bc)
{
	struct vzbc_proc_bc *p = vzbc_bc_priv(bc, &vzbc_proc_slot);
	const struct vzbc_acct *a;
	char name[12];

	vzbc_registry_assert_held();
	snprintf(name, sizeof(name), "%u", bc->ctid);
	p->dir = proc_mkdir_data(name, 0555, vzbc_proc_bc_dir,
				 (void *)(uintptr_t)bc->ctid);
	if (!p->dir)
		return -ENOMEM;
	if (!proc_create_data("resources", 0444, p->dir,
			      &vzbc_bc_file_proc_ops, NULL))
		goto out_remove;
	vzbc_for_each_acct_file(a)
		if (!proc_create_data(a->proc_file, 0444, p->dir,
				      &vzbc_bc_file_proc_ops, (void *)a))
			goto out_remove;
	return 0;

out_remove:
	proc_remove(p->dir);
	p->dir = NULL;
	return -ENOMEM;
}

/* Waits for running readers. */
static void vzbc_proc_bc_remove(struct vzbc_bc *bc)
{
	struct vzbc_proc_bc *p = vzbc_bc_priv(bc, &vzbc_proc_slot);

	vzbc_registry_assert_held();
	proc_remove(p->dir);
	p->dir = NULL;
}

static struct vzbc_bc_hooks vzbc_proc_hooks = {
	.add = vzbc_proc_bc_add,
	.remove = vzbc_proc_bc_remove,
};

int vzbc_proc_init(void)
{
	int err;

	err = vzbc_bc_slot_reserve(&vzbc_proc_slot);
	if (err)
		return err;
	vzbc_proc_bc_dir = proc_mkdir("bc", NULL);
	if (!vzbc_proc_bc_dir)
		return -ENOMEM;
	if (!proc_create("resources", 0444, vzbc_proc_bc_dir,
			 &vzbc_all_proc_ops))
		goto out_remove_bc_dir;
	if (!proc_create("user_beancounters", 0444, NULL, &vzbc_ub_proc_ops))
		goto out_remove_bc_dir;
	vzbc_bc_hooks_register(&vzbc_proc_hooks);
	return 0;

out_remove_bc_dir:
	proc_remove(vzbc_proc_bc_dir);
	return -ENOMEM;
}

void vzbc_proc_exit(void)
{
	vzbc_bc_hooks_unregister(&vzbc_proc_hooks);
	remove_proc_entry("user_beancounters", NULL);
	proc_remove(vzbc_proc_bc_dir);
}
