// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/vzbc.h>

#include "bc.h"
#include "genl.h"

int genl_socket(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int sk = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);

	if (sk < 0)
		return -errno;
	if (bind(sk, (struct sockaddr *)&sa, sizeof(sa))) {
		int err = -errno;

		close(sk);
		return err;
	}
	return sk;
}

void genl_msg_init(struct genl_msg *m, uint16_t family, uint8_t cmd,
		   uint16_t flags)
{
	static uint32_t seq;

	memset(m, 0, sizeof(*m));
	m->nlh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	m->nlh.nlmsg_type = family;
	m->nlh.nlmsg_flags = NLM_F_REQUEST | flags;
	m->nlh.nlmsg_seq = ++seq;
	m->gh.cmd = cmd;
	m->gh.version = 1;
}

void genl_put(struct genl_msg *m, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)((char *)m +
					     NLMSG_ALIGN(m->nlh.nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy(genl_attr_data(a), data, len);
	m->nlh.nlmsg_len = NLMSG_ALIGN(m->nlh.nlmsg_len) + NLA_ALIGN(a->nla_len);
}

void genl_put_u32(struct genl_msg *m, uint16_t type, uint32_t v)
{
	genl_put(m, type, &v, sizeof(v));
}

int genl_send(int sk, struct genl_msg *m)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	if (sendto(sk, m, m->nlh.nlmsg_len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0)
		return -errno;
	return 0;
}

ssize_t genl_recv(int sk, void *buf, size_t len, int timeout_ms)
{
	struct pollfd pfd = { .fd = sk, .events = POLLIN };
	ssize_t n;
	int r = poll(&pfd, 1, timeout_ms);

	if (r < 0)
		return -errno;
	if (r == 0)
		return -ETIMEDOUT;
	n = recv(sk, buf, len, 0);
	return n < 0 ? -errno : n;
}

int genl_first_error(const void *buf, size_t len)
{
	const struct nlmsghdr *nlh;
	size_t left = len;

	for (nlh = buf; NLMSG_OK(nlh, left); nlh = NLMSG_NEXT(nlh, left)) {
		if (nlh->nlmsg_type == NLMSG_ERROR)
			return ((const struct nlmsgerr *)NLMSG_DATA(nlh))->error;
	}
	return 1;
}

int genl_resolve(int sk, const char *family, const char *grp,
		 uint16_t *id, uint32_t *grp_id)
{
	(void)sk;	/* the ids are the same for every socket */
	if (strcmp(family, VZBC_GENL_NAME))
		return -EINVAL;
	*grp_id = 0;
	return bc_nl_resolve(grp, id, grp_id, NULL);
}

static void genl_parse_res(const struct nlattr *nest, struct genl_bc_res *r)
{
	struct nlattr *a;

	memset(r, 0xff, sizeof(*r));
	genl_for_each_attr(a, genl_attr_data(nest), genl_attr_len(nest)) {
		uint64_t v64 = 0;
		uint32_t v32 = 0;

		if (genl_attr_len(a) == 8)
			memcpy(&v64, genl_attr_data(a), 8);
		if (genl_attr_len(a) == 4)
			memcpy(&v32, genl_attr_data(a), 4);
		switch (a->nla_type & NLA_TYPE_MASK) {
		case VZBC_RES_A_ID: r->id = v32; break;
		case VZBC_RES_A_FLAGS: r->flags = v32; break;
		case VZBC_RES_A_HELD: r->held = v64; break;
		case VZBC_RES_A_MAXHELD: r->maxheld = v64; break;
		case VZBC_RES_A_MINHELD: r->minheld = v64; break;
		case VZBC_RES_A_BARRIER: r->barrier = v64; break;
		case VZBC_RES_A_LIMIT: r->limit = v64; break;
		case VZBC_RES_A_FAILCNT: r->failcnt = v64; break;
		}
	}
}

int genl_parse_bc(const struct nlmsghdr *nlh, struct genl_bc *bc)
{
	const char *start = (const char *)NLMSG_DATA(nlh) + GENL_HDRLEN;
	struct nlattr *a, *r;

	memset(bc, 0, sizeof(*bc));
	if (nlh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN))
		return -EINVAL;
	genl_for_each_attr(a, start, nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN)) {
		switch (a->nla_type & NLA_TYPE_MASK) {
		case VZBC_A_CTID:
			bc->ctid = *(uint32_t *)genl_attr_data(a);
			break;
		case VZBC_A_EVENT:
			bc->event = *(uint32_t *)genl_attr_data(a);
			break;
		case VZBC_A_DROPPED:
			memcpy(&bc->dropped, genl_attr_data(a), 8);
			break;
		case VZBC_A_RESOURCE:
			if (bc->nr_res < 16)
				genl_parse_res(a, &bc->res[bc->nr_res++]);
			break;
		case VZBC_A_RESOURCES:
			genl_for_each_attr(r, genl_attr_data(a),
					   genl_attr_len(a)) {
				if ((r->nla_type & NLA_TYPE_MASK) ==
				    VZBC_A_RESOURCE &&
				    bc->nr_res < 16)
					genl_parse_res(r,
						       &bc->res[bc->nr_res++]);
			}
			break;
		}
	}
	return bc->ctid ? 0 : -EINVAL;
}
