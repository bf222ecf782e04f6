/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Resource limits with vzctl's names and syntax (lim_syntax.c: text only,
 * no system call), written to the cgroup v2 controllers that enforce them
 * and registered with vzbc for reporting (lim_cgroup.c).
 *
 *   option / key          value                   cgroup files
 *   --numproc NUMPROC     B[:L] tasks             pids.max = L
 *   --physpages PHYSPAGES B[:L] pages or K/M/G/T  memory.high = B, memory.max = L
 *   --swappages SWAPPAGES B[:L] pages or K/M/G/T  memory.swap.max = L
 *                         (vzctl's P: pages, B: bytes, also accepted)
 *   --ram X / --swap Y    physpages 0:X / swappages 0:Y
 *   --iolimit IOLIMIT     bytes/s, B/K/M/G; bare number is MB/s on the
 *                         command line, bytes/s in a config file (vzctl's
 *                         stored unit); 0 = none
 *                                                 io.max rbps= wbps=
 *   --iopslimit IOPSLIMIT requests/s; 0 = none    io.max riops= wiops=
 *   --cpulimit CPULIMIT   % of one CPU; 0 = none  cpu.max
 *   --cpus CPUS           CPUs; 0 = none          cpu.max (the lower wins)
 *   --cpuunits CPUUNITS   8..500000, 1000 = default weight
 *                                                 cpu.weight = units / 10
 *
 * "unlimited" is accepted for every value; a barrier of 0 means "no
 * barrier" (memory.high = max), never memory.high = 0.
 */
#ifndef CTLVZ_LIM_H
#define CTLVZ_LIM_H

#include <stdbool.h>
#include <stdint.h>

#include "conf.h"
#include "err.h"

#define LIM_UNLIMITED	UINT64_MAX
#define LIM_PAGE_BYTES	((uint64_t)4096)	/* vzbc's and OpenVZ's page */

enum lim_id {
	LIM_NUMPROC,
	LIM_PHYSPAGES,
	LIM_SWAPPAGES,
	LIM_IOLIMIT,
	LIM_IOPSLIMIT,
	LIM_CPULIMIT,
	LIM_CPUS,
	LIM_CPUUNITS,
	LIM_NR
};

struct lim_value {
	bool set;
	uint64_t barrier;	/* LIM_UNLIMITED: none */
	uint64_t limit;		/* LIM_UNLIMITED: none */
};

struct ct_limits {
	struct lim_value v[LIM_NR];
	char **iodevices;	/* "MAJ:MIN" of whole disks, NULL: the root's */
};

/* The option name ("numproc") and config key ("NUMPROC") of a limit. */
const char *lim_option(enum lim_id id);
const char *lim_key(enum lim_id id);
/* The enum vzbc_resource vzbc reports limit @id as, 0 if none. */
uint32_t lim_vzbc_res(enum lim_id id);

/*
 * Parse @text as the value of limit @id into @l.  On a bad value: -1 and
 * VZ_INVALID_PARAMETER_VALUE naming the reason.  --ram/--swap go through
 * lim_parse_shorthand().
 */
int lim_parse(struct ct_limits *l, enum lim_id id, const char *text,
	      struct ct_err **err);
/* "ram" or "swap": physpages 0:X or swappages 0:Y. */
int lim_parse_shorthand(struct ct_limits *l, const char *opt, const char *text,
			struct ct_err **err);
/* Every limit key present in @conf (a bare IOLIMIT there is bytes/s). */
int lim_load(struct ct_limits *l, const struct kvfile *conf, struct ct_err **err);
/* Writes the set limits into @conf, as the user would type them. */
void lim_store(const struct ct_limits *l, struct kvfile *conf);
bool lim_any(const struct ct_limits *l);
void lim_free(struct ct_limits *l);

/*
 * Checks what lim_apply() can only learn from the system, without changing
 * anything: that the disks IO limits go to exist (@root on a block device,
 * or every --iodevice a block device the kernel knows).  For a stopped
 * container, before its config is saved.
 */
int lim_check(const struct ct_limits *l, const char *root, struct ct_err **err);

/*
 * Applies the set limits to the cgroup at @cgroup (and to beancounter @ctid
 * through /dev/vzbc @vzfd, if >= 0), all or nothing: if one write fails,
 * the ones already made are put back.  @root is the container's private
 * area; IO limits go to the disk it lives on unless iodevices names disks.
 */
int lim_apply(const struct ct_limits *l, const char *cgroup, int vzfd,
	      unsigned int ctid, const char *root, struct ct_err **err);

#endif
