/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A few lines of raw generic netlink for the VZBC family tests: raw so that
 * a test can send exactly the malformed message it wants.  Resolving the
 * family, a well-formed request, goes through ctlvz's kernel client
 * (userspace/lib/bc.h).
 */
#ifndef VZBC_TESTS_GENL_H
#define VZBC_TESTS_GENL_H

#include <stddef.h>
#include <stdint.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#define GENL_BUF_SIZE	65536

struct genl_msg {
	struct nlmsghdr nlh;
	struct genlmsghdr gh;
	char attrs[1024];
};

/* A NETLINK_GENERIC socket, or -errno. */
int genl_socket(void);
/*
 * Family id of @family (VZBC_GENL_NAME only: -EINVAL otherwise) and, if @grp
 * is not NULL, the id of its multicast group @grp; 0 or -errno.  @sk is not
 * used: the ids are the same for every socket.
 */
int genl_resolve(int sk, const char *family, const char *grp,
		 uint16_t *id, uint32_t *grp_id);
/* Starts a request; returns the message to add attributes to. */
void genl_msg_init(struct genl_msg *m, uint16_t family, uint8_t cmd,
		   uint16_t flags);
/* Appends an attribute of any type and length. */
void genl_put(struct genl_msg *m, uint16_t type, const void *data,
	      size_t len);
void genl_put_u32(struct genl_msg *m, uint16_t type, uint32_t v);
int genl_send(int sk, struct genl_msg *m);
/*
 * Receives one datagram into @buf; returns its length or -errno (the error
 * of an NLMSG_ERROR reply, 0 for an ACK, is returned as -error... see
 * genl_first_error()).
 */
ssize_t genl_recv(int sk, void *buf, size_t len, int timeout_ms);
/* The error carried by the first NLMSG_ERROR message in @buf, or 1. */
int genl_first_error(const void *buf, size_t len);

/* Walks the attributes of a genl message or of a nest. */
#define genl_for_each_attr(a, start, len)				\
	for ((a) = (struct nlattr *)(start);				\
	     (char *)(a) + NLA_HDRLEN <= (char *)(start) + (len) &&	\
	     (a)->nla_len >= NLA_HDRLEN &&				\
	     (char *)(a) + (a)->nla_len <= (char *)(start) + (len);	\
	     (a) = (struct nlattr *)((char *)(a) + NLA_ALIGN((a)->nla_len)))

static inline void *genl_attr_data(const struct nlattr *a)
{
	return (char *)a + NLA_HDRLEN;
}

static inline int genl_attr_len(const struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

/* Attributes of a GET reply or EVENT as values; missing ones are ~0. */
struct genl_bc_res {
	uint32_t id, flags;
	uint64_t held, maxheld, minheld, barrier, limit, failcnt;
};

struct genl_bc {
	uint32_t ctid;
	uint32_t event;
	uint64_t dropped;
	int nr_res;
	struct genl_bc_res res[16];
};

/* Parses one VZBC message (GET reply or EVENT); 0 or -EINVAL. */
int genl_parse_bc(const struct nlmsghdr *nlh, struct genl_bc *bc);

#endif
