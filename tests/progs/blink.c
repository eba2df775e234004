/*
 * blink.c - children too quick for any reading: forks 3 children one after
 * another; each lives about a millisecond (LIFE_MS) and exits with its
 * number (0, 1, 2), and the parent waits for each.
 * Usage: blink [GAP_MS [LIFE_MS]]
 *
 * GAP_MS (default 0): the parent naps that long after reaping each child,
 * so that a child's exit and what the parent does next (fork the next one,
 * or exit) are two moments, not one (with no gap they follow the reap
 * within microseconds, and a watcher sees them together).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long gap_ms = argc > 1 ? atol(argv[1]) : 0;
	long life_ms = argc > 2 ? atol(argv[2]) : 1;
	struct timespec gap = { gap_ms / 1000, (gap_ms % 1000) * 1000 * 1000 };

	for (int i = 0; i < 3; i++) {
		pid_t pid = fork();
		if (pid < 0) {
			perror("blink: fork");
			return 1;
		}
		if (pid == 0) {
			struct timespec life = { life_ms / 1000, (life_ms % 1000) * 1000 * 1000 };
			nanosleep(&life, NULL);
			_exit(i);
		}
		if (waitpid(pid, NULL, 0) != pid) {
			perror("blink: waitpid");
			return 1;
		}
		if (gap_ms > 0)
			nanosleep(&gap, NULL);
	}
	return 0;
}
