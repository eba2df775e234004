/*
 * process-terminate - terminate() ends a child before it has finished.
 *
 * Mirrors this Python from the course notes (### multiprocessing), with
 * its Chinese prints in English:
 *
 *     from multiprocessing import Process
 *     import os
 *     from time import sleep
 *
 *     def run_proc(name, age, **kwargs):
 *         for i in range(10):
 *             print('child running, name= %s,age=%d ,pid=%d...'
 *                   % (name, age, os.getpid()))
 *             print(kwargs)
 *             sleep(0.5)
 *
 *     if __name__=='__main__':
 *         print('parent %d.' % os.getpid())
 *         p = Process(target=run_proc, args=('test',18), kwargs={"m":20})
 *         print('child process about to run')
 *         p.start()
 *         sleep(1)
 *         p.terminate()
 *         p.join()
 *         print('child process has ended')
 *
 * The child would print 10 times in 5 s, but the parent terminates it
 * after 1 s: terminate() sends it SIGTERM, whose default action ends the
 * process at once, in the middle of its sleep.  It gets to print two or
 * three times: its third print is due at the 1 s mark too, a race it
 * often wins.  (In Python it prints twice: the child's slower start
 * makes it lose.)
 * A terminated child is still a child: it stays a zombie until the parent
 * joins it.  Here the parent waits a moment before join() so the zombie
 * shows; the Python joins at once.
 *
 * Timeline at --tempo 1: the parent alone for 3 s; the child running for
 * 1 s; the child a zombie (killed, not yet joined) for 3 s; the parent
 * alone for 4 s.
 */
#include "lib/demo.h"
#include "lib/mp.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* args=('test', 18), kwargs={"m": 20}: C has no keyword arguments, so
 * all of them go in one struct. */
struct run_proc_args {
	const char *name;
	int age;
	int m;                  /* the one keyword argument */
};

static void run_proc(void *arg)
{
	const struct run_proc_args *a = arg;

	for (int i = 0; i < 10; i++) {
		/* TRANSLATORS: the notes' print('子进程运行中，name= %s,age=%d ,pid=%d...') */
		printf(_("child running, name= %s,age=%d ,pid=%d...\n"), a->name, a->age, (int)getpid());
		printf("{'m': %d}\n", a->m);
		demo_sleep(0.5);
	}
}

int main(int argc, char **argv)
{
	struct demo_opts o;
	struct mp_process p;
	static struct run_proc_args args = { "test", 18, 20 };

	demo_init(argc, argv, &o);
	demo_title(_("parent"));
	printf(_("parent %d.\n"), (int)getpid());
	demo_sleep(3);

	mp_process_init(&p, NULL);
	printf(_("child process about to run\n"));
	/* p.start(): mp_process_start flushes stdout before it forks, or
	 * the line above, if still in the buffer, would be copied into the
	 * child and printed twice. */
	if (mp_process_start(&p, run_proc, &args) != MP_OK)
		return 1;

	demo_sleep(1);
	printf(_("parent: %s.terminate(): sending SIGTERM to %d\n"), p.name, (int)p.pid);
	mp_process_terminate(&p);

	/* Killed, but not reaped yet: a zombie until join(). */
	demo_sleep(3);
	mp_process_join(&p, -1);
	if (p.exitcode < 0) {
		/* the signal's name (SIGTERM), the same in every language */
		const char *abbrev = sigabbrev_np(-p.exitcode);
		char sig[32];
		snprintf(sig, sizeof(sig), "SIG%s", abbrev ? abbrev : "?");
		printf(_("parent: joined %s: exit code %d, killed by signal %d (%s)\n"),
		       p.name, p.exitcode, -p.exitcode, sig);
	}
	else            /* at --tempo 0 it may finish before the signal */
		printf(_("parent: joined %s: exit code %d, it finished first\n"),
		       p.name, p.exitcode);
	printf(_("child process has ended\n"));

	demo_sleep(4);
	printf(_("parent: exiting\n"));
	return 0;
}
