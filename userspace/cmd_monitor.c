// SPDX-License-Identifier: GPL-2.0
/*
 * ctlvz monitor [CTID] [-j] [-n COUNT]: print vzbc's events (a failcnt that
 * grew, a barrier crossed) as they arrive, one line each, or JSON lines.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <linux/vzbc.h>

#include "bc.h"
#include "cmd.h"
#include "util.h"

struct monitor_args {
	unsigned int ctid;	/* 0: every container */
	bool json;
	unsigned long count;	/* 0: until interrupted */
	unsigned long seen;
	struct bc_resinfo *res;	/* the module's resource names */
	size_t nr_res;
};

static const char *event_name(uint32_t ev)
{
	return ev == VZBC_EVENT_FAILCNT ? "failcnt" :
	       ev == VZBC_EVENT_BARRIER ? "barrier" : "unknown";
}

static void fmt_val(char *buf, size_t len, uint64_t v)
{
	if (v == VZBC_UNLIMITED)
		snprintf(buf, len, "unlimited");
	else
		snprintf(buf, len, "%" PRIu64, v);
}

static int print_event(const struct bc_event *ev, void *arg)
{
	struct monitor_args *a = arg;
	const struct bc_resinfo *ri = bc_resinfo_find(a->res, a->nr_res, ev->res.id);
	const char *res = ri ? ri->name : NULL;
	char now[32], barrier[24], limit[24];
	time_t t = time(NULL);
	struct tm tm;

	if (a->ctid && ev->ctid != a->ctid)
		return 0;
	strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
	if (a->json) {
		printf("{\"time\":\"%s\",\"ctid\":%u,\"event\":\"%s\","
		       "\"resource\":\"%s\",\"held\":%" PRIu64 ",\"barrier\":%" PRIu64
		       ",\"limit\":%" PRIu64 ",\"failcnt\":%" PRIu64
		       ",\"dropped\":%" PRIu64 "}\n",
		       now, ev->ctid, event_name(ev->event), res ? res : "unknown",
		       ev->res.held, ev->res.barrier, ev->res.limit,
		       ev->res.failcnt, ev->dropped);
	} else {
		fmt_val(barrier, sizeof(barrier), ev->res.barrier);
		fmt_val(limit, sizeof(limit), ev->res.limit);
		printf("%s CT %u %s %s: held %" PRIu64 " barrier %s limit %s "
		       "failcnt %" PRIu64 "%s\n",
		       now, ev->ctid, res ? res : "unknown",
		       ev->event == VZBC_EVENT_FAILCNT ? "refused at the limit" :
		       "above the barrier", ev->res.held, barrier, limit,
		       ev->res.failcnt, ev->dropped ? " (events were dropped)" : "");
	}
	fflush(stdout);
	return a->count && ++a->seen >= a->count;
}

int cmd_monitor(const struct cmd_env *env, int argc, char **argv,
		struct ct_err **err)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "count", required_argument, NULL, 'n' },
		{ 0 }
	};
	struct monitor_args a = { 0 };
	_cleanup_free_ struct bc_resinfo *res = NULL;
	int c;

	/* vzctl syntax: the CTID, if any, comes first ("monitor 101 -j"). */
	if (argc > 1 && argv[1][0] != '-') {
		if (ct_parse_id(argv[1], &a.ctid, err) < 0)
			return -1;
		argc--, argv++;
	}
	while ((c = getopt_long(argc, argv, "+jn:", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			a.json = true;
			break;
		case 'n':
			if (parse_ulong(optarg, 1, 1000000000UL, &a.count) < 0)
				return cmd_usage_error(env, err,
						       "--count: \"%s\" is not a number of events",
						       optarg);
			break;
		default:
			return cmd_bad_option(env, argv, err);
		}
	}
	if (cmd_no_extra(env, argc, argv, err) < 0 ||
	    bc_nl_resources(&res, &a.nr_res, err) < 0)
		return -1;
	a.res = res;
	return bc_nl_monitor(print_event, &a, err) < 0 ? -1 : 0;
}
