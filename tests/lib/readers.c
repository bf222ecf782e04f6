// SPDX-License-Identifier: GPL-2.0
/*
 * Readers of every interface of the module, for the churn tests (readers.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "cg.h"
#include "fuzz.h"
#include "genl.h"
#include "readers.h"
#include "vzbc.h"

/* Readers pause between reads so that they do not starve the churn. */
#define READER_PAUSE_US	2000

void fails_init(struct fails *f)
{
	memset(f, 0, sizeof(*f));
	pthread_mutex_init(&f->lock, NULL);
}

void fails_add(struct fails *f, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&f->lock);
	if (f->n < FAILS_MAX) {
		va_start(ap, fmt);
		vsnprintf(f->msg[f->n], sizeof(f->msg[0]), fmt, ap);
		va_end(ap);
	}
	f->n++;
	pthread_mutex_unlock(&f->lock);
}

static void read_proc(struct reader *r, struct fz_rng *rng)
{
	static const char *const files[] = { UBC_PROC, BC_PROC_DIR "/resources" };
	struct ubc_file *f = malloc(sizeof(*f));
	char path[64], err[160];
	const char *file;
	char *text;
	int ret;

	if (!f) {
		fails_add(r->fails, "out of memory");
		return;
	}
	if (fz_chance(rng, 50)) {
		file = fz_pick(rng, files);
	} else {
		snprintf(path, sizeof(path), BC_PROC_DIR "/%u/%s",
			 r->base + fz_below(rng, r->span),
			 fz_chance(rng, 70) ? "resources" : "iostat");
		file = path;
	}
	text = read_text(file, &ret);
	r->reads++;
	if (!text) {
		/* A beancounter's directory comes and goes; the rest stays. */
		if (file != path || (ret != -ENOENT && ret != -EIO))
			fails_add(r->fails, "read %s: %s", file, strerror(-ret));
		free(f);
		return;
	}
	if (file == path) {
		struct ubc_row row;

		if (!strstr(file, "iostat") && ubc_find_row(text, "numproc", &row) != 1)
			fails_add(r->fails, "%s has no numproc row:\n%.200s", file, text);
	} else if (ubc_parse(text, f)) {
		fails_add(r->fails, "%s does not parse: %s", file, f->err);
	} else if (file == files[0] && ubc_check_layout(text, true, err, sizeof(err))) {
		fails_add(r->fails, "%s layout: %s", file, err);
	} else {
		for (int i = 1; i < f->nr_blocks; i++)
			if (f->blocks[i].ctid <= f->blocks[i - 1].ctid)
				fails_add(r->fails, "%s: ctid %u after %u", file,
				     f->blocks[i].ctid, f->blocks[i - 1].ctid);
	}
	free(text);
	free(f);
}

void *reader_proc_fn(void *arg)
{
	struct reader *r = arg;
	struct fz_rng rng;

	fz_seed(&rng, r->id * 7919 + now_ms());
	while (now_ms() < r->deadline) {
		read_proc(r, &rng);
		usleep(READER_PAUSE_US);
	}
	return NULL;
}

/* A dump (every part, in order, ending with NLMSG_DONE) or a GET. */
static void nl_request(struct reader *r, int sk, struct fz_rng *rng, char *buf)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct fz_errset allowed = { { 0 } };
	struct fz_nl_seen seen;
	bool dump = fz_chance(rng, 50);
	uint32_t ctid = r->base + fz_below(rng, r->span);
	struct genl_msg m;
	char why[200];
	ssize_t n;

	memset(&m, 0, sizeof(m));
	m.nlh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	m.nlh.nlmsg_type = r->family;
	m.nlh.nlmsg_flags = NLM_F_REQUEST | (dump ? NLM_F_DUMP : 0);
	m.nlh.nlmsg_seq = (uint32_t)fz_next(rng);
	m.gh.cmd = VZBC_CMD_GET;
	m.gh.version = VZBC_GENL_VERSION;
	if (!dump)
		genl_put_u32(&m, VZBC_A_CTID, ctid);
	memset(&seen, 0, sizeof(seen));
	seen.check_seq = true;
	seen.seq = m.nlh.nlmsg_seq;
	fz_errset_add(&allowed, ENOENT);
	if (sendto(sk, &m, m.nlh.nlmsg_len, 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) < 0) {
		fails_add(r->fails, "netlink sendto: %s", strerror(errno));
		return;
	}
	while ((n = recv(sk, buf, GENL_BUF_SIZE, MSG_DONTWAIT)) > 0) {
		if (fz_nl_check(buf, n, r->family, &allowed, &seen, why, sizeof(why))) {
			fails_add(r->fails, "netlink %s: %s", dump ? "dump" : "GET", why);
			return;
		}
	}
	if (n < 0 && errno != EAGAIN)
		fails_add(r->fails, "netlink recv: %s", strerror(errno));
	if (seen.bad_seq)
		fails_add(r->fails, "netlink: answers with another sequence number");
	if (dump) {
		r->dumps++;
		if (seen.dones != 1 || seen.errors || seen.unordered)
			fails_add(r->fails, "dump: %u dones, %u errors, %s", seen.dones,
			     seen.errors, seen.unordered ? "out of order" : "in order");
	} else {
		r->gets++;
		if (seen.replies + seen.errors != 1 ||
		    (seen.replies && seen.last_ctid != ctid))
			fails_add(r->fails, "GET %u: %u replies (ctid %u), %u errors",
			     ctid, seen.replies, seen.last_ctid, seen.errors);
	}
}

void *reader_nl_fn(void *arg)
{
	struct reader *r = arg;
	char *buf = malloc(GENL_BUF_SIZE);
	struct fz_rng rng;
	int sk = genl_socket();

	fz_seed(&rng, r->id * 104729 + now_ms());
	if (sk < 0 || !buf) {
		fails_add(r->fails, "netlink socket: %s", strerror(-sk));
		free(buf);
		return NULL;
	}
	while (now_ms() < r->deadline) {
		nl_request(r, sk, &rng, buf);
		usleep(READER_PAUSE_US);
	}
	close(sk);
	free(buf);
	return NULL;
}

/* LIST everything, GET what it lists (it may be gone by then). */
void *reader_ioctl_fn(void *arg)
{
	struct reader *r = arg;
	struct vzbc_stat st[VZBC_NR_RES];
	uint32_t *ids, nr, n;
	int ret;

	while (now_ms() < r->deadline) {
		ret = vzbc_list_all(r->fd, &ids, &nr);
		r->lists++;
		if (ret) {
			fails_add(r->fails, "LIST: %s", strerror(-ret));
			break;
		}
		for (uint32_t i = 0; i < nr; i++) {
			if (i && ids[i] <= ids[i - 1])
				fails_add(r->fails, "LIST: %u after %u", ids[i], ids[i - 1]);
			n = VZBC_NR_RES;
			ret = vzbc_get(r->fd, ids[i], st, &n);
			r->gets++;
			if (ret && ret != -ENOENT)
				fails_add(r->fails, "GET %u: %s", ids[i], strerror(-ret));
			if (!ret && (n != VZBC_NR_RES || st[0].resource != VZBC_RES_NUMPROC))
				fails_add(r->fails, "GET %u: %u entries", ids[i], n);
		}
		free(ids);
		usleep(READER_PAUSE_US);
	}
	return NULL;
}

/* Every event must be well-formed. */
void *reader_events_fn(void *arg)
{
	struct reader *r = arg;
	char *buf = malloc(GENL_BUF_SIZE);
	int sk = genl_socket(), grp = r->events_grp;
	struct nlmsghdr *nlh;
	struct genl_bc bc;
	ssize_t n;

	if (sk < 0 || !buf ||
	    setsockopt(sk, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp))) {
		fails_add(r->fails, "events socket: %s", strerror(errno));
		goto out;
	}
	while (now_ms() < r->deadline) {
		n = genl_recv(sk, buf, GENL_BUF_SIZE, 100);
		if (n == -ETIMEDOUT)
			continue;
		if (n == -ENOBUFS) {	/* the listener fell behind: allowed */
			r->overruns++;
			continue;
		}
		if (n < 0) {
			fails_add(r->fails, "events recv: %s", strerror(-n));
			break;
		}
		for (nlh = (void *)buf; NLMSG_OK(nlh, n); nlh = NLMSG_NEXT(nlh, n)) {
			const struct genlmsghdr *gh = NLMSG_DATA(nlh);

			r->events++;
			if (nlh->nlmsg_type != r->family || gh->cmd != VZBC_CMD_EVENT ||
			    genl_parse_bc(nlh, &bc) || bc.nr_res != 1 ||
			    (bc.event != VZBC_EVENT_FAILCNT && bc.event != VZBC_EVENT_BARRIER) ||
			    vzbc_res_index(bc.res[0].id) < 0 || bc.ctid > VZBC_CTID_MAX)
				fails_add(r->fails, "malformed event: type %u cmd %u ctid %u event %u",
				     nlh->nlmsg_type, gh->cmd, bc.ctid, bc.event);
		}
	}
out:
	if (sk >= 0)
		close(sk);
	free(buf);
	return NULL;
}

void unloader(int64_t deadline, uint64_t *tries)
{
	int ret;

	while (now_ms() < deadline) {
		ret = vzbc_module_unload();
		(*tries)++;
		if (!ret) {
			vzbc_module_load(NULL);
			_exit(2);
		}
		if (ret != -EWOULDBLOCK)
			_exit(3);
		usleep(5000);
	}
	_exit(0);
}

int readers_setup(int fd, uint32_t *nr, uint64_t *live, struct reader *tmpl)
{
	uint32_t *ids;
	int sk, ret;

	*live = 0;
	ret = vzbc_list_all(fd, &ids, nr);
	if (ret)
		return ret;
	free(ids);
	ret = vzbc_live_wait(*nr, live);
	if (ret)
		return ret;
	sk = genl_socket();
	if (sk < 0)
		return sk;
	ret = genl_resolve(sk, VZBC_GENL_NAME, VZBC_GENL_MCGRP_EVENTS, &tmpl->family,
			   &tmpl->events_grp);
	close(sk);
	return ret;
}

int readers_start(struct reader *rd, pthread_t *rt, int n,
		  void *(*const fns[])(void *), const struct reader *tmpl)
{
	for (int i = 0; i < n; i++) {
		int ret;

		rd[i] = *tmpl;
		rd[i].id = i;
		ret = pthread_create(&rt[i], NULL, fns[i], &rd[i]);
		if (ret)
			return -ret;
	}
	return 0;
}

int readers_join(pthread_t *rt, int n, const struct timespec *until)
{
	for (int i = 0; i < n; i++)
		if (pthread_timedjoin_np(rt[i], NULL, until))
			return i;
	return -1;
}

int unloader_reap(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
