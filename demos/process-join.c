/*
 * process-join - two Process objects; join() waits for one of them.
 *
 * Mirrors this Python from the course notes (### multiprocessing), with
 * its Chinese prints in English:
 *
 *     from multiprocessing import Process
 *     import time
 *     import os
 *
 *     def worker_1(interval):
 *         print("worker_1, parent(%s), current process(%s)"
 *               % (os.getppid(), os.getpid()))
 *         t_start = time.time()
 *         time.sleep(interval)
 *         t_end = time.time()
 *         print("worker_1, ran for '%0.2f' s" % (t_end - t_start))
 *
 *     def worker_2(interval):
 *         ...the same, printing worker_2...
 *
 *     print("process ID: %s" % os.getpid())
 *     p1 = Process(target=worker_1, args=(2,))
 *     p2 = Process(target=worker_2, name="dongGe", args=(1,))
 *     p1.start()
 *     p2.start()
 *     print("p2.is_alive=%s" % p2.is_alive())
 *     print("p1.name=%s" % p1.name)
 *     print("p1.pid=%s" % p1.pid)
 *     print("p2.name=%s" % p2.name)
 *     print("p2.pid=%s" % p2.pid)
 *     p1.join()
 *     print("p1.is_alive=%s" % p1.is_alive())
 *
 * p1 gets no name, so it is called "Process-1", the default; p2 is called
 * "dongGe".  Each child's title is its name.
 *
 * p1.join() makes the parent wait until p1 has ended: in forkscope the
 * parent is blocked in wait4() (the system call behind waitpid()) for
 * about 2 s.  dongGe ends after 1 s, while the parent is still waiting for
 * p1; nobody collects dongGe's exit status yet, so it stays a zombie until
 * the parent calls p2.join().  The Python above never joins p2 (Python
 * joins it for you at exit); here the parent does, after a pause, so the
 * zombie shows.
 *
 * At --tempo 0 the children do not sleep at all, so dongGe may have ended
 * already when the parent asks p2.is_alive: then it prints False.
 *
 * Timeline at --tempo 1: the parent alone for 3 s; both children for 1 s;
 * p1 alone (dongGe a zombie) for 1 s; the parent with zombie dongGe for
 * 3 s; the parent alone for 3 s.
 */
#include "lib/demo.h"
#include "lib/mp.h"

#include <stdio.h>
#include <unistd.h>

/* The two target functions; the argument is the interval in seconds. */
static void worker_1(void *arg)
{
	double interval = *(const double *)arg;
	double t_start, t_end;

	/* TRANSLATORS: the notes' print("worker_1,父进程(%s),当前进程(%s)"):
	 * use its words */
	printf(_("worker_1, parent(%d), current process(%d)\n"), (int)getppid(), (int)getpid());
	t_start = mp_now();
	demo_sleep(interval);   /* suspended for interval seconds */
	t_end = mp_now();
	printf(_("worker_1, ran for '%0.2f' s\n"), t_end - t_start);
}

static void worker_2(void *arg)
{
	double interval = *(const double *)arg;
	double t_start, t_end;

	printf(_("worker_2, parent(%d), current process(%d)\n"), (int)getppid(), (int)getpid());
	t_start = mp_now();
	demo_sleep(interval);
	t_end = mp_now();
	printf(_("worker_2, ran for '%0.2f' s\n"), t_end - t_start);
}

static const char *boolean(bool b)
{
	return b ? "True" : "False";
}

int main(int argc, char **argv)
{
	struct demo_opts o;
	struct mp_process p1, p2;
	/* args=(2,) and args=(1,): the children get the address of these,
	 * which stays valid in them because fork() copies all our memory. */
	static double interval_1 = 2, interval_2 = 1;

	demo_init(argc, argv, &o);
	demo_title(_("parent"));
	printf(_("process ID: %d\n"), (int)getpid());
	demo_sleep(3);

	/* Process(target=worker_1, args=(2,)): no name, so "Process-1". */
	mp_process_init(&p1, NULL);
	mp_process_init(&p2, "dongGe");

	/* start() forks: from here each child runs its function while the
	 * parent goes on below.  (mp_process_start flushes stdout before
	 * fork(), so no line is printed twice.) */
	if (mp_process_start(&p1, worker_1, &interval_1) != MP_OK)
		return 1;
	if (mp_process_start(&p2, worker_2, &interval_2) != MP_OK) {
		mp_process_join(&p1, -1);
		return 1;
	}

	/* The parent does not wait: p2 is still sleeping, so True. */
	printf("p2.is_alive=%s\n", boolean(mp_process_is_alive(&p2)));

	printf("p1.name=%s\n", p1.name);
	printf("p1.pid=%d\n", (int)p1.pid);
	printf("p2.name=%s\n", p2.name);
	printf("p2.pid=%d\n", (int)p2.pid);

	/*
	 * join() with no timeout: the parent waits here, blocked in waitpid(),
	 * until p1 has ended, then reaps it.  Without this line the
	 * is_alive below would print True.  (With a timeout of 1 s,
	 * mp_process_join(&p1, 1), it would come back while p1 is still
	 * sleeping, and is_alive would print True as well.)
	 */
	printf(_("parent: p1.join(): waiting for %s to end\n"), p1.name);
	mp_process_join(&p1, -1);
	printf("p1.is_alive=%s\n", boolean(mp_process_is_alive(&p1)));

	/* dongGe ended a while ago; until it is joined it is a zombie. */
	printf(_("parent: %s has ended but is not joined yet: a zombie for %.1f s\n"),
	       p2.name, demo_seconds(3));
	demo_sleep(3);
	mp_process_join(&p2, -1);
	printf(_("parent: p2.join() reaped %s (exit code %d)\n"), p2.name, p2.exitcode);

	demo_sleep(3);
	printf(_("parent: exiting\n"));
	return 0;
}
