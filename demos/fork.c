/*
 * fork - one fork(): one call, two returns.
 *
 * Mirrors this Python from the course notes (### fork):
 *
 *     import os
 *     pid = os.fork()
 *     if pid == 0:
 *         print('哈哈1')      # here: haha1
 *     else:
 *         print('哈哈2')      # here: haha2
 *
 * fork() copies the calling process.  Both copies then return from the same
 * fork() call: in the child it returns 0, in the parent it returns the
 * child's PID (a parent may have many children and needs their PIDs; a
 * child can always ask for its parent's PID with getppid()).
 *
 * Timeline at --tempo 1: the parent alone for 3 s, parent and child side by
 * side for 6 s, then the parent alone again for 2 s after reaping the child.
 */
#include "lib/demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct demo_opts o;
	pid_t pid;

	demo_init(argc, argv, &o);
	demo_title(_("parent"));
	printf(_("parent: my PID is %d, forking in a moment\n"), (int)getpid());
	demo_sleep(3);

	/*
	 * Flush stdout before fork(): the child gets a copy of everything,
	 * the stdio buffer included, so a line still waiting in the buffer
	 * would be printed twice, once by each process.
	 */
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}

	if (pid == 0) {
		/* Only the child gets here: fork() returned 0. */
		demo_title(_("child"));
		printf(_("child: fork() returned 0\n"));
		/* TRANSLATORS: the notes' print('哈哈1'): use the notes' words */
		printf(_("haha1\n"));
		demo_sleep(6);          /* stay alive so the tree can be seen */
		printf(_("child: exiting\n"));
		exit(0);
	}

	/* Only the parent gets here: fork() returned the child's PID. */
	printf(_("parent: fork() returned %d (the child's PID)\n"), (int)pid);
	/* TRANSLATORS: the notes' print('哈哈2') */
	printf(_("haha2\n"));
	demo_sleep(6);

	/* Wait for (reap) the child, so it does not linger as a zombie. */
	if (waitpid(pid, NULL, 0) < 0)
		perror("waitpid");
	printf(_("parent: child %d reaped\n"), (int)pid);
	demo_sleep(2);
	printf(_("parent: exiting\n"));
	return 0;
}
