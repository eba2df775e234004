/*
 * launcher.h - starts the watched program and guarantees it ends with us.
 *
 * forkscope makes itself a child subreaper (PR_SET_CHILD_SUBREAPER), so every
 * descendant whose parent dies is adopted by forkscope, never by PID 1: it
 * stays in view, and forkscope reaps it as init would.  Or, with
 * launcher_start_pid1(), the program runs under an init of forkscope's own
 * in a PID namespace, which adopts and reaps them as PID 1 (pidns.h).  It also means that
 * while any descendant lives, forkscope has a child, which is what makes
 * launcher_kill_all() complete.
 *
 * The program runs with execv() after a PATH search like execvp()'s, never
 * through a shell (not even execvp()'s fallback for files without a format),
 * in a new session whose stdout and stderr are a pseudo-terminal (not its controlling one), so
 * stdio is line-buffered and every line arrives as it is printed.  Its stdin
 * is /dev/null.
 *
 * It touches processes and the pty, and reads of /proc only what it needs
 * to find and confirm the tree's processes; never the screen.
 */
#ifndef FORKSCOPE_LAUNCHER_H
#define FORKSCOPE_LAUNCHER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "frame.h"
#include "procfs.h"

/* A line of output keeps this many bytes at most; the rest is counted. */
#define LAUNCHER_LINE_KEEP 16384
/* A line with no end yet is shown after the program printed nothing for
 * this long (seconds), as a terminal would already show it: at the first
 * reading after that (--interval). */
#define LAUNCHER_IDLE_FLUSH 0.2
/* launcher_kill_all() gives up after this many seconds. */
#define LAUNCHER_KILL_WAIT 1.0

/* One line the program printed: text (borrowed for the call; raw bytes, at
 * most LAUNCHER_LINE_KEEP of them, cut at a character's end), cut the bytes
 * of it past that which were not kept, partial when it was shown before its
 * end came (the rest comes as another line). */
typedef void (*launcher_line_fn)(void *ctx, const char *text, unsigned long long cut, bool partial);

struct launcher;

/* Makes the calling process a child subreaper.  Returns false with a
 * message in err when the kernel refuses. */
bool launcher_become_subreaper(char *err, size_t errlen);

/* Finds name as execvp() would (PATH unless it holds a '/'); writes the
 * path into out and returns true when it names an executable regular file.
 * Otherwise, when why is not NULL, writes there what is wrong with it, as
 * the end of a sentence ("is a directory"). */
bool launcher_resolve(const char *name, char *out, size_t outlen, char *why, size_t whylen);

/* Starts argv[0] (searched in PATH as launcher_resolve() does) with argv and
 * the environment envp (NULL: forkscope's own) on a new pty of cols x rows.  Returns once the
 * program has been exec'd; NULL with a one-line reason in err when it could
 * not be (nothing is left running then).  The caller owns the launcher.
 * held: the program is left stopped (SIGSTOP) at its very first
 * instruction, for slow motion to hold its start too: it runs traced
 * (PTRACE_TRACEME) until its exec, and the trace is let go with a stop.
 * Where tracing is not allowed, and for a set-user-ID or set-group-ID
 * program (which would lose its privileges under a trace), it just starts;
 * launcher_held() says which.
 * max_procs: when above 0, the program and all it forks may be at most that
 * many processes at once (limit.h: a pids cgroup, or RLIMIT_NPROC): it is
 * inside the limit before its first instruction, and launcher_free()
 * kills everything inside and removes the limit. */
struct launcher *launcher_start(char *const argv[], char *const envp[], int cols, int rows,
                                bool held, int max_procs, char *err, size_t errlen);

/* Whether the program was left stopped at its start (launcher_start()). */
bool launcher_held(const struct launcher *l);

/* As launcher_start(), but the program runs in a new PID namespace under
 * forkscope's init (pidns.h): launcher_pid() is then init's host PID (PID
 * 1 inside, named "init"), the program is init's child, PID 2, and init
 * reaps every orphan of the namespace, then exits with the program's
 * status.  Killing init (launcher_kill_all()) ends the whole namespace at
 * once; init dies with forkscope (PR_SET_PDEATHSIG).  A user namespace is
 * made too where forkscope is not root, mapping forkscope's user to
 * itself.  The program's start is not held (init would be its tracer).
 * Where the kernel refuses a namespace, the program starts as with
 * launcher_start(), and refused (never NULL here) gets why, as a
 * sentence's end ("" when it was not refused). */
struct launcher *launcher_start_pid1(char *const argv[], char *const envp[], int cols,
                                     int rows, bool held, int max_procs, char *refused,
                                     size_t refusedlen, char *err, size_t errlen);

/* Whether the kernel gives forkscope a PID namespace (a namespace is made
 * and ended at once); false with why, as a sentence's end, when not. */
bool launcher_pid1_possible(char *why, size_t whylen);

/* Whether launcher_pid() is the init of a PID namespace of forkscope's. */
bool launcher_pid1(const struct launcher *l);

/* Kills everything still running (the limit's processes first, then
 * launcher_kill_all), removes the limit, closes the pty and frees.  launcher_free(NULL) does nothing. */
void launcher_free(struct launcher *l);

/* The program's PID; 0 for NULL (an attached run starts nothing). */
pid_t launcher_pid(const struct launcher *l);

/* The pty's master side, for poll(); -1 once the output has ended, and
 * for NULL. */
int launcher_fd(const struct launcher *l);

/* Reads at most max_bytes (and at most 4 KiB) of what the program printed,
 * without blocking, and calls line() once per complete line (without its
 * "\n"; a "\r" also ends a line, so progress counters show each step).  now
 * is the session's clock, for launcher_flush_idle().  At end of output the
 * last unfinished line is passed too and launcher_fd() becomes -1.  Returns
 * the bytes read: the caller budgets them, and while it does not read, the
 * program waits on a full pty as it would on a slow terminal. */
size_t launcher_read(struct launcher *l, size_t max_bytes, double now, launcher_line_fn line,
                     void *ctx);

/* Passes the unfinished line as partial when nothing came for
 * LAUNCHER_IDLE_FLUSH seconds, or, while a line too long to keep goes on,
 * once a second.  Nothing for NULL. */
void launcher_flush_idle(struct launcher *l, double now, launcher_line_fn line, void *ctx);

/* Reaps every child of forkscope that has exited (the root and adopted
 * orphans), adding one reap note per child to f.  Returns false when
 * forkscope has no child left at all: then no descendant is alive. */
bool launcher_reap(struct frame *f);

/* Sends sig to every process of the watched tree, all descendants of
 * forkscope (for pause, resume and kill), as listed in /proc at the time,
 * breadth first with no limit on the tree's size.  Each process is signalled
 * through a pidfd only once it is confirmed to be the child of a process
 * already confirmed (pidfd_open(), with kill() where the kernel lacks it):
 * a PID reused by another process is never signalled.  A group leader's
 * whole process group gets the signal too, through its pidfd (Linux 6.9):
 * the group's members share the session the program was started in, so
 * they are all of the tree.  Returns how many were
 * signalled (refusals not counted); the PIDs that refused (EPERM: another
 * user's, a setuid program) are added to denied when it is not NULL. */
size_t launcher_signal_tree(int sig, struct pidvec *denied);

/* The processes forkscope stopped (a pause, a hold of slow motion), by
 * (PID, start time), so that exactly those are continued: one the program
 * stopped itself stays stopped.  A zeroed set is empty. */
struct stopped_set {
	pid_t *pid;
	unsigned long long *start;
	bool *group;                /* its process group was stopped with it */
	size_t n, cap;
};

/* Stops every process of the tree (SIGSTOP, as launcher_signal_tree()
 * sends it), sweeping again until a sweep finds none that was not sent it
 * yet: a process forked while its parent was being stopped is stopped too.
 * Those it stopped are added to set (NULL: not kept); one stopped already
 * (by the program, or in set) is left alone.  False when the tree still
 * grew after 200 sweeps. */
bool launcher_stop_tree(struct stopped_set *set);

/* Stops pid (SIGSTOP) when it is still the process that started at start,
 * through a pidfd, and adds it to set: for a child the moment its fork is
 * known.  False when it is gone or another. */
bool launcher_stop_one(pid_t pid, unsigned long long start, struct stopped_set *set);

/* Continues (SIGCONT) each process of set that is still the one it
 * stopped, and empties set. */
void launcher_continue(struct stopped_set *set);
void stopped_set_free(struct stopped_set *set);

/* Kills every descendant of the calling process with SIGKILL and reaps
 * them, until it has no child left, every child left refuses the signal
 * (EPERM), or LAUNCHER_KILL_WAIT seconds have passed.  Uses only
 * async-signal-safe calls, so a fatal-signal handler may call it. */
void launcher_kill_all(void);

#endif
