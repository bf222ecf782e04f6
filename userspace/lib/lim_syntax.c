// SPDX-License-Identifier: GPL-2.0
/*
 * The limit syntax: vzctl's text (barrier:limit, K/M/G/T/B/P suffixes,
 * "unlimited", pages, the CTID.conf keys) to struct ct_limits and back.
 * No system call here: lim_syntax_test runs it on the host.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <string.h>

#include <linux/vzbc.h>

#include "lim.h"
#include "util.h"

#define KIB		((uint64_t)1024)

enum lim_unit {
	UNIT_COUNT,	/* a plain number */
	UNIT_PAGES,	/* pages, or bytes with a K/M/G/T suffix */
	UNIT_RATE,	/* bytes/s with K/M/G; a bare number is MB/s */
	UNIT_PERCENT,	/* percent of one CPU, "%" optional */
};

static const struct lim_desc {
	const char *option;
	const char *key;
	enum lim_unit unit;
	bool pair;		/* barrier[:limit] */
	bool zero_unlimited;	/* 0 means "no limit" (vzctl) */
	bool zero_limit_ok;	/* a limit of 0 makes sense */
	uint64_t min, max;	/* bounds of a single value */
	uint32_t vzbc_res;	/* 0: not reported by vzbc */
} lim_descs[LIM_NR] = {
	[LIM_NUMPROC] = { "numproc", "NUMPROC", UNIT_COUNT, true, false, false,
			  0, INT32_MAX, VZBC_RES_NUMPROC },
	[LIM_PHYSPAGES] = { "physpages", "PHYSPAGES", UNIT_PAGES, true, false,
			    false, 0, INT64_MAX / LIM_PAGE_BYTES, VZBC_RES_PHYSPAGES },
	[LIM_SWAPPAGES] = { "swappages", "SWAPPAGES", UNIT_PAGES, true, false,
			    true, 0, INT64_MAX / LIM_PAGE_BYTES, VZBC_RES_SWAPPAGES },
	[LIM_IOLIMIT] = { "iolimit", "IOLIMIT", UNIT_RATE, false, true, false,
			  0, INT64_MAX, VZBC_RES_IOBYTES },
	[LIM_IOPSLIMIT] = { "iopslimit", "IOPSLIMIT", UNIT_COUNT, false, true,
			    false, 0, INT32_MAX, VZBC_RES_IOPS },
	[LIM_CPULIMIT] = { "cpulimit", "CPULIMIT", UNIT_PERCENT, false, true,
			   false, 0, 100000, 0 },
	[LIM_CPUS] = { "cpus", "CPUS", UNIT_COUNT, false, true, false,
		       0, 4096, 0 },
	[LIM_CPUUNITS] = { "cpuunits", "CPUUNITS", UNIT_COUNT, false, false,
			   false, 8, 500000, 0 },
};

const char *lim_option(enum lim_id id)
{
	return lim_descs[id].option;
}

const char *lim_key(enum lim_id id)
{
	return lim_descs[id].key;
}

uint32_t lim_vzbc_res(enum lim_id id)
{
	return lim_descs[id].vzbc_res;
}

static int bad(struct ct_err **err, const char *text, const char *why)
{
	return err_set(err, VZ_INVALID_PARAMETER_VALUE, 0,
		       "invalid value \"%s\": %s", text, why);
}

/* Digits only, no sign or blanks; -ERANGE past UINT64_MAX. */
static int parse_u64(const char *s, size_t len, uint64_t *v)
{
	uint64_t r = 0;
	size_t i;

	if (!len)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		if (r > (UINT64_MAX - (s[i] - '0')) / 10)
			return -ERANGE;
		r = r * 10 + (s[i] - '0');
	}
	*v = r;
	return 0;
}

/*
 * vzctl's suffixes: K, M, G, T are bytes, B is bytes, P is pages (a size
 * in pages); rates take B, K, M, G.  Returns the multiplier, 0 if refused;
 * *bytes tells whether the result is in bytes.
 */
static uint64_t suffix_mult(const struct lim_desc *d, char c, bool *bytes)
{
	*bytes = true;
	switch (c) {
	case 'B': case 'b': return 1;
	case 'K': case 'k': return KIB;
	case 'M': case 'm': return KIB * KIB;
	case 'G': case 'g': return KIB * KIB * KIB;
	case 'T': case 't': return d->unit == UNIT_PAGES ? KIB * KIB * KIB * KIB : 0;
	case 'P': case 'p': *bytes = false; return d->unit == UNIT_PAGES ? 1 : 0;
	}
	return 0;
}

/*
 * One value of limit @d; LIM_UNLIMITED for "unlimited" or 0 where 0 is
 * none.  @conf: read from a config file, where a bare rate is bytes/s (the
 * unit vzctl stores), not MB/s as on the command line.
 */
static int parse_one(const struct lim_desc *d, const char *s, size_t len, bool conf,
		     uint64_t *out, const char **why)
{
	uint64_t v = 0, mult = 1;
	bool bytes = false;
	size_t n = len;
	int r;

	if (len == 9 && !strncmp(s, "unlimited", 9)) {
		*out = LIM_UNLIMITED;
		return 0;
	}
	if (d->unit == UNIT_PERCENT && n && s[n - 1] == '%')
		n--;
	if ((d->unit == UNIT_PAGES || d->unit == UNIT_RATE) && n &&
	    !(s[n - 1] >= '0' && s[n - 1] <= '9')) {
		mult = suffix_mult(d, s[n - 1], &bytes);
		/* One suffix only: "64MB" is not 64M bytes. */
		if (n >= 2 && !(s[n - 2] >= '0' && s[n - 2] <= '9'))
			mult = 0;
		if (!mult) {
			*why = d->unit == UNIT_RATE ?
				"the suffix must be K, M or G (or B: bytes/s)" :
				"the suffix must be K, M, G or T (or P: pages, B: bytes)";
			return -EINVAL;
		}
		n--;
	} else if (d->unit == UNIT_RATE && !conf) {
		mult = KIB * KIB;	/* vzctl: a bare --iolimit is MB/s */
	}
	r = parse_u64(s, n, &v);
	if (r == -ERANGE || (r == 0 && mult > 1 && v > UINT64_MAX / mult)) {
		*why = "too large";
		return -ERANGE;
	}
	if (r) {
		*why = "not a number (or \"unlimited\")";
		return -EINVAL;
	}
	v *= mult;
	if (d->unit == UNIT_PAGES && bytes)
		v = (v + LIM_PAGE_BYTES - 1) / LIM_PAGE_BYTES;	/* bytes: whole pages */
	if (v == 0 && d->zero_unlimited) {
		*out = LIM_UNLIMITED;
		return 0;
	}
	if (v < d->min || v > d->max) {
		*why = v < d->min ? "too small" : "too large";
		return -ERANGE;
	}
	*out = v;
	return 0;
}

/* Parses @text; messages quote @shown, what the user typed. */
static int lim_parse_as(struct ct_limits *l, enum lim_id id, const char *text,
			const char *shown, bool conf, struct ct_err **err)
{
	const struct lim_desc *d = &lim_descs[id];
	const char *colon = strchr(text, ':');
	const char *why = NULL;
	uint64_t b, lim;

	if (colon && !d->pair)
		return bad(err, shown, "takes one value, not barrier:limit");
	if (parse_one(d, text, colon ? (size_t)(colon - text) : strlen(text), conf,
		      &b, &why) < 0)
		return bad(err, shown, why);
	lim = b;
	if (colon && parse_one(d, colon + 1, strlen(colon + 1), conf, &lim, &why) < 0)
		return bad(err, shown, why);
	if (d->pair && lim != LIM_UNLIMITED && b != LIM_UNLIMITED && b > lim)
		return bad(err, shown, "the barrier is above the limit");
	if (d->pair && b == LIM_UNLIMITED && lim != LIM_UNLIMITED)
		return bad(err, shown, "the barrier is above the limit");
	if (lim == 0 && !d->zero_limit_ok)
		return bad(err, shown, "a limit of 0 leaves nothing to run with");
	l->v[id] = (struct lim_value){ .set = true, .barrier = b, .limit = lim };
	return 0;
}

int lim_parse(struct ct_limits *l, enum lim_id id, const char *text,
	      struct ct_err **err)
{
	return lim_parse_as(l, id, text, text, false, err);
}

int lim_parse_shorthand(struct ct_limits *l, const char *opt, const char *text,
			struct ct_err **err)
{
	enum lim_id id = !strcmp(opt, "ram") ? LIM_PHYSPAGES : LIM_SWAPPAGES;
	_cleanup_free_ char *pair = NULL;

	if (strchr(text, ':'))
		return bad(err, text, "takes one size, not barrier:limit");
	pair = xasprintf("0:%s", text);
	return lim_parse_as(l, id, pair, text, false, err);
}

int lim_load(struct ct_limits *l, const struct kvfile *conf,
	     struct ct_err **err)
{
	const char *devs;
	int id;

	for (id = 0; id < LIM_NR; id++) {
		const char *v = kv_get(conf, lim_descs[id].key);

		if (v && lim_parse_as(l, id, v, v, true, err) < 0)
			return err_prefix(err, "%s: %s", conf->path,
					  lim_descs[id].key);
	}
	devs = kv_get(conf, "IODEVICES");
	if (devs && *devs) {
		_cleanup_free_ char *copy = xstrdup(devs);
		char *tok, *save = NULL;

		l->iodevices = xzalloc(sizeof(char *));
		for (tok = strtok_r(copy, " ", &save); tok;
		     tok = strtok_r(NULL, " ", &save))
			l->iodevices = strv_push(l->iodevices, tok);
	}
	return 0;
}

static char *fmt_one(const struct lim_desc *d, uint64_t v)
{
	if (v == LIM_UNLIMITED)
		return xstrdup("unlimited");
	if (d->unit == UNIT_RATE) {
		if (v % (KIB * KIB * KIB) == 0)
			return xasprintf("%" PRIu64 "G", v / (KIB * KIB * KIB));
		if (v % (KIB * KIB) == 0)
			return xasprintf("%" PRIu64 "M", v / (KIB * KIB));
		if (v % KIB == 0)
			return xasprintf("%" PRIu64 "K", v / KIB);
	}
	return xasprintf("%" PRIu64, v);
}

void lim_store(const struct ct_limits *l, struct kvfile *conf)
{
	int id;

	for (id = 0; id < LIM_NR; id++) {
		const struct lim_desc *d = &lim_descs[id];
		_cleanup_free_ char *b = NULL, *lim = NULL, *val = NULL;

		if (!l->v[id].set)
			continue;
		b = fmt_one(d, l->v[id].barrier);
		lim = fmt_one(d, l->v[id].limit);
		val = d->pair ? xasprintf("%s:%s", b, lim) : xstrdup(lim);
		kv_set(conf, d->key, val);
	}
	if (l->iodevices) {
		size_t i, n = strv_len(l->iodevices);
		_cleanup_free_ char *joined = xstrdup("");

		for (i = 0; i < n; i++) {
			char *next = xasprintf("%s%s%s", joined, i ? " " : "",
					       l->iodevices[i]);

			free(joined);
			joined = next;
		}
		kv_set(conf, "IODEVICES", joined);
	}
}

bool lim_any(const struct ct_limits *l)
{
	int id;

	for (id = 0; id < LIM_NR; id++)
		if (l->v[id].set)
			return true;
	return l->iodevices != NULL;
}

void lim_free(struct ct_limits *l)
{
	strv_free(l->iodevices);
	l->iodevices = NULL;
}

