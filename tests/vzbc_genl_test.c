// SPDX-License-Identifier: GPL-2.0
/*
 * The VZBC generic netlink family: GET, the resumable DUMP, the "events"
 * multicast group, permissions and malformed requests.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/capability.h>

#include "kselftest_harness.h"
#include "cg.h"
#include "priv.h"
#include "genl.h"
#include "vzbc.h"

#define NR_DUMP_BCS 60

static char buf[GENL_BUF_SIZE];

FIXTURE(genl) {
	int dev;
	int sk;
	uint16_t family;
	uint32_t events_grp;
	char cg[CG_PATH_MAX];
	uint32_t ctid;
};

FIXTURE_SETUP(genl)
{
	int cgfd;

	self->dev = vzbc_open();
	ASSERT_LE(0, self->dev);
	self->sk = genl_socket();
	ASSERT_LE(0, self->sk);
	ASSERT_EQ(0, genl_resolve(self->sk, VZBC_GENL_NAME,
				  VZBC_GENL_MCGRP_EVENTS, &self->family,
				  &self->events_grp));
	ASSERT_NE(0, self->events_grp);
	ASSERT_EQ(0, cg_create_unique("genl", self->cg, sizeof(self->cg)));
	cgfd = cg_open(self->cg);
	ASSERT_LE(0, cgfd);
	self->ctid = vzbc_test_ctid(0);
	ASSERT_EQ(0, vzbc_create(self->dev, self->ctid, cgfd));
	close(cgfd);
}

FIXTURE_TEARDOWN(genl)
{
	unsigned int i;

	for (i = 0; i < NR_DUMP_BCS + 1; i++)
		vzbc_destroy(self->dev, vzbc_test_ctid(i));
	cg_destroy(self->cg);
	close(self->sk);
	close(self->dev);
}

/* Sends GET for @ctid and parses the reply; -errno from the kernel. */
static int genl_get(int sk, uint16_t family, uint32_t ctid, struct genl_bc *bc)
{
	struct genl_msg m;
	ssize_t n;
	int err;

	genl_msg_init(&m, family, VZBC_CMD_GET, 0);
	genl_put_u32(&m, VZBC_A_CTID, ctid);
	err = genl_send(sk, &m);
	if (err)
		return err;
	n = genl_recv(sk, buf, sizeof(buf), 5000);
	if (n < 0)
		return n;
	err = genl_first_error(buf, n);
	if (err != 1)
		return err;
	return genl_parse_bc((struct nlmsghdr *)buf, bc);
}

static const struct genl_bc_res *find_res(const struct genl_bc *bc,
					  uint32_t id)
{
	int i;

	for (i = 0; i < bc->nr_res; i++)
		if (bc->res[i].id == id)
			return &bc->res[i];
	return NULL;
}

TEST_F(genl, get_matches_ioctl)
{
	const struct genl_bc_res *r;
	struct vzbc_stat st;
	struct genl_bc bc;
	unsigned int i;

	ASSERT_EQ(0, vzbc_set(self->dev, self->ctid, VZBC_RES_NUMPROC, 40, 50));
	ASSERT_EQ(0, genl_get(self->sk, self->family, self->ctid, &bc));
	ASSERT_EQ(self->ctid, bc.ctid);
	ASSERT_EQ(VZBC_NR_RES, (unsigned int)bc.nr_res);
	for (i = 0; i < VZBC_NR_RES; i++) {
		/* Resource order is the ioctl's and OpenVZ's. */
		ASSERT_EQ(vzbc_res_ids[i], bc.res[i].id);
		ASSERT_EQ(0, vzbc_get_res(self->dev, self->ctid,
					  vzbc_res_ids[i], &st));
		EXPECT_EQ(st.flags, bc.res[i].flags);
		EXPECT_EQ(st.barrier, bc.res[i].barrier);
		EXPECT_EQ(st.limit, bc.res[i].limit);
		EXPECT_EQ(st.failcnt, bc.res[i].failcnt);
	}
	r = find_res(&bc, VZBC_RES_NUMPROC);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(40, r->barrier);
	EXPECT_EQ(50, r->limit);
	EXPECT_EQ(0, r->held);	/* the cgroup is empty */
}

TEST_F(genl, get_errors)
{
	struct genl_msg m;
	struct genl_bc bc;
	uint8_t small = 1;
	ssize_t n;

	/* No such beancounter. */
	ASSERT_EQ(-ENOENT, genl_get(self->sk, self->family,
				    vzbc_test_ctid(NR_DUMP_BCS), &bc));
	/* Out of the policy's range. */
	ASSERT_EQ(-ERANGE, genl_get(self->sk, self->family, 0, &bc));
	EXPECT_EQ(-ERANGE, genl_get(self->sk, self->family, 0x80000000u, &bc));

	/* No ctid at all. */
	genl_msg_init(&m, self->family, VZBC_CMD_GET, NLM_F_ACK);
	ASSERT_EQ(0, genl_send(self->sk, &m));
	n = genl_recv(self->sk, buf, sizeof(buf), 5000);
	ASSERT_LT(0, n);
	EXPECT_EQ(-EINVAL, genl_first_error(buf, n));

	/* A u32 attribute one byte long. */
	genl_msg_init(&m, self->family, VZBC_CMD_GET, NLM_F_ACK);
	genl_put(&m, VZBC_A_CTID, &small, sizeof(small));
	ASSERT_EQ(0, genl_send(self->sk, &m));
	n = genl_recv(self->sk, buf, sizeof(buf), 5000);
	ASSERT_LT(0, n);
	EXPECT_GT(0, genl_first_error(buf, n));

	/* An attribute type the family does not know (strict validation). */
	genl_msg_init(&m, self->family, VZBC_CMD_GET, NLM_F_ACK);
	genl_put_u32(&m, VZBC_A_CTID, self->ctid);
	genl_put_u32(&m, VZBC_A_MAX + 5, 1);
	ASSERT_EQ(0, genl_send(self->sk, &m));
	n = genl_recv(self->sk, buf, sizeof(buf), 5000);
	ASSERT_LT(0, n);
	EXPECT_GT(0, genl_first_error(buf, n));

	/* A command number the family does not have. */
	genl_msg_init(&m, self->family, VZBC_CMD_MAX + 3, NLM_F_ACK);
	ASSERT_EQ(0, genl_send(self->sk, &m));
	n = genl_recv(self->sk, buf, sizeof(buf), 5000);
	ASSERT_LT(0, n);
	EXPECT_EQ(-EOPNOTSUPP, genl_first_error(buf, n));

	/* EVENT is the kernel's to send, not a request. */
	genl_msg_init(&m, self->family, VZBC_CMD_EVENT, NLM_F_ACK);
	ASSERT_EQ(0, genl_send(self->sk, &m));
	n = genl_recv(self->sk, buf, sizeof(buf), 5000);
	ASSERT_LT(0, n);
	EXPECT_EQ(-EOPNOTSUPP, genl_first_error(buf, n));
}

/*
 * Dump more beancounters than one message holds: each exactly once, in
 * ctid order, so the cursor resumes where it stopped.
 */
TEST_F(genl, dump_all_once_in_order)
{
	char cgs[NR_DUMP_BCS][CG_PATH_MAX];
	int seen[NR_DUMP_BCS] = { 0 };
	unsigned int i, parts = 0;
	uint32_t last = 0;
	struct genl_msg m;
	bool done = false;

	for (i = 1; i < NR_DUMP_BCS; i++) {
		char name[16];
		int fd;

		snprintf(name, sizeof(name), "d%u", i);
		ASSERT_EQ(0, cg_create_child(self->cg, name, cgs[i],
					     CG_PATH_MAX));
		fd = cg_open(cgs[i]);
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, vzbc_create(self->dev, vzbc_test_ctid(i), fd));
		close(fd);
	}
	genl_msg_init(&m, self->family, VZBC_CMD_GET, NLM_F_DUMP);
	ASSERT_EQ(0, genl_send(self->sk, &m));
	while (!done) {
		struct nlmsghdr *nlh;
		ssize_t n = genl_recv(self->sk, buf, sizeof(buf), 5000);

		ASSERT_LT(0, n);
		parts++;
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, (size_t)n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			struct genl_bc bc;
			uint32_t ctid0 = vzbc_test_ctid(0);

			if (nlh->nlmsg_type == NLMSG_DONE) {
				done = true;
				break;
			}
			ASSERT_EQ(self->family, nlh->nlmsg_type);
			ASSERT_EQ(0, genl_parse_bc(nlh, &bc));
			ASSERT_LT(last, bc.ctid);
			last = bc.ctid;
			ASSERT_EQ(VZBC_NR_RES, (unsigned int)bc.nr_res);
			if (bc.ctid >= ctid0 && bc.ctid < ctid0 + NR_DUMP_BCS)
				seen[bc.ctid - ctid0]++;
		}
	}
	for (i = 0; i < NR_DUMP_BCS; i++)
		EXPECT_EQ(1, seen[i]);
	/* 60 beancounters do not fit one dump message: the cursor was used. */
	EXPECT_LT(1, parts);
}

/*
 * The next event about @ctid that @sk receives before @deadline (now_ms()):
 * 1 with it in *@bc, 0 once the deadline has passed, or -errno (-EINVAL for
 * an event of the family that does not parse).  A datagram carries one event.
 */
static int next_event(int sk, uint16_t family, uint32_t ctid, int64_t deadline,
		      struct genl_bc *bc)
{
	while (now_ms() < deadline) {
		struct nlmsghdr *nlh;
		ssize_t n = genl_recv(sk, buf, sizeof(buf), 500);

		if (n == -ETIMEDOUT)
			continue;
		if (n < 0)
			return n;
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, (size_t)n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_type != family)
				continue;
			if (genl_parse_bc(nlh, bc))
				return -EINVAL;
			if (bc->ctid == ctid)
				return 1;
		}
	}
	return 0;
}

/* Forks refused at pids.max reach the events group as a numproc event. */
TEST_F(genl, failcnt_event)
{
	int grp = self->events_grp;
	bool got = false;
	int64_t deadline;
	pid_t child;
	int status;

	ASSERT_EQ(0, setsockopt(self->sk, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
				&grp, sizeof(grp)));
	ASSERT_EQ(0, cg_write(self->cg, "pids.max", "2"));
	child = cg_fork_into(self->cg);
	ASSERT_LE(0, child);
	if (child == 0) {
		int i, refused = 0;

		/* Two tasks allowed: this one and one child. */
		for (i = 0; i < 5; i++) {
			pid_t p = fork();

			if (p == 0) {
				pause();
				_exit(0);
			}
			if (p < 0 && errno == EAGAIN)
				refused++;
		}
		_exit(refused);
	}
	ASSERT_EQ(child, waitpid(child, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(4, WEXITSTATUS(status));

	deadline = now_ms() + 5000;
	while (!got) {
		struct genl_bc bc;
		int ret = next_event(self->sk, self->family, self->ctid, deadline, &bc);

		ASSERT_LE(0, ret) TH_LOG("events: %s", strerror(-ret));
		if (!ret)
			break;
		ASSERT_EQ(VZBC_EVENT_FAILCNT, bc.event);
		ASSERT_EQ(1, bc.nr_res);
		ASSERT_EQ(VZBC_RES_NUMPROC, bc.res[0].id);
		ASSERT_LT(0, bc.res[0].failcnt);
		ASSERT_GE(4, bc.res[0].failcnt);
		EXPECT_EQ(0, bc.dropped);
		got = true;
	}
	ASSERT_TRUE(got);
	cg_kill_wait(self->cg);
}

/* A held above the barrier is announced once, when it crosses. */
TEST_F(genl, barrier_event)
{
	int grp = self->events_grp;
	pid_t kids[3];
	int64_t deadline;
	int i, events = 0;

	ASSERT_EQ(0, setsockopt(self->sk, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
				&grp, sizeof(grp)));
	ASSERT_EQ(0, vzbc_set(self->dev, self->ctid, VZBC_RES_NUMPROC, 2, 10));
	for (i = 0; i < 3; i++) {
		kids[i] = cg_fork_into(self->cg);
		ASSERT_LE(0, kids[i]);
		if (kids[i] == 0) {
			pause();
			_exit(0);
		}
	}
	deadline = now_ms() + 4000;	/* several ticks */
	for (;;) {
		struct genl_bc bc;
		int ret = next_event(self->sk, self->family, self->ctid, deadline, &bc);

		ASSERT_LE(0, ret) TH_LOG("events: %s", strerror(-ret));
		if (!ret)
			break;
		ASSERT_EQ(VZBC_EVENT_BARRIER, bc.event);
		ASSERT_EQ(VZBC_RES_NUMPROC, bc.res[0].id);
		ASSERT_EQ(3, bc.res[0].held);
		ASSERT_EQ(2, bc.res[0].barrier);
		events++;
	}
	EXPECT_EQ(1, events);
	for (i = 0; i < 3; i++)
		kill_reap(kids[i]);
}

/* The dump is the host's data; the events group too. */
TEST_F(genl, permissions)
{
	int grp = self->events_grp;
	struct genl_msg m;
	ssize_t n;

	ASSERT_EQ(0, cap_drop(CAP_NET_ADMIN));
	genl_msg_init(&m, self->family, VZBC_CMD_GET, NLM_F_DUMP);
	ASSERT_EQ(0, genl_send(self->sk, &m));
	n = genl_recv(self->sk, buf, sizeof(buf), 5000);
	ASSERT_LT(0, n);
	EXPECT_EQ(-EPERM, genl_first_error(buf, n));

	ASSERT_EQ(0, cap_drop(CAP_SYS_ADMIN));
	EXPECT_EQ(-1, setsockopt(self->sk, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
				 &grp, sizeof(grp)));
	EXPECT_EQ(EPERM, errno);
}

TEST_HARNESS_MAIN
