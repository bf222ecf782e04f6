// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include <linux/vzbc.h>

#include "bcnl.h"
#include "util.h"

static const char *const res_names[] = {
	[VZBC_RES_NUMPROC] = "numproc",
	[VZBC_RES_PHYSPAGES] = "physpages",
	[VZBC_RES_SWAPPAGES] = "swappages",
	[VZBC_RES_IOBYTES] = "iobytes",
	[VZBC_RES_IOPS] = "iops",
};

const char *bc_res_name(uint32_t id)
{
	return id < ARRAY_SIZE(res_names) ? res_names[id] : NULL;
}

const struct bc_res *bc_info_res(const struct bc_info *bc, uint32_t id)
{
	size_t i;

	for (i = 0; i < bc->nr_res; i++)
		if (bc->res[i].id == id)
			return &bc->res[i];
	return NULL;
}

static void nl_sock_freep(struct nl_sock **sk)
{
	if (*sk)
		nl_socket_free(*sk);
}
#define _cleanup_nl_sock_ _cleanup_(nl_sock_freep)

static void nlmsg_freep(struct nl_msg **m)
{
	if (*m)
		nlmsg_free(*m);
}
#define _cleanup_nlmsg_ _cleanup_(nlmsg_freep)

static int nl_err(struct ct_err **err, int nle, const char *what)
{
	return err_set(err, VZ_SYSTEM_ERROR, 0, "netlink %s: %s", what,
		       nl_geterror(nle));
}

/* A connected socket and the VZBC family id. */
static int bcnl_connect(struct nl_sock **out, int *family, struct ct_err **err)
{
	_cleanup_nl_sock_ struct nl_sock *sk = nl_socket_alloc();
	int r;

	if (!sk)
		return err_set(err, VZ_SYSTEM_ERROR, ENOMEM, "netlink socket");
	r = genl_connect(sk);
	if (r < 0)
		return nl_err(err, r, "connect");
	r = genl_ctrl_resolve(sk, VZBC_GENL_NAME);
	if (r < 0)
		return err_set(err, VZ_BAD_KERNEL, 0,
			       "generic netlink family %s not found (%s): "
			       "is vzbc.ko loaded?", VZBC_GENL_NAME,
			       nl_geterror(r));
	*family = r;
	*out = TAKE_PTR(sk);
	return 0;
}

static void parse_res(struct nlattr *nest, struct bc_res *r)
{
	struct nlattr *tb[VZBC_RES_A_MAX + 1];

	memset(r, 0, sizeof(*r));
	if (nla_parse_nested(tb, VZBC_RES_A_MAX, nest, NULL) < 0)
		return;
	if (tb[VZBC_RES_A_ID])
		r->id = nla_get_u32(tb[VZBC_RES_A_ID]);
	if (tb[VZBC_RES_A_FLAGS])
		r->flags = nla_get_u32(tb[VZBC_RES_A_FLAGS]);
#define GET64(a, f) if (tb[a]) r->f = nla_get_u64(tb[a])
	GET64(VZBC_RES_A_HELD, held);
	GET64(VZBC_RES_A_MAXHELD, maxheld);
	GET64(VZBC_RES_A_MINHELD, minheld);
	GET64(VZBC_RES_A_BARRIER, barrier);
	GET64(VZBC_RES_A_LIMIT, limit);
	GET64(VZBC_RES_A_FAILCNT, failcnt);
#undef GET64
}

struct dump_ctx {
	struct bc_info *bcs;
	size_t nr;
};

static int dump_cb(struct nl_msg *msg, void *arg)
{
	struct dump_ctx *ctx = arg;
	struct nlattr *tb[VZBC_A_MAX + 1], *a;
	struct bc_info *bc;
	int rem;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, VZBC_A_MAX, NULL) < 0 ||
	    !tb[VZBC_A_CTID])
		return NL_SKIP;
	ctx->bcs = xrealloc(ctx->bcs, (ctx->nr + 1) * sizeof(*ctx->bcs));
	bc = &ctx->bcs[ctx->nr++];
	memset(bc, 0, sizeof(*bc));
	bc->ctid = nla_get_u32(tb[VZBC_A_CTID]);
	if (tb[VZBC_A_RESOURCES])
		nla_for_each_nested(a, tb[VZBC_A_RESOURCES], rem)
			if (nla_type(a) == VZBC_A_RESOURCE &&
			    bc->nr_res < BC_MAX_RES)
				parse_res(a, &bc->res[bc->nr_res++]);
	return NL_OK;
}

int bcnl_dump(struct bc_info **out, size_t *nr, struct ct_err **err)
{
	_cleanup_nl_sock_ struct nl_sock *sk = NULL;
	_cleanup_nlmsg_ struct nl_msg *msg = NULL;
	struct dump_ctx ctx = { 0 };
	int family, r;

	if (bcnl_connect(&sk, &family, err) < 0)
		return -1;
	msg = nlmsg_alloc();
	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0,
				 NLM_F_DUMP, VZBC_CMD_GET, VZBC_GENL_VERSION))
		return err_set(err, VZ_SYSTEM_ERROR, ENOMEM, "netlink message");
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, dump_cb, &ctx);
	r = nl_send_auto(sk, msg);
	if (r >= 0)
		r = nl_recvmsgs_default(sk);
	if (r < 0) {
		free(ctx.bcs);
		return nl_err(err, r, "dump of the VZBC beancounters");
	}
	*out = ctx.bcs;
	*nr = ctx.nr;
	return 0;
}

struct monitor_ctx {
	int (*cb)(const struct bc_event *ev, void *arg);
	void *arg;
	int stop;
};

static int event_cb(struct nl_msg *msg, void *arg)
{
	struct monitor_ctx *ctx = arg;
	struct nlattr *tb[VZBC_A_MAX + 1];
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct bc_event ev = { 0 };

	if (gh->cmd != VZBC_CMD_EVENT ||
	    genlmsg_parse(nlmsg_hdr(msg), 0, tb, VZBC_A_MAX, NULL) < 0 ||
	    !tb[VZBC_A_CTID] || !tb[VZBC_A_EVENT] || !tb[VZBC_A_RESOURCE])
		return NL_SKIP;
	ev.ctid = nla_get_u32(tb[VZBC_A_CTID]);
	ev.event = nla_get_u32(tb[VZBC_A_EVENT]);
	parse_res(tb[VZBC_A_RESOURCE], &ev.res);
	if (tb[VZBC_A_DROPPED])
		ev.dropped = nla_get_u64(tb[VZBC_A_DROPPED]);
	ctx->stop = ctx->cb(&ev, ctx->arg);
	return ctx->stop ? NL_STOP : NL_OK;
}

int bcnl_monitor(int (*cb)(const struct bc_event *ev, void *arg), void *arg,
		 struct ct_err **err)
{
	_cleanup_nl_sock_ struct nl_sock *sk = NULL;
	struct monitor_ctx ctx = { .cb = cb, .arg = arg };
	int family, grp, r;

	if (bcnl_connect(&sk, &family, err) < 0)
		return -1;
	grp = genl_ctrl_resolve_grp(sk, VZBC_GENL_NAME, VZBC_GENL_MCGRP_EVENTS);
	if (grp < 0)
		return nl_err(err, grp, "resolve the events group");
	nl_socket_disable_seq_check(sk);
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, event_cb, &ctx);
	r = nl_socket_add_membership(sk, grp);
	if (r < 0)
		return err_set(err, VZ_SYSTEM_ERROR, 0,
			       "join the VZBC events group: %s (needs CAP_SYS_ADMIN)",
			       nl_geterror(r));
	while (!ctx.stop) {
		r = nl_recvmsgs_default(sk);
		if (r < 0 && r != -NLE_INTR && r != -NLE_AGAIN)
			return nl_err(err, r, "receive VZBC events");
	}
	return ctx.stop;
}
