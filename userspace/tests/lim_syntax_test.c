// SPDX-License-Identifier: GPL-2.0
/*
 * The limit syntax (lib/lim_syntax.c) on the host, in milliseconds: vzctl's
 * barrier:limit, the K/M/G/T suffixes, "unlimited", pages, the config keys,
 * and every way a value can be wrong.  A refused value must leave the
 * limits as they were and name the reason.
 *
 *   make unit          (builds and runs every test in userspace/tests/)
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <string.h>

#include <linux/vzbc.h>

#include "kselftest_harness.h"

#include "conf.h"
#include "err.h"
#include "lim.h"
#include "util.h"

#define KIB	1024ULL
#define MIB	(KIB * KIB)
#define GIB	(MIB * KIB)
#define TIB	(GIB * KIB)

/*
 * Parses @text as limit @id into a fresh struct; on success checks the
 * barrier and limit, on failure that nothing was set and the message says
 * @why about @text.  @why NULL: the value must be accepted.
 */
static void check(struct __test_metadata *_metadata, enum lim_id id, const char *text,
		  uint64_t barrier, uint64_t limit, const char *why)
{
	struct ct_limits l = { 0 };
	_cleanup_err_ struct ct_err *err = NULL;
	int r = lim_parse(&l, id, text, &err);

	if (!why) {
		ASSERT_EQ(0, r) TH_LOG("%s %s: %s", lim_option(id), text, err ? err->msg : "?");
		ASSERT_TRUE(l.v[id].set);
		EXPECT_EQ(barrier, l.v[id].barrier) TH_LOG("%s %s", lim_option(id), text);
		EXPECT_EQ(limit, l.v[id].limit) TH_LOG("%s %s", lim_option(id), text);
		return;
	}
	ASSERT_GT(0, r) TH_LOG("%s \"%s\" was accepted", lim_option(id), text);
	ASSERT_NE(NULL, err);
	EXPECT_EQ(VZ_INVALID_PARAMETER_VALUE, err->status);
	EXPECT_FALSE(l.v[id].set) TH_LOG("a refused value was stored");
	{
		char *quoted = NULL;

		ASSERT_LT(0, asprintf(&quoted, "invalid value \"%s\": %s", text, why));
		EXPECT_STREQ(quoted, err->msg);
		free(quoted);
	}
}

/* One value: accepted as barrier:limit, or refused with why. */
struct lim_case {
	enum lim_id id;
	const char *text;
	uint64_t barrier, limit;
	const char *why;
};

#define OK(id, text, b, l)	{ id, text, b, l, NULL }
#define BAD(id, text, why)	{ id, text, 0, 0, why }

#define CASES(...) do {							\
	static const struct lim_case __c[] = { __VA_ARGS__ };		\
									\
	for (size_t __i = 0; __i < ARRAY_SIZE(__c); __i++)		\
		check(_metadata, __c[__i].id, __c[__i].text,		\
		      __c[__i].barrier, __c[__i].limit, __c[__i].why);	\
} while (0)

TEST(counts)
{
	CASES(
		OK(LIM_NUMPROC, "100", 100, 100),
		OK(LIM_NUMPROC, "100:200", 100, 200),
		OK(LIM_NUMPROC, "2147483647", 2147483647, 2147483647),
		OK(LIM_IOPSLIMIT, "500", 500, 500),
		OK(LIM_CPUS, "2", 2, 2),
		OK(LIM_CPUUNITS, "1000", 1000, 1000),
		OK(LIM_CPUUNITS, "8", 8, 8));
}

TEST(pages_and_sizes)
{
	CASES(
		/* A bare number is pages; a size is rounded up to whole pages. */
		OK(LIM_PHYSPAGES, "65536", 65536, 65536),
		OK(LIM_PHYSPAGES, "256M", 256 * MIB / 4096, 256 * MIB / 4096),
		OK(LIM_PHYSPAGES, "1G:2G", GIB / 4096, 2 * GIB / 4096),
		OK(LIM_PHYSPAGES, "1k", 1, 1),
		OK(LIM_PHYSPAGES, "5K", 2, 2),
		OK(LIM_PHYSPAGES, "1T", TIB / 4096, TIB / 4096),
		OK(LIM_PHYSPAGES, "128m:1g", 128 * MIB / 4096, GIB / 4096),
		/* vzctl's P (pages) and B (bytes, rounded up to pages). */
		OK(LIM_PHYSPAGES, "0:65536P", 0, 65536),
		OK(LIM_PHYSPAGES, "4096B:4097b", 1, 2),
		OK(LIM_SWAPPAGES, "0:1p", 0, 1),
		OK(LIM_SWAPPAGES, "0", 0, 0),
		OK(LIM_SWAPPAGES, "0:0", 0, 0));
}

TEST(rates)
{
	CASES(
		/* vzctl: a bare --iolimit is MB/s, 0 is "no limit". */
		OK(LIM_IOLIMIT, "10", 10 * MIB, 10 * MIB),
		OK(LIM_IOLIMIT, "512K", 512 * KIB, 512 * KIB),
		OK(LIM_IOLIMIT, "1G", GIB, GIB),
		OK(LIM_IOLIMIT, "1000B", 1000, 1000),
		OK(LIM_IOLIMIT, "0", LIM_UNLIMITED, LIM_UNLIMITED),
		OK(LIM_IOPSLIMIT, "0", LIM_UNLIMITED, LIM_UNLIMITED),
		OK(LIM_CPULIMIT, "50", 50, 50),
		OK(LIM_CPULIMIT, "150%", 150, 150),
		OK(LIM_CPULIMIT, "0", LIM_UNLIMITED, LIM_UNLIMITED));
}

TEST(unlimited)
{
	CASES(
		OK(LIM_NUMPROC, "unlimited", LIM_UNLIMITED, LIM_UNLIMITED),
		OK(LIM_NUMPROC, "100:unlimited", 100, LIM_UNLIMITED),
		OK(LIM_PHYSPAGES, "unlimited:unlimited", LIM_UNLIMITED, LIM_UNLIMITED),
		OK(LIM_IOLIMIT, "unlimited", LIM_UNLIMITED, LIM_UNLIMITED),
		BAD(LIM_NUMPROC, "unlimited:100", "the barrier is above the limit"),
		BAD(LIM_NUMPROC, "Unlimited", "not a number (or \"unlimited\")"),
		BAD(LIM_NUMPROC, "unlimitedx", "not a number (or \"unlimited\")"));
}

TEST(bad_suffix)
{
	CASES(
		BAD(LIM_PHYSPAGES, "64Q", "the suffix must be K, M, G or T (or P: pages, B: bytes)"),
		BAD(LIM_PHYSPAGES, "64MB", "the suffix must be K, M, G or T (or P: pages, B: bytes)"),
		BAD(LIM_PHYSPAGES, "1G:64Q", "the suffix must be K, M, G or T (or P: pages, B: bytes)"),
		BAD(LIM_IOLIMIT, "4T", "the suffix must be K, M or G (or B: bytes/s)"),
		BAD(LIM_IOLIMIT, "4x", "the suffix must be K, M or G (or B: bytes/s)"),
		BAD(LIM_IOLIMIT, "4P", "the suffix must be K, M or G (or B: bytes/s)"),
		BAD(LIM_PHYSPAGES, "M", "not a number (or \"unlimited\")"));
}

TEST(suffix_on_a_count)
{
	CASES(
		/* Counts, percentages and CPUs take no size suffix. */
		BAD(LIM_NUMPROC, "10K", "not a number (or \"unlimited\")"),
		BAD(LIM_IOPSLIMIT, "1M", "not a number (or \"unlimited\")"),
		BAD(LIM_CPUS, "2G", "not a number (or \"unlimited\")"),
		BAD(LIM_CPUUNITS, "1000%", "not a number (or \"unlimited\")"),
		BAD(LIM_CPULIMIT, "50%%", "not a number (or \"unlimited\")"));
}

TEST(not_numbers)
{
	CASES(
		BAD(LIM_NUMPROC, "", "not a number (or \"unlimited\")"),
		BAD(LIM_NUMPROC, "-1", "not a number (or \"unlimited\")"),
		BAD(LIM_NUMPROC, "+1", "not a number (or \"unlimited\")"),
		BAD(LIM_NUMPROC, " 1", "not a number (or \"unlimited\")"),
		BAD(LIM_NUMPROC, "1 ", "not a number (or \"unlimited\")"),
		BAD(LIM_NUMPROC, "0x10", "not a number (or \"unlimited\")"),
		BAD(LIM_NUMPROC, "1.5", "not a number (or \"unlimited\")"),
		BAD(LIM_NUMPROC, "100:", "not a number (or \"unlimited\")"),
		BAD(LIM_NUMPROC, ":100", "not a number (or \"unlimited\")"),
		BAD(LIM_NUMPROC, "1:2:3", "not a number (or \"unlimited\")"));
}

TEST(overflow_and_range)
{
	CASES(
		BAD(LIM_NUMPROC, "2147483648", "too large"),
		BAD(LIM_NUMPROC, "18446744073709551615", "too large"),
		BAD(LIM_NUMPROC, "18446744073709551616", "too large"),
		BAD(LIM_NUMPROC, "99999999999999999999999999", "too large"),
		BAD(LIM_PHYSPAGES, "18446744073709551615", "too large"),
		/* The multiplication overflows 64 bits. */
		BAD(LIM_PHYSPAGES, "16777216T", "too large"),
		BAD(LIM_IOLIMIT, "18446744073709551615G", "too large"),
		/* Pages whose bytes pass INT64_MAX. */
		BAD(LIM_PHYSPAGES, "2251799813685248", "too large"),
		OK(LIM_PHYSPAGES, "2251799813685247", 2251799813685247ULL, 2251799813685247ULL),
		BAD(LIM_CPULIMIT, "100001", "too large"),
		BAD(LIM_CPUS, "4097", "too large"),
		BAD(LIM_CPUUNITS, "7", "too small"),
		BAD(LIM_CPUUNITS, "500001", "too large"));
}

TEST(barrier_and_limit)
{
	CASES(
		BAD(LIM_NUMPROC, "200:100", "the barrier is above the limit"),
		BAD(LIM_NUMPROC, "101:100", "the barrier is above the limit"),
		BAD(LIM_PHYSPAGES, "2G:1G", "the barrier is above the limit"),
		OK(LIM_PHYSPAGES, "1G:1G", GIB / 4096, GIB / 4096),
		BAD(LIM_IOLIMIT, "1:2", "takes one value, not barrier:limit"),
		BAD(LIM_CPULIMIT, "50:60", "takes one value, not barrier:limit"),
		BAD(LIM_NUMPROC, "0", "a limit of 0 leaves nothing to run with"),
		BAD(LIM_NUMPROC, "0:0", "a limit of 0 leaves nothing to run with"),
		BAD(LIM_PHYSPAGES, "0", "a limit of 0 leaves nothing to run with"),
		OK(LIM_PHYSPAGES, "0:100", 0, 100));
}

TEST(shorthands)
{
	struct ct_limits l = { 0 };
	_cleanup_err_ struct ct_err *err = NULL;

	ASSERT_EQ(0, lim_parse_shorthand(&l, "ram", "512M", &err));
	EXPECT_EQ(0, l.v[LIM_PHYSPAGES].barrier);
	EXPECT_EQ(512 * MIB / 4096, l.v[LIM_PHYSPAGES].limit);
	ASSERT_EQ(0, lim_parse_shorthand(&l, "swap", "0", &err));
	EXPECT_TRUE(l.v[LIM_SWAPPAGES].set);
	EXPECT_EQ(0, l.v[LIM_SWAPPAGES].limit);
	ASSERT_GT(0, lim_parse_shorthand(&l, "ram", "1:2", &err));
	EXPECT_STREQ("invalid value \"1:2\": takes one size, not barrier:limit", err->msg);
	/* Messages quote what the user typed, not the 0:X it became. */
	ASSERT_GT(0, lim_parse_shorthand(&l, "ram", "64Q", &err));
	EXPECT_STREQ("invalid value \"64Q\": the suffix must be K, M, G or T "
		     "(or P: pages, B: bytes)", err->msg);
	/* The refused --ram left the earlier one alone. */
	EXPECT_EQ(512 * MIB / 4096, l.v[LIM_PHYSPAGES].limit);
}

TEST(names_and_keys)
{
	static const char *const opts[LIM_NR] = {
		"numproc", "physpages", "swappages", "iolimit", "iopslimit",
		"cpulimit", "cpus", "cpuunits",
	};

	for (int id = 0; id < LIM_NR; id++) {
		char key[32];

		EXPECT_STREQ(opts[id], lim_option(id));
		for (size_t i = 0; i <= strlen(opts[id]); i++)
			key[i] = opts[id][i] >= 'a' ? opts[id][i] - 'a' + 'A' : opts[id][i];
		EXPECT_STREQ(key, lim_key(id));
	}
	EXPECT_EQ(VZBC_RES_NUMPROC, lim_vzbc_res(LIM_NUMPROC));
	EXPECT_EQ(VZBC_RES_PHYSPAGES, lim_vzbc_res(LIM_PHYSPAGES));
	EXPECT_EQ(VZBC_RES_SWAPPAGES, lim_vzbc_res(LIM_SWAPPAGES));
	EXPECT_EQ(VZBC_RES_IOBYTES, lim_vzbc_res(LIM_IOLIMIT));
	EXPECT_EQ(VZBC_RES_IOPS, lim_vzbc_res(LIM_IOPSLIMIT));
	EXPECT_EQ(0, lim_vzbc_res(LIM_CPULIMIT));
}

/* The config keys as lim_store() writes them and lim_load() reads them back. */
TEST(store_and_load)
{
	_cleanup_kv_ struct kvfile *conf = kv_new("/etc/vz/conf/101.conf");
	struct ct_limits in = { 0 }, out = { 0 };
	_cleanup_err_ struct ct_err *err = NULL;

	ASSERT_EQ(0, lim_parse(&in, LIM_NUMPROC, "100:unlimited", &err));
	ASSERT_EQ(0, lim_parse_shorthand(&in, "ram", "256M", &err));
	ASSERT_EQ(0, lim_parse(&in, LIM_IOLIMIT, "10", &err));
	ASSERT_EQ(0, lim_parse(&in, LIM_IOPSLIMIT, "0", &err));
	ASSERT_EQ(0, lim_parse(&in, LIM_CPULIMIT, "25%", &err));
	in.iodevices = strv_push(xzalloc(sizeof(char *)), "/dev/vda");
	in.iodevices = strv_push(in.iodevices, "8:0");
	EXPECT_TRUE(lim_any(&in));
	lim_store(&in, conf);
	EXPECT_STREQ("100:unlimited", kv_get(conf, "NUMPROC"));
	EXPECT_STREQ("0:65536", kv_get(conf, "PHYSPAGES"));
	EXPECT_STREQ("10M", kv_get(conf, "IOLIMIT"));
	EXPECT_STREQ("unlimited", kv_get(conf, "IOPSLIMIT"));
	EXPECT_STREQ("25", kv_get(conf, "CPULIMIT"));
	EXPECT_STREQ("/dev/vda 8:0", kv_get(conf, "IODEVICES"));
	EXPECT_EQ(NULL, kv_get(conf, "SWAPPAGES"));

	ASSERT_EQ(0, lim_load(&out, conf, &err));
	for (int id = 0; id < LIM_NR; id++) {
		EXPECT_EQ(in.v[id].set, out.v[id].set) TH_LOG("%s", lim_key(id));
		EXPECT_EQ(in.v[id].barrier, out.v[id].barrier) TH_LOG("%s", lim_key(id));
		EXPECT_EQ(in.v[id].limit, out.v[id].limit) TH_LOG("%s", lim_key(id));
	}
	ASSERT_NE(NULL, out.iodevices);
	EXPECT_STREQ("/dev/vda", out.iodevices[0]);
	EXPECT_STREQ("8:0", out.iodevices[1]);
	EXPECT_EQ(NULL, out.iodevices[2]);
	lim_free(&in);
	lim_free(&out);
}

/* An OpenVZ CTID.conf: IOLIMIT in bytes/s, sizes with P and B. */
TEST(load_vzctl_units)
{
	_cleanup_kv_ struct kvfile *conf = kv_new("/etc/vz/conf/101.conf");
	_cleanup_kv_ struct kvfile *back = kv_new("/etc/vz/conf/101.conf");
	struct ct_limits l = { 0 }, again = { 0 };
	_cleanup_err_ struct ct_err *err = NULL;

	kv_set(conf, "IOLIMIT", "10485760");
	kv_set(conf, "PHYSPAGES", "0:262144P");
	kv_set(conf, "SWAPPAGES", "0:536870912B");
	ASSERT_EQ(0, lim_load(&l, conf, &err)) TH_LOG("%s", err->msg);
	EXPECT_EQ(10 * MIB, l.v[LIM_IOLIMIT].limit);
	EXPECT_EQ(262144, l.v[LIM_PHYSPAGES].limit);
	EXPECT_EQ(131072, l.v[LIM_SWAPPAGES].limit);
	/* A rate that is no whole KiB is stored in bytes and reads back. */
	ASSERT_EQ(0, lim_parse(&l, LIM_IOLIMIT, "1000B", &err));
	lim_store(&l, back);
	EXPECT_STREQ("1000", kv_get(back, "IOLIMIT"));
	ASSERT_EQ(0, lim_load(&again, back, &err));
	EXPECT_EQ(1000, again.v[LIM_IOLIMIT].limit);
	lim_free(&l);
	lim_free(&again);
}

TEST(load_refuses_a_bad_key)
{
	_cleanup_kv_ struct kvfile *conf = kv_new("/etc/vz/conf/101.conf");
	struct ct_limits l = { 0 };
	_cleanup_err_ struct ct_err *err = NULL;

	kv_set(conf, "NUMPROC", "100");
	kv_set(conf, "SWAPPAGES", "1:2:3");
	ASSERT_GT(0, lim_load(&l, conf, &err));
	EXPECT_EQ(VZ_INVALID_PARAMETER_VALUE, err->status);
	EXPECT_STREQ("/etc/vz/conf/101.conf: SWAPPAGES: invalid value \"1:2:3\": "
		     "not a number (or \"unlimited\")", err->msg);
	lim_free(&l);
}

TEST_HARNESS_MAIN
