/*
 * fork-twice - two fork() calls in a row make four processes.
 *
 * Mirrors this Python from the course notes (### fork, 多次fork问题:
 * forking several times):
 *
 *     import os
 *     import time
 *     pid = os.fork()
 *     if pid == 0:
 *         print('哈哈1')      # here: haha1
 *     else:
 *         print('哈哈2')      # here: haha2
 *     pid = os.fork()
 *     if pid == 0:
 *         print('哈哈3')      # here: haha3
 *     else:
 *         print('哈哈4')      # here: haha4
 *     time.sleep(1)
 *
 * After the first fork there are two processes, and BOTH go on to the
 * second fork, so each of them makes one more child: 4 processes, two
 * haha3 and two haha4.  The roles:
 *
 *     parent          made child 1, then child 2
 *     ├── child 1     born from the first fork; made the grandchild
 *     │   └── grandchild
 *     └── child 2     born from the parent's second fork
 *
 * Timeline at --tempo 1: 1 process for 2 s, 2 processes for 3 s,
 * 4 processes for 6 s, then everyone reaps; the parent stays 2 s more.
 */
#include "lib/demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct demo_opts o;
	const char *role = N_("parent");
	pid_t pid, w;
	int status = 0;

	demo_init(argc, argv, &o);
	demo_title("%s", _(role));
	/* TRANSLATORS: %s here and in the lines below is the process's
	 * title as forkscope shows it (parent, child 1, child 2, grandchild),
	 * translated where it is set.  haha1..haha4 are the notes'
	 * print('哈哈1')..print('哈哈4'). */
	printf(_("%s: pid %d, about to fork the first time\n"), _(role), (int)getpid());
	demo_sleep(2);

	/*
	 * Flush stdout before each fork(): the child gets a copy of the stdio
	 * buffer, so a line still in it would be printed twice.
	 */
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		role = N_("child 1");
		demo_title("%s", _(role));
		printf(_("haha1 (%s, pid %d)\n"), _(role), (int)getpid());
	} else {
		printf(_("haha2 (%s, pid %d)\n"), _(role), (int)getpid());
	}
	demo_sleep(3);

	/* Both processes reach this point, so both fork again. */
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		status = 1;             /* go on: still reap any child we have */
	} else if (pid == 0) {
		/* Whose child are we?  Our role so far is our forker's. */
		role = strcmp(role, "parent") == 0 ? N_("child 2") : N_("grandchild");
		demo_title("%s", _(role));
		printf(_("haha3 (%s, pid %d, parent %d)\n"),
		       _(role), (int)getpid(), (int)getppid());
	} else {
		printf(_("haha4 (%s, pid %d)\n"), _(role), (int)getpid());
	}
	demo_sleep(6);                  /* the Python's time.sleep(1), longer */

	/*
	 * Reap our own children.  wait() only ever returns children of the
	 * caller and fails (ECHILD) once none are left, so this one loop is
	 * right for all four: the parent has two children, child 1 has one,
	 * child 2 and the grandchild have none.  Waiting on a saved PID
	 * would be a trap here: child 2 inherited the parent's copy of the
	 * first fork's result, but child 1 is its sibling, not its child.
	 */
	while ((w = wait(NULL)) > 0)
		printf(_("%s: reaped %d\n"), _(role), (int)w);

	if (strcmp(role, "parent") == 0)
		demo_sleep(2);          /* the parent alone again, briefly */
	printf(_("%s: exiting\n"), _(role));
	return status;
}
