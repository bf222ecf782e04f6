// SPDX-License-Identifier: GPL-2.0
/* Undo-able cgroup file writes; see cgtx.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "cgtx.h"
#include "util.h"

int cgtx_begin(struct cgtx *tx, const char *path, struct ct_err **err)
{
	*tx = (struct cgtx){ 0 };
	tx->dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (tx->dirfd < 0)
		return err_set(err, VZ_SYSTEM_ERROR, errno, "open %s", path);
	tx->path = xstrdup(path);
	return 0;
}

char *cgtx_read(const struct cgtx *tx, const char *file)
{
	char *s = NULL;

	if (read_file_at(tx->dirfd, file, &s) < 0)
		return NULL;
	s[strcspn(s, "\n")] = '\0';
	return s;
}

int cgtx_write(struct cgtx *tx, const char *file, const char *value, const char *old,
	       struct ct_err **err)
{
	_cleanup_free_ char *prev = old ? xstrdup(old) : cgtx_read(tx, file);
	int r = write_file_at(tx->dirfd, file, value);

	if (r < 0)
		return err_set(err, VZ_SETUBC_ERROR, -r, "write \"%s\" to %s/%s", value,
			       tx->path, file);
	tx->done = xrealloc(tx->done, (tx->nr_done + 1) * sizeof(*tx->done));
	tx->done[tx->nr_done++] = (struct cgtx_write){ xstrdup(file), TAKE_PTR(prev) };
	return 0;
}

static void cgtx_end(struct cgtx *tx, bool undo)
{
	while (tx->nr_done--) {
		struct cgtx_write *w = &tx->done[tx->nr_done];

		if (undo && w->old)
			write_file_at(tx->dirfd, w->file, w->old);
		free(w->file);
		free(w->old);
	}
	free(tx->done);
	if (tx->path)	/* begun: dirfd is ours (a zeroed tx holds no fd) */
		close(tx->dirfd);
	free(tx->path);
	*tx = (struct cgtx){ 0 };
}

void cgtx_commit(struct cgtx *tx)
{
	cgtx_end(tx, false);
}

void cgtx_rollback(struct cgtx *tx)
{
	cgtx_end(tx, true);
}
