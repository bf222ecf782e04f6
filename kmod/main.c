// SPDX-License-Identifier: GPL-2.0
/*
 * vzbc: OpenVZ-style beancounters for cgroup v2 containers on a stock
 * kernel.  The cgroup controllers enforce; vzbc accounts, reports and
 * notifies.  This file brings the subsystems up in order and down in the
 * reverse order.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/rcupdate.h>

#include "vzbc.h"

static int __init vzbc_init(void)
{
	int err;

	err = vzbc_proc_init();
	if (err)
		return err;
	err = vzbc_registry_init();
	if (err)
		goto out_proc_exit;
	err = vzbc_genl_init();
	if (err)
		goto out_registry_exit;
	err = vzbc_events_init();
	if (err)
		goto out_genl_exit;
	err = vzbc_acct_tasks_init();
	if (err)
		goto out_events_exit;
	err = vzbc_acct_io_init();
	if (err)
		goto out_acct_tasks_exit;
	err = vzbc_ioctl_init();
	if (err)
		goto out_acct_io_exit;
	pr_info("API version %d loaded\n", VZBC_API_VERSION);
	return 0;

out_acct_io_exit:
	vzbc_acct_io_exit();
out_acct_tasks_exit:
	vzbc_acct_tasks_exit();
out_events_exit:
	vzbc_events_exit();
out_genl_exit:
	vzbc_genl_exit();
out_registry_exit:
	vzbc_registry_exit();
out_proc_exit:
	vzbc_proc_exit();
	rcu_barrier();
	return err;
}

static void __exit vzbc_exit(void)
{
	vzbc_ioctl_exit();
	vzbc_acct_io_exit();
	vzbc_acct_tasks_exit();
	vzbc_events_exit();
	vzbc_genl_exit();
	vzbc_registry_exit();
	vzbc_proc_exit();
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
