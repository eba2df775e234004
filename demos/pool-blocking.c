/*
 * pool-blocking - the same Pool of 3, but apply(): one task at a time.
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
 *         time.sleep(random.random()*2)   # here 0.2 to 2 s
 *         t_stop = time.time()
 *         print(msg, "done, took %0.2f" % (t_stop - t_start))
 *
 *     po = Pool(3)
 *     for i in range(0, 10):
 *         po.apply(worker, (i,))
 *
 *     print("----start----")
 *     po.close()
 *     po.join()
 *     print("-----end-----")
 *
 * apply() is the blocking call: it hands the task to the pool and then
 * waits until that task is done before returning.  So there are 3
 * workers but only one is ever busy, the tasks run one after the other,
 * and ----start---- comes only when all 10 are over.  In forkscope the
 * task queue never holds more than one task (an idle worker blocked on
 * it takes a task the moment it is put, so mostly it reads 0), two
 * workers sit idle, and the parent is blocked on the results queue
 * (mq_timedreceive) while each task runs.  join() has no result left to
 * wait for: it stops the 3 idle workers at once (a signal, not a message
 * on the task queue: see lib/mp.c) and waits for them.  Compare the demo
 * "pool", where apply_async() lets all 3 workers run at once.
 *
 * Timeline at --tempo 1: the parent alone for 3 s; 3 idle workers for
 * 3 s; the 10 tasks one by one, each 0.2 to 2 s, about 11 s in all; the
 * parent with the pool's empty queues for 2 s.  About 19 s.
 */
#include "lib/demo.h"
#include "lib/mp.h"

#include <stdio.h>
#include <unistd.h>

/* def worker(msg): runs in a pool worker; msg is the task's number. */
static void worker(const char *msg)
{
	double t_start = mp_now();
	double t_stop;

	printf(_("%s started, pid %d\n"), msg, (int)getpid());
	/* mp_random() is random.random(), a number in [0, 1).  The Python
	 * sleeps random.random()*2; here at least 0.2 s of that, so that
	 * every task shows for a moment in its worker's title (forkscope
	 * reads /proc 10 times a second). */
	demo_sleep(0.2 + mp_random() * 1.8);
	t_stop = mp_now();
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

	/* Pool(3) forks the 3 workers (mp_process_start flushes stdout
	 * before each fork, so no buffered line is printed twice). */
	po = mp_pool_new(3);
	if (po == NULL)
		return 1;
	printf(_("parent: 3 workers are waiting for tasks\n"));
	demo_sleep(3);

	for (int i = 0; i < 10; i++) {
		char msg[16];

		snprintf(msg, sizeof msg, "%d", i);
		/* po.apply(worker, (i,)): queue the task, wait until done */
		mp_pool_apply(po, worker, msg);
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
