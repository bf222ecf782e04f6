/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the ctlvz_*_test programs: a private ctlvz setup per fixture
 * (its own global config, config dir, private areas and lock dir under a
 * fresh /tmp directory, so tests never touch /etc/ctlvz or /vz/private),
 * and running ctlvz with its output captured.
 *
 * $CTLVZ names the binary (default /usr/sbin/ctlvz); templates come from
 * $LOWFAT_TEMPLATES (default /vz/template/cache, as the VM installs them).
 */
#ifndef CTLVZ_TEST_H
#define CTLVZ_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

struct ctlvz_env {
	char dir[256];		/* everything of this fixture lives here */
	char conf[PATH_MAX];	/* its global config, exported as CTLVZ_CONF */
};

static inline const char *ctlvz_bin(void)
{
	const char *b = getenv("CTLVZ");

	return b && *b ? b : "/usr/sbin/ctlvz";
}

/* The template directory (TEMPLATE=), whose cache/ holds busybox.tar.gz. */
static inline void ctlvz_template_dir(char *out, size_t len)
{
	const char *c = getenv("LOWFAT_TEMPLATES");
	char *slash;

	snprintf(out, len, "%s", c && *c ? c : "/vz/template/cache");
	slash = strrchr(out, '/');
	if (slash && !strcmp(slash, "/cache"))
		*slash = '\0';
}

/* Make the private setup; 0 or -errno. */
static inline int ctlvz_env_init(struct ctlvz_env *e, unsigned int stop_timeout)
{
	char tmpl[PATH_MAX];
	FILE *f;

	snprintf(e->dir, sizeof(e->dir), "/tmp/ctlvz-test.XXXXXX");
	if (!mkdtemp(e->dir))
		return -errno;
	snprintf(e->conf, sizeof(e->conf), "%s/ctlvz.conf", e->dir);
	ctlvz_template_dir(tmpl, sizeof(tmpl));
	f = fopen(e->conf, "w");
	if (!f)
		return -errno;
	fprintf(f, "CONFDIR=\"%s/conf\"\nVE_ROOT=\"%s/root/$VEID\"\n"
		   "VE_PRIVATE=\"%s/private/$VEID\"\nLOCKDIR=\"%s/run\"\n"
		   "TEMPLATE=\"%s\"\nSTOP_TIMEOUT=\"%u\"\n",
		e->dir, e->dir, e->dir, e->dir, tmpl, stop_timeout);
	fclose(f);
	return setenv("CTLVZ_CONF", e->conf, 1) < 0 ? -errno : 0;
}

/*
 * Run "ctlvz ARGS" (ARGS is shell text) with stdout and stderr in out;
 * returns the exit status, or -1 if it could not run or died of a signal.
 */
static inline int __attribute__((format(printf, 3, 4)))
ctlvz_out(char *out, size_t len, const char *fmt, ...)
{
	char args[4096], cmd[4200];
	size_t n = 0;
	va_list ap;
	FILE *p;
	int st;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof(cmd), "%s %s 2>&1", ctlvz_bin(), args);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	if (out && len) {
		n = fread(out, 1, len - 1, p);
		out[n] = '\0';
	}
	while (fgetc(p) != EOF)
		;
	st = pclose(p);
	if (st < 0 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

#define ctlvz_run(...) ctlvz_out(NULL, 0, __VA_ARGS__)

/* Stop (fast) and destroy every container of the setup, then remove it all. */
static inline int ctlvz_rm_one(const char *p, const struct stat *st, int type, struct FTW *f)
{
	(void)st;
	(void)f;
	return type == FTW_DP ? rmdir(p) : unlink(p);
}

static inline void ctlvz_env_fini(struct ctlvz_env *e)
{
	char out[64];

	if (!e->dir[0])
		return;
	/* "list -a -H -o ctid" gives one CTID per line. */
	{
		char ids[4096], *save = NULL;

		if (ctlvz_out(ids, sizeof(ids), "list -a -H -o ctid") == 0)
			for (char *t = strtok_r(ids, " \n", &save); t; t = strtok_r(NULL, " \n", &save)) {
				ctlvz_out(out, sizeof(out), "stop %s --fast", t);
				ctlvz_out(out, sizeof(out), "destroy %s", t);
			}
	}
	nftw(e->dir, ctlvz_rm_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
	e->dir[0] = '\0';
}

/* Appends @text to container @ctid's config file: 0 or -errno. */
static inline int ctlvz_conf_append(const struct ctlvz_env *e, unsigned int ctid, const char *text)
{
	char path[PATH_MAX];
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), "%s/conf/%u.conf", e->dir, ctid);
	f = fopen(path, "a");
	if (!f)
		return -errno;
	ret = fputs(text, f) < 0 ? -EIO : 0;
	if (fclose(f) && !ret)
		ret = -errno;
	return ret;
}

/* Host pid of a running container's init, from its run state; -1 if none. */
static inline pid_t ctlvz_init_pid(const struct ctlvz_env *e, unsigned int ctid)
{
	char path[PATH_MAX], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/run/%u.state", e->dir, ctid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strstr(buf, "PID=\"");
	return p ? (pid_t)atoi(p + 5) : -1;
}

#endif
