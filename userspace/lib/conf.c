// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <string.h>
#include <sys/stat.h>

#include "conf.h"
#include "util.h"

static bool key_char(char c, bool first)
{
	return c == '_' || isalpha((unsigned char)c) || (!first && isdigit((unsigned char)c));
}

bool kv_value_ok(const char *v)
{
	for (; *v; v++) {
		unsigned char c = *v;

		if (c == '"' || c == '\\' || c == '`' || c < 0x20 || c == 0x7f)
			return false;
	}
	return true;
}

/* Parse one line; returns NULL on success or a static reason. */
static const char *parse_line(char *s, struct kv_line *l)
{
	char *k, *v, *end;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s || *s == '#')
		return NULL;
	k = s;
	if (!key_char(*s, true))
		return "expected KEY=\"value\"";
	while (key_char(*s, false))
		s++;
	if (*s != '=')
		return "expected '=' after the key";
	*s++ = '\0';
	if (*s == '"' || *s == '\'') {
		char q = *s++;

		v = s;
		end = strchr(s, q);
		if (!end)
			return "unterminated quoted value";
		*end = '\0';
		s = end + 1;
	} else {
		v = s;
		while (*s && *s != ' ' && *s != '\t' && *s != '#')
			s++;
		end = s;
		if (*s && *s != '#')
			s++;
		*end = '\0';
	}
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s && *s != '#')
		return "unexpected text after the value";
	if (!kv_value_ok(v))
		return "value holds a forbidden character";
	l->key = xstrdup(k);
	l->value = xstrdup(v);
	return NULL;
}

struct kvfile *kv_new(const char *path)
{
	struct kvfile *f = xzalloc(sizeof(*f));

	f->path = xstrdup(path);
	return f;
}

static struct kv_line *kv_append(struct kvfile *f)
{
	f->lines = xrealloc(f->lines, (f->nr_lines + 1) * sizeof(*f->lines));
	memset(&f->lines[f->nr_lines], 0, sizeof(*f->lines));
	return &f->lines[f->nr_lines++];
}

int kv_load(const char *path, bool missing_ok, struct kvfile **out, struct ct_err **err)
{
	_cleanup_kv_ struct kvfile *f = kv_new(path);
	_cleanup_free_ char *buf = NULL;
	char *line, *next;
	size_t lineno = 0;
	int r;

	r = read_file(path, &buf);
	if (r == -ENOENT && missing_ok) {
		*out = TAKE_PTR(f);
		return 0;
	}
	if (r < 0)
		return err_set(err, r == -ENOENT ? VZ_NOVECONFIG : VZ_SYSTEM_ERROR, -r,
			       "read %s", path);
	for (line = buf; line && *line; line = next) {
		_cleanup_free_ char *copy = NULL;
		struct kv_line *l;
		const char *why;

		lineno++;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		copy = xstrdup(line);
		l = kv_append(f);
		why = parse_line(copy, l);
		if (why)
			return err_set(err, VZ_INVALID_CONFIG, 0, "%s:%zu: %s", path, lineno, why);
		l->raw = l->key ? NULL : xstrdup(line);
	}
	*out = TAKE_PTR(f);
	return 0;
}

const char *kv_get(const struct kvfile *f, const char *key)
{
	for (size_t i = f->nr_lines; i-- > 0;)
		if (f->lines[i].key && !strcmp(f->lines[i].key, key))
			return f->lines[i].value;
	return NULL;
}

static void line_clear(struct kv_line *l)
{
	free(l->key);
	free(l->value);
	free(l->raw);
}

void kv_set(struct kvfile *f, const char *key, const char *value)
{
	bool done = false;

	for (size_t i = f->nr_lines; i-- > 0;) {
		struct kv_line *l = &f->lines[i];

		if (!l->key || strcmp(l->key, key))
			continue;
		if (value && !done) {
			free(l->value);
			l->value = xstrdup(value);
			done = true;
			continue;
		}
		line_clear(l);
		memmove(l, l + 1, (f->nr_lines - i - 1) * sizeof(*l));
		f->nr_lines--;
	}
	if (value && !done) {
		struct kv_line *l = kv_append(f);

		l->key = xstrdup(key);
		l->value = xstrdup(value);
	}
}

static int write_all(int fd, const char *s, size_t len)
{
	while (len) {
		ssize_t n = write(fd, s, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		s += n;
		len -= n;
	}
	return 0;
}

int kv_save(const struct kvfile *f, struct ct_err **err)
{
	_cleanup_free_ char *tmp = xasprintf("%s.tmpXXXXXX", f->path);
	_cleanup_free_ char *dir = xstrdup(f->path);
	_cleanup_close_ int fd = -1, dfd = -1;
	int r = 0;

	for (size_t i = 0; i < f->nr_lines; i++)
		if (f->lines[i].key && !kv_value_ok(f->lines[i].value))
			return err_set(err, VZ_INVALID_PARAMETER_VALUE, 0,
				       "%s: value of %s holds a forbidden character",
				       f->path, f->lines[i].key);

	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return err_set(err, VZ_SYSTEM_ERROR, errno, "create %s", tmp);
	for (size_t i = 0; i < f->nr_lines && !r; i++) {
		const struct kv_line *l = &f->lines[i];
		_cleanup_free_ char *s = l->key ? xasprintf("%s=\"%s\"\n", l->key, l->value)
						: xasprintf("%s\n", l->raw);

		r = write_all(fd, s, strlen(s));
	}
	if (!r && fchmod(fd, 0644) < 0)
		r = -errno;
	if (!r && fsync(fd) < 0)
		r = -errno;
	if (!r && rename(tmp, f->path) < 0)
		r = -errno;
	if (r) {
		unlink(tmp);
		return err_set(err, VZ_SYSTEM_ERROR, -r, "write %s", f->path);
	}
	dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0)
		fsync(dfd);
	return 0;
}

void kv_free(struct kvfile **f)
{
	if (!*f)
		return;
	for (size_t i = 0; i < (*f)->nr_lines; i++)
		line_clear(&(*f)->lines[i]);
	free((*f)->lines);
	free((*f)->path);
	free(*f);
	*f = NULL;
}

char *paths_expand(const char *tmpl, unsigned int ctid)
{
	size_t cap = strlen(tmpl) + 32, len = 0;
	char *out = xzalloc(cap);

	while (*tmpl) {
		size_t skip = 0;

		if (!strncmp(tmpl, "${VEID}", 7))
			skip = 7;
		else if (!strncmp(tmpl, "$VEID", 5))
			skip = 5;
		if (skip) {
			char num[16];
			int n = snprintf(num, sizeof(num), "%u", ctid);

			if (len + n + 1 > cap)
				out = xrealloc(out, cap = cap * 2 + n);
			memcpy(out + len, num, n);
			len += n;
			tmpl += skip;
			continue;
		}
		if (len + 2 > cap)
			out = xrealloc(out, cap *= 2);
		out[len++] = *tmpl++;
	}
	out[len] = '\0';
	return out;
}

static int take_path(const struct kvfile *f, const char *key, const char *def,
		     char **out, struct ct_err **err)
{
	const char *v = kv_get(f, key);

	if (!v)
		v = def;
	if (v[0] != '/')
		return err_set(err, VZ_NOCONFIG, 0, "%s: %s=\"%s\" is not an absolute path",
			       f->path, key, v);
	*out = xstrdup(v);
	return 0;
}

int paths_load(struct ct_paths *p, struct ct_err **err)
{
	const char *path = getenv("CTLVZ_CONF");
	_cleanup_kv_ struct kvfile *f = NULL;
	const char *v;

	memset(p, 0, sizeof(*p));
	if (!path || !*path)
		path = CTLVZ_GLOBAL_CONF;
	if (kv_load(path, true, &f, err) < 0) {
		if ((*err)->status != VZ_INVALID_CONFIG)
			(*err)->status = VZ_NOCONFIG;
		return -1;
	}
	if (take_path(f, "CONFDIR", "/etc/ctlvz/conf", &p->confdir, err) < 0 ||
	    take_path(f, "VE_ROOT", "/vz/root/$VEID", &p->ve_root, err) < 0 ||
	    take_path(f, "VE_PRIVATE", "/vz/private/$VEID", &p->ve_private, err) < 0 ||
	    take_path(f, "TEMPLATE", "/vz/template", &p->template_dir, err) < 0 ||
	    take_path(f, "CGROUP_ROOT", "/sys/fs/cgroup", &p->cgroup_root, err) < 0 ||
	    take_path(f, "LOCKDIR", "/run/ctlvz", &p->lockdir, err) < 0) {
		paths_free(p);
		return -1;
	}
	p->stop_timeout = 60;
	v = kv_get(f, "STOP_TIMEOUT");
	if (v && parse_ulong(v, 0, 3600, &p->stop_timeout) < 0) {
		paths_free(p);
		return err_set(err, VZ_NOCONFIG, 0, "%s: STOP_TIMEOUT=\"%s\": expected 0..3600 seconds",
			       path, v);
	}
	/* vzctl's name: the sample (plan) "create" applies; "" for none. */
	v = kv_get(f, "CONFIGFILE");
	if (v && *v)
		p->configfile = xstrdup(v);
	return 0;
}

void paths_free(struct ct_paths *p)
{
	free(p->confdir);
	free(p->ve_root);
	free(p->ve_private);
	free(p->template_dir);
	free(p->cgroup_root);
	free(p->lockdir);
	free(p->configfile);
	memset(p, 0, sizeof(*p));
}
