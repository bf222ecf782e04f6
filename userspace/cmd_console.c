// SPDX-License-Identifier: GPL-2.0
/* ctlvz console */
#define _GNU_SOURCE
#include <getopt.h>
#include <unistd.h>

#include "cmd.h"
#include "util.h"

int cmd_console(const struct cmd_env *env, int argc, char **argv, struct ct_err **err)
{
	static const struct option opts[] = { { 0 } };
	_cleanup_ct_ struct ct *ct = NULL;
	unsigned int ctid;

	if (cmd_ctid(env, argc, argv, &ctid, err) < 0)
		return -1;
	argc--, argv++;
	if (getopt_long(argc, argv, "+", opts, NULL) != -1)
		return cmd_bad_option(env, argv, err);
	/* No lock: stop, set and exec go on while someone sits at the console. */
	if (cmd_no_extra(env, argc, argv, err) < 0 || cmd_open(env, ctid, false, &ct, err) < 0)
		return -1;
	if (isatty(0))
		fprintf(stderr, "Attached to container %u's console (Esc . to detach)\r\n", ctid);
	if (ct_console(ct, err) < 0)
		return err_prefix(err, "console %u", ctid);
	if (isatty(0))
		fprintf(stderr, "\r\nDetached from container %u's console\n", ctid);
	return 0;
}
