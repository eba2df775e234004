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

/* The few fields of /proc/PID/stat the checks need. */
struct procfs_stat {
	unsigned long long start;   /* clock ticks since boot */
	pid_t ppid, pgrp;
	char state;                 /* R S D Z T t X ... */
};

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

/* The wait(2) status a zombie left in field 52 of its stat, or -1. */
int procfs_exit_code_at(int dir);

/* The system call the process is blocked in (its number, with its six
 * arguments), from its syscall file; -1 when it is running or the file
 * cannot be read. */
long procfs_syscall_at(int dir, unsigned long args[6]);

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
