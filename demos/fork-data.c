/*
 * fork-data - after fork() each process has its own copy of the data.
 *
 * Mirrors this Python from the course notes (### fork, 多进程修改数据:
 * changing data in several processes):
 *
 *     import os
 *     import time
 *     num = 0
 *     pid = os.fork()
 *     if pid == 0:
 *         num+=1
 *         print('哈哈1---num=%d'%num)     # here: haha1---num=1
 *     else:
 *         time.sleep(1)
 *         num+=1
 *         print('哈哈2---num=%d'%num)     # here: haha2---num=1
 *
 * Both processes run the same code, but each has its own memory: every
 * variable, globals included, is copied at fork().  So the child's num += 1
 * does not touch the parent's num, and the parent, one second later, also
 * goes from 0 to 1.  Each process shows its own num in its title.
 *
 * Timeline at --tempo 1: the parent alone for 3 s (title num=0), the child
 * counts at once, the parent 1 s later, both stay 6 s, then the parent
 * alone for 2 s after reaping the child.
 */
#include "lib/demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/* A global on purpose, as in the Python: even globals are not shared. */
int num = 0;

int main(int argc, char **argv)
{
	struct demo_opts o;
	pid_t pid;

	demo_init(argc, argv, &o);
	demo_title("num=%d", num);
	printf(_("parent: num=%d before fork\n"), num);
	demo_sleep(3);

	/*
	 * Flush stdout before fork(): the stdio buffer is copied too, so a
	 * line still in it would be printed twice, once by each process.
	 */
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}

	if (pid == 0) {
		num += 1;
		demo_title("num=%d", num);
		/* TRANSLATORS: the notes' print('哈哈1---num=%d'%num) */
		printf(_("haha1---num=%d\n"), num);
		/* Same address in both processes, yet two separate values. */
		printf(_("child: &num is %p\n"), (void *)&num);
		demo_sleep(6);
		printf(_("child: exiting with num=%d\n"), num);
		exit(0);
	}

	demo_sleep(1);
	num += 1;
	demo_title("num=%d", num);
	/* TRANSLATORS: the notes' print('哈哈2---num=%d'%num) */
	printf(_("haha2---num=%d\n"), num);
	printf(_("parent: &num is %p: the same address as in the child, but each process has its own memory behind it\n"),
	       (void *)&num);
	demo_sleep(5);

	/* Reap the child before exiting. */
	if (waitpid(pid, NULL, 0) < 0)
		perror("waitpid");
	printf(_("parent: child reaped, my num is still %d\n"), num);
	demo_sleep(2);
	return 0;
}
