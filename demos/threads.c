/*
 * threads - threads share their process's memory; child processes don't.
 *
 * No Python in the notes mirrors this one; it shows the notes' two words
 * PID (进程号, process ID) and TID (线程号, thread ID) side by side.
 *
 * One process (title "parent") runs 3 threads, "thread 1".."thread 3".
 * Threads live inside one process: they have the same PID, each has its own
 * TID, and they share one counter: each adds 1 to the same variable, so
 * it reads 1, then 2, then 3.  (A mutex makes each "read, add 1, write
 * back" happen as one step, or two threads could both read 1 and both
 * write 2.)
 *
 * Beside them run 3 child processes, "child 1".."child 3".  Each child got
 * its own copy of the counter at fork(), so each one's count goes 0 -> 1,
 * whatever the others do.
 *
 * In forkscope the parent shows as one process with 3 extra threads, and
 * the children as 3 separate processes.
 *
 * Timeline at --tempo 1: the parent alone for 2 s, then children and
 * threads alive together for about 9 s, then the parent alone for 2 s.
 */
#include "lib/demo.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define COUNT 3                 /* threads, and also child processes */

/*
 * One global counter, used by both the threads and the child processes,
 * to show the difference:
 *   - the threads all live in the parent process, so they share this one
 *     variable: each +1 is seen by all of them, and it ends at 3;
 *   - each child process got its own copy of it at fork() (like of every
 *     variable), so its +1 changes only its copy: each child sees 1, and
 *     the parent's counter is not touched.
 * The lock makes a thread's "read, add 1, write back" one step, or two
 * threads could both read 1 and both write 2.  The children need no lock:
 * nobody else touches their copy.
 */
static int counter = 0;
static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;

/* A thread's TID; SYS_gettid works with any C library version. */
static pid_t tid(void)
{
	return (pid_t)syscall(SYS_gettid);
}

static void *thread_main(void *p)
{
	int number = *(const int *)p;   /* 1..COUNT */
	char name[16];              /* thread names: 15 chars at most */
	int seen;

	snprintf(name, sizeof name, "thread %d", number);
	pthread_setname_np(pthread_self(), name);
	demo_sleep(0.5 * number);   /* start one after another */

	/* The one counter all threads of this process share. */
	pthread_mutex_lock(&counter_lock);
	counter += 1;
	seen = counter;
	pthread_mutex_unlock(&counter_lock);

	printf(_("thread %d: TID %d, PID %d, the counter the threads share is now %d\n"),
	       number, (int)tid(), (int)getpid(), seen);
	demo_sleep(8 - 0.5 * number);   /* stay so they can be counted */
	return NULL;
}

int main(int argc, char **argv)
{
	struct demo_opts o;
	int numbers[COUNT];         /* each thread's number, 1..COUNT */
	pthread_t threads[COUNT];
	int nthreads = 0;
	pid_t pid, w;

	demo_init(argc, argv, &o);
	demo_title(_("parent"));
	printf(_("parent: PID %d, TID %d (a process's first thread has TID = PID)\n"),
	       (int)getpid(), (int)tid());
	demo_sleep(2);

	/*
	 * Fork the children BEFORE starting any thread.  fork() copies only
	 * the thread that calls it, so forking a process with other threads
	 * could copy a mutex some other thread holds, locked for good.
	 */
	for (int i = 1; i <= COUNT; i++) {
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
			demo_title(_("child %d"), i);
			demo_sleep(0.5 * i);
			counter += 1;   /* our own copy: nobody else sees it */
			printf(_("child %d: PID %d, my own copy of the counter is now %d\n"),
			       i, (int)getpid(), counter);
			demo_sleep(8.5 - 0.5 * i);
			exit(0);
		}
	}

	for (int i = 0; i < COUNT; i++) {
		int err;

		numbers[i] = i + 1;
		err = pthread_create(&threads[i], NULL, thread_main, &numbers[i]);
		if (err != 0) {
			fprintf(stderr, "pthread_create: %s\n", strerror(err));
			break;
		}
		nthreads++;
	}

	/* Wait for our threads (join), then for our children (reap). */
	for (int i = 0; i < nthreads; i++)
		pthread_join(threads[i], NULL);
	printf(_("parent: threads done, the counter they shared is %d (each child saw only its own copy, 1)\n"),
	       counter);
	while ((w = wait(NULL)) > 0)
		printf(_("parent: reaped child process %d\n"), (int)w);

	demo_sleep(2);
	printf(_("parent: exiting\n"));
	return 0;
}
