/*
 * mp.c - a small "multiprocessing" for the forkscope demos; see mp.h for
 * the contract.
 */
#include "mp.h"
#include "demo.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------------ */
/* The program's name, for queue names and error messages             */
/* ------------------------------------------------------------------ */

static char prog[32] = "demo";

/*
 * Queue names carry the demo's name ("/fs-pool-tasks-1234"), which is the
 * program's name.  glibc's program_invocation_short_name points into the
 * argv[0] string, which demo_title() overwrites with the title; so copy it
 * before main() starts, in a constructor.  This is the only thing mp.c
 * does in a demo that does not use it.
 */
__attribute__((constructor)) static void remember_program_name(void)
{
	const char *s = program_invocation_short_name;

	if (s != NULL && *s != '\0')
		snprintf(prog, sizeof prog, "%s", s);
}

/* ------------------------------------------------------------------ */
/* Cleanup of queues when the demo is stopped early                   */
/* ------------------------------------------------------------------ */

/*
 * Every queue a process creates is written down here, with the PID of
 * its creator, until it is unlinked.  The signal handler reads this table
 * while the main code may be changing it, so an entry is filled in first
 * and only then marked used (and marked unused before it is reused); the
 * signal fences keep the compiler from reordering those steps.
 */
#define MAX_QUEUES 32

static struct {
	volatile sig_atomic_t used;
	volatile pid_t creator;
	char name[MP_NAME_SIZE];
} registry[MAX_QUEUES];

static struct {
	void (*fn)(void);
	pid_t pid;
} at_stop[MP_AT_STOP_MAX];
static volatile sig_atomic_t at_stop_count;

static pid_t handler_pid;       /* the process that installed the handler */
static bool atexit_registered;

/* Unlinks every queue that process `me` created.  Async-signal-safe. */
static void unlink_mine(pid_t me)
{
	for (int i = 0; i < MAX_QUEUES; i++)
		if (registry[i].used && registry[i].creator == me)
			mq_unlink(registry[i].name);
}

static void on_stop_signal(int sig)
{
	/* getpid(): a child that inherited this handler through a plain
	 * fork() must not remove its parent's queues, which the parent and
	 * its other children may still be using. */
	pid_t me = getpid();
	int n = at_stop_count;

	for (int i = 0; i < n && i < MP_AT_STOP_MAX; i++)
		if (at_stop[i].pid == me)
			at_stop[i].fn();
	unlink_mine(me);
	_exit(128 + sig);
}

static void unlink_at_exit(void)
{
	unlink_mine(getpid());
}

static const int stop_signals[] = { SIGTERM, SIGINT, SIGHUP };
#define N_STOP_SIGNALS (sizeof stop_signals / sizeof stop_signals[0])

static void install_handler(void)
{
	struct sigaction sa, old;

	if (handler_pid == getpid())
		return;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop_signal;
	/* While one of the three runs the handler, hold the others back: the
	 * cleanup runs once. */
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < N_STOP_SIGNALS; i++)
		sigaddset(&sa.sa_mask, stop_signals[i]);
	for (size_t i = 0; i < N_STOP_SIGNALS; i++) {
		/* A signal we were started with ignored stays ignored: the
		 * shell ignores SIGINT for a background job (cmd &), nohup
		 * ignores SIGHUP, and a program should not undo that. */
		if (sigaction(stop_signals[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue;
		sigaction(stop_signals[i], &sa, NULL);
	}
	handler_pid = getpid();
	if (!atexit_registered) {
		atexit(unlink_at_exit);
		atexit_registered = true;
	}
}

/* Writes name down for the handler; returns false when the table is full. */
static bool register_queue(const char *name)
{
	for (int i = 0; i < MAX_QUEUES; i++) {
		if (registry[i].used)
			continue;
		snprintf(registry[i].name, sizeof registry[i].name, "%s", name);
		registry[i].creator = getpid();
		atomic_signal_fence(memory_order_seq_cst);
		registry[i].used = 1;
		return true;
	}
	return false;
}

static void unregister_queue(const char *name)
{
	for (int i = 0; i < MAX_QUEUES; i++)
		if (registry[i].used && registry[i].creator == getpid() &&
		    strcmp(registry[i].name, name) == 0) {
			registry[i].used = 0;
			atomic_signal_fence(memory_order_seq_cst);
		}
}

int mp_at_stop(void (*fn)(void))
{
	int n = at_stop_count;

	if (n >= MP_AT_STOP_MAX) {
		fprintf(stderr, _("%s: mp_at_stop: at most %d functions\n"), prog, MP_AT_STOP_MAX);
		return MP_ERROR;
	}
	install_handler();
	at_stop[n].fn = fn;
	at_stop[n].pid = getpid();
	atomic_signal_fence(memory_order_seq_cst);
	at_stop_count = n + 1;
	return MP_OK;
}

/* ------------------------------------------------------------------ */
/* Small helpers                                                      */
/* ------------------------------------------------------------------ */

/* Sleeps s seconds (s < 1), restarting when a signal interrupts it. */
static void nap(double s)
{
	struct timespec ts = { 0, (long)(s * 1e9) };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		continue;
}

double mp_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double mp_random(void)
{
	static pid_t seeded_by;
	static unsigned short state[3];
	pid_t me = getpid();

	if (seeded_by != me) {
		struct timespec ts;
		unsigned long long seed;

		clock_gettime(CLOCK_REALTIME, &ts);
		seed = (unsigned long long)ts.tv_sec * 1000000007ULL ^
		       (unsigned long long)ts.tv_nsec ^
		       ((unsigned long long)me << 24);
		state[0] = (unsigned short)seed;
		state[1] = (unsigned short)(seed >> 16);
		state[2] = (unsigned short)(seed >> 32 ^ seed >> 48);
		seeded_by = me;
	}
	return erand48(state);
}

/* ------------------------------------------------------------------ */
/* Processes                                                          */
/* ------------------------------------------------------------------ */

static int process_counter;     /* for the default names Process-N */

void mp_process_init(struct mp_process *p, const char *name)
{
	memset(p, 0, sizeof *p);
	if (name != NULL)
		snprintf(p->name, sizeof p->name, "%s", name);
	else
		snprintf(p->name, sizeof p->name, "Process-%d", ++process_counter);
}

int mp_process_start(struct mp_process *p, void (*fn)(void *arg), void *arg)
{
	pid_t parent = getpid();
	pid_t pid;

	/*
	 * Flush stdout before fork(): the child gets a copy of the stdio
	 * buffer, so a line still waiting in it would be printed twice, once
	 * by each process.
	 */
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "%s: fork: %s\n", prog, strerror(errno));
		return MP_ERROR;
	}
	if (pid > 0) {
		p->pid = pid;
		p->reaped = false;
		return MP_OK;
	}

	/* The child. */
	p->pid = getpid();
	/* The stop handler (if the parent has one) is the parent's: it
	 * removes the parent's queues.  The child just dies by the signal,
	 * as any process does by default.  (A signal the parent ignores
	 * stays ignored, as fork() left it.) */
	for (size_t i = 0; i < N_STOP_SIGNALS; i++) {
		struct sigaction old;

		if (sigaction(stop_signals[i], NULL, &old) == 0 &&
		    old.sa_handler == on_stop_signal)
			signal(stop_signals[i], SIG_DFL);
	}
	if (p->daemon) {
		/* Ask the kernel for SIGTERM when the parent dies; if it died
		 * already, before we asked, nobody would ever send it. */
		prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0);
		if (getppid() != parent)
			_exit(1);
	}
	demo_title("%s", p->name);
	if (fn != NULL)
		fn(arg);
	else if (p->run != NULL)
		p->run(p);
	/*
	 * _exit(), not exit() and not a return into the caller's code: the
	 * child must not go on running the parent's part of main(), nor the
	 * parent's atexit() functions.  _exit() does not flush stdio, so
	 * flush first.
	 */
	fflush(stdout);
	_exit(0);
}

static void record_status(struct mp_process *p, int status)
{
	p->reaped = true;
	if (WIFEXITED(status))
		p->exitcode = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		p->exitcode = -WTERMSIG(status);
	else
		p->exitcode = -1;
}

int mp_process_join(struct mp_process *p, double timeout)
{
	const double poll = 0.01;
	double left = timeout;
	int status;
	pid_t r;

	if (p->pid <= 0 || p->reaped)
		return MP_OK;
	if (timeout < 0) {
		/* Blocked in waitpid() until the child ends: this is join(). */
		while ((r = waitpid(p->pid, &status, 0)) < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			fprintf(stderr, "%s: waitpid %d: %s\n", prog, (int)p->pid, strerror(errno));
			p->reaped = true;       /* it cannot be reaped again */
			p->exitcode = -1;
			return MP_ERROR;
		}
		record_status(p, status);
		return MP_OK;
	}
	/* With a timeout: ask every 10 ms.  Like demo_sleep(), count the
	 * naps rather than the clock, so a pause (SIGSTOP) does not eat the
	 * timeout. */
	for (;;) {
		r = waitpid(p->pid, &status, WNOHANG);
		if (r == p->pid) {
			record_status(p, status);
			return MP_OK;
		}
		if (r < 0 && errno != EINTR) {
			fprintf(stderr, "%s: waitpid %d: %s\n", prog, (int)p->pid, strerror(errno));
			p->reaped = true;
			p->exitcode = -1;
			return MP_ERROR;
		}
		if (left <= 0)
			return MP_TIMEOUT;
		nap(left < poll ? left : poll);
		left -= poll;
	}
}

bool mp_process_is_alive(struct mp_process *p)
{
	int status;
	pid_t r;

	if (p->pid <= 0 || p->reaped)
		return false;
	r = waitpid(p->pid, &status, WNOHANG);
	if (r == 0)
		return true;            /* still running */
	if (r == p->pid)
		record_status(p, status);
	return false;
}

int mp_process_terminate(struct mp_process *p)
{
	if (p->pid <= 0 || p->reaped)
		return MP_OK;
	if (kill(p->pid, SIGTERM) < 0) {
		fprintf(stderr, "%s: kill %d: %s\n", prog, (int)p->pid, strerror(errno));
		return MP_ERROR;
	}
	return MP_OK;
}

/* ------------------------------------------------------------------ */
/* Queues                                                             */
/* ------------------------------------------------------------------ */


static void queue_error(const char *what, const char *name)
{
	fprintf(stderr, "%s: %s %s: %s\n", prog, what, name, strerror(errno));
}

struct mp_queue *mp_queue_new(const char *suffix, long capacity)
{
	struct mp_queue *q;
	struct mq_attr attr;

	if (capacity < 1 || capacity > MP_QUEUE_MAX_CAPACITY) {
		fprintf(stderr, _("%s: queue capacity must be 1..%d (got %ld)\n"),
		        prog, MP_QUEUE_MAX_CAPACITY, capacity);
		return NULL;
	}
	q = calloc(1, sizeof *q);
	if (q == NULL) {
		fprintf(stderr, _("%s: out of memory\n"), prog);
		return NULL;
	}
	if (suffix != NULL)
		snprintf(q->name, sizeof q->name, "/fs-%s-%s-%d", prog, suffix, (int)getpid());
	else
		snprintf(q->name, sizeof q->name, "/fs-%s-%d", prog, (int)getpid());
	q->capacity = capacity;
	q->creator = getpid();

	/*
	 * Write the name down before creating the queue: a SIGTERM right
	 * after mq_open() then still removes it (and one right before finds
	 * no queue to remove, which is harmless).
	 */
	install_handler();
	if (!register_queue(q->name)) {
		fprintf(stderr, _("%s: too many queues (at most %d)\n"), prog, MAX_QUEUES);
		free(q);
		return NULL;
	}

	memset(&attr, 0, sizeof attr);
	attr.mq_maxmsg = capacity;
	attr.mq_msgsize = MP_MSG_SIZE;
	q->mqd = mq_open(q->name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
	if (q->mqd == (mqd_t)-1 && errno == EEXIST) {
		/* The name holds our PID, so no live process can own it: it
		 * is left over from an earlier process with the same PID that
		 * was killed (SIGKILL) before it could clean up. */
		mq_unlink(q->name);
		q->mqd = mq_open(q->name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
	}
	if (q->mqd == (mqd_t)-1) {
		queue_error("mq_open", q->name);
		if (errno == EINVAL || errno == EMFILE || errno == ENOSPC)
			fprintf(stderr, _("%s: see the limits in /proc/sys/fs/mqueue/\n"), prog);
		unregister_queue(q->name);
		free(q);
		return NULL;
	}
	return q;
}

struct mp_queue *mp_queue_open(const char *name)
{
	struct mp_queue *q = calloc(1, sizeof *q);
	struct mq_attr attr;

	if (q == NULL) {
		fprintf(stderr, _("%s: out of memory\n"), prog);
		return NULL;
	}
	snprintf(q->name, sizeof q->name, "%s", name);
	q->mqd = mq_open(q->name, O_RDWR);
	if (q->mqd == (mqd_t)-1) {
		queue_error("mq_open", q->name);
		free(q);
		return NULL;
	}
	if (mq_getattr(q->mqd, &attr) < 0 || attr.mq_msgsize != MP_MSG_SIZE) {
		fprintf(stderr, _("%s: %s is not a queue of %d-byte messages\n"),
		        prog, q->name, MP_MSG_SIZE);
		mq_close(q->mqd);
		free(q);
		return NULL;
	}
	q->capacity = attr.mq_maxmsg;
	q->creator = 0;
	return q;
}

/* The current time on CLOCK_REALTIME plus s seconds: mq_timedsend() and
 * mq_timedreceive() take an absolute deadline on that clock. */
static void deadline_after(struct timespec *ts, double s)
{
	time_t whole = (time_t)s;

	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += whole;
	ts->tv_nsec += (long)((s - (double)whole) * 1e9);
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec += 1;
		ts->tv_nsec -= 1000000000L;
	}
}

/*
 * Sends one message of MP_MSG_SIZE bytes.  Forever: mq_send().  With a
 * timeout (0 when not blocking): one mq_timedsend() with the whole
 * deadline, as Python's put(timeout=2) waits: the deadline sits in the
 * process's memory for the whole wait, where a viewer (forkscope) can read
 * how much of it is left.  A deadline already past makes mq_timedsend()
 * fail at once when the queue is full: that is put_nowait.  (Unlike
 * demo_sleep(), a pause by SIGSTOP does count against this timeout.)
 */
static int q_send(struct mp_queue *q, const char *msg, bool block, double timeout)
{
	double left = block ? timeout : 0;

	if (block && timeout < 0) {
		while (mq_send(q->mqd, msg, MP_MSG_SIZE, 0) < 0)
			if (errno != EINTR) {
				queue_error("mq_send", q->name);
				return MP_ERROR;
			}
		return MP_OK;
	}
	struct timespec ts;

	deadline_after(&ts, left);
	for (;;) {
		if (mq_timedsend(q->mqd, msg, MP_MSG_SIZE, 0, &ts) == 0)
			return MP_OK;
		if (errno == EINTR)
			continue;   /* the same deadline: a signal does not extend it */
		if (errno != ETIMEDOUT) {
			queue_error("mq_timedsend", q->name);
			return MP_ERROR;
		}
		return MP_FULL;
	}
}

/* The same for receiving into buf, MP_MSG_SIZE bytes: one wait with the
 * whole deadline. */
static int q_recv(struct mp_queue *q, char *buf, bool block, double timeout)
{
	double left = block ? timeout : 0;

	if (block && timeout < 0) {
		while (mq_receive(q->mqd, buf, MP_MSG_SIZE, NULL) < 0)
			if (errno != EINTR) {
				queue_error("mq_receive", q->name);
				return MP_ERROR;
			}
		return MP_OK;
	}
	struct timespec ts;

	deadline_after(&ts, left);
	for (;;) {
		if (mq_timedreceive(q->mqd, buf, MP_MSG_SIZE, NULL, &ts) >= 0)
			return MP_OK;
		if (errno == EINTR)
			continue;
		if (errno != ETIMEDOUT) {
			queue_error("mq_timedreceive", q->name);
			return MP_ERROR;
		}
		return MP_EMPTY;
	}
}

int mp_queue_put(struct mp_queue *q, const char *msg, bool block, double timeout_s)
{
	char buf[MP_MSG_SIZE];

	/* Always the whole MP_MSG_SIZE bytes, zero padded: see mp.h. */
	memset(buf, 0, sizeof buf);
	snprintf(buf, sizeof buf, "%s", msg);
	return q_send(q, buf, block, timeout_s);
}

int mp_queue_put_nowait(struct mp_queue *q, const char *msg)
{
	return mp_queue_put(q, msg, false, 0);
}

int mp_queue_get(struct mp_queue *q, char *buf, size_t len, bool block, double timeout_s)
{
	/* mq_receive() wants room for the largest message the queue allows. */
	char tmp[MP_MSG_SIZE];
	int r = q_recv(q, tmp, block, timeout_s);

	if (r == MP_OK && len > 0) {
		tmp[MP_MSG_SIZE - 1] = '\0';
		snprintf(buf, len, "%s", tmp);
	}
	return r;
}

int mp_queue_get_nowait(struct mp_queue *q, char *buf, size_t len)
{
	return mp_queue_get(q, buf, len, false, 0);
}

int mp_queue_qsize(struct mp_queue *q)
{
	struct mq_attr attr;

	if (mq_getattr(q->mqd, &attr) < 0) {
		queue_error("mq_getattr", q->name);
		return -1;
	}
	return (int)attr.mq_curmsgs;
}

bool mp_queue_full(struct mp_queue *q)
{
	return mp_queue_qsize(q) >= q->capacity;
}

bool mp_queue_empty(struct mp_queue *q)
{
	return mp_queue_qsize(q) == 0;
}

void mp_queue_unlink(struct mp_queue *q)
{
	if (q == NULL || q->creator != getpid())
		return;
	/* Unlink first, then cross it off: a signal in between unlinks it a
	 * second time, harmlessly, instead of not at all. */
	if (mq_unlink(q->name) < 0 && errno != ENOENT)
		queue_error("mq_unlink", q->name);
	unregister_queue(q->name);
}

void mp_queue_close(struct mp_queue *q)
{
	if (q == NULL)
		return;
	mq_close(q->mqd);
	free(q);
}

/* ------------------------------------------------------------------ */
/* Pools                                                              */
/* ------------------------------------------------------------------ */

/* What travels on the task queue: a task, and nothing else (see
 * mp_pool_join for why there is no "stop" message). */
struct task_msg {
	int id;                     /* the task's number, from 0 */
	mp_task_fn *fn;             /* valid in the workers: see mp.h */
	char arg[MP_TASK_ARG_MAX];
};

/* What travels on the results queue. */
struct result_msg {
	int id;                     /* the task that finished */
	int worker;                 /* who ran it, 1..n */
};

/* The unions give the byte buffers the alignment of the structs. */
union task_buf {
	struct task_msg t;
	char bytes[MP_MSG_SIZE];
};

union result_buf {
	struct result_msg r;
	char bytes[MP_MSG_SIZE];
};

_Static_assert(sizeof(struct task_msg) <= MP_MSG_SIZE, "a task must fit in a message");

struct worker_slot {
	struct mp_pool *pool;
	int number;                 /* 1..n */
};

struct mp_pool {
	int n;
	struct mp_process workers[MP_POOL_MAX];
	struct worker_slot slots[MP_POOL_MAX];
	struct mp_queue *tasks, *results;
	int submitted;              /* tasks given, = the next task's number */
	int received;               /* results read back */
	bool closed, joined;
};

/*
 * How join() tells the workers to stop.  Python's Pool puts one None per
 * worker on its task queue, behind the tasks, and a worker that reads None
 * ends.  Ours cannot: forkscope's gauge of the task queue counts the
 * messages in it, and it must mean "tasks waiting for a worker", so a
 * "stop" message there would be counted as a task (the trial saw
 * "10/10 FULL" while 3 of the 10 tasks were already running).  An idle
 * worker is blocked in mq_receive, and only a message or a signal wakes
 * it; so the stop is a signal.  join() sends it only once every task's
 * result is back, when no task waits and every worker is idle, so the
 * signal never cuts a task short, and the handler can end the worker at
 * once, with exit status 0, as a worker that read Python's None does.
 */
#define POOL_STOP_SIGNAL SIGUSR1

static void on_pool_stop(int sig)
{
	(void)sig;
	_exit(0);   /* stdout was flushed after the last task */
}

/* A worker's whole life: take a task, run it, report, until join() sends
 * POOL_STOP_SIGNAL. */
static void pool_worker(void *arg)
{
	const struct worker_slot *w = arg;
	struct mp_pool *pool = w->pool;
	union task_buf m;
	union result_buf r;
	struct sigaction sa;
	sigset_t stop;

	/* mp_pool_new forked us with the signal blocked, so that a stop sent
	 * before this point waits for the handler instead of killing us. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_pool_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(POOL_STOP_SIGNAL, &sa, NULL);
	sigemptyset(&stop);
	sigaddset(&stop, POOL_STOP_SIGNAL);
	sigprocmask(SIG_UNBLOCK, &stop, NULL);

	for (;;) {
		/* TRANSLATORS: a pool worker's title, the name forkscope shows;
		 * the first 15 bytes are its comm */
		demo_title(_("worker %d: idle"), w->number);
		/* Blocked here, in mq_receive on the task queue, while idle. */
		if (q_recv(pool->tasks, m.bytes, true, -1) != MP_OK)
			break;
		demo_title(_("worker %d: task %d"), w->number, m.t.id);
		m.t.arg[sizeof m.t.arg - 1] = '\0';
		m.t.fn(m.t.arg);
		fflush(stdout);
		memset(&r, 0, sizeof r);
		r.r.id = m.t.id;
		r.r.worker = w->number;
		if (q_send(pool->results, r.bytes, true, -1) != MP_OK)
			break;
	}
}

struct mp_pool *mp_pool_new(int n)
{
	struct mp_pool *pool;
	sigset_t stop, mask;

	if (n < 1 || n > MP_POOL_MAX) {
		fprintf(stderr, _("%s: a pool has 1..%d workers (got %d)\n"), prog, MP_POOL_MAX, n);
		return NULL;
	}
	pool = calloc(1, sizeof *pool);
	if (pool == NULL) {
		fprintf(stderr, _("%s: out of memory\n"), prog);
		return NULL;
	}
	/* The queues first: the workers inherit their descriptors at fork. */
	pool->tasks = mp_queue_new("tasks", MP_POOL_CAPACITY);
	pool->results = pool->tasks != NULL ? mp_queue_new("results", MP_POOL_CAPACITY) : NULL;
	if (pool->results == NULL) {
		mp_pool_free(pool);
		return NULL;
	}
	/* The workers start with the stop signal blocked (a fork keeps the
	 * mask) until each has its handler: see pool_worker. */
	sigemptyset(&stop);
	sigaddset(&stop, POOL_STOP_SIGNAL);
	sigprocmask(SIG_BLOCK, &stop, &mask);
	for (int k = 0; k < n; k++) {
		char name[MP_NAME_SIZE];

		snprintf(name, sizeof name, "worker %d", k + 1);
		mp_process_init(&pool->workers[k], name);
		/* Python's pool workers are daemonic too: they never outlive
		 * the pool's owner. */
		pool->workers[k].daemon = true;
		pool->slots[k].pool = pool;
		pool->slots[k].number = k + 1;
		if (mp_process_start(&pool->workers[k], pool_worker, &pool->slots[k]) != MP_OK) {
			sigprocmask(SIG_SETMASK, &mask, NULL);
			pool->n = k;
			mp_pool_free(pool);
			return NULL;
		}
		pool->n = k + 1;
	}
	sigprocmask(SIG_SETMASK, &mask, NULL);
	return pool;
}

static int pool_read_result(struct mp_pool *pool, bool block, struct result_msg *out)
{
	union result_buf r;
	int status = q_recv(pool->results, r.bytes, block, block ? -1 : 0);

	if (status == MP_OK) {
		pool->received++;
		*out = r.r;
	}
	return status;
}

int mp_pool_apply_async(struct mp_pool *pool, mp_task_fn *fn, const char *arg)
{
	union task_buf m;
	struct result_msg r;

	if (pool->closed) {
		fprintf(stderr, _("%s: the pool is closed: no more tasks\n"), prog);
		return MP_ERROR;
	}
	/*
	 * Never let more results wait unread than the results queue holds:
	 * then no worker ever blocks putting a result, and so the workers
	 * always come back for the next task (or "stop").
	 */
	while (pool->submitted - pool->received >= MP_POOL_CAPACITY)
		if (pool_read_result(pool, true, &r) != MP_OK)
			return MP_ERROR;

	memset(&m, 0, sizeof m);
	m.t.id = pool->submitted;
	m.t.fn = fn;
	snprintf(m.t.arg, sizeof m.t.arg, "%s", arg != NULL ? arg : "");
	/* Blocks only while the task queue is full. */
	if (q_send(pool->tasks, m.bytes, true, -1) != MP_OK)
		return MP_ERROR;
	return pool->submitted++;
}

int mp_pool_apply(struct mp_pool *pool, mp_task_fn *fn, const char *arg)
{
	struct result_msg r;
	int id = mp_pool_apply_async(pool, fn, arg);

	if (id < 0)
		return MP_ERROR;
	/* Blocked in mq_receive on the results queue until our task is done
	 * (results of earlier apply_async tasks may come first). */
	do {
		if (pool_read_result(pool, true, &r) != MP_OK)
			return MP_ERROR;
	} while (r.id != id);
	return MP_OK;
}

void mp_pool_close(struct mp_pool *pool)
{
	pool->closed = true;
}

int mp_pool_join(struct mp_pool *pool)
{
	struct result_msg r;
	int status = MP_OK;

	if (!pool->closed) {
		fprintf(stderr, _("%s: close the pool before joining it\n"), prog);
		return MP_ERROR;
	}
	if (pool->joined)
		return MP_OK;
	/* First every task's result, blocked in mq_receive on the results
	 * queue: when the last one is in, no task waits and no worker runs
	 * one (a worker flushes its output before it reports). */
	while (pool->received < pool->submitted)
		if (pool_read_result(pool, true, &r) != MP_OK) {
			status = MP_ERROR;
			break;
		}
	/* Then the stop, a signal and not a message on the task queue (see
	 * POOL_STOP_SIGNAL), and the workers' ends, blocked in wait4.  The
	 * workers are our unreaped children, so their PIDs are still theirs. */
	for (int k = 0; k < pool->n; k++)
		if (!pool->workers[k].reaped && kill(pool->workers[k].pid, POOL_STOP_SIGNAL) < 0) {
			fprintf(stderr, "%s: kill %d: %s\n", prog, (int)pool->workers[k].pid,
			        strerror(errno));
			status = MP_ERROR;
		}
	for (int k = 0; k < pool->n; k++)
		if (mp_process_join(&pool->workers[k], -1) != MP_OK)
			status = MP_ERROR;
	pool->joined = true;
	return status;
}

void mp_pool_free(struct mp_pool *pool)
{
	if (pool == NULL)
		return;
	/* A pool that was never joined: end its workers as Python's
	 * terminate() does, and reap them, as a parent always must. */
	for (int k = 0; k < pool->n; k++)
		if (!pool->workers[k].reaped) {
			mp_process_terminate(&pool->workers[k]);
			mp_process_join(&pool->workers[k], -1);
		}
	mp_queue_unlink(pool->tasks);
	mp_queue_close(pool->tasks);
	mp_queue_unlink(pool->results);
	mp_queue_close(pool->results);
	free(pool);
}
