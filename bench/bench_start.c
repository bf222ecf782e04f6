// SPDX-License-Identifier: GPL-2.0
/*
 * bench_start: start latency of container engines, side by side.
 *
 *   bench_start [-n RUNS] [-w WARMUP] SPECFILE
 *   bench_start -t            print CLOCK_MONOTONIC in nanoseconds
 *
 * SPECFILE has one peer per line, "NAME|CMD [; CMD]...": each CMD is an
 * argv split on blanks (no quoting, no shell), run in order with fork +
 * execv + waitpid; a run is every CMD of the line, timed on CLOCK_MONOTONIC
 * from the first fork to the last waitpid.  A command that exits non-zero
 * (or is killed) fails the whole benchmark: a peer that cannot run is an
 * error, not a missing row.  Lines starting with '#' are comments.
 *
 * The peers are interleaved: run i of every peer, then run i+1 of every
 * peer, so that drift of a shared, busy host spreads over all of them.
 *
 * Output, one line per figure (scripts/bench.sh collects them):
 *   BENCH|start|NAME|sample|I|USEC
 *   BENCH|start|NAME|summary|RUNS|MEDIAN_US|P95_US|MIN_US|MAX_US
 *   BENCH|startcmd|NAME|C|MEDIAN_US|ARGV0 ARGV1   (lines of several commands:
 *                                                  where the time goes)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/wait.h>

#define MAX_PEERS	16
#define MAX_CMDS	8
#define MAX_ARGS	48

struct peer {
	char *name;
	int ncmds;
	char *argv[MAX_CMDS][MAX_ARGS + 1];
	double *usec;
	double *cmd_usec[MAX_CMDS];
};

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void die(const char *fmt, const char *a, const char *b)
{
	fprintf(stderr, "bench_start: ");
	fprintf(stderr, fmt, a, b);
	fputc('\n', stderr);
	exit(1);
}

/* "name|cmd a b ; cmd c" -> peer; the line is kept, argv point into it. */
static void parse_line(struct peer *p, char *line)
{
	char *bar = strchr(line, '|');
	char *tok, *save = NULL;
	int argc = 0;

	if (!bar)
		die("spec line without '|': %s%s", line, "");
	*bar = '\0';
	p->name = line;
	p->ncmds = 1;
	for (tok = strtok_r(bar + 1, " \t\n", &save); tok;
	     tok = strtok_r(NULL, " \t\n", &save)) {
		if (!strcmp(tok, ";")) {
			if (!argc)
				die("%s: empty command%s", p->name, "");
			p->argv[p->ncmds - 1][argc] = NULL;
			if (++p->ncmds > MAX_CMDS)
				die("%s: too many commands%s", p->name, "");
			argc = 0;
			continue;
		}
		if (argc == MAX_ARGS)
			die("%s: too many arguments%s", p->name, "");
		p->argv[p->ncmds - 1][argc++] = tok;
	}
	if (!argc)
		die("%s: empty command%s", p->name, "");
	p->argv[p->ncmds - 1][argc] = NULL;
}

/* Runs one command, output to /dev/null (errors to LOG); 0 if it exited 0. */
static int run_cmd(char *const argv[], int logfd)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		dup2(null, 0);
		dup2(null, 1);
		dup2(logfd, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	fprintf(stderr, "bench_start: %s %s: %s %d\n", argv[0], argv[1] ? argv[1] : "",
		WIFEXITED(status) ? "exit status" : "killed by signal",
		WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	return -1;
}

/* One run; the time of command c goes to cmd_usec[c][i] if i >= 0. */
static double run_once(struct peer *p, int logfd, int i)
{
	unsigned long long t0 = now_ns(), t = t0;

	for (int c = 0; c < p->ncmds; c++) {
		unsigned long long t1;

		if (run_cmd(p->argv[c], logfd) < 0)
			die("peer %s failed (see the lines above)%s", p->name, "");
		t1 = now_ns();
		if (i >= 0)
			p->cmd_usec[c][i] = (t1 - t) / 1000.0;
		t = t1;
	}
	return (t - t0) / 1000.0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of sorted v[0..n). */
static double pct(const double *v, int n, double q)
{
	int k = (int)(q * n + 0.999999) - 1;

	if (k < 0)
		k = 0;
	if (k >= n)
		k = n - 1;
	return v[k];
}

static double median(const double *v, int n)
{
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
	struct peer peers[MAX_PEERS];
	int runs = 50, warmup = 2, npeers = 0, opt;
	char *line = NULL;
	size_t cap = 0;
	FILE *f;

	while ((opt = getopt(argc, argv, "n:w:t")) != -1) {
		switch (opt) {
		case 'n':
			runs = atoi(optarg);
			break;
		case 'w':
			warmup = atoi(optarg);
			break;
		case 't':
			printf("%llu\n", now_ns());
			return 0;
		default:
			fprintf(stderr, "usage: bench_start [-n RUNS] [-w WARMUP] SPECFILE | -t\n");
			return 2;
		}
	}
	if (optind != argc - 1 || runs < 1 || warmup < 0) {
		fprintf(stderr, "usage: bench_start [-n RUNS] [-w WARMUP] SPECFILE | -t\n");
		return 2;
	}
	f = fopen(argv[optind], "r");
	if (!f)
		die("%s: %s", argv[optind], strerror(errno));
	while (getline(&line, &cap, f) > 0) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (npeers == MAX_PEERS)
			die("more than %s peers%s", "16", "");
		memset(&peers[npeers], 0, sizeof(peers[npeers]));
		parse_line(&peers[npeers], strdup(line));
		peers[npeers].usec = calloc(runs, sizeof(double));
		if (!peers[npeers].usec)
			die("out of memory%s%s", "", "");
		for (int c = 0; c < peers[npeers].ncmds; c++) {
			peers[npeers].cmd_usec[c] = calloc(runs, sizeof(double));
			if (!peers[npeers].cmd_usec[c])
				die("out of memory%s%s", "", "");
		}
		npeers++;
	}
	fclose(f);
	free(line);

	/* Warm-up runs fill the page cache and the dentry cache; not counted. */
	for (int i = 0; i < warmup; i++)
		for (int p = 0; p < npeers; p++)
			run_once(&peers[p], 2, -1);
	for (int i = 0; i < runs; i++) {
		for (int p = 0; p < npeers; p++) {
			peers[p].usec[i] = run_once(&peers[p], 2, i);
			printf("BENCH|start|%s|sample|%d|%.0f\n", peers[p].name, i, peers[p].usec[i]);
		}
		fflush(stdout);
	}
	for (int p = 0; p < npeers; p++) {
		double *v = peers[p].usec;

		qsort(v, runs, sizeof(*v), cmp_double);
		printf("BENCH|start|%s|summary|%d|%.0f|%.0f|%.0f|%.0f\n", peers[p].name, runs,
		       median(v, runs), pct(v, runs, 0.95), v[0], v[runs - 1]);
		for (int c = 0; peers[p].ncmds > 1 && c < peers[p].ncmds; c++) {
			double *w = peers[p].cmd_usec[c];

			qsort(w, runs, sizeof(*w), cmp_double);
			printf("BENCH|startcmd|%s|%d|%.0f|%s %s\n", peers[p].name, c, median(w, runs),
			       peers[p].argv[c][0], peers[p].argv[c][1] ? peers[p].argv[c][1] : "");
		}
	}
	return 0;
}
