// SPDX-License-Identifier: GPL-2.0
/* Starting ONBOOT containers, stopping them all; see boot.h. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "boot.h"
#include "util.h"

static int entry_cmp(const void *a, const void *b)
{
	const struct boot_entry *x = a, *y = b;

	if (x->order != y->order)
		return x->order > y->order ? -1 : 1;
	return x->ctid < y->ctid ? -1 : x->ctid > y->ctid;
}

static void __attribute__((format(printf, 2, 3)))
say(ct_notice_fn notice, const char *fmt, ...)
{
	_cleanup_free_ char *msg = NULL;
	va_list ap;

	if (!notice)
		return;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (msg)
		notice(msg);
}

int boot_list(const struct ct_paths *p, ct_notice_fn notice, struct boot_entry **out,
	      size_t *n, struct ct_err **err)
{
	_cleanup_closedir_ DIR *d = opendir(p->confdir);
	struct boot_entry *v = NULL;
	struct dirent *de;

	*n = 0;
	*out = NULL;
	if (!d)
		return errno == ENOENT ? 0 : err_set(err, VZ_SYSTEM_ERROR, errno, "open %s",
						     p->confdir);
	while ((de = readdir(d))) {
		_cleanup_free_ char *id = NULL, *path = NULL;
		_cleanup_err_ struct ct_err *e = NULL;
		_cleanup_kv_ struct kvfile *f = NULL;
		struct boot_entry b = { 0 };
		const char *on, *order;

		if (!str_has_suffix(de->d_name, ".conf"))
			continue;
		id = strndup(de->d_name, strlen(de->d_name) - 5);
		if (ct_parse_id(id, &b.ctid, &e) < 0)
			continue;
		path = xasprintf("%s/%s", p->confdir, de->d_name);
		if (kv_load(path, false, &f, &e) < 0) {
			say(notice, "container %u skipped: %s", b.ctid, e->msg);
			continue;
		}
		on = kv_get(f, "ONBOOT");
		b.onboot = on && !strcmp(on, "yes");
		order = kv_get(f, "BOOTORDER");
		if (order && *order && parse_ulong(order, 0, 1000000000, &b.order) < 0) {
			say(notice, "container %u: %s: BOOTORDER=\"%s\" is no number; using 0",
			    b.ctid, path, order);
			b.order = 0;
		}
		v = xrealloc(v, (*n + 1) * sizeof(*v));
		v[(*n)++] = b;
	}
	if (*n)
		qsort(v, *n, sizeof(*v), entry_cmp);
	*out = v;
	return 0;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

struct helper {
	unsigned int ctid;
	pid_t pid;
	int pidfd;
};

static int start_helper(const struct ct_paths *p, unsigned int ctid, boot_fn fn,
			struct helper *h)
{
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		int status = fn(p, ctid);

		fflush(stdout);
		_exit(status);
	}
	h->ctid = ctid;
	h->pid = pid;
	h->pidfd = syscall(SYS_pidfd_open, pid, 0);
	if (h->pidfd < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return -errno;
	}
	return 0;
}

/* Reaps helper @h; true if it succeeded. */
static bool reap(struct helper *h, ct_notice_fn notice)
{
	int status = 0;

	while (waitpid(h->pid, &status, 0) < 0 && errno == EINTR)
		;
	close(h->pidfd);
	h->pidfd = -1;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return true;
	say(notice, "container %u: failed (%s %d)", h->ctid,
	    WIFEXITED(status) ? "exit status" : "signal",
	    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	return false;
}

size_t boot_run(const struct ct_paths *p, const unsigned int *ids, size_t n, size_t parallel,
		long deadline_ms, boot_fn fn, ct_notice_fn notice)
{
	_cleanup_free_ struct helper *run = xzalloc((parallel ? parallel : 1) * sizeof(*run));
	_cleanup_free_ struct pollfd *pfd = xzalloc((parallel ? parallel : 1) * sizeof(*pfd));
	long end = now_ms() + deadline_ms;
	size_t next = 0, active = 0, failed = 0;

	if (!parallel)
		parallel = 1;
	while (next < n || active) {
		long left;
		int r;

		while (next < n && active < parallel) {
			if (start_helper(p, ids[next], fn, &run[active]) < 0) {
				say(notice, "container %u: cannot fork a helper: %s", ids[next],
				    strerror(errno));
				failed++;
			} else {
				active++;
			}
			next++;
		}
		if (!active)
			continue;
		left = end - now_ms();
		if (left <= 0) {
			/* Past the deadline: every helper left is killed, and failed. */
			for (size_t i = 0; i < active; i++) {
				say(notice, "container %u: no result within %lds; giving up",
				    run[i].ctid, deadline_ms / 1000);
				kill(run[i].pid, SIGKILL);
				reap(&run[i], NULL);
				failed++;
			}
			failed += n - next;
			break;
		}
		for (size_t i = 0; i < active; i++)
			pfd[i] = (struct pollfd){ .fd = run[i].pidfd, .events = POLLIN };
		r = poll(pfd, active, left > INT32_MAX ? INT32_MAX : (int)left);
		if (r < 0 && errno != EINTR)
			break;
		for (size_t i = active; i-- > 0;) {
			if (!(pfd[i].revents & POLLIN))
				continue;
			if (!reap(&run[i], notice))
				failed++;
			run[i] = run[--active];
		}
	}
	return failed;
}
