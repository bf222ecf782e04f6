/* SPDX-License-Identifier: GPL-2.0 */
/* The VZBC generic netlink family (bc_genl.c). */
#ifndef _VZBC_BC_GENL_H
#define _VZBC_BC_GENL_H

#include <linux/types.h>
#include <linux/vzbc.h>

int vzbc_genl_init(void);
void vzbc_genl_exit(void);
/*
 * Multicasts a VZBC_CMD_EVENT; process context.  0 when sent or when
 * nobody listens, -errno when it could not be sent.
 */
int vzbc_genl_send_event(u32 ctid, u32 event, const struct vzbc_stat *st,
			 u64 dropped);

#endif /* _VZBC_BC_GENL_H */
