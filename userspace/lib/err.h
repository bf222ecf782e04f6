/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Errors of the ctlvz library.  A failing function returns a negative value
 * and fills a struct ct_err naming the failing step and object; callers add
 * their own context with err_prefix().  Only main() prints and exits, with
 * err->status, a vzctl exit code.
 */
#ifndef CTLVZ_ERR_H
#define CTLVZ_ERR_H

#include <stdarg.h>

#include "vzerror.h"

struct ct_err {
	int status;	/* vzctl exit code (VZ_*) */
	int errnum;	/* errno of the failing call, 0 if none */
	char *msg;	/* "step object: reason" */
};

/*
 * Set *err (which must be NULL) to a new error; the message is fmt, followed
 * by ": strerror(errnum)" when errnum is not 0.  Returns -1.
 */
int err_set(struct ct_err **err, int status, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/*
 * The kernel client's (bc.h) and any -errno function's error: as err_set(),
 * but @err may be NULL (only the return value is wanted) and the return
 * value is -@errnum (-EIO if @errnum is 0).
 */
int err_errno(struct ct_err **err, int status, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int err_verrno(struct ct_err **err, int status, int errnum, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));
/* Prepend "context: " to the message.  Returns -1. */
int err_prefix(struct ct_err **err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void err_free(struct ct_err **err);

static inline void err_freep(struct ct_err **err) { err_free(err); }
#define _cleanup_err_ __attribute__((cleanup(err_freep)))

#endif
