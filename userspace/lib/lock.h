/* SPDX-License-Identifier: GPL-2.0 */
/* Per-container lock: flock(LOCK_EX) on <LOCKDIR>/CTID.lock. */
#ifndef CTLVZ_LOCK_H
#define CTLVZ_LOCK_H

#include "conf.h"

/*
 * Take the lock of ctid, waiting up to timeout seconds for another ctlvz
 * to release it (VZ_LOCKED after that).  *fd holds the lock until closed;
 * the kernel drops it when the holder dies, so a kill -9 never leaves a
 * stale lock behind.
 */
int ct_lock(const struct ct_paths *p, unsigned int ctid, unsigned int timeout,
	    int *fd, struct ct_err **err);

#endif
