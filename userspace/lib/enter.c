// SPDX-License-Identifier: GPL-2.0
/* Running a command inside a running container (exec), or a function (ns_run). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/prctl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "chan.h"
#include "clone.h"
#include "creds.h"
#include "ns.h"
#include "pty.h"
#include "util.h"

static void __attribute__((noreturn))
exec_child(const struct ns_exec *x, bool join_cgroup, int errfd, int sock)
{
	const int flags = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET |
			  CLONE_NEWCGROUP | CLONE_NEWPID;
	const int keep[] = { errfd, sock, x->pidfd };
	int status;
	pid_t pid;

	/*
	 * Before the first setns: nothing in the container may ptrace or read
	 * this host-made process, and it holds nothing of ctlvz's or its caller's.
	 */
	if (prctl(PR_SET_DUMPABLE, 0) < 0)
		chan_fail(errfd, CHAN_STEP_SETUP, errno, "make the helper non-dumpable");
	clone_close_fds_except(keep, ARRAY_SIZE(keep));
	if (join_cgroup) {
		_cleanup_free_ char *procs = xasprintf("%s/cgroup.procs", x->cgroup_path);
		int r = write_file(procs, "0");

		if (r < 0)
			chan_fail(errfd, CHAN_STEP_JOIN, -r, "write %s", procs);
	}
	/* Privileged namespaces first; the user namespace last, when dropping. */
	if (setns(x->pidfd, flags) < 0)
		chan_fail(errfd, CHAN_STEP_JOIN, errno, "join the container's namespaces");
	pid = fork();
	if (pid < 0)
		chan_fail(errfd, CHAN_STEP_SETUP, errno, "fork");
	if (pid == 0) {
		if (setns(x->pidfd, CLONE_NEWUSER) < 0)
			chan_fail(errfd, CHAN_STEP_JOIN, errno, "join the container's user namespace");
		if (creds_become_root() < 0)
			chan_fail(errfd, CHAN_STEP_SETUP, errno, "switch to the container's root user");
		if (chdir("/") < 0)
			chan_fail(errfd, CHAN_STEP_SETUP, errno, "chdir /");
		/* A session of its own always: no TIOCSTI into the caller's terminal. */
		if (x->pty)
			pty_open(sock, errfd);
		else if (setsid() < 0)
			chan_fail(errfd, CHAN_STEP_SETUP, errno, "setsid");
		creds_drop_caps(errfd);
		clone_cloexec_fds();
		execvp(x->argv[0], x->argv);
		chan_fail(errfd, CHAN_STEP_EXEC, errno, "exec %s in the container", x->argv[0]);
	}
	close(errfd);
	if (sock >= 0)
		close(sock);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			_exit(126);
	_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
}

int ns_exec(const struct ns_exec *x, struct ct_err **err)
{
	_cleanup_close_ int err_r = -1, err_w = -1, sock_p = -1, sock_c = -1, pidfd = -1;
	_cleanup_close_ int master = -1;
	int errp[2], sv[2], status;
	enum chan_step step;
	bool fallback = false;
	pid_t pid;

	if (pipe2(errp, O_CLOEXEC) < 0)
		return err_set(err, VZ_SYSTEM_ERROR, errno, "pipe");
	err_r = errp[0], err_w = errp[1];
	if (x->pty) {
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
			return err_set(err, VZ_SYSTEM_ERROR, errno, "socketpair");
		sock_p = sv[0], sock_c = sv[1];
	}

	pid = clone3_into(x->cgroup_fd, 0, &pidfd);
	if (pid < 0 && clone3_unsupported(errno)) {
		fallback = true;
		pid = fork();
	}
	if (pid < 0)
		return err_set(err, VZ_SYSTEM_ERROR, errno, "fork");
	if (pid == 0) {
		close(err_r);
		if (sock_p >= 0)
			close(sock_p);
		exec_child(x, fallback, err_w, sock_c);
	}
	close(TAKE_FD(err_w));
	if (sock_c >= 0)
		close(TAKE_FD(sock_c));

	if (x->pty)
		master = pty_recv_fd(sock_p);
	if (chan_recv(err_r, VZ_COMMAND_EXECUTION_ERROR, &step, err) < 0) {
		/* The command itself could not run: 127, as a shell says "command not found". */
		(*err)->status = step == CHAN_STEP_EXEC ? 127 : VZ_COMMAND_EXECUTION_ERROR;
		kill_and_reap(pid);
		return -1;
	}
	if (master >= 0)
		pty_relay(master);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return err_set(err, VZ_SYSTEM_ERROR, errno, "wait for the command");
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int ns_run(int pidfd, int (*fn)(void *arg, const char **what), void *arg,
	   struct ct_err **err)
{
	const int flags = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET |
			  CLONE_NEWCGROUP;
	_cleanup_close_ int err_r = -1, err_w = -1;
	int errp[2], status;
	pid_t pid;

	if (pipe2(errp, O_CLOEXEC) < 0)
		return err_set(err, VZ_SYSTEM_ERROR, errno, "pipe");
	err_r = errp[0], err_w = errp[1];
	pid = fork();
	if (pid < 0)
		return err_set(err, VZ_SYSTEM_ERROR, errno, "fork");
	if (pid == 0) {
		const char *what = "?";

		close(err_r);
		if (prctl(PR_SET_DUMPABLE, 0) < 0)
			chan_fail(err_w, CHAN_STEP_SETUP, errno, "make the helper non-dumpable");
		if (setns(pidfd, flags) < 0 || setns(pidfd, CLONE_NEWUSER) < 0)
			chan_fail(err_w, CHAN_STEP_JOIN, errno, "join the container's namespaces");
		if (creds_become_root() < 0)
			chan_fail(err_w, CHAN_STEP_SETUP, errno, "switch to the container's root user");
		if (fn(arg, &what) < 0)
			chan_fail(err_w, CHAN_STEP_RUN, errno, "%s", what);
		_exit(0);
	}
	close(TAKE_FD(err_w));
	if (chan_recv(err_r, VZ_SYSTEM_ERROR, NULL, err) < 0) {
		kill_and_reap(pid);
		return -1;
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return err_set(err, VZ_SYSTEM_ERROR, errno, "wait for the helper");
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return err_set(err, VZ_SYSTEM_ERROR, 0, "helper in the container failed");
	return 0;
}
