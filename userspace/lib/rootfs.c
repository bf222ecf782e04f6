// SPDX-License-Identifier: GPL-2.0
/* The container's root file system and its mounts, built in its init. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "chan.h"
#include "pty.h"
#include "rootfs.h"
#include "util.h"

static void xmount(int errfd, const char *src, const char *dst, const char *type,
		   unsigned long flags, const char *data)
{
	if (mount(src, dst, type, flags, data) < 0)
		chan_fail(errfd, CHAN_STEP_SETUP, errno, "mount %s on %s", type ? type : src ? src : "(flags)", dst);
}

static void xmkdir(int errfd, const char *path, mode_t mode)
{
	if (mkdir(path, mode) < 0 && errno != EEXIST)
		chan_fail(errfd, CHAN_STEP_SETUP, errno, "mkdir %s", path);
}

/*
 * Bind the private area on root_dir and make it our cwd.  Done before the
 * switch to the container's root user: the host directories leading to the
 * private area may be closed to it (VE_PRIVATE's parent is 0700).
 */
void rootfs_bind(const struct ns_spawn *s, int errfd)
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
		chan_fail(errfd, CHAN_STEP_SETUP, errno, "statvfs %s", r);
	for (size_t i = 0; i < ARRAY_SIZE(keep_flags); i++)
		if (sv.f_flag & keep_flags[i][0])
			flags |= keep_flags[i][1];
	xmount(errfd, NULL, r, NULL, flags, NULL);
	if (chdir(r) < 0)
		chan_fail(errfd, CHAN_STEP_SETUP, errno, "chdir %s", r);
}

/*
 * /dev below the cwd: a small tmpfs holding the host's harmless nodes (bind
 * mounts: a user namespace cannot mknod), a pts and a shm directory, the
 * usual symlinks.  owner is the container's root as the mounter's user
 * namespace names it (0 inside it, the host uid base outside).
 */
void rootfs_make_dev(const struct ns_spawn *s, int errfd, uid_t owner)
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
			chan_fail(errfd, CHAN_STEP_SETUP, errno, "create %s", ct);
		close(fd);
		xmount(errfd, host, ct, NULL, MS_BIND, NULL);
	}
	if (s->tun) {
		int fd;

		xmkdir(errfd, "dev/net", 0755);
		fd = open("dev/net/tun", O_CREAT | O_WRONLY | O_CLOEXEC, 0666);
		if (fd < 0)
			chan_fail(errfd, CHAN_STEP_SETUP, errno, "create dev/net/tun");
		close(fd);
		xmount(errfd, "/dev/net/tun", "dev/net/tun", NULL, MS_BIND, NULL);
		if (lchown("dev/net", owner, owner) < 0)
			chan_fail(errfd, CHAN_STEP_SETUP, errno, "chown dev/net");
	}
	xmkdir(errfd, "dev/pts", 0755);
	xmkdir(errfd, "dev/shm", 01777);
	for (size_t i = 0; i < ARRAY_SIZE(links); i++)
		if (symlink(links[i][0], links[i][1]) < 0 ||
		    lchown(links[i][1], owner, owner) < 0)
			chan_fail(errfd, CHAN_STEP_SETUP, errno, "symlink %s", links[i][1]);
	if (lchown("dev/pts", owner, owner) < 0 || lchown("dev/shm", owner, owner) < 0)
		chan_fail(errfd, CHAN_STEP_SETUP, errno, "chown dev/pts and dev/shm");
}

/*
 * Mount the container's pseudo filesystems below the cwd, as its root user
 * in its namespaces: proc of its pid namespace, sysfs of its netns (read
 * only), cgroup2 of its cgroup namespace, its own devpts instance.
 */
void rootfs_mount_pseudo(const struct ns_spawn *s, int errfd, bool dev_ready)
{
	xmkdir(errfd, "proc", 0555);
	xmount(errfd, "proc", "proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	xmkdir(errfd, "sys", 0555);
	xmount(errfd, "sysfs", "sys", "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	xmount(errfd, "cgroup2", "sys/fs/cgroup", "cgroup2", MS_NOSUID | MS_NODEV | MS_NOEXEC,
	       NULL);
	if (!dev_ready)
		rootfs_make_dev(s, errfd, 0);
	xmount(errfd, "devpts", "dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
	       "newinstance,ptmxmode=0666,mode=0620,gid=5");
	xmount(errfd, "tmpfs", "dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777");
	xmkdir(errfd, "run", 0755);
	xmount(errfd, "tmpfs", "run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=755");
	xmkdir(errfd, "tmp", 01777);
	xmount(errfd, "tmpfs", "tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777");
}

/*
 * /dev/console below the cwd: a pty of the container's own devpts (so its
 * root owns it, as systemd wants to chown it), the slave bound on
 * dev/console.  The master goes to ctlvz over @sock; the slave is returned,
 * init's stdio.
 */
int rootfs_make_console(int sock, int errfd)
{
	_cleanup_close_ int master = -1;
	char pts[32];
	int n, fd;

	master = open("dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0)
		chan_fail(errfd, CHAN_STEP_SETUP, errno, "open dev/pts/ptmx for the console");
	if (unlockpt(master) < 0 || ioctl(master, TIOCGPTN, &n) < 0)
		chan_fail(errfd, CHAN_STEP_SETUP, errno, "unlock the console pty");
	snprintf(pts, sizeof(pts), "dev/pts/%d", n);
	fd = open("dev/console", O_CREAT | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		chan_fail(errfd, CHAN_STEP_SETUP, errno, "create dev/console");
	close(fd);
	xmount(errfd, pts, "dev/console", NULL, MS_BIND, NULL);
	fd = open("dev/console", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		chan_fail(errfd, CHAN_STEP_SETUP, errno, "open dev/console");
	if (pty_send_fd(sock, master) < 0)
		chan_fail(errfd, CHAN_STEP_SETUP, errno, "pass the console to ctlvz");
	return fd;
}

static void write_new(int errfd, const char *path, const char *text, bool only_if_empty)
{
	_cleanup_close_ int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0444);
	struct stat st;

	if (fd < 0 && errno == EROFS)
		return;
	if (fd < 0 || fstat(fd, &st) < 0)
		chan_fail(errfd, CHAN_STEP_SETUP, errno, "open %s", path);
	if (only_if_empty && st.st_size > 0)
		return;
	if (ftruncate(fd, 0) < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		chan_fail(errfd, CHAN_STEP_SETUP, errno, "write %s", path);
}

/*
 * After the pivot, as the container's root: what systemd's container
 * interface asks of a manager beyond the environment.  /run/systemd/container
 * names the manager; an empty or missing /etc/machine-id gets a random one,
 * kept on the private area so that it stays across boots.
 */
void rootfs_container_files(int sock, int errfd)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX, .sun_path = NOTIFY_SOCKET_PATH };
	_cleanup_close_ int notify = -1;
	unsigned char rnd[16];
	char id[34];

	xmkdir(errfd, "/run/systemd", 0755);
	write_new(errfd, "/run/systemd/container", CONTAINER_MANAGER "\n", false);
	if (getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd))
		chan_fail(errfd, CHAN_STEP_SETUP, errno, "getrandom");
	rnd[6] = (rnd[6] & 0x0f) | 0x40;	/* a v4 UUID, as systemd-machine-id-setup */
	rnd[8] = (rnd[8] & 0x3f) | 0x80;
	for (size_t i = 0; i < sizeof(rnd); i++)
		snprintf(id + 2 * i, 3, "%02x", rnd[i]);
	id[32] = '\n', id[33] = '\0';
	if (access("/etc", W_OK) == 0)
		write_new(errfd, "/etc/machine-id", id, true);

	/* systemd tells its manager READY=1 here when the boot is done ($NOTIFY_SOCKET). */
	xmkdir(errfd, "/run/host", 0755);
	notify = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (notify < 0 || bind(notify, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		chan_fail(errfd, CHAN_STEP_SETUP, errno, "bind %s", NOTIFY_SOCKET_PATH);
	if (pty_send_fd(sock, notify) < 0)
		chan_fail(errfd, CHAN_STEP_SETUP, errno, "pass the notify socket to ctlvz");
}

/*
 * Make root_dir (our cwd) the root: pivot_root(".", ".") stacks the old root
 * under the new one, which the lazy unmount then drops.  The old root was
 * locked to its parent (it came from the host's mount namespace into the
 * container's user namespace); pivot_root hands that lock to the new root,
 * so container root cannot unmount its "/".
 */
void rootfs_pivot(int errfd)
{
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		chan_fail(errfd, CHAN_STEP_SETUP, errno, "pivot_root to the container root");
	if (umount2(".", MNT_DETACH) < 0)
		chan_fail(errfd, CHAN_STEP_SETUP, errno, "detach the host root");
	if (chdir("/") < 0)
		chan_fail(errfd, CHAN_STEP_SETUP, errno, "chdir /");
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
void rootfs_move(const struct ns_spawn *s, int errfd)
{
	rootfs_bind(s, errfd);
	rootfs_make_dev(s, errfd, s->idbase);
	if (mount(".", "/", NULL, MS_MOVE, NULL) < 0)
		chan_fail(errfd, CHAN_STEP_SETUP, errno, "move the container root over /");
	if (chroot(".") < 0 || chdir("/") < 0)
		chan_fail(errfd, CHAN_STEP_SETUP, errno, "chroot to the container root");
}

/*
 * Is "/" the initramfs itself, with nothing mounted over it?  mountinfo
 * then has no "/" line at all, or (older kernels) one of type rootfs.
 */
bool rootfs_host_is_initramfs(void)
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
