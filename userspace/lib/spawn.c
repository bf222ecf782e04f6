// SPDX-License-Identifier: GPL-2.0
/* A container's init in fresh namespaces (ns_spawn()). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/sched.h>

#include "chan.h"
#include "clone.h"
#include "creds.h"
#include "idmap.h"
#include "ns.h"
#include "pty.h"
#include "rootfs.h"
#include "util.h"

/*
 * Inside the new root, as the container's root: the configured hostname is
 * set and written to /etc/hostname; without one, the template's
 * /etc/hostname is used, never the host's name.
 */
static void set_hostname(const char *configured, int errfd)
{
	char buf[HOST_NAME_MAX + 2] = "";
	const char *h = configured;
	int fd;

	if (h) {
		fd = open("/etc/hostname", O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd >= 0) {
			dprintf(fd, "%s\n", h);
			close(fd);
		}
	} else {
		fd = open("/etc/hostname", O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			ssize_t n = read(fd, buf, sizeof(buf) - 1);

			close(fd);
			buf[n > 0 ? n : 0] = '\0';
			buf[strcspn(buf, "\n \t")] = '\0';
		}
		h = buf[0] ? buf : "localhost";
	}
	if (sethostname(h, strlen(h)) < 0)
		chan_fail(errfd, CHAN_STEP_SETUP, errno, "set hostname %s", h);
}

static void __attribute__((noreturn))
spawn_child(const struct ns_spawn *s, int syncfd, int errfd, int consock, bool need_cgroupns,
	    bool root_ready)
{
	char *const envp[] = { "container=" CONTAINER_MANAGER, "HOME=/", "TERM=linux",
			       "NOTIFY_SOCKET=" NOTIFY_SOCKET_PATH,
			       "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
			       NULL };
	char *const argv[] = { (char *)s->init, NULL };
	char go;
	int console;

	/* EOF here means the parent gave up (or died): never run half set up. */
	if (read(syncfd, &go, 1) != 1)
		_exit(1);
	close(syncfd);

	if (!root_ready)
		rootfs_bind(s, errfd);
	if (creds_become_root() < 0)
		chan_fail(errfd, CHAN_STEP_SETUP, errno, "switch to the container's root user");
	if (need_cgroupns && unshare(CLONE_NEWCGROUP) < 0)
		chan_fail(errfd, CHAN_STEP_SETUP, errno, "unshare the cgroup namespace");
	rootfs_mount_pseudo(s, errfd, root_ready);
	console = rootfs_make_console(consock, errfd);
	if (!root_ready)
		rootfs_pivot(errfd);
	set_hostname(s->hostname, errfd);
	rootfs_container_files(consock, errfd);
	close(consock);

	/* The console is init's stdio and controlling terminal, as on a machine. */
	if (setsid() < 0)
		chan_fail(errfd, CHAN_STEP_SETUP, errno, "setsid");
	if (dup2(console, 0) < 0 || dup2(console, 1) < 0 || dup2(console, 2) < 0 ||
	    ioctl(0, TIOCSCTTY, 0) < 0)
		chan_fail(errfd, CHAN_STEP_SETUP, errno, "set up init's stdio on /dev/console");
	close(console);
	creds_drop_caps(errfd);
	clone_cloexec_fds();
	execve(s->init, argv, envp);
	chan_fail(errfd, CHAN_STEP_EXEC, errno, "exec %s in the container", s->init);
}

#define INIT_NS_FLAGS (CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | \
		       CLONE_NEWIPC | CLONE_NEWNET)

/* The usual way: init straight from ctlvz, into its cgroup. */
static pid_t clone_init(const struct ns_spawn *s, int sync_r, int sync_w, int err_r, int err_w,
			int consock, bool *procs_fallback, struct ct_err **err)
{
	pid_t pid = clone3_into(s->cgroup_fd, INIT_NS_FLAGS | CLONE_NEWCGROUP, NULL);

	if (pid < 0 && clone3_unsupported(errno)) {
		*procs_fallback = true;
		pid = clone3_into(-1, INIT_NS_FLAGS, NULL);
	}
	if (pid < 0)
		return err_set(err, VZ_ENVCREATE_ERROR, errno, "clone the init into new namespaces");
	if (pid == 0) {
		close(sync_w);
		close(err_r);
		spawn_child(s, sync_r, err_w, consock, *procs_fallback, false);
	}
	return pid;
}

/* On an initramfs root: init cloned by a helper that prepared its root (see above). */
static pid_t clone_init_via_helper(const struct ns_spawn *s, int sync_r, int sync_w, int err_r,
				   int *err_wp, int consock, struct ct_err **err)
{
	_cleanup_close_ int info_r = -1, info_w = -1;
	int infop[2], status;
	bool in_cgroup = true;
	int err_w = *err_wp;
	pid_t helper, pid;
	ssize_t n;

	if (pipe2(infop, O_CLOEXEC) < 0)
		return err_set(err, VZ_SYSTEM_ERROR, errno, "pipe");
	info_r = infop[0], info_w = infop[1];
	helper = clone3_into(s->cgroup_fd, CLONE_NEWNS, NULL);
	if (helper < 0 && clone3_unsupported(errno)) {
		in_cgroup = false;
		helper = clone3_into(-1, CLONE_NEWNS, NULL);
	}
	if (helper < 0)
		return err_set(err, VZ_ENVCREATE_ERROR, errno, "clone the root helper");
	if (helper == 0) {
		close(sync_w);
		close(err_r);
		close(info_r);
		if (!in_cgroup) {
			_cleanup_free_ char *procs = xasprintf("%s/cgroup.procs", s->cgroup_path);
			int r = write_file(procs, "0");

			if (r < 0)
				chan_fail(err_w, CHAN_STEP_SETUP, -r, "write %s", procs);
		}
		rootfs_move(s, err_w);
		/* CLONE_PARENT: the init is ctlvz's child, as in the usual way. */
		pid = clone3_into(-1, CLONE_PARENT | INIT_NS_FLAGS | CLONE_NEWCGROUP, NULL);
		if (pid < 0)
			chan_fail(err_w, CHAN_STEP_SETUP, errno, "clone the init into new namespaces (from the root helper)");
		if (pid == 0) {
			close(info_w);
			spawn_child(s, sync_r, err_w, consock, false, true);
		}
		_exit(write(info_w, &pid, sizeof(pid)) == sizeof(pid) ? 0 : 1);
	}
	close(TAKE_FD(info_w));
	n = read(info_r, &pid, sizeof(pid));
	while (waitpid(helper, &status, 0) < 0 && errno == EINTR)
		;
	if (n != sizeof(pid)) {
		/* The helper failed and said why on the error pipe. */
		close(TAKE_FD(*err_wp));
		if (chan_recv(err_r, VZ_ENVCREATE_ERROR, NULL, err) == 0)
			err_set(err, VZ_ENVCREATE_ERROR, 0, "the root helper died (status %d)", status);
		return -1;
	}
	return pid;
}

/* Map ids, join the cgroup if need be, let prepare run, wake init, wait for its exec. */
static int release_init(struct ns_spawn *s, pid_t pid, bool procs_fallback, int sync_w,
			int err_r, struct ct_err **err)
{
	if (idmap_write(pid, s->idbase, err) < 0)
		return -1;
	if (procs_fallback) {
		_cleanup_free_ char *procs = xasprintf("%s/cgroup.procs", s->cgroup_path);
		_cleanup_free_ char *num = xasprintf("%d", pid);
		int r = write_file(procs, num);

		if (r < 0)
			return err_set(err, VZ_ENVCREATE_ERROR, -r, "write %s", procs);
	}
	if (s->prepare && s->prepare(pid, s->prepare_arg, err) < 0)
		return -1;
	if (write(sync_w, "g", 1) != 1)
		return err_set(err, VZ_ENVCREATE_ERROR, errno, "wake the container's init");
	return chan_recv(err_r, VZ_ENVCREATE_ERROR, NULL, err);
}

int ns_spawn(struct ns_spawn *s, struct ct_err **err)
{
	_cleanup_close_ int sync_r = -1, sync_w = -1, err_r = -1, err_w = -1;
	_cleanup_close_ int con_p = -1, con_c = -1;
	int syncp[2], errp[2], conp[2], pidfd;
	bool procs_fallback = false;
	pid_t pid;

	if (pipe2(syncp, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0)
		return err_set(err, VZ_SYSTEM_ERROR, errno, "pipe");
	sync_r = syncp[0], sync_w = syncp[1], err_r = errp[0], err_w = errp[1];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, conp) < 0)
		return err_set(err, VZ_SYSTEM_ERROR, errno, "socketpair");
	con_p = conp[0], con_c = conp[1];

	if (rootfs_host_is_initramfs())
		pid = clone_init_via_helper(s, sync_r, sync_w, err_r, &err_w, con_c, err);
	else
		pid = clone_init(s, sync_r, sync_w, err_r, err_w, con_c, &procs_fallback, err);
	if (pid < 0)
		return -1;
	/* Only the children write errors from here on: EOF means exec'd. */
	close(TAKE_FD(sync_r));
	close(TAKE_FD(err_w));
	close(TAKE_FD(con_c));

	pidfd = syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0) {
		kill_and_reap(pid);
		return err_set(err, VZ_SYSTEM_ERROR, errno, "pidfd_open of the init");
	}
	if (release_init(s, pid, procs_fallback, sync_w, err_r, err) < 0) {
		close(pidfd);
		kill_and_reap(pid);
		return -1;
	}
	/* Sent before init's exec, so here by now (or the child failed above). */
	s->console = pty_recv_fd(con_p);
	s->notify = s->console < 0 ? -1 : pty_recv_fd(con_p);
	if (s->notify < 0) {
		if (s->console >= 0)
			close(s->console);
		close(pidfd);
		kill_and_reap(pid);
		return err_set(err, VZ_ENVCREATE_ERROR, errno, "receive the console of the init");
	}
	s->pid = pid;
	s->pidfd = pidfd;
	return 0;
}

/* ---- ns_exec ---- */

