/*
 * mp.h - a small "multiprocessing" for the forkscope demos, so that each
 * demo reads like the Python of the course notes (### multiprocessing,
 * ### 进程池 pools, ### 进程间通信 communication between processes).
 *
 * It is built on fork(), waitpid() and POSIX message queues (mq_open).
 * mp.c is linked into every demo, also those that do not use it; using
 * none of it costs nothing but one tiny constructor that remembers the
 * program's name (see "Names" below).
 *
 * Status codes
 * ------------
 * Functions that can fail return MP_OK (0) on success, or a negative code:
 * MP_ERROR (a system call failed; a message went to stderr), MP_FULL (a
 * put found no room, like Python's queue.Full), MP_EMPTY (a get found
 * nothing, like queue.Empty) or MP_TIMEOUT (a join's time ran out with the
 * child still running).
 *
 * Processes: struct mp_process, like multiprocessing.Process
 * ----------------------------------------------------------
 * mp_process_init(p, name) prepares p, before any other call on it.  name
 * NULL gives the default name "Process-N", N counting from 1 in each
 * program, as Python does.  p->run may then be set: start() without a
 * target calls p->run(p), like a Process subclass that overrides run().
 * p->daemon (false by default), when set before start, makes the kernel
 * send the child SIGTERM should its parent die (PR_SET_PDEATHSIG): like
 * Python's daemon=True, the child does not outlive its parent.
 *
 * mp_process_start(p, fn, arg) flushes stdout, forks, and returns in the
 * parent with p->pid set.  The child resets SIGTERM, SIGINT and SIGHUP
 * from the library's cleanup handler (see below; that is the parent's
 * business) to their default action, sets its title to p->name with
 * demo_title(), calls fn(arg) (or p->run(p) when fn is NULL), flushes
 * stdout and _exit(0)s: it never returns into the caller's code.  In the
 * child p->pid is the child's own PID, like self.pid in Python's run().
 *
 * mp_process_join(p, timeout) waits for the child to end and reaps it
 * (waitpid), then sets p->exitcode: the exit status, or -N when signal N
 * killed it (Python's convention).  timeout < 0 waits as long as it takes,
 * blocked in waitpid(); timeout >= 0 (seconds) polls waitpid(WNOHANG)
 * every 10 ms and returns MP_TIMEOUT if the child is still running when
 * the time is up.  Joining a process that was already reaped, or never
 * started, returns MP_OK at once.  A parent must always join every child
 * it started: until then a child that has ended stays a zombie.
 *
 * mp_process_is_alive(p) tells whether the child is still running.  Like
 * Python's, it reaps a child that has ended (waitpid WNOHANG), so that a
 * false answer is final and exitcode is set.
 *
 * mp_process_terminate(p) sends SIGTERM to a started, not yet reaped
 * child; join it afterwards.  The child dies by the signal: exitcode -15.
 *
 * Queues: struct mp_queue, like multiprocessing.Queue(capacity)
 * -------------------------------------------------------------
 * mp_queue_new(suffix, capacity) creates a POSIX message queue named
 * "/fs-<demo>-<suffix>-<pid>" (or "/fs-<demo>-<pid>" when suffix is NULL),
 * <pid> being the creating process's, with O_CREAT|O_EXCL, room for
 * capacity messages (1..MP_QUEUE_MAX_CAPACITY: Linux lets an ordinary
 * user have at most msg_max = 10 messages per queue) of MP_MSG_SIZE bytes.
 * It returns a malloc'ed queue, or NULL after a message on stderr.  The
 * queue's descriptor is inherited by children forked afterwards, so they
 * can use the same struct (each has its own copy of it).
 * mp_queue_open(name) opens an existing queue by its name instead, for a
 * process that did not inherit it.
 *
 * Messages are strings of up to MP_MSG_SIZE - 1 bytes (longer ones are
 * cut).  Every message is sent as exactly MP_MSG_SIZE bytes, so the QSIZE
 * that /dev/mqueue/<name> shows, divided by MP_MSG_SIZE, is the number of
 * messages waiting.
 *
 * mp_queue_put(q, msg, block, timeout_s): with block false, puts msg if
 * there is room and fails at once with MP_FULL otherwise.  With block
 * true, waits for room: timeout_s < 0 as long as it takes, blocked in
 * mq_send; timeout_s >= 0 for that many seconds, blocked in mq_timedsend,
 * then fails with MP_FULL.  mp_queue_put_nowait(q, msg) is put(q, msg,
 * false, 0).  mp_queue_get(q, buf, len, block, timeout_s) and
 * mp_queue_get_nowait(q, buf, len) are the same for taking the oldest
 * message into buf (a string, cut to len - 1 bytes), failing with
 * MP_EMPTY.  Time during which the process is stopped (SIGSTOP: forkscope
 * pausing the demo) does not count towards timeout_s, within 50 ms.
 *
 * mp_queue_qsize(q) is the number of messages in the queue (mq_getattr's
 * mq_curmsgs; -1 on error), mp_queue_full(q) and mp_queue_empty(q) compare
 * it with the capacity and with 0.  As in Python, the answer may be out of
 * date the moment another process puts or gets.
 *
 * mp_queue_unlink(q) removes the queue's name (only in the creating
 * process; elsewhere it does nothing): processes that have it open can
 * still use it.  mp_queue_close(q) closes this process's descriptor and
 * frees q.  The creator calls both at the end: unlink, then close.
 *
 * Cleanup when a demo is stopped early
 * ------------------------------------
 * A message queue outlives every process: if nobody unlinks it, it stays
 * in /dev/mqueue until reboot.  forkscope stops a demo early with SIGTERM
 * to every process of the tree, then SIGKILL half a second later.  So the
 * first time a process creates a queue (or calls mp_at_stop), the library
 * installs a handler for SIGTERM, SIGINT (Ctrl-C) and SIGHUP in it that
 * runs the mp_at_stop functions, unlinks every queue that process created
 * and not yet unlinked, and _exit(128 + signal): 143 for SIGTERM.  (A
 * signal the process was started with ignored, like SIGINT in a shell's
 * background job, stays ignored.)  It also unlinks them at a normal
 * exit() (atexit).  Children inherit the handler with fork(), but only
 * the creating PID unlinks its queues or runs its mp_at_stop functions;
 * and children started by mp_process_start reset it to the default
 * anyway.  All queue names start with "/fs-", so that forkscope can
 * remove whatever a SIGKILL left behind.
 *
 * mp_at_stop(fn) registers fn (at most MP_AT_STOP_MAX of them) to run in
 * this process from that signal handler, before the queues are unlinked.
 * fn must be async-signal-safe: unlink(), rmdir(), write() on buffers
 * prepared in advance; no malloc, no stdio.
 *
 * Pools: struct mp_pool, like multiprocessing.Pool(n)
 * ---------------------------------------------------
 * mp_pool_new(n) starts n worker processes (1..MP_POOL_MAX), named and
 * titled "worker 1".."worker n", daemonic, and two queues of capacity
 * MP_POOL_CAPACITY: "/fs-<demo>-tasks-<pid>" carries tasks to the workers,
 * "/fs-<demo>-results-<pid>" brings a note back for every finished task.
 * The same n workers run every task of the pool; no process is made later.
 * A worker's title says what it does: "worker 2: idle" while it waits for
 * a task, "worker 2: task 7" while it runs task number 7 (tasks are
 * numbered from 0 in the order they were given).
 *
 * A task is a function mp_task_fn(arg) and an argument string (up to
 * MP_TASK_ARG_MAX - 1 bytes).  Python pickles the function and sends it
 * to the worker; C cannot send code, but it need not: the workers were
 * forked from this program without exec, so they run the same binary at
 * the same addresses, and a function pointer taken in the parent is valid
 * in every worker.  The pointer travels in the task message as it is.
 * The function runs in a worker: whatever it changes in memory stays in
 * that worker (use a queue to send something back).
 *
 * mp_pool_apply_async(pool, fn, arg) puts a task on the task queue and
 * returns its number (or MP_ERROR) without waiting for it to run; it only
 * blocks while the task queue is full.  mp_pool_apply(pool, fn, arg) does
 * the same and then waits, blocked on the results queue, until that task
 * has finished; it returns MP_OK.  mp_pool_close(pool) refuses further
 * tasks.  mp_pool_join(pool), after close, first waits, blocked in
 * mq_receive on the results queue, until every task given has reported
 * its result; then no task waits and every worker is idle, and it sends
 * each worker SIGUSR1, the pool's "stop", which ends it with exit status
 * 0, and joins every worker (blocked in wait4).  The task queue carries
 * tasks and nothing else, so its fill (what forkscope's gauge shows) is
 * always the number of tasks waiting for a worker.  (Python's Pool puts
 * one None per worker on its task queue behind the tasks instead: see
 * POOL_STOP_SIGNAL in mp.c for why ours does not.)  A task that ends its
 * worker (exit(), a crash) never reports, and join() then waits for it
 * for ever, as Python's AsyncResult.get() would: a task must return.
 * The workers are forked with SIGUSR1 blocked and install their handler
 * first thing, so a pool joined at once is stopped all the same; a task
 * must leave SIGUSR1 alone.  mp_pool_free(pool) terminates and joins any
 * worker still running (a pool never joined), unlinks and closes the two
 * queues, and frees the pool.
 *
 * The parent never lets more than MP_POOL_CAPACITY results wait unread
 * (apply_async reads one first when needed), so a worker can always put
 * its result and go on.
 *
 * Odds and ends
 * -------------
 * mp_random() is Python's random.random(): a number in [0, 1), from a
 * generator that each process seeds for itself, from the clock and its
 * PID, the first time it calls mp_random().  (Seeded once in the parent,
 * every child would inherit the same state and draw the same numbers.)
 * mp_now() is a clock in seconds (CLOCK_MONOTONIC) for measuring how long
 * something took, like time.time() in the notes.
 */
#ifndef MP_H
#define MP_H

#include <mqueue.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum {
	MP_OK = 0,
	MP_ERROR = -1,
	MP_FULL = -2,
	MP_EMPTY = -3,
	MP_TIMEOUT = -4,
};

#define MP_MSG_SIZE 256            /* bytes per message, NUL included */
#define MP_NAME_SIZE 64            /* queue and process names */
#define MP_QUEUE_MAX_CAPACITY 10   /* Linux msg_max for ordinary users */
#define MP_POOL_MAX 16             /* workers per pool */
#define MP_POOL_CAPACITY 10        /* messages in each pool queue */
#define MP_TASK_ARG_MAX 200        /* bytes of a task's argument, NUL included */
#define MP_AT_STOP_MAX 4

/* ---- processes ---- */

struct mp_process {
	char name[MP_NAME_SIZE];
	pid_t pid;                  /* 0 until started */
	bool daemon;                /* set before start: dies with its parent */
	bool reaped;                /* joined: exitcode is valid */
	int exitcode;               /* exit status, or -signal */
	void (*run)(struct mp_process *self);  /* start() without a target */
};

void mp_process_init(struct mp_process *p, const char *name);
int mp_process_start(struct mp_process *p, void (*fn)(void *arg), void *arg);
int mp_process_join(struct mp_process *p, double timeout);
bool mp_process_is_alive(struct mp_process *p);
int mp_process_terminate(struct mp_process *p);

/* ---- queues ---- */

struct mp_queue {
	char name[MP_NAME_SIZE];
	mqd_t mqd;
	long capacity;
	pid_t creator;              /* 0 when opened, not created */
};

struct mp_queue *mp_queue_new(const char *suffix, long capacity);
struct mp_queue *mp_queue_open(const char *name);
int mp_queue_put(struct mp_queue *q, const char *msg, bool block, double timeout_s);
int mp_queue_put_nowait(struct mp_queue *q, const char *msg);
int mp_queue_get(struct mp_queue *q, char *buf, size_t len, bool block, double timeout_s);
int mp_queue_get_nowait(struct mp_queue *q, char *buf, size_t len);
int mp_queue_qsize(struct mp_queue *q);
bool mp_queue_full(struct mp_queue *q);
bool mp_queue_empty(struct mp_queue *q);
void mp_queue_unlink(struct mp_queue *q);
void mp_queue_close(struct mp_queue *q);

int mp_at_stop(void (*fn)(void));

/* ---- pools ---- */

typedef void mp_task_fn(const char *arg);

struct mp_pool;

struct mp_pool *mp_pool_new(int n);
int mp_pool_apply_async(struct mp_pool *pool, mp_task_fn *fn, const char *arg);
int mp_pool_apply(struct mp_pool *pool, mp_task_fn *fn, const char *arg);
void mp_pool_close(struct mp_pool *pool);
int mp_pool_join(struct mp_pool *pool);
void mp_pool_free(struct mp_pool *pool);

/* ---- odds and ends ---- */

double mp_random(void);
double mp_now(void);

#endif
