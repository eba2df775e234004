/*
 * fork-wall - the fork bomb of the course notes, unbounded, hitting a wall.
 *
 * Mirrors this Python from the course notes (### fork, fork炸弹: fork bomb,
 * "keeps making processes until the program crashes"):
 *
 *     import os
 *     while True:
 *         os.fork()
 *     print("--1--")
 *
 * Here too every process forks in a loop with no end of its own, and every
 * child goes on with the same loop.  The number of processes doubles at
 * every step until fork() fails: it returns -1 with errno EAGAIN, "try
 * again later", because there is no room for one more process.  On a real
 * machine that wall is the whole process table (or the user's share of
 * it), and once the bomb fills it no one can start a program, not even a
 * shell to kill the bomb.  forkscope runs this demo inside a limit of its
 * own (forkscope --limit N fork-bomb, 64 by default): a pids cgroup, or
 * RLIMIT_NPROC, that only these processes count against, so it is this
 * demo's forks that fail, and the rest of the machine goes on.
 *
 * Two things a real bomb does not do, so that a class can watch it and the
 * demo ends by itself:
 *   - each process waits a step (0.5 s at --tempo 1) between two forks;
 *   - 3 s after the first fork() failed (0.6 s at --tempo 0.2, at once at
 *     --tempo 0), and 30 s after the start whatever happens, no process
 *     forks any more: each waits for its children, so the tree empties
 *     from the leaves up and nothing is left behind.
 * And one thing for the count: the processes share a small page with how
 * many of them there are and when the wall came, under a lock held around
 * fork(), so that the count is exact when fork() fails.  A real bomb keeps
 * no count.
 *
 * Run alone, with no limit around it, the demo stops at FALLBACK_CAP
 * processes by itself (it says so): it never becomes a real bomb.
 *
 * Timeline at --tempo 1, with a limit of 64: a 2 s pause, then the count
 * doubles every 0.5 s and reaches 64 after about 3 s; 3 s more at the wall;
 * then everyone reaps and exits.
 */
#include "lib/demo.h"

#include <errno.h>
#include <semaphore.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Without forkscope's limit around it, the demo makes this many processes
 * at most, counting itself, and then acts as if fork() had failed. */
#define FALLBACK_CAP 512
/* Whatever happens, no process forks any more this long after the start
 * (seconds, at any --tempo). */
#define MAX_SECONDS 30.0

/* What all the processes share: one page every fork() leaves shared,
 * read and written only under its lock. */
struct shared {
	sem_t lock;          /* held around fork() and the counts */
	int alive;           /* processes of the bomb now, the first included */
	int made;            /* processes made so far, the first included */
	int walls;           /* how many have had a fork() fail */
	double wall_at;      /* when the first fork() failed; -1: not yet */
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct demo_opts o;
	struct shared *sh;
	int me = 1;            /* this process's number: the first is 1 */
	bool hit = false;      /* this process has had a fork() fail */
	double start;

	demo_init(argc, argv, &o);
	demo_title(_("bomb %d"), me);

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED || sem_init(&sh->lock, 1, 1) != 0) {
		fprintf(stderr, _("fork-wall: cannot share a counter (%s)\n"), strerror(errno));
		return 1;
	}
	sh->alive = sh->made = 1;
	sh->walls = 0;
	sh->wall_at = -1;

	printf(_("pid %d, the first process: every process forks in a loop, "
	         "until fork() fails\n"), (int)getpid());
	demo_sleep(2);
	start = now();

	/* while True: os.fork() */
	for (;;) {
		fflush(stdout);         /* else the child would print it again */
		sem_wait(&sh->lock);
		/* a few seconds at the wall are enough; and never past
		 * MAX_SECONDS, wall or not */
		if ((sh->wall_at >= 0 && now() - sh->wall_at >= demo_seconds(3)) ||
		    now() - start >= MAX_SECONDS) {
			sem_post(&sh->lock);
			break;
		}
		/* what the child will be, if it is born: its number, and how
		 * many processes there are with it */
		int next = sh->made + 1, alive = sh->alive + 1;
		bool capped = sh->alive >= FALLBACK_CAP;
		pid_t pid = capped ? -1 : fork();
		int e = errno;
		if (pid == 0) {
			/* the child goes on with the very same loop; the lock is
			 * its parent's to give back */
			me = next;
			demo_title(_("bomb %d"), me);
			printf(_("bomb %d: pid %d born, parent %d: %d processes\n"),
			       me, (int)getpid(), (int)getppid(), alive);
			demo_sleep(0.5);
			continue;
		}
		if (pid > 0) {
			sh->made = next;
			sh->alive = alive;
		}
		bool wall = pid < 0 && !hit, first = false;
		if (wall) {
			/* no room for one more: the wall.  Said once per process;
			 * the loop goes on trying, as the Python's would. */
			hit = true;
			sh->walls++;
			first = sh->wall_at < 0;
			if (first)
				sh->wall_at = now();
		}
		alive = sh->alive;
		sem_post(&sh->lock);

		if (wall && capped)
			printf(_("bomb %d: pid %d: no limit around this demo, so it stops "
			         "itself at %d processes\n"), me, (int)getpid(), alive);
		else if (wall)
			printf(_("bomb %d: pid %d: fork() failed: %s (%s) at %d processes\n"),
			       me, (int)getpid(), strerror(e), e == EAGAIN ? "EAGAIN" : "?", alive);
		if (first && !capped)
			printf("%s\n", _("A real fork bomb fills the whole machine's process "
			                 "table this way: then no one can start a program, not "
			                 "even a shell to kill it."));
		demo_sleep(0.5);
	}

	/* Reap every child: each one reaps its own first, so the tree empties
	 * from the leaves up. */
	while (wait(NULL) > 0)
		continue;
	sem_wait(&sh->lock);
	sh->alive--;
	int walls = sh->walls;
	sem_post(&sh->lock);
	if (me == 1)
		printf(P_("bomb 1: %d process hit the wall; all children reaped, done\n",
		          "bomb 1: %d processes hit the wall; all children reaped, done\n",
		          walls),
		       walls);
	return 0;
}
