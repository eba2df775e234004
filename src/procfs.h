/*
 * procfs.h - hand-read /proc files: what libproc2 does not offer.
 *
 * Both calls treat a vanished process as ordinary and touch nothing else.
 */
#ifndef FORKSCOPE_PROCFS_H
#define FORKSCOPE_PROCFS_H

#include <stddef.h>
#include <sys/types.h>

/* Lists the children of every thread of pid into kids (up to max), from
 * /proc/PID/task/TID/children.  Returns how many were found; 0 when pid is
 * gone.  threads is a hint: when 1, only the main thread is read. */
size_t procfs_children(pid_t pid, int threads, pid_t *kids, size_t max);

/* The wait(2) status a zombie left in field 52 of /proc/PID/stat, or -1. */
int procfs_exit_code(pid_t pid);

#endif
