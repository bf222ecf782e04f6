/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Threads that read every interface of the module while something else
 * churns (vzbc_churn_test, ctlvz_churn_test): /proc files, netlink dumps
 * and GETs, ioctl LIST and GET, the events group; a process that keeps
 * trying to unload the module; and the list of failures the threads saw,
 * for the main thread to assert on.
 */
#ifndef VZBC_TESTS_READERS_H
#define VZBC_TESTS_READERS_H

#include <pthread.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#define FAILS_MAX	6

/* Failures seen by threads: the main thread asserts on them. */
struct fails {
	pthread_mutex_t lock;
	unsigned int n;
	char msg[FAILS_MAX][256];
};

void fails_init(struct fails *f);
/* In a TEST: logs what the threads saw and expects that it was nothing. */
#define EXPECT_NO_FAILS(f) do {						\
	for (unsigned int _i = 0; _i < (f)->n && _i < FAILS_MAX; _i++)	\
		TH_LOG("%s", (f)->msg[_i]);				\
	EXPECT_EQ(0u, (f)->n);						\
} while (0)
void fails_add(struct fails *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* One reader thread; the counters are its own, read after the join. */
struct reader {
	int id;
	int64_t deadline;	/* now_ms() at which it stops */
	struct fails *fails;
	uint32_t base, span;	/* the ctids it asks for: [base, base + span) */
	uint16_t family;	/* VZBC generic netlink family */
	uint32_t events_grp;
	int fd;			/* /dev/vzbc */
	uint64_t reads, dumps, gets, lists, events, overruns;
};

void *reader_proc_fn(void *arg);	/* /proc/user_beancounters, /proc/bc/... */
void *reader_nl_fn(void *arg);		/* dumps and GETs */
void *reader_ioctl_fn(void *arg);	/* LIST, then GET of what it lists */
void *reader_events_fn(void *arg);	/* every event well-formed */

/*
 * Before a churn: the number of beancounters there are (*@nr), once
 * live_beancounters agrees with it (its last value in *@live), and the
 * netlink family and events group into @tmpl.  0 or -errno.
 */
int readers_setup(int fd, uint32_t *nr, uint64_t *live, struct reader *tmpl);

/*
 * Starts @n readers, reader i running @fns[i] with a copy of @tmpl (id i).
 * Returns 0, or the -errno of the first pthread_create() that failed (the
 * readers before it run).
 */
int readers_start(struct reader *rd, pthread_t *rt, int n,
		  void *(*const fns[])(void *), const struct reader *tmpl);

/* Joins @n readers by @until (CLOCK_REALTIME): -1, or the first one stuck. */
int readers_join(pthread_t *rt, int n, const struct timespec *until);

/*
 * In a child process: tries to unload the module until @deadline; with
 * /dev/vzbc open in the test, each try must fail with EWOULDBLOCK.  Counts
 * into *@tries (shared memory).  Exit status: 0, or 2 if the module went
 * (it is loaded again at once), 3 for another error.
 */
void __attribute__((noreturn)) unloader(int64_t deadline, uint64_t *tries);
/* Reaps unloader @pid: its exit status, or -1 if it did not exit normally. */
int unloader_reap(pid_t pid);

#endif /* VZBC_TESTS_READERS_H */
