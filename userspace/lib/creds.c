// SPDX-License-Identifier: GPL-2.0
/* The container's credentials: its root user, its capability bounding set. */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <linux/capability.h>

#include "chan.h"
#include "creds.h"
#include "ns.h"
#include "util.h"

/* OpenVZ's default container capabilities; SYS_ADMIN and NET_ADMIN act only
 * inside the container's user namespace, as OpenVZ's VE_ADMIN did. */
static const int allowed_caps[] = {
	CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER, CAP_FSETID,
	CAP_KILL, CAP_SETGID, CAP_SETUID, CAP_SETPCAP, CAP_LINUX_IMMUTABLE,
	CAP_NET_BIND_SERVICE, CAP_NET_BROADCAST, CAP_NET_ADMIN, CAP_NET_RAW,
	CAP_IPC_LOCK, CAP_IPC_OWNER, CAP_SYS_CHROOT, CAP_SYS_PTRACE, CAP_SYS_ADMIN,
	CAP_SYS_BOOT, CAP_SYS_NICE, CAP_SYS_RESOURCE, CAP_SYS_TTY_CONFIG, CAP_MKNOD,
	CAP_LEASE, CAP_AUDIT_WRITE, CAP_SETFCAP,
};

bool ns_cap_allowed(int cap)
{
	for (size_t i = 0; i < ARRAY_SIZE(allowed_caps); i++)
		if (allowed_caps[i] == cap)
			return true;
	return false;
}

int creds_become_root(void)
{
	if (setresgid(0, 0, 0) < 0 || setgroups(0, NULL) < 0 || setresuid(0, 0, 0) < 0)
		return -1;
	return 0;
}

void creds_drop_caps(int errfd)
{
	for (int cap = 0; cap <= 63; cap++) {
		if (ns_cap_allowed(cap))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
			chan_fail(errfd, CHAN_STEP_SETUP, errno, "drop capability %d from the bounding set", cap);
	}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		chan_fail(errfd, CHAN_STEP_SETUP, errno, "clear ambient capabilities");
}
