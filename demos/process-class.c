/*
 * process-class - a "subclass" of Process whose run() does the work.
 *
 * Mirrors this Python from the course notes (### multiprocessing, 创建
 * Process子类: making a Process subclass), with its prints in English:
 *
 *     from multiprocessing import Process
 *     import time
 *     import os
 *
 *     class Process_Class(Process):
 *         def __init__(self, interval):
 *             Process.__init__(self)
 *             self.interval = interval
 *
 *         def run(self):
 *             print("child (%s) starts, its parent is (%s)"
 *                   % (os.getpid(), os.getppid()))
 *             t_start = time.time()
 *             time.sleep(self.interval)
 *             t_stop = time.time()
 *             print("(%s) finished, took %0.2f s"
 *                   % (os.getpid(), t_stop - t_start))
 *
 *     if __name__ == "__main__":
 *         t_start = time.time()
 *         print("current process (%s)" % os.getpid())
 *         p1 = Process_Class(2)
 *         p1.start()      # no target: start() runs p1.run() in the child
 *         p1.join()
 *         t_stop = time.time()
 *         print("(%s) finished, took %0.2f" % (os.getpid(), t_stop - t_start))
 *
 * C has no classes, but the usual C way to "inherit" is a struct whose
 * first member is the base struct: a struct process_class IS a struct
 * mp_process with one more field, interval.  "Overriding run()" is
 * setting the base's run function pointer to our own function; start()
 * with no target function calls it, in the child, with the object itself
 * as its argument (self).  The child is a copy of the parent, object
 * included, so run() finds self->interval there.
 *
 * Timeline at --tempo 1: the parent alone for 3 s; the child running for
 * 2 s while the parent waits in join(); the parent alone for 6 s.
 */
#include "lib/demo.h"
#include "lib/mp.h"

#include <stdio.h>
#include <unistd.h>

struct process_class {
	struct mp_process base;     /* first: "class Process_Class(Process)" */
	double interval;
};

/* def run(self): the overridden run(), called in the child by start(). */
static void process_class_run(struct mp_process *p)
{
	/* p points at the base, the first member: C guarantees that the
	 * whole object starts at the same address, so this cast is the
	 * "downcast" from Process to Process_Class. */
	struct process_class *self = (struct process_class *)p;
	double t_start, t_stop;

	/* TRANSLATORS: the notes' print("子进程(%s) 开始执行，父进程为（%s）") */
	printf(_("child (%d) starts, its parent is (%d)\n"), (int)getpid(), (int)getppid());
	t_start = mp_now();
	demo_sleep(self->interval);
	t_stop = mp_now();
	printf(_("(%d) finished, took %0.2f s\n"), (int)getpid(), t_stop - t_start);
}

/* def __init__(self, interval): the base's init first, then our field
 * and our run(). */
static void process_class_init(struct process_class *self, double interval)
{
	mp_process_init(&self->base, NULL);
	self->base.run = process_class_run;
	self->interval = interval;
}

int main(int argc, char **argv)
{
	struct demo_opts o;
	struct process_class p1;
	double t_start, t_stop;

	demo_init(argc, argv, &o);
	demo_title(_("parent"));
	printf(_("current process (%d)\n"), (int)getpid());
	demo_sleep(3);

	t_start = mp_now();
	process_class_init(&p1, 2);         /* p1 = Process_Class(2) */
	/* No target function: start() runs p1's own run() in the child.
	 * (It flushes stdout before fork(), so that no line still in the
	 * buffer is copied into the child and printed twice.) */
	if (mp_process_start(&p1.base, NULL, NULL) != MP_OK)
		return 1;
	printf(_("parent: started %s (pid %d), interval %.1f s; joining it\n"),
	       p1.base.name, (int)p1.base.pid, demo_seconds(p1.interval));
	mp_process_join(&p1.base, -1);
	t_stop = mp_now();
	printf(_("(%d) finished, took %0.2f s\n"), (int)getpid(), t_stop - t_start);

	demo_sleep(2);
	printf(_("parent: %s exit code %d, is_alive %s\n"), p1.base.name, p1.base.exitcode,
	       mp_process_is_alive(&p1.base) ? "True" : "False");
	demo_sleep(4);
	printf(_("parent: exiting\n"));
	return 0;
}
