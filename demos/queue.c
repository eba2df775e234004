/*
 * queue - a Queue with room for 3 messages: full(), put with a timeout,
 * put_nowait, qsize, get_nowait.
 *
 * Mirrors this Python from the course notes (### 进程间通信: communication
 * between processes), with its Chinese messages in English:
 *
 *     from multiprocessing import Queue
 *     q = Queue(3)            # takes at most three messages
 *     q.put("message 1")
 *     q.put("message 2")
 *     print(q.full())         # False
 *     q.put("message 3")
 *     print(q.full())         # True
 *
 *     # the queue is full, so both tries below fail: the first after
 *     # waiting 2 s, the second at once
 *     try:
 *         q.put("message 4", True, 2)
 *     except:
 *         print("queue full, messages in it: %s" % q.qsize())
 *
 *     try:
 *         q.put_nowait("message 4")
 *     except:
 *         print("queue full, messages in it: %s" % q.qsize())
 *
 *     # the recommended way: check first, then put
 *     if not q.full():
 *         q.put_nowait("message 4")
 *
 *     # and check before reading
 *     if not q.empty():
 *         for i in range(q.qsize()):
 *             print(q.get_nowait())
 *
 * One process only: a queue works within one process too.  The queue is
 * a POSIX message queue, "/fs-queue-q-<pid>", a kernel object with room
 * for 3 messages; forkscope shows how full it is.  Where Python raises
 * queue.Full, the C functions return MP_FULL.
 *
 * The put with a 2 s timeout is the one to watch: for those 2 s the
 * process is blocked in mq_timedsend(), waiting for room that never comes
 * (nobody else reads this queue), and then gives up.  put_nowait() does
 * not wait at all.
 *
 * Timeline at --tempo 1: a step about every second, the queue filling to
 * 3/3, 2 s blocked on the full queue, then draining: about 13 s.
 */
#include "lib/demo.h"
#include "lib/mp.h"

#include <stdio.h>
#include <unistd.h>

static const char *boolean(bool b)
{
	return b ? "True" : "False";
}

int main(int argc, char **argv)
{
	struct demo_opts o;
	struct mp_queue *q;
	char msg[MP_MSG_SIZE];
	int n;

	demo_init(argc, argv, &o);
	demo_title(_("parent"));
	printf(_("parent: pid %d, making Queue(3)\n"), (int)getpid());
	q = mp_queue_new("q", 3);
	if (q == NULL)
		return 1;
	demo_sleep(1);

	/* TRANSLATORS: the messages put on the queue, as the notes name them
	 * (q.put("消息1")); the demo prints them when it reads them back. */
	mp_queue_put(q, _("message 1"), true, -1);
	printf(_("put %s, qsize %d\n"), _("message 1"), mp_queue_qsize(q));
	demo_sleep(1);
	mp_queue_put(q, _("message 2"), true, -1);
	printf(_("put %s, qsize %d\n"), _("message 2"), mp_queue_qsize(q));
	/* TRANSLATORS: q.full(): %s is True or False (Python's words,
	 * not translated) */
	printf(_("full: %s\n"), boolean(mp_queue_full(q)));
	demo_sleep(1);
	mp_queue_put(q, _("message 3"), true, -1);
	printf(_("put %s, qsize %d\n"), _("message 3"), mp_queue_qsize(q));
	printf(_("full: %s\n"), boolean(mp_queue_full(q)));
	demo_sleep(1);

	/* q.put("message 4", True, 2): wait up to 2 s for room. */
	printf(_("put %s, waiting up to %.1f s for room...\n"), _("message 4"), demo_seconds(2));
	if (mp_queue_put(q, _("message 4"), true, demo_seconds(2)) == MP_FULL)
		printf(_("queue full, messages in it: %d\n"), mp_queue_qsize(q));
	demo_sleep(1);

	/* q.put_nowait("message 4"): no waiting at all. */
	printf(_("put_nowait %s...\n"), _("message 4"));
	if (mp_queue_put_nowait(q, _("message 4")) == MP_FULL)
		printf(_("queue full, messages in it: %d\n"), mp_queue_qsize(q));
	demo_sleep(1);

	/* The recommended way: check, then put. */
	if (!mp_queue_full(q))
		mp_queue_put_nowait(q, _("message 4"));
	else
		printf(_("full() is True: not putting %s\n"), _("message 4"));
	demo_sleep(1);

	/* Check, then read everything there is. */
	if (!mp_queue_empty(q)) {
		n = mp_queue_qsize(q);
		for (int i = 0; i < n; i++) {
			if (mp_queue_get_nowait(q, msg, sizeof msg) == MP_OK)
				printf("%s\n", msg);
			demo_sleep(1);
		}
	}
	printf(_("qsize %d, empty: %s\n"), mp_queue_qsize(q), boolean(mp_queue_empty(q)));

	/* The queue would outlive us: remove its name, then close it. */
	mp_queue_unlink(q);
	mp_queue_close(q);
	demo_sleep(1);
	printf(_("parent: exiting\n"));
	return 0;
}
