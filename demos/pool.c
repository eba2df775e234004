/*
 * pool - a Pool of 3 worker processes runs 10 tasks, apply_async.
 *
 * Mirrors this Python from the course notes (### 进程池: process pools),
 * with its prints in English:
 *
 *     from multiprocessing import Pool
 *     import os, time, random
 *
 *     def worker(msg):
 *         t_start = time.time()
 *         print("%s started, pid %d" % (msg, os.getpid()))
 *         # random.random() gives a float between 0 and 1
 *         time.sleep(random.random()*2)   # here 0.2 to 2 s
 *         t_stop = time.time()
 *         print(msg, "done, took %0.2f" % (t_stop - t_start))
 *
 *     po = Pool(3)            # a pool of at most 3 processes
 *     for i in range(0, 10):
 *         # each task goes to whichever worker is free
 *         po.apply_async(worker, (i,))
 *
 *     print("----start----")
 *     po.close()              # no more tasks after this
 *     po.join()               # wait for the workers; only after close()
 *     print("-----end-----")
 *
 * The pool makes its 3 workers once, at the start, and every task runs in
 * one of them: 10 tasks, still only 4 processes in the tree (the parent
 * and 3 workers).  Making a process costs far more than handing a task to
 * one that exists, which is the point of a pool.
 *
 * apply_async() does not wait: it puts the task on the pool's task queue
 * ("/fs-pool-tasks-<pid>", room for 10) and returns.  So the parent gives
 * all 10 tasks at once and prints ----start---- while they run.  The
 * queue holds the tasks no worker has taken yet: 7 at first (the 3
 * workers took one each at once), one less each time a worker finishes a
 * task and takes the next, 0 once the tenth has started.  Each worker's
 * title says which task it runs ("worker 2: task 7") or that it waits
 * ("worker 2: idle").
 *
 * join() waits first for the tasks' results (the parent is blocked on the
 * results queue, "/fs-pool-results-<pid>", while the tasks run), then
 * tells the 3 idle workers to stop and waits for them to end (wait4).
 * Python's Pool tells its workers to stop with one None per worker on
 * the task queue, behind the tasks; ours stops them with a signal
 * instead (see mp_pool_join in lib/mp.c), so that the task queue never
 * holds anything but tasks and its gauge in forkscope counts exactly the
 * tasks waiting for a worker.
 *
 * Timeline at --tempo 1: the parent alone for 3 s; 3 idle workers for
 * 3 s; the 10 tasks, each 0.2 to 2 s, about 4 to 5 s in all; the parent
 * with the pool's empty queues for 2 s.  About 12 s.
 */
#include "lib/demo.h"
#include "lib/mp.h"

#include <stdio.h>
#include <unistd.h>

/* def worker(msg): runs in a pool worker.  msg is the task's number, as
 * text: a task's argument is a string. */
static void worker(const char *msg)
{
	double t_start = mp_now();
	double t_stop;

	/* TRANSLATORS: the notes' print("%s开始执行,进程号为%d"); %s is
	 * the task's number */
	printf(_("%s started, pid %d\n"), msg, (int)getpid());
	/* mp_random() is random.random(), a number in [0, 1).  The Python
	 * sleeps random.random()*2; here at least 0.2 s of that, so that
	 * every task shows for a moment in its worker's title (forkscope
	 * reads /proc 10 times a second). */
	demo_sleep(0.2 + mp_random() * 1.8);
	t_stop = mp_now();
	/* TRANSLATORS: the notes' print(msg, "执行完毕，耗时%0.2f") */
	printf(_("%s done, took %0.2f s\n"), msg, t_stop - t_start);
}

int main(int argc, char **argv)
{
	struct demo_opts o;
	struct mp_pool *po;

	demo_init(argc, argv, &o);
	demo_title(_("parent"));
	printf(_("parent: pid %d, making a Pool(3) in %.1f s\n"), (int)getpid(), demo_seconds(3));
	demo_sleep(3);

	/* Pool(3): forks the 3 workers now, and only now.  (Every fork goes
	 * through mp_process_start, which flushes stdout first, so that no
	 * line waiting in the buffer is printed again by a worker.) */
	po = mp_pool_new(3);
	if (po == NULL)
		return 1;
	printf(_("parent: 3 workers are waiting for tasks\n"));
	demo_sleep(3);

	for (int i = 0; i < 10; i++) {
		char msg[16];

		snprintf(msg, sizeof msg, "%d", i);
		/* po.apply_async(worker, (i,)): queue the task, don't wait */
		mp_pool_apply_async(po, worker, msg);
	}

	/* the notes' own markers, the same in every language */
	printf("----start----\n");
	mp_pool_close(po);
	mp_pool_join(po);
	printf("-----end-----\n");
	/* The workers are gone; the pool's queues, empty now, stay until
	 * mp_pool_free() removes them. */
	demo_sleep(2);
	mp_pool_free(po);
	printf(_("parent: exiting\n"));
	return 0;
}
