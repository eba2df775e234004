/*
 * orphan - the parent exits first; the child lives on and is adopted.
 *
 * Shows these ideas from the course notes (### fork and ##### 概念):
 *
 *     主进程结束了子进程还在运行
 *         (the main process has ended, the child is still running)
 *     孤儿进程：父进程已经结束还没结束的子进程
 *         (orphan: a child still running after its parent has ended)
 *     1 PID：……可以处理孤儿进程
 *         (PID 1 ... takes care of orphans)
 *
 * In Python: pid = os.fork(); the parent sleeps 2.5 s and leaves without
 * os.waitpid(); the child prints os.getppid() every second, 8 times.
 * (The half second puts the parent's exit between two of the child's
 * checks, at 2 s and 3 s, never at the same moment as one: at any tempo
 * above 0 the child sees its parent 3 times, then its adopter.)
 *
 * Every process must have a parent to collect its exit status, so when a
 * parent dies the kernel gives its children a new one: the nearest
 * ancestor marked as a "subreaper" (a service manager, a container's init,
 * or a tool like forkscope), or else PID 1.  So the child just prints
 * whatever getppid() says, and notes when it changes.
 *
 * Timeline at --tempo 1: the parent alone for 3 s, parent and child for
 * 2.5 s, then the orphan alone for 5.5 s more (11 s in all; the shell's
 * prompt comes back when the parent exits, before the orphan is done).
 */
#include "lib/demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct demo_opts o;
	pid_t me, pid, parent, now;

	demo_init(argc, argv, &o);
	demo_title(_("parent"));
	printf(_("parent: pid %d, forking in a moment\n"), (int)getpid());
	demo_sleep(3);

	/*
	 * Flush stdout before fork(): the child gets a copy of the stdio
	 * buffer, so a line still in it would be printed twice.
	 */
	fflush(stdout);
	me = getpid();          /* the child's parent, as long as it lives */
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}

	if (pid == 0) {
		demo_title(_("child"));
		/* Ask at once, then every second (scaled) for 8 s: 2.5 s
		 * with the parent, the rest as an orphan. */
		parent = me;
		for (int i = 0; i <= 8; i++) {
			if (i > 0)
				demo_sleep(1);
			now = getppid();
			if (now != parent)
				printf(_("child: my parent %d is gone, I was adopted by %d\n"),
				       (int)parent, (int)now);
			parent = now;
			printf(_("child: my parent is %d\n"), (int)parent);
		}
		if (parent != me)
			printf(_("child: exiting; my new parent %d will reap me\n"),
			       (int)parent);
		else    /* at --tempo 0 the child can finish first */
			printf(_("child: exiting before my parent %d is gone (no pauses at this tempo): I never ran as an orphan\n"),
			       (int)parent);
		exit(0);
	}

	/* On purpose, no waitpid(): the parent leaves its child behind. */
	printf(_("parent: child %d made; I leave in %.1f s without waiting for it\n"),
	       (int)pid, demo_seconds(2.5));
	demo_sleep(2.5);
	printf(_("parent: exiting now, my child becomes an orphan\n"));
	return 0;
}
