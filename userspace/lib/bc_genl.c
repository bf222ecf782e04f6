// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel client, generic netlink half: the VZBC family through
 * libnl-genl-3 (see bc.h).  libnl's NLE_* codes stop here: nle_errno()
 * turns each into an errno, and messages keep libnl's own words.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <netlink/errno.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "bc.h"
#include "nlutil.h"
#include "util.h"

const struct bc_res *bc_info_res(const struct bc_info *bc, uint32_t id)
{
	size_t i;

	for (i = 0; i < bc->nr_res; i++)
		if (bc->res[i].id == id)
			return &bc->res[i];
	return NULL;
}

/* The errno closest to libnl error @nle (negative or not). */
static int nle_errno(int nle)
{
	static const int map[][2] = {
		{ NLE_INTR, EINTR }, { NLE_BAD_SOCK, EBADF }, { NLE_AGAIN, EAGAIN },
		{ NLE_NOMEM, ENOMEM }, { NLE_EXIST, EEXIST }, { NLE_INVAL, EINVAL },
		{ NLE_RANGE, ERANGE }, { NLE_MSGSIZE, EMSGSIZE },
		{ NLE_OPNOTSUPP, EOPNOTSUPP }, { NLE_AF_NOSUPPORT, EAFNOSUPPORT },
		{ NLE_OBJ_NOTFOUND, ENOENT }, { NLE_NOATTR, ENODATA },
		{ NLE_MISSING_ATTR, EINVAL }, { NLE_AF_MISMATCH, EAFNOSUPPORT },
		{ NLE_SEQ_MISMATCH, EPROTO }, { NLE_MSG_OVERFLOW, EOVERFLOW },
		{ NLE_MSG_TRUNC, EMSGSIZE }, { NLE_NOADDR, EADDRNOTAVAIL },
		{ NLE_SRCRT_NOSUPPORT, EOPNOTSUPP }, { NLE_MSG_TOOSHORT, EBADMSG },
		{ NLE_MSGTYPE_NOSUPPORT, EOPNOTSUPP }, { NLE_OBJ_MISMATCH, EINVAL },
		{ NLE_NOCACHE, ENOENT }, { NLE_BUSY, EBUSY },
		{ NLE_PROTO_MISMATCH, EPROTONOSUPPORT }, { NLE_NOACCESS, EACCES },
		{ NLE_PERM, EPERM }, { NLE_PKTLOC_FILE, ENOENT },
		{ NLE_PARSE_ERR, EINVAL }, { NLE_NODEV, ENODEV },
		{ NLE_IMMUTABLE, EPERM }, { NLE_DUMP_INTR, EINTR },
	};
	size_t i;

	if (nle < 0)
		nle = -nle;
	for (i = 0; i < ARRAY_SIZE(map); i++)
		if (map[i][0] == nle)
			return map[i][1];
	return EIO;
}

/* -errno of libnl error @nle; the message is fmt with nl_geterror() in its "%s". */
static int __attribute__((format(printf, 4, 5)))
nl_fail(struct ct_err **err, int status, int nle, const char *fmt, ...)
{
	int e = nle_errno(nle);
	va_list ap;

	va_start(ap, fmt);
	err_verrno(err, status, 0, fmt, ap);
	va_end(ap);
	if (err)
		(*err)->errnum = e;
	return -e;
}

/* A connected socket and the VZBC family id. */
static int bc_connect(struct nl_sock **out, int *family, struct ct_err **err)
{
	_cleanup_nl_sock_ struct nl_sock *sk = nl_socket_alloc();
	int r;

	if (!sk)
		return err_errno(err, VZ_SYSTEM_ERROR, ENOMEM, "netlink socket");
	r = genl_connect(sk);
	if (r < 0)
		return nl_fail(err, VZ_SYSTEM_ERROR, r, "netlink connect: %s", nl_geterror(r));
	r = genl_ctrl_resolve(sk, VZBC_GENL_NAME);
	if (r < 0)
		return nl_fail(err, VZ_BAD_KERNEL, r,
			       "generic netlink family %s not found (%s): is vzbc.ko loaded?",
			       VZBC_GENL_NAME, nl_geterror(r));
	*family = r;
	*out = TAKE_PTR(sk);
	return 0;
}

int bc_nl_resolve(const char *grp, uint16_t *family, uint32_t *grp_id,
		  struct ct_err **err)
{
	_cleanup_nl_sock_ struct nl_sock *sk = NULL;
	int fam, r;

	r = bc_connect(&sk, &fam, err);
	if (r < 0)
		return r;
	*family = fam;
	if (!grp)
		return 0;
	r = genl_ctrl_resolve_grp(sk, VZBC_GENL_NAME, grp);
	if (r < 0)
		return nl_fail(err, VZ_SYSTEM_ERROR, r, "netlink resolve the %s group: %s",
			       grp, nl_geterror(r));
	*grp_id = r;
	return 0;
}

/* A request of @cmd to the family (a dump if @flags has NLM_F_DUMP), each reply to @cb. */
static int bc_request(uint8_t cmd, int flags, nl_recvmsg_msg_cb_t cb, void *arg,
		      const char *what, struct ct_err **err)
{
	_cleanup_nl_sock_ struct nl_sock *sk = NULL;
	_cleanup_nlmsg_ struct nl_msg *msg = NULL;
	int family, r;

	r = bc_connect(&sk, &family, err);
	if (r < 0)
		return r;
	msg = nlmsg_alloc();
	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, flags, cmd,
				 VZBC_GENL_VERSION))
		return err_errno(err, VZ_SYSTEM_ERROR, ENOMEM, "netlink message");
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, cb, arg);
	r = nl_send_auto(sk, msg);
	if (r >= 0)
		r = nl_recvmsgs_default(sk);
	if (r < 0)
		return nl_fail(err, VZ_SYSTEM_ERROR, r, "netlink %s: %s", what, nl_geterror(r));
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

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, VZBC_A_MAX, NULL) < 0 || !tb[VZBC_A_CTID])
		return NL_SKIP;
	ctx->bcs = xrealloc(ctx->bcs, (ctx->nr + 1) * sizeof(*ctx->bcs));
	bc = &ctx->bcs[ctx->nr++];
	memset(bc, 0, sizeof(*bc));
	bc->ctid = nla_get_u32(tb[VZBC_A_CTID]);
	if (tb[VZBC_A_RESOURCES])
		nla_for_each_nested(a, tb[VZBC_A_RESOURCES], rem)
			if (nla_type(a) == VZBC_A_RESOURCE && bc->nr_res < BC_MAX_RES)
				parse_res(a, &bc->res[bc->nr_res++]);
	return NL_OK;
}

int bc_nl_dump(struct bc_info **out, size_t *nr, struct ct_err **err)
{
	struct dump_ctx ctx = { 0 };
	int r = bc_request(VZBC_CMD_GET, NLM_F_DUMP, dump_cb, &ctx,
			   "dump of the VZBC beancounters", err);

	if (r < 0) {
		free(ctx.bcs);
		return r;
	}
	*out = ctx.bcs;
	*nr = ctx.nr;
	return 0;
}

struct resources_ctx {
	struct bc_resinfo *tab;
	size_t nr;
};

static int resources_cb(struct nl_msg *msg, void *arg)
{
	struct resources_ctx *ctx = arg;
	struct nlattr *tb[VZBC_A_MAX + 1], *a;
	int rem;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, VZBC_A_MAX, NULL) < 0 ||
	    !tb[VZBC_A_RESOURCES])
		return NL_SKIP;
	nla_for_each_nested(a, tb[VZBC_A_RESOURCES], rem) {
		struct nlattr *rt[VZBC_RES_A_MAX + 1];
		struct bc_resinfo *ri;

		if (nla_type(a) != VZBC_A_RESOURCE ||
		    nla_parse_nested(rt, VZBC_RES_A_MAX, a, NULL) < 0 ||
		    !rt[VZBC_RES_A_ID] || !rt[VZBC_RES_A_NAME])
			continue;
		ctx->tab = xrealloc(ctx->tab, (ctx->nr + 1) * sizeof(*ctx->tab));
		ri = &ctx->tab[ctx->nr++];
		memset(ri, 0, sizeof(*ri));
		ri->id = nla_get_u32(rt[VZBC_RES_A_ID]);
		if (rt[VZBC_RES_A_UNIT])
			ri->unit = nla_get_u32(rt[VZBC_RES_A_UNIT]);
		nla_strlcpy(ri->name, rt[VZBC_RES_A_NAME], sizeof(ri->name));
	}
	return NL_OK;
}

int bc_nl_resources(struct bc_resinfo **out, size_t *nr, struct ct_err **err)
{
	struct resources_ctx ctx = { 0 };
	int r = bc_request(VZBC_CMD_RESOURCES, 0, resources_cb, &ctx,
			   "VZBC resources", err);

	if (r == -EOPNOTSUPP)
		err_errno(err, VZ_BAD_KERNEL, EOPNOTSUPP,
			  "vzbc.ko does not list its resources (VZBC_CMD_RESOURCES, API %d): "
			  "load the vzbc.ko that came with ctlvz", VZBC_API_VERSION);
	if (r < 0) {
		free(ctx.tab);
		return r;
	}
	*out = ctx.tab;
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

int bc_nl_monitor(int (*cb)(const struct bc_event *ev, void *arg), void *arg,
		  struct ct_err **err)
{
	_cleanup_nl_sock_ struct nl_sock *sk = NULL;
	struct monitor_ctx ctx = { .cb = cb, .arg = arg };
	int family, grp, r;

	r = bc_connect(&sk, &family, err);
	if (r < 0)
		return r;
	grp = genl_ctrl_resolve_grp(sk, VZBC_GENL_NAME, VZBC_GENL_MCGRP_EVENTS);
	if (grp < 0)
		return nl_fail(err, VZ_SYSTEM_ERROR, grp, "netlink resolve the events group: %s",
			       nl_geterror(grp));
	nl_socket_disable_seq_check(sk);
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, event_cb, &ctx);
	r = nl_socket_add_membership(sk, grp);
	if (r < 0)
		return nl_fail(err, VZ_SYSTEM_ERROR, r,
			       "join the VZBC events group: %s (needs CAP_SYS_ADMIN)",
			       nl_geterror(r));
	while (!ctx.stop) {
		r = nl_recvmsgs_default(sk);
		if (r < 0 && r != -NLE_INTR && r != -NLE_AGAIN)
			return nl_fail(err, VZ_SYSTEM_ERROR, r, "netlink receive VZBC events: %s",
				       nl_geterror(r));
	}
	return ctx.stop;
}
