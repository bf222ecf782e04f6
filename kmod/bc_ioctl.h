/* SPDX-License-Identifier: GPL-2.0 */
/* /dev/vzbc (bc_ioctl.c). */
#ifndef _VZBC_BC_IOCTL_H
#define _VZBC_BC_IOCTL_H

int vzbc_ioctl_init(void);
void vzbc_ioctl_exit(void);

#endif /* _VZBC_BC_IOCTL_H */
