// SPDX-License-Identifier: GPL-2.0
/* Helpers for the vzbc robustness tests; see fuzz.h. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "cg.h"
#include "fuzz.h"
#include "genl.h"
#include "mem.h"
#include "vzbc.h"

/* --- random numbers ---------------------------------------------------- */

void fz_seed(struct fz_rng *r, uint64_t seed)
{
	r->s = seed;
}

uint64_t fz_next(struct fz_rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint32_t fz_below(struct fz_rng *r, uint32_t n)
{
	return (uint32_t)(((fz_next(r) >> 32) * (uint64_t)n) >> 32);
}

bool fz_chance(struct fz_rng *r, unsigned int percent)
{
	return fz_below(r, 100) < percent;
}

void fz_fill(struct fz_rng *r, void *buf, size_t len)
{
	unsigned char *p = buf;
	uint64_t v = 0;

	for (size_t i = 0; i < len; i++) {
		if (!(i & 7))
			v = fz_next(r);
		p[i] = v;
		v >>= 8;
	}
}

uint64_t fz_run_seed(void)
{
	const char *s = getenv("VZBC_FUZZ_SEED");
	struct timespec ts;

	if (s && *s)
		return strtoull(s, NULL, 0);
	clock_gettime(CLOCK_REALTIME, &ts);
	return ((uint64_t)ts.tv_sec << 20) ^ (uint64_t)ts.tv_nsec ^
	       ((uint64_t)getpid() << 40);
}

unsigned int fz_env_seconds(const char *name, unsigned int def)
{
	const char *s = getenv(name);
	unsigned long v;
	char *end;

	if (!s || !*s)
		return def;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v == 0 || v > 24 * 3600)
		return def;
	return v;
}

/* --- pointers ------------------------------------------------------------ */

/*
 * Layout, in pages: [0, R) rw | R guard | [R+1, 2R+1) ro | 2R+1 guard |
 * 2R+2 hole | 2R+3 guard, where R = FZ_RW_PAGES.  rw and ro map the same
 * memfd.
 */
int fz_arena_init(struct fz_arena *a)
{
	size_t ps = sysconf(_SC_PAGESIZE);
	size_t rw_len = FZ_RW_PAGES * ps;
	int memfd, err = 0;
	char *base;
	void *p;

	memset(a, 0, sizeof(*a));
	a->map_len = (2 * FZ_RW_PAGES + 4) * ps;
	base = mmap(NULL, a->map_len, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED)
		return -errno;
	memfd = syscall(SYS_memfd_create, "vzbc-fuzz", 1 /* MFD_CLOEXEC */);
	if (memfd < 0 || ftruncate(memfd, rw_len)) {
		err = -errno;
		goto fail;
	}
	p = mmap(base, rw_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
		 memfd, 0);
	if (p == MAP_FAILED) {
		err = -errno;
		goto fail;
	}
	p = mmap(base + rw_len + ps, rw_len, PROT_READ, MAP_SHARED | MAP_FIXED,
		 memfd, 0);
	if (p == MAP_FAILED) {
		err = -errno;
		goto fail;
	}
	/* The hole: mapped, then unmapped, as a freed buffer would be. */
	p = mmap(base + 2 * rw_len + 2 * ps, ps, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (p == MAP_FAILED || munmap(p, ps)) {
		err = -errno;
		goto fail;
	}
	close(memfd);
	a->base = base;
	a->rw = base;
	a->guard = base + rw_len;
	a->ro = base + rw_len + ps;
	a->hole = base + 2 * rw_len + 2 * ps;
	a->rw_len = rw_len;
	return 0;

fail:
	if (memfd >= 0)
		close(memfd);
	munmap(base, a->map_len);
	return err ? err : -ENOMEM;
}

void fz_arena_fini(struct fz_arena *a)
{
	if (a->base)
		munmap(a->base, a->map_len);
	memset(a, 0, sizeof(*a));
}

void *fz_ptr(struct fz_rng *r, struct fz_arena *a, enum fz_ptr_kind k,
	     size_t len)
{
	size_t room = len < a->rw_len ? a->rw_len - len : 0;

	switch (k) {
	case FZ_PTR_RW:
		return a->rw + fz_below(r, room + 1);
	case FZ_PTR_RW_END:
		return a->rw + room;
	case FZ_PTR_STRADDLE:
		/* At least one byte in rw, at least one in the guard. */
		if (len < 2)
			return a->guard;
		return a->guard - 1 - fz_below(r, len < a->rw_len ? len - 1 : a->rw_len - 1);
	case FZ_PTR_RO:
		return a->ro + fz_below(r, room + 1);
	case FZ_PTR_NULL:
		return NULL;
	case FZ_PTR_HOLE:
		return a->hole + fz_below(r, 64);
	case FZ_PTR_LOW:
		return (void *)(uintptr_t)(1 + fz_below(r, 4000));
	case FZ_PTR_KERNEL:
		return (void *)(uintptr_t)(0xffff888000000000ULL +
					    (fz_next(r) & 0xffffffffULL));
	case FZ_PTR_NONCANON:
	default:
		return (void *)(uintptr_t)(0x8000000000000000ULL |
					    (fz_next(r) & 0xffffffffffffULL));
	}
}

void *fz_rw_alias(struct fz_arena *a, void *p)
{
	return a->rw + ((char *)p - a->ro);
}

/* --- errno sets ------------------------------------------------------------- */

void fz_errset_add(struct fz_errset *s, int err)
{
	if (err > 0 && err < 128)
		s->bits[err / 64] |= 1ULL << (err % 64);
}

bool fz_errset_has(const struct fz_errset *s, int err)
{
	return err > 0 && err < 128 && (s->bits[err / 64] >> (err % 64)) & 1;
}

static const struct {
	int err;
	const char *name;
} fz_errnames[] = {
	{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EINTR, "EINTR" },
	{ EIO, "EIO" }, { E2BIG, "E2BIG" }, { EBADF, "EBADF" },
	{ EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" }, { EACCES, "EACCES" },
	{ EFAULT, "EFAULT" }, { EBUSY, "EBUSY" }, { EEXIST, "EEXIST" },
	{ ENODEV, "ENODEV" }, { ENOTDIR, "ENOTDIR" }, { EINVAL, "EINVAL" },
	{ ENOSPC, "ENOSPC" }, { ERANGE, "ERANGE" }, { ENOTTY, "ENOTTY" },
	{ ENOSYS, "ENOSYS" }, { EMSGSIZE, "EMSGSIZE" },
	{ EOPNOTSUPP, "EOPNOTSUPP" }, { ENOBUFS, "ENOBUFS" },
	{ ETIMEDOUT, "ETIMEDOUT" }, { ECHILD, "ECHILD" }, { ESRCH, "ESRCH" },
	{ EPROTO, "EPROTO" }, { ENODATA, "ENODATA" },
};

const char *fz_errname(int err)
{
	static __thread char buf[24];

	if (err < 0)
		err = -err;
	for (size_t i = 0; i < sizeof(fz_errnames) / sizeof(fz_errnames[0]); i++)
		if (fz_errnames[i].err == err)
			return fz_errnames[i].name;
	snprintf(buf, sizeof(buf), "errno %d", err);
	return buf;
}

const char *fz_errset_str(const struct fz_errset *s, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (int e = 1; e < 128 && off < len; e++) {
		if (!fz_errset_has(s, e))
			continue;
		off += snprintf(buf + off, len - off, "%s%s", off ? " " : "",
				fz_errname(e));
	}
	return buf;
}

/* --- leaks and the module --------------------------------------------------- */

/* A sysfs file of a few bytes, NUL-terminated: 0 or -errno (-EIO if empty). */
static int read_small(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0)
		return n < 0 ? -errno : -EIO;
	buf[n] = '\0';
	return 0;
}

int vzbc_live_read(uint64_t *val)
{
	char buf[32];
	int ret = read_small(VZBC_LIVE_PARAM, buf, sizeof(buf));

	if (ret)
		return ret;
	if (buf[0] < '0' || buf[0] > '9')
		return -EINVAL;
	*val = strtoull(buf, NULL, 10);
	return 0;
}

int vzbc_live_poll(void *arg, uint64_t *val)
{
	(void)arg;
	return vzbc_live_read(val);
}

int vzbc_live_wait(uint64_t want, uint64_t *last)
{
	return wait_for_value(vzbc_live_poll, NULL, want, FZ_SETTLE_MS, last);
}

#define FZ_READ_MAX	(16u << 20)	/* more is a runaway file */

char *fz_read_chunked(const char *path, struct fz_rng *r, size_t chunk, int *err)
{
	size_t cap = 65536, len = 0;
	char *buf = malloc(cap);
	ssize_t n;
	int fd;

	*err = -ENOMEM;
	if (!buf)
		return NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*err = -errno;
		free(buf);
		return NULL;
	}
	do {
		size_t want = r ? 1 + fz_below(r, chunk) : chunk;

		while (len + want >= cap && cap < FZ_READ_MAX) {
			char *nbuf = realloc(buf, 2 * cap);

			if (!nbuf)
				break;
			buf = nbuf;
			cap *= 2;
		}
		if (len + want >= cap)
			want = cap - len - 1;
		n = want ? read(fd, buf + len, want) : 0;
		if (n > 0)
			len += n;
	} while (n > 0);
	*err = n < 0 ? -errno : 0;
	close(fd);
	if (n < 0) {
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

int vzbc_list_all(int fd, uint32_t **ids, uint32_t *nr)
{
	uint32_t cap = 256, n = 0, start = 1, got, next, *buf, *nbuf;
	int ret;

	buf = malloc(cap * sizeof(*buf));
	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (cap - n < 64) {
			nbuf = realloc(buf, 2 * cap * sizeof(*buf));
			if (!nbuf) {
				free(buf);
				return -ENOMEM;
			}
			buf = nbuf;
			cap *= 2;
		}
		got = 64;
		ret = vzbc_list(fd, start, buf + n, &got, &next);
		if (ret) {
			free(buf);
			return ret;
		}
		n += got;
		if (!next)
			break;
		start = next;
	}
	*ids = buf;
	*nr = n;
	return 0;
}

bool vzbc_module_loaded(void)
{
	return access(VZBC_SYS_MODULE, F_OK) == 0;
}

int vzbc_module_refcnt(void)
{
	char buf[32];
	int ret = read_small(VZBC_SYS_MODULE "/refcnt", buf, sizeof(buf));

	return ret ? ret : atoi(buf);
}

int vzbc_module_unload(void)
{
	return syscall(SYS_delete_module, VZBC_MODULE_NAME, O_NONBLOCK) ?
		-errno : 0;
}

int vzbc_module_load(const char *path)
{
	int fd, ret;

	if (!path)
		path = getenv("VZBC_MODULE");
	if (!path || !*path)
		return -ENOENT;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, "", 0) ? -errno : 0;
	close(fd);
	return ret;
}

int vzbc_module_ensure(void)
{
	int ret;

	if (vzbc_module_loaded())
		return 0;
	ret = vzbc_module_load(NULL);
	return ret == -EEXIST ? 0 : ret;
}

/* --- netlink replies --------------------------------------------------------- */

#define WHY(...) do { snprintf(why, whylen, __VA_ARGS__); return -EINVAL; } while (0)

/* Attributes exactly tile [start, start + len), each at least a header. */
static bool nl_attrs_tile(const void *start, size_t len)
{
	const char *p = start, *end = p + len;

	while (p < end) {
		const struct nlattr *a = (const struct nlattr *)p;

		if (end - p < NLA_HDRLEN || a->nla_len < NLA_HDRLEN ||
		    a->nla_len > end - p)
			return false;
		p += NLA_ALIGN(a->nla_len);
	}
	return p == end || p == end + (NLA_ALIGN(len) - len);
}

static int check_resource(const struct nlattr *nest, uint32_t want_id,
			  char *why, size_t whylen)
{
	unsigned int seen = 0;
	const struct nlattr *a;

	if (!nl_attrs_tile(genl_attr_data(nest), genl_attr_len(nest)))
		WHY("resource nest: attributes do not tile it");
	genl_for_each_attr(a, genl_attr_data(nest), genl_attr_len(nest)) {
		int type = a->nla_type & NLA_TYPE_MASK;
		int want_len = type == VZBC_RES_A_ID || type == VZBC_RES_A_FLAGS ? 4 : 8;

		if (type == VZBC_RES_A_PAD)
			continue;
		if (type < VZBC_RES_A_ID || type > VZBC_RES_A_FAILCNT)
			WHY("resource nest: unknown attribute %d", type);
		if (genl_attr_len(a) != want_len)
			WHY("resource attribute %d: %d bytes", type, genl_attr_len(a));
		if (seen & (1u << type))
			WHY("resource attribute %d twice", type);
		seen |= 1u << type;
		if (type == VZBC_RES_A_ID &&
		    *(const uint32_t *)genl_attr_data(a) != want_id)
			WHY("resource %u where %u was due",
			    *(const uint32_t *)genl_attr_data(a), want_id);
	}
	for (int t = VZBC_RES_A_ID; t <= VZBC_RES_A_FAILCNT; t++)
		if (!(seen & (1u << t)))
			WHY("resource %u: attribute %d missing", want_id, t);
	return 0;
}

/* A VZBC_CMD_RESOURCES reply: the resource table, each id, name and unit. */
static int check_resources_reply(const struct nlattr *attrs, size_t len,
				 struct fz_nl_seen *seen, char *why,
				 size_t whylen)
{
	const struct nlattr *a, *r, *f;
	unsigned int nres = 0;

	genl_for_each_attr(a, attrs, len) {
		if ((a->nla_type & NLA_TYPE_MASK) != VZBC_A_RESOURCES)
			WHY("resources reply: attribute %d", a->nla_type);
		genl_for_each_attr(r, genl_attr_data(a), genl_attr_len(a)) {
			unsigned int have = 0;

			if (nres >= VZBC_NR_RES)
				WHY("resources reply: more than %u", VZBC_NR_RES);
			genl_for_each_attr(f, genl_attr_data(r), genl_attr_len(r)) {
				const char *d = genl_attr_data(f);
				int flen = genl_attr_len(f);

				if (f->nla_type != VZBC_RES_A_ID &&
				    f->nla_type != VZBC_RES_A_NAME &&
				    f->nla_type != VZBC_RES_A_UNIT)
					WHY("resources reply: attribute %d", f->nla_type);
				have |= 1u << f->nla_type;
				if (f->nla_type == VZBC_RES_A_ID &&
				    (flen != 4 || *(const uint32_t *)d != vzbc_res_ids[nres]))
					WHY("resources reply: id of entry %u", nres);
				if (f->nla_type == VZBC_RES_A_NAME &&
				    (flen < 1 || d[flen - 1] ||
				     strcmp(d, vzbc_res_names[nres])))
					WHY("resources reply: name of entry %u", nres);
			}
			if (have != (1u << VZBC_RES_A_ID | 1u << VZBC_RES_A_NAME |
				     1u << VZBC_RES_A_UNIT))
				WHY("resources reply: attributes of entry %u", nres);
			nres++;
		}
	}
	if (nres != VZBC_NR_RES)
		WHY("resources reply: %u resources, not %u", nres, VZBC_NR_RES);
	seen->replies++;
	return 0;
}

static int check_get_reply(const struct nlmsghdr *nlh, struct fz_nl_seen *seen,
			   char *why, size_t whylen)
{
	const struct genlmsghdr *gh = NLMSG_DATA(nlh);
	const char *attrs = (const char *)gh + GENL_HDRLEN;
	size_t len = nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	bool have_ctid = false, have_res = false;
	const struct nlattr *a, *r;
	uint32_t ctid = 0;
	unsigned int nres;

	if (nlh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN))
		WHY("reply shorter than a genl header (%u)", nlh->nlmsg_len);
	if (gh->cmd == VZBC_CMD_RESOURCES)
		return check_resources_reply((const struct nlattr *)attrs, len,
					     seen, why, whylen);
	if (gh->cmd != VZBC_CMD_GET)
		WHY("reply with command %u", gh->cmd);
	if (!nl_attrs_tile(attrs, len))
		WHY("reply: attributes do not tile the message");
	genl_for_each_attr(a, attrs, len) {
		switch (a->nla_type & NLA_TYPE_MASK) {
		case VZBC_A_CTID:
			if (have_ctid || genl_attr_len(a) != 4)
				WHY("reply: bad or repeated VZBC_A_CTID");
			ctid = *(const uint32_t *)genl_attr_data(a);
			have_ctid = true;
			break;
		case VZBC_A_RESOURCES:
			if (have_res)
				WHY("reply: VZBC_A_RESOURCES twice");
			have_res = true;
			if (!nl_attrs_tile(genl_attr_data(a), genl_attr_len(a)))
				WHY("reply: resources nest does not tile");
			nres = 0;
			genl_for_each_attr(r, genl_attr_data(a), genl_attr_len(a)) {
				if ((r->nla_type & NLA_TYPE_MASK) != VZBC_A_RESOURCE)
					WHY("resources nest: attribute %d", r->nla_type);
				if (nres >= VZBC_NR_RES)
					WHY("resources nest: more than %u", VZBC_NR_RES);
				if (check_resource(r, vzbc_res_ids[nres], why, whylen))
					return -EINVAL;
				nres++;
			}
			if (nres != VZBC_NR_RES)
				WHY("reply: %u resources, not %u", nres, VZBC_NR_RES);
			break;
		default:
			WHY("reply: unexpected attribute %d", a->nla_type);
		}
	}
	if (!have_ctid || !have_res)
		WHY("reply without VZBC_A_CTID or VZBC_A_RESOURCES");
	if (ctid == 0 || ctid > VZBC_CTID_MAX)
		WHY("reply for ctid %u", ctid);
	if (seen->replies && ctid <= seen->last_ctid)
		seen->unordered = true;
	if (seen->mask_base && ctid >= seen->mask_base &&
	    ctid - seen->mask_base < 64)
		seen->mask |= 1ULL << (ctid - seen->mask_base);
	seen->replies++;
	seen->last_ctid = ctid;
	return 0;
}

static int check_one(const struct nlmsghdr *nlh, uint16_t family,
		     const struct fz_errset *allowed, struct fz_nl_seen *seen,
		     char *why, size_t whylen)
{
	if (nlh->nlmsg_flags & NLM_F_MULTI)
		seen->multi++;
	if (seen->check_seq && nlh->nlmsg_seq != seen->seq)
		seen->bad_seq++;
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = NLMSG_DATA(nlh);
		size_t off, plen;

		if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
			WHY("NLMSG_ERROR of %u bytes", nlh->nlmsg_len);
		if (e->error > 0 || e->error < -4095)
			WHY("NLMSG_ERROR carries %d", e->error);
		if (e->error && !fz_errset_has(allowed, -e->error))
			WHY("NLMSG_ERROR carries %s", fz_errname(e->error));
		seen->last_error = e->error;
		if (e->error)
			seen->errors++;
		else
			seen->acks++;
		if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
			return 0;
		/* TLVs follow the echoed request (its header only if capped). */
		plen = (nlh->nlmsg_flags & NLM_F_CAPPED) ? NLMSG_HDRLEN :
		       e->msg.nlmsg_len;
		off = NLMSG_LENGTH(sizeof(e->error)) + NLMSG_ALIGN(plen);
		if (plen < NLMSG_HDRLEN || off > nlh->nlmsg_len)
			WHY("NLMSG_ERROR: echoed request of %zu bytes", plen);
		if (!nl_attrs_tile((const char *)nlh + off, nlh->nlmsg_len - off))
			WHY("NLMSG_ERROR: extended ACK attributes malformed");
		return 0;
	}
	if (nlh->nlmsg_type == NLMSG_DONE) {
		int err;

		if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(int)))
			WHY("NLMSG_DONE of %u bytes", nlh->nlmsg_len);
		memcpy(&err, NLMSG_DATA(nlh), sizeof(err));
		if (err > 0 || (err && !fz_errset_has(allowed, -err)))
			WHY("NLMSG_DONE carries %d", err);
		if (err)
			seen->last_error = err;
		seen->dones++;
		if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) &&
		    !nl_attrs_tile((const char *)NLMSG_DATA(nlh) + sizeof(int),
				   nlh->nlmsg_len - NLMSG_LENGTH(sizeof(int))))
			WHY("NLMSG_DONE: extended ACK attributes malformed");
		return 0;
	}
	if (nlh->nlmsg_type == family)
		return check_get_reply(nlh, seen, why, whylen);
	WHY("message of type %u", nlh->nlmsg_type);
}

int fz_nl_check(const void *buf, size_t len, uint16_t family,
		const struct fz_errset *allowed, struct fz_nl_seen *seen,
		char *why, size_t whylen)
{
	const char *p = buf, *end = p + len;

	if (len < NLMSG_HDRLEN)
		WHY("datagram of %zu bytes", len);
	while (p < end) {
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)p;
		size_t left = end - p;

		if (left < NLMSG_HDRLEN || nlh->nlmsg_len < NLMSG_HDRLEN ||
		    nlh->nlmsg_len > left)
			WHY("message header does not fit: len %u, %zu left",
			    left >= NLMSG_HDRLEN ? nlh->nlmsg_len : 0, left);
		if (check_one(nlh, family, allowed, seen, why, whylen))
			return -EINVAL;
		if (NLMSG_ALIGN(nlh->nlmsg_len) >= left)
			break;
		p += NLMSG_ALIGN(nlh->nlmsg_len);
	}
	return 0;
}

/* Runs @fn in @n threads and waits, failing if one is stuck in the kernel. */
int fz_run_threads(void *(*fn)(void *), void *args, size_t argsize, int n,
		   int64_t deadline_ms)
{
	pthread_t th[16];
	struct timespec ts;
	int i, ret = 0;

	for (i = 0; i < n; i++)
		if (pthread_create(&th[i], NULL, fn, (char *)args + i * argsize))
			return -errno;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += (deadline_ms - now_ms()) / 1000 + FZ_STUCK_S;
	for (i = 0; i < n; i++)
		if (pthread_timedjoin_np(th[i], NULL, &ts))
			ret = -ETIMEDOUT;
	return ret;
}

/* Waits for a helper process; its exit status, or -ETIMEDOUT. */
int fz_wait_child(pid_t pid, int64_t deadline_ms)
{
	int status;

	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) :
			       128 + WTERMSIG(status);
		if (r < 0 && errno != EINTR)
			return -errno;
		if (now_ms() > deadline_ms + FZ_STUCK_S * 1000) {
			kill_reap(pid);
			return -ETIMEDOUT;
		}
		usleep(20000);
	}
}

uint32_t fz_pick_size(struct fz_rng *r, size_t ksize)
{
	const uint32_t ps = page_size();
	const uint32_t odd[] = {
		ps - 1, ps, ps + 1, 2 * ps, 65536, 0x80000000u, UINT32_MAX,
	};

	switch (fz_below(r, 10)) {
	case 0 ... 4:
		return ksize;
	case 5 ... 6:
		return fz_below(r, ksize + 17);		/* 0..sizeof + 16 */
	case 7:
		return ksize + fz_below(r, 17);
	case 8:
		return fz_pick(r, odd);
	default:
		return (uint32_t)fz_next(r);
	}
}

uint32_t fz_pick_flags(struct fz_rng *r)
{
	if (fz_chance(r, 85))
		return 0;
	return fz_chance(r, 50) ? 1u << fz_below(r, 32) : (uint32_t)fz_next(r) | 1;
}

enum fz_ptr_kind fz_pick_ptr_kind(struct fz_rng *r)
{
	switch (fz_below(r, 20)) {
	case 0 ... 11:
		return FZ_PTR_RW;
	case 12:
		return FZ_PTR_RW_END;
	case 13 ... 14:
		return FZ_PTR_STRADDLE;
	case 15 ... 16:
		return FZ_PTR_RO;
	default:
		return (enum fz_ptr_kind)(FZ_PTR_NULL + fz_below(r, FZ_PTR_NR - FZ_PTR_NULL));
	}
}

/* Readable and writable bytes from @p, which has kind @k. */
void fz_ptr_room(struct fz_arena *a, enum fz_ptr_kind k, const void *p,
		 size_t *readable, size_t *writable)
{
	const char *c = p;

	*readable = *writable = 0;
	switch (k) {
	case FZ_PTR_RW:
	case FZ_PTR_RW_END:
	case FZ_PTR_STRADDLE:
		*readable = *writable = a->guard - c;
		break;
	case FZ_PTR_RO:
		*readable = a->ro + a->rw_len - c;
		break;
	default:
		break;
	}
}

void fz_pick_limits(struct fz_rng *r, __u64 *barrier, __u64 *limit)
{
	uint64_t a = fz_next(r) >> fz_below(r, 64), b = fz_next(r) >> fz_below(r, 64);

	switch (fz_below(r, 8)) {
	case 0:
		*barrier = *limit = VZBC_UNLIMITED;
		break;
	case 1 ... 3:	/* valid */
		a &= VZBC_UNLIMITED;
		b &= VZBC_UNLIMITED;
		*barrier = a < b ? a : b;
		*limit = a < b ? b : a;
		break;
	case 4:		/* barrier above limit */
		*barrier = (a | 2) & VZBC_UNLIMITED;
		*limit = *barrier - 1 - fz_below(r, 2);
		break;
	case 5:		/* limit above "unlimited" */
		*barrier = a & VZBC_UNLIMITED;
		*limit = VZBC_UNLIMITED + 1 + fz_below(r, 3);
		break;
	case 6:
		*barrier = VZBC_UNLIMITED;
		*limit = UINT64_MAX;
		break;
	default:
		*barrier = a;
		*limit = b;
		break;
	}
}

/* Appends one attribute; returns its aligned size, 0 if it does not fit. */
size_t fz_put_attr(char *p, size_t room, uint16_t type, const void *data, size_t len)
{
	struct nlattr a = { .nla_len = NLA_HDRLEN + len, .nla_type = type };

	if (NLA_ALIGN(NLA_HDRLEN + len) > room || NLA_HDRLEN + len > 0xffff)
		return 0;
	memcpy(p, &a, sizeof(a));
	if (len)
		memcpy(p + NLA_HDRLEN, data, len);
	memset(p + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
	return NLA_ALIGN(NLA_HDRLEN + len);
}

uint16_t fz_nla_type_flags(struct fz_rng *r, uint16_t type)
{
	if (fz_chance(r, 5))
		type |= NLA_F_NESTED;
	if (fz_chance(r, 3))
		type |= NLA_F_NET_BYTEORDER;
	return type;
}

/* Random attributes, nested down to @depth levels. */
size_t fz_put_garbage(struct fz_rng *r, char *p, size_t room, int depth)
{
	char payload[512];
	size_t off = 0, n;
	int count = fz_below(r, 5);

	for (int i = 0; i < count; i++) {
		uint16_t type = fz_nla_type_flags(r, fz_below(r, 12));
		size_t len = fz_below(r, 24);

		if (depth > 0 && fz_chance(r, 40)) {
			len = fz_put_garbage(r, payload, sizeof(payload), depth - 1);
			type |= fz_chance(r, 70) ? NLA_F_NESTED : 0;
		} else {
			fz_fill(r, payload, len);
		}
		n = fz_put_attr(p + off, room - off, type, payload, len);
		if (!n)
			break;
		off += n;
	}
	return off;
}

uint16_t fz_pick_nl_flags(struct fz_rng *r)
{
	uint16_t f = fz_chance(r, 95) ? NLM_F_REQUEST : 0;

	if (fz_chance(r, 50))
		f |= NLM_F_ACK;
	if (fz_chance(r, 30))
		f |= NLM_F_DUMP;
	if (fz_chance(r, 5))
		f |= NLM_F_ECHO;
	if (fz_chance(r, 10))
		f |= fz_pick(r, ((const uint16_t[]){ NLM_F_ROOT, NLM_F_MATCH,
			NLM_F_ATOMIC, NLM_F_EXCL | NLM_F_CREATE, NLM_F_REPLACE,
			NLM_F_APPEND, 0x1000, 0x8000 }));
	return f;
}
