// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>

#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/route.h>

#include "net.h"
#include "nlutil.h"
#include "util.h"

#define CT_IFNAME "eth0"

static void rtnl_link_putp(struct rtnl_link **l) { if (*l) rtnl_link_put(*l); }
static void rtnl_addr_putp(struct rtnl_addr **a) { if (*a) rtnl_addr_put(*a); }
static void rtnl_route_putp(struct rtnl_route **r) { if (*r) rtnl_route_put(*r); }
static void nl_addr_putp(struct nl_addr **a) { if (*a) nl_addr_put(*a); }
#define _cleanup_link_ _cleanup_(rtnl_link_putp)
#define _cleanup_rtaddr_ _cleanup_(rtnl_addr_putp)
#define _cleanup_route_ _cleanup_(rtnl_route_putp)
#define _cleanup_nladdr_ _cleanup_(nl_addr_putp)

/* libnl's NLE_* codes end here: the rest of ctlvz speaks errno. */
static int nle_errno(int nle)
{
	switch (nle < 0 ? -nle : nle) {
	case NLE_EXIST:		return EEXIST;
	case NLE_NODEV:		return ENODEV;
	case NLE_OBJ_NOTFOUND:	return ENOENT;
	case NLE_PERM:		return EPERM;
	case NLE_NOMEM:		return ENOMEM;
	case NLE_INVAL:		return EINVAL;
	case NLE_BUSY:		return EBUSY;
	case NLE_RANGE:		return ERANGE;
	case NLE_AGAIN:		return EAGAIN;
	case NLE_NOADDR:	return EADDRNOTAVAIL;
	case NLE_AF_NOSUPPORT:	return EAFNOSUPPORT;
	case NLE_OPNOTSUPP:	return EOPNOTSUPP;
	case NLE_NOACCESS:	return EACCES;
	default:		return EIO;
	}
}

void net_host_ifname(unsigned int ctid, char name[IFNAMSIZ])
{
	if (snprintf(name, IFNAMSIZ, "veth%u.0", ctid) >= IFNAMSIZ)
		snprintf(name, IFNAMSIZ, "vethx%x.0", ctid);
}

int net_parse_ip(const char *s, char **out, struct ct_err **err)
{
	_cleanup_free_ char *addr = xstrdup(s);
	unsigned long plen = 32;
	struct in_addr in;
	char *slash = strchr(addr, '/');

	if (slash) {
		*slash = '\0';
		if (parse_ulong(slash + 1, 1, 32, &plen) < 0)
			return err_set(err, VZ_BADIP, 0, "invalid IP address %s: prefix must be 1..32", s);
	}
	if (inet_pton(AF_INET, addr, &in) != 1)
		return err_set(err, VZ_BADIP, 0, "invalid IP address %s: expected IPv4 A.B.C.D[/P]", s);
	if (in.s_addr == htonl(INADDR_ANY) || in.s_addr == htonl(INADDR_BROADCAST) ||
	    (ntohl(in.s_addr) >> 24) == 127 || IN_MULTICAST(ntohl(in.s_addr)))
		return err_set(err, VZ_BADIP, 0, "invalid IP address %s: not a unicast address", s);
	*out = plen == 32 ? xstrdup(inet_ntoa(in)) : xasprintf("%s/%lu", inet_ntoa(in), plen);
	return 0;
}

static int rt_socket(struct nl_sock **out, struct ct_err **err)
{
	_cleanup_nl_sock_ struct nl_sock *sk = nl_socket_alloc();
	int r;

	if (!sk)
		return err_set(err, VZ_SYSTEM_ERROR, ENOMEM, "allocate a netlink socket");
	r = nl_connect(sk, NETLINK_ROUTE);
	if (r < 0)
		return err_set(err, VZ_SYSTEM_ERROR, nle_errno(r), "connect to rtnetlink");
	*out = TAKE_PTR(sk);
	return 0;
}

/* A NETLINK_ROUTE socket bound to the network namespace of pid. */
static int rt_socket_in(pid_t pid, struct nl_sock **out, struct ct_err **err)
{
	_cleanup_free_ char *path = xasprintf("/proc/%d/ns/net", pid);
	_cleanup_close_ int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	_cleanup_close_ int target = open(path, O_RDONLY | O_CLOEXEC);
	int r;

	if (self < 0 || target < 0)
		return err_set(err, VZ_SYSTEM_ERROR, errno, "open %s",
			       self < 0 ? "/proc/self/ns/net" : path);
	if (setns(target, CLONE_NEWNET) < 0)
		return err_set(err, VZ_SYSTEM_ERROR, errno, "enter %s", path);
	r = rt_socket(out, err);
	if (setns(self, CLONE_NEWNET) < 0) {
		/* Cannot go on in the container's netns: stop here. */
		fprintf(stderr, "ctlvz: return to the host network namespace: %s\n", strerror(errno));
		abort();
	}
	return r;
}

static int link_index(struct nl_sock *sk, const char *name, int *idx, struct ct_err **err)
{
	_cleanup_link_ struct rtnl_link *l = NULL;
	int r = rtnl_link_get_kernel(sk, 0, name, &l);

	if (r < 0)
		return err_set(err, VZ_NETDEV_ERROR, nle_errno(r), "find link %s", name);
	*idx = rtnl_link_get_ifindex(l);
	return 0;
}

static int link_up(struct nl_sock *sk, const char *name, struct ct_err **err)
{
	_cleanup_link_ struct rtnl_link *l = NULL, *change = NULL;
	int r = rtnl_link_get_kernel(sk, 0, name, &l);

	if (r < 0)
		return err_set(err, VZ_NETDEV_ERROR, nle_errno(r), "find link %s", name);
	change = rtnl_link_alloc();
	if (!change)
		return err_set(err, VZ_SYSTEM_ERROR, ENOMEM, "allocate link");
	rtnl_link_set_flags(change, IFF_UP);
	r = rtnl_link_change(sk, l, change, 0);
	if (r < 0)
		return err_set(err, VZ_NETDEV_ERROR, nle_errno(r), "set link %s up", name);
	return 0;
}

static int parse_nladdr(const char *ip, int prefix_override, struct nl_addr **out,
			struct ct_err **err)
{
	int r = nl_addr_parse(ip, AF_INET, out);

	if (r < 0)
		return err_set(err, VZ_BADIP, nle_errno(r), "parse address %s", ip);
	if (prefix_override >= 0)
		nl_addr_set_prefixlen(*out, prefix_override);
	return 0;
}

static int addr_change(struct nl_sock *sk, int ifindex, const char *ip, bool add,
		       bool missing_ok, struct ct_err **err)
{
	_cleanup_rtaddr_ struct rtnl_addr *a = rtnl_addr_alloc();
	_cleanup_nladdr_ struct nl_addr *local = NULL;
	int r;

	if (!a)
		return err_set(err, VZ_SYSTEM_ERROR, ENOMEM, "allocate address");
	if (parse_nladdr(ip, -1, &local, err) < 0)
		return -1;
	rtnl_addr_set_ifindex(a, ifindex);
	r = rtnl_addr_set_local(a, local);
	if (!r)
		r = add ? rtnl_addr_add(sk, a, NLM_F_CREATE | NLM_F_EXCL) : rtnl_addr_delete(sk, a, 0);
	if (r < 0 && !add && (r == -NLE_NOADDR || r == -NLE_OBJ_NOTFOUND))
		return missing_ok ? 0 : err_set(err, VZ_BADIP, 0, "no address %s on " CT_IFNAME, ip);
	if (r < 0)
		return err_set(err, VZ_CANT_ADDIP, nle_errno(r), "%s address %s on " CT_IFNAME,
			       add ? "add" : "delete", ip);
	return 0;
}

/* dst ("A/P") through ifindex, scope link: the venet-style routes. */
static int route_change(struct nl_sock *sk, int ifindex, const char *dst_s, int plen,
			bool add, struct ct_err **err)
{
	_cleanup_route_ struct rtnl_route *rt = rtnl_route_alloc();
	_cleanup_nladdr_ struct nl_addr *dst = NULL;
	struct rtnl_nexthop *nh;
	int r;

	if (!rt)
		return err_set(err, VZ_SYSTEM_ERROR, ENOMEM, "allocate route");
	if (parse_nladdr(dst_s, plen, &dst, err) < 0)
		return -1;
	nh = rtnl_route_nh_alloc();
	if (!nh)
		return err_set(err, VZ_SYSTEM_ERROR, ENOMEM, "allocate nexthop");
	rtnl_route_nh_set_ifindex(nh, ifindex);
	rtnl_route_set_family(rt, AF_INET);
	rtnl_route_set_table(rt, RT_TABLE_MAIN);
	rtnl_route_set_scope(rt, RT_SCOPE_LINK);
	rtnl_route_set_protocol(rt, RTPROT_STATIC);
	rtnl_route_add_nexthop(rt, nh);
	r = rtnl_route_set_dst(rt, dst);
	if (!r)
		r = add ? rtnl_route_add(sk, rt, NLM_F_CREATE | NLM_F_REPLACE)
			: rtnl_route_delete(sk, rt, 0);
	if (r < 0 && !add && (r == -NLE_OBJ_NOTFOUND || r == -NLE_NODEV))
		return 0;
	if (r < 0)
		return err_set(err, VZ_CANT_ADDIP, nle_errno(r), "%s route %s/%d",
			       add ? "add" : "delete", dst_s, plen);
	return 0;
}

static int sysctl_set(const char *path, const char *val, struct ct_err **err)
{
	int r = write_file(path, val);

	if (r < 0)
		return err_set(err, VZ_NETDEV_ERROR, -r, "write %s", path);
	return 0;
}

static int host_side_up(struct nl_sock *sk, const char *ifname, struct ct_err **err)
{
	_cleanup_free_ char *proxy = xasprintf("/proc/sys/net/ipv4/conf/%s/proxy_arp", ifname);
	_cleanup_free_ char *fwd = xasprintf("/proc/sys/net/ipv4/conf/%s/forwarding", ifname);

	if (sysctl_set("/proc/sys/net/ipv4/ip_forward", "1", err) < 0 ||
	    sysctl_set(proxy, "1", err) < 0 || sysctl_set(fwd, "1", err) < 0)
		return -1;
	return link_up(sk, ifname, err);
}

int net_start(unsigned int ctid, pid_t pid, char *const *ips, struct ct_err **err)
{
	_cleanup_nl_sock_ struct nl_sock *host = NULL, *ct = NULL;
	_cleanup_link_ struct rtnl_link *veth = NULL, *peer = NULL;
	char ifname[IFNAMSIZ];
	int r, host_idx, ct_idx;

	net_host_ifname(ctid, ifname);
	if (rt_socket(&host, err) < 0 || rt_socket_in(pid, &ct, err) < 0)
		return -1;

	veth = rtnl_link_veth_alloc();
	if (!veth)
		return err_set(err, VZ_SYSTEM_ERROR, ENOMEM, "allocate veth");
	peer = rtnl_link_veth_get_peer(veth);
	rtnl_link_set_name(veth, ifname);
	rtnl_link_set_name(peer, CT_IFNAME);
	rtnl_link_set_ns_pid(peer, pid);
	r = rtnl_link_add(host, veth, NLM_F_CREATE | NLM_F_EXCL);
	if (r < 0)
		return err_set(err, VZ_VETH_ERROR, nle_errno(r), "create veth pair %s/" CT_IFNAME,
			       ifname);
	if (host_side_up(host, ifname, err) < 0 || link_index(host, ifname, &host_idx, err) < 0)
		return -1;

	if (link_up(ct, "lo", err) < 0 || link_up(ct, CT_IFNAME, err) < 0 ||
	    link_index(ct, CT_IFNAME, &ct_idx, err) < 0)
		return -1;
	for (char *const *ip = ips; ip && *ip; ip++)
		if (addr_change(ct, ct_idx, *ip, true, false, err) < 0 ||
		    route_change(host, host_idx, *ip, 32, true, err) < 0)
			return -1;
	if (ips && *ips && route_change(ct, ct_idx, "0.0.0.0/0", 0, true, err) < 0)
		return -1;
	return 0;
}

int net_stop(unsigned int ctid, struct ct_err **err)
{
	_cleanup_nl_sock_ struct nl_sock *host = NULL;
	_cleanup_link_ struct rtnl_link *l = NULL;
	char ifname[IFNAMSIZ];
	int r;

	net_host_ifname(ctid, ifname);
	if (rt_socket(&host, err) < 0)
		return -1;
	l = rtnl_link_alloc();
	if (!l)
		return err_set(err, VZ_SYSTEM_ERROR, ENOMEM, "allocate link");
	rtnl_link_set_name(l, ifname);
	r = rtnl_link_delete(host, l);
	if (r < 0 && r != -NLE_NODEV && r != -NLE_OBJ_NOTFOUND)
		return err_set(err, VZ_VETH_ERROR, nle_errno(r), "delete link %s", ifname);
	return 0;
}

static int ip_change(unsigned int ctid, pid_t pid, const char *ip, bool add, bool missing_ok,
		     struct ct_err **err)
{
	_cleanup_nl_sock_ struct nl_sock *host = NULL, *ct = NULL;
	char ifname[IFNAMSIZ];
	int host_idx, ct_idx;

	net_host_ifname(ctid, ifname);
	if (rt_socket(&host, err) < 0 || rt_socket_in(pid, &ct, err) < 0 ||
	    link_index(host, ifname, &host_idx, err) < 0 ||
	    link_index(ct, CT_IFNAME, &ct_idx, err) < 0)
		return -1;
	if (add)
		return addr_change(ct, ct_idx, ip, true, false, err) < 0 ||
		       route_change(host, host_idx, ip, 32, true, err) < 0 ||
		       route_change(ct, ct_idx, "0.0.0.0/0", 0, true, err) < 0 ? -1 : 0;
	return addr_change(ct, ct_idx, ip, false, missing_ok, err) < 0 ||
	       route_change(host, host_idx, ip, 32, false, err) < 0 ? -1 : 0;
}

int net_ip_add(unsigned int ctid, pid_t pid, const char *ip, struct ct_err **err)
{
	return ip_change(ctid, pid, ip, true, false, err);
}

int net_ip_del(unsigned int ctid, pid_t pid, const char *ip, bool missing_ok,
	       struct ct_err **err)
{
	return ip_change(ctid, pid, ip, false, missing_ok, err);
}
