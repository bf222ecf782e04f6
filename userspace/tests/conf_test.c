// SPDX-License-Identifier: GPL-2.0
/*
 * Config files on the host: a vzctl CTID.conf as OpenVZ writes it parses
 * (comments, $VEID, vzctl's units), keys ctlvz does not use are found once
 * each (lib/import.c), a broken line is refused as file:line: reason, and
 * every shipped plan (etc/ctlvz/conf/) loads with the limits it says
 * (lib/plan.c), an unknown one is refused.
 *
 *   make unit          (runs in userspace/, so ../etc/ctlvz/conf is the tree's)
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "conf.h"
#include "err.h"
#include "import.h"
#include "lim.h"
#include "plan.h"
#include "util.h"

#define SHIPPED "../etc/ctlvz/conf"

static char *write_tmp(struct __test_metadata *_metadata, const char *text)
{
	char *path = xstrdup("/tmp/conf_test.XXXXXX");
	int fd = mkstemp(path);
	FILE *f;

	ASSERT_LE(0, fd);
	f = fdopen(fd, "w");
	ASSERT_NE(NULL, f);
	fputs(text, f);
	ASSERT_EQ(0, fclose(f));
	return path;
}

TEST(vzctl_conf_parses)
{
	_cleanup_free_ char *path = write_tmp(_metadata,
		"# Copyright (C) SWsoft\nONBOOT=\"yes\"\n\nKMEMSIZE=\"14372700:14790164\"\n"
		"PHYSPAGES=\"0:262144P\"\nIOLIMIT=\"10485760\"\nDISKSPACE=\"2G:2.2G\"\n"
		"VE_ROOT=\"/vz/root/$VEID\"\nKMEMSIZE=\"1:2\"   # again\nOSTEMPLATE=centos-7\n");
	_cleanup_kv_ struct kvfile *f = NULL;
	_cleanup_err_ struct ct_err *err = NULL;
	_cleanup_free_ char *unknown = NULL;
	struct ct_limits l = { 0 };

	ASSERT_EQ(0, kv_load(path, false, &f, &err)) TH_LOG("%s", err->msg);
	EXPECT_STREQ("/vz/root/$VEID", kv_get(f, "VE_ROOT"));
	EXPECT_STREQ("1:2", kv_get(f, "KMEMSIZE"));
	EXPECT_STREQ("centos-7", kv_get(f, "OSTEMPLATE"));
	unknown = conf_unknown_keys(f);
	EXPECT_STREQ("KMEMSIZE DISKSPACE", unknown);
	ASSERT_EQ(0, lim_load(&l, f, &err)) TH_LOG("%s", err->msg);
	EXPECT_EQ(262144, l.v[LIM_PHYSPAGES].limit);
	EXPECT_EQ(10485760, l.v[LIM_IOLIMIT].limit);
	lim_free(&l);
	unlink(path);
}

TEST(no_unknown_keys)
{
	_cleanup_kv_ struct kvfile *f = kv_new("/x.conf");

	kv_set(f, "NUMPROC", "100");
	kv_set(f, "NAMESERVER", "192.0.2.1");
	kv_set(f, "ONBOOT", "yes");
	EXPECT_EQ(NULL, conf_unknown_keys(f));
}

TEST(broken_lines_named)
{
	static const struct { const char *text, *why; } cases[] = {
		{ "A=\"1\"\nB=\"2\n", ":2: unterminated quoted value" },
		{ "A=\"1\"\n\n9X=\"1\"\n", ":3: expected KEY=\"value\"" },
		{ "NUMPROC \"1\"\n", ":1: expected '=' after the key" },
		{ "A=1 2\n", ":1: unexpected text after the value" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		_cleanup_free_ char *path = write_tmp(_metadata, cases[i].text);
		_cleanup_free_ char *want = xasprintf("%s%s", path, cases[i].why);
		_cleanup_kv_ struct kvfile *f = NULL;
		_cleanup_err_ struct ct_err *err = NULL;

		EXPECT_EQ(-1, kv_load(path, false, &f, &err));
		ASSERT_NE(NULL, err);
		EXPECT_EQ(VZ_INVALID_CONFIG, err->status);
		EXPECT_STREQ(want, err->msg);
		unlink(path);
	}
}

static const struct ct_paths shipped = { .confdir = SHIPPED };

TEST(shipped_plans_load)
{
	static const struct { const char *name; uint64_t numproc, ram, swap; } plans[] = {
		{ "basic", 240, LIM_UNLIMITED, LIM_UNLIMITED },
		{ "vswap-256m", 512, 65536, 131072 },
		{ "vswap-512m", 1024, 131072, 262144 },
		{ "vswap-1g", 2048, 262144, 524288 },
		{ "vswap-2g", 4096, 524288, 1048576 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(plans); i++) {
		_cleanup_(lim_free) struct ct_limits l = { 0 };
		_cleanup_err_ struct ct_err *err = NULL;

		ASSERT_EQ(0, plan_load(&shipped, plans[i].name, "/", NULL, &l, &err))
			TH_LOG("%s: %s", plans[i].name, err->msg);
		EXPECT_EQ(plans[i].numproc, l.v[LIM_NUMPROC].limit) TH_LOG("%s", plans[i].name);
		EXPECT_EQ(plans[i].ram, l.v[LIM_PHYSPAGES].limit) TH_LOG("%s", plans[i].name);
		EXPECT_EQ(plans[i].swap, l.v[LIM_SWAPPAGES].limit) TH_LOG("%s", plans[i].name);
		EXPECT_TRUE(l.v[LIM_CPUUNITS].set);
		EXPECT_TRUE(l.v[LIM_CPULIMIT].set);
	}
}

TEST(unknown_plan_refused)
{
	static const char *const bad[] = { "nope", "../ve-x", ".hidden", "a/b", "" };
	_cleanup_(lim_free) struct ct_limits l = { 0 };

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		_cleanup_err_ struct ct_err *err = NULL;

		EXPECT_EQ(-1, plan_load(&shipped, bad[i], "/", NULL, &l, &err)) TH_LOG("%s", bad[i]);
		ASSERT_NE(NULL, err);
		EXPECT_EQ(VZ_INVALID_PARAMETER_VALUE, err->status);
		EXPECT_FALSE(lim_any(&l));
	}
}

TEST(broken_plan_names_file_and_line)
{
	_cleanup_free_ char *dir = xstrdup("/tmp/conf_test_plans.XXXXXX");
	_cleanup_free_ char *path = NULL, *want = NULL;
	_cleanup_(lim_free) struct ct_limits l = { 0 };
	_cleanup_err_ struct ct_err *err = NULL;
	struct ct_paths p = { 0 };
	FILE *f;

	ASSERT_NE(NULL, mkdtemp(dir));
	path = xasprintf("%s/ve-bad.conf-sample", dir);
	f = fopen(path, "w");
	ASSERT_NE(NULL, f);
	fputs("NUMPROC=\"100:100\"\nPHYSPAGES=\"0:64Q\"\n", f);
	ASSERT_EQ(0, fclose(f));
	p.confdir = dir;
	EXPECT_EQ(-1, plan_load(&p, "bad", "/", NULL, &l, &err));
	want = xasprintf("config \"bad\": %s: PHYSPAGES: invalid value \"0:64Q\": the suffix "
			 "must be K, M, G or T (or P: pages, B: bytes)", path);
	EXPECT_STREQ(want, err->msg);
	EXPECT_FALSE(lim_any(&l));
	unlink(path);
	rmdir(dir);
}

TEST_HARNESS_MAIN
