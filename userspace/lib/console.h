/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A container's /dev/console: a pty whose master a small holder process
 * on the host keeps for as long as init lives.  The holder drains it into
 * the console log (<LOCKDIR>/CTID.console, never more than CONSOLE_LOG_MAX
 * bytes: when full, the older half goes) and lets one "ctlvz console" at a
 * time attach over <LOCKDIR>/CTID.console.sock (a unix socket, root only).
 */
#ifndef CTLVZ_CONSOLE_H
#define CTLVZ_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "err.h"

#define CONSOLE_LOG_MAX (1024 * 1024)

/* The attach client's escape to detach: Esc then '.', as vzctl console. */
#define CONSOLE_ESCAPE_1 '\033'
#define CONSOLE_ESCAPE_2 '.'

/*
 * Append buf[0..n) to the log fd whose size is *size, so that it never
 * exceeds cap: when it would, only the newest bytes are kept (at most
 * cap / 2 of the old ones).  0, or -errno.
 */
int console_log_append(int fd, off_t *size, const char *buf, size_t n, off_t cap);

/* Where the holder is told about init, and where it says so. */
struct console_paths {
	const char *log;	/* the console log */
	const char *sock;	/* "ctlvz console" attaches here */
	const char *ready;	/* made when init sends READY=1 on its $NOTIFY_SOCKET */
};

/*
 * Fork the detached holder of @master and the @notify socket for init
 * @pid.  The holder keeps only these fds and exits when init does.  0 once
 * it listens, or -1 with err set.
 */
int console_start_holder(int master, int notify, pid_t pid, const struct console_paths *p,
			 struct ct_err **err);

/* Whether a datagram of the sd_notify protocol says READY=1. */
bool console_notify_ready(const char *msg, size_t n);

/* Attach our terminal to the console at @sock_path until the escape or init's end. */
int console_attach(const char *sock_path, struct ct_err **err);

/*
 * The attach client's detector: feed it each byte typed; it says whether
 * Esc '.' was just typed at the start of a line (*state starts at 0).
 */
int console_escape_step(int *state, char c);

#endif
