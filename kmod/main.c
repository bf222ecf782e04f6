// SPDX-License-Identifier: GPL-2.0
/*
 * vzbc: OpenVZ-style beancounters for cgroup v2 containers on a stock
 * kernel.  The cgroup controllers enforce; vzbc accounts, reports and
 * notifies.  This file brings the units up in order and down in the
 * reverse order.
 *
 * The layers, bottom to top; a file calls only into the layers below it
 * (its #include lines say which), and hears of the layers above only
 * through what they register (hooks, the resource table):
 *
 *   bc_registry   beancounters: lookup, refcounts, limits, iterator,
 *                 private areas, add/publish/remove hooks
 *   bc_res        the resource table the accounting units register in
 *   bc_probe      tracepoint/kprobe registration (calls nothing of ours)
 *   bc_tick       the once-a-second walk: samples, then tick hooks
 *   acct_tasks, acct_mem, acct_io
 *                 accounting units: probes, per-beancounter state, stats
 *   bc_genl       the generic netlink family (GET, RESOURCES, EVENT sends)
 *   bc_events     failcnt/barrier events: a registry hook, a tick hook,
 *                 sent through bc_genl
 *   bc_proc       /proc/user_beancounters, /proc/bc/ (a registry hook)
 *   bc_ioctl      /dev/vzbc, which alone creates beancounters: last up,
 *                 first down, so every hook and unit is there for them
 *
 * Documentation/vzbc-design.rst says the same at more length.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/rcupdate.h>

#include "acct_io.h"
#include "acct_mem.h"
#include "acct_tasks.h"
#include "bc_events.h"
#include "bc_genl.h"
#include "bc_ioctl.h"
#include "bc_proc.h"
#include "bc_registry.h"
#include "bc_res.h"
#include "bc_tick.h"

/*
 * The accounting units, each one line: a new resource is a new acct_*.c
 * and its line here.  Rows print in resource-number order whatever the
 * order of this table.
 */
static const struct {
	int (*init)(void);
	void (*exit)(void);
} vzbc_accts[] = {
	{ vzbc_acct_tasks_init, vzbc_acct_tasks_exit },
	{ vzbc_acct_mem_init, vzbc_acct_mem_exit },
	{ vzbc_acct_io_init, vzbc_acct_io_exit },
};

static void vzbc_accts_exit(unsigned int n)
{
	while (n--)
		vzbc_accts[n].exit();
}

static int vzbc_accts_init(void)
{
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(vzbc_accts); i++) {
		err = vzbc_accts[i].init();
		if (err) {
			vzbc_accts_exit(i);
			return err;
		}
	}
	return 0;
}

static int __init vzbc_init(void)
{
	int err;

	err = vzbc_registry_init();
	if (err)
		return err;
	err = vzbc_res_init();
	if (err)
		goto out_registry_exit;
	err = vzbc_tick_init();
	if (err)
		goto out_res_exit;
	err = vzbc_accts_init();
	if (err)
		goto out_tick_exit;
	err = vzbc_genl_init();
	if (err)
		goto out_accts_exit;
	err = vzbc_events_init();
	if (err)
		goto out_genl_exit;
	err = vzbc_proc_init();
	if (err)
		goto out_events_exit;
	err = vzbc_ioctl_init();
	if (err)
		goto out_proc_exit;
	pr_info("API version %d loaded\n", VZBC_API_VERSION);
	return 0;

out_proc_exit:
	vzbc_proc_exit();
out_events_exit:
	vzbc_events_exit();
out_genl_exit:
	vzbc_genl_exit();
out_accts_exit:
	vzbc_accts_exit(ARRAY_SIZE(vzbc_accts));
out_tick_exit:
	vzbc_tick_exit();
out_res_exit:
	vzbc_res_exit();
out_registry_exit:
	vzbc_registry_exit();
	rcu_barrier();
	return err;
}

static void __exit vzbc_exit(void)
{
	vzbc_ioctl_exit();
	/* No CREATE can come now: every beancounter goes, hooks still there. */
	vzbc_bc_destroy_all();
	vzbc_proc_exit();
	vzbc_events_exit();
	vzbc_genl_exit();
	vzbc_accts_exit(ARRAY_SIZE(vzbc_accts));
	vzbc_tick_exit();
	vzbc_res_exit();
	vzbc_registry_exit();
	/*
	 * The last reference to a beancounter may go with a /proc reader that
	 * vzbc_proc_exit() waited for: its call_rcu() free must run before
	 * the module's code goes.
	 */
	rcu_barrier();
}

module_init(vzbc_init);
module_exit(vzbc_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("lowfat developers");
MODULE_DESCRIPTION("Per-container beancounters for cgroup v2");
