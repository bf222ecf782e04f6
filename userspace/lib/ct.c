// SPDX-License-Identifier: GPL-2.0
/*
 * A container's life, step by step: create, start, stop, exec, set,
 * destroy.  Each step is told here in order; the work is done by the
 * units it names (template, idmap, runstate, cgroup, bc, lim, net, ns).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "bc.h"
#include "cgroup.h"
#include "clone.h"
#include "console.h"
#include "ct.h"
#include "idmap.h"
#include "import.h"
#include "net.h"
#include "ns.h"
#include "provision.h"
#include "runstate.h"
#include "template.h"
#include "util.h"

static int pidfd_signal(int pidfd, int sig)
{
	return syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}

static void __attribute__((format(printf, 2, 3)))
notice(const struct ct *ct, const char *fmt, ...)
{
	_cleanup_free_ char *msg = NULL;
	va_list ap;

	if (!ct->notice)
		return;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (msg)
		ct->notice(msg);
}

static bool init_is_systemd(pid_t pid)
{
	_cleanup_free_ char *comm_path = xasprintf("/proc/%d/comm", pid);
	_cleanup_free_ char *comm = NULL;

	return read_file(comm_path, &comm) == 0 && !strcmp(comm, "systemd\n");
}

int ct_status(struct ct *ct, struct ct_status *out, struct ct_err **err)
{
	struct run_state st;
	_cleanup_close_ int pidfd = -1;
	int r;

	memset(out, 0, sizeof(*out));
	out->exists = ct->exists && access(ct->private_dir, F_OK) == 0;
	out->nproc = -1;
	r = runstate_load(ct, &st, err);
	if (r == -1)
		return -1;
	if (r == 0 && !strcmp(st.state, STATE_RUNNING) && runstate_find_init(&st, &pidfd) == 0) {
		out->running = true;
		out->init_pid = st.pid;
		/* systemd says READY=1 once booted; other inits never tell. */
		out->booting = init_is_systemd(st.pid) && access(ct->ready_path, F_OK) < 0;
	} else if (r == 0 || cg_exists(ct->cgroup)) {
		out->stale = true;
	}
	if (cg_exists(ct->cgroup))
		out->nproc = cg_nr_tasks(ct->cgroup);
	return 0;
}

/* ---- teardown, shared by stop and repair ---- */

/* Kill what is left, unregister, unplug, remove.  Safe on any partial state. */
static int teardown(struct ct *ct, struct ct_err **err)
{
	const char *sock = ct->console_sock;
	_cleanup_close_ int vzfd = -1;

	if (cg_exists(ct->cgroup)) {
		if (cg_kill(ct->cgroup, err) < 0)
			return -1;
		if (cg_wait_empty(ct->cgroup, 10000) < 0)
			return err_set(err, VZ_STOP_ERROR, ETIMEDOUT,
				       "wait for the tasks of %s to die", ct->cgroup);
	}
	if (net_stop(ct->ctid, err) < 0)
		return -1;
	/* Without the module loaded there is no beancounter to remove. */
	if (access(VZBC_DEVICE_PATH, F_OK) == 0) {
		int r;

		vzfd = bc_open(BC_OPEN_MODPROBE, err);
		if (vzfd < 0)
			return -1;
		r = bc_destroy(vzfd, ct->ctid, err);
		if (r < 0 && r != -ENOENT)
			return -1;
		err_free(err);	/* no beancounter: nothing to remove */
	}
	if (cg_remove(ct->cgroup, err) < 0)
		return -1;
	if (unlink(sock) < 0 && errno != ENOENT)
		return err_set(err, VZ_SYSTEM_ERROR, errno, "remove %s", sock);
	if (unlink(ct->ready_path) < 0 && errno != ENOENT)
		return err_set(err, VZ_SYSTEM_ERROR, errno, "remove %s", ct->ready_path);
	if (unlink(ct->state_path) < 0 && errno != ENOENT)
		return err_set(err, VZ_SYSTEM_ERROR, errno, "remove %s", ct->state_path);
	return 0;
}

static int repair(struct ct *ct, struct ct_err **err)
{
	notice(ct, "container %u: cleaning up after an interrupted ctlvz", ct->ctid);
	if (teardown(ct, err) < 0)
		return err_prefix(err, "clean up container %u", ct->ctid);
	return 0;
}

/* ---- create / destroy ---- */

int ct_create(struct ct *ct, const struct ct_create_opts *o, struct ct_err **err)
{
	_cleanup_free_ char *tmpl = NULL, *partial = NULL, *ips = NULL, *b = NULL;
	_cleanup_free_ char *alloc_lock = NULL;
	_cleanup_kv_ struct kvfile *conf = NULL;
	_cleanup_close_ int alloc_fd = -1;
	uid_t base = 0;
	int r;

	if (ct->exists)
		return err_set(err, VZ_FS_PRVT_AREA_EXIST, 0, "container %u already exists (%s)",
			       ct->ctid, ct->conf_path);
	if (access(ct->private_dir, F_OK) == 0)
		return err_set(err, VZ_FS_PRVT_AREA_EXIST, 0,
			       "private area %s already exists without a config; "
			       "\"ctlvz destroy %u\" removes it", ct->private_dir, ct->ctid);
	if (!o->ostemplate)
		return err_set(err, VZ_VE_OSTEMPLATE_NOTSET, 0, "--ostemplate is required");
	if (o->hostname && !ct_hostname_ok(o->hostname))
		return err_set(err, VZ_BADHOSTNAME, 0, "invalid hostname \"%s\"", o->hostname);
	if (template_resolve(ct, o->ostemplate, &tmpl, err) < 0)
		return -1;

	r = mkdir_p(ct->paths->confdir, 0755);
	if (r < 0)
		return err_set(err, VZ_SYSTEM_ERROR, -r, "create %s", ct->paths->confdir);
	/* One allocator at a time: the range is taken when CTID.conf is written. */
	alloc_lock = xasprintf("%s/idmap.lock", ct->paths->lockdir);
	alloc_fd = open(alloc_lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (alloc_fd < 0 || flock(alloc_fd, LOCK_EX) < 0)
		return err_set(err, VZ_SYSTEM_ERROR, errno, "lock %s", alloc_lock);
	if (idmap_alloc(ct, &base, err) < 0)
		return -1;

	/* Unpack beside the final place; a leftover from a killed create goes first. */
	partial = xasprintf("%s.partial", ct->private_dir);
	r = rm_rf(partial);
	if (r == 0) {
		_cleanup_free_ char *parent = xstrdup(ct->private_dir);

		*strrchr(parent, '/') = '\0';
		r = *parent ? mkdir_p(parent, 0700) : 0;
	}
	if (r < 0 || mkdir(partial, 0755) < 0)
		return err_set(err, VZ_FS_NEW_VE_PRVT, r < 0 ? -r : errno, "create %s", partial);
	if (template_unpack(tmpl, partial, err) < 0 || idmap_shift_tree(partial, base, err) < 0) {
		rm_rf(partial);
		return err_prefix(err, "unpack %s into %s", tmpl, partial);
	}
	if (rename(partial, ct->private_dir) < 0) {
		r = errno;
		rm_rf(partial);
		return err_set(err, VZ_FS_NEW_VE_PRVT, r, "rename %s to %s", partial, ct->private_dir);
	}

	conf = kv_new(ct->conf_path);
	ips = strv_join(o->ips);
	b = xasprintf("%u", base);
	kv_set(conf, "OSTEMPLATE", o->ostemplate);
	kv_set(conf, "VE_ROOT", ct->paths->ve_root);
	kv_set(conf, "VE_PRIVATE", ct->paths->ve_private);
	if (o->hostname)
		kv_set(conf, "HOSTNAME", o->hostname);
	kv_set(conf, "IP_ADDRESS", ips);
	kv_set(conf, "USERNS_BASE", b);
	if (o->limits)
		lim_store(o->limits, conf);
	if (o->origin)
		kv_set(conf, "ORIGIN_SAMPLE", o->origin);
	if (kv_save(conf, err) < 0) {
		rm_rf(ct->private_dir);
		return -1;
	}
	return 0;
}

int ct_destroy(struct ct *ct, struct ct_err **err)
{
	_cleanup_free_ char *gone = xasprintf("%s.destroyed", ct->conf_path);
	_cleanup_free_ char *partial = xasprintf("%s.partial", ct->private_dir);
	struct ct_status st;
	int r;

	if (ct_status(ct, &st, err) < 0)
		return -1;
	if (st.running)
		return err_set(err, VZ_VE_RUNNING, 0,
			       "container %u is running; stop it first (ctlvz stop %u)",
			       ct->ctid, ct->ctid);
	if (!ct->exists && access(ct->private_dir, F_OK) < 0 && access(partial, F_OK) < 0)
		return err_set(err, VZ_NOVECONFIG, 0, "container %u does not exist", ct->ctid);
	if (st.stale && repair(ct, err) < 0)
		return -1;
	/* Config first: a destroy killed half-way leaves no half-usable container. */
	if (ct->exists && rename(ct->conf_path, gone) < 0)
		return err_set(err, VZ_SYSTEM_ERROR, errno, "rename %s", ct->conf_path);
	r = rm_rf(ct->private_dir);
	if (r == 0)
		r = rm_rf(partial);
	if (r < 0)
		return err_set(err, VZ_FS_DEL_PRVT, -r, "remove private area %s", ct->private_dir);
	if (rmdir(ct->root) < 0 && errno != ENOENT)
		notice(ct, "warning: remove %s: %s", ct->root, strerror(errno));
	if (unlink(gone) < 0 && errno != ENOENT)
		return err_set(err, VZ_SYSTEM_ERROR, errno, "remove %s", gone);
	unlink(ct->console_path);
	return 0;
}

/* ---- start / stop ---- */

struct start_ctx {
	struct ct *ct;
	int cgroup_fd;
	uid_t base;
	char **ips;
};

static int start_prepare(pid_t pid, void *arg, struct ct_err **err)
{
	struct start_ctx *c = arg;

	if (cg_delegate(c->cgroup_fd, c->ct->cgroup, c->base, c->base, err) < 0)
		return -1;
	if (net_start(c->ct->ctid, pid, c->ips, err) < 0)
		return err_prefix(err, "set up the network");
	return 0;
}

/* DEVNODES of the config, as vzctl's: only "net/tun[:rw]" is known. */
static int want_tun(struct ct *ct, bool *tun, struct ct_err **err)
{
	const char *v = kv_get(ct->conf, "DEVNODES");
	_cleanup_strv_ char **nodes = v ? strv_split(v) : NULL;

	*tun = false;
	for (char **n = nodes; n && *n; n++) {
		if (strcmp(*n, "net/tun") && strcmp(*n, "net/tun:rw"))
			return err_set(err, VZ_INVALID_PARAMETER_VALUE, 0,
				       "%s: DEVNODES: unknown device \"%s\" (known: net/tun:rw)",
				       ct->conf_path, *n);
		*tun = true;
	}
	if (*tun && access("/dev/net/tun", R_OK | W_OK) < 0)
		return err_set(err, VZ_SYSTEM_ERROR, errno, "DEVNODES net/tun: /dev/net/tun");
	return 0;
}

static int do_start(struct ct *ct, struct ct_err **err)
{
	_cleanup_close_ int vzfd = -1, cgfd = -1, payfd = -1;
	_cleanup_strv_ char **ips = ct_ips(ct);
	_cleanup_(lim_free) struct ct_limits limits = { 0 };
	const char *init = kv_get(ct->conf, "INIT");
	_cleanup_free_ char *payload = xasprintf("%s/" CG_PAYLOAD, ct->cgroup);
	const struct console_paths cons = { .log = ct->console_path, .sock = ct->console_sock,
					    .ready = ct->ready_path };
	struct start_ctx ctx = { .ct = ct };
	struct ns_spawn s = { 0 };
	struct pollfd pfd;
	int r;

	if (idmap_base(ct, &ctx.base, err) < 0 ||
	    lim_load(&limits, ct->conf, err) < 0 || want_tun(ct, &s.tun, err) < 0)
		return -1;
	for (char **ip = ips; *ip; ip++) {
		_cleanup_free_ char *canon = NULL;

		if (net_parse_ip(*ip, &canon, err) < 0)
			return err_prefix(err, "%s: IP_ADDRESS", ct->conf_path);
	}
	vzfd = bc_open(BC_OPEN_MODPROBE, err);
	if (vzfd < 0)
		return -1;
	r = mkdir_p(ct->root, 0755);
	if (r < 0)
		return err_set(err, VZ_SYSTEM_ERROR, -r, "create mount point %s", ct->root);
	if (runstate_save(ct, STATE_STARTING, 0, 0, err) < 0)
		return -1;
	if (cg_prepare(ct->paths->cgroup_root, err) < 0 ||
	    cg_create(ct->cgroup, &cgfd, err) < 0 ||
	    bc_create(vzfd, ct->ctid, cgfd, err) < 0)
		return -1;
	/* The saved limits hold before the container's first task exists. */
	if (lim_apply(&limits, ct->cgroup, vzfd, ct->ctid, ct->private_dir, err) < 0)
		return err_prefix(err, "apply the limits of %s", ct->conf_path);
	/* Init's tree below, delegated to it: the limits above stay ctlvz's. */
	if (cg_create_payload(ct->cgroup, &payfd, err) < 0)
		return -1;

	ctx.cgroup_fd = payfd;
	ctx.ips = ips;
	s.private_dir = ct->private_dir;
	s.root_dir = ct->root;
	if (prov_start_ct(ct, ctx.base, err) < 0)
		return -1;
	s.hostname = kv_get(ct->conf, "HOSTNAME");
	s.init = init && *init ? init : "/sbin/init";
	s.cgroup_fd = payfd;
	s.cgroup_path = payload;
	s.idbase = ctx.base;
	s.prepare = start_prepare;
	s.prepare_arg = &ctx;
	if (ns_spawn(&s, err) < 0)
		return -1;
	r = console_start_holder(s.console, s.notify, s.pid, &cons, err);
	close(s.console);
	close(s.notify);
	if (r < 0) {
		close(s.pidfd);
		kill_and_reap(s.pid);
		return -1;
	}

	/* An init that dies at once is a failed start, not a running container. */
	pfd = (struct pollfd){ .fd = s.pidfd, .events = POLLIN };
	if (poll(&pfd, 1, 100) > 0) {
		int status = 0;

		waitpid(s.pid, &status, 0);
		close(s.pidfd);
		return err_set(err, VZ_ENVCREATE_ERROR, 0,
			       "init %s exited at once (status %d); see %s", s.init,
			       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
			       ct->console_path);
	}
	close(s.pidfd);
	return runstate_save(ct, STATE_RUNNING, s.pid, runstate_starttime(s.pid), err);
}

int ct_start(struct ct *ct, struct ct_err **err)
{
	struct ct_status st;
	_cleanup_err_ struct ct_err *cleanup_err = NULL;

	if (!ct->exists)
		return err_set(err, VZ_NOVECONFIG, 0,
			       "container %u does not exist (no %s); create it first",
			       ct->ctid, ct->conf_path);
	if (access(ct->private_dir, F_OK) < 0)
		return err_set(err, VZ_FS_NOPRVT, errno, "private area %s", ct->private_dir);
	if (ct_status(ct, &st, err) < 0)
		return -1;
	if (st.running)
		return err_set(err, VZ_VE_RUNNING, 0, "container %u is already running", ct->ctid);
	if (st.stale && repair(ct, err) < 0)
		return -1;
	if (ct_import(ct, err) < 0)
		return -1;
	if (do_start(ct, err) == 0)
		return 0;
	if (teardown(ct, &cleanup_err) < 0)
		notice(ct, "start %u: undo: %s", ct->ctid, cleanup_err->msg);
	return -1;
}

/* A signal by number, or by name with or without "SIG" (TERM, PWR, RTMIN+3). */
static int sig_parse(const char *s)
{
	static const struct { const char *name; int sig; } names[] = {
		{ "TERM", SIGTERM }, { "INT", SIGINT }, { "HUP", SIGHUP }, { "QUIT", SIGQUIT },
		{ "USR1", SIGUSR1 }, { "USR2", SIGUSR2 }, { "PWR", SIGPWR }, { "KILL", SIGKILL },
	};
	char *end;
	long n;

	if (!strncmp(s, "SIG", 3))
		s += 3;
	if (!strncmp(s, "RTMIN+", 6)) {
		n = strtol(s + 6, &end, 10);
		return *end || end == s + 6 || n < 0 || SIGRTMIN + n > SIGRTMAX ? -1 : SIGRTMIN + (int)n;
	}
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(s, names[i].name))
			return names[i].sig;
	n = strtol(s, &end, 10);
	return *end || end == s || n <= 0 || n > SIGRTMAX ? -1 : (int)n;
}

/*
 * What halts init: the config's STOP_SIGNAL (a number or a name such as
 * RTMIN+3), else SIGRTMIN+3 for systemd (halt: in a container it exits once
 * its shutdown is done; SIGTERM would make it re-execute itself), else
 * SIGTERM, which sysvinit and busybox init stop on.
 */
static int stop_signal(struct ct *ct, pid_t pid, struct ct_err **err)
{
	const char *conf = kv_get(ct->conf, "STOP_SIGNAL");

	if (conf && *conf) {
		int sig = sig_parse(conf);

		if (sig <= 0)
			return err_set(err, VZ_INVALID_PARAMETER_VALUE, 0,
				       "%s: STOP_SIGNAL: unknown signal \"%s\"", ct->conf_path, conf);
		return sig;
	}
	if (init_is_systemd(pid))
		return SIGRTMIN + 3;
	return SIGTERM;
}

int ct_stop(struct ct *ct, bool fast, struct ct_err **err)
{
	_cleanup_close_ int pidfd = -1;
	struct run_state st;
	int r;

	r = runstate_load(ct, &st, err);
	if (r == -1)
		return -1;
	if (r == -ENOENT && !cg_exists(ct->cgroup))
		return err_set(err, VZ_VE_NOT_RUNNING, 0, "container %u is not running", ct->ctid);
	if (r == 0 && strcmp(st.state, STATE_STARTING) && runstate_find_init(&st, &pidfd) == 0) {
		int sig = stop_signal(ct, st.pid, err);

		if (sig < 0 || runstate_save(ct, STATE_STOPPING, st.pid, st.starttime, err) < 0)
			return -1;
		if (!fast && pidfd_signal(pidfd, sig) == 0 &&
		    cg_wait_empty(ct->cgroup, ct->paths->stop_timeout * 1000L) < 0)
			notice(ct, "container %u: still running after %lus; killing it",
			       ct->ctid, ct->paths->stop_timeout);
	} else {
		notice(ct, "container %u: init is gone; cleaning up", ct->ctid);
	}
	if (teardown(ct, err) < 0)
		return err_prefix(err, "stop container %u", ct->ctid);
	return 0;
}

/* ---- exec / set ---- */

static int running_init(struct ct *ct, int *pidfd, pid_t *pid, struct ct_err **err)
{
	struct run_state st;
	int r = runstate_load(ct, &st, err);

	if (r == -1)
		return -1;
	if (r < 0 || strcmp(st.state, STATE_RUNNING) || runstate_find_init(&st, pidfd) < 0)
		return err_set(err, VZ_VE_NOT_RUNNING, 0, "container %u is not running", ct->ctid);
	if (pid)
		*pid = st.pid;
	return 0;
}

int ct_exec(struct ct *ct, char *const *argv, bool pty, struct ct_err **err)
{
	_cleanup_close_ int pidfd = -1, cgfd = -1;
	_cleanup_free_ char *leaf = NULL;
	struct ns_exec x = { .argv = argv, .pty = pty };
	int r;

	if (running_init(ct, &pidfd, NULL, err) < 0)
		return -1;
	/* A leaf of its own beside systemd's tree, under the container's limits. */
	if (cg_create_exec(ct->cgroup, getpid(), &leaf, &cgfd, err) < 0)
		return -1;
	/* The command may run for long: let stop and others go on meanwhile. */
	if (ct->lock_fd >= 0)
		close(TAKE_FD(ct->lock_fd));
	x.pidfd = pidfd;
	x.cgroup_fd = cgfd;
	x.cgroup_path = leaf;
	r = ns_exec(&x, err);
	/* Busy if the command left something behind: stop removes it then. */
	if (rmdir(leaf) < 0 && errno != EBUSY && errno != ENOENT)
		notice(ct, "warning: remove %s: %s", leaf, strerror(errno));
	return r;
}

int ct_console(struct ct *ct, struct ct_err **err)
{
	_cleanup_close_ int pidfd = -1;

	if (running_init(ct, &pidfd, NULL, err) < 0)
		return -1;
	return console_attach(ct->console_sock, err);
}

static int write_hostname(void *arg, const char **what)
{
	const char *h = arg;

	*what = "set the hostname";
	return sethostname(h, strlen(h));
}

static bool strv_contains(char *const *v, const char *s)
{
	for (; v && *v; v++)
		if (!strcmp(*v, s))
			return true;
	return false;
}

int ct_set(struct ct *ct, const struct ct_set *s, struct ct_err **err)
{
	_cleanup_strv_ char **ips = ct_ips(ct);
	_cleanup_close_ int pidfd = -1;
	bool running = false;
	pid_t pid = 0;
	struct ct_status st;
	size_t n;

	if (!ct->exists)
		return err_set(err, VZ_NOVECONFIG, 0, "container %u does not exist", ct->ctid);
	if (ct_status(ct, &st, err) < 0)
		return -1;
	if (st.running && running_init(ct, &pidfd, &pid, err) < 0)
		return -1;
	running = st.running;
	if (!running && !s->save)
		return err_set(err, VZ_VE_NOT_RUNNING, 0,
			       "container %u is not running: add --save to change its config",
			       ct->ctid);

	/*
	 * Checked whole before anything changes.  A stopped container's
	 * addresses are its config's; a running one may also have live ones.
	 */
	for (size_t i = 0; i < s->nr_ipdel; i++)
		if (!running && strcmp(s->ipdel[i], "all") && !strv_contains(ips, s->ipdel[i]))
			return err_set(err, VZ_BADIP, 0, "container %u has no address %s",
				       ct->ctid, s->ipdel[i]);
	for (size_t i = 0; i < s->nr_ipadd; i++)
		if (strv_contains(ips, s->ipadd[i]))
			return err_set(err, VZ_BADIP, 0, "container %u has address %s already",
				       ct->ctid, s->ipadd[i]);

	if (running && s->limits) {
		_cleanup_close_ int vzfd = -1;

		/* All or nothing, so first: nothing else has changed yet. */
		vzfd = bc_open(BC_OPEN_MODPROBE, err);
		if (vzfd < 0 ||
		    lim_apply(s->limits, ct->cgroup, vzfd, ct->ctid, ct->private_dir, err) < 0)
			return err_prefix(err, "container %u", ct->ctid);
	}
	if (running) {
		/* The files from the host (provision.h), the name in its uts namespace. */
		if (s->hostname && (prov_hostname_ct(ct, s->hostname, err) < 0 ||
				    ns_run(pidfd, write_hostname, (void *)s->hostname, err) < 0))
			return err_prefix(err, "set hostname of container %u", ct->ctid);
		for (size_t i = 0; i < s->nr_ipdel; i++) {
			if (strcmp(s->ipdel[i], "all")) {
				if (net_ip_del(ct->ctid, pid, s->ipdel[i], false, err) < 0)
					return err_prefix(err, "container %u", ct->ctid);
				continue;
			}
			for (char **ip = ips; *ip; ip++)
				if (net_ip_del(ct->ctid, pid, *ip, true, err) < 0)
					return err_prefix(err, "container %u", ct->ctid);
		}
		for (size_t i = 0; i < s->nr_ipadd; i++)
			if (net_ip_add(ct->ctid, pid, s->ipadd[i], err) < 0)
				return err_prefix(err, "container %u", ct->ctid);
	}

	if (!s->save)
		return 0;
	for (size_t i = 0; i < s->nr_ipdel; i++) {
		if (!strcmp(s->ipdel[i], "all")) {
			strv_free(ips);
			ips = xzalloc(sizeof(char *));
			continue;
		}
		for (n = 0; ips[n]; n++)
			if (!strcmp(ips[n], s->ipdel[i])) {
				free(ips[n]);
				memmove(&ips[n], &ips[n + 1], sizeof(char *) * (strv_len(ips + n + 1) + 1));
				break;
			}
	}
	for (size_t i = 0; i < s->nr_ipadd; i++)
		ips = strv_push(ips, s->ipadd[i]);
	if (s->hostname)
		kv_set(ct->conf, "HOSTNAME", s->hostname);
	if (s->limits)
		lim_store(s->limits, ct->conf);
	if (s->nr_ipadd || s->nr_ipdel) {
		_cleanup_free_ char *joined = strv_join(ips);

		kv_set(ct->conf, "IP_ADDRESS", joined);
	}
	return kv_save(ct->conf, err);
}
