/* SPDX-License-Identifier: GPL-2.0 */
/* OS templates: finding one by name and unpacking it into a private area. */
#ifndef CTLVZ_TEMPLATE_H
#define CTLVZ_TEMPLATE_H

#include "ct.h"
#include "err.h"

/* A path (used as is) or a name looked up in <TEMPLATE>/cache with the usual suffixes. */
int template_resolve(const struct ct *ct, const char *t, char **out, struct ct_err **err);
/* Unpacks a tarball (gzip, xz or plain) or copies a directory into @dir. */
int template_unpack(const char *tmpl, const char *dir, struct ct_err **err);

#endif
