/*
 * victim.c - for the PID-reuse test: forks a child named "doomed" that
 * lives VICTIM seconds, reaps it at once, then lives PARENT seconds more.
 * Usage: victim VICTIM PARENT
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void nap(double secs)
{
	struct timespec ts = { (time_t)secs, (long)((secs - (double)(time_t)secs) * 1e9) };
	nanosleep(&ts, NULL);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: victim VICTIM_SECONDS PARENT_SECONDS\n");
		return 2;
	}
	pid_t pid = fork();
	if (pid == 0) {
		prctl(PR_SET_NAME, "doomed");
		nap(atof(argv[1]));
		_exit(0);
	}
	printf("doomed %d\n", (int)pid);
	fflush(stdout);
	waitpid(pid, NULL, 0);
	printf("victim %d reaped\n", (int)pid);
	fflush(stdout);
	nap(atof(argv[2]));
	return 0;
}
