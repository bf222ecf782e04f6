/* SPDX-License-Identifier: GPL-2.0 */
/* /proc/user_beancounters and /proc/bc/ (bc_proc.c). */
#ifndef _VZBC_BC_PROC_H
#define _VZBC_BC_PROC_H

int vzbc_proc_init(void);
void vzbc_proc_exit(void);

#endif /* _VZBC_BC_PROC_H */
