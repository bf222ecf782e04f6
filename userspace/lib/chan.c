// SPDX-License-Identifier: GPL-2.0
/* The child-to-parent channel; see chan.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "chan.h"

/* On the pipe: one write of this header and @len bytes of text (< PIPE_BUF: atomic). */
struct chan_wire {
	uint32_t step;
	int32_t errnum;
	uint32_t len;
};

void chan_fail(int fd, enum chan_step step, int errnum, const char *fmt, ...)
{
	struct {
		struct chan_wire h;
		char text[CHAN_TEXT_MAX];
	} msg = { .h = { .step = step, .errnum = errnum } };
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg.text, sizeof(msg.text), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	msg.h.len = (size_t)n < sizeof(msg.text) ? (size_t)n : sizeof(msg.text) - 1;
	(void)!write(fd, &msg, sizeof(msg.h) + msg.h.len);
	_exit(127);
}

int chan_read(int fd, struct chan_report *rep)
{
	struct {
		struct chan_wire h;
		char text[CHAN_TEXT_MAX];
	} msg;
	size_t len = 0;
	ssize_t n;

	memset(rep, 0, sizeof(*rep));
	while (len < sizeof(msg) && (n = read(fd, (char *)&msg + len, sizeof(msg) - len)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		len += n;
	}
	if (!len)
		return 0;
	if (len < sizeof(msg.h) || msg.h.len >= CHAN_TEXT_MAX || len < sizeof(msg.h) + msg.h.len ||
	    msg.h.step == CHAN_STEP_NONE) {
		rep->step = CHAN_STEP_SETUP;
		snprintf(rep->text, sizeof(rep->text), "the child sent a malformed report");
		return 1;
	}
	rep->step = msg.h.step;
	rep->errnum = msg.h.errnum;
	memcpy(rep->text, msg.text, msg.h.len);
	rep->text[msg.h.len] = '\0';
	return 1;
}

int chan_recv(int fd, int status, enum chan_step *step, struct ct_err **err)
{
	struct chan_report rep;
	int r = chan_read(fd, &rep);

	if (step)
		*step = rep.step;
	if (r < 0)
		return err_set(err, VZ_SYSTEM_ERROR, -r, "read the child's status");
	if (r == 0)
		return 0;
	return err_set(err, status, rep.errnum, "%s", rep.text);
}
