/*
 * storm.c - a burst of news for the tests: forks N children that each wait
 * on one pipe, then closes it, so all N exit at once, and reaps them.
 * Usage: storm N
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: storm N\n");
		return 2;
	}
	int n = atoi(argv[1]), gate[2];
	if (pipe(gate) != 0) {
		perror("storm: pipe");
		return 1;
	}
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0) {
			perror("storm: fork");
			break;
		}
		if (pid == 0) {
			char c;
			close(gate[1]);
			/* end of file once the parent closes its end: all go at once */
			_exit(read(gate[0], &c, 1) == 0 ? 0 : 1);
		}
	}
	close(gate[1]);
	int status, bad = 0;
	while (wait(&status) > 0)
		bad += !WIFEXITED(status) || WEXITSTATUS(status) != 0;
	return bad != 0;
}
