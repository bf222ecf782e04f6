/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Container networking through libnl-route-3, as OpenVZ's venet looks from
 * inside: a veth pair, host end veth<CTID>.0, container end eth0 holding the
 * container's addresses and a default route on the link; on the host a /32
 * route per address and proxy ARP on the host end, so containers reach each
 * other and the host without a bridge.
 */
#ifndef CTLVZ_NET_H
#define CTLVZ_NET_H

#include <net/if.h>
#include <stdbool.h>
#include <sys/types.h>

#include "err.h"

/* "A" or "A/P" (IPv4).  Canonical "A" (for /32) or "A/P" in out (caller frees), or VZ_BADIP. */
int net_parse_ip(const char *s, char **out, struct ct_err **err);
/* Host end name: veth<CTID>.0 (vethx<hex CTID>.0 when that does not fit IFNAMSIZ). */
void net_host_ifname(unsigned int ctid, char name[IFNAMSIZ]);

/* Make the pair, move eth0 into pid's netns, configure both ends. */
int net_start(unsigned int ctid, pid_t pid, char *const *ips, struct ct_err **err);
/* Remove the host end (and so the pair and its routes); a missing one is fine. */
int net_stop(unsigned int ctid, struct ct_err **err);
/* Live change on a running container whose init is pid. */
int net_ip_add(unsigned int ctid, pid_t pid, const char *ip, struct ct_err **err);
/* Deleting an address the container lacks fails with VZ_BADIP unless missing_ok. */
int net_ip_del(unsigned int ctid, pid_t pid, const char *ip, bool missing_ok,
	       struct ct_err **err);

#endif
