/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fuzz engine and helpers of the vzbc robustness tests (vzbc_fuzz_test,
 * vzbc_module_test, vzbc_churn_test, ctlvz_churn_test): a per-thread random
 * generator, durations from the environment, a memory arena with read-only,
 * guard and unmapped pages to aim pointers at, generators of sizes, flags,
 * pointers, limits and netlink attributes, threads and helper processes
 * with a deadline, the live_beancounters leak counter, module unload/reload,
 * and a checker for everything the kernel may send back on a VZBC generic
 * netlink socket.  (The commands and their documented errors stay in
 * vzbc_fuzz_test.c: they are what it tests.)
 *
 * Like the other helpers, nothing here prints or asserts: functions return
 * 0 or -errno, checkers fill a reason string.
 */
#ifndef VZBC_TESTS_FUZZ_H
#define VZBC_TESTS_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/types.h>

/* --- random numbers ---------------------------------------------------- */

/* splitmix64: one state per thread, no locks. */
struct fz_rng {
	uint64_t s;
};

void fz_seed(struct fz_rng *r, uint64_t seed);
uint64_t fz_next(struct fz_rng *r);
/* Uniform in [0, n); n > 0. */
uint32_t fz_below(struct fz_rng *r, uint32_t n);
/* True with probability @percent / 100. */
bool fz_chance(struct fz_rng *r, unsigned int percent);
void fz_fill(struct fz_rng *r, void *buf, size_t len);
#define fz_pick(r, arr) ((arr)[fz_below((r), sizeof(arr) / sizeof((arr)[0]))])

/*
 * The seed of a run: $VZBC_FUZZ_SEED if set (to replay a failure), else
 * taken from the clock.  Tests print it.
 */
uint64_t fz_run_seed(void);

/* Whole seconds from environment variable @name, @def if unset or invalid. */
unsigned int fz_env_seconds(const char *name, unsigned int def);

/* --- pointers ------------------------------------------------------------ */

/*
 * One thread's memory to aim user pointers at:
 *
 *   rw     FZ_RW_PAGES pages, read-write, owned by the thread
 *   guard  one PROT_NONE page right after rw, so that the kernel cannot
 *          write past rw however large a count it is given
 *   ro     the same memory as rw (a second, read-only mapping of a memfd):
 *          what the thread writes to rw the kernel reads at ro, and every
 *          write to it faults
 *   hole   a page that was mapped and unmapped again
 *
 * Pointers the fuzzer makes up itself always point into this arena, below
 * mmap_min_addr, or outside the user half: the kernel never writes to the
 * test's own heap or stack.
 */
#define FZ_RW_PAGES	2

struct fz_arena {
	char *base;
	size_t map_len;
	char *rw;
	char *guard;
	char *ro;
	char *hole;
	size_t rw_len;
};

int fz_arena_init(struct fz_arena *a);
void fz_arena_fini(struct fz_arena *a);

enum fz_ptr_kind {
	FZ_PTR_RW,		/* @len bytes fit in rw, random alignment */
	FZ_PTR_RW_END,		/* the last @len bytes of rw, guard next */
	FZ_PTR_STRADDLE,	/* starts in rw, runs into the guard page */
	FZ_PTR_RO,		/* read-only alias of rw */
	FZ_PTR_NULL,
	FZ_PTR_HOLE,		/* unmapped */
	FZ_PTR_LOW,		/* below mmap_min_addr */
	FZ_PTR_KERNEL,		/* kernel half */
	FZ_PTR_NONCANON,	/* neither half */
	FZ_PTR_NR,
};

/* True for the kinds where the whole [p, p + len) is readable. */
static inline bool fz_ptr_readable(enum fz_ptr_kind k)
{
	return k == FZ_PTR_RW || k == FZ_PTR_RW_END || k == FZ_PTR_RO;
}

/* True for the kinds where the whole [p, p + len) is writable. */
static inline bool fz_ptr_writable(enum fz_ptr_kind k)
{
	return k == FZ_PTR_RW || k == FZ_PTR_RW_END;
}

/* A pointer of kind @k for @len bytes (@len <= rw_len for the rw kinds). */
void *fz_ptr(struct fz_rng *r, struct fz_arena *a, enum fz_ptr_kind k,
	     size_t len);
/* The address in the rw mapping that @p (in the ro mapping) aliases. */
void *fz_rw_alias(struct fz_arena *a, void *p);

/* --- errno sets ------------------------------------------------------------- */

/* A set of errno values, for "one of the documented errors". */
struct fz_errset {
	uint64_t bits[2];	/* errno < 128 */
};

void fz_errset_add(struct fz_errset *s, int err);
bool fz_errset_has(const struct fz_errset *s, int err);
/* "EINVAL EFAULT ..." into @buf. */
const char *fz_errset_str(const struct fz_errset *s, char *buf, size_t len);
/* "ENOENT" for 2, "errno 200" for what it does not know. */
const char *fz_errname(int err);

/*
 * The whole of @path, read() in pieces of 1..@chunk bytes drawn from @r, or
 * of exactly @chunk bytes if @r is NULL: malloc'd and NUL-terminated, or
 * NULL with -errno in *@err (*@err is 0 on success).
 */
char *fz_read_chunked(const char *path, struct fz_rng *r, size_t chunk, int *err);

/* --- what the fuzzers generate ------------------------------------------ */

/* A struct size for a kernel struct of @ksize bytes: mostly right, else off. */
uint32_t fz_pick_size(struct fz_rng *r, size_t ksize);
/* Flags: mostly 0, else one bit or random bits. */
uint32_t fz_pick_flags(struct fz_rng *r);
/* A pointer kind: mostly FZ_PTR_RW, some of every bad kind. */
enum fz_ptr_kind fz_pick_ptr_kind(struct fz_rng *r);
/* How many bytes from @p (of kind @k) the kernel may read and write. */
void fz_ptr_room(struct fz_arena *a, enum fz_ptr_kind k, const void *p,
		 size_t *readable, size_t *writable);
/* A barrier and a limit: valid, unlimited, crossed, above unlimited, random. */
void fz_pick_limits(struct fz_rng *r, __u64 *barrier, __u64 *limit);

/* Appends one netlink attribute; its aligned size, 0 if it does not fit. */
size_t fz_put_attr(char *p, size_t room, uint16_t type, const void *data, size_t len);
/* @type, now and then with NLA_F_NESTED or NLA_F_NET_BYTEORDER. */
uint16_t fz_nla_type_flags(struct fz_rng *r, uint16_t type);
/* Random attributes, nested down to @depth levels; their length. */
size_t fz_put_garbage(struct fz_rng *r, char *p, size_t room, int depth);
/* nlmsg_flags: mostly NLM_F_REQUEST, with ACK, DUMP, ECHO and odd ones. */
uint16_t fz_pick_nl_flags(struct fz_rng *r);

/* --- threads and helper processes ------------------------------------------ */

/* Seconds past its deadline after which a worker counts as stuck. */
#define FZ_STUCK_S	60

/*
 * Runs @fn in @n (at most 16) threads, thread i on @args + i * @argsize, and
 * joins them: 0, or -ETIMEDOUT if one was still running FZ_STUCK_S after
 * @deadline_ms (now_ms()).
 */
int fz_run_threads(void *(*fn)(void *), void *args, size_t argsize, int n,
		   int64_t deadline_ms);
/*
 * Waits for helper process @pid: its exit status (128 + signal if killed),
 * or -ETIMEDOUT (it is killed) FZ_STUCK_S after @deadline_ms.
 */
int fz_wait_child(pid_t pid, int64_t deadline_ms);

/* --- leaks and the module --------------------------------------------------- */

#define VZBC_MODULE_NAME	"vzbc"
#define VZBC_SYS_MODULE		"/sys/module/vzbc"
#define VZBC_LIVE_PARAM		VZBC_SYS_MODULE "/parameters/live_beancounters"

/* live_beancounters; -ENOENT without the module. */
int vzbc_live_read(uint64_t *val);
/* poll_read_fn (cg.h) wrapper around vzbc_live_read(); @arg unused. */
int vzbc_live_poll(void *arg, uint64_t *val);
/* How long frees in flight (exits, RCU) may take on a busy host. */
#define FZ_SETTLE_MS	30000
/* Waits up to FZ_SETTLE_MS for live_beancounters == @want (wait_for_value()). */
int vzbc_live_wait(uint64_t want, uint64_t *last);

/* Every ctid the module lists (LIST, paged), ascending, in *@ids (malloc). */
int vzbc_list_all(int fd, uint32_t **ids, uint32_t *nr);

bool vzbc_module_loaded(void);
/* /sys/module/vzbc/refcnt, or -errno. */
int vzbc_module_refcnt(void);
/* delete_module("vzbc", O_NONBLOCK): 0 or -errno. */
int vzbc_module_unload(void);
/* finit_module() of @path ($VZBC_MODULE if NULL): 0 or -errno. */
int vzbc_module_load(const char *path);
/* Loads the module from $VZBC_MODULE unless it is loaded: 0 or -errno. */
int vzbc_module_ensure(void);

/* --- netlink replies --------------------------------------------------------- */

/* What fz_nl_check() saw in one datagram (counts add up over calls). */
struct fz_nl_seen {
	unsigned int errors;	/* NLMSG_ERROR with error < 0 */
	unsigned int acks;	/* NLMSG_ERROR with error == 0 */
	unsigned int replies;	/* VZBC_CMD_GET messages */
	unsigned int dones;	/* NLMSG_DONE */
	unsigned int multi;	/* messages with NLM_F_MULTI */
	uint32_t last_ctid;	/* of the last reply */
	int last_error;
	bool unordered;		/* a reply's ctid was not above the last one */
	/* Replies for ctids in [mask_base, mask_base + 64) (set mask_base). */
	uint32_t mask_base;
	uint64_t mask;
	/* With check_seq, messages whose nlmsg_seq is not @seq are counted. */
	bool check_seq;
	uint32_t seq;
	unsigned int bad_seq;
};

/*
 * Checks one datagram received on a VZBC socket: every message must be a
 * well-formed NLMSG_ERROR (error <= 0, in @allowed when negative, extended
 * ACK attributes well-formed), an NLMSG_DONE, or a VZBC_CMD_GET reply with
 * a valid ctid and every resource with every attribute of the right size,
 * in resource order.  Returns 0, or -EINVAL with the reason in @why.
 */
int fz_nl_check(const void *buf, size_t len, uint16_t family,
		const struct fz_errset *allowed, struct fz_nl_seen *seen,
		char *why, size_t whylen);

#endif /* VZBC_TESTS_FUZZ_H */
