/*
 * tmux.h - the real full-screen program, driven in tmux, for the suites
 * that look at the screen (test_tui, test_pidns).
 *
 * Each test process runs its own tmux server (a private socket named after
 * its PID), starts forkscope in a detached session "main" of a fixed size,
 * types keys with TMUX(tm, "send-keys", ...) and reads the screen with
 * screen().  The pane's shell writes forkscope's exit code to tm->status
 * (it outlives a Ctrl-C), which wait_exit() reads.  Conditions are polled,
 * never slept on; a timeout fails the test with the last screen.  finish()
 * kills the server and waits until everything under it is gone (the test
 * process is a subreaper, so the survivors check sees what is left), and
 * tmux_fini(), a suite's .fini, does the same after a case that failed
 * half-way.  Strings returned are the caller's to free.
 */
#ifndef FORKSCOPE_TESTS_TMUX_H
#define FORKSCOPE_TESTS_TMUX_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct tmux {
	char sock[64];
	char conf[96];
	char status[96];   /* where the pane's shell writes forkscope's exit code */
};

/* The monotonic clock in seconds, and the 50 ms between two polls. */
double now(void);
void nap(void);

/* The socket, config and status names, the config written, and UTF-8 and
 * a known terminal for what runs in the pane. */
void tmux_init(struct tmux *tm);
/* Runs tmux with args; returns its stdout and sets *status (may be NULL). */
char *tmux_run(const struct tmux *tm, int *status, const char *const *args);
#define TMUX(tm, ...) free(tmux_run((tm), NULL, (const char *const[]){ __VA_ARGS__, NULL }))

/* forkscope with args in a cols x rows session, in the locale lang (NULL:
 * C.UTF-8, and LANGUAGE as the suites set it: English). */
void start_in(struct tmux *tm, int cols, int rows, const char *const *args, const char *lang);
void start(struct tmux *tm, int cols, int rows, const char *const *args);

/* The screen as text. */
char *screen(const struct tmux *tm);
/* Reads the screen (every 50 ms) until holds(screen, arg), at most
 * timeout seconds: the last screen read (the caller frees it), and *held,
 * whether it held.  The waits below are made of it. */
char *screen_until(const struct tmux *tm, bool (*holds)(const char *scr, const void *arg),
                   const void *arg, double timeout, bool *held);
/* The screen once it holds needle; fails after timeout seconds. */
char *wait_screen(const struct tmux *tm, const char *needle, double timeout);
/* The screen once it holds both a and b (a capture may catch tmux half-way
 * through a redraw); fails after timeout seconds. */
char *wait_screen_both(const struct tmux *tm, const char *a, const char *b, double timeout);
/* Returns once the screen no longer holds needle; fails after timeout. */
void wait_gone(const struct tmux *tm, const char *needle, double timeout);
/* The pane's shell, and forkscope (its child). */
pid_t pane_pid(const struct tmux *tm);
pid_t forkscope_pid(const struct tmux *tm);
/* Waits for forkscope to exit with want_status; fails after timeout. */
void wait_exit(const struct tmux *tm, int want_status, double timeout);
/* Kills the server and waits for everything under it to be gone. */
void finish(struct tmux *tm);
/* q, then forkscope exits 0 within timeout seconds, then finish(). */
void quit(struct tmux *tm, double timeout);
/* A suite's .fini: this process's server, files and leftovers. */
void tmux_fini(void);

/* The line of screen scr holding needle, copied into buf[len]. */
bool line_with(const char *scr, const char *needle, char *buf, size_t len);

#endif
