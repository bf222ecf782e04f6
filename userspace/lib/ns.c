// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <limits.h>
#include <termios.h>

#include <linux/capability.h>
#include <linux/sched.h>

#include "ns.h"
#include "util.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

/* OpenVZ's default container capabilities; SYS_ADMIN and NET_ADMIN act only
 * inside the container's user namespace, as OpenVZ's VE_ADMIN did. */
static const int allowed_caps[] = {
	CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER, CAP_FSETID,
	CAP_KILL, CAP_SETGID, CAP_SETUID, CAP_SETPCAP, CAP_LINUX_IMMUTABLE,
	CAP_NET_BIND_SERVICE, CAP_NET_BROADCAST, CAP_NET_ADMIN, CAP_NET_RAW,
	CAP_IPC_LOCK, CAP_IPC_OWNER, CAP_SYS_CHROOT, CAP_SYS_PTRACE, CAP_SYS_ADMIN,
	CAP_SYS_BOOT, CAP_SYS_NICE, CAP_SYS_RESOURCE, CAP_SYS_TTY_CONFIG, CAP_MKNOD,
	CAP_LEASE, CAP_AUDIT_WRITE, CAP_SETFCAP,
};

bool ns_cap_allowed(int cap)
{
	for (size_t i = 0; i < ARRAY_SIZE(allowed_caps); i++)
		if (allowed_caps[i] == cap)
			return true;
	return false;
}

/* In a child: send "what: reason" to the parent over fd and exit. */
static void __attribute__((noreturn, format(printf, 3, 4)))
child_fail(int fd, int errnum, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof(msg) && errnum)
		n += snprintf(msg + n, sizeof(msg) - n, ": %s", strerror(errnum));
	if (n > 0)
		(void)!write(fd, msg, (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1);
	_exit(127);
}

static pid_t clone3_into(int cgroup_fd, unsigned long long flags, int *pidfd)
{
	struct clone_args args = {
		.flags = flags | (pidfd ? CLONE_PIDFD : 0) |
			 (cgroup_fd >= 0 ? CLONE_INTO_CGROUP : 0),
		.pidfd = (unsigned long long)(uintptr_t)pidfd,
		/* CLONE_PARENT children signal our parent as we would */
		.exit_signal = flags & CLONE_PARENT ? 0 : SIGCHLD,
		.cgroup = cgroup_fd >= 0 ? (unsigned long long)cgroup_fd : 0,
	};

	return syscall(SYS_clone3, &args, sizeof(args));
}

/* clone3 can lack CLONE_INTO_CGROUP (< 5.7) or be missing (< 5.3). */
static bool clone3_unsupported(int e)
{
	return e == ENOSYS || e == E2BIG || e == EINVAL;
}

static int become_root(void)
{
	if (setresgid(0, 0, 0) < 0 || setgroups(0, NULL) < 0 || setresuid(0, 0, 0) < 0)
		return -1;
	return 0;
}

static void drop_caps(int errfd)
{
	for (int cap = 0; cap <= 63; cap++) {
		if (ns_cap_allowed(cap))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
			child_fail(errfd, errno, "drop capability %d from the bounding set", cap);
	}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		child_fail(errfd, errno, "clear ambient capabilities");
}

static void xmount(int errfd, const char *src, const char *dst, const char *type,
		   unsigned long flags, const char *data)
{
	if (mount(src, dst, type, flags, data) < 0)
		child_fail(errfd, errno, "mount %s on %s", type ? type : src ? src : "(flags)", dst);
}

static void xmkdir(int errfd, const char *path, mode_t mode)
{
	if (mkdir(path, mode) < 0 && errno != EEXIST)
		child_fail(errfd, errno, "mkdir %s", path);
}

/*
 * Bind the private area on root_dir and make it our cwd.  Done before the
 * switch to the container's root user: the host directories leading to the
 * private area may be closed to it (VE_PRIVATE's parent is 0700).
 */
static void bind_root(const struct ns_spawn *s, int errfd)
{
	static const unsigned long keep_flags[][2] = {
		{ ST_RDONLY, MS_RDONLY }, { ST_NOSUID, MS_NOSUID }, { ST_NOEXEC, MS_NOEXEC },
		{ ST_NOATIME, MS_NOATIME }, { ST_NODIRATIME, MS_NODIRATIME },
		{ ST_RELATIME, MS_RELATIME },
	};
	const char *r = s->root_dir;
	unsigned long flags = MS_BIND | MS_REMOUNT | MS_NODEV;
	struct statvfs sv;

	xmount(errfd, NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
	xmount(errfd, s->private_dir, r, NULL, MS_BIND, NULL);
	/* No device nodes from the private area; keep the flags the host locked. */
	if (statvfs(r, &sv) < 0)
		child_fail(errfd, errno, "statvfs %s", r);
	for (size_t i = 0; i < ARRAY_SIZE(keep_flags); i++)
		if (sv.f_flag & keep_flags[i][0])
			flags |= keep_flags[i][1];
	xmount(errfd, NULL, r, NULL, flags, NULL);
	if (chdir(r) < 0)
		child_fail(errfd, errno, "chdir %s", r);
}

/*
 * /dev below the cwd: a small tmpfs holding the host's harmless nodes (bind
 * mounts: a user namespace cannot mknod), a pts and a shm directory, the
 * usual symlinks.  owner is the container's root as the mounter's user
 * namespace names it (0 inside it, the host uid base outside).
 */
static void setup_dev(int errfd, uid_t owner)
{
	static const char *const devs[] = { "null", "zero", "full", "random", "urandom", "tty" };
	static const char *const links[][2] = {
		{ "pts/ptmx", "dev/ptmx" }, { "/proc/self/fd", "dev/fd" },
		{ "/proc/self/fd/0", "dev/stdin" }, { "/proc/self/fd/1", "dev/stdout" },
		{ "/proc/self/fd/2", "dev/stderr" },
	};
	char opts[64];

	snprintf(opts, sizeof(opts), "mode=755,size=1m,uid=%u,gid=%u", owner, owner);
	xmkdir(errfd, "dev", 0755);
	xmount(errfd, "tmpfs", "dev", "tmpfs", MS_NOSUID | MS_NOEXEC, opts);
	for (size_t i = 0; i < ARRAY_SIZE(devs); i++) {
		char host[64], ct[64];
		int fd;

		snprintf(host, sizeof(host), "/dev/%s", devs[i]);
		snprintf(ct, sizeof(ct), "dev/%s", devs[i]);
		fd = open(ct, O_CREAT | O_WRONLY | O_CLOEXEC, 0666);
		if (fd < 0)
			child_fail(errfd, errno, "create %s", ct);
		close(fd);
		xmount(errfd, host, ct, NULL, MS_BIND, NULL);
	}
	xmkdir(errfd, "dev/pts", 0755);
	xmkdir(errfd, "dev/shm", 01777);
	for (size_t i = 0; i < ARRAY_SIZE(links); i++)
		if (symlink(links[i][0], links[i][1]) < 0 ||
		    lchown(links[i][1], owner, owner) < 0)
			child_fail(errfd, errno, "symlink %s", links[i][1]);
	if (lchown("dev/pts", owner, owner) < 0 || lchown("dev/shm", owner, owner) < 0)
		child_fail(errfd, errno, "chown dev/pts and dev/shm");
}

/*
 * Mount the container's pseudo filesystems below the cwd, as its root user
 * in its namespaces: proc of its pid namespace, sysfs of its netns (read
 * only), cgroup2 of its cgroup namespace, its own devpts instance.
 */
static void setup_mounts(int errfd, bool dev_ready)
{
	xmkdir(errfd, "proc", 0555);
	xmount(errfd, "proc", "proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	xmkdir(errfd, "sys", 0555);
	xmount(errfd, "sysfs", "sys", "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	xmount(errfd, "cgroup2", "sys/fs/cgroup", "cgroup2", MS_NOSUID | MS_NODEV | MS_NOEXEC,
	       NULL);
	if (!dev_ready)
		setup_dev(errfd, 0);
	xmount(errfd, "devpts", "dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
	       "newinstance,ptmxmode=0666,mode=0620,gid=5");
	xmount(errfd, "tmpfs", "dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777");
	xmkdir(errfd, "run", 0755);
	xmount(errfd, "tmpfs", "run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=755");
	xmkdir(errfd, "tmp", 01777);
	xmount(errfd, "tmpfs", "tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777");
}

/*
 * Make root_dir (our cwd) the root: pivot_root(".", ".") stacks the old root
 * under the new one, which the lazy unmount then drops.  The old root was
 * locked to its parent (it came from the host's mount namespace into the
 * container's user namespace); pivot_root hands that lock to the new root,
 * so container root cannot unmount its "/".
 */
static void enter_root(int errfd)
{
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		child_fail(errfd, errno, "pivot_root to the container root");
	if (umount2(".", MNT_DETACH) < 0)
		child_fail(errfd, errno, "detach the host root");
	if (chdir("/") < 0)
		child_fail(errfd, errno, "chdir /");
}

/*
 * pivot_root(2) cannot leave the initramfs (rootfs has no parent mount), so
 * a host running from it gets the root prepared in a helper that stays in
 * the host's user namespace: it moves the container root over "/" and
 * chroots there, as switch_root does.  The init's mount namespace is then
 * copied from the helper's into the container's user namespace, which locks
 * every mount to its parent: container root cannot unmount "/" to uncover
 * the host's files, and ".." at its root leads back to it.  /dev is made
 * here too, while the host's device nodes are still in reach.
 */
static void prepare_moved_root(const struct ns_spawn *s, int errfd)
{
	bind_root(s, errfd);
	setup_dev(errfd, s->idbase);
	if (mount(".", "/", NULL, MS_MOVE, NULL) < 0)
		child_fail(errfd, errno, "move the container root over /");
	if (chroot(".") < 0 || chdir("/") < 0)
		child_fail(errfd, errno, "chroot to the container root");
}

/*
 * Is "/" the initramfs itself, with nothing mounted over it?  mountinfo
 * then has no "/" line at all, or (older kernels) one of type rootfs.
 */
static bool host_root_is_rootfs(void)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096];
	bool seen = false, rootfs = false;

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		char mnt[256], *sep = strstr(line, " - ");
		char type[64];

		if (!sep || sscanf(line, "%*d %*d %*s %*s %255s", mnt) != 1 || strcmp(mnt, "/"))
			continue;
		seen = true;
		if (sscanf(sep + 3, "%63s", type) == 1)
			rootfs = !strcmp(type, "rootfs");	/* the last "/" is the top one */
	}
	return !seen || rootfs;
}

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
		child_fail(errfd, errno, "set hostname %s", h);
}

static void __attribute__((noreturn))
spawn_child(const struct ns_spawn *s, int syncfd, int errfd, bool need_cgroupns, bool root_ready)
{
	char *const envp[] = { "container=ctlvz", "HOME=/",
			       "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
			       NULL };
	char *const argv[] = { (char *)s->init, NULL };
	char go;
	int nullfd;

	/* EOF here means the parent gave up (or died): never run half set up. */
	if (read(syncfd, &go, 1) != 1)
		_exit(1);
	close(syncfd);

	if (!root_ready)
		bind_root(s, errfd);
	if (become_root() < 0)
		child_fail(errfd, errno, "switch to the container's root user");
	if (need_cgroupns && unshare(CLONE_NEWCGROUP) < 0)
		child_fail(errfd, errno, "unshare the cgroup namespace");
	setup_mounts(errfd, root_ready);
	if (!root_ready)
		enter_root(errfd);
	set_hostname(s->hostname, errfd);

	nullfd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (nullfd < 0)
		child_fail(errfd, errno, "open /dev/null in the container");
	if (dup2(nullfd, 0) < 0 ||
	    dup2(s->console_fd >= 0 ? s->console_fd : nullfd, 1) < 0 ||
	    dup2(s->console_fd >= 0 ? s->console_fd : nullfd, 2) < 0)
		child_fail(errfd, errno, "set up init's stdio");
	if (setsid() < 0)
		child_fail(errfd, errno, "setsid");
	drop_caps(errfd);
	syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC);
	execve(s->init, argv, envp);
	child_fail(errfd, errno, "exec %s in the container", s->init);
}

static int write_id_maps(pid_t pid, uid_t base, struct ct_err **err)
{
	static const char *const files[] = { "uid_map", "gid_map" };
	_cleanup_free_ char *map = xasprintf("0 %u %u\n", base, CT_ID_COUNT);

	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		_cleanup_free_ char *path = xasprintf("/proc/%d/%s", pid, files[i]);
		int r = write_file(path, map);

		if (r < 0)
			return err_set(err, VZ_ENVCREATE_ERROR, -r, "write %s", path);
	}
	return 0;
}

/* Read what a child reports before exec; 0 on EOF (exec done), -1 with err. */
static int read_child_error(int fd, struct ct_err **err)
{
	char msg[1024];
	size_t len = 0;
	ssize_t n;

	while ((n = read(fd, msg + len, sizeof(msg) - 1 - len)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return err_set(err, VZ_SYSTEM_ERROR, errno, "read the child's status");
		}
		len += n;
		if (len == sizeof(msg) - 1)
			break;
	}
	if (!len)
		return 0;
	msg[len] = '\0';
	return err_set(err, VZ_ENVCREATE_ERROR, 0, "%s", msg);
}

static void kill_and_reap(pid_t pid)
{
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

#define INIT_NS_FLAGS (CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | \
		       CLONE_NEWIPC | CLONE_NEWNET)

/* The usual way: init straight from ctlvz, into its cgroup. */
static pid_t clone_init(const struct ns_spawn *s, int sync_r, int sync_w, int err_r, int err_w,
			bool *procs_fallback, struct ct_err **err)
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
		spawn_child(s, sync_r, err_w, *procs_fallback, false);
	}
	return pid;
}

/* On an initramfs root: init cloned by a helper that prepared its root (see above). */
static pid_t clone_init_via_helper(const struct ns_spawn *s, int sync_r, int sync_w, int err_r,
				   int *err_wp, struct ct_err **err)
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
				child_fail(err_w, -r, "write %s", procs);
		}
		prepare_moved_root(s, err_w);
		/* CLONE_PARENT: the init is ctlvz's child, as in the usual way. */
		pid = clone3_into(-1, CLONE_PARENT | INIT_NS_FLAGS | CLONE_NEWCGROUP, NULL);
		if (pid < 0)
			child_fail(err_w, errno, "clone the init into new namespaces (from the root helper)");
		if (pid == 0) {
			close(info_w);
			spawn_child(s, sync_r, err_w, false, true);
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
		if (read_child_error(err_r, err) == 0)
			err_set(err, VZ_ENVCREATE_ERROR, 0, "the root helper died (status %d)", status);
		return -1;
	}
	return pid;
}

/* Map ids, join the cgroup if need be, let prepare run, wake init, wait for its exec. */
static int release_init(struct ns_spawn *s, pid_t pid, bool procs_fallback, int sync_w,
			int err_r, struct ct_err **err)
{
	if (write_id_maps(pid, s->idbase, err) < 0)
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
	return read_child_error(err_r, err);
}

int ns_spawn(struct ns_spawn *s, struct ct_err **err)
{
	_cleanup_close_ int sync_r = -1, sync_w = -1, err_r = -1, err_w = -1;
	int syncp[2], errp[2], pidfd;
	bool procs_fallback = false;
	pid_t pid;

	if (pipe2(syncp, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0)
		return err_set(err, VZ_SYSTEM_ERROR, errno, "pipe");
	sync_r = syncp[0], sync_w = syncp[1], err_r = errp[0], err_w = errp[1];

	if (host_root_is_rootfs())
		pid = clone_init_via_helper(s, sync_r, sync_w, err_r, &err_w, err);
	else
		pid = clone_init(s, sync_r, sync_w, err_r, err_w, &procs_fallback, err);
	if (pid < 0)
		return -1;
	/* Only the children write errors from here on: EOF means exec'd. */
	close(TAKE_FD(sync_r));
	close(TAKE_FD(err_w));

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
	s->pid = pid;
	s->pidfd = pidfd;
	return 0;
}

/* ---- ns_exec ---- */

static int send_fd(int sock, int fd)
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

static int recv_fd(int sock)
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
static void open_pty(int sock, int errfd)
{
	_cleanup_close_ int master = -1;
	int slave;

	master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0)
		child_fail(errfd, errno, "open /dev/ptmx in the container");
	if (unlockpt(master) < 0)
		child_fail(errfd, errno, "unlockpt");
	slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY);
	if (slave < 0)
		child_fail(errfd, errno, "open the pty peer");
	if (setsid() < 0 || ioctl(slave, TIOCSCTTY, 0) < 0)
		child_fail(errfd, errno, "make the pty the controlling terminal");
	if (dup2(slave, 0) < 0 || dup2(slave, 1) < 0 || dup2(slave, 2) < 0)
		child_fail(errfd, errno, "dup the pty");
	if (slave > 2)
		close(slave);
	if (send_fd(sock, master) < 0)
		child_fail(errfd, errno, "pass the pty to ctlvz");
}

static void __attribute__((noreturn))
exec_child(const struct ns_exec *x, bool join_cgroup, int errfd, int sock)
{
	const int flags = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET |
			  CLONE_NEWCGROUP | CLONE_NEWPID;
	int status;
	pid_t pid;

	if (join_cgroup) {
		_cleanup_free_ char *procs = xasprintf("%s/cgroup.procs", x->cgroup_path);
		int r = write_file(procs, "0");

		if (r < 0)
			child_fail(errfd, -r, "write %s", procs);
	}
	/* Privileged namespaces first; the user namespace last, when dropping. */
	if (setns(x->pidfd, flags) < 0)
		child_fail(errfd, errno, "join the container's namespaces");
	pid = fork();
	if (pid < 0)
		child_fail(errfd, errno, "fork");
	if (pid == 0) {
		if (setns(x->pidfd, CLONE_NEWUSER) < 0)
			child_fail(errfd, errno, "join the container's user namespace");
		if (become_root() < 0)
			child_fail(errfd, errno, "switch to the container's root user");
		if (chdir("/") < 0)
			child_fail(errfd, errno, "chdir /");
		if (x->pty)
			open_pty(sock, errfd);
		drop_caps(errfd);
		syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC);
		execvp(x->argv[0], x->argv);
		child_fail(errfd, errno, "exec %s in the container", x->argv[0]);
	}
	close(errfd);
	if (sock >= 0)
		close(sock);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			_exit(126);
	_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
}

static volatile sig_atomic_t winch_pending;

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
static void relay_pty(int master)
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

int ns_exec(const struct ns_exec *x, struct ct_err **err)
{
	_cleanup_close_ int err_r = -1, err_w = -1, sock_p = -1, sock_c = -1, pidfd = -1;
	_cleanup_close_ int master = -1;
	int errp[2], sv[2], status;
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
		master = recv_fd(sock_p);
	if (read_child_error(err_r, err) < 0) {
		(*err)->status = VZ_COMMAND_EXECUTION_ERROR;
		if (strstr((*err)->msg, "exec ") == (*err)->msg)
			(*err)->status = 127;	/* as a shell says "command not found" */
		kill_and_reap(pid);
		return -1;
	}
	if (master >= 0)
		relay_pty(master);
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
		if (setns(pidfd, flags) < 0 || setns(pidfd, CLONE_NEWUSER) < 0)
			child_fail(err_w, errno, "join the container's namespaces");
		if (become_root() < 0)
			child_fail(err_w, errno, "switch to the container's root user");
		if (fn(arg, &what) < 0)
			child_fail(err_w, errno, "%s", what);
		_exit(0);
	}
	close(TAKE_FD(err_w));
	if (read_child_error(err_r, err) < 0) {
		(*err)->status = VZ_SYSTEM_ERROR;
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
