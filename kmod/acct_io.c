// SPDX-License-Identifier: GPL-2.0
/*
 * iobytes and iops: block IO a container issues, per second.
 *
 * - block_bio_queue tracepoint: fires once per bio in
 *   submit_bio_noacct_nocheck(), right after blk_cgroup_bio_start() counted
 *   the same bio into io.stat, and after blk-throttle let it through, so
 *   the numbers are what io.stat says and rates are issued (throttled)
 *   rates.  The bio is charged to its blkcg: buffered writeback belongs to
 *   the cgroup that dirtied the pages, not to the flusher thread.  Bytes
 *   and bios go to read or write as io.stat sorts them; discards are not
 *   counted.
 * - kretprobe on __blk_throtl_bio(): a true return means blk-throttle held
 *   the bio back at an io.max limit.  The second it happened in counts
 *   into failcnt.
 * - vzbc_io_sample(), called once a second by the tick, turns the
 *   totals into rates: held is the rate over the last sample period, one
 *   second or a little more.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bio.h>
#include <linux/blk-cgroup.h>
#include <linux/blk_types.h>
#include <linux/jiffies.h>
#include <linux/kprobes.h>
#include <linux/math64.h>
#include <linux/seq_file.h>

#include "acct_io.h"
#include "bc_probe.h"
#include "bc_res.h"
#include "bc_tick.h"

/* One IO rate; written by the tick only, read with READ_ONCE. */
struct vzbc_io_rate {
	u64 held;
	u64 maxheld;
	u64 minheld;
	u64 failcnt;	/* seconds with a bio held back by io.max */
	bool sampled;
};

enum { VZBC_IO_BYTES, VZBC_IO_OPS, VZBC_IO_NR };

/*
 * Block IO of one beancounter, its private area.  The totals are the
 * probes' (atomics); the rest is the tick's, under vzbc_tick_mutex
 * (readers use READ_ONCE on rate[]).
 */
struct vzbc_io {
	atomic64_t bytes[2];	/* totals: [0] read, [1] write */
	atomic64_t ops[2];
	atomic_t throttled;	/* blk-throttle held a bio since the last sample */
	/* The tick's own, one sample to the next: */
	u64 last_bytes;
	u64 last_ops;
	unsigned long last_jiffies;
	struct vzbc_io_rate rate[VZBC_IO_NR];
};

static struct vzbc_acct vzbc_io_acct;

static struct vzbc_io *vzbc_io_of(struct vzbc_bc *bc)
{
	return vzbc_bc_priv(bc, &vzbc_io_acct.slot);
}

struct vzbc_bio_charge {
	int dir;		/* 0 read, 1 write */
	u64 bytes;
};

static void vzbc_io_charge(struct vzbc_bc *bc, void *arg)
{
	struct vzbc_bio_charge *c = arg;
	struct vzbc_io *io = vzbc_io_of(bc);

	atomic64_add(c->bytes, &io->bytes[c->dir]);
	atomic64_inc(&io->ops[c->dir]);
}

static struct cgroup *vzbc_bio_cgroup(struct bio *bio)
{
	struct cgroup_subsys_state *css = bio_blkcg_css(bio);

	return css ? css->cgroup : NULL;
}

static void vzbc_probe_bio_queue(void *data, struct bio *bio)
{
	struct vzbc_bio_charge c;
	struct cgroup *cgrp;

	if (!vzbc_any_bc() || op_is_discard(bio->bi_opf))
		return;
	cgrp = vzbc_bio_cgroup(bio);
	if (!cgrp)
		return;
	c.dir = op_is_write(bio_op(bio)) ? 1 : 0;
	c.bytes = bio->bi_iter.bi_size;
	rcu_read_lock();
	vzbc_visit_cgroup_chain(cgrp, vzbc_io_charge, &c);
	rcu_read_unlock();
}

static void vzbc_io_throttled(struct vzbc_bc *bc, void *arg)
{
	atomic_set(&vzbc_io_of(bc)->throttled, 1);
}

struct vzbc_throtl {
	struct cgroup *cgrp;
};

static int vzbc_throtl_entry(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	struct bio *bio = (struct bio *)regs_get_kernel_argument(regs, 0);
	struct vzbc_throtl *t = (struct vzbc_throtl *)ri->data;

	/* The bio pins its blkg, and so the cgroup, until it completes. */
	t->cgrp = vzbc_any_bc() ? vzbc_bio_cgroup(bio) : NULL;
	return 0;
}

static int vzbc_throtl_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct vzbc_throtl *t = (struct vzbc_throtl *)ri->data;

	/* __blk_throtl_bio() returns bool: only the low byte is defined. */
	if (!t->cgrp || !(u8)regs_return_value(regs))
		return 0;
	rcu_read_lock();
	vzbc_visit_cgroup_chain(t->cgrp, vzbc_io_throttled, NULL);
	rcu_read_unlock();
	return 0;
}

static struct kretprobe vzbc_throtl_krp = {
	.kp.symbol_name = "__blk_throtl_bio",
	.entry_handler = vzbc_throtl_entry,
	.handler = vzbc_throtl_ret,
	.data_size = sizeof(struct vzbc_throtl),
};

static u64 vzbc_io_sum(atomic64_t *v)
{
	return atomic64_read(&v[0]) + atomic64_read(&v[1]);
}

static void vzbc_io_bind(struct vzbc_bc *bc, void *priv)
{
	struct vzbc_io *io = priv;

	io->last_jiffies = jiffies;
	io->last_bytes = 0;
	io->last_ops = 0;
}

static void vzbc_io_rate(struct vzbc_io_rate *r, u64 delta, unsigned long dt)
{
	u64 rate = div64_u64(delta * HZ, dt);

	WRITE_ONCE(r->held, rate);
	if (rate > r->maxheld)
		WRITE_ONCE(r->maxheld, rate);
	if (!r->sampled || rate < r->minheld)
		WRITE_ONCE(r->minheld, rate);
	r->sampled = true;
}

/*
 * Which io.max limit held a throttled second back is not said by the
 * kernel: charge it to the resources that have a limit set with
 * VZBC_IOC_SET (ctlvz sets one whenever it writes io.max), or to both
 * when neither has.
 */
static void vzbc_io_charge_throttled(struct vzbc_bc *bc, struct vzbc_io *io)
{
	bool bps = vzbc_bc_limit(bc, VZBC_RES_IOBYTES) != VZBC_UNLIMITED;
	bool iops = vzbc_bc_limit(bc, VZBC_RES_IOPS) != VZBC_UNLIMITED;

	if (bps || !iops)
		WRITE_ONCE(io->rate[VZBC_IO_BYTES].failcnt,
			   io->rate[VZBC_IO_BYTES].failcnt + 1);
	if (iops || !bps)
		WRITE_ONCE(io->rate[VZBC_IO_OPS].failcnt,
			   io->rate[VZBC_IO_OPS].failcnt + 1);
}

/* Called by the tick only (one at a time), about once a second. */
static void vzbc_io_sample(struct vzbc_bc *bc, void *priv, unsigned long now)
{
	struct vzbc_io *io = priv;
	unsigned long dt = now - io->last_jiffies;
	u64 bytes, ops;

	vzbc_tick_assert_held();
	/*
	 * A rate per second needs a second: blk-throttle releases a slice's
	 * allowance (100 ms worth) at once, so a shorter window would read
	 * above the io.max limit (a 0.75 s window of 50 IOPS: 60/s).  After
	 * an early tick (an event kick) the window grows to under 2 s.
	 */
	if (dt < HZ)
		return;
	bytes = vzbc_io_sum(io->bytes);
	ops = vzbc_io_sum(io->ops);
	vzbc_io_rate(&io->rate[VZBC_IO_BYTES], bytes - io->last_bytes, dt);
	vzbc_io_rate(&io->rate[VZBC_IO_OPS], ops - io->last_ops, dt);
	io->last_bytes = bytes;
	io->last_ops = ops;
	io->last_jiffies = now;
	if (atomic_xchg(&io->throttled, 0))
		vzbc_io_charge_throttled(bc, io);
}

static void vzbc_io_stat(struct vzbc_bc *bc, void *priv, u32 res,
			 struct vzbc_stat *st)
{
	struct vzbc_io *io = priv;
	struct vzbc_io_rate *r;

	r = &io->rate[res == VZBC_RES_IOBYTES ? VZBC_IO_BYTES : VZBC_IO_OPS];
	st->flags = VZBC_STAT_ACCOUNTED;
	st->held = READ_ONCE(r->held);
	st->maxheld = READ_ONCE(r->maxheld);
	st->minheld = READ_ONCE(r->minheld);
	st->failcnt = READ_ONCE(r->failcnt);
}

/* /proc/bc/<ctid>/iostat: totals since CREATE. */
static int vzbc_io_show(struct seq_file *m, struct vzbc_bc *bc, void *priv)
{
	struct vzbc_io *io = priv;

	seq_printf(m, "read_bytes %llu\nwrite_bytes %llu\n",
		   (u64)atomic64_read(&io->bytes[0]),
		   (u64)atomic64_read(&io->bytes[1]));
	seq_printf(m, "read_ops %llu\nwrite_ops %llu\n",
		   (u64)atomic64_read(&io->ops[0]),
		   (u64)atomic64_read(&io->ops[1]));
	seq_printf(m, "throttled_seconds_iobytes %llu\nthrottled_seconds_iops %llu\n",
		   READ_ONCE(io->rate[VZBC_IO_BYTES].failcnt),
		   READ_ONCE(io->rate[VZBC_IO_OPS].failcnt));
	return 0;
}

static const struct vzbc_res vzbc_io_res[] = {
	{ VZBC_RES_IOBYTES, VZBC_UNIT_BYTES_PER_SEC, "iobytes" },
	{ VZBC_RES_IOPS, VZBC_UNIT_OPS_PER_SEC, "iops" },
};

static struct vzbc_acct vzbc_io_acct = {
	.name = "io",
	.res = vzbc_io_res,
	.nr_res = ARRAY_SIZE(vzbc_io_res),
	.slot.size = sizeof(struct vzbc_io),
	.bind = vzbc_io_bind,
	.stat = vzbc_io_stat,
	.sample = vzbc_io_sample,
	.proc_file = "iostat",
	.show = vzbc_io_show,
};

static struct vzbc_probe vzbc_io_probes[] = {
	VZBC_PROBE_TP("block_bio_queue", vzbc_probe_bio_queue),
	VZBC_PROBE_KRP(&vzbc_throtl_krp),
};

int vzbc_acct_io_init(void)
{
	int err;

	err = vzbc_acct_register(&vzbc_io_acct);
	if (err)
		return err;
	err = vzbc_probes_register(vzbc_io_probes, ARRAY_SIZE(vzbc_io_probes));
	if (err)
		vzbc_acct_unregister(&vzbc_io_acct);
	return err;
}

void vzbc_acct_io_exit(void)
{
	vzbc_probes_unregister(vzbc_io_probes, ARRAY_SIZE(vzbc_io_probes));
	vzbc_acct_unregister(&vzbc_io_acct);
}
