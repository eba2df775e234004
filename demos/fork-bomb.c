/*
 * fork-bomb - every process forks, and so does every child: a tamed bomb.
 *
 * Mirrors this Python from the course notes (### fork, fork炸弹: fork bomb,
 * "keeps making processes until the machine gives out"):
 *
 *     import os
 *     while True:
 *         os.fork()
 *     print("--1--")
 *
 * Each fork() doubles the number of processes, because the child continues
 * the very same loop.  The Python never stops.  This demo stops after G
 * rounds (--generations G, default 5, at most 9): every process forks once
 * per round, so after G rounds there are exactly 2^G processes, the first
 * one included (32 by default).  Each process's title is "gen N", N being
 * the round it was born in (the first process is gen 0).  At the end every
 * process waits for all its children, so nothing is left behind.
 *
 * Timeline at --tempo 1: 2 s before the first round, 2 s after each round,
 * then 2 s more before everyone reaps and exits (14 s at 5 rounds).
 */
#include "lib/demo.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * THE HARD CAP: at most DEMO_MAX_GENERATIONS (9) rounds, so never more than
 * 2^9 = 512 processes.  demo_init() already refuses --generations above 9;
 * main() checks again below, right before the loop that forks.
 */
#define MAX_PROCESSES (1 << DEMO_MAX_GENERATIONS)
_Static_assert(MAX_PROCESSES <= 512, "fork-bomb: never more than 2^9 processes");

int main(int argc, char **argv)
{
	struct demo_opts o;
	int rounds;
	int gen = 0;    /* the round this process was born in; 0 = the first */
	pid_t pid;

	demo_init(argc, argv, &o);
	demo_title(_("gen %d"), gen);

	rounds = o.generations;
	if (rounds < 1 || rounds > DEMO_MAX_GENERATIONS) {
		fprintf(stderr, _("fork-bomb: refusing %d rounds (cap: %d)\n"),
			rounds, DEMO_MAX_GENERATIONS);
		return 2;
	}

	/* TRANSLATORS: "gen N": the process born in round N (gen 0 is the first one) */
	printf(P_("gen 0: pid %d, the first process: %d round, %d processes at the end\n",
	          "gen 0: pid %d, the first process: %d rounds, %d processes at the end\n",
	          rounds),
	       (int)getpid(), rounds, 1 << rounds);
	demo_sleep(2);

	for (int round = 1; round <= rounds; round++) {
		if (gen == 0)
			printf(_("round %d of %d: every process forks once, %d processes after it\n"),
			       round, rounds, 1 << round);

		/*
		 * Flush stdout before fork(): the child gets a copy of the stdio
		 * buffer, so a line still in it would be printed twice.
		 */
		fflush(stdout);
		pid = fork();
		if (pid < 0) {
			/* Usually EAGAIN: too many processes.  Stop forking, but
			 * still reap the children we already have, below. */
			printf(_("gen %d: pid %d: fork failed in round %d (%s), no more forking\n"),
			       gen, (int)getpid(), round, strerror(errno));
			break;
		}
		if (pid == 0) {
			/* The child goes on with this same loop, from the next
			 * round on: that is why the count doubles each round. */
			gen = round;
			demo_title(_("gen %d"), gen);
			printf(_("gen %d: pid %d born, parent %d\n"),
			       gen, (int)getpid(), (int)getppid());
		}
		demo_sleep(2);          /* let the viewer see this generation */
	}
	demo_sleep(2);                  /* the full tree, a moment longer */

	/*
	 * Reap every child we made.  wait() returns one child at a time and
	 * fails (ECHILD) when none are left.  A process's children each reap
	 * their own children first, so the tree empties from the leaves up.
	 */
	while (wait(NULL) > 0)
		continue;

	if (gen == 0)
		printf(_("gen 0: all children reaped, done\n"));
	return 0;
}
