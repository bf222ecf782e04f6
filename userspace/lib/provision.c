// SPDX-License-Identifier: GPL-2.0
/* Writing the container's /etc files from the host; see provision.h. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <crypt.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>

#include <linux/openat2.h>

#include "ct.h"
#include "idmap.h"
#include "provision.h"
#include "util.h"

/* No /etc file of a container is larger; a bigger one is refused. */
#define PROV_MAX_FILE	(16U << 20)

static const char *file_kind(mode_t m)
{
	switch (m & S_IFMT) {
	case S_IFLNK: return "a symbolic link";
	case S_IFIFO: return "a FIFO";
	case S_IFDIR: return "a directory";
	case S_IFCHR: return "a character device";
	case S_IFBLK: return "a block device";
	case S_IFSOCK: return "a socket";
	}
	return "not a regular file";
}

/* The directory of @path ("/etc/hosts" -> "etc"), resolved inside @root. */
static int open_parent(const char *root, const char *path, const char **name,
		       struct ct_err **err)
{
	struct open_how how = {
		.flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
	};
	_cleanup_free_ char *dir = xstrdup(path);
	_cleanup_close_ int rootfd = -1;
	char *slash = strrchr(dir, '/');
	int fd;

	if (path[0] != '/' || !slash || !slash[1])
		return err_set(err, VZ_SYSTEM_ERROR, EINVAL, "container file %s", path);
	*name = path + (slash - dir) + 1;
	*slash = '\0';
	rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return err_set(err, VZ_FS_NOPRVT, errno, "open private area %s", root);
	fd = syscall(SYS_openat2, rootfd, *dir ? dir + 1 : ".", &how, sizeof(how));
	if (fd < 0)
		return err_set(err, VZ_SYSTEM_ERROR, errno, "open %s%s in the container",
			       *dir ? dir : "/", errno == ENOTDIR ? " (not a directory)" : "");
	return fd;
}

/*
 * The file @name in @dfd as an O_PATH fd, never followed; -ENOENT if
 * missing (no error set), -1 if it is not a regular file.
 */
static int open_regular(int dfd, const char *path, const char *name, struct stat *st,
			struct ct_err **err)
{
	_cleanup_close_ int fd = openat(dfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0 && errno == ENOENT)
		return -ENOENT;
	if (fd < 0 || fstat(fd, st) < 0)
		return err_set(err, VZ_SYSTEM_ERROR, errno, "open %s in the container", path);
	if (!S_ISREG(st->st_mode))
		return err_set(err, VZ_SYSTEM_ERROR, 0,
			       "the container's %s is %s, not a regular file: refusing to "
			       "touch it (remove it inside the container)", path,
			       file_kind(st->st_mode));
	return TAKE_FD(fd);
}

static int read_regular(int dfd, const char *path, const char *name, struct stat *st,
			char **out, struct ct_err **err)
{
	_cleanup_close_ int pfd = -1, fd = -1;
	_cleanup_free_ char *self = NULL, *buf = NULL;
	size_t cap = 4096, len = 0;
	ssize_t n;

	pfd = open_regular(dfd, path, name, st, err);
	if (pfd < 0)
		return pfd;
	/* Reopen the inode just checked, not the name (which may change). */
	self = xasprintf("/proc/self/fd/%d", pfd);
	fd = open(self, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return err_set(err, VZ_SYSTEM_ERROR, errno, "open %s in the container", path);
	buf = xzalloc(cap + 1);
	while ((n = read(fd, buf + len, cap - len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return err_set(err, VZ_SYSTEM_ERROR, errno, "read %s in the container", path);
		len += n;
		if (len == cap) {
			if (cap >= PROV_MAX_FILE)
				return err_set(err, VZ_SYSTEM_ERROR, EFBIG, "read %s in the container",
					       path);
			buf = xrealloc(buf, (cap *= 2) + 1);
		}
	}
	buf[len] = '\0';
	*out = TAKE_PTR(buf);
	return 0;
}

int prov_read(const char *root, const char *path, char **out, struct ct_err **err)
{
	_cleanup_close_ int dfd = -1;
	const char *name;
	struct stat st;

	dfd = open_parent(root, path, &name, err);
	if (dfd < 0)
		return -1;
	return read_regular(dfd, path, name, &st, out, err);
}

static int write_all(int fd, const char *s, size_t len)
{
	while (len) {
		ssize_t n = write(fd, s, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		s += n;
		len -= n;
	}
	return 0;
}

/* Write @data as a new file in @dfd and rename it over @name. */
static int replace_at(int dfd, const char *path, const char *name, const char *data,
		      uid_t uid, gid_t gid, mode_t mode, struct ct_err **err)
{
	_cleanup_free_ char *tmp = NULL;
	_cleanup_close_ int fd = -1;
	int r = 0;

	for (int tries = 0; fd < 0 && tries < 16; tries++) {
		unsigned int rnd = 0;

		if (getrandom(&rnd, sizeof(rnd), 0) < 0)
			rnd = (unsigned int)time(NULL) + tries;
		free(tmp);
		tmp = xasprintf(".%s.ctlvz%08x", name, rnd);
		fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0)
		return err_set(err, VZ_SYSTEM_ERROR, errno, "create a temporary file beside %s "
			       "in the container", path);
	r = write_all(fd, data, strlen(data));
	if (!r && (fchown(fd, uid, gid) < 0 || fchmod(fd, mode & 07777) < 0 || fsync(fd) < 0))
		r = -errno;
	if (!r && renameat(dfd, tmp, dfd, name) < 0)
		r = -errno;
	if (r) {
		unlinkat(dfd, tmp, 0);
		return err_set(err, VZ_SYSTEM_ERROR, -r, "write %s in the container", path);
	}
	return 0;
}

int prov_write(const char *root, const char *path, const char *data, uid_t uid, gid_t gid,
	       mode_t mode, struct ct_err **err)
{
	_cleanup_close_ int dfd = -1, fd = -1;
	const char *name;
	struct stat st;

	dfd = open_parent(root, path, &name, err);
	if (dfd < 0)
		return -1;
	fd = open_regular(dfd, path, name, &st, err);
	if (fd == -1)
		return -1;
	if (fd >= 0) {
		uid = st.st_uid;
		gid = st.st_gid;
		mode = st.st_mode;
	}
	return replace_at(dfd, path, name, data, uid, gid, mode, err);
}

/* Read @path (empty if missing), let @edit rewrite it, write it back. */
static int edit_file(const char *root, const char *path, uid_t base, mode_t mode,
		     char *(*edit)(const char *old, const void *arg), const void *arg,
		     struct ct_err **err)
{
	_cleanup_free_ char *old = NULL, *data = NULL;
	_cleanup_close_ int dfd = -1;
	uid_t uid = base;
	gid_t gid = base;
	const char *name;
	struct stat st;
	int r;

	dfd = open_parent(root, path, &name, err);
	if (dfd < 0)
		return -1;
	r = read_regular(dfd, path, name, &st, &old, err);
	if (r == -1)
		return -1;
	if (r == 0) {
		uid = st.st_uid;
		gid = st.st_gid;
		mode = st.st_mode;
	} else {
		old = xstrdup("");
	}
	data = edit(old, arg);
	return replace_at(dfd, path, name, data, uid, gid, mode, err);
}

bool prov_nameserver_ok(const char *s)
{
	unsigned char buf[sizeof(struct in6_addr)];

	return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

bool prov_domain_ok(const char *s)
{
	size_t label = 0, len = strlen(s);

	if (!len || len > 253)
		return false;
	for (; *s; s++) {
		if (*s == '.') {
			if (!label || s[-1] == '-')
				return false;
			label = 0;
			continue;
		}
		if (!isalnum((unsigned char)*s) && !(*s == '-' && label))
			return false;
		if (++label > 63)
			return false;
	}
	return label && s[-1] != '-';
}

/* Append printf(@fmt, ...) to *@s. */
static void __attribute__((format(printf, 2, 3))) append(char **s, const char *fmt, ...)
{
	_cleanup_free_ char *more = NULL;
	va_list ap;
	size_t len = strlen(*s);

	va_start(ap, fmt);
	if (vasprintf(&more, fmt, ap) < 0)
		abort();
	va_end(ap);
	*s = xrealloc(*s, len + strlen(more) + 1);
	strcpy(*s + len, more);
}

/* The lines of @text, each passed to @keep; kept ones appended to @out. */
static char *filter_lines(const char *text, bool (*keep)(const char *line, const void *arg),
			  const void *arg)
{
	_cleanup_free_ char *copy = xstrdup(text);
	char *out = xstrdup(""), *line, *next;

	for (line = copy; *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		else
			next = line + strlen(line);
		if (keep(line, arg))
			append(&out, "%s\n", line);
	}
	return out;
}

/* The first word of @line, as a fresh string ("" for none). */
static char *first_word(const char *line)
{
	size_t n;

	line += strspn(line, " \t");
	n = strcspn(line, " \t#");
	return strndup(line, n);
}

/* ---- /etc/hosts ---- */

static bool hosts_keep(const char *line, const void *arg)
{
	_cleanup_free_ char *w = first_word(line);

	return strcmp(w, arg) != 0;
}

static bool hosts_has_localhost(const char *text)
{
	_cleanup_free_ char *copy = xstrdup(text);
	char *save = NULL;

	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *hash = strchr(line, '#');
		char *wsave = NULL;

		if (hash)
			*hash = '\0';
		strtok_r(line, " \t", &wsave);
		for (char *w; (w = strtok_r(NULL, " \t", &wsave));)
			if (!strcmp(w, "localhost"))
				return true;
	}
	return false;
}

struct hosts_arg {
	const char *ip;
	const char *host;
};

/*
 * vzctl's way: the line of the host's address is replaced by
 * "IP FQDN SHORT", every other line is kept, localhost is added if missing.
 */
static char *hosts_edit(const char *old, const void *arg)
{
	const struct hosts_arg *a = arg;
	_cleanup_free_ char *shortname = strndup(a->host, strcspn(a->host, "."));
	_cleanup_free_ char *kept = filter_lines(old, hosts_keep, a->ip);
	char *out = xstrdup("");

	if (!hosts_has_localhost(kept))
		append(&out, "127.0.0.1 localhost.localdomain localhost\n");
	append(&out, "%s", kept);
	if (strcmp(shortname, a->host))
		append(&out, "%s %s %s\n", a->ip, a->host, shortname);
	else
		append(&out, "%s %s\n", a->ip, a->host);
	return out;
}

/* ---- /etc/resolv.conf ---- */

static bool not_nameserver(const char *line, const void *arg)
{
	_cleanup_free_ char *w = first_word(line);

	(void)arg;
	return strcmp(w, "nameserver") != 0;
}

static bool not_search(const char *line, const void *arg)
{
	_cleanup_free_ char *w = first_word(line);

	(void)arg;
	return strcmp(w, "search") != 0 && strcmp(w, "domain") != 0;
}

/* vzctl's set_dns: "search" line replaced, "nameserver" lines replaced. */
static char *resolv_edit(const char *old, const void *arg)
{
	const struct prov *p = arg;
	char *out = xstrdup(old);

	if (p->searchdomains) {
		char *kept = filter_lines(out, not_search, NULL);

		free(out);
		out = xasprintf("search %s\n%s", p->searchdomains, kept);
		free(kept);
	}
	if (p->nameservers) {
		_cleanup_strv_ char **ns = strv_split(p->nameservers);
		char *kept = filter_lines(out, not_nameserver, NULL);

		free(out);
		out = kept;
		for (char **n = ns; *n; n++)
			append(&out, "nameserver %s\n", *n);
	}
	return out;
}

int prov_apply(const char *root, uid_t base, const struct prov *p, struct ct_err **err)
{
	if (p->hostname) {
		_cleanup_free_ char *line = xasprintf("%s\n", p->hostname);
		struct hosts_arg h = { .ip = p->hosts_ip ? p->hosts_ip : "127.0.1.1",
				       .host = p->hostname };

		if (prov_write(root, "/etc/hostname", line, base, base, 0644, err) < 0 ||
		    edit_file(root, "/etc/hosts", base, 0644, hosts_edit, &h, err) < 0)
			return -1;
	}
	if ((p->nameservers || p->searchdomains) &&
	    edit_file(root, "/etc/resolv.conf", base, 0644, resolv_edit, p, err) < 0)
		return -1;
	return 0;
}

/* ---- /etc/shadow ---- */

static bool login_ok(const char *u)
{
	size_t n = strlen(u);

	if (!n || n > 32 || u[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)u[i]) && !strchr("_.-", u[i]) &&
		    !(u[i] == '$' && i == n - 1))
			return false;
	return true;
}

int prov_userpasswd_parse(const char *s, char **user, char **password, struct ct_err **err)
{
	const char *colon = strchr(s, ':');
	_cleanup_free_ char *u = NULL;

	if (!colon)
		return err_set(err, VZ_INVALID_PARAMETER_VALUE, 0,
			       "expected user:password, got no ':'");
	u = strndup(s, colon - s);
	if (!login_ok(u))
		return err_set(err, VZ_INVALID_PARAMETER_VALUE, 0, "invalid user name \"%s\"", u);
	if (!colon[1])
		return err_set(err, VZ_INVALID_PARAMETER_VALUE, 0, "empty password for %s", u);
	for (const char *c = colon + 1; *c; c++)
		if (*c == '\n' || *c == '\r')
			return err_set(err, VZ_INVALID_PARAMETER_VALUE, 0,
				       "the password for %s holds a newline", u);
	*user = TAKE_PTR(u);
	*password = xstrdup(colon + 1);
	return 0;
}

/* The line of @user ("user:...") in a passwd-format @text, or NULL. */
static const char *find_user(const char *text, const char *user)
{
	size_t n = strlen(user);

	for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (!strncmp(l, user, n) && l[n] == ':')
			return l;
	return NULL;
}

static char *hash_password(const char *password, struct ct_err **err)
{
	static const char *const prefixes[] = { "$y$", "$6$" };
	struct crypt_data data;

	for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++) {
		char salt[CRYPT_GENSALT_OUTPUT_SIZE];
		const char *h;

		if (!crypt_gensalt_rn(prefixes[i], 0, NULL, 0, salt, sizeof(salt)))
			continue;
		memset(&data, 0, sizeof(data));
		h = crypt_rn(password, salt, &data, sizeof(data));
		if (h && h[0] == '$')
			return xstrdup(h);
	}
	err_set(err, VZ_CHANGEPASS, errno, "hash the password (libcrypt has neither yescrypt nor SHA-512)");
	return NULL;
}

int prov_userpasswd(const char *root, const char *user, const char *password,
		    struct ct_err **err)
{
	_cleanup_free_ char *passwd = NULL, *shadow = NULL, *hash = NULL, *out = NULL;
	_cleanup_close_ int dfd = -1;
	const char *line, *f2, *rest, *name;
	struct stat st;
	int r;

	r = prov_read(root, "/etc/passwd", &passwd, err);
	if (r == -ENOENT || (r == 0 && !find_user(passwd, user)))
		return err_set(err, VZ_CHANGEPASS, 0, "no user %s in the container's /etc/passwd "
			       "(add it first, e.g. with useradd inside)", user);
	if (r < 0)
		return -1;
	dfd = open_parent(root, "/etc/shadow", &name, err);
	if (dfd < 0)
		return -1;
	r = read_regular(dfd, "/etc/shadow", name, &st, &shadow, err);
	if (r == -ENOENT)
		return err_set(err, VZ_CHANGEPASS, 0, "the container has no /etc/shadow");
	if (r < 0)
		return -1;
	line = find_user(shadow, user);
	if (!line)
		return err_set(err, VZ_CHANGEPASS, 0, "no user %s in the container's /etc/shadow",
			       user);
	hash = hash_password(password, err);
	if (!hash)
		return -1;
	/* user:HASH:LASTCHG:rest, lastchg in days since the epoch as chpasswd. */
	f2 = line + strlen(user) + 1;
	rest = strchr(f2, ':');
	if (rest)
		rest = strchr(rest + 1, ':');
	if (!rest)
		return err_set(err, VZ_CHANGEPASS, 0, "the container's /etc/shadow: malformed line "
			       "for %s", user);
	out = xasprintf("%.*s%s:%s:%ld%s", (int)(line - shadow), shadow, user, hash,
			(long)(time(NULL) / 86400), rest);
	if (replace_at(dfd, "/etc/shadow", name, out, st.st_uid, st.st_gid, st.st_mode, err) < 0)
		return err_prefix(err, "set the password of %s", user);
	return 0;
}

int prov_start(const char *root, uid_t base, const struct kvfile *conf, const char *hosts_ip,
	       struct ct_err **err)
{
	struct prov p = {
		.hostname = kv_get(conf, "HOSTNAME"),
		.nameservers = kv_get(conf, "NAMESERVER"),
		.searchdomains = kv_get(conf, "SEARCHDOMAIN"),
		.hosts_ip = hosts_ip,
	};
	_cleanup_free_ char *old = NULL;

	if (p.hostname && !*p.hostname)
		p.hostname = NULL;
	if (p.nameservers && !*p.nameservers)
		p.nameservers = NULL;
	if (p.searchdomains && !*p.searchdomains)
		p.searchdomains = NULL;
	if (!p.hostname && prov_read(root, "/etc/hostname", &old, err) == -1)
		return -1;
	return prov_apply(root, base, &p, err);
}

/* The address /etc/hosts names the container at: its first, or NULL. */
static char *hosts_ip(const struct ct *ct)
{
	_cleanup_strv_ char **ips = ct_ips(ct);

	if (!ips[0])
		return NULL;
	return strndup(ips[0], strcspn(ips[0], "/"));
}

int prov_start_ct(const struct ct *ct, uid_t base, struct ct_err **err)
{
	_cleanup_free_ char *ip = hosts_ip(ct);

	if (prov_start(ct->private_dir, base, ct->conf, ip, err) < 0)
		return err_prefix(err, "provision container %u", ct->ctid);
	return 0;
}

int prov_hostname_ct(const struct ct *ct, const char *hostname, struct ct_err **err)
{
	_cleanup_free_ char *ip = hosts_ip(ct);
	struct prov p = { .hostname = hostname, .hosts_ip = ip };
	uid_t base;

	if (idmap_base(ct, &base, err) < 0)
		return -1;
	return prov_apply(ct->private_dir, base, &p, err);
}

int prov_dns_ct(const struct ct *ct, const char *nameservers, const char *searchdomains,
		struct ct_err **err)
{
	struct prov p = { .nameservers = nameservers, .searchdomains = searchdomains };
	uid_t base;

	if (idmap_base(ct, &base, err) < 0)
		return -1;
	return prov_apply(ct->private_dir, base, &p, err);
}
