/*
 * run-order - after fork(), who runs first: the parent or the child?
 *
 * No Python in the notes mirrors this one; it checks the notes' claim
 * (##### 概念: concepts):
 *
 *     父进程和子进程哪个先执行不一定
 *     (whether the parent or the child runs first is not fixed)
 *
 * Ten rounds, one at a time: fork, parent and child each print one line,
 * the parent waits for the child, next round.  To tell who ran first, the
 * first thing each of them does after fork() is to take a ticket, a
 * number, from one counter in memory that both processes share: an atomic
 * fetch-and-add hands out 0 to the first taker and 1 to the second, even
 * if both take one at the very same moment.  The ticket, not the screen,
 * decides who ran first: on a machine with several CPUs the two lines can
 * reach the terminal in the other order, since printing comes after.
 *
 * The counter must live in memory mapped MAP_SHARED: ordinary memory is
 * copied at fork(), and then each process would count on its own copy.
 *
 * Timeline at --tempo 1: 2 s before the first round, then 1.5 s per round
 * (the child stays 0.5 s, then 1 s between rounds): 17 s in all.
 */
#include "lib/demo.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define ROUNDS 10

/* Atomics work between processes only if they are lock-free. */
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "atomic_int must be lock-free");

struct order_page {
	atomic_int ticket;          /* next ticket to hand out: 0, then 1 */
};

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
	printf(_("parent: each round, parent and child first take a ticket (a number) from one shared counter: ticket 0 = ran first; their lines may still print in the other order\n"));
	demo_sleep(2);

	for (int round = 1; round <= ROUNDS; round++) {
		atomic_store(&page->ticket, 0);     /* fresh tickets */

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
			mine = atomic_fetch_add(&page->ticket, 1);
			/* TRANSLATORS: a ticket is a number from a shared counter: 0 = ran first */
			printf(_("round %d: child took ticket %d\n"), round, mine);
			demo_sleep(0.5);    /* stay a moment to be seen */
			exit(0);
		}

		mine = atomic_fetch_add(&page->ticket, 1);
		printf(_("round %d: parent took ticket %d\n"), round, mine);

		/* Reap this round's child before the next round. */
		if (waitpid(pid, NULL, 0) < 0)
			perror("waitpid");

		/* Ticket 0 went to whoever ran first. */
		if (mine == 0) {
			parent_first++;
			printf(_("round %d: parent ran first\n"), round);
		} else {
			child_first++;
			printf(_("round %d: child ran first\n"), round);
		}
		demo_sleep(1);
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
