// SPDX-License-Identifier: GPL-2.0
/*
 * ctlvz set CTID [--hostname H] [--ipadd A] [--ipdel A|all]
 *                 [--numproc B[:L]] [--physpages B[:L]] [--swappages B[:L]]
 *                 [--ram X] [--swap Y] [--iolimit R] [--iopslimit N]
 *                 [--iodevice DEV]... [--cpulimit PCT] [--cpus N]
 *                 [--cpuunits N] [--nameserver A]... [--searchdomain D]...
 *                 [--userpasswd USER:PASSWORD] [--onboot yes|no] [--bootorder N]
 *                 [--applyconfig NAME] [--save]
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
#include "plan.h"
#include "provision.h"
#include "util.h"

struct set_args {
	struct ct_set set;
	char **ipadd;
	char **ipdel;
	struct ct_limits limits;
	char **nameservers;
	char **searchdomains;
	char *user, *password;		/* --userpasswd */
	const char *onboot;		/* "yes" or "no" */
	const char *bootorder;
	const char *applyconfig;
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

static int opt_nameserver(struct set_args *a, const char *v, struct ct_err **err)
{
	if (!prov_nameserver_ok(v))
		return err_set(err, VZ_INVALID_PARAMETER_VALUE, 0,
			       "\"%s\" is not an IPv4 or IPv6 address", v);
	a->nameservers = strv_push(a->nameservers, v);
	return 0;
}

static int opt_searchdomain(struct set_args *a, const char *v, struct ct_err **err)
{
	if (!prov_domain_ok(v))
		return err_set(err, VZ_INVALID_PARAMETER_VALUE, 0, "\"%s\" is not a domain name", v);
	a->searchdomains = strv_push(a->searchdomains, v);
	return 0;
}

static int opt_userpasswd(struct set_args *a, const char *v, struct ct_err **err)
{
	free(a->user);
	free(a->password);
	a->user = a->password = NULL;
	return prov_userpasswd_parse(v, &a->user, &a->password, err);
}

static int opt_onboot(struct set_args *a, const char *v, struct ct_err **err)
{
	if (strcmp(v, "yes") && strcmp(v, "no"))
		return err_set(err, VZ_INVALID_PARAMETER_VALUE, 0,
			       "\"%s\": expected yes or no", v);
	a->onboot = v;
	return 0;
}

static int opt_bootorder(struct set_args *a, const char *v, struct ct_err **err)
{
	unsigned long n;

	if (parse_ulong(v, 0, 1000000000, &n) < 0)
		return err_set(err, VZ_INVALID_PARAMETER_VALUE, 0,
			       "\"%s\": expected a number 0..1000000000", v);
	a->bootorder = v;
	return 0;
}

static int opt_applyconfig(struct set_args *a, const char *v, struct ct_err **err)
{
	if (!plan_name_ok(v))
		return err_set(err, VZ_INVALID_PARAMETER_VALUE, 0, "invalid config name \"%s\"", v);
	a->applyconfig = v;
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
	{ "nameserver", true, opt_nameserver },
	{ "searchdomain", true, opt_searchdomain },
	{ "userpasswd", true, opt_userpasswd },
	{ "onboot", true, opt_onboot },
	{ "bootorder", true, opt_bootorder },
	{ "applyconfig", true, opt_applyconfig },
	{ "save", false, opt_save },
};

static void set_args_free(struct set_args *a)
{
	strv_free(a->ipadd);
	strv_free(a->ipdel);
	strv_free(a->nameservers);
	strv_free(a->searchdomains);
	free(a->user);
	free(a->password);
	lim_free(&a->limits);
}

/* The plan's limits where the command line set none (vzctl: options win). */
static void merge_plan(struct ct_limits *l, struct ct_limits *plan)
{
	for (int id = 0; id < LIM_NR; id++)
		if (!l->v[id].set)
			l->v[id] = plan->v[id];
	if (!l->iodevices)
		l->iodevices = TAKE_PTR(plan->iodevices);
}

/* What only CTID.conf holds, or what runs live besides ct_set(). */
static int set_provision(struct ct *ct, struct set_args *a, struct ct_err **err)
{
	_cleanup_free_ char *ns = a->nameservers[0] ? strv_join(a->nameservers) : NULL;
	_cleanup_free_ char *sd = a->searchdomains[0] ? strv_join(a->searchdomains) : NULL;
	struct ct_status st;

	if ((a->onboot || a->bootorder || a->applyconfig) && !a->set.save)
		return err_set(err, VZ_INVALID_PARAMETER_SYNTAX, 0,
			       "--onboot, --bootorder and --applyconfig are saved settings: "
			       "add --save");
	if (ct_status(ct, &st, err) < 0)
		return -1;
	if (a->user && prov_userpasswd(ct->private_dir, a->user, a->password, err) < 0)
		return -1;
	if ((ns || sd) && st.running && prov_dns_ct(ct, ns, sd, err) < 0)
		return -1;
	if (!a->set.save)
		return 0;
	if (ns)
		kv_set(ct->conf, "NAMESERVER", ns);
	if (sd)
		kv_set(ct->conf, "SEARCHDOMAIN", sd);
	if (a->onboot)
		kv_set(ct->conf, "ONBOOT", a->onboot);
	if (a->bootorder)
		kv_set(ct->conf, "BOOTORDER", a->bootorder);
	if (a->applyconfig)
		kv_set(ct->conf, "ORIGIN_SAMPLE", a->applyconfig);
	return 0;
}

int cmd_set(const struct cmd_env *env, int argc, char **argv, struct ct_err **err)
{
	struct option opts[ARRAY_SIZE(set_opts) + 1];
	_cleanup_(set_args_free) struct set_args a = { 0 };
	_cleanup_(lim_free) struct ct_limits plan = { 0 };
	_cleanup_ct_ struct ct *ct = NULL;
	unsigned int ctid;
	bool any = false, only_passwd;
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
	a.nameservers = xzalloc(sizeof(char *));
	a.searchdomains = xzalloc(sizeof(char *));
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
	/* A password is written into the files, running or not, and never saved. */
	only_passwd = a.user && !a.set.save && !a.ipadd[0] && !a.ipdel[0] && !a.set.hostname &&
		      !lim_any(&a.limits) && !a.nameservers[0] && !a.searchdomains[0] &&
		      !a.onboot && !a.bootorder && !a.applyconfig;
	a.set.ipadd = a.ipadd;
	a.set.nr_ipadd = strv_len(a.ipadd);
	a.set.ipdel = a.ipdel;
	a.set.nr_ipdel = strv_len(a.ipdel);
	if (cmd_open(env, ctid, true, &ct, err) < 0)
		return -1;
	if (!ct->exists)
		return err_set(err, VZ_NOVECONFIG, 0, "set %u: container %u does not exist",
			       ctid, ctid);
	if (a.applyconfig) {
		if (plan_load(env->paths, a.applyconfig, ct->private_dir, ct->notice, &plan,
			      err) < 0)
			return err_prefix(err, "set %u: --applyconfig", ctid);
		merge_plan(&a.limits, &plan);
	}
	if (lim_any(&a.limits))
		a.set.limits = &a.limits;
	/*
	 * Stopped, the limits are only saved: what start could not apply
	 * (an IO limit with no disk to go to) must fail now, not at start.
	 */
	if (a.set.limits && lim_check(a.set.limits, ct->private_dir, err) < 0)
		return err_prefix(err, "set %u", ctid);
	if (set_provision(ct, &a, err) < 0)
		return err_prefix(err, "set %u", ctid);
	if (a.user)
		printf("Password of %s set in container %u\n", a.user, ctid);
	if (only_passwd)
		return 0;
	if (ct_set(ct, &a.set, err) < 0)
		return err_prefix(err, "set %u", ctid);
	if (a.set.save)
		printf("Saved parameters for container %u\n", ctid);
	else
		printf("Set parameters of running container %u (not saved: add --save to keep them)\n",
		       ctid);
	return 0;
}
