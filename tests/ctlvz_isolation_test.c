// SPDX-License-Identifier: GPL-2.0
/*
 * A started ctlvz container is isolated: its own pid 1 and no host process,
 * its hostname, root mapped to an unprivileged host range, every namespace
 * its own, its network (eth0 with its address, reaching the other container
 * and the host), no host SysV IPC; and container root cannot get out:
 * unmount or chroot out of its root, open /dev/vzbc, raise its own cgroup
 * limits, mknod a block device, load a module, setns to a host namespace,
 * ptrace a host process.
 */
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <sys/ipc.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>

#include "kselftest_harness.h"
#include "ctlvz_test.h"

#define CT_A	7201
#define CT_B	7202
#define IP_A	"10.92.0.1"
#define IP_B	"10.92.0.2"
#define IP_HOST	"10.92.0.254"
#define MARKER	"/lowfat-ctlvz-host-marker"

FIXTURE(ct) {
	struct ctlvz_env env;
	char out[16384];
};

FIXTURE_SETUP(ct)
{
	int fd;

	memset(&self->env, 0, sizeof(self->env));
	ASSERT_EQ(0, access(ctlvz_bin(), X_OK)) TH_LOG("%s missing", ctlvz_bin());
	ASSERT_EQ(0, access("/dev/vzbc", F_OK)) TH_LOG("/dev/vzbc missing: vzbc.ko not loaded");
	ASSERT_EQ(0, ctlvz_env_init(&self->env, 10));
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out),
			       "create %d --ostemplate busybox --hostname iso-a --ipadd " IP_A, CT_A))
		TH_LOG("%s", self->out);
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out),
			       "create %d --ostemplate busybox --hostname iso-b --ipadd " IP_B, CT_B))
		TH_LOG("%s", self->out);
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "start %d", CT_A)) TH_LOG("%s", self->out);
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "start %d", CT_B)) TH_LOG("%s", self->out);
	/* Something only the host's root file system has. */
	fd = open(MARKER, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
	ASSERT_LE(0, fd);
	close(fd);
}

FIXTURE_TEARDOWN(ct)
{
	unlink(MARKER);
	ctlvz_env_fini(&self->env);
}

static bool same_ns(const char *host_link, const char *ct_link)
{
	return !strcmp(host_link, ct_link);
}

TEST_F(ct, pid1_is_init_and_no_host_process)
{
	char *save = NULL;

	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "exec %d cat /proc/1/comm", CT_A));
	EXPECT_STREQ("init\n", self->out);
	/* Every process it can see: init and this very command. */
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out),
			       "exec %d sh -c 'for p in /proc/[0-9]*; do echo ${p#/proc/} $(cat $p/comm); done'",
			       CT_A));
	for (char *l = strtok_r(self->out, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char comm[64] = "";
		int pid = 0;

		sscanf(l, "%d %63s", &pid, comm);
		EXPECT_TRUE(!strcmp(comm, "init") || !strcmp(comm, "sh") || !strcmp(comm, "cat"))
			TH_LOG("unexpected process in the container: %s", l);
		EXPECT_GT(50, pid) TH_LOG("%s: pid numbers are the container's own", l);
	}
}

TEST_F(ct, hostname)
{
	char host[256];

	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "exec %d hostname", CT_A));
	EXPECT_STREQ("iso-a\n", self->out);
	ASSERT_EQ(0, gethostname(host, sizeof(host)));
	EXPECT_STRNE("iso-a", host);
	/* A live change reaches the container, not the host. */
	ASSERT_EQ(0, ctlvz_run("set %d --hostname iso-a2", CT_A));
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "exec %d hostname", CT_A));
	EXPECT_STREQ("iso-a2\n", self->out);
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "exec %d hostname", CT_B));
	EXPECT_STREQ("iso-b\n", self->out);
}

TEST_F(ct, root_is_mapped)
{
	pid_t a = ctlvz_init_pid(&self->env, CT_A), b = ctlvz_init_pid(&self->env, CT_B);
	char path[64], buf[512];
	unsigned long ua = 0, ub = 0, base, len;
	FILE *f;

	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "exec %d id -u", CT_A));
	EXPECT_STREQ("0\n", self->out);
	ASSERT_LT(0, a);
	ASSERT_LT(0, b);
	/* The host sees the init as an unprivileged uid. */
	snprintf(path, sizeof(path), "/proc/%d/status", a);
	f = fopen(path, "r");
	ASSERT_NE(NULL, f);
	while (fgets(buf, sizeof(buf), f))
		sscanf(buf, "Uid:\t%lu", &ua);
	fclose(f);
	EXPECT_LE(65536UL, ua);
	snprintf(path, sizeof(path), "/proc/%d/uid_map", b);
	f = fopen(path, "r");
	ASSERT_NE(NULL, f);
	ASSERT_EQ(3, fscanf(f, "%*u %lu %lu", &ub, &len) + 1);
	fclose(f);
	EXPECT_EQ(65536UL, len);
	/* 65536 ids each, never overlapping. */
	base = ua < ub ? ua : ub;
	EXPECT_LE(base + 65536, ua > ub ? ua : ub);
}

TEST_F(ct, namespaces_differ)
{
	static const char *const nss[] = { "user", "pid", "mnt", "uts", "ipc", "net", "cgroup" };

	for (size_t i = 0; i < sizeof(nss) / sizeof(nss[0]); i++) {
		char link[64], host[128] = "", *nl;
		ssize_t n;

		snprintf(link, sizeof(link), "/proc/self/ns/%s", nss[i]);
		n = readlink(link, host, sizeof(host) - 1);
		ASSERT_LT(0, n);
		host[n] = '\0';
		ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "exec %d readlink %s", CT_A, link));
		nl = strchr(self->out, '\n');
		if (nl)
			*nl = '\0';
		EXPECT_FALSE(same_ns(host, self->out)) TH_LOG("%s: host %s, container %s", nss[i],
							     host, self->out);
		EXPECT_NE(NULL, strstr(self->out, nss[i]));
	}
}

TEST_F(ct, network)
{
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "exec %d ip addr", CT_A));
	EXPECT_NE(NULL, strstr(self->out, ": lo:"));
	EXPECT_NE(NULL, strstr(self->out, ": eth0@"));
	EXPECT_NE(NULL, strstr(self->out, "inet " IP_A "/32"));
	EXPECT_EQ(NULL, strstr(self->out, IP_B));
	/* No route needs setting up by hand: proxy ARP and host routes do it. */
	EXPECT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "exec %d ping -c 1 -W 5 " IP_B, CT_A))
		TH_LOG("%s", self->out);
	EXPECT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "exec %d ping -c 1 -W 5 " IP_A, CT_B))
		TH_LOG("%s", self->out);
	system("ip addr add " IP_HOST "/32 dev lo 2>/dev/null");
	EXPECT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "exec %d ping -c 1 -W 5 " IP_HOST, CT_B))
		TH_LOG("%s", self->out);
	EXPECT_EQ(0, system("ping -c 1 -W 5 " IP_A " >/dev/null 2>&1"));
	system("ip addr del " IP_HOST "/32 dev lo 2>/dev/null");
	/* Live --ipadd/--ipdel. */
	EXPECT_EQ(0, ctlvz_run("set %d --ipadd 10.92.0.11", CT_A));
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "exec %d ip addr show eth0", CT_A));
	EXPECT_NE(NULL, strstr(self->out, "inet 10.92.0.11/32"));
	EXPECT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "exec %d ping -c 1 -W 5 10.92.0.11", CT_B));
	EXPECT_EQ(0, ctlvz_run("set %d --ipdel 10.92.0.11", CT_A));
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out), "exec %d ip addr show eth0", CT_A));
	EXPECT_EQ(NULL, strstr(self->out, "10.92.0.11"));
}

TEST_F(ct, sysv_ipc_invisible)
{
	int id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
	char *nl;

	ASSERT_LE(0, id);
	ASSERT_EQ(0, ctlvz_out(self->out, sizeof(self->out),
			       "exec %d sh -c 'wc -l < /proc/sysvipc/shm'", CT_A));
	shmctl(id, IPC_RMID, NULL);
	nl = strchr(self->out, '\n');
	if (nl)
		*nl = '\0';
	EXPECT_STREQ("1", self->out) TH_LOG("the container sees host shm segments");
}

/* ---- escapes, through ctlvz exec ---- */

TEST_F(ct, escape_commands_fail)
{
	static const char *const attempts[] = {
		"cat /dev/vzbc",
		"mknod /tmp/vzbc c 10 63",
		"mknod /tmp/sda b 8 0",
		"echo 100000 > /sys/fs/cgroup/pids.max",
		"echo max > /sys/fs/cgroup/memory.max",
		"echo $$ > /sys/fs/cgroup/../cgroup.procs",
		"insmod /bin/busybox",
		"umount / && test -e " MARKER,
		"umount -l / && test -e " MARKER,
		"test -e " MARKER,
		"test -e /proc/1/root" MARKER,
		"nsenter -t 1 -m -- test -e " MARKER,
		"mount -t proc proc /mnt && test -e /mnt/1/root" MARKER,
		"echo h > /proc/sysrq-trigger",
		"echo 1 > /proc/sys/kernel/sysrq",
	};

	for (size_t i = 0; i < sizeof(attempts) / sizeof(attempts[0]); i++) {
		int rc = ctlvz_out(self->out, sizeof(self->out), "exec %d sh -c '%s'", CT_A,
				   attempts[i]);

		EXPECT_NE(0, rc) TH_LOG("container root succeeded: %s (%s)", attempts[i], self->out);
	}
	/* The container still runs normally afterwards. */
	EXPECT_EQ(0, ctlvz_run("exec %d true", CT_A));
	EXPECT_EQ(0, access(MARKER, F_OK));
}

/* ---- escapes in C, as a process of the container ---- */

static int cap_bounding(pid_t pid, unsigned long long *bnd)
{
	char path[64], buf[256];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(buf, sizeof(buf), f))
		if (sscanf(buf, "CapBnd:\t%llx", bnd) == 1) {
			fclose(f);
			return 0;
		}
	fclose(f);
	return -1;
}

/*
 * Become a process of the container whose init is pid: its namespaces (user
 * last), uid/gid 0, its bounding set as effective/permitted set.  Children
 * forked afterwards are in its pid namespace.
 */
static int join(pid_t pid)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2] = { 0 };
	unsigned long long bnd;
	int pidfd = syscall(SYS_pidfd_open, pid, 0);

	if (pidfd < 0 || cap_bounding(pid, &bnd) < 0)
		return -1;
	if (setns(pidfd, CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET |
			 CLONE_NEWCGROUP | CLONE_NEWPID) < 0 ||
	    setns(pidfd, CLONE_NEWUSER) < 0)
		return -1;
	close(pidfd);
	if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
		return -1;
	for (int c = 0; c < 64; c++)
		if (!(bnd & (1ULL << c)))
			prctl(PR_CAPBSET_DROP, c, 0, 0, 0);
	d[0].effective = d[0].permitted = (__u32)bnd;
	d[1].effective = d[1].permitted = (__u32)(bnd >> 32);
	return syscall(SYS_capset, &h, d);
}

/* Run fn in a process of the container (in its pid namespace); fn's exit code. */
static int in_container(pid_t init, int (*fn)(void *), void *arg)
{
	pid_t child = fork();
	int st;

	if (child == 0) {
		pid_t gc;

		if (join(init) < 0)
			_exit(100);
		gc = fork();
		if (gc == 0)
			_exit(fn(arg));
		if (gc < 0 || waitpid(gc, &st, 0) < 0 || !WIFEXITED(st))
			_exit(101);
		_exit(WEXITSTATUS(st));
	}
	if (child < 0 || waitpid(child, &st, 0) < 0 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* 0: stayed inside; 1: reached the host root. */
static int try_chroot_escape(void *arg)
{
	(void)arg;
	mkdir("/esc", 0755);
	if (chroot("/esc") < 0)
		return 2;	/* cannot even chroot: no way out either */
	for (int i = 0; i < 64; i++)
		if (chdir("..") < 0)
			break;
	if (chroot(".") < 0)
		return 0;
	return access(MARKER, F_OK) == 0;
}

static int try_umount_root(void *arg)
{
	(void)arg;
	umount2("/", MNT_DETACH);
	if (chdir("/") < 0)
		return 0;
	for (int i = 0; i < 8; i++)
		if (chdir("..") < 0)
			break;
	return access(MARKER, F_OK) == 0 || access("../" MARKER, F_OK) == 0;
}

struct host_fds {
	int netns, mntns;
	pid_t host_pid;
};

static int try_host_fds(void *arg)
{
	struct host_fds *h = arg;

	/* A leaked host namespace fd is useless: no CAP_SYS_ADMIN over the host. */
	if (setns(h->netns, CLONE_NEWNET) == 0)
		return 1;
	if (setns(h->mntns, CLONE_NEWNS) == 0)
		return 2;
	/* Host pids do not exist here; ptrace by number finds nothing of the host. */
	if (kill(h->host_pid, 0) == 0 || errno != ESRCH)
		return 3;
	if (ptrace(PTRACE_ATTACH, h->host_pid, 0, 0) == 0)
		return 4;
	if (syscall(SYS_pidfd_open, h->host_pid, 0) >= 0)
		return 5;
	return 0;
}

static int try_devices(void *arg)
{
	int fd;

	(void)arg;
	if (mknod("/tmp/blk", S_IFBLK | 0600, makedev(8, 0)) == 0)
		return 1;
	if (open("/dev/vzbc", O_RDWR) >= 0)
		return 2;
	fd = open("/sys/fs/cgroup/pids.max", O_WRONLY);
	if (fd >= 0 && write(fd, "max", 3) == 3)
		return 3;
	fd = open("/bin/busybox", O_RDONLY);
	if (fd >= 0 && syscall(SYS_finit_module, fd, "", 0) == 0)
		return 4;
	if (errno != EPERM)
		return 5;
	return 0;
}

TEST_F(ct, escape_syscalls_fail)
{
	pid_t init = ctlvz_init_pid(&self->env, CT_A);
	struct host_fds h = { .host_pid = getpid() };

	ASSERT_LT(0, init);
	EXPECT_EQ(0, in_container(init, try_chroot_escape, NULL)) TH_LOG("chroot escape worked");
	EXPECT_EQ(0, in_container(init, try_devices, NULL));
	h.netns = open("/proc/self/ns/net", O_RDONLY);
	h.mntns = open("/proc/self/ns/mnt", O_RDONLY);
	ASSERT_LE(0, h.netns);
	ASSERT_LE(0, h.mntns);
	EXPECT_EQ(0, in_container(init, try_host_fds, &h));
	close(h.netns);
	close(h.mntns);
	EXPECT_EQ(0, in_container(init, try_umount_root, NULL)) TH_LOG("unmounting / exposed the host");
	EXPECT_EQ(0, access(MARKER, F_OK));
}

TEST_HARNESS_MAIN
