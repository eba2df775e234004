/*
 * fork-nested - the second fork() only in the parent: three processes.
 *
 * Mirrors this Python from the course notes (### fork, the example after
 * 多次fork问题):
 *
 *     import os
 *     import time
 *     pid = os.fork()
 *     if pid == 0:
 *         print('哈哈1')      # here: haha1
 *     else:
 *         print('哈哈2')      # here: haha2
 *         pid = os.fork()
 *         if pid == 0:
 *             print('哈哈3')  # here: haha3
 *         else:
 *             print('哈哈4')  # here: haha4
 *     time.sleep(1)
 *
 * Unlike fork-twice, the second fork sits inside the parent's branch, so
 * the first child never reaches it: the parent gets two children and no
 * grandchild appears.
 *
 *     parent
 *     ├── child 1     born from the first fork
 *     └── child 2     born from the second fork
 *
 * Timeline at --tempo 1: 1 process for 2 s, 2 processes for 3 s,
 * 3 processes for 6 s, then the parent reaps both and stays 2 s more.
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
		demo_sleep(3);

		/* Only the parent runs this second fork. */
		fflush(stdout);
		pid = fork();
		if (pid < 0) {
			perror("fork");
			status = 1;     /* go on: still reap child 1 */
		} else if (pid == 0) {
			role = N_("child 2");
			demo_title("%s", _(role));
			printf(_("haha3 (%s, pid %d)\n"), _(role), (int)getpid());
		} else {
			printf(_("haha4 (%s, pid %d)\n"), _(role), (int)getpid());
		}
	}

	/* Everyone sleeps: the Python's time.sleep(1), longer.  Child 1 was
	 * born 3 s earlier, so it sleeps 3 s more to leave with child 2. */
	demo_sleep(strcmp(role, "child 1") == 0 ? 9 : 6);

	/*
	 * Reap our own children: wait() returns one child at a time and fails
	 * (ECHILD) when none are left.  Only the parent has any.
	 */
	while ((w = wait(NULL)) > 0)
		printf(_("%s: reaped %d\n"), _(role), (int)w);

	if (strcmp(role, "parent") == 0)
		demo_sleep(2);          /* the parent alone again, briefly */
	printf(_("%s: exiting\n"), _(role));
	return status;
}
