/*
 * manager-queue - a queue owned by a manager process, used by pool tasks.
 *
 * Mirrors this Python from the course notes (### 进程间通信, 进程池中的
 * Queue: a Queue for a process pool), with its prints in English:
 *
 *     from multiprocessing import Manager, Pool
 *     import os, time, random
 *
 *     def reader(q):
 *         print("reader started (%s), parent (%s)" % (os.getpid(), os.getppid()))
 *         for i in range(q.qsize()):
 *             print("reader got from the Queue: %s" % q.get(True))
 *
 *     def writer(q):
 *         print("writer started (%s), parent (%s)" % (os.getpid(), os.getppid()))
 *         for i in "dongGe":
 *             q.put(i)
 *
 *     if __name__ == "__main__":
 *         print("(%s) start" % os.getpid())
 *         q = Manager().Queue()   # the Manager's Queue
 *         po = Pool()
 *         # apply() blocks, so the writer finishes before the reader
 *         # starts, and the reader needs no endless loop
 *         po.apply(writer, (q,))
 *         po.apply(reader, (q,))
 *         po.close()
 *         po.join()
 *         print("(%s) End" % os.getpid())
 *
 * Why a Manager in Python: pool tasks travel to the workers through a
 * pipe, and a multiprocessing.Queue cannot go through one (it can only be
 * inherited at fork).  Manager() starts a separate process that owns the
 * queue, and what the tasks get is a small handle naming it.
 *
 * Here the same roles, in C:
 *   - the "manager" process creates the queue, "/fs-manager-queue-<its
 *     pid>", tells the parent its name through a pipe, then does nothing
 *     but wait (blocked reading a second pipe) until the parent says stop;
 *     then it removes the queue and ends.  (Python's manager also does
 *     every put and get on the clients' behalf; a POSIX queue lives in
 *     the kernel, so here the workers use it directly, and the manager
 *     only owns it: it made it and it removes it.)
 *   - the handle is the queue's name: a task's argument is a string, and
 *     the task opens the queue by that name with mq_open.
 *   - the pool's 2 workers run the writer task, then the reader task
 *     (apply: one after the other), as "worker N: task 0" and "task 1".
 *
 * Timeline at --tempo 1: the parent alone for 2 s; the manager for 2 s;
 * 2 idle workers for 2 s; the writer putting 6 letters, one every 0.5 s
 * (the queue fills to 6); 2 s; the reader taking them, one every 0.5 s
 * (it empties); the pool's workers end, its queues stay 2 s more; the
 * manager is stopped; the parent alone for 2 s.  About 18 s.
 */
#include "lib/demo.h"
#include "lib/mp.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The manager's two pipes: it writes the queue's name into ready[1]; the
 * parent writes one byte into stop[1] when it is time to end. */
static int ready[2], stop[2];

/* Runs in the manager process. */
static void manager(void *arg)
{
	struct mp_queue *q;
	ssize_t n;
	char c;

	(void)arg;
	close(ready[0]);
	close(stop[1]);
	/* NULL suffix: the name is "/fs-manager-queue-<our pid>". */
	q = mp_queue_new(NULL, 10);
	if (q == NULL)
		return;             /* the parent sees the pipe close empty */
	/* TRANSLATORS: "manager" and "main" are the processes' names (their
	 * titles), not translated; %s is the queue's name */
	printf(_("manager: pid %d, owns the queue %s\n"), (int)getpid(), q->name);
	if (write(ready[1], q->name, strlen(q->name) + 1) < 0)
		perror("manager: write");
	close(ready[1]);

	/* Nothing more to do but keep the queue until told to stop.  A byte
	 * means stop; so does end of file (the parent is gone). */
	do
		n = read(stop[0], &c, 1);
	while (n < 0 && errno == EINTR);

	printf(_("manager: told to stop, removing %s\n"), q->name);
	mp_queue_unlink(q);
	mp_queue_close(q);
}

/* def writer(q): a pool task; arg is the queue's name. */
static void writer(const char *arg)
{
	struct mp_queue *q = mp_queue_open(arg);

	printf(_("writer started (%d), parent (%d)\n"), (int)getpid(), (int)getppid());
	if (q == NULL)
		return;
	for (const char *i = "dongGe"; *i != '\0'; i++) {
		char letter[2] = { *i, '\0' };

		mp_queue_put(q, letter, true, -1);
		demo_sleep(0.5);    /* so the queue is seen filling */
	}
	mp_queue_close(q);
}

/* def reader(q): a pool task; arg is the queue's name. */
static void reader(const char *arg)
{
	struct mp_queue *q = mp_queue_open(arg);
	char msg[MP_MSG_SIZE];
	int n;

	printf(_("reader started (%d), parent (%d)\n"), (int)getpid(), (int)getppid());
	if (q == NULL)
		return;
	n = mp_queue_qsize(q);
	for (int i = 0; i < n; i++) {
		if (mp_queue_get(q, msg, sizeof msg, true, -1) != MP_OK)
			break;
		printf(_("reader got from the Queue: %s\n"), msg);
		demo_sleep(0.5);
	}
	mp_queue_close(q);
}

int main(int argc, char **argv)
{
	struct demo_opts o;
	struct mp_process mgr;
	struct mp_pool *po;
	char qname[MP_NAME_SIZE];
	size_t got = 0;
	ssize_t n;
	int status = 0;

	demo_init(argc, argv, &o);
	demo_title(_("main"));
	/* "(%d) start" and "(%d) End": in English in the notes too, so in
	 * every language here. */
	printf("(%d) start\n", (int)getpid());
	demo_sleep(2);

	/* q = Manager().Queue() */
	if (pipe(ready) < 0 || pipe(stop) < 0) {
		perror("pipe");
		return 1;
	}
	mp_process_init(&mgr, "manager");
	mgr.daemon = true;          /* like Python's manager: ends with us */
	/* start() flushes stdout before fork(), so that no line still in the
	 * buffer is copied into the child and printed twice. */
	if (mp_process_start(&mgr, manager, NULL) != MP_OK)
		return 1;
	close(ready[1]);
	close(stop[0]);
	/* Wait for the manager to tell the queue's name (up to its NUL). */
	while (got < sizeof qname) {
		n = read(ready[0], qname + got, sizeof qname - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
		if (memchr(qname, '\0', got) != NULL)
			break;
	}
	close(ready[0]);
	if (got == 0 || memchr(qname, '\0', got) == NULL) {
		fprintf(stderr, _("main: the manager did not make the queue\n"));
		mp_process_join(&mgr, -1);
		return 1;
	}
	demo_sleep(2);

	/* po = Pool(): Python takes one worker per CPU; 2 are enough. */
	po = mp_pool_new(2);
	if (po == NULL) {
		status = 1;
		goto stop_manager;
	}
	demo_sleep(2);

	/* apply blocks: the writer is done before the reader starts. */
	mp_pool_apply(po, writer, qname);
	demo_sleep(2);
	mp_pool_apply(po, reader, qname);
	mp_pool_close(po);
	mp_pool_join(po);
	demo_sleep(2);
	mp_pool_free(po);

stop_manager:
	printf(_("main: stopping the manager\n"));
	if (write(stop[1], "x", 1) < 0)
		perror("main: write");
	close(stop[1]);
	mp_process_join(&mgr, -1);
	demo_sleep(2);
	printf("(%d) End\n", (int)getpid());
	return status;
}
