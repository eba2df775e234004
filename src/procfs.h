/*
 * procfs.h - hand-read /proc files: what libproc2 does not offer.
 *
 * Both calls treat a vanished process as ordinary and touch nothing else.
 */
#ifndef FORKSCOPE_PROCFS_H
#define FORKSCOPE_PROCFS_H

#include <stddef.h>
#include <sys/types.h>

/* Appends to kids[n..max) the PIDs listed in one children file (path such
 * as /proc/PID/task/TID/children), read whole however long; returns the new
 * count.  Only open, read and close: safe in a signal handler. */
size_t procfs_children_file(const char *path, pid_t *kids, size_t n, size_t max);

/* Lists the children of every thread of pid into kids (up to max), from
 * /proc/PID/task/TID/children.  Returns how many were found; 0 when pid is
 * gone.  threads is a hint: when 1, only the main thread is read. */
size_t procfs_children(pid_t pid, int threads, pid_t *kids, size_t max);

/* The wait(2) status a zombie left in field 52 of /proc/PID/stat, or -1. */
int procfs_exit_code(pid_t pid);

/* Reads /proc/PID/syscall: the number of the system call the process is
 * blocked in, with its six arguments, or -1 when it is running or the file
 * cannot be read. */
long procfs_syscall(pid_t pid, unsigned long args[6]);

/* Seconds left until the absolute CLOCK_REALTIME deadline a process passed
 * at address addr (a struct timespec in its memory, as mq_timedsend()
 * takes), read through /proc/PID/mem; -1 when it cannot be read. */
double procfs_deadline_left(pid_t pid, unsigned long addr);

#endif
