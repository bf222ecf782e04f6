/* SPDX-License-Identifier: GPL-2.0 */
/* Small helpers shared by the ctlvz library: cleanup attributes, files. */
#ifndef CTLVZ_UTIL_H
#define CTLVZ_UTIL_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <dirent.h>

static inline void freep(void *p) { free(*(void **)p); }
static inline void closep(int *fd) { if (*fd >= 0) close(*fd); }
static inline void fclosep(FILE **f) { if (*f) fclose(*f); }
static inline void closedirp(DIR **d) { if (*d) closedir(*d); }

#define _cleanup_(f)		__attribute__((cleanup(f)))
#define _cleanup_free_		_cleanup_(freep)
#define _cleanup_close_		_cleanup_(closep)
#define _cleanup_fclose_	_cleanup_(fclosep)
#define _cleanup_closedir_	_cleanup_(closedirp)

/* Hand ownership out of a cleanup-attributed variable. */
#define TAKE_PTR(p) ({ __typeof__(p) _p = (p); (p) = NULL; _p; })
#define TAKE_FD(fd) ({ int _fd = (fd); (fd) = -1; _fd; })

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* asprintf() that aborts on ENOMEM: allocation failure is not recoverable here. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xstrdup(const char *s);
void *xzalloc(size_t n);
void *xrealloc(void *p, size_t n);

/* Whole-file helpers; return 0 or -errno. */
int read_file(const char *path, char **out);
int read_file_at(int dirfd, const char *name, char **out);
int write_file(const char *path, const char *data);
int write_file_at(int dirfd, const char *name, const char *data);
int mkdir_p(const char *path, mode_t mode);

/* Strict decimal parse of an unsigned value in [min, max]; 0 or -EINVAL/-ERANGE. */
int parse_ulong(const char *s, unsigned long min, unsigned long max, unsigned long *out);

bool str_has_suffix(const char *s, const char *suf);

/* NULL-terminated string vectors. */
void strv_free(char **v);
size_t strv_len(char *const *v);
/* Words of @s split at blanks (an empty vector for NULL); " "-joined words. */
char **strv_split(const char *s);
char *strv_join(char *const *v);
/* Append a copy of s. */
char **strv_push(char **v, const char *s);
static inline void strv_freep(char ***v) { strv_free(*v); }
#define _cleanup_strv_ _cleanup_(strv_freep)

/* Remove a directory tree without following symlinks or crossing mounts. */
int rm_rf(const char *path);

#endif
