// SPDX-License-Identifier: GPL-2.0
/* ctlvz exec / enter */
#define _GNU_SOURCE
#include <getopt.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "util.h"

int cmd_exec(const struct cmd_env *env, int argc, char **argv, struct ct_err **err)
{
	_cleanup_ct_ struct ct *ct = NULL;
	unsigned int ctid;
	int status;

	if (cmd_ctid(env, argc, argv, &ctid, err) < 0)
		return -1;
	/* Everything after the CTID is the command, options included. */
	if (argc < 3)
		return cmd_usage_error(env, err, "missing command (ctlvz exec CTID CMD [ARG]...)");
	if (cmd_open(env, ctid, true, &ct, err) < 0)
		return -1;
	/* A container pty for a terminal; pipes (our own stdio) otherwise. */
	status = ct_exec(ct, argv + 2, isatty(0), err);
	if (status < 0)
		return err_prefix(err, "exec %u", ctid);
	return status;
}

int cmd_enter(const struct cmd_env *env, int argc, char **argv, struct ct_err **err)
{
	static const struct option opts[] = { { 0 } };
	static char *const shell[] = { "/bin/sh", "-l", NULL };
	_cleanup_ct_ struct ct *ct = NULL;
	unsigned int ctid;
	int status;

	if (cmd_ctid(env, argc, argv, &ctid, err) < 0)
		return -1;
	argc--, argv++;
	if (getopt_long(argc, argv, "+", opts, NULL) != -1)
		return cmd_bad_option(env, argv, err);
	if (cmd_no_extra(env, argc, argv, err) < 0 || cmd_open(env, ctid, true, &ct, err) < 0)
		return -1;
	if (isatty(0))
		fprintf(stderr, "entered into container %u\n", ctid);
	status = ct_exec(ct, shell, true, err);
	if (status < 0)
		return err_prefix(err, "enter %u", ctid);
	if (isatty(0))
		fprintf(stderr, "exited from container %u\n", ctid);
	return status;
}
