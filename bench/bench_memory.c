/*
 * bench_memory.c - what a long watch keeps: the memory of a session over a
 * 64-process tree after as many readings as ten minutes at ten a second.
 *
 * Run by `make bench`.  It starts itself again as the watched program
 * ("fan": 64 children that sleep, as a classroom tree mostly does, and
 * one that wakes a child now and then), reads it 6,000 times as fast as
 * the readings go (not in real time: the memory follows the readings, not
 * the clock), and prints the resident memory of the whole process before
 * and after, with what the run keeps by its own count.  It reports and
 * asserts nothing.  The tree is ended with the session.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "session.h"
#include "util.h"

enum { KIDS = 64, READINGS = 6000 };

/* The watched tree: KIDS children that sleep; the parent wakes one a
 * second (a short-lived child), so the run has a few events. */
static int fan(void)
{
	for (int i = 0; i < KIDS; i++) {
		pid_t pid = fork();
		if (pid == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			for (;;)
				pause();
		}
	}
	for (;;) {
		sleep(1);
		pid_t pid = fork();
		if (pid == 0)
			_exit(0);
		waitpid(pid, NULL, 0);
	}
}

/* A line of /proc/self/status in KiB ("VmRSS"), or -1. */
static long status_kib(const char *key)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long v = -1;
	size_t n = strlen(key);

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, key, n) == 0 && line[n] == ':')
			v = atol(line + n + 1);
	fclose(f);
	return v;
}

int main(int argc, char **argv)
{
	char err[256], exe[] = "/proc/self/exe", mode[] = "fan";
	char *run[] = { exe, mode, NULL };
	struct session_opts o;

	if (argc == 2 && strcmp(argv[1], "fan") == 0)
		return fan();
	long before = status_kib("VmRSS");
	/* the readings as fast as they go: the interval is what a reading costs */
	session_opts_init(&o, 0.001, 0, 0);
	o.python_hook = false;      /* (its file is beside forkscope, not here) */
	struct session *s = session_start(run, &o, err, sizeof(err));
	if (!s) {
		fprintf(stderr, "bench_memory: %s\n", err);
		return 1;
	}
	struct tracker_stats st;
	do {
		session_step(s, 0.1, -1);
		tracker_stats(session_tracker(s), &st);
	} while (st.running < KIDS + 1);
	unsigned long readings = 0;
	double t0 = now_seconds();
	/* one reading per step at this interval, or fewer: count the steps
	 * that took one by the history of the world's clock */
	while (readings < READINGS) {
		if (session_step(s, 0.1, -1))
			readings++;
	}
	double took = now_seconds() - t0;
	long rss = status_kib("VmRSS"), hwm = status_kib("VmHWM");
	struct moment m;
	session_moment(s, &m);
	printf("memory: %d processes, %d readings (10 minutes at 10 a second) in %.1f s:\n",
	       KIDS + 1, READINGS, took);
	printf("  resident memory %.1f MiB before the run, %.1f MiB after (peak %.1f MiB); "
	       "goal: under 10 MiB in all\n", before / 1024.0, rss / 1024.0, hwm / 1024.0);
	printf("  the run keeps %zu events; rewinding reaches back to %.1f s of %.1f s\n",
	       history_count(m.history), m.reach, m.now);
	session_free(s);
	return 0;
}
