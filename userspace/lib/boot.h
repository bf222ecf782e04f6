/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host boot and shutdown, as vzctl's vz service: ONBOOT="yes" containers
 * start in BOOTORDER (higher first, then by CTID), one after the other;
 * at shutdown every running container stops at the same time, each in a
 * helper process of its own, all within one deadline.
 */
#ifndef CTLVZ_BOOT_H
#define CTLVZ_BOOT_H

#include <stdbool.h>

#include "conf.h"
#include "ct.h"
#include "err.h"

struct boot_entry {
	unsigned int ctid;
	unsigned long order;	/* BOOTORDER, 0 if unset */
	bool onboot;		/* ONBOOT="yes" */
};

/*
 * Every container with a CTID.conf, in boot order.  A CTID.conf that
 * cannot be read is skipped with a notice (one broken container must not
 * keep the others down).
 */
int boot_list(const struct ct_paths *p, ct_notice_fn notice, struct boot_entry **out,
	      size_t *n, struct ct_err **err);

/* What a helper does for one container; returns an exit status. */
typedef int (*boot_fn)(const struct ct_paths *p, unsigned int ctid);

/*
 * Run @fn for each of @ids, at most @parallel at a time, each in a child
 * process, all within @deadline_ms (a helper past it is killed and counts
 * as failed).  Returns the number that failed.
 */
size_t boot_run(const struct ct_paths *p, const unsigned int *ids, size_t n, size_t parallel,
		long deadline_ms, boot_fn fn, ct_notice_fn notice);

#endif
