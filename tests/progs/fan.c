/*
 * fan.c - a wide tree for the tests: forks N children that wait, lets them
 * all live S seconds once the last is born (or until it gets SIGUSR1), then
 * ends them (SIGTERM) and reaps them.  Usage: fan N S
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: fan N SECONDS\n");
		return 2;
	}
	int n = atoi(argv[1]);
	double secs = atof(argv[2]);
	struct timespec ts = { (time_t)secs, (long)((secs - (double)(time_t)secs) * 1e9) };
	pid_t *kids = calloc((size_t)n, sizeof(*kids));
	/* SIGUSR1 is held until the nap takes it (sigtimedwait): one sent
	 * between the line printed and the nap is not lost */
	sigset_t usr1;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);

	for (int i = 0; i < n; i++) {
		kids[i] = fork();
		if (kids[i] < 0) {
			perror("fan: fork");
			n = i;
			break;
		}
		if (kids[i] == 0) {
			sigprocmask(SIG_UNBLOCK, &usr1, NULL);
			for (;;)
				pause();
		}
	}
	printf("fan: %d children forked\n", n);
	fflush(stdout);
	/* a stop and a continue (forkscope's pause) end sigtimedwait() early
	 * with EINTR (signal(7)): the nap goes on for what is left of it */
	struct timespec now, until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += ts.tv_sec + (until.tv_nsec + ts.tv_nsec) / 1000000000L;
	until.tv_nsec = (until.tv_nsec + ts.tv_nsec) % 1000000000L;
	while (sigtimedwait(&usr1, NULL, &ts) < 0 && errno == EINTR) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		long long left = (long long)(until.tv_sec - now.tv_sec) * 1000000000LL +
		                 (until.tv_nsec - now.tv_nsec);
		if (left <= 0)
			break;
		ts.tv_sec = (time_t)(left / 1000000000LL);
		ts.tv_nsec = (long)(left % 1000000000LL);
	}
	for (int i = 0; i < n; i++)
		kill(kids[i], SIGTERM);
	while (wait(NULL) > 0)
		;
	free(kids);
	return 0;
}
