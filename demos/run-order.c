/*
 * run-order - after fork(), who runs first: the parent or the child?
 *
 * No Python in the notes mirrors this one; it checks the notes' claim
 * (##### 概念: concepts):
 *
 *     父进程和子进程哪个先执行不一定
 *     (whether the parent or the child runs first is not fixed)
 *
 * In Python each round would be:
 *
 *     pid = os.fork()
 *     if pid == 0:
 *         work(child_ms); print("child")
 *         os._exit(0)
 *     work(parent_ms); print("parent")
 *     os.waitpid(pid, 0)
 *
 * where work(ms) loops until time.process_time() has grown by ms / 1000.
 *
 * Ten rounds, one at a time: fork, parent and child each do some work and
 * print one line, the parent waits for the child, next round.
 *
 * Who gets there first is a race, and the work is one thing that decides
 * it.  With no work at all the parent nearly always wins: it is already
 * running on a CPU when fork() returns, while the child must first be
 * started on one and name itself (about 2 ms on this 2-CPU machine; with
 * one CPU it waits until the parent's time slice ends, 2 to 3 ms).  So
 * each round gives each side a different amount of work before it
 * prints: a busy loop that runs until the process has used that many
 * milliseconds of CPU time (not a sleep, and not a count of loop turns,
 * which would take longer on a slower machine).  Some rounds give the
 * parent far more work than the child needs to start, some give it to
 * the child, and a few are close races that go either way; the plan
 * below says which.
 *
 * To tell who got there first, the first thing each of them does after
 * its work is to take a ticket, a number, from one counter in memory that
 * both processes share: an atomic fetch-and-add hands out 0 to the first
 * taker and 1 to the second, even if both take one at the very same
 * moment.  The ticket, not the screen, decides who ran first: on a
 * machine with several CPUs the two lines can reach the terminal in the
 * other order, since printing comes after.  Nothing else decides the
 * verdict: the round's line and the tally only count the tickets.
 *
 * The counter must live in memory mapped MAP_SHARED: ordinary memory is
 * copied at fork(), and then each process would count on its own copy.
 *
 * Timeline at --tempo 1: 2 s before the first round, then 1.2 s per
 * round (the child stays 0.5 s, then 0.7 s between rounds): 14 s in all.
 * The work is at most 30 ms a round, whatever the tempo.
 */
#include "lib/demo.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS 10

/* Atomics work between processes only if they are lock-free. */
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "atomic_int must be lock-free");

struct order_page {
	atomic_int ticket;          /* next ticket to hand out: 0, then 1 */
};

/* How long each side works, in milliseconds of CPU time, before it takes
 * its ticket.  The comments say what a round gave most often on a 2-CPU
 * machine (the README has the counts); the ticket says what it gave this
 * time. */
static const struct {
	double parent_ms, child_ms;
} plan[ROUNDS] = {
	{  0,    0 },     /* no work: the parent, already running */
	{ 30,    0 },     /* the parent works long: the child */
	{  0,   30 },     /* the child works long: the parent */
	{ 10,    0 },     /* the child */
	{  0,   10 },     /* the parent */
	{  5,    5 },     /* the same work: the parent, by its head start */
	{  2,    0 },     /* about the child's start: a close race */
	{  3,    0 },     /* a close race, most often the child */
	{  1,    0 },     /* a close race, most often the parent */
	{  2.5,  0 },     /* a close race, most often the child */
};

/* This process's CPU time so far, in milliseconds. */
static double cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* A busy loop: runs until this process has used ms more milliseconds of
 * CPU.  Time spent waiting for a CPU does not count, so the work is the
 * same on a busy machine as on an idle one. */
static void work(double ms)
{
	double start = cpu_ms();

	while (cpu_ms() - start < ms)
		;
}

int main(int argc, char **argv)
{
	struct demo_opts o;
	struct order_page *page;
	int parent_first = 0, child_first = 0;
	pid_t pid;
	int mine;

	demo_init(argc, argv, &o);
	demo_title(_("parent"));

	/* One page of memory that stays shared after fork(). */
	page = mmap(NULL, sizeof *page, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	atomic_init(&page->ticket, 0);

	printf(_("parent: pid %d, %d rounds of fork, one at a time\n"),
	       (int)getpid(), ROUNDS);
	printf(_("parent: each round, parent and child each work for a set CPU time (a busy loop), then take a ticket (a number) from one shared counter: ticket 0 = ran first\n"));
	printf(_("parent: the work changes from round to round; the CPUs and the scheduler decide the rest, and the two lines may still print in the other order\n"));
	demo_sleep(2);

	for (int round = 1; round <= ROUNDS; round++) {
		double parent_ms = plan[round - 1].parent_ms;
		double child_ms = plan[round - 1].child_ms;

		atomic_store(&page->ticket, 0);     /* fresh tickets */
		/* TRANSLATORS: %g ms is a time in milliseconds, such as 0.5 or 30 */
		printf(_("round %d: the parent works %g ms, the child %g ms\n"),
		       round, parent_ms, child_ms);

		/*
		 * Flush stdout before fork(): the child gets a copy of the
		 * stdio buffer, so a line still in it would be printed twice.
		 */
		fflush(stdout);
		pid = fork();
		if (pid < 0) {
			perror("fork");
			break;
		}

		if (pid == 0) {
			demo_title(_("child %d"), round);
			work(child_ms);
			mine = atomic_fetch_add(&page->ticket, 1);
			/* TRANSLATORS: a ticket is a number from a shared counter: 0 = ran first */
			printf(_("round %d: child took ticket %d\n"), round, mine);
			demo_sleep(0.5);    /* stay a moment to be seen */
			exit(0);
		}

		work(parent_ms);
		mine = atomic_fetch_add(&page->ticket, 1);
		printf(_("round %d: parent took ticket %d\n"), round, mine);

		/* Reap this round's child before the next round. */
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;

		/* Ticket 0 went to whoever ran first. */
		if (mine == 0) {
			parent_first++;
			printf(_("round %d: parent ran first\n"), round);
		} else {
			child_first++;
			printf(_("round %d: child ran first\n"), round);
		}
		demo_sleep(0.7);
	}

	/* Two whole sentences, and no "%d times", which would be wrong
	 * English for 1. */
	if (parent_first == 0 || child_first == 0)
		printf(_("the parent ran first in %d of the %d rounds, the child in %d: one side won every time here, but that is not guaranteed\n"),
		       parent_first, parent_first + child_first, child_first);
	else
		printf(_("the parent ran first in %d of the %d rounds, the child in %d: the order is not fixed\n"),
		       parent_first, parent_first + child_first, child_first);
	munmap(page, sizeof *page);
	return 0;
}
