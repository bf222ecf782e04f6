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

#include "vzbc.h"

#define VZBC_UB_HEAD_FMT "%10s  %-12s %20s %20s %20s %20s %20s\n"
#define VZBC_UB_ROW_FMT  "%10s%c %-12s %20llu %20llu %20llu %20llu %20llu\n"
#define VZBC_BC_ROW_FMT  "\t%-20s %21llu %21llu %21llu %21llu %21llu\n"

static struct proc_dir_entry *vzbc_proc_bc_dir;

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
	struct vzbc_stat st;
	bool first = true;
	unsigned int i;
	char id[12];
	u32 res;

	snprintf(id, sizeof(id), "%u", bc->ctid);
	for (i = 0; i < VZBC_NR_RESOURCES; i++) {
		res = vzbc_resources[i];
		vzbc_bc_stat(bc, res, &st);
		if (!(st.flags & VZBC_STAT_ACCOUNTED))
			continue;
		if (ub)
			seq_printf(m, VZBC_UB_ROW_FMT, first ? id : "",
				   first ? ':' : ' ', vzbc_resource_name(res),
				   st.held, st.maxheld, st.barrier, st.limit,
				   st.failcnt);
		else
			seq_printf(m, VZBC_BC_ROW_FMT, vzbc_resource_name(res),
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

static int vzbc_bc_res_show(struct seq_file *m, void *v)
{
	vzbc_proc_show_bc(m, m->private, false);
	return 0;
}

static int vzbc_bc_iostat_show(struct seq_file *m, void *v)
{
	vzbc_acct_io_show_totals(m, m->private);
	return 0;
}

/*
 * /proc/bc/<ctid>/{resources,iostat}: the directory's data is the ctid,
 * the file's the show function.
 */
static int vzbc_bc_file_open(struct inode *inode, struct file *file)
{
	int (*show)(struct seq_file *m, void *v) = pde_data(inode);
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
	err = single_open(file, show, bc);
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

/* Called with the registry mutex held. */
int vzbc_proc_bc_add(struct vzbc_bc *bc)
{
	char name[12];

	snprintf(name, sizeof(name), "%u", bc->ctid);
	bc->proc_dir = proc_mkdir_data(name, 0555, vzbc_proc_bc_dir,
				       (void *)(uintptr_t)bc->ctid);
	if (!bc->proc_dir)
		return -ENOMEM;
	if (!proc_create_data("resources", 0444, bc->proc_dir,
			      &vzbc_bc_file_proc_ops, vzbc_bc_res_show) ||
	    !proc_create_data("iostat", 0444, bc->proc_dir,
			      &vzbc_bc_file_proc_ops, vzbc_bc_iostat_show)) {
		proc_remove(bc->proc_dir);
		bc->proc_dir = NULL;
		return -ENOMEM;
	}
	return 0;
}

/* Called with the registry mutex held; waits for running readers. */
void vzbc_proc_bc_remove(struct vzbc_bc *bc)
{
	proc_remove(bc->proc_dir);
	bc->proc_dir = NULL;
}

int vzbc_proc_init(void)
{
	vzbc_proc_bc_dir = proc_mkdir("bc", NULL);
	if (!vzbc_proc_bc_dir)
		return -ENOMEM;
	if (!proc_create("resources", 0444, vzbc_proc_bc_dir,
			 &vzbc_all_proc_ops))
		goto out_remove_bc_dir;
	if (!proc_create("user_beancounters", 0444, NULL, &vzbc_ub_proc_ops))
		goto out_remove_bc_dir;
	return 0;

out_remove_bc_dir:
	proc_remove(vzbc_proc_bc_dir);
	return -ENOMEM;
}

void vzbc_proc_exit(void)
{
	remove_proc_entry("user_beancounters", NULL);
	proc_remove(vzbc_proc_bc_dir);
}
