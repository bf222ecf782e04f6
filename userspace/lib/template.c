// SPDX-License-Identifier: GPL-2.0
/* OS templates; see template.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <spawn.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "template.h"
#include "util.h"

extern char **environ;

int template_resolve(const struct ct *ct, const char *t, char **out, struct ct_err **err)
{
	static const char *const suffixes[] = { "", ".tar.gz", ".tgz", ".tar.xz", ".tar" };

	if (strchr(t, '/')) {
		if (access(t, R_OK) < 0)
			return err_set(err, VZ_FS_BAD_TMPL, errno, "OS template %s", t);
		*out = xstrdup(t);
		return 0;
	}
	if (!*t || !strcmp(t, ".") || !strcmp(t, ".."))
		return err_set(err, VZ_FS_BAD_TMPL, 0, "invalid OS template name \"%s\"", t);
	for (size_t i = 0; i < ARRAY_SIZE(suffixes); i++) {
		_cleanup_free_ char *p = xasprintf("%s/cache/%s%s", ct->paths->template_dir, t,
						  suffixes[i]);

		if (access(p, R_OK) == 0) {
			*out = TAKE_PTR(p);
			return 0;
		}
	}
	return err_set(err, VZ_FS_BAD_TMPL, 0,
		       "OS template %s not found in %s/cache (tried %s, %s.tar.gz, %s.tar.xz, %s.tar)",
		       t, ct->paths->template_dir, t, t, t, t);
}

static int run_tool(char *const argv[], struct ct_err **err)
{
	int status, r;
	pid_t pid;

	r = posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ);
	if (r)
		return err_set(err, VZ_FS_NEW_VE_PRVT, r, "run %s", argv[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return err_set(err, VZ_FS_NEW_VE_PRVT, errno, "wait for %s", argv[0]);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return err_set(err, VZ_FS_NEW_VE_PRVT, 0, "%s failed (status %d)", argv[0],
			       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return 0;
}

int template_unpack(const char *tmpl, const char *dir, struct ct_err **err)
{
	struct stat st;

	if (stat(tmpl, &st) < 0)
		return err_set(err, VZ_FS_BAD_TMPL, errno, "OS template %s", tmpl);
	if (S_ISDIR(st.st_mode)) {
		_cleanup_free_ char *src = xasprintf("%s/.", tmpl);
		char *const argv[] = { "cp", "-a", src, (char *)dir, NULL };

		return run_tool(argv, err);
	} else {
		const char *z = str_has_suffix(tmpl, ".gz") || str_has_suffix(tmpl, ".tgz") ? "-z" :
				str_has_suffix(tmpl, ".xz") ? "-J" : NULL;
		char *const argv[] = { "tar", "-x", "--numeric-owner", "-f", (char *)tmpl,
				       "-C", (char *)dir, (char *)z, NULL };

		return run_tool(argv, err);
	}
}
