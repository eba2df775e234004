/*
 * blocked.h - what a sleeping process is waiting for, in teaching terms.
 *
 * From the system call in /proc/PID/syscall (names from libseccomp's
 * table, never typed by hand) and the channel its descriptor argument is,
 * or else from /proc/PID/wchan: waiting for a child (join), to get from a
 * queue, to put into a full one, sleeping, reading an empty pipe, writing a
 * full one.  Pure functions of a frame: no /proc reads, no terminal.
 *
 * In a Python program forkscope started, its hook (pymodel.h) names what
 * multiprocessing waits in: a futex that is a Queue's semaphore is a put
 * on a full queue, one that is a Queue's lock a get waiting its turn, one
 * of a Lock, Event, Semaphore, Condition or Barrier a wait on it; a poll
 * or read on a queue's pipe a get; a read on a manager's connection a call
 * to the manager; and the waits the hook said it began (Process.join,
 * Pool.join, a pool's result) where the system call alone would say
 * "futex".
 */
#ifndef FORKSCOPE_BLOCKED_H
#define FORKSCOPE_BLOCKED_H

#include <stdbool.h>
#include <stddef.h>

#include "frame.h"
#include "pymodel.h"

enum block_on {
	ON_NONE,         /* running, or not known to wait */
	ON_WAIT_CHILD,   /* wait4, waitid: join */
	ON_QUEUE_GET,
	ON_QUEUE_PUT,
	ON_SLEEP,
	ON_PIPE_READ,
	ON_PIPE_WRITE,
	ON_OTHER,
	/* what the Python hook names (pymodel.h) */
	ON_LOCK,         /* a Lock or RLock: acquire() */
	ON_SEMAPHORE,    /* a Semaphore or BoundedSemaphore: acquire() */
	ON_EVENT,        /* Event.wait() */
	ON_CONDITION,    /* Condition.wait() */
	ON_BARRIER,      /* Barrier.wait() */
	ON_POOL_JOIN,    /* Pool.join(): for the pool's workers to end */
	ON_RESULT,       /* a pool's result: apply(), map(), AsyncResult.get() */
	ON_MANAGER,      /* a proxy's call: for the manager's answer */
	ON_SERVE,        /* a manager's server: for its proxies' calls */
	ON_COUNT
};

struct blocked {
	enum block_on on;
	char syscall[32];               /* "mq_timedsend", or "" (from wchan) */
	char channel[CHAN_NAME_MAX];    /* the queue or pipe, when there is one */
	double timeout_left;            /* a timed put or get: seconds left; -1 */
	pid_t child;                    /* wait-child: the one waited for; 0 any */
	char call[32];                  /* manager: the method called ("qsize"), or "" */
};

/* Classifies p, a process of f, read on a machine whose system call table
 * is arch (libseccomp's token; 0: this machine's); py is what the Python
 * hook told (NULL: nothing). */
void blocked_classify(const struct proc_sample *p, const struct frame *f, unsigned arch,
                      const struct pymodel *py, struct blocked *out);

/* "wait-child", "queue-get"...: the names used in JSON, never translated. */
const char *blocked_name(enum block_on on);
/* The same for a view to show, in the user's language (i18n.h): the
 * English words are blocked_name()'s.  Not for JSON. */
const char *blocked_word(enum block_on on);

/* The name of system call nr in arch's table (0: this machine's), "wait4",
 * or "syscall N" written into buf. */
const char *blocked_syscall_name(unsigned arch, long nr, char *buf, size_t len);
/* libseccomp's token for an arch name ("x86_64"), 0 when it is unknown
 * here; and this machine's name. */
unsigned blocked_arch(const char *name);
const char *blocked_native_arch(void);

#endif
