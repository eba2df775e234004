/*
 * pymodel.h - what forkscope's Python hook told of the programs it runs.
 *
 * Python's multiprocessing puts none of its names into /proc: a forked
 * worker has its parent's command line, a Queue is a pipe plus a semaphore
 * plus a feeder thread, a Manager is a server reached through sockets.
 * forkscope's hook (hook/sitecustomize.py, loaded only into the programs
 * forkscope starts) reports what multiprocessing knows, one JSON object per
 * datagram (pysource.h carries them; a recording keeps them as "hook"
 * lines).  This module reads those messages and keeps what they say, for
 * the tracker (names, tasks), the channel probe (which pipe is which queue,
 * where its semaphore is) and the wait classifier (which futex is which
 * queue, lock or event; what a process is joining).
 *
 * The messages (every one has "e", "pid", "start", the process's start
 * time from /proc/self/stat, and "mono", when it was sent on the
 * monotonic clock; the sender's PID is the kernel's, not theirs):
 *   name    {"name","role","method","address"}: a multiprocessing process
 *           started (role: process, pool-worker, manager, forkserver,
 *           resource-tracker)
 *   task    {"task"}: a pool worker took a task ("worker(7)") or is idle ("")
 *   queue   {"name","kind","pipe","maxsize","sem","locks"}: a queue this
 *           process holds (kind Queue, JoinableQueue, SimpleQueue, tasks,
 *           results, internal); sem and locks are addresses in its memory
 *   sync    {"name","kind","sems"}: a Lock, RLock, Semaphore,
 *           BoundedSemaphore, Condition, Event or Barrier it holds
 *   wait    {"what","child","name"}: it begins ("join", "pool-join",
 *           "result") or ends ("") a wait the program's own words name
 *   mqueue  {"ref","kind","maxsize","fill"}: a manager's server holds a queue
 *   conn    {"socket","address"}: a proxy's connection to a manager
 *   call    {"ref","method"}: a proxy calls its manager
 *   mref    {"ref","name"}: the program's name for a manager's object
 *   hello   {}: the process imported multiprocessing (it runs the hook)
 * Anything else, or a message that does not parse, is ignored: the hook
 * is a guest in the program and may be newer or older than forkscope.
 *
 * Bounded: at most PY_MAX_ITEMS of each kind of thing are kept, whatever
 * the program does; what a process said is forgotten when it is reaped,
 * and a queue when no live process says it holds it.  Only UTF-8 JSON is
 * read.
 * No /proc, no terminal: only what it is given.
 */
#ifndef FORKSCOPE_PYMODEL_H
#define FORKSCOPE_PYMODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum { PY_NAME_MAX = 64, PY_KIND_MAX = 20, PY_TASK_MAX = 96, PY_ADDR_MAX = 108,
       PY_MAX_ITEMS = 4096, PY_MSG_MAX = 4096 };

enum py_role {
	PY_ROLE_NONE,             /* not a multiprocessing process (the main one) */
	PY_ROLE_PROCESS,          /* a Process */
	PY_ROLE_POOL_WORKER,
	PY_ROLE_MANAGER,          /* a manager's server */
	PY_ROLE_FORKSERVER,
	PY_ROLE_RESOURCE_TRACKER,
	PY_ROLE_COUNT
};

/* "process", "pool-worker", "manager"...; "" for none. */
const char *py_role_name(enum py_role role);

/* One message, parsed. */
enum py_msg_kind { PYM_NAME, PYM_TASK, PYM_QUEUE, PYM_SYNC, PYM_WAIT, PYM_MQUEUE, PYM_CONN,
                   PYM_CALL, PYM_MREF, PYM_HELLO };
enum { PY_SEMS_MAX = 6 };
struct py_msg {
	enum py_msg_kind kind;
	unsigned long long start;       /* the sender's start time; 0 not said */
	double mono;                    /* when it was sent (CLOCK_MONOTONIC, seconds,
	                                 * "mono"); 0 not said */
	char name[PY_NAME_MAX];         /* name, queue, sync, wait (a pool), mref */
	char kind_name[PY_KIND_MAX];    /* queue, sync, mqueue: "Queue", "Event"... */
	enum py_role role;              /* name */
	char method[PY_KIND_MAX];       /* name: the start method; call: the method */
	char address[PY_ADDR_MAX];      /* name (a manager), conn */
	char task[PY_TASK_MAX];         /* task */
	char what[PY_KIND_MAX];         /* wait: "join", "pool-join", "result", "" */
	pid_t child;                    /* wait join */
	unsigned long pipe;             /* queue: its pipe's inode */
	unsigned long socket;           /* conn: the socket's inode */
	unsigned long ref;              /* mqueue, call, mref: the manager's id of it */
	long maxsize, fill;             /* queue, mqueue */
	unsigned long sems[PY_SEMS_MAX];   /* queue: its semaphore then its locks;
	                                    * sync: what a wait blocks on; 0 ends */
};

/* Parses one message (text, not NUL-terminated, len bytes): false when it
 * is not one this forkscope understands. */
bool pymodel_parse(const char *text, size_t len, struct py_msg *out);

struct pymodel;

struct pymodel *pymodel_new(void);
void pymodel_free(struct pymodel *m);
struct pymodel *pymodel_clone(const struct pymodel *m);
size_t pymodel_bytes(const struct pymodel *m);

/* Keeps what msg, from process (pid, start), says.  The tracker has
 * confirmed the process (its start is the record's). */
void pymodel_apply(struct pymodel *m, pid_t pid, unsigned long long start,
                   const struct py_msg *msg);
/* Forgets what pid said: it was reaped.  A manager's queues go with it. */
void pymodel_forget(struct pymodel *m, pid_t pid);

/* A queue the hook named, by its pipe's inode, or NULL. */
struct py_queue {
	unsigned long pipe;
	char name[PY_NAME_MAX];
	char kind[PY_KIND_MAX];     /* Queue, JoinableQueue, SimpleQueue, tasks, results, internal */
	long maxsize;               /* 0: none (SimpleQueue); SEM_VALUE_MAX: unbounded */
};
const struct py_queue *pymodel_queue(const struct pymodel *m, unsigned long pipe);
/* Where the semaphore of the queue on that pipe is in the memory of the
 * process (pid, start) (0: not said by that process). */
unsigned long pymodel_queue_sem(const struct pymodel *m, unsigned long pipe, pid_t pid,
                                unsigned long long start);

/* What a futex address in pid's memory is, as the hook said. */
struct py_futex {
	bool queue;                 /* a queue's: its semaphore (put waits on it)
	                             * or one of its locks (get waits its turn) */
	bool put;                   /* the semaphore */
	char name[PY_NAME_MAX];     /* the queue's or the object's name */
	char kind[PY_KIND_MAX];     /* "Queue", "Lock", "Event"... */
};
bool pymodel_futex(const struct pymodel *m, pid_t pid, unsigned long addr, struct py_futex *out);

/* The wait pid said it is in ("join", "pool-join", "result"), or NULL. */
struct py_wait {
	char what[PY_KIND_MAX];
	pid_t child;
	char name[PY_NAME_MAX];
};
const struct py_wait *pymodel_wait(const struct pymodel *m, pid_t pid);

/* A manager's server, by the address its proxies connect to. */
struct py_manager {
	pid_t pid;
	char name[PY_NAME_MAX];
	char address[PY_ADDR_MAX];
};
/* The manager pid's connection with that socket inode reaches, or NULL. */
const struct py_manager *pymodel_conn(const struct pymodel *m, pid_t pid, unsigned long socket);
/* The processes with a connection to that manager. */
size_t pymodel_clients(const struct pymodel *m, const struct py_manager *mg, pid_t *pids,
                       size_t max);

/* The queues the managers hold, i from 0 until it returns NULL. */
struct py_mqueue {
	unsigned long ref;
	char name[PY_NAME_MAX];     /* the program's name for it, or "Queue-<ref>" */
	bool named;                 /* the program's name (an mref told it) */
	char kind[PY_KIND_MAX];
	long maxsize;               /* 0: unbounded */
	long fill;
	pid_t server;
};
const struct py_mqueue *pymodel_mqueue_at(const struct pymodel *m, size_t i);
const struct py_mqueue *pymodel_mqueue(const struct pymodel *m, unsigned long ref);
const struct py_manager *pymodel_manager_of(const struct pymodel *m, pid_t server);

/* The role pid said it has, and its name (NULL: not wanted). */
enum py_role pymodel_role(const struct pymodel *m, pid_t pid, const char **name);
/* Whether pid said anything (it runs the hook). */
bool pymodel_hooked(const struct pymodel *m, pid_t pid);

/* The last manager call pid made: its object and method (NULL: none). */
const char *pymodel_call(const struct pymodel *m, pid_t pid, unsigned long *ref);

#endif
