// SPDX-License-Identifier: GPL-2.0
/* The holder of a container's /dev/console and the "ctlvz console" client. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <linux/close_range.h>

#include "console.h"
#include "util.h"

int console_log_append(int fd, off_t *size, const char *buf, size_t n, off_t cap)
{
	off_t keep = *size;

	if (*size + (off_t)n > cap) {
		if ((off_t)n >= cap) {
			buf += n - cap;
			n = cap;
		}
		keep = *size < cap / 2 ? *size : cap / 2;
		if (keep + (off_t)n > cap)
			keep = cap - n;
		if (keep > 0) {
			_cleanup_free_ char *tail = xzalloc(keep);

			if (pread(fd, tail, keep, *size - keep) != keep ||
			    pwrite(fd, tail, keep, 0) != keep)
				return errno ? -errno : -EIO;
		}
		if (ftruncate(fd, keep) < 0)
			return -errno;
		*size = keep;
	}
	if (pwrite(fd, buf, n, keep) != (ssize_t)n)
		return errno ? -errno : -EIO;
	*size = keep + n;
	return 0;
}

int console_escape_step(int *state, char c)
{
	if (*state == 1) {
		*state = 0;
		return c == CONSOLE_ESCAPE_2 ? 2 : 3;	/* detach; or Esc and c */
	}
	if (c == CONSOLE_ESCAPE_1) {
		*state = 1;
		return 1;			/* held back */
	}
	return 0;				/* pass c */
}

/* ---- the holder ---- */

struct holder {
	int master, slave, log, listen, client, pidfd, notify;
	off_t size;
	const char *ready;
};

bool console_notify_ready(const char *msg, size_t n)
{
	/* Newline-separated VAR=VALUE assignments (sd_notify(3)). */
	for (const char *s = msg, *end = msg + n; s < end;) {
		const char *nl = memchr(s, '\n', end - s);
		size_t len = (nl ? nl : end) - s;

		if (len == 7 && !memcmp(s, "READY=1", 7))
			return true;
		s += len + 1;
	}
	return false;
}

static void holder_notify(struct holder *h)
{
	char buf[4096];
	ssize_t n = recv(h->notify, buf, sizeof(buf), MSG_DONTWAIT);
	int fd;

	if (n <= 0 || !console_notify_ready(buf, n))
		return;
	fd = open(h->ready, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd >= 0)
		close(fd);
}

/* A fd above the ones we keep, out of the way of the close_range below. */
static int move_high(int fd, int to)
{
	int r = fcntl(fd, F_DUPFD_CLOEXEC, to);

	return r < 0 ? r : (close(fd), r);
}

static void holder_output(struct holder *h)
{
	char buf[4096];

	for (;;) {
		ssize_t n = read(h->master, buf, sizeof(buf));

		if (n < 0 && errno == EIO) {
			/* A vhangup() in the container hung our slave up too: take a new one. */
			close(h->slave);
			h->slave = ioctl(h->master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
			return;
		}
		if (n <= 0)
			return;
		console_log_append(h->log, &h->size, buf, n, CONSOLE_LOG_MAX);
		/* A slow client misses output rather than stall init's console. */
		if (h->client >= 0 && send(h->client, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL) < 0 &&
		    errno != EAGAIN) {
			close(h->client);
			h->client = -1;
		}
	}
}

static void holder_input(struct holder *h)
{
	char buf[4096];
	ssize_t n = read(h->client, buf, sizeof(buf));

	if (n <= 0) {
		close(h->client);
		h->client = -1;
		return;
	}
	/* The master is non-blocking: input nobody reads inside is dropped. */
	if (write(h->master, buf, n) < 0 && errno != EAGAIN) {
		close(h->client);
		h->client = -1;
	}
}

static void holder_accept(struct holder *h)
{
	static const char busy[] = "ctlvz: the console is attached elsewhere\n";
	int c = accept4(h->listen, NULL, NULL, SOCK_CLOEXEC);

	if (c < 0)
		return;
	if (h->client >= 0) {
		(void)!send(c, busy, sizeof(busy) - 1, MSG_DONTWAIT | MSG_NOSIGNAL);
		close(c);
		return;
	}
	h->client = c;
}

static void __attribute__((noreturn)) holder_run(struct holder *h)
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0)
		_exit(1);
	h->master = move_high(h->master, 100);
	h->log = move_high(h->log, 100);
	h->listen = move_high(h->listen, 100);
	h->pidfd = move_high(h->pidfd, 100);
	h->notify = move_high(h->notify, 100);
	if (h->master < 0 || h->log < 0 || h->listen < 0 || h->pidfd < 0 || h->notify < 0)
		_exit(1);
	/* Nothing of ctlvz's (its lock, the caller's pipes) stays open here. */
	syscall(SYS_close_range, 3U, 99U, 0);
	h->slave = ioctl(h->master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	fcntl(h->master, F_SETFL, O_NONBLOCK);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	prctl(PR_SET_NAME, "ctlvz-console");
	for (;;) {
		struct pollfd p[5] = {
			{ .fd = h->master, .events = POLLIN },
			{ .fd = h->listen, .events = POLLIN },
			{ .fd = h->client, .events = POLLIN },
			{ .fd = h->pidfd, .events = POLLIN },
			{ .fd = h->notify, .events = POLLIN },
		};

		if (poll(p, 5, -1) < 0) {
			if (errno == EINTR)
				continue;
			_exit(1);
		}
		if (p[0].revents)
			holder_output(h);
		if (p[2].revents)
			holder_input(h);
		if (p[1].revents)
			holder_accept(h);
		if (p[4].revents)
			holder_notify(h);
		if (p[3].revents) {
			holder_output(h);	/* init's last words */
			_exit(0);
		}
	}
}

/* A stream socket and the address of @path; the fd or -1 with err set. */
static int unix_socket(const char *path, struct sockaddr_un *sa, struct ct_err **err)
{
	int fd;

	*sa = (struct sockaddr_un){ .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof(sa->sun_path))
		return err_set(err, VZ_SYSTEM_ERROR, ENAMETOOLONG, "console socket %s", path);
	strcpy(sa->sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	return fd < 0 ? err_set(err, VZ_SYSTEM_ERROR, errno, "socket") : fd;
}

static int listen_at(const char *path, struct ct_err **err)
{
	struct sockaddr_un sa;
	int fd = unix_socket(path, &sa, err);
	mode_t old;

	if (fd < 0)
		return -1;
	if (unlink(path) < 0 && errno != ENOENT) {
		close(fd);
		return err_set(err, VZ_SYSTEM_ERROR, errno, "remove %s", path);
	}
	old = umask(0077);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 4) < 0) {
		int e = errno;

		umask(old);
		close(fd);
		return err_set(err, VZ_SYSTEM_ERROR, e, "listen on %s", path);
	}
	umask(old);
	return fd;
}

int console_start_holder(int master, int notify, pid_t pid, const struct console_paths *p,
			 struct ct_err **err)
{
	struct holder h = { .master = master, .notify = notify, .client = -1, .slave = -1,
			    .ready = p->ready };
	const char *log_path = p->log, *sock_path = p->sock;
	int status;
	pid_t child;

	if (unlink(p->ready) < 0 && errno != ENOENT)
		return err_set(err, VZ_SYSTEM_ERROR, errno, "remove %s", p->ready);
	/* A new inode: an old holder still draining a dying init keeps its own. */
	if (unlink(log_path) < 0 && errno != ENOENT)
		return err_set(err, VZ_SYSTEM_ERROR, errno, "remove %s", log_path);
	h.log = open(log_path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (h.log < 0)
		return err_set(err, VZ_SYSTEM_ERROR, errno, "create %s", log_path);
	h.pidfd = syscall(SYS_pidfd_open, pid, 0);
	if (h.pidfd < 0) {
		close(h.log);
		return err_set(err, VZ_SYSTEM_ERROR, errno, "pidfd_open of the init");
	}
	h.listen = listen_at(sock_path, err);
	if (h.listen < 0) {
		close(h.log);
		close(h.pidfd);
		return -1;
	}
	child = fork();
	if (child == 0) {
		/* Detached: a session of its own, reparented once this child exits. */
		setsid();
		if (fork() == 0)
			holder_run(&h);
		_exit(0);
	}
	close(h.log);
	close(h.pidfd);
	close(h.listen);
	if (child < 0)
		return err_set(err, VZ_SYSTEM_ERROR, errno, "fork the console holder");
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	return 0;
}

/* ---- the client ---- */

int console_attach(const char *sock_path, struct ct_err **err)
{
	struct sockaddr_un sa;
	_cleanup_close_ int fd = unix_socket(sock_path, &sa, err);
	struct termios saved, raw;
	bool is_tty;
	int esc = 0;
	char buf[4096];

	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return err_set(err, errno == ENOENT || errno == ECONNREFUSED ? VZ_VE_NOT_RUNNING :
			       VZ_SYSTEM_ERROR, errno, "connect to the console at %s", sock_path);
	is_tty = tcgetattr(0, &saved) == 0;
	if (is_tty) {
		raw = saved;
		cfmakeraw(&raw);
		tcsetattr(0, TCSANOW, &raw);
	}
	for (bool in_open = true;;) {
		struct pollfd p[2] = { { .fd = fd, .events = POLLIN },
				       { .fd = in_open ? 0 : -1, .events = POLLIN } };
		ssize_t n;

		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[0].revents) {
			n = read(fd, buf, sizeof(buf));
			if (n <= 0 || write(1, buf, n) != n)
				break;
		}
		if (p[1].revents) {
			char out[2 * sizeof(buf)];
			size_t m = 0;
			bool detach = false;

			n = read(0, buf, sizeof(buf));
			if (n <= 0) {
				in_open = false;
				shutdown(fd, SHUT_WR);
				continue;
			}
			for (ssize_t i = 0; i < n && !detach; i++) {
				switch (console_escape_step(&esc, buf[i])) {
				case 0:
					out[m++] = buf[i];
					break;
				case 2:
					detach = true;
					break;
				case 3:
					out[m++] = CONSOLE_ESCAPE_1;
					out[m++] = buf[i];
					break;
				}
			}
			if (m && write(fd, out, m) != (ssize_t)m)
				break;
			if (detach)
				break;
		}
	}
	if (is_tty)
		tcsetattr(0, TCSANOW, &saved);
	return 0;
}
