/*
 * tmux.c - the real full-screen program, driven in tmux (tmux.h).
 */
#include "tmux.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"

double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void nap(void)
{
	struct timespec ts = { 0, 50 * 1000 * 1000 };
	nanosleep(&ts, NULL);
}

/* A private socket, and a config that keeps a pane after its program exits
 * (from the start, so even a run that ends at once can be asked how). */
void tmux_init(struct tmux *tm)
{
	snprintf(tm->sock, sizeof(tm->sock), "fs-test-%d", (int)getpid());
	snprintf(tm->conf, sizeof(tm->conf), "/tmp/fs-test-%d.conf", (int)getpid());
	snprintf(tm->status, sizeof(tm->status), "/tmp/fs-test-%d.status", (int)getpid());
	unlink(tm->status);
	FILE *f = fopen(tm->conf, "w");
	cr_assert_not_null(f);
	fputs("set -g remain-on-exit on\n", f);
	fclose(f);
	/* UTF-8 and a known terminal, whatever the machine running the tests has */
	setenv("LC_ALL", "C.UTF-8", 1);
	setenv("TERM", "xterm-256color", 1);
	setlocale(LC_ALL, "C.UTF-8");
}

/* Runs tmux with args; returns its stdout (caller frees) and sets *status. */
char *tmux_run(const struct tmux *tm, int *status, const char *const *args)
{
	const char *argv[48] = { "tmux", "-L", tm->sock };
	size_t n = 3;

	for (size_t i = 0; args[i] && n < 47; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	struct run r;
	run_program(&r, argv, &(struct run_how){ .text = true });
	run_finish(&r, 30);
	if (status)
		*status = r.status;
	char *out = r.out;
	r.out = NULL;
	run_free(&r);
	return out;
}


char *screen(const struct tmux *tm)
{
	return tmux_run(tm, NULL, (const char *const[]){ "capture-pane", "-p", "-t", "main", NULL });
}

/* Starts forkscope with args in a cols x rows session, in the locale
 * lang (NULL: C.UTF-8 and LANGUAGE as the suites set it, English). */
void start_in(struct tmux *tm, int cols, int rows, const char *const *args,
                     const char *lang)
{
	const char *argv[40];
	char x[16], y[16];
	size_t n = 0;

	tmux_init(tm);
	if (lang) {
		setenv("LC_ALL", lang, 1);
		unsetenv("LANGUAGE");
	}
	snprintf(x, sizeof(x), "%d", cols);
	snprintf(y, sizeof(y), "%d", rows);
	argv[n++] = "-f";
	argv[n++] = tm->conf;
	argv[n++] = "new-session";
	argv[n++] = "-d";
	argv[n++] = "-s";
	argv[n++] = "main";
	argv[n++] = "-x";
	argv[n++] = x;
	argv[n++] = "-y";
	argv[n++] = y;
	/* a shell in the pane runs forkscope and keeps its exit code: tmux's
	 * own pane_dead_status is not always filled in.  The shell outlives a
	 * Ctrl-C (its trap) to write it; forkscope gets SIGINT as usual. */
	char script[256];
	snprintf(script, sizeof(script), "trap : INT; \"$0\" \"$@\"; echo $? > %s", tm->status);
	argv[n++] = "sh";
	argv[n++] = "-c";
	argv[n++] = script;
	argv[n++] = FORKSCOPE_BIN;
	for (size_t i = 0; args[i] && n < 38; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	int st;
	free(tmux_run(tm, &st, argv));
	cr_assert_eq(st, 0, "tmux new-session failed");
}

void start(struct tmux *tm, int cols, int rows, const char *const *args)
{
	start_in(tm, cols, rows, args, NULL);
}

char *screen_until(const struct tmux *tm, bool (*holds)(const char *scr, const void *arg),
                   const void *arg, double timeout, bool *held)
{
	double deadline = now() + timeout;

	for (;;) {
		char *s = screen(tm);
		bool ok = holds(s, arg);
		if (ok || now() > deadline) {
			*held = ok;
			return s;
		}
		free(s);
		nap();
	}
}

static bool has(const char *scr, const void *needle)
{
	return strstr(scr, needle) != NULL;
}

char *wait_screen(const struct tmux *tm, const char *needle, double timeout)
{
	bool ok;
	char *s = screen_until(tm, has, needle, timeout, &ok);

	if (!ok)
		cr_assert_fail("'%s' never appeared; the screen:\n%s", needle, s);
	return s;
}

struct two { const char *a, *b; };

static bool has_both(const char *scr, const void *arg)
{
	const struct two *w = arg;
	return strstr(scr, w->a) && strstr(scr, w->b);
}

char *wait_screen_both(const struct tmux *tm, const char *a, const char *b, double timeout)
{
	bool ok;
	char *s = screen_until(tm, has_both, &(struct two){ a, b }, timeout, &ok);

	if (!ok)
		cr_assert_fail("'%s' and '%s' never appeared together; the screen:\n%s", a, b, s);
	return s;
}

static bool lacks(const char *scr, const void *needle)
{
	return !has(scr, needle);
}

void wait_gone(const struct tmux *tm, const char *needle, double timeout)
{
	bool ok;
	char *s = screen_until(tm, lacks, needle, timeout, &ok);

	if (!ok)
		cr_assert_fail("'%s' never went away; the screen:\n%s", needle, s);
	free(s);
}

/* The pane's process: the shell that runs forkscope (or the user's shell). */
pid_t pane_pid(const struct tmux *tm)
{
	char *s = tmux_run(tm, NULL, (const char *const[]){ "list-panes", "-t", "main", "-F",
	                                                   "#{pane_pid}", NULL });
	pid_t pid = (pid_t)atoi(s);
	free(s);
	return pid;
}

/* forkscope's PID: the child of the pane's shell. */
pid_t forkscope_pid(const struct tmux *tm)
{
	pid_t kids[4];
	double deadline = now() + 5;

	for (;;) {
		if (children_of(pane_pid(tm), 1, kids, 4) > 0)
			return kids[0];
		cr_assert_lt(now(), deadline, "forkscope is not running in the pane");
		nap();
	}
}

/* Waits for forkscope to exit with want_status. */
void wait_exit(const struct tmux *tm, int want_status, double timeout)
{
	double deadline = now() + timeout;
	int st = -1;

	for (;;) {
		FILE *f = fopen(tm->status, "r");
		if (f) {
			int got = fscanf(f, "%d", &st);
			fclose(f);
			if (got == 1)
				break;
		}
		cr_assert_lt(now(), deadline, "forkscope did not exit");
		nap();
	}
	cr_assert_eq(st, want_status, "forkscope exited with %d", st);
}

/* Ends the server and waits until it and everything under it are gone. */
void finish(struct tmux *tm)
{
	TMUX(tm, "kill-server");
	unlink(tm->conf);
	unlink(tm->status);
	double deadline = now() + 15;
	pid_t kids[64];
	while (now() < deadline) {
		int st;
		while (waitpid(-1, &st, WNOHANG) > 0)
			;
		if (children_of(getpid(), 0, kids, 64) == 0)
			return;
		nap();
	}
}

void quit(struct tmux *tm, double timeout)
{
	TMUX(tm, "send-keys", "-t", "main", "q");
	wait_exit(tm, 0, timeout);
	finish(tm);
}

/* The line of the screen holding needle, copied into buf. */
bool line_with(const char *scr, const char *needle, char *buf, size_t len)
{
	const char *p = strstr(scr, needle);
	if (!p)
		return false;
	const char *start = p;
	while (start > scr && start[-1] != '\n')
		start--;
	const char *end = strchr(p, '\n');
	size_t n = end ? (size_t)(end - start) : strlen(start);
	if (n >= len)
		n = len - 1;
	memcpy(buf, start, n);
	buf[n] = '\0';
	return true;
}

void tmux_fini(void)
{
	struct tmux tm;
	snprintf(tm.sock, sizeof(tm.sock), "fs-test-%d", (int)getpid());
	snprintf(tm.conf, sizeof(tm.conf), "/tmp/fs-test-%d.conf", (int)getpid());
	snprintf(tm.status, sizeof(tm.status), "/tmp/fs-test-%d.status", (int)getpid());
	free(tmux_run(&tm, NULL, (const char *const[]){ "kill-server", NULL }));
	unlink(tm.conf);
	unlink(tm.status);
	helpers_cleanup();
}
