/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /dev/vzbc and /proc/user_beancounters helpers for the vzbc selftests.
 *
 * The ioctl wrappers are ctlvz's kernel client (userspace/lib/bc.h, each
 * struct at the size this header gives it) and return 0 (or the ioctl's
 * non-negative result) or -errno, so a test can write
 * ASSERT_EQ(-ENOENT, vzbc_destroy(fd, ctid)).  Tests that poke at the raw
 * structs call ioctl() themselves.
 */
#ifndef VZBC_TESTS_VZBC_H
#define VZBC_TESTS_VZBC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/vzbc.h>

#define VZBC_DEV		"/dev/vzbc"
#define UBC_PROC		"/proc/user_beancounters"
#define BC_PROC_DIR		"/proc/bc"

/*
 * Resources the tests expect vzbc to report, in resource order: an oracle
 * that the kernel's answers (GET, /proc, VZBC_IOC_RESOURCES) are compared
 * with, never a source of names for a call.
 */
#define VZBC_NR_RES		5u
extern const uint32_t vzbc_res_ids[VZBC_NR_RES];
extern const char *const vzbc_res_names[VZBC_NR_RES];
/* Index of @res in vzbc_res_ids, or -1. */
int vzbc_res_index(uint32_t res);
/* Whether @res is a memory controller resource (physpages, swappages). */
bool vzbc_res_is_memory(uint32_t res);

/*
 * A range of 64 container ids private to the calling process:
 * tests run in their own processes, so ids never collide between tests.
 */
uint32_t vzbc_test_ctid(unsigned int nr);

int vzbc_open(void);	/* O_RDWR | O_CLOEXEC; fd or -errno */
int vzbc_version(int fd);
int vzbc_create(int fd, uint32_t ctid, int cgfd);
int vzbc_destroy(int fd, uint32_t ctid);
int vzbc_set(int fd, uint32_t ctid, uint32_t res, uint64_t barrier,
	     uint64_t limit);
/* GET with capacity *@nr; *@nr is updated to the entries written. */
int vzbc_get(int fd, uint32_t ctid, struct vzbc_stat *stats, uint32_t *nr);
/* GET of one resource; -ENODATA if the kernel did not report it. */
int vzbc_get_res(int fd, uint32_t ctid, uint32_t res, struct vzbc_stat *st);
int vzbc_list(int fd, uint32_t start, uint32_t *ctids, uint32_t *nr,
	      uint32_t *next);

/* wait_for_value() reader: one field of one resource of a beancounter. */
enum vzbc_field { VZBC_HELD, VZBC_MAXHELD, VZBC_MINHELD, VZBC_FAILCNT };
struct vzbc_poll_arg {
	int fd;
	uint32_t ctid;
	uint32_t res;
	enum vzbc_field field;
};
int vzbc_poll_read(void *arg, uint64_t *val);

/*
 * /proc/user_beancounters, parsed the way OpenVZ's monitoring scripts do:
 * whitespace-separated tokens, a first token "N:" opens the block of ctid N,
 * then "resource held maxheld barrier limit failcnt".  The "Version:" line
 * is optional (/proc/bc/resources has none); f->version is "" without it.
 */
#define UBC_MAX_ROWS	8
#define UBC_MAX_BLOCKS	1024

struct ubc_row {
	char name[24];
	uint64_t held, maxheld, barrier, limit, failcnt;
};

struct ubc_block {
	uint32_t ctid;
	int nr_rows;
	struct ubc_row rows[UBC_MAX_ROWS];
};

struct ubc_file {
	char version[32];	/* "2.5" */
	int nr_blocks;
	struct ubc_block blocks[UBC_MAX_BLOCKS];
	char err[160];		/* why ubc_parse() failed */
};

/* Reads a whole file into a malloc()ed, NUL-terminated buffer. */
char *read_text(const char *path, int *err);

/* 0 or -EINVAL with the reason in @f->err. */
int ubc_parse(const char *text, struct ubc_file *f);
const struct ubc_block *ubc_find(const struct ubc_file *f, uint32_t ctid);
const struct ubc_row *ubc_row(const struct ubc_block *b, const char *name);

/*
 * Checks the fixed columns of /proc/user_beancounters independently of the
 * module's format strings: every numeric field is a run of digits
 * right-aligned to end at byte 45, 66, 87, 108 and 129 of its line.
 * 0 or -EINVAL with the offending line and column in @err.
 */
int ubc_check_layout(const char *text, bool with_version, char *err,
		     size_t errlen);

/*
 * Finds "<name> n n n n n" anywhere on a line (with or without a ctid
 * column before it).  Returns how many lines match and fills @row from the
 * first one.
 */
int ubc_find_row(const char *text, const char *name, struct ubc_row *row);

#endif /* VZBC_TESTS_VZBC_H */
