// SPDX-License-Identifier: GPL-2.0
/* /dev/vzbc and /proc/user_beancounters helpers; see vzbc.h. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bc.h"
#include "vzbc.h"

/*
 * The resources the tests expect, an oracle only: the kernel's own list
 * (VZBC_IOC_RESOURCES) and its /proc and GET output are checked against it.
 */
const uint32_t vzbc_res_ids[VZBC_NR_RES] = {
	VZBC_RES_NUMPROC, VZBC_RES_PHYSPAGES, VZBC_RES_SWAPPAGES,
	VZBC_RES_IOBYTES, VZBC_RES_IOPS,
};
const char *const vzbc_res_names[VZBC_NR_RES] = {
	"numproc", "physpages", "swappages", "iobytes", "iops",
};

bool vzbc_res_is_memory(uint32_t res)
{
	return res == VZBC_RES_PHYSPAGES || res == VZBC_RES_SWAPPAGES;
}

int vzbc_res_index(uint32_t res)
{
	for (unsigned int i = 0; i < VZBC_NR_RES; i++)
		if (vzbc_res_ids[i] == res)
			return i;
	return -1;
}

uint32_t vzbc_test_ctid(unsigned int nr)
{
	/* pid_max is at most 2^22: 10^8 + 2^22 * 64 + 63 < VZBC_CTID_MAX. */
	return 100000000u + ((uint32_t)getpid() & 0x3fffff) * 64 + (nr & 63);
}

/* The well-formed calls go through ctlvz's kernel client (userspace/lib/bc.h). */
int vzbc_open(void)
{
	return bc_open(0, NULL);
}

int vzbc_version(int fd)
{
	return bc_version(fd, NULL);
}

int vzbc_create(int fd, uint32_t ctid, int cgfd)
{
	return bc_create(fd, ctid, cgfd, NULL);
}

int vzbc_destroy(int fd, uint32_t ctid)
{
	return bc_destroy(fd, ctid, NULL);
}

int vzbc_set(int fd, uint32_t ctid, uint32_t res, uint64_t barrier,
	     uint64_t limit)
{
	return bc_set(fd, ctid, res, barrier, limit, NULL);
}

int vzbc_get(int fd, uint32_t ctid, struct vzbc_stat *stats, uint32_t *nr)
{
	return bc_get(fd, ctid, stats, nr, NULL);
}

int vzbc_get_res(int fd, uint32_t ctid, uint32_t res, struct vzbc_stat *st)
{
	return bc_get_res(fd, ctid, res, st, NULL);
}

int vzbc_list(int fd, uint32_t start, uint32_t *ctids, uint32_t *nr,
	      uint32_t *next)
{
	return bc_list(fd, start, ctids, nr, next, NULL);
}

int vzbc_poll_read(void *arg, uint64_t *val)
{
	const struct vzbc_poll_arg *a = arg;
	struct vzbc_stat st;
	int ret = vzbc_get_res(a->fd, a->ctid, a->res, &st);

	if (ret)
		return ret;
	switch (a->field) {
	case VZBC_HELD:
		*val = st.held;
		break;
	case VZBC_MAXHELD:
		*val = st.maxheld;
		break;
	case VZBC_MINHELD:
		*val = st.minheld;
		break;
	case VZBC_FAILCNT:
		*val = st.failcnt;
		break;
	}
	return 0;
}

char *read_text(const char *path, int *err)
{
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap), *nbuf;
	ssize_t n;
	int fd;

	if (!buf) {
		*err = -ENOMEM;
		return NULL;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*err = -errno;
		free(buf);
		return NULL;
	}
	for (;;) {
		if (cap - len < 2) {
			nbuf = realloc(buf, cap * 2);
			if (!nbuf) {
				*err = -ENOMEM;
				goto fail;
			}
			buf = nbuf;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0) {
			*err = -errno;
			goto fail;
		}
		if (n == 0)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	*err = 0;
	return buf;
fail:
	close(fd);
	free(buf);
	return NULL;
}

/* Splits one line (not NUL-terminated) into at most @max tokens. */
#define MAX_TOKENS	12
#define TOKEN_LEN	32

static int tokenize(const char *line, size_t len, char tok[][TOKEN_LEN])
{
	int nr = 0;
	size_t i = 0, start;

	while (i < len) {
		while (i < len && isspace((unsigned char)line[i]))
			i++;
		if (i == len)
			break;
		start = i;
		while (i < len && !isspace((unsigned char)line[i]))
			i++;
		if (nr == MAX_TOKENS || i - start >= TOKEN_LEN)
			return -1;
		memcpy(tok[nr], line + start, i - start);
		tok[nr][i - start] = '\0';
		nr++;
	}
	return nr;
}

static int parse_num(const char *s, uint64_t *v)
{
	unsigned long long x;
	char *end;

	if (!isdigit((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno || *end)
		return -EINVAL;
	*v = x;
	return 0;
}

static int parse_row(char tok[][TOKEN_LEN], struct ubc_row *row)
{
	uint64_t *v[5] = {
		&row->held, &row->maxheld, &row->barrier, &row->limit,
		&row->failcnt,
	};

	if (strlen(tok[0]) >= sizeof(row->name) || isdigit((unsigned char)tok[0][0]))
		return -EINVAL;
	strcpy(row->name, tok[0]);
	for (int i = 0; i < 5; i++)
		if (parse_num(tok[i + 1], v[i]))
			return -EINVAL;
	return 0;
}

#define PARSE_FAIL(f, lineno, ...) do {					\
	int __n = snprintf((f)->err, sizeof((f)->err), "line %d: ", lineno); \
	snprintf((f)->err + __n, sizeof((f)->err) - __n, __VA_ARGS__);	\
	return -EINVAL;							\
} while (0)

int ubc_parse(const char *text, struct ubc_file *f)
{
	static const char *const header[] = {
		"uid", "resource", "held", "maxheld", "barrier", "limit",
		"failcnt",
	};
	char tok[MAX_TOKENS][TOKEN_LEN];
	struct ubc_block *b = NULL;
	const char *line = text, *nl;
	int lineno = 0, nr;
	uint64_t ctid;

	/* Not a memset: the struct is large and readers loop on it. */
	f->version[0] = '\0';
	f->err[0] = '\0';
	f->nr_blocks = 0;
	for (; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl)
			PARSE_FAIL(f, lineno + 1, "no trailing newline");
		lineno++;
		nr = tokenize(line, nl - line, tok);
		if (nr < 0)
			PARSE_FAIL(f, lineno, "overlong line");
		if (lineno == 1 && nr >= 1 && !strcmp(tok[0], "Version:")) {
			if (nr != 2)
				PARSE_FAIL(f, lineno, "no \"Version: x\"");
			snprintf(f->version, sizeof(f->version), "%s", tok[1]);
			continue;
		}
		if (lineno == 1 + !!f->version[0]) {
			if (nr != 7)
				PARSE_FAIL(f, lineno, "header has %d columns", nr);
			for (int i = 0; i < 7; i++)
				if (strcmp(tok[i], header[i]))
					PARSE_FAIL(f, lineno, "header column %d is \"%s\"",
						   i, tok[i]);
			continue;
		}
		if (nr == 7) {
			size_t l = strlen(tok[0]);

			if (l < 2 || tok[0][l - 1] != ':')
				PARSE_FAIL(f, lineno, "\"%s\" is not \"<ctid>:\"", tok[0]);
			tok[0][l - 1] = '\0';
			if (parse_num(tok[0], &ctid) || ctid == 0 ||
			    ctid > VZBC_CTID_MAX)
				PARSE_FAIL(f, lineno, "bad ctid \"%s\"", tok[0]);
			if (f->nr_blocks == UBC_MAX_BLOCKS)
				PARSE_FAIL(f, lineno, "too many beancounters");
			b = &f->blocks[f->nr_blocks++];
			b->ctid = ctid;
			b->nr_rows = 0;
			if (parse_row(tok + 1, &b->rows[b->nr_rows++]))
				PARSE_FAIL(f, lineno, "malformed row");
		} else if (nr == 6) {
			if (!b)
				PARSE_FAIL(f, lineno, "row outside a block");
			if (b->nr_rows == UBC_MAX_ROWS)
				PARSE_FAIL(f, lineno, "too many rows in a block");
			if (parse_row(tok, &b->rows[b->nr_rows++]))
				PARSE_FAIL(f, lineno, "malformed row");
		} else {
			PARSE_FAIL(f, lineno, "%d columns", nr);
		}
	}
	if (lineno < 1 + !!f->version[0])
		PARSE_FAIL(f, lineno, "truncated file");
	return 0;
}

const struct ubc_block *ubc_find(const struct ubc_file *f, uint32_t ctid)
{
	for (int i = 0; i < f->nr_blocks; i++)
		if (f->blocks[i].ctid == ctid)
			return &f->blocks[i];
	return NULL;
}

const struct ubc_row *ubc_row(const struct ubc_block *b, const char *name)
{
	for (int i = 0; b && i < b->nr_rows; i++)
		if (!strcmp(b->rows[i].name, name))
			return &b->rows[i];
	return NULL;
}

/* Columns implied by "%10s%c %-12s %20lu %20lu %20lu %20lu %20lu". */
#define COL_ID_END	10
#define COL_NAME	12
#define COL_NAME_END	24
#define COL_NUM_END(i)	(45 + 21 * (i))
#define LINE_LEN	COL_NUM_END(4)

/* [from, to) is spaces followed by at least one character of @set. */
static bool right_aligned(const char *l, int from, int to, const char *set)
{
	int i = from;

	while (i < to && l[i] == ' ')
		i++;
	if (i == to)
		return false;
	for (; i < to; i++)
		if (!strchr(set, l[i]))
			return false;
	return true;
}

static bool all_spaces(const char *l, int from, int to)
{
	for (int i = from; i < to; i++)
		if (l[i] != ' ')
			return false;
	return true;
}

#define LAYOUT_FAIL(...) do {					\
	int __n = snprintf(err, errlen, "line %d: ", lineno);	\
	snprintf(err + __n, errlen - __n, __VA_ARGS__);		\
	return -EINVAL;						\
} while (0)

int ubc_check_layout(const char *text, bool with_version, char *err,
		     size_t errlen)
{
	static const char *const labels[] = {
		"held", "maxheld", "barrier", "limit", "failcnt",
	};
	static const char digits[] = "0123456789";
	const char *l = text, *nl;
	bool in_block = false;
	int lineno = 0, len;

	for (; *l; l = nl + 1) {
		nl = strchr(l, '\n');
		lineno++;
		if (!nl)
			LAYOUT_FAIL("no trailing newline");
		len = nl - l;
		if (with_version && lineno == 1) {
			if (len != 12 || strncmp(l, "Version: 2.5", 12))
				LAYOUT_FAIL("\"%.*s\" is not \"Version: 2.5\"", len, l);
			continue;
		}
		if (len != LINE_LEN)
			LAYOUT_FAIL("%d bytes long, not %d", len, LINE_LEN);
		if (lineno == 1 + with_version) {
			/* "%10s  %-12s %20s..." with the column names */
			if (!all_spaces(l, 0, 7) || strncmp(l + 7, "uid", 3) ||
			    !all_spaces(l, COL_ID_END, COL_NAME) ||
			    strncmp(l + COL_NAME, "resource", 8) ||
			    !all_spaces(l, COL_NAME + 8, COL_NAME_END + 1))
				LAYOUT_FAIL("uid/resource header misplaced");
			for (int i = 0; i < 5; i++) {
				int end = COL_NUM_END(i), w = strlen(labels[i]);

				if (!all_spaces(l, end - 20 - 1, end - w) ||
				    strncmp(l + end - w, labels[i], w))
					LAYOUT_FAIL("\"%s\" does not end at column %d",
						    labels[i], end);
			}
			continue;
		}
		if (l[COL_ID_END] == ':') {
			if (!right_aligned(l, 0, COL_ID_END, digits))
				LAYOUT_FAIL("ctid not right-aligned in columns 0-9");
			in_block = true;
		} else if (l[COL_ID_END] == ' ') {
			if (!all_spaces(l, 0, COL_ID_END))
				LAYOUT_FAIL("continuation row with a ctid");
			if (!in_block)
				LAYOUT_FAIL("continuation row before any ctid");
		} else {
			LAYOUT_FAIL("column 10 is '%c', not ':' or ' '",
				    l[COL_ID_END]);
		}
		if (l[COL_ID_END + 1] != ' ' || l[COL_NAME] == ' ' ||
		    l[COL_NAME_END] != ' ')
			LAYOUT_FAIL("resource name not in columns 12-23");
		for (int i = COL_NAME, sp = 0; i < COL_NAME_END; i++) {
			if (l[i] == ' ')
				sp = 1;
			else if (sp || !(islower((unsigned char)l[i]) || l[i] == '_'))
				LAYOUT_FAIL("resource name not left-aligned");
		}
		for (int i = 0; i < 5; i++) {
			int end = COL_NUM_END(i);

			if (l[end - 21] != ' ' ||
			    !right_aligned(l, end - 20, end, digits))
				LAYOUT_FAIL("%s value does not end at column %d",
					    labels[i], end);
		}
	}
	if (lineno < 1 + with_version)
		LAYOUT_FAIL("truncated file");
	return 0;
}

int ubc_find_row(const char *text, const char *name, struct ubc_row *row)
{
	char tok[MAX_TOKENS][TOKEN_LEN];
	const char *line = text, *nl;
	int nr, found = 0;
	struct ubc_row r;

	for (; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl)
			nl = line + strlen(line);
		nr = tokenize(line, nl - line, tok);
		/* The name and five numbers end the line. */
		if (nr >= 6 && !strcmp(tok[nr - 6], name) &&
		    !parse_row(tok + nr - 6, &r) && !found++)
			*row = r;
		if (!*nl)
			break;
	}
	return found;
}
