/*
 * limit.h - a ceiling on how many processes a program may have at once,
 * for the fork bomb that hits a wall (forkscope --limit N fork-bomb).
 *
 * A limit holds a program and everything it forks to at most N processes
 * (threads count as processes, and so does a zombie until it is reaped):
 * the N+1st fork() fails with EAGAIN, as a real bomb's forks fail once the
 * machine's process table is full, but here only this program is stopped.
 * Two ways, tried in this order:
 *
 *   - a pids cgroup of its own: a new folder, forkscope-PID-K, under
 *     forkscope's own cgroup, with pids.max = N.  cgroup v2 when the pids
 *     controller is enabled below forkscope's cgroup already (its
 *     cgroup.subtree_control lists pids: forkscope does not enable it, which
 *     would change every cgroup beside its own), else the v1 pids hierarchy
 *     (as root on most machines with one).  The cgroup
 *     holds nothing but the program's processes: forkscope stays outside.
 *   - RLIMIT_NPROC in a user namespace of the program's own: the count
 *     the kernel keeps for that namespace and uid starts at the program, so
 *     the limit is N for it alone.  For an ordinary user only: the kernel
 *     does not enforce RLIMIT_NPROC for root, nor for a process with
 *     CAP_SYS_RESOURCE or CAP_SYS_ADMIN.
 *
 * Where neither can be had, limit_check() and limit_new() say why, and what
 * to do, in one line (nothing is made then).
 *
 * The program is inside the limit before its first instruction: the
 * launcher's child calls limit_enter() between fork and exec.  It never
 * leaves it: a cgroup's processes cannot move themselves out without
 * privileges the demos do not use, and a user namespace cannot be left.
 *
 * It touches only the cgroup folder it made (and, in limit_new(), empty
 * folders of earlier forkscopes that are gone), and the processes inside.
 */
#ifndef FORKSCOPE_LIMIT_H
#define FORKSCOPE_LIMIT_H

#include <stdbool.h>
#include <stddef.h>

/* The most --limit allows: the bounded bomb's own cap (2^9). */
#define LIMIT_MAX 512
/* The fewest: the first process and one child. */
#define LIMIT_MIN 2
/* How long limit_free() waits for the cgroup to empty, in seconds. */
#define LIMIT_WAIT 1.0

enum limit_kind {
	LIMIT_CGROUP_V2,
	LIMIT_CGROUP_V1,
	LIMIT_NPROC,              /* RLIMIT_NPROC in a user namespace */
};

struct limit;

/* Whether a limit can be had here, with nothing made or started that
 * outlives the call (a child that tries a user namespace and exits at
 * once may be forked).  False with one line in why: what is missing and
 * what to do. */
bool limit_check(char *why, size_t whylen);

/* Makes a limit of max processes (LIMIT_MIN..LIMIT_MAX): the cgroup, or
 * what the child will need for RLIMIT_NPROC.  Empty cgroup folders left by
 * a forkscope that was killed outright are removed first.  NULL with one
 * line in err when it cannot be had.  The caller owns it (limit_free()). */
struct limit *limit_new(int max, char *err, size_t errlen);

/* Which way the limit holds; its ceiling. */
enum limit_kind limit_kind(const struct limit *l);
int limit_max(const struct limit *l);

/* The cgroup's folder ("" for RLIMIT_NPROC), borrowed while l lives. */
const char *limit_path(const struct limit *l);

/* In the child, between fork and exec: puts the calling process inside
 * the limit.  Async-signal-safe (open descriptors and plain system calls
 * only).  Returns 0, or the errno of what failed: the child must not go on
 * to exec then. */
int limit_enter(const struct limit *l);
/* The descriptor limit_enter() writes to (a pids cgroup's cgroup.procs),
 * for a process that closes its others before a child enters; -1 when
 * there is none (RLIMIT_NPROC). */
int limit_fd(const struct limit *l);

/* How many processes the limit holds now (pids.current); -1 when that
 * cannot be read (RLIMIT_NPROC has no such count). */
int limit_count(const struct limit *l);

/* Ends everything inside: no more forks (pids.max = 0), then SIGKILL to
 * each process listed in the cgroup, through a pidfd, once the process is
 * confirmed to still be in it.  It does not reap: forkscope, the subreaper
 * of them all, does (launcher_kill_all(), which also takes a child forked
 * in the instant before the door closed).  Nothing for RLIMIT_NPROC, whose
 * processes are all forkscope's descendants, killed by launcher_kill_all().
 * Returns how many processes were listed (zombies included). */
int limit_kill(struct limit *l);

/* limit_kill(), then removes the cgroup's folder, waiting LIMIT_WAIT
 * seconds at most for its last processes to be reaped (a folder that is
 * still busy then is left, and removed by the next limit_new()); frees.
 * limit_free(NULL) does nothing. */
void limit_free(struct limit *l);

#endif
