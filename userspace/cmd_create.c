// SPDX-License-Identifier: GPL-2.0
/* ctlvz create / destroy */
#define _GNU_SOURCE
#include <getopt.h>
#include <string.h>

#include "cmd.h"
#include "net.h"
#include "plan.h"
#include "util.h"

int cmd_create(const struct cmd_env *env, int argc, char **argv, struct ct_err **err)
{
	static const struct option opts[] = {
		{ "ostemplate", required_argument, NULL, 't' },
		{ "hostname", required_argument, NULL, 'H' },
		{ "ipadd", required_argument, NULL, 'i' },
		{ "config", required_argument, NULL, 'c' },
		{ 0 }
	};
	_cleanup_(lim_free) struct ct_limits plan = { 0 };
	_cleanup_strv_ char **ips = xzalloc(sizeof(char *));
	_cleanup_ct_ struct ct *ct = NULL;
	struct ct_create_opts o = { 0 };
	const char *config = NULL;
	unsigned int ctid;
	int c;

	if (cmd_ctid(env, argc, argv, &ctid, err) < 0)
		return -1;
	argc--, argv++;
	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		_cleanup_free_ char *ip = NULL;

		switch (c) {
		case 't':
			o.ostemplate = optarg;
			break;
		case 'H':
			if (!ct_hostname_ok(optarg))
				return err_set(err, VZ_BADHOSTNAME, 0,
					       "create %u: invalid hostname \"%s\"", ctid, optarg);
			o.hostname = optarg;
			break;
		case 'i':
			if (net_parse_ip(optarg, &ip, err) < 0)
				return err_prefix(err, "create %u", ctid);
			ips = strv_push(ips, ip);
			break;
		case 'c':
			if (!plan_name_ok(optarg))
				return err_set(err, VZ_INVALID_PARAMETER_VALUE, 0,
					       "create %u: invalid config name \"%s\"", ctid, optarg);
			config = optarg;
			break;
		default:
			return cmd_bad_option(env, argv, err);
		}
	}
	if (cmd_no_extra(env, argc, argv, err) < 0)
		return -1;
	if (!o.ostemplate)
		return err_set(err, VZ_VE_OSTEMPLATE_NOTSET, 0,
			       "create %u: --ostemplate is required", ctid);
	o.ips = ips;
	if (cmd_open(env, ctid, true, &ct, err) < 0)
		return -1;
	/* The plan: --config, else the global CONFIGFILE; checked before anything is made. */
	if (!config)
		config = env->paths->configfile;
	if (config && !ct->exists) {
		if (plan_load(env->paths, config, ct->private_dir, ct->notice, &plan, err) < 0)
			return err_prefix(err, "create %u", ctid);
		o.limits = &plan;
		o.origin = config;
	}
	if (ct_create(ct, &o, err) < 0)
		return err_prefix(err, "create %u", ctid);
	printf("Container %u created from %s (private area %s)%s%s\n", ctid, o.ostemplate,
	       ct->private_dir, config ? ", config " : "", config ? config : "");
	return 0;
}

int cmd_destroy(const struct cmd_env *env, int argc, char **argv, struct ct_err **err)
{
	static const struct option opts[] = { { 0 } };
	_cleanup_ct_ struct ct *ct = NULL;
	unsigned int ctid;

	if (cmd_ctid(env, argc, argv, &ctid, err) < 0)
		return -1;
	argc--, argv++;
	if (getopt_long(argc, argv, "+", opts, NULL) != -1)
		return cmd_bad_option(env, argv, err);
	if (cmd_no_extra(env, argc, argv, err) < 0 || cmd_open(env, ctid, true, &ct, err) < 0)
		return -1;
	if (ct_destroy(ct, err) < 0)
		return err_prefix(err, "destroy %u", ctid);
	printf("Container %u destroyed\n", ctid);
	return 0;
}
