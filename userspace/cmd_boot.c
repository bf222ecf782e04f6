// SPDX-License-Identifier: GPL-2.0
/*
 * ctlvz boot / ctlvz shutdown: the host's boot and shutdown, run by
 * lowfat.service (etc/systemd/) as vzctl's vz service runs vzctl.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <string.h>

#include "boot.h"
#include "cmd.h"
#include "util.h"

/* Each container's start may take this long (a template's first boot). */
#define BOOT_START_MS	(300 * 1000L)
/* Teardown after STOP_TIMEOUT: kill, wait, unregister. */
#define BOOT_STOP_SLACK_MS	(30 * 1000L)

static int helper_status(struct ct_err *err, unsigned int ctid)
{
	fprintf(stderr, "ctlvz: container %u: %s\n", ctid, err->msg);
	return err->status ? err->status : 1;
}

static int start_one(const struct ct_paths *p, unsigned int ctid)
{
	_cleanup_err_ struct ct_err *err = NULL;
	_cleanup_ct_ struct ct *ct = NULL;
	struct ct_status st;

	if (ct_open(p, ctid, true, &ct, &err) < 0)
		return helper_status(err, ctid);
	ct->notice = cmd_notice;
	if (ct_status(ct, &st, &err) < 0)
		return helper_status(err, ctid);
	if (st.running) {
		printf("Container %u is already running\n", ctid);
		return 0;
	}
	printf("Starting container %u ...\n", ctid);
	fflush(stdout);
	if (ct_start(ct, &err) < 0)
		return helper_status(err, ctid);
	printf("Container %u started\n", ctid);
	return 0;
}

static int stop_one(const struct ct_paths *p, unsigned int ctid)
{
	_cleanup_err_ struct ct_err *err = NULL;
	_cleanup_ct_ struct ct *ct = NULL;
	struct ct_status st;

	if (ct_open(p, ctid, true, &ct, &err) < 0)
		return helper_status(err, ctid);
	ct->notice = cmd_notice;
	if (ct_status(ct, &st, &err) < 0)
		return helper_status(err, ctid);
	if (!st.running && !st.stale)
		return 0;
	printf("Stopping container %u ...\n", ctid);
	fflush(stdout);
	if (ct_stop(ct, false, &err) < 0)
		return helper_status(err, ctid);
	printf("Container %u stopped\n", ctid);
	return 0;
}

static int no_args(const struct cmd_env *env, int argc, char **argv, struct ct_err **err)
{
	static const struct option opts[] = { { 0 } };

	if (getopt_long(argc, argv, "+", opts, NULL) != -1)
		return cmd_bad_option(env, argv, err);
	return cmd_no_extra(env, argc, argv, err);
}

int cmd_boot(const struct cmd_env *env, int argc, char **argv, struct ct_err **err)
{
	_cleanup_free_ struct boot_entry *all = NULL;
	_cleanup_free_ unsigned int *ids = NULL;
	size_t n, nr = 0, failed;

	if (no_args(env, argc, argv, err) < 0 ||
	    boot_list(env->paths, cmd_notice, &all, &n, err) < 0)
		return -1;
	ids = xzalloc((n + 1) * sizeof(*ids));
	for (size_t i = 0; i < n; i++)
		if (all[i].onboot)
			ids[nr++] = all[i].ctid;
	/* vzctl's order, one after the other: a higher BOOTORDER may be a dependency. */
	failed = boot_run(env->paths, ids, nr, 1, BOOT_START_MS * (long)(nr ? nr : 1),
			  start_one, cmd_notice);
	if (failed)
		return err_set(err, VZ_ENVCREATE_ERROR, 0, "boot: %zu of %zu ONBOOT containers "
			       "did not start", failed, nr);
	printf("Started %zu ONBOOT container%s\n", nr, nr == 1 ? "" : "s");
	return 0;
}

int cmd_shutdown(const struct cmd_env *env, int argc, char **argv, struct ct_err **err)
{
	_cleanup_free_ struct boot_entry *all = NULL;
	_cleanup_free_ unsigned int *ids = NULL;
	size_t n, failed;

	if (no_args(env, argc, argv, err) < 0 ||
	    boot_list(env->paths, cmd_notice, &all, &n, err) < 0)
		return -1;
	ids = xzalloc((n + 1) * sizeof(*ids));
	for (size_t i = 0; i < n; i++)
		ids[i] = all[i].ctid;
	/* All at once: the host's shutdown waits for the slowest, not for the sum. */
	failed = boot_run(env->paths, ids, n, n,
			  (long)env->paths->stop_timeout * 1000L + BOOT_STOP_SLACK_MS,
			  stop_one, cmd_notice);
	if (failed)
		return err_set(err, VZ_STOP_ERROR, 0, "shutdown: %zu container%s did not stop",
			       failed, failed == 1 ? "" : "s");
	printf("Every container is stopped\n");
	return 0;
}
