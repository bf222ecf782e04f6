// SPDX-License-Identifier: GPL-2.0
/* ctlvz status / list */
#define _GNU_SOURCE
#include <dirent.h>
#include <inttypes.h>
#include <errno.h>
#include <getopt.h>
#include <string.h>

#include <linux/vzbc.h>

#include "bc.h"
#include "cmd.h"
#include "util.h"

int cmd_status(const struct cmd_env *env, int argc, char **argv, struct ct_err **err)
{
	static const struct option opts[] = { { 0 } };
	_cleanup_ct_ struct ct *ct = NULL;
	struct ct_status st;
	unsigned int ctid;

	if (cmd_ctid(env, argc, argv, &ctid, err) < 0)
		return -1;
	argc--, argv++;
	if (getopt_long(argc, argv, "+", opts, NULL) != -1)
		return cmd_bad_option(env, argv, err);
	if (cmd_no_extra(env, argc, argv, err) < 0 || cmd_open(env, ctid, false, &ct, err) < 0)
		return -1;
	if (ct_status(ct, &st, err) < 0)
		return err_prefix(err, "status %u", ctid);
	/*
	 * vzctl's words; the root is mounted in the container's own namespace
	 * only.  A systemd still booting adds a word after "running".
	 */
	printf("CTID %u %s %s %s%s\n", ctid, st.exists ? "exist" : "deleted",
	       st.running ? "mounted" : "unmounted", st.running ? "running" : "down",
	       st.booting ? " booting" : "");
	if (st.stale)
		fprintf(stderr, "ctlvz: container %u: leftovers of an interrupted ctlvz "
			"(cgroup %s); the next start or stop cleans them up\n", ctid, ct->cgroup);
	return 0;
}

enum field { F_CTID, F_NPROC, F_STATUS, F_IP, F_HOSTNAME };

static const struct {
	const char *name;	/* for -o, vzlist's */
	const char *header;
	const char *json;
	int width;		/* negative: left-aligned */
} fields[] = {
	[F_CTID] = { "ctid", "CTID", "ctid", 10 },
	[F_NPROC] = { "numproc", "NPROC", "numproc", 10 },
	[F_STATUS] = { "status", "STATUS", "status", -9 },
	[F_IP] = { "ip", "IP_ADDR", "ip", -15 },
	[F_HOSTNAME] = { "hostname", "HOSTNAME", "hostname", -1 },
};

static int parse_fields(const struct cmd_env *env, const char *spec, enum field *out, size_t *n,
			struct ct_err **err)
{
	_cleanup_free_ char *copy = xstrdup(spec);
	char *save = NULL;

	*n = 0;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		size_t i;

		for (i = 0; i < ARRAY_SIZE(fields); i++)
			if (!strcmp(tok, fields[i].name) ||
			    (i == F_NPROC && !strcmp(tok, "nproc")))
				break;
		if (i == ARRAY_SIZE(fields))
			return cmd_usage_error(env, err, "unknown field \"%s\" (known: ctid, "
					       "numproc, status, ip, hostname)", tok);
		if (*n == ARRAY_SIZE(fields))
			return cmd_usage_error(env, err, "too many fields");
		out[(*n)++] = i;
	}
	if (!*n)
		return cmd_usage_error(env, err, "empty field list");
	return 0;
}

static int cmp_uint(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return x < y ? -1 : x > y;
}

/* CTIDs with a CTID.conf, ascending. */
static int list_ctids(const struct ct_paths *p, unsigned int **out, size_t *n,
		      struct ct_err **err)
{
	_cleanup_closedir_ DIR *d = opendir(p->confdir);
	unsigned int *ids = NULL;
	struct dirent *de;

	*n = 0;
	if (!d) {
		*out = NULL;
		return errno == ENOENT ? 0 : err_set(err, VZ_SYSTEM_ERROR, errno, "open %s", p->confdir);
	}
	while ((de = readdir(d))) {
		_cleanup_free_ char *num = xstrdup(de->d_name);
		char *dot = strrchr(num, '.');
		unsigned int ctid;
		_cleanup_err_ struct ct_err *ignore = NULL;

		if (!dot || strcmp(dot, ".conf"))
			continue;
		*dot = '\0';
		if (ct_parse_id(num, &ctid, &ignore) < 0)
			continue;
		ids = xrealloc(ids, (*n + 1) * sizeof(*ids));
		ids[(*n)++] = ctid;
	}
	qsort(ids, *n, sizeof(*ids), cmp_uint);
	*out = ids;
	return 0;
}

/* numproc held of @ctid's beancounter; the cgroup's count without one. */
static char *nproc_of(const struct bc_info *bcs, size_t nr, unsigned int ctid, long cg_nproc)
{
	for (size_t i = 0; i < nr; i++) {
		const struct bc_res *r;

		if (bcs[i].ctid != ctid)
			continue;
		r = bc_info_res(&bcs[i], VZBC_RES_NUMPROC);
		if (r && (r->flags & VZBC_STAT_ACCOUNTED))
			return xasprintf("%" PRIu64, r->held);
	}
	return cg_nproc >= 0 ? xasprintf("%ld", cg_nproc) : xstrdup("-");
}

static void print_value(enum field f, const char *v, bool json, bool last)
{
	if (json) {
		printf("\"%s\": ", fields[f].json);
		if (f == F_CTID || f == F_NPROC) {
			printf("%s", *v && strcmp(v, "-") ? v : "null");
		} else {
			putchar('"');
			for (; *v; v++)
				if (*v == '"' || *v == '\\')
					printf("\\%c", *v);
				else if ((unsigned char)*v < 0x20)
					printf("\\u%04x", *v);
				else
					putchar(*v);
			putchar('"');
		}
		printf(last ? "" : ", ");
		return;
	}
	if (last && fields[f].width < 0)
		printf("%s", v);
	else
		printf("%*s%s", fields[f].width, v, last ? "" : " ");
}

int cmd_list(const struct cmd_env *env, int argc, char **argv, struct ct_err **err)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "output", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' },
		{ "no-header", no_argument, NULL, 'H' },
		{ 0 }
	};
	enum field sel[ARRAY_SIZE(fields)] = { F_CTID, F_NPROC, F_STATUS, F_IP, F_HOSTNAME };
	size_t nsel = ARRAY_SIZE(fields), n, shown = 0;
	bool all = false, json = false, header = true;
	_cleanup_free_ unsigned int *ids = NULL;
	_cleanup_free_ struct bc_info *bcs = NULL;
	_cleanup_err_ struct ct_err *dump_err = NULL;
	size_t nr_bcs = 0;
	int c;

	while ((c = getopt_long(argc, argv, "+ao:jH", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			all = true;
			break;
		case 'o':
			if (parse_fields(env, optarg, sel, &nsel, err) < 0)
				return -1;
			break;
		case 'j':
			json = true;
			break;
		case 'H':
			header = false;
			break;
		default:
			return cmd_bad_option(env, argv, err);
		}
	}
	if (cmd_no_extra(env, argc, argv, err) < 0 || list_ctids(env->paths, &ids, &n, err) < 0)
		return -1;
	/* NPROC is the beancounter's numproc, from one netlink dump. */
	if (bc_nl_dump(&bcs, &nr_bcs, &dump_err) < 0)
		nr_bcs = 0;

	if (json)
		printf("[");
	else if (header) {
		for (size_t i = 0; i < nsel; i++)
			print_value(sel[i], fields[sel[i]].header, false, i + 1 == nsel);
		putchar('\n');
	}
	for (size_t k = 0; k < n; k++) {
		_cleanup_ct_ struct ct *ct = NULL;
		_cleanup_err_ struct ct_err *e = NULL;
		struct ct_status st;

		if (ct_open(env->paths, ids[k], false, &ct, &e) < 0 || ct_status(ct, &st, &e) < 0) {
			fprintf(stderr, "ctlvz: list: container %u: %s\n", ids[k], e->msg);
			continue;
		}
		if (!all && !st.running)
			continue;
		if (json)
			printf("%s\n  {", shown ? "," : "");
		shown++;
		for (size_t i = 0; i < nsel; i++) {
			_cleanup_free_ char *v = NULL;
			const char *s;

			switch (sel[i]) {
			case F_CTID:
				v = xasprintf("%u", ids[k]);
				break;
			case F_NPROC:
				v = st.running ? nproc_of(bcs, nr_bcs, ids[k], st.nproc) :
						 xstrdup("-");
				break;
			case F_STATUS:
				v = xstrdup(st.booting ? "booting" : st.running ? "running" :
					    st.stale ? "stale" : "stopped");
				break;
			case F_IP:
				s = kv_get(ct->conf, "IP_ADDRESS");
				v = xstrdup(s && *s ? s : "-");
				if (json && !strcmp(v, "-"))
					*v = '\0';
				break;
			case F_HOSTNAME:
				s = kv_get(ct->conf, "HOSTNAME");
				v = xstrdup(s && *s ? s : (json ? "" : "-"));
				break;
			}
			print_value(sel[i], v, json, i + 1 == nsel);
		}
		printf(json ? "}" : "\n");
	}
	if (json)
		printf("%s]\n", shown ? "\n" : "");
	return 0;
}
