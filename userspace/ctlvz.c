// SPDX-License-Identifier: GPL-2.0
/* ctlvz: vzctl-like administration of lowfat containers. */
#define _GNU_SOURCE
#include <ctype.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "util.h"

#define CTLVZ_VERSION "0.1"

static const struct {
	const char *name;
	cmd_fn fn;
} commands[] = {
	{ "create", cmd_create },
	{ "destroy", cmd_destroy },
	{ "delete", cmd_destroy },
	{ "start", cmd_start },
	{ "stop", cmd_stop },
	{ "restart", cmd_restart },
	{ "status", cmd_status },
	{ "list", cmd_list },
	{ "exec", cmd_exec },
	{ "enter", cmd_enter },
	{ "console", cmd_console },
	{ "set", cmd_set },
	{ "monitor", cmd_monitor },
	{ "boot", cmd_boot },
	{ "shutdown", cmd_shutdown },
};

static void usage(FILE *f)
{
	fputs("Usage: ctlvz COMMAND [OPTION]... CTID [ARG]...\n"
	      "\n"
	      "Commands:\n"
	      "  create CTID --ostemplate T [--hostname H] [--ipadd A[/P]]... [--config NAME]\n"
	      "  destroy CTID                   remove a stopped container (alias: delete)\n"
	      "  start CTID\n"
	      "  stop CTID [--fast]             --fast: kill at once, no clean shutdown\n"
	      "  restart CTID\n"
	      "  status CTID                    \"CTID 101 exist mounted running\"\n"
	      "  list [-a] [-o FIELD,...] [-j]  fields: ctid,numproc,status,ip,hostname\n"
	      "  exec CTID CMD [ARG]...         run CMD inside, exit with its status\n"
	      "  enter CTID                     interactive shell on a new pty\n"
	      "  console CTID                   attach to /dev/console (Esc . detaches)\n"
	      "  set CTID [--hostname H] [--ipadd A[/P]]... [--ipdel A[/P]|all]... [--save]\n"
	      "           [--numproc B[:L]] [--physpages B[:L]] [--swappages B[:L]]\n"
	      "           [--ram SIZE] [--swap SIZE] [--iolimit RATE] [--iopslimit N]\n"
	      "           [--iodevice DEV]... [--cpulimit PCT] [--cpus N] [--cpuunits N]\n"
	      "           [--nameserver A]... [--searchdomain D]... [--userpasswd U:P]\n"
	      "           [--onboot yes|no] [--bootorder N] [--applyconfig NAME]\n"
	      "           B/L: numbers, pages or sizes with K/M/G/T, or \"unlimited\";\n"
	      "           --iolimit without a suffix is MB/s; 0 means no limit\n"
	      "  boot                           start ONBOOT containers, higher BOOTORDER first\n"
	      "  shutdown                       stop every running container, all at once\n"
	      "  monitor [CTID] [-j] [-n N]       print beancounter events as they happen\n"
	      "\n"
	      "CTID is 1..2147483644.  Paths come from /etc/ctlvz/ctlvz.conf\n"
	      "($CTLVZ_CONF overrides); see ctlvz(8).\n"
	      "\n"
	      "Exit status (vzctl's codes):\n"
	      "   0 success                      31 container not running\n"
	      "   3 system call failed           32 container running\n"
	      "   5 kernel lacks vzbc support    33 stop failed\n"
	      "   6 beancounter error            34 cannot add IP address\n"
	      "   7 container init failed        43 private area missing\n"
	      "   8 exec: command failed to run  44 container/private area exists\n"
	      "   9 container locked             47 OS template not found\n"
	      "  10 global config unusable       48 cannot create private area\n"
	      "  14 no such container            52 cannot remove private area\n"
	      "  20 bad command line             70 bad hostname\n"
	      "  21 bad parameter value          71 bad IP address\n"
	      "  29 --ostemplate missing         85 malformed CTID.conf\n"
	      "  74 --userpasswd failed         104/130 network device error\n"
	      "   1 a limit could not be applied (nothing was changed)\n"
	      "exec returns the command's own status (127: it could not be run).\n",
	      f);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 }
	};
	_cleanup_err_ struct ct_err *err = NULL;
	struct ct_paths paths;
	struct cmd_env env;
	int c, status;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+hV", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("ctlvz %s\n", CTLVZ_VERSION);
			return 0;
		default:
			fprintf(stderr, "ctlvz: unknown option %s; see ctlvz --help\n",
				argv[optind - 1]);
			return VZ_INVALID_PARAMETER_SYNTAX;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return VZ_INVALID_PARAMETER_SYNTAX;
	}
	if (!strcmp(argv[optind], "help")) {
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
		if (strcmp(argv[optind], commands[i].name))
			continue;
		if (paths_load(&paths, &err) < 0) {
			fprintf(stderr, "ctlvz: %s\n", err->msg);
			return err->status;
		}
		env.name = commands[i].name;
		env.paths = &paths;
		argc -= optind;
		argv += optind;
		optind = 0;	/* reset getopt for the command */
		status = commands[i].fn(&env, argc, argv, &err);
		if (status < 0) {
			fprintf(stderr, "ctlvz: %s\n", err->msg);
			status = err->status;
		}
		paths_free(&paths);
		return status;
	}
	fprintf(stderr, "ctlvz: unknown command \"%s\"; see ctlvz --help\n", argv[optind]);
	return VZ_INVALID_PARAMETER_SYNTAX;
}

int cmd_usage_error(const struct cmd_env *env, struct ct_err **err, const char *fmt, ...)
{
	_cleanup_free_ char *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	return err_set(err, VZ_INVALID_PARAMETER_SYNTAX, 0, "%s: %s; see ctlvz --help",
		       env->name, msg ? msg : "bad usage");
}

int cmd_bad_option(const struct cmd_env *env, char **argv, struct ct_err **err)
{
	if (optopt)
		return cmd_usage_error(env, err, "option -%c is unknown or needs a value", optopt);
	return cmd_usage_error(env, err, "option %s is unknown or needs a value", argv[optind - 1]);
}

int cmd_ctid(const struct cmd_env *env, int argc, char **argv, unsigned int *ctid,
	     struct ct_err **err)
{
	if (argc < 2 || (argv[1][0] == '-' && !isdigit((unsigned char)argv[1][1])))
		return cmd_usage_error(env, err, "missing CTID (ctlvz %s CTID ...)", env->name);
	if (ct_parse_id(argv[1], ctid, err) < 0)
		return err_prefix(err, "%s", env->name);
	return 0;
}

int cmd_no_extra(const struct cmd_env *env, int argc, char **argv, struct ct_err **err)
{
	if (optind < argc)
		return cmd_usage_error(env, err, "unexpected argument \"%s\"", argv[optind]);
	return 0;
}

void cmd_notice(const char *msg)
{
	fprintf(stderr, "ctlvz: %s\n", msg);
}

int cmd_open(const struct cmd_env *env, unsigned int ctid, bool lock, struct ct **ct,
	     struct ct_err **err)
{
	if (ct_open(env->paths, ctid, lock, ct, err) < 0)
		return err_prefix(err, "%s %u", env->name, ctid);
	(*ct)->notice = cmd_notice;
	return 0;
}
