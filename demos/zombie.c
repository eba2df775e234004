/*
 * zombie - a child that has exited but has not been reaped yet.
 *
 * Shows this idea from the course notes (##### 概念: concepts):
 *
 *     僵尸进程：父进程一般等子进程结束后才结束，用来处理结束的子进程。
 *     已经结束但还没处理的子进程为僵尸进程
 *
 *     (Zombie process: a parent usually waits for its children to end so
 *     that it can deal with them.  A child that has ended but has not yet
 *     been dealt with is a zombie.)
 *
 * In Python that would be os.fork(), a child calling os._exit(3), and a
 * parent that sleeps before os.waitpid(pid, 0).
 *
 * When a process exits, the kernel frees its memory but keeps a small
 * entry (its PID and exit status) until the parent collects the status
 * with wait() or waitpid().  In between, ps shows the child with state Z
 * and "<defunct>".  Here the child exits after 2 s and the parent only
 * calls waitpid() after 5 s, so the child is a zombie for about 3 s.
 *
 * Timeline at --tempo 1: the parent alone for 3 s, the child alive for 2 s,
 * a zombie for 3 s, then the parent alone for 3 s after reaping it.
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
	int status;

	demo_init(argc, argv, &o);
	demo_title(_("parent"));
	printf(_("parent: pid %d, forking in a moment\n"), (int)getpid());
	demo_sleep(3);

	/*
	 * Flush stdout before fork(): the child gets a copy of the stdio
	 * buffer, so a line still in it would be printed twice.
	 */
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}

	if (pid == 0) {
		demo_title(_("child"));
		printf(_("child: pid %d, I will exit with status 3 in %.1f s\n"),
		       (int)getpid(), demo_seconds(2));
		demo_sleep(2);
		printf(_("child: exiting now with status 3; I stay a zombie until my parent reaps me\n"));
		exit(3);
	}

	/* The parent does not wait yet: this is what makes the zombie. */
	printf(_("parent: not waiting for child %d yet, sleeping %.1f s\n"),
	       (int)pid, demo_seconds(5));
	demo_sleep(5);

	printf(_("parent: calling waitpid() now\n"));
	if (waitpid(pid, &status, 0) < 0) {
		perror("waitpid");
		return 1;
	}
	/* The status word packs several facts; these macros unpack it. */
	if (WIFEXITED(status))
		printf(_("parent: reaped child %d, exit status %d\n"),
		       (int)pid, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		printf(_("parent: reaped child %d, killed by signal %d\n"),
		       (int)pid, WTERMSIG(status));
	demo_sleep(3);                  /* the zombie is gone: parent alone */
	printf(_("parent: exiting\n"));
	return 0;
}
