// SPDX-License-Identifier: GPL-2.0
/* ctlvz start / stop / restart */
#define _GNU_SOURCE
#include <getopt.h>
#include <string.h>

#include "cmd.h"
#include "util.h"

static int parse(const struct cmd_env *env, int argc, char **argv, bool allow_fast,
		 unsigned int *ctid, bool *fast, struct ct_err **err)
{
	static const struct option opts[] = {
		{ "fast", no_argument, NULL, 'f' },
		{ 0 }
	};
	int c;

	*fast = false;
	if (cmd_ctid(env, argc, argv, ctid, err) < 0)
		return -1;
	argc--, argv++;
	while ((c = getopt_long(argc, argv, "+", allow_fast ? opts : opts + 1, NULL)) != -1) {
		if (c != 'f')
			return cmd_bad_option(env, argv, err);
		*fast = true;
	}
	return cmd_no_extra(env, argc, argv, err);
}

int cmd_start(const struct cmd_env *env, int argc, char **argv, struct ct_err **err)
{
	_cleanup_ct_ struct ct *ct = NULL;
	unsigned int ctid;
	bool fast;

	if (parse(env, argc, argv, false, &ctid, &fast, err) < 0 ||
	    cmd_open(env, ctid, true, &ct, err) < 0)
		return -1;
	printf("Starting container %u ...\n", ctid);
	fflush(stdout);
	if (ct_start(ct, err) < 0)
		return err_prefix(err, "start %u", ctid);
	printf("Container %u started\n", ctid);
	return 0;
}

int cmd_stop(const struct cmd_env *env, int argc, char **argv, struct ct_err **err)
{
	_cleanup_ct_ struct ct *ct = NULL;
	unsigned int ctid;
	bool fast;

	if (parse(env, argc, argv, true, &ctid, &fast, err) < 0 ||
	    cmd_open(env, ctid, true, &ct, err) < 0)
		return -1;
	printf("Stopping container %u ...\n", ctid);
	fflush(stdout);
	if (ct_stop(ct, fast, err) < 0)
		return err_prefix(err, "stop %u", ctid);
	printf("Container %u stopped\n", ctid);
	return 0;
}

int cmd_restart(const struct cmd_env *env, int argc, char **argv, struct ct_err **err)
{
	_cleanup_ct_ struct ct *ct = NULL;
	unsigned int ctid;
	bool fast;

	if (parse(env, argc, argv, true, &ctid, &fast, err) < 0 ||
	    cmd_open(env, ctid, true, &ct, err) < 0)
		return -1;
	printf("Restarting container %u ...\n", ctid);
	fflush(stdout);
	/* One lock for both halves: nobody starts it in between. */
	if (ct_stop(ct, fast, err) < 0) {
		if ((*err)->status != VZ_VE_NOT_RUNNING)
			return err_prefix(err, "restart %u", ctid);
		err_free(err);
	}
	if (ct_start(ct, err) < 0)
		return err_prefix(err, "restart %u", ctid);
	printf("Container %u started\n", ctid);
	return 0;
}
