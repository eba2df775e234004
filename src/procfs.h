/*
 * procfs.h - hand-read /proc files: what libproc2 does not offer.
 *
 * Identity first.  A PID is only a number the kernel hands out again once a
 * process is reaped, so a process is named here by (PID, start time), and
 * every read that touches a process (its children, descriptors, system
 * call, memory) goes through a directory descriptor of /proc/PID opened by
 * procfs_open() and confirmed there to be that very process.  Such a
 * descriptor stays bound to the process it was opened for: once that
 * process is reaped, reads through it fail (ESRCH) even when the PID has
 * gone to someone else, so nothing read through it can be a stranger's.
 *
 * A process vanishing in the middle is ordinary: the calls return nothing
 * and touch nothing else.
 */
#ifndef FORKSCOPE_PROCFS_H
#define FORKSCOPE_PROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* A growing list of PIDs, with no fixed limit.  A zeroed one is empty. */
struct pidvec {
	pid_t *v;
	size_t n, cap;
};

void pidvec_push(struct pidvec *pv, pid_t pid);
void pidvec_free(struct pidvec *pv);

/* The fields of /proc/PID/stat forkscope uses: the checks need the first
 * few, a reading all of them.  One parser fills it (procfs_parse_stat()),
 * for every stat line read anywhere. */
struct procfs_stat {
	unsigned long long start;   /* clock ticks since boot */
	pid_t pid, ppid, pgrp, sid;
	char state;                 /* R S D Z T t X ... */
	int nlwp;                   /* threads */
	char comm[64];              /* as stat shows it (16 bytes in the kernel) */
	/* where the program's text and stack start: they change on every exec
	 * (the stack's at least, with address space randomisation); 0 when
	 * the kernel hides them (another user's process) */
	unsigned long code_start, code_end, stack_start;
	int exit_code;              /* the wait(2) status a zombie left; -1 */
};

/* Parses one /proc/PID/stat line (its length len; need not end in a NUL).
 * comm may hold spaces and parentheses: the fields after it start after
 * the last ')'.  False when the line is not a stat line. */
bool procfs_parse_stat(const char *line, size_t len, struct procfs_stat *st);

/* Reads a stat descriptor kept open (openat(dir, "stat")) again from its
 * start (pread at 0: the kernel makes the line anew) and parses it: false
 * once the process it is bound to was reaped, even when its PID went to
 * another process. */
bool procfs_stat_fd(int statfd, struct procfs_stat *st);

/* Opens /proc/PID as a directory descriptor (O_CLOEXEC) and reads its stat
 * through it.  When *start is non-zero, the process must have that start
 * time (clock ticks since boot) or nothing is opened; when it is 0, *start
 * gets the process's.  *st (when not NULL) gets its stat.  Returns the
 * descriptor, or -1 when the process is gone or is another one. */
int procfs_open(pid_t pid, unsigned long long *start, struct procfs_stat *st);

/* Through a descriptor from procfs_open(): the process's stat; false once
 * it was reaped. */
bool procfs_stat_at(int dir, struct procfs_stat *st);

/* Appends to kids the PIDs in the children lists of every thread of the
 * process (task/TID/children); threads is a hint: when 1, only the main
 * thread's list is read.  Nothing when it is gone. */
void procfs_children_at(int dir, pid_t pid, int threads, struct pidvec *kids);

/* Through a descriptor from procfs_open(): comm, the command line (its
 * NULs as spaces, trailing spaces trimmed; "" for a zombie) and the
 * executable's path ("" when unreadable), each cut to its size.  False
 * when comm cannot be read (the process is gone). */
bool procfs_names_at(int dir, char *comm, size_t commlen, char *cmd, size_t cmdlen, char *exe,
                     size_t exelen);

/* Through a descriptor from procfs_open(): whether a SIGSTOP is pending
 * for the process (sent, not acted on yet), from its status file. */
bool procfs_stop_pending_at(int dir);

/* Through a descriptor from procfs_open(): the process's PID in the
 * innermost PID namespace it belongs to (the last number of the NSpid:
 * line of its status file), with *levels (when not NULL) how many
 * namespaces that line names; 0 when it cannot be read (gone, or a
 * kernel before 4.1). */
pid_t procfs_nspid_at(int dir, int *levels);

/* The system call the process is blocked in (its number, with its six
 * arguments), from its syscall file; -1 when it is running or the file
 * cannot be read.  *fd, when not NULL, is a descriptor of that file kept
 * between calls (-1: opened here, and left open for the next call; the
 * caller closes it); with NULL it is opened and closed. */
long procfs_syscall_at(int dir, int *fd, unsigned long args[6]);

/* How many times the process (its main thread) was put on a CPU, from its
 * schedstat file, through a descriptor kept as for procfs_syscall_at():
 * while it stays the same, the process has not run, so nothing it does
 * itself (its system call, its descriptors, its title) has changed.
 * False when the kernel keeps no such count. */
bool procfs_runs_at(int dir, int *fd, unsigned long long *runs);

/* The kernel function the process sleeps in (its wchan file), "" when it
 * cannot be told: for when its system call cannot be read. */
void procfs_wchan_at(int dir, char *buf, size_t len);

/* Seconds left until the absolute deadline the process passed at address
 * addr (a struct timespec in its memory, as mq_timedsend() takes), on
 * CLOCK_REALTIME or else CLOCK_MONOTONIC, read through its mem file; -1
 * when unreadable. */
double procfs_deadline_left_at(int dir, unsigned long addr, bool realtime);
/* The first descriptor of the struct pollfd array at addr in the process's
 * memory (a poll() it sleeps in): false when it cannot be read. */
bool procfs_first_poll_fd_at(int dir, unsigned long addr, int *fd);
/* The value of the POSIX semaphore (glibc's sem_t) at addr in the
 * process's memory: how many more sem_wait() calls would not block. */
bool procfs_sem_value_at(int dir, unsigned long addr, long *value);

/* Appends to kids[n..max) the PIDs listed in one children file (path such
 * as /proc/PID/task/TID/children), read whole however long; returns the new
 * count.  Only open, read and close: safe in a signal handler.  For
 * forkscope's own children only, whose PIDs cannot be reused before
 * forkscope reaps them. */
size_t procfs_children_file(const char *path, pid_t *kids, size_t n, size_t max);

#endif
