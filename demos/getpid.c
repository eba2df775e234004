/*
 * getpid - every process can ask for its own PID and its parent's.
 *
 * Mirrors this Python from the course notes (### fork, getpid/getppid):
 *
 *     import os
 *     rpid = os.fork()
 *     if rpid < 0:
 *         print("fork调用失败。")                  # fork failed
 *     elif rpid == 0:
 *         print("我是子进程（%s），我的父进程是（%s）"%(os.getpid(),os.getppid()))
 *         x+=1
 *     else:
 *         print("我是父进程（%s），我的子进程是（%s）"%(os.getpid(),rpid))
 *     print("父子进程都可以执行这里的代码")        # both run this line
 *
 * (The notes' `x+=1` is left out: x is never defined there.  Python's
 * os.fork() raises an exception on failure; C's fork() returns -1, which is
 * what the rpid < 0 branch stands for.)
 *
 * The code after the if/else is not inside either branch, so both
 * processes run it: they run the same program, each from the fork() on.
 *
 * Timeline at --tempo 1: the parent alone for 3 s, both for 6 s, the parent
 * alone for 2 s after reaping the child.
 */
#include "lib/demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct demo_opts o;
	pid_t rpid;

	demo_init(argc, argv, &o);
	demo_title(_("parent"));
	printf(_("parent: my PID is %d, forking in a moment\n"), (int)getpid());
	demo_sleep(3);

	/*
	 * Flush stdout before fork(): the child gets a copy of the stdio
	 * buffer too, so a line still in it would be printed twice.
	 */
	fflush(stdout);
	rpid = fork();
	if (rpid < 0) {
		/* TRANSLATORS: the notes' print("fork调用失败。"); perror() adds ": " and the reason */
		perror(_("fork failed"));
		return 1;
	} else if (rpid == 0) {
		demo_title(_("child"));
		/* TRANSLATORS: the notes' print("我是子进程（%s），我的父进程是（%s）") */
		printf(_("child: I am %d, my parent is %d\n"),
		       (int)getpid(), (int)getppid());
	} else {
		printf(_("parent: I am %d, my child is %d (my own parent is %d)\n"),
		       (int)getpid(), (int)rpid, (int)getppid());
	}

	/* TRANSLATORS: the notes' print("父子进程都可以执行这里的代码"), with the PID */
	printf(_("both processes run this line (this is %d)\n"), (int)getpid());
	demo_sleep(6);                  /* keep both alive to be seen */

	if (rpid == 0) {
		printf(_("child: exiting\n"));
		exit(0);
	}

	/* The parent waits for (reaps) its child before it goes. */
	if (waitpid(rpid, NULL, 0) < 0)
		perror("waitpid");
	printf(_("parent: child %d reaped\n"), (int)rpid);
	demo_sleep(2);
	printf(_("parent: exiting\n"));
	return 0;
}
