/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A vzctl CTID.conf brought over from OpenVZ, made startable: its private
 * area is owned by the host's own ids, so a USERNS_BASE is allocated and
 * the tree shifted into it; keys ctlvz does not use (DISKSPACE, KMEMSIZE,
 * ...) stay in the file and are named once at start.
 */
#ifndef CTLVZ_IMPORT_H
#define CTLVZ_IMPORT_H

#include "ct.h"
#include "err.h"

/* The keys of @conf ctlvz does not use, " "-joined; NULL if none. */
char *conf_unknown_keys(const struct kvfile *conf);

/* Before start: the notice, and USERNS_BASE when missing (saved). */
int ct_import(struct ct *ct, struct ct_err **err);

#endif
