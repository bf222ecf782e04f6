/* SPDX-License-Identifier: GPL-2.0 */
/* Talking to vzbc.ko through /dev/vzbc (include/uapi/linux/vzbc.h). */
#ifndef CTLVZ_VZBC_H
#define CTLVZ_VZBC_H

#include <stdbool.h>

#include "err.h"

#define VZBC_DEVICE_PATH "/dev/vzbc"

/* Open /dev/vzbc, running "modprobe vzbc" first if it is missing (VZ_BAD_KERNEL). */
int vzbc_open(int *fd, struct ct_err **err);
int vzbc_create(int fd, unsigned int ctid, int cgroup_fd, struct ct_err **err);
/* Unknown ctid is not an error: *existed tells whether there was one. */
int vzbc_destroy(int fd, unsigned int ctid, bool *existed, struct ct_err **err);

#endif
