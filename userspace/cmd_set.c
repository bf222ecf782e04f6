// SPDX-License-Identifier: GPL-2.0
/*
 * ctlvz set CTID [--hostname H] [--ipadd A] [--ipdel A|all]
 *                 [--numproc B[:L]] [--physpages B[:L]] [--swappages B[:L]]
 *                 [--ram X] [--swap Y] [--iolimit R] [--iopslimit N]
 *                 [--iodevice DEV]... [--cpulimit PCT] [--cpus N]
 *                 [--cpuunits N] [--save]
 *
 * Options are rows of a table: a name and a parser that checks the value
 * and records it in struct ct_set.  New settings (the resource limits of
 * --numproc, --physpages, ...) are new rows and new ct_set fields.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <string.h>

#include "cmd.h"
#include "lim.h"
#include "net.h"
#include "util.h"

struct set_args {
	struct ct_set set;
	char **ipadd;
	char **ipdel;
	struct ct_limits limits;
};

static int opt_hostname(struct set_args *a, const char *v, struct ct_err **err)
{
	if (!ct_hostname_ok(v))
		return err_set(err, VZ_BADHOSTNAME, 0, "invalid hostname \"%s\"", v);
	a->set.hostname = v;
	return 0;
}

static int opt_ipadd(struct set_args *a, const char *v, struct ct_err **err)
{
	_cleanup_free_ char *ip = NULL;

	if (net_parse_ip(v, &ip, err) < 0)
		return -1;
	a->ipadd = strv_push(a->ipadd, ip);
	return 0;
}

static int opt_ipdel(struct set_args *a, const char *v, struct ct_err **err)
{
	_cleanup_free_ char *ip = NULL;

	if (strcmp(v, "all") && net_parse_ip(v, &ip, err) < 0)
		return -1;
	a->ipdel = strv_push(a->ipdel, ip ? ip : v);
	return 0;
}

#define LIMIT_OPT(fn, id)							\
static int fn(struct set_args *a, const char *v, struct ct_err **err)		\
{										\
	return lim_parse(&a->limits, id, v, err);				\
}
LIMIT_OPT(opt_numproc, LIM_NUMPROC)
LIMIT_OPT(opt_physpages, LIM_PHYSPAGES)
LIMIT_OPT(opt_swappages, LIM_SWAPPAGES)
LIMIT_OPT(opt_iolimit, LIM_IOLIMIT)
LIMIT_OPT(opt_iopslimit, LIM_IOPSLIMIT)
LIMIT_OPT(opt_cpulimit, LIM_CPULIMIT)
LIMIT_OPT(opt_cpus, LIM_CPUS)
LIMIT_OPT(opt_cpuunits, LIM_CPUUNITS)
#undef LIMIT_OPT

static int opt_ram(struct set_args *a, const char *v, struct ct_err **err)
{
	return lim_parse_shorthand(&a->limits, "ram", v, err);
}

static int opt_swap(struct set_args *a, const char *v, struct ct_err **err)
{
	return lim_parse_shorthand(&a->limits, "swap", v, err);
}

static int opt_iodevice(struct set_args *a, const char *v, struct ct_err **err)
{
	if (!*v || strchr(v, ' ') || !kv_value_ok(v))
		return err_set(err, VZ_INVALID_PARAMETER_VALUE, 0,
			       "invalid device \"%s\"", v);
	if (!a->limits.iodevices)
		a->limits.iodevices = xzalloc(sizeof(char *));
	a->limits.iodevices = strv_push(a->limits.iodevices, v);
	return 0;
}

static int opt_save(struct set_args *a, const char *v, struct ct_err **err)
{
	(void)v;
	(void)err;
	a->set.save = true;
	return 0;
}

static const struct set_opt {
	const char *name;
	bool has_arg;
	int (*parse)(struct set_args *a, const char *v, struct ct_err **err);
} set_opts[] = {
	{ "hostname", true, opt_hostname },
	{ "ipadd", true, opt_ipadd },
	{ "ipdel", true, opt_ipdel },
	{ "numproc", true, opt_numproc },
	{ "physpages", true, opt_physpages },
	{ "swappages", true, opt_swappages },
	{ "ram", true, opt_ram },
	{ "swap", true, opt_swap },
	{ "iolimit", true, opt_iolimit },
	{ "iopslimit", true, opt_iopslimit },
	{ "iodevice", true, opt_iodevice },
	{ "cpulimit", true, opt_cpulimit },
	{ "cpus", true, opt_cpus },
	{ "cpuunits", true, opt_cpuunits },
	{ "save", false, opt_save },
};

static void set_args_free(struct set_args *a)
{
	strv_free(a->ipadd);
	strv_free(a->ipdel);
	lim_free(&a->limits);
}

int cmd_set(const struct cmd_env *env, int argc, char **argv, struct ct_err **err)
{
	struct option opts[ARRAY_SIZE(set_opts) + 1];
	_cleanup_(set_args_free) struct set_args a = { 0 };
	_cleanup_ct_ struct ct *ct = NULL;
	unsigned int ctid;
	bool any = false;
	int c;

	memset(opts, 0, sizeof(opts));
	for (size_t i = 0; i < ARRAY_SIZE(set_opts); i++)
		opts[i] = (struct option){ set_opts[i].name,
					   set_opts[i].has_arg ? required_argument : no_argument,
					   NULL, 0x100 + (int)i };
	if (cmd_ctid(env, argc, argv, &ctid, err) < 0)
		return -1;
	argc--, argv++;
	a.ipadd = xzalloc(sizeof(char *));
	a.ipdel = xzalloc(sizeof(char *));
	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		const struct set_opt *o;

		if (c < 0x100 || c >= 0x100 + (int)ARRAY_SIZE(set_opts))
			return cmd_bad_option(env, argv, err);
		o = &set_opts[c - 0x100];
		if (o->parse(&a, optarg, err) < 0)
			return err_prefix(err, "set %u: --%s", ctid, o->name);
		any |= o->parse != opt_save;
	}
	if (cmd_no_extra(env, argc, argv, err) < 0)
		return -1;
	if (!any)
		return cmd_usage_error(env, err, "nothing to set");
	a.set.ipadd = a.ipadd;
	a.set.nr_ipadd = strv_len(a.ipadd);
	a.set.ipdel = a.ipdel;
	a.set.nr_ipdel = strv_len(a.ipdel);
	if (lim_any(&a.limits))
		a.set.limits = &a.limits;
	if (cmd_open(env, ctid, true, &ct, err) < 0)
		return -1;
	/*
	 * Stopped, the limits are only saved: what start could not apply
	 * (an IO limit with no disk to go to) must fail now, not at start.
	 */
	if (a.set.limits && lim_check(a.set.limits, ct->private_dir, err) < 0)
		return err_prefix(err, "set %u", ctid);
	if (ct_set(ct, &a.set, err) < 0)
		return err_prefix(err, "set %u", ctid);
	if (a.set.save)
		printf("Saved parameters for container %u\n", ctid);
	else
		printf("Set parameters of running container %u (not saved: add --save to keep them)\n",
		       ctid);
	return 0;
}
