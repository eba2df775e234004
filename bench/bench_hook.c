/*
 * bench_hook.c - what forkscope's Python hook costs a program.
 *
 * The same Python program runs with the hook (PYTHONPATH and FORKSCOPE_HOOK
 * set, a socket listening and drained as forkscope drains it) and without,
 * in turns, ROUNDS times each; the medians and their ratio are printed.
 * The program does what the hook watches: a Pool(2) of 2000 one-task
 * chunks (two notes a task), 5000 Queue puts and gets, and starting
 * Python itself.  A report, never a failure: timing goals are read, not
 * tested.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pysource.h"
#include "scenarios.h"
#include "util.h"

#ifndef FORKSCOPE_DEMODIR
#define FORKSCOPE_DEMODIR "/usr/local/libexec/forkscope"
#endif

extern char **environ;

enum { ROUNDS = 5 };

static const char program[] =
	"from multiprocessing import Pool, Queue\n"
	"def square(x):\n"
	"    return x * x\n"
	"if __name__ == '__main__':\n"
	"    with Pool(2) as po:\n"
	"        po.map(square, range(2000), chunksize=1)\n"
	"    q = Queue()\n"
	"    for i in range(5000):\n"
	"        q.put(i)\n"
	"        q.get()\n";

static const char startup[] = "pass\n";

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static unsigned long notes;

static void count(void *ctx, pid_t pid, const char *text, size_t len)
{
	(void)ctx;
	(void)pid;
	(void)text;
	(void)len;
	notes++;
}

/* Runs python -c code with env; drains ps (when not NULL) meanwhile.
 * Returns the wall time, or -1. */
static double run(const char *python, const char *code, char **env, struct pysource *ps)
{
	char exe[PATH_MAX], dash_c[] = "-c", *text = strdup(code);
	snprintf(exe, sizeof(exe), "%s", python);
	char *argv[] = { exe, dash_c, text, NULL };
	pid_t pid;
	int status;

	double t0 = now();
	int rc = posix_spawn(&pid, exe, NULL, NULL, argv, env);
	free(text);
	if (rc != 0)
		return -1;
	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			break;
		struct pollfd p = { .fd = ps ? pysource_fd(ps) : -1, .events = POLLIN };
		poll(&p, ps ? 1 : 0, 10);
		if (ps)
			pysource_drain(ps, 100000, count, NULL);
	}
	double t = now() - t0;
	if (ps)
		pysource_drain(ps, 100000, count, NULL);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? t : -1;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v)
{
	qsort(v, ROUNDS, sizeof(*v), by_value);
	return v[ROUNDS / 2];
}

static int measure(const char *what, const char *python, const char *code, char **hooked,
                   struct pysource *ps)
{
	double with[ROUNDS], without[ROUNDS];

	notes = 0;
	for (int i = 0; i < ROUNDS; i++) {
		without[i] = run(python, code, environ, NULL);
		with[i] = run(python, code, hooked, ps);
		if (with[i] < 0 || without[i] < 0) {
			fprintf(stderr, "bench_hook: %s failed to run under %s\n", what, python);
			return 1;
		}
	}
	double a = median(with), b = median(without);
	printf("  %-34s %9.1f ms  %9.1f ms  %6.3f  (%lu notes a run)\n", what, a * 1e3, b * 1e3,
	       a / b, notes / ROUNDS);
	return 0;
}

int main(void)
{
	char python[PATH_MAX], dir[PATH_MAX], err[256];

	if (!scenario_python(python, sizeof(python))) {
		fprintf(stderr, "bench_hook: no python3 in PATH (install python3)\n");
		return 1;
	}
	/* build/bench/bench_hook: the hook is build/hook */
	char file[PATH_MAX];
	if (!util_shipped("../hook/sitecustomize.py", "hook/sitecustomize.py", FORKSCOPE_DEMODIR,
	                  R_OK, file, sizeof(file))) {
		fprintf(stderr, "bench_hook: the hook is not built (run make)\n");
		return 1;
	}
	snprintf(dir, sizeof(dir), "%s", file);
	*strrchr(dir, '/') = '\0';
	struct pysource *ps = pysource_open(err, sizeof(err));
	if (!ps) {
		fprintf(stderr, "bench_hook: %s\n", err);
		return 1;
	}
	char **hooked = pysource_env(environ, dir, pysource_path(ps));
	printf("forkscope's Python hook, %s, median of %d runs:\n", python, ROUNDS);
	printf("  %-34s %12s  %12s  %6s\n", "", "with hook", "without", "ratio");
	int rc = measure("python3 -c pass (start-up)", python, startup, hooked, ps);
	if (!rc)
		rc = measure("Pool(2) x2000 tasks, Queue x5000", python, program, hooked, ps);
	pysource_env_free(hooked);
	pysource_free(ps);
	return rc;
}
