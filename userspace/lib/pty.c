// SPDX-License-Identifier: GPL-2.0
/* The pty of "ctlvz exec --pty": opened inside, relayed outside. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include "chan.h"
#include "pty.h"
#include "util.h"

static volatile sig_atomic_t winch_pending;

int pty_send_fd(int sock, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	char byte = 'f';
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &mh, 0) == 1 ? 0 : -1;
}

int pty_recv_fd(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	int fd;

	if (recvmsg(sock, &mh, MSG_CMSG_CLOEXEC) != 1)
		return -1;
	c = CMSG_FIRSTHDR(&mh);
	if (!c || c->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

/* In the command's process: a new pty of the container's devpts as ctty. */
void pty_open(int sock, int errfd)
{
	_cleanup_close_ int master = -1;
	int slave;

	master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0)
		chan_fail(errfd, CHAN_STEP_SETUP, errno, "open /dev/ptmx in the container");
	if (unlockpt(master) < 0)
		chan_fail(errfd, CHAN_STEP_SETUP, errno, "unlockpt");
	slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY);
	if (slave < 0)
		chan_fail(errfd, CHAN_STEP_SETUP, errno, "open the pty peer");
	if (setsid() < 0 || ioctl(slave, TIOCSCTTY, 0) < 0)
		chan_fail(errfd, CHAN_STEP_SETUP, errno, "make the pty the controlling terminal");
	if (dup2(slave, 0) < 0 || dup2(slave, 1) < 0 || dup2(slave, 2) < 0)
		chan_fail(errfd, CHAN_STEP_SETUP, errno, "dup the pty");
	if (slave > 2)
		close(slave);
	if (pty_send_fd(sock, master) < 0)
		chan_fail(errfd, CHAN_STEP_SETUP, errno, "pass the pty to ctlvz");
}

static void on_winch(int sig)
{
	(void)sig;
	winch_pending = 1;
}

static void copy_winsize(int master)
{
	struct winsize ws;

	if (ioctl(0, TIOCGWINSZ, &ws) == 0)
		ioctl(master, TIOCSWINSZ, &ws);
}

/* Relay our terminal and the container pty until the pty closes. */
void pty_relay(int master)
{
	struct termios saved, raw;
	bool is_tty = tcgetattr(0, &saved) == 0;
	struct sigaction sa = { .sa_handler = on_winch };
	char buf[4096];

	if (is_tty) {
		raw = saved;
		cfmakeraw(&raw);
		tcsetattr(0, TCSANOW, &raw);
		copy_winsize(master);
		sigaction(SIGWINCH, &sa, NULL);
	}
	for (bool in_open = true;;) {
		struct pollfd p[2] = { { .fd = master, .events = POLLIN },
				       { .fd = in_open ? 0 : -1, .events = POLLIN } };
		ssize_t n;

		if (winch_pending) {
			winch_pending = 0;
			copy_winsize(master);
		}
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[0].revents) {
			n = read(master, buf, sizeof(buf));
			if (n <= 0)
				break;	/* EIO: the last holder of the slave has gone */
			if (write(1, buf, n) != n)
				break;
		}
		if (p[1].revents) {
			n = read(0, buf, sizeof(buf));
			if (n <= 0)
				in_open = false;
			else if (write(master, buf, n) != n)
				break;
		}
	}
	if (is_tty)
		tcsetattr(0, TCSANOW, &saved);
}
