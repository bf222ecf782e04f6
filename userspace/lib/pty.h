/* SPDX-License-Identifier: GPL-2.0 */
/* The pty of "ctlvz exec --pty": opened inside, relayed outside. */
#ifndef CTLVZ_PTY_H
#define CTLVZ_PTY_H

/* An fd over a unix socket (SCM_RIGHTS); 0 or -1 with errno. */
int pty_send_fd(int sock, int fd);
/* The fd sent by pty_send_fd(), or -1. */
int pty_recv_fd(int sock);
/*
 * In the command's process: a new pty of the container's devpts as its
 * controlling terminal and stdio; the master goes to ctlvz over @sock.
 * Failures go to @errfd (chan.h).
 */
void pty_open(int sock, int errfd);
/* Relay our terminal and the pty master until the pty closes. */
void pty_relay(int master);

#endif
