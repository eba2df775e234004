/*
 * family.c - a parent that reaps its children and then exits at once, and a
 * child that leaves a grandchild behind: the two moments a reading comes
 * too late for.
 *
 *   family reap     forks 3 children that exit at once; waits for each; exits
 *   family orphan   forks a child that forks a grandchild and exits at once;
 *                   the grandchild exits 50 ms later; the parent waits for the
 *                   child, lives 200 ms more, and exits
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000 * 1000 };
	nanosleep(&ts, NULL);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "reap") == 0) {
		for (int i = 0; i < 3; i++) {
			pid_t pid = fork();
			if (pid == 0)
				_exit(i);
			if (pid < 0 || waitpid(pid, NULL, 0) != pid)
				return 1;
		}
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "orphan") == 0) {
		pid_t pid = fork();
		if (pid == 0) {
			if (fork() == 0) {
				nap_ms(50);
				_exit(0);
			}
			_exit(0);
		}
		if (pid < 0 || waitpid(pid, NULL, 0) != pid)
			return 1;
		nap_ms(200);
		return 0;
	}
	fprintf(stderr, "usage: family reap|orphan\n");
	return 2;
}
