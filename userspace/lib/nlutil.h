/* SPDX-License-Identifier: GPL-2.0 */
/* Cleanup attributes for libnl-3 objects, shared by bc_genl.c and net.c. */
#ifndef CTLVZ_NLUTIL_H
#define CTLVZ_NLUTIL_H

#include <netlink/msg.h>
#include <netlink/socket.h>

#include "util.h"

static inline void nl_sock_freep(struct nl_sock **sk) { if (*sk) nl_socket_free(*sk); }
static inline void nlmsg_freep(struct nl_msg **m) { if (*m) nlmsg_free(*m); }

#define _cleanup_nl_sock_ _cleanup_(nl_sock_freep)
#define _cleanup_nlmsg_ _cleanup_(nlmsg_freep)

#endif
