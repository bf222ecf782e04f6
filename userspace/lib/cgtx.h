/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An undo-able set of cgroup file writes: every write remembers what the
 * file held before it, and a transaction that is not committed puts the
 * old values back, newest first, when it is rolled back or goes out of
 * scope.  For any change that spans several files (limits today).
 *
 *	_cleanup_cgtx_ struct cgtx tx = { 0 };
 *
 *	if (cgtx_begin(&tx, "/sys/fs/cgroup/ctlvz/101", err) < 0 ||
 *	    cgtx_write(&tx, "pids.max", "100", NULL, err) < 0 ||
 *	    cgtx_write(&tx, "memory.max", "max", NULL, err) < 0)
 *		return -1;		(the writes made are undone here)
 *	cgtx_commit(&tx);
 */
#ifndef CTLVZ_CGTX_H
#define CTLVZ_CGTX_H

#include <stddef.h>

#include "err.h"

struct cgtx_write {
	char *file;
	char *old;	/* what to write back; NULL: nothing to undo */
};

/* Zero-initialise; cgtx_begin() starts it, commit or rollback ends it. */
struct cgtx {
	char *path;	/* the cgroup directory; NULL: not begun */
	int dirfd;	/* valid while path is set */
	struct cgtx_write *done;
	size_t nr_done;
};

/* Opens the cgroup directory @path. */
int cgtx_begin(struct cgtx *tx, const char *path, struct ct_err **err);
/*
 * Writes @value to @file, first remembering its current value (or @old if
 * not NULL, for files whose read form is not their write form, as io.max).
 * On failure nothing more is remembered and the caller rolls back.
 */
int cgtx_write(struct cgtx *tx, const char *file, const char *value, const char *old,
	       struct ct_err **err);
/* Reads a single-value file of the transaction's cgroup, newline dropped; NULL if unreadable. */
char *cgtx_read(const struct cgtx *tx, const char *file);
/* Keeps every write; the transaction is over. */
void cgtx_commit(struct cgtx *tx);
/* Puts back every remembered value, newest first; the transaction is over. */
void cgtx_rollback(struct cgtx *tx);

static inline void cgtx_rollbackp(struct cgtx *tx) { cgtx_rollback(tx); }
#define _cleanup_cgtx_ __attribute__((cleanup(cgtx_rollbackp)))

#endif
