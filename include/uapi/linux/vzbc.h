/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vzbc: per-container beancounters for cgroup v2 containers.
 *
 * The character device /dev/vzbc takes the ioctls below.  Every argument
 * struct starts with a __u32 size field that the caller sets to
 * sizeof(struct) as it knows it.  The kernel accepts smaller (older) and
 * larger (newer) sizes with copy_struct_from_user() semantics: missing tail
 * bytes read as zero, extra tail bytes must be zero or the call fails with
 * E2BIG.  Structs the kernel fills are copied back up to min(size, the
 * kernel's size); padding and reserved fields are always zeroed.
 *
 * Values are unsigned 64-bit.  VZBC_UNLIMITED (LONG_MAX, as OpenVZ prints
 * it) means "no barrier/limit".  Memory resources count pages
 * (PAGE_SIZE bytes), as in OpenVZ.
 *
 * Documentation/vzbc-api.rst describes every field and every errno.
 */
#ifndef _UAPI_LINUX_VZBC_H
#define _UAPI_LINUX_VZBC_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* Bumped when an ioctl is added; old ones never change meaning. */
#define VZBC_API_VERSION	2

#define VZBC_DEVICE_NAME	"vzbc"
#define VZBC_MAGIC		0xBC

/* Container ids are 1..VZBC_CTID_MAX, as OpenVZ's. */
#define VZBC_CTID_MAX		0x7fffffffU

/* "Unlimited" barrier or limit: LONG_MAX on 64-bit, as OpenVZ prints it. */
#define VZBC_UNLIMITED		0x7fffffffffffffffULL

/*
 * Resource numbers: OpenVZ's UB_* indices, so that rows sort and are named
 * as in OpenVZ's /proc/user_beancounters.  Only the ones named here exist;
 * the gaps are OpenVZ resources that vzbc does not account.  New resources
 * are numbered after OpenVZ's last (swappages, 24).
 */
enum vzbc_resource {
	VZBC_RES_NUMPROC	= 5,	/* tasks (threads included) */
	VZBC_RES_PHYSPAGES	= 6,	/* memcg memory.current, pages */
	VZBC_RES_SWAPPAGES	= 24,	/* memcg memory.swap.current, pages */
	VZBC_RES_IOBYTES	= 25,	/* block IO issued, bytes per second */
	VZBC_RES_IOPS		= 26,	/* block IO issued, bios per second */
	__VZBC_RES_MAX
};

#define VZBC_RES_MAX (__VZBC_RES_MAX - 1)

/**
 * struct vzbc_create - VZBC_IOC_CREATE argument
 * @size: sizeof(struct vzbc_create) as the caller knows it
 * @ctid: new container id, 1..VZBC_CTID_MAX
 * @cgroup_fd: an open fd of the container's cgroup v2 directory
 *	(O_RDONLY or O_PATH|O_DIRECTORY); tasks in it and in its
 *	descendants are charged to the beancounter
 * @flags: must be 0
 */
struct vzbc_create {
	__u32 size;
	__u32 ctid;
	__s32 cgroup_fd;
	__u32 flags;
};

#define VZBC_CREATE_SIZE_VER0	16

/**
 * struct vzbc_ctid - VZBC_IOC_DESTROY argument
 * @size: sizeof(struct vzbc_ctid)
 * @ctid: the container id
 */
struct vzbc_ctid {
	__u32 size;
	__u32 ctid;
};

#define VZBC_CTID_SIZE_VER0	8

/**
 * struct vzbc_set - VZBC_IOC_SET argument
 * @size: sizeof(struct vzbc_set)
 * @ctid: the container id
 * @resource: an enum vzbc_resource that vzbc accounts
 * @flags: must be 0
 * @barrier: new barrier, <= @limit, <= VZBC_UNLIMITED
 * @limit: new limit, <= VZBC_UNLIMITED
 *
 * vzbc records barrier and limit for reporting; the cgroup controllers
 * (pids.max, memory.high/max, ...) enforce them.
 */
struct vzbc_set {
	__u32 size;
	__u32 ctid;
	__u32 resource;
	__u32 flags;
	__u64 barrier;
	__u64 limit;
};

#define VZBC_SET_SIZE_VER0	32

/* vzbc_stat.flags */
#define VZBC_STAT_ACCOUNTED	(1U << 0)	/* values below are real */

/**
 * struct vzbc_stat - one resource of one beancounter
 * @resource: enum vzbc_resource
 * @flags: VZBC_STAT_*; without VZBC_STAT_ACCOUNTED the resource is not
 *	accounted for this beancounter now (e.g. its cgroup has no memory
 *	controller) and the counters are zero
 * @held: current usage
 * @maxheld: peak usage since the beancounter was created
 * @minheld: lowest usage seen since the beancounter was created
 * @barrier: as last set (VZBC_UNLIMITED by default)
 * @limit: as last set (VZBC_UNLIMITED by default)
 * @failcnt: requests refused at the limit
 */
struct vzbc_stat {
	__u32 resource;
	__u32 flags;
	__u64 held;
	__u64 maxheld;
	__u64 minheld;
	__u64 barrier;
	__u64 limit;
	__u64 failcnt;
};

#define VZBC_STAT_SIZE_VER0	56

/**
 * struct vzbc_get - VZBC_IOC_GET argument
 * @size: sizeof(struct vzbc_get)
 * @ctid: the container id
 * @nr_stats: in: capacity of @stats in entries; out: entries written
 *	(every resource vzbc knows, in resource order; if the capacity is
 *	smaller, the first @nr_stats in that order)
 * @flags: must be 0
 * @stats: user pointer to an array of struct vzbc_stat
 * @stat_size: size of one @stats element as the caller knows struct
 *	vzbc_stat (the array's stride); 0 means VZBC_STAT_SIZE_VER0.  Below
 *	VZBC_STAT_SIZE_VER0 or above a page: EINVAL.  The kernel writes
 *	min(@stat_size, its own size) bytes of each entry and zeroes the rest
 * @reserved: must be 0
 */
struct vzbc_get {
	__u32 size;
	__u32 ctid;
	__u32 nr_stats;
	__u32 flags;
	__u64 stats;
	__u32 stat_size;
	__u32 reserved;
};

#define VZBC_GET_SIZE_VER0	24
#define VZBC_GET_SIZE_VER1	32	/* adds stat_size */

/**
 * struct vzbc_list - VZBC_IOC_LIST argument
 * @size: sizeof(struct vzbc_list)
 * @start_ctid: in: list ids >= this one (0 or 1 to start)
 * @nr_ctids: in: capacity of @ctids; out: ids written, ascending
 * @next_ctid: out: pass as @start_ctid to continue; 0 when done
 * @ctids: user pointer to an array of __u32
 */
struct vzbc_list {
	__u32 size;
	__u32 start_ctid;
	__u32 nr_ctids;
	__u32 next_ctid;
	__u64 ctids;
};

#define VZBC_LIST_SIZE_VER0	24

/* vzbc_res_info.unit: what held, barrier and limit count. */
enum vzbc_unit {
	VZBC_UNIT_COUNT = 1,	/* objects (tasks, files, sockets...) */
	VZBC_UNIT_PAGES,	/* pages of PAGE_SIZE bytes */
	VZBC_UNIT_BYTES,	/* bytes */
	VZBC_UNIT_KBYTES,	/* 1024-byte blocks */
	VZBC_UNIT_BYTES_PER_SEC,
	VZBC_UNIT_OPS_PER_SEC,
	__VZBC_UNIT_MAX
};

#define VZBC_RES_NAME_LEN	32

/**
 * struct vzbc_res_info - one resource the running module accounts
 * @resource: enum vzbc_resource
 * @unit: enum vzbc_unit
 * @name: NUL-terminated, as /proc/user_beancounters prints it
 */
struct vzbc_res_info {
	__u32 resource;
	__u32 unit;
	char name[VZBC_RES_NAME_LEN];
};

#define VZBC_RES_INFO_SIZE_VER0	40

/**
 * struct vzbc_resources - VZBC_IOC_RESOURCES argument
 * @size: sizeof(struct vzbc_resources)
 * @nr_info: in: capacity of @info in entries; out: entries written (the
 *	resources in index order; with a smaller capacity, the first ones)
 * @info_size: stride of @info, as the caller knows struct vzbc_res_info;
 *	0 means VZBC_RES_INFO_SIZE_VER0; below that or above a page: EINVAL
 * @nr_total: out: how many resources the module accounts
 * @info: user pointer to an array of struct vzbc_res_info
 */
struct vzbc_resources {
	__u32 size;
	__u32 nr_info;
	__u32 info_size;
	__u32 nr_total;
	__u64 info;
};

#define VZBC_RESOURCES_SIZE_VER0	24

/*
 * VZBC_IOC_VERSION: returns VZBC_API_VERSION.
 * VZBC_IOC_CREATE: new beancounter bound to a cgroup.  EEXIST if the ctid
 *	exists, EBUSY if the cgroup is bound already, EBADF if the fd is not
 *	a cgroup v2 directory.
 * VZBC_IOC_DESTROY: removes a beancounter.  ENOENT if unknown.
 * VZBC_IOC_SET: sets barrier and limit of one resource.
 * VZBC_IOC_GET: reads every resource of one beancounter.
 * VZBC_IOC_LIST: pages through the container ids.
 * VZBC_IOC_RESOURCES: the resources this module accounts, with their
 *	names and units, so that userspace keeps no table of its own.
 *
 * CREATE, DESTROY and SET need CAP_SYS_ADMIN in the initial user
 * namespace (EPERM).  Unknown commands fail with ENOTTY.
 */
enum vzbc_ioc_nr {
	VZBC_IOC_NR_VERSION,
	VZBC_IOC_NR_CREATE,
	VZBC_IOC_NR_DESTROY,
	VZBC_IOC_NR_SET,
	VZBC_IOC_NR_GET,
	VZBC_IOC_NR_LIST,
	VZBC_IOC_NR_RESOURCES,
	__VZBC_IOC_NR_MAX
};

#define VZBC_IOC_VERSION	_IO(VZBC_MAGIC, VZBC_IOC_NR_VERSION)
#define VZBC_IOC_CREATE		_IOW(VZBC_MAGIC, VZBC_IOC_NR_CREATE, struct vzbc_create)
#define VZBC_IOC_DESTROY	_IOW(VZBC_MAGIC, VZBC_IOC_NR_DESTROY, struct vzbc_ctid)
#define VZBC_IOC_SET		_IOW(VZBC_MAGIC, VZBC_IOC_NR_SET, struct vzbc_set)
#define VZBC_IOC_GET		_IOWR(VZBC_MAGIC, VZBC_IOC_NR_GET, struct vzbc_get)
#define VZBC_IOC_LIST		_IOWR(VZBC_MAGIC, VZBC_IOC_NR_LIST, struct vzbc_list)
#define VZBC_IOC_RESOURCES	_IOWR(VZBC_MAGIC, VZBC_IOC_NR_RESOURCES, struct vzbc_resources)

/*
 * Generic netlink family VZBC_GENL_NAME, version VZBC_GENL_VERSION, in the
 * initial network namespace only.
 *
 * VZBC_CMD_GET: with VZBC_A_CTID, that beancounter; as a dump (NLM_F_DUMP),
 *	every beancounter in ctid order, resumable.  Each reply carries
 *	VZBC_A_CTID and a VZBC_A_RESOURCES nest of VZBC_A_RESOURCE nests.
 *	Needs CAP_NET_ADMIN (the data is the host's).
 * VZBC_CMD_EVENT: sent to the VZBC_GENL_MCGRP_EVENTS group (joining needs
 *	CAP_SYS_ADMIN) when a failcnt grows or held crosses a barrier
 *	upwards: VZBC_A_CTID, VZBC_A_EVENT, VZBC_A_RESOURCE (one nest) and
 *	VZBC_A_DROPPED (events this beancounter could not send, ever).
 *	Rate-limited per beancounter.
 * VZBC_CMD_RESOURCES: the resources the module accounts: one reply with a
 *	VZBC_A_RESOURCES nest of VZBC_A_RESOURCE nests, each holding
 *	VZBC_RES_A_ID, VZBC_RES_A_NAME and VZBC_RES_A_UNIT.  Needs
 *	CAP_NET_ADMIN, as GET.
 */
#define VZBC_GENL_NAME		"VZBC"
#define VZBC_GENL_VERSION	1
#define VZBC_GENL_MCGRP_EVENTS	"events"

enum vzbc_cmd {
	VZBC_CMD_UNSPEC,
	VZBC_CMD_GET,
	VZBC_CMD_EVENT,
	VZBC_CMD_RESOURCES,
	__VZBC_CMD_MAX
};

#define VZBC_CMD_MAX (__VZBC_CMD_MAX - 1)

enum vzbc_attr {
	VZBC_A_UNSPEC,
	VZBC_A_CTID,		/* u32 */
	VZBC_A_RESOURCES,	/* nest of VZBC_A_RESOURCE */
	VZBC_A_RESOURCE,	/* nest of enum vzbc_res_attr */
	VZBC_A_EVENT,		/* u32, enum vzbc_event */
	VZBC_A_DROPPED,		/* u64 */
	VZBC_A_PAD,
	__VZBC_A_MAX
};

#define VZBC_A_MAX (__VZBC_A_MAX - 1)

enum vzbc_res_attr {
	VZBC_RES_A_UNSPEC,
	VZBC_RES_A_ID,		/* u32, enum vzbc_resource */
	VZBC_RES_A_FLAGS,	/* u32, VZBC_STAT_* */
	VZBC_RES_A_HELD,	/* u64 */
	VZBC_RES_A_MAXHELD,	/* u64 */
	VZBC_RES_A_MINHELD,	/* u64 */
	VZBC_RES_A_BARRIER,	/* u64 */
	VZBC_RES_A_LIMIT,	/* u64 */
	VZBC_RES_A_FAILCNT,	/* u64 */
	VZBC_RES_A_PAD,
	VZBC_RES_A_NAME,	/* string, VZBC_CMD_RESOURCES only */
	VZBC_RES_A_UNIT,	/* u32, enum vzbc_unit, VZBC_CMD_RESOURCES only */
	__VZBC_RES_A_MAX
};

#define VZBC_RES_A_MAX (__VZBC_RES_A_MAX - 1)

enum vzbc_event {
	VZBC_EVENT_FAILCNT = 1,	/* failcnt grew: a request was refused */
	VZBC_EVENT_BARRIER,	/* held went above the barrier */
	__VZBC_EVENT_MAX
};

#define VZBC_EVENT_MAX (__VZBC_EVENT_MAX - 1)

#endif /* _UAPI_LINUX_VZBC_H */
