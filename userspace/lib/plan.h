/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Plans: vzctl's sample configs, CONFDIR/ve-NAME.conf-sample (then
 * /etc/ctlvz/conf, then etc/ctlvz/conf beside the binary's tree, so a
 * build runs with the shipped ones).  A plan is the limits it sets;
 * "create --config NAME", "set --applyconfig NAME" and the global
 * CONFIGFILE use them.
 */
#ifndef CTLVZ_PLAN_H
#define CTLVZ_PLAN_H

#include "conf.h"
#include "ct.h"
#include "err.h"
#include "lim.h"

/* Letters, digits, '.', '_' and '-', not starting with '.'. */
bool plan_name_ok(const char *name);
/* The sample's path for @name (caller frees), or NULL with err set. */
char *plan_path(const struct ct_paths *p, const char *name, struct ct_err **err);

/*
 * The limits of plan @name into @out.  An unknown name, a broken line or
 * a bad value is refused (VZ_INVALID_PARAMETER_VALUE / VZ_INVALID_CONFIG)
 * with nothing set.  IO limits need a disk: where @area (the private
 * area, or the closest directory above it that exists) is on none, they
 * are left out and @notice says so.
 */
int plan_load(const struct ct_paths *p, const char *name, const char *area,
	      ct_notice_fn notice, struct ct_limits *out, struct ct_err **err);

#endif
