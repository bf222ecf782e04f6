// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "err.h"
#include "util.h"

static void err_vset(struct ct_err **err, int status, int errnum, const char *fmt,
		     va_list ap)
{
	_cleanup_free_ char *msg = NULL;
	struct ct_err *e;

	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	e = xzalloc(sizeof(*e));
	e->status = status;
	e->errnum = errnum;
	if (errnum)
		e->msg = xasprintf("%s: %s", msg ? msg : "?", strerror(errnum));
	else
		e->msg = xstrdup(msg ? msg : "?");
	err_free(err);
	*err = e;
}

int err_set(struct ct_err **err, int status, int errnum, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(err, status, errnum, fmt, ap);
	va_end(ap);
	return -1;
}

int err_verrno(struct ct_err **err, int status, int errnum, const char *fmt, va_list ap)
{
	if (err)
		err_vset(err, status, errnum, fmt, ap);
	return errnum ? -errnum : -EIO;
}

int err_errno(struct ct_err **err, int status, int errnum, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = err_verrno(err, status, errnum, fmt, ap);
	va_end(ap);
	return r;
}

int err_prefix(struct ct_err **err, const char *fmt, ...)
{
	_cleanup_free_ char *ctx = NULL;
	char *msg;
	va_list ap;

	if (!*err)
		return -1;
	va_start(ap, fmt);
	if (vasprintf(&ctx, fmt, ap) < 0)
		ctx = NULL;
	va_end(ap);
	if (!ctx)
		return -1;
	msg = xasprintf("%s: %s", ctx, (*err)->msg);
	free((*err)->msg);
	(*err)->msg = msg;
	return -1;
}

void err_free(struct ct_err **err)
{
	if (!*err)
		return;
	free((*err)->msg);
	free(*err);
	*err = NULL;
}
