/*
 * blocked.h - what a sleeping process is waiting for, in teaching terms.
 *
 * From the system call in /proc/PID/syscall (names from libseccomp's
 * table, never typed by hand) and the channel its descriptor argument is,
 * or else from /proc/PID/wchan: waiting for a child (join), to get from a
 * queue, to put into a full one, sleeping, reading an empty pipe, writing a
 * full one.  Pure functions of a frame: no /proc reads, no terminal.
 */
#ifndef FORKSCOPE_BLOCKED_H
#define FORKSCOPE_BLOCKED_H

#include <stdbool.h>
#include <stddef.h>

#include "frame.h"

enum block_on {
	ON_NONE,         /* running, or not known to wait */
	ON_WAIT_CHILD,   /* wait4, waitid: join */
	ON_QUEUE_GET,
	ON_QUEUE_PUT,
	ON_SLEEP,
	ON_PIPE_READ,
	ON_PIPE_WRITE,
	ON_OTHER,
	ON_COUNT
};

struct blocked {
	enum block_on on;
	char syscall[32];               /* "mq_timedsend", or "" (from wchan) */
	char channel[CHAN_NAME_MAX];    /* the queue or pipe, when there is one */
	double timeout_left;            /* a timed put or get: seconds left; -1 */
	pid_t child;                    /* wait-child: the one waited for; 0 any */
};

/* Classifies p, a process of f, read on a machine whose system call table
 * is arch (libseccomp's token; 0: this machine's). */
void blocked_classify(const struct proc_sample *p, const struct frame *f, unsigned arch,
                      struct blocked *out);

/* "wait-child", "queue-get"...: the names used in JSON. */
const char *blocked_name(enum block_on on);

/* The name of system call nr in arch's table (0: this machine's), "wait4",
 * or "syscall N" written into buf. */
const char *blocked_syscall_name(unsigned arch, long nr, char *buf, size_t len);
/* libseccomp's token for an arch name ("x86_64"), 0 when it is unknown
 * here; and this machine's name. */
unsigned blocked_arch(const char *name);
const char *blocked_native_arch(void);

#endif
