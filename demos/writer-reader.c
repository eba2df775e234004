/*
 * writer-reader - one process writes a Queue, another reads it.
 *
 * Mirrors this Python from the course notes (### 进程间通信: communication
 * between processes), with its end line in English:
 *
 *     from multiprocessing import Process, Queue
 *     import os, time, random
 *
 *     # the writer process runs this
 *     def write(q):
 *         for value in ['A', 'B', 'C']:
 *             print 'Put %s to queue...' % value
 *             q.put(value)
 *             time.sleep(random.random())
 *
 *     # the reader process runs this
 *     def read(q):
 *         while True:
 *             if not q.empty():
 *                 value = q.get(True)
 *                 print 'Get %s from queue.' % value
 *                 time.sleep(random.random())
 *             else:
 *                 break
 *
 *     if __name__=='__main__':
 *         # the parent makes the Queue and hands it to both children
 *         q = Queue()
 *         pw = Process(target=write, args=(q,))
 *         pr = Process(target=read, args=(q,))
 *         pw.start()      # start the writer
 *         pw.join()       # wait for it to finish
 *         pr.start()      # then start the reader
 *         pr.join()
 *         print 'all data written and read'
 *
 * The parent creates the queue ("/fs-writer-reader-q-<pid>", room for 10)
 * before it forks, so both children inherit it: a child gets a copy of
 * the parent's open queue descriptor, like of an open file.  The queue
 * itself lives in the kernel, not in any process: the letters the writer
 * put are still there after the writer has ended, for the reader to take.
 * In forkscope the fill rises to 3 while the writer runs, stays at 3
 * between the two, and falls back to 0 while the reader runs.
 *
 * Timeline at --tempo 1: the parent alone for 3 s; the writer for 1 s
 * plus 0 to 3 s; the parent alone, queue at 3, for 3 s; the reader for
 * 1 s plus 0 to 3 s; the parent alone for 2 s.  About 13 s.
 */
#include "lib/demo.h"
#include "lib/mp.h"

#include <stdio.h>
#include <unistd.h>

/* def write(q): runs in the writer process. */
static void write_proc(void *arg)
{
	struct mp_queue *q = arg;
	static const char *const values[] = { "A", "B", "C" };

	/* TRANSLATORS: "writer" and "reader" are the processes' names (their
	 * titles), not translated */
	printf(_("writer: pid %d, starting\n"), (int)getpid());
	demo_sleep(1);
	for (int i = 0; i < 3; i++) {
		/* The notes print this line in English: so does the demo, in
		 * every language. */
		printf("Put %s to queue...\n", values[i]);
		mp_queue_put(q, values[i], true, -1);
		demo_sleep(mp_random());    /* random.random(): 0 to 1 s */
	}
}

/* def read(q): runs in the reader process. */
static void read_proc(void *arg)
{
	struct mp_queue *q = arg;
	char value[MP_MSG_SIZE];

	printf(_("reader: pid %d, starting\n"), (int)getpid());
	demo_sleep(1);
	for (;;) {
		if (mp_queue_empty(q))
			break;
		if (mp_queue_get(q, value, sizeof value, true, -1) != MP_OK)
			break;
		/* in English in the notes too */
		printf("Get %s from queue.\n", value);
		demo_sleep(mp_random());
	}
}

int main(int argc, char **argv)
{
	struct demo_opts o;
	struct mp_queue *q;
	struct mp_process pw, pr;
	int n;

	demo_init(argc, argv, &o);
	demo_title(_("parent"));
	printf(_("parent: pid %d, making a Queue\n"), (int)getpid());
	/* Python's Queue() has no limit; a POSIX queue needs one.  10 is
	 * the most Linux allows an ordinary user, and plenty for 3 letters. */
	q = mp_queue_new("q", 10);
	if (q == NULL)
		return 1;
	demo_sleep(3);

	mp_process_init(&pw, "writer");
	mp_process_init(&pr, "reader");

	/* pw.start(); pw.join().  start() flushes stdout before fork(): a
	 * line still in the buffer would otherwise be printed twice, once by
	 * each process. */
	if (mp_process_start(&pw, write_proc, q) != MP_OK)
		goto out;
	mp_process_join(&pw, -1);
	n = mp_queue_qsize(q);
	printf(P_("parent: the writer has ended; %d letter waits in the queue\n",
	          "parent: the writer has ended; %d letters wait in the queue\n", n), n);
	demo_sleep(3);

	/* pr.start(); pr.join() */
	if (mp_process_start(&pr, read_proc, q) != MP_OK)
		goto out;
	mp_process_join(&pr, -1);
	printf(_("all data written and read\n"));
	demo_sleep(2);

out:
	mp_queue_unlink(q);
	mp_queue_close(q);
	printf(_("parent: exiting\n"));
	return 0;
}
