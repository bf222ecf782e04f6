// SPDX-License-Identifier: GPL-2.0
/*
 * The VZBC generic netlink family: GET (one beancounter, or a dump of all
 * of them with a resumable cursor), RESOURCES (the resource table) and the
 * "events" multicast group, which bc_events.c sends to.
 * Commands and attributes are documented in include/uapi/linux/vzbc.h.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>

#include "bc_genl.h"
#include "bc_registry.h"
#include "bc_res.h"

static struct netlink_range_validation vzbc_ctid_range = {
	.min = 1,
	.max = VZBC_CTID_MAX,
};

static const struct nla_policy vzbc_genl_policy[VZBC_A_MAX + 1] = {
	[VZBC_A_CTID] = NLA_POLICY_FULL_RANGE(NLA_U32, &vzbc_ctid_range),
};

enum { VZBC_MCGRP_EVENTS };

static const struct genl_multicast_group vzbc_genl_mcgrps[] = {
	[VZBC_MCGRP_EVENTS] = {
		.name = VZBC_GENL_MCGRP_EVENTS,
		.flags = GENL_MCAST_CAP_SYS_ADMIN,
	},
};

static struct genl_family vzbc_genl_family;

static int vzbc_genl_put_stat(struct sk_buff *skb, const struct vzbc_stat *st)
{
	struct nlattr *nest = nla_nest_start(skb, VZBC_A_RESOURCE);

	if (!nest ||
	    nla_put_u32(skb, VZBC_RES_A_ID, st->resource) ||
	    nla_put_u32(skb, VZBC_RES_A_FLAGS, st->flags) ||
	    nla_put_u64_64bit(skb, VZBC_RES_A_HELD, st->held, VZBC_RES_A_PAD) ||
	    nla_put_u64_64bit(skb, VZBC_RES_A_MAXHELD, st->maxheld,
			      VZBC_RES_A_PAD) ||
	    nla_put_u64_64bit(skb, VZBC_RES_A_MINHELD, st->minheld,
			      VZBC_RES_A_PAD) ||
	    nla_put_u64_64bit(skb, VZBC_RES_A_BARRIER, st->barrier,
			      VZBC_RES_A_PAD) ||
	    nla_put_u64_64bit(skb, VZBC_RES_A_LIMIT, st->limit,
			      VZBC_RES_A_PAD) ||
	    nla_put_u64_64bit(skb, VZBC_RES_A_FAILCNT, st->failcnt,
			      VZBC_RES_A_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int vzbc_genl_fill_bc(struct sk_buff *skb, struct vzbc_bc *bc,
			     u32 portid, u32 seq, int flags)
{
	const struct vzbc_res *r;
	struct nlattr *nest;
	struct vzbc_stat st;
	unsigned int i;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &vzbc_genl_family, flags,
			  VZBC_CMD_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, VZBC_A_CTID, bc->ctid))
		goto out_cancel;
	nest = nla_nest_start(skb, VZBC_A_RESOURCES);
	if (!nest)
		goto out_cancel;
	vzbc_for_each_res(r, i) {
		vzbc_res_stat(bc, r, &st);
		if (vzbc_genl_put_stat(skb, &st))
			goto out_cancel;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;

out_cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static int vzbc_genl_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vzbc_bc *bc;
	struct sk_buff *msg;
	int err;

	if (!info->attrs[VZBC_A_CTID]) {
		NL_SET_ERR_MSG(info->extack, "VZBC_A_CTID is required");
		return -EINVAL;
	}
	bc = vzbc_bc_get(nla_get_u32(info->attrs[VZBC_A_CTID]));
	if (!bc) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[VZBC_A_CTID],
				    "no such beancounter");
		return -ENOENT;
	}
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg) {
		err = -ENOMEM;
		goto out_put;
	}
	err = vzbc_genl_fill_bc(msg, bc, info->snd_portid, info->snd_seq, 0);
	if (err) {
		nlmsg_free(msg);
		goto out_put;
	}
	err = genlmsg_reply(msg, info);
out_put:
	vzbc_bc_put(bc);
	return err;
}

/* cb->args[0]: the ctid to look at next (0 before the first call). */
static int vzbc_genl_get_dumpit(struct sk_buff *skb,
				struct netlink_callback *cb)
{
	u32 ctid = max_t(u32, cb->args[0], 1);
	struct vzbc_bc *bc;
	int err;

	if (cb->args[0] > VZBC_CTID_MAX)
		return 0;
	while ((bc = vzbc_bc_get_next(&ctid))) {
		err = vzbc_genl_fill_bc(skb, bc, NETLINK_CB(cb->skb).portid,
					cb->nlh->nlmsg_seq, NLM_F_MULTI);
		vzbc_bc_put(bc);
		if (err)
			break;	/* full: this one comes first next time */
		ctid++;
	}
	cb->args[0] = bc ? ctid : (long)VZBC_CTID_MAX + 1;
	return skb->len;
}

static int vzbc_genl_put_res(struct sk_buff *skb, const struct vzbc_res *r)
{
	struct nlattr *nest = nla_nest_start(skb, VZBC_A_RESOURCE);

	if (!nest ||
	    nla_put_u32(skb, VZBC_RES_A_ID, r->id) ||
	    nla_put_string(skb, VZBC_RES_A_NAME, r->name) ||
	    nla_put_u32(skb, VZBC_RES_A_UNIT, r->unit)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int vzbc_genl_resources_doit(struct sk_buff *skb,
				    struct genl_info *info)
{
	const struct vzbc_res *r;
	struct nlattr *nest;
	struct sk_buff *msg;
	unsigned int i;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &vzbc_genl_family, 0,
				VZBC_CMD_RESOURCES);
	if (!hdr)
		goto out_free;
	nest = nla_nest_start(msg, VZBC_A_RESOURCES);
	if (!nest)
		goto out_free;
	vzbc_for_each_res(r, i)
		if (vzbc_genl_put_res(msg, r))
			goto out_free;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

out_free:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static const struct genl_ops vzbc_genl_ops[] = {
	{
		.cmd = VZBC_CMD_GET,
		.doit = vzbc_genl_get_doit,
		.dumpit = vzbc_genl_get_dumpit,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = VZBC_CMD_RESOURCES,
		.doit = vzbc_genl_resources_doit,
		.flags = GENL_ADMIN_PERM,
	},
};

static struct genl_family vzbc_genl_family __ro_after_init = {
	.name = VZBC_GENL_NAME,
	.version = VZBC_GENL_VERSION,
	.maxattr = VZBC_A_MAX,
	.policy = vzbc_genl_policy,
	.module = THIS_MODULE,
	.ops = vzbc_genl_ops,
	.n_ops = ARRAY_SIZE(vzbc_genl_ops),
	.resv_start_op = VZBC_CMD_EVENT + 1,
	.mcgrps = vzbc_genl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(vzbc_genl_mcgrps),
};

int vzbc_genl_send_event(u32 ctid, u32 event, const struct vzbc_stat *st,
			 u64 dropped)
{
	struct sk_buff *skb;
	void *hdr;

	if (!genl_has_listeners(&vzbc_genl_family, &init_net,
				VZBC_MCGRP_EVENTS))
		return 0;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	hdr = genlmsg_put(skb, 0, 0, &vzbc_genl_family, 0, VZBC_CMD_EVENT);
	if (!hdr ||
	    nla_put_u32(skb, VZBC_A_CTID, ctid) ||
	    nla_put_u32(skb, VZBC_A_EVENT, event) ||
	    vzbc_genl_put_stat(skb, st) ||
	    nla_put_u64_64bit(skb, VZBC_A_DROPPED, dropped, VZBC_A_PAD)) {
		nlmsg_free(skb);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	genlmsg_multicast(&vzbc_genl_family, skb, 0, VZBC_MCGRP_EVENTS,
			  GFP_KERNEL);
	return 0;
}

int vzbc_genl_init(void)
{
	return genl_register_family(&vzbc_genl_family);
}

void vzbc_genl_exit(void)
{
	genl_unregister_family(&vzbc_genl_family);
}

MODULE_ALIAS_GENL_FAMILY(VZBC_GENL_NAME);
