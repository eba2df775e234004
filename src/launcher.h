/*
 * launcher.h - starts the watched program and guarantees it ends with us.
 *
 * forkscope makes itself a child subreaper (PR_SET_CHILD_SUBREAPER), so every
 * descendant whose parent dies is adopted by forkscope, never by PID 1: it
 * stays in view, and forkscope reaps it as init would.  It also means that
 * while any descendant lives, forkscope has a child, which is what makes
 * launcher_kill_all() complete.
 *
 * The program runs with execv() after a PATH search like execvp()'s, never
 * through a shell (not even execvp()'s fallback for files without a format),
 * in a new session whose stdout and stderr are a pseudo-terminal (not its controlling one), so
 * stdio is line-buffered and every line arrives as it is printed.  Its stdin
 * is /dev/null.
 *
 * It touches processes and the pty, never /proc fields, never the screen.
 */
#ifndef FORKSCOPE_LAUNCHER_H
#define FORKSCOPE_LAUNCHER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "frame.h"

struct launcher;

/* Makes the calling process a child subreaper.  Returns false with a
 * message in err when the kernel refuses. */
bool launcher_become_subreaper(char *err, size_t errlen);

/* Finds name as execvp() would (PATH unless it holds a '/'); writes the
 * path into out and returns true when it names an executable regular file.
 * Otherwise, when why is not NULL, writes there what is wrong with it, as
 * the end of a sentence ("is a directory"). */
bool launcher_resolve(const char *name, char *out, size_t outlen, char *why, size_t whylen);

/* Starts argv[0] (searched in PATH as launcher_resolve() does) with argv on
 * a new pty of cols x rows.  Returns once the
 * program has been exec'd; NULL with a one-line reason in err when it could
 * not be (nothing is left running then).  The caller owns the launcher. */
struct launcher *launcher_start(char *const argv[], int cols, int rows, char *err, size_t errlen);

/* Kills everything still running (launcher_kill_all), closes the pty and
 * frees.  launcher_free(NULL) does nothing. */
void launcher_free(struct launcher *l);

pid_t launcher_pid(const struct launcher *l);

/* The pty's master side, for poll(); -1 once the output has ended. */
int launcher_fd(const struct launcher *l);

/* Reads what the program printed so far without blocking and calls line()
 * once per complete line (without its "\n"; a "\r" also ends a line, so
 * progress counters show each step).  At end of output the last partial line
 * is passed too and launcher_fd() becomes -1.  line's argument is borrowed
 * for the call only. */
void launcher_read(struct launcher *l, void (*line)(void *ctx, const char *text), void *ctx);

/* Reaps every child of forkscope that has exited (the root and adopted
 * orphans), adding one reap note per child to f.  Returns false when
 * forkscope has no child left at all: then no descendant is alive. */
bool launcher_reap(struct frame *f);

/* Sends sig to every process of the watched tree, all descendants of
 * forkscope (for pause, resume and kill), as listed in /proc at the time.
 * Returns how many were signalled. */
size_t launcher_signal_tree(int sig);

/* Kills every descendant of the calling process with SIGKILL and reaps them
 * all, until it has no child left.  Uses only async-signal-safe calls, so a
 * fatal-signal handler may call it. */
void launcher_kill_all(void);

#endif
