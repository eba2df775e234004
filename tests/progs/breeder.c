/*
 * breeder.c - a tree that keeps growing while it is paused: every process
 * forks two children a millisecond apart, down to DEPTH levels (2^DEPTH - 1
 * processes in all), then waits to be ended.  Usage: breeder DEPTH
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: breeder DEPTH\n");
		return 2;
	}
	int depth = atoi(argv[1]);
	struct timespec ms = { 0, 1000 * 1000 };

	for (int level = 1; level < depth; level++) {
		int kids = 0;
		for (int i = 0; i < 2; i++) {
			nanosleep(&ms, NULL);
			pid_t pid = fork();
			if (pid == 0) {
				kids = -1;      /* the child goes on to the next level */
				break;
			}
			kids++;
		}
		if (kids >= 0)
			break;              /* a parent of this level stops breeding */
	}
	for (;;)
		pause();
}
