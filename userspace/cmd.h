/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Commands of ctlvz.  Each parses its own options (getopt_long with "+") and
 * calls the library; it returns an exit status, or -1 with *err set, which
 * main() prints and turns into the exit status.
 */
#ifndef CTLVZ_CMD_H
#define CTLVZ_CMD_H

#include "conf.h"
#include "ct.h"
#include "err.h"

struct cmd_env {
	const char *name;		/* the command as typed */
	const struct ct_paths *paths;
};

typedef int (*cmd_fn)(const struct cmd_env *env, int argc, char **argv, struct ct_err **err);

int cmd_create(const struct cmd_env *env, int argc, char **argv, struct ct_err **err);
int cmd_destroy(const struct cmd_env *env, int argc, char **argv, struct ct_err **err);
int cmd_start(const struct cmd_env *env, int argc, char **argv, struct ct_err **err);
int cmd_stop(const struct cmd_env *env, int argc, char **argv, struct ct_err **err);
int cmd_restart(const struct cmd_env *env, int argc, char **argv, struct ct_err **err);
int cmd_status(const struct cmd_env *env, int argc, char **argv, struct ct_err **err);
int cmd_list(const struct cmd_env *env, int argc, char **argv, struct ct_err **err);
int cmd_exec(const struct cmd_env *env, int argc, char **argv, struct ct_err **err);
int cmd_console(const struct cmd_env *env, int argc, char **argv, struct ct_err **err);
int cmd_enter(const struct cmd_env *env, int argc, char **argv, struct ct_err **err);
int cmd_set(const struct cmd_env *env, int argc, char **argv, struct ct_err **err);
int cmd_monitor(const struct cmd_env *env, int argc, char **argv, struct ct_err **err);
int cmd_boot(const struct cmd_env *env, int argc, char **argv, struct ct_err **err);
int cmd_shutdown(const struct cmd_env *env, int argc, char **argv, struct ct_err **err);

/* Shared by the commands: "unknown option", "missing CTID", ... (status 20). */
int cmd_usage_error(const struct cmd_env *env, struct ct_err **err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The error for the option getopt_long() just refused. */
int cmd_bad_option(const struct cmd_env *env, char **argv, struct ct_err **err);
/* The CTID is argv[1] (vzctl syntax: "ctlvz start 101"); options follow it. */
int cmd_ctid(const struct cmd_env *env, int argc, char **argv, unsigned int *ctid,
	     struct ct_err **err);
/* After getopt_long(argc, argv, ...): no positional argument may be left. */
int cmd_no_extra(const struct cmd_env *env, int argc, char **argv, struct ct_err **err);
/* Prints the library's notices: "ctlvz: MSG" on stderr. */
void cmd_notice(const char *msg);
/* Open (and lock) a container, its notices going to cmd_notice(). */
int cmd_open(const struct cmd_env *env, unsigned int ctid, bool lock, struct ct **ct,
	     struct ct_err **err);

#endif
