/*
 * bench_channels.c - what one tick's channel work costs as the pipes grow.
 *
 * Run by `make bench`.  A child holds SMALL pipes, another BIG ones (both
 * ends of each); a frame holds one of them as the sampler leaves it before
 * channels_probe(), and the probe runs over and over.  It prints the cost
 * with few and with many pipes, and the ratio next to the ratio of pipes:
 * work linear in the channels gives about the same number twice.  The same
 * for what blocked.c does each tick (frame_fd_channel() for every
 * descriptor), and for the frame's part alone, without /proc (channels
 * built with frame_channel() and frame_add_chan_fd(), then ordered).  And
 * a whole tick as a session takes it: the sampler's reading of a tree whose
 * only process holds the pipes, then the tracker's apply of that frame.
 *
 * It reports and asserts nothing: timings depend on the machine, so they
 * are never tests.  The children are killed and reaped before it returns,
 * and they die with it if it is killed (PR_SET_PDEATHSIG), so no process
 * and no pipe outlives a run.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "channels.h"
#include "frame.h"
#include "history.h"
#include "sampler.h"
#include "tracker.h"
#include "util.h"

enum { SMALL = 50, BIG = 5000, MAX_RUNS = 2000 };

/* Long enough per measurement that the median is steady, short enough
 * that the whole bench takes seconds. */
static const double BUDGET = 1.0;

/* Raises the soft limit on descriptors to the hard one; returns how many
 * pipes a child can then hold (both ends, and a few for stdio). */
static int pipes_possible(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return SMALL;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > 2 * (rlim_t)BIG + 64)
		return BIG;
	return rl.rlim_cur > 2 * (rlim_t)SMALL + 64 ? (int)((rl.rlim_cur - 64) / 2) : SMALL;
}

/* A child holding n pipes, waiting to be killed; -1 when it could not
 * make them all. */
static pid_t holder(int n)
{
	int ready[2];
	pid_t parent = getpid();

	if (pipe(ready) != 0)
		return -1;
	pid_t pid = fork();
	if (pid < 0) {
		close(ready[0]);
		close(ready[1]);
		return -1;
	}
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(1);   /* the bench died before the line above */
		/* exactly n pipes: none inherited (make's, the terminal's) to count */
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);
		for (int fd = 0; fd < 3 && null >= 0; fd++)
			dup2(null, fd);
		int keep = ready[1] > 3 ? ready[1] : dup(ready[1]);
		close_range(3, (unsigned)keep - 1, 0);
		close_range((unsigned)keep + 1, ~0U, 0);
		ready[1] = keep;
		char ok = 'y';
		for (int i = 0; i < n; i++) {
			int p[2];
			if (pipe(p) != 0) {
				ok = 'n';
				break;
			}
			/* a byte in every other pipe, so fills differ as in a real program */
			if (i % 2 && write(p[1], "x", 1) != 1)
				ok = 'n';
		}
		if (write(ready[1], &ok, 1) != 1)
			_exit(1);
		close(ready[1]);
		for (;;)
			pause();
	}
	close(ready[1]);
	char ok = 'n';
	ssize_t got = read(ready[0], &ok, 1);
	close(ready[0]);
	if (got != 1 || ok != 'y') {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return -1;
	}
	return pid;
}

/* A process whose one child holds n pipes, so that a sampler with it as
 * its top reads that child as the program it watches; -1 on failure.
 * *child gets the holder. */
static pid_t tree(int n, pid_t *child)
{
	int ready[2];

	if (pipe(ready) != 0)
		return -1;
	pid_t top = fork();
	if (top < 0)
		return -1;
	if (top == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(ready[0]);
		pid_t h = holder(n);
		if (write(ready[1], &h, sizeof(h)) != (ssize_t)sizeof(h))
			_exit(1);
		for (;;)
			pause();
	}
	close(ready[1]);
	if (read(ready[0], child, sizeof(*child)) != (ssize_t)sizeof(*child) || *child < 0) {
		close(ready[0]);
		kill(top, SIGKILL);
		waitpid(top, NULL, 0);
		return -1;
	}
	close(ready[0]);
	return top;
}

static void stop(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}

/* The sample the sampler reads for child, so the frame is what a tick
 * gives channels_probe(). */
static bool sample_of(pid_t child, struct proc_sample *out)
{
	char err[128];
	struct sampler *s = sampler_new(getpid(), err, sizeof(err));
	if (!s) {
		fprintf(stderr, "bench_channels: %s\n", err);
		return false;
	}
	struct frame f;
	frame_init(&f);
	sampler_scan(s, &f);
	const struct proc_sample *p = frame_find(&f, child);
	if (p)
		*out = *p;
	frame_release(&f);
	sampler_free(s);
	return p != NULL;
}

struct probe_run {
	struct frame f;
	struct proc_sample child;
	size_t found;               /* what a lookup tick found: keeps it from being optimised away */
};

/* One tick's channel probe: the sampler clears the frame, adds the
 * processes, sorts them, then probes. */
static void probe_tick(struct probe_run *r)
{
	frame_clear(&r->f);
	r->f.self = getpid();
	*frame_add_proc(&r->f) = r->child;
	frame_sort(&r->f);
	channels_probe(&r->f, NULL, NULL, NULL, NULL);
}

/* What blocked.c asks per process, here for every descriptor there is. */
static void lookup_tick(struct probe_run *r)
{
	size_t found = 0;

	for (size_t i = 0; i < r->f.nchan_fds; i++)
		found += frame_fd_channel(&r->f, r->f.chan_fds[i].pid, r->f.chan_fds[i].fd) != NULL;
	r->found = found;
}

/* The frame's part alone: n pipes of two descriptors each, then the probe
 * of a frame with no process in it (which only orders the channels and
 * reads /proc/sysvipc/msg once). */
static void memory_tick(struct probe_run *r, int n)
{
	frame_clear(&r->f);
	for (int i = 0; i < n; i++) {
		unsigned long ino = 7000000UL + (unsigned long)(i * 7919 % n);
		struct channel *c = frame_channel(&r->f, CHAN_PIPE, ino);
		snprintf(c->name, sizeof(c->name), "pipe:[%lu]", ino);
		size_t at = (size_t)(c - r->f.channels);
		frame_add_chan_fd(&r->f, 4242, 3 + 2 * i, at);
		frame_add_chan_fd(&r->f, 4242, 4 + 2 * i, at);
	}
	channels_probe(&r->f, NULL, NULL, NULL, NULL);
}

static int by_value_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* A whole tick of a session watching a tree: read, then apply. */
struct tick_run {
	struct sampler *sampler;
	struct tracker *tracker;
	struct history *h;
	struct frame f;
};

static double measure_ticks(struct tick_run *r, int *runs)
{
	static double t[MAX_RUNS];
	double began = now_seconds();
	int k = 0;

	while (k < MAX_RUNS && (k < 5 || now_seconds() - began < BUDGET)) {
		double t0 = now_seconds();
		sampler_scan(r->sampler, &r->f);
		tracker_apply(r->tracker, &r->f, r->h);
		t[k++] = now_seconds() - t0;
		history_clear(r->h);
	}
	qsort(t, (size_t)k, sizeof(t[0]), by_value_d);
	*runs = k;
	return t[k / 2];
}

static bool tick_setup(struct tick_run *r, pid_t top, pid_t child)
{
	char err[128];

	r->sampler = sampler_new(top, err, sizeof(err));
	if (!r->sampler)
		return false;
	r->tracker = tracker_new(top, child, NULL);
	r->h = history_new(0);
	frame_init(&r->f);
	return true;
}

static void tick_free(struct tick_run *r)
{
	sampler_free(r->sampler);
	tracker_free(r->tracker);
	history_free(r->h);
	frame_release(&r->f);
}

enum what { PROBE, LOOKUP, MEMORY };


/* The median time of one tick, in seconds, over as many runs as fit in
 * BUDGET (at least 5). */
static double measure(struct probe_run *r, enum what what, int n, int *runs)
{
	static double t[MAX_RUNS];
	double began = now_seconds();
	int k = 0;

	if (what == LOOKUP)
		probe_tick(r);
	while (k < MAX_RUNS && (k < 5 || now_seconds() - began < BUDGET)) {
		double t0 = now_seconds();
		if (what == PROBE)
			probe_tick(r);
		else if (what == LOOKUP)
			lookup_tick(r);
		else
			memory_tick(r, n);
		t[k++] = now_seconds() - t0;
	}
	qsort(t, (size_t)k, sizeof(t[0]), by_value_d);
	*runs = k;
	return t[k / 2];
}

static void report(const char *what, int small, int big, const char *unit, double ts, double tb,
                   int rs, int rb)
{
	double ms_s = ts * 1e3, ms_b = tb * 1e3;
	printf("%-32s %d %s %8.3f ms, %d %s %9.3f ms: %5.0fx for %.0fx the %s "
	       "(linear would be %.0fx)  [median of %d and %d runs]\n",
	       what, small, unit, ms_s, big, unit, ms_b, tb / ts, (double)big / small, unit,
	       (double)big / small, rs, rb);
}

int main(void)
{
	/* the holders of the whole-tick trees are grandchildren: adopted by the
	 * bench when their parents go, so it can reap them before it returns */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	int big = pipes_possible();
	if (big < BIG)
		printf("bench_channels: the descriptor limit allows %d pipes per child, not %d\n", big,
		       BIG);
	pid_t few = holder(SMALL), many = holder(big);
	struct probe_run s = { 0 }, b = { 0 };
	int rc = 1;

	frame_init(&s.f);
	frame_init(&b.f);
	if (few < 0 || many < 0) {
		fprintf(stderr, "bench_channels: could not start the children holding the pipes "
		                "(out of descriptors? see ulimit -n)\n");
		goto out;
	}
	if (!sample_of(few, &s.child) || !sample_of(many, &b.child)) {
		fprintf(stderr, "bench_channels: the children are not in /proc\n");
		goto out;
	}

	int rs, rb;
	double ts = measure(&s, PROBE, SMALL, &rs), tb = measure(&b, PROBE, big, &rb);
	if (s.f.nchannels != SMALL || b.f.nchannels != (size_t)big)
		printf("bench_channels: found %zu and %zu pipes, not %d and %d\n", s.f.nchannels,
		       b.f.nchannels, SMALL, big);
	report("channels_probe:", SMALL, big, "pipes", ts, tb, rs, rb);

	ts = measure(&s, LOOKUP, SMALL, &rs);
	tb = measure(&b, LOOKUP, big, &rb);
	if (s.found != 2 * SMALL || b.found != 2 * (size_t)big)
		printf("bench_channels: the lookups found %zu and %zu descriptors, not %d and %d\n",
		       s.found, b.found, 2 * SMALL, 2 * big);
	report("frame_fd_channel, every fd:", 2 * SMALL, 2 * big, "fds", ts, tb, rs, rb);

	ts = measure(&s, MEMORY, SMALL, &rs);
	tb = measure(&b, MEMORY, big, &rb);
	report("frame alone (no /proc):", SMALL, big, "pipes", ts, tb, rs, rb);

	/* a whole tick, as a session takes it */
	pid_t hs = -1, hb = -1, top_s = tree(SMALL, &hs), top_b = tree(big, &hb);
	struct tick_run ks = { 0 }, kb = { 0 };
	if (top_s > 0 && top_b > 0 && tick_setup(&ks, top_s, hs) && tick_setup(&kb, top_b, hb)) {
		ts = measure_ticks(&ks, &rs);
		tb = measure_ticks(&kb, &rb);
		report("a whole tick (sampler+tracker):", SMALL, big, "pipes", ts, tb, rs, rb);
	} else {
		fprintf(stderr, "bench_channels: could not start the trees for a whole tick\n");
	}
	tick_free(&ks);
	tick_free(&kb);
	if (hs > 0)
		kill(hs, SIGKILL);
	if (hb > 0)
		kill(hb, SIGKILL);
	stop(top_s);
	stop(top_b);
	rc = 0;
out:
	stop(few);
	stop(many);
	while (wait(NULL) > 0)     /* the adopted holders */
		;
	frame_release(&s.f);
	frame_release(&b.f);
	return rc;
}
