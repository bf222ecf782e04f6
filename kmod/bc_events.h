/* SPDX-License-Identifier: GPL-2.0 */
/* Netlink events (bc_events.c): hooks into the registry and the tick. */
#ifndef _VZBC_BC_EVENTS_H
#define _VZBC_BC_EVENTS_H

int vzbc_events_init(void);
void vzbc_events_exit(void);

#endif /* _VZBC_BC_EVENTS_H */
