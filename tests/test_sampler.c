/*
 * test_sampler.c - real processes forked by the test, read back from /proc.
 *
 * The test process is the sampler's top (and a subreaper, like forkscope),
 * so what it forks is its watched tree.
 */
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "procfs.h"
#include "sampler.h"

TestSuite(sampler, .timeout = 30, .fini = helpers_cleanup);

static struct sampler *new_sampler(pid_t top)
{
	char err[256] = "";
	struct sampler *s = sampler_new(top, err, sizeof(err));
	cr_assert_not_null(s, "%s", err);
	return s;
}

static bool is_zombie(void *arg)
{
	return proc_state(*(pid_t *)arg) == 'Z';
}

static bool is_gone(void *arg)
{
	return proc_state(*(pid_t *)arg) == 0;
}

/* A child that names itself and then blocks until killed. */
static pid_t spawn_named(const char *name)
{
	int ready[2];
	cr_assert_eq(pipe(ready), 0);
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		prctl(PR_SET_NAME, name);
		close(ready[0]);
		if (write(ready[1], "x", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(ready[1]);
	char c;
	cr_assert_eq(read(ready[0], &c, 1), 1);
	close(ready[0]);
	return pid;
}

CASE(sampler, reads_a_zombie_it_holds)
{
	pid_t child = fork();
	cr_assert_geq(child, 0);
	if (child == 0)
		_exit(3);
	cr_assert(wait_until(is_zombie, &child, 5), "the child never became a zombie");

	struct sampler *s = new_sampler(getpid());
	struct frame f;
	frame_init(&f);
	sampler_scan(s, &f);
	cr_assert_eq(f.self, getpid());
	const struct proc_sample *p = frame_find(&f, child);
	cr_assert_not_null(p, "the zombie is in the frame");
	cr_assert_eq(p->state, 'Z');
	cr_assert_eq(p->ppid, getpid());
	cr_assert(WIFEXITED(p->exit_code) && WEXITSTATUS(p->exit_code) == 3,
	          "exit code field 52 holds status 3, got %d", p->exit_code);
	cr_assert_not_null(frame_find(&f, getpid()), "the top is in the frame");

	int status;
	cr_assert_eq(waitpid(child, &status, 0), child);
	sampler_scan(s, &f);
	cr_assert_null(frame_find(&f, child), "reaped: gone from the next frame");
	frame_release(&f);
	sampler_free(s);
}

static void *hold(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static void *fork_from_thread(void *arg)
{
	pid_t *out = arg;
	pid_t pid = fork();
	if (pid == 0) {
		prctl(PR_SET_NAME, "thread-child");
		for (;;)
			pause();
	}
	*out = pid;
	return NULL;
}

/* The child runs 3 threads and forks a grandchild from a non-main thread:
 * that grandchild is only in that thread's children list. */
CASE(sampler, threads_and_their_children)
{
	int ready[2];
	cr_assert_eq(pipe(ready), 0);
	pid_t child = fork();
	cr_assert_geq(child, 0);
	if (child == 0) {
		pthread_t t1, t2;
		pid_t grandchild = 0;
		pthread_create(&t1, NULL, hold, NULL);
		pthread_create(&t2, NULL, fork_from_thread, &grandchild);
		pthread_join(t2, NULL);
		pthread_create(&t2, NULL, hold, NULL);
		if (write(ready[1], &grandchild, sizeof(grandchild)) != sizeof(grandchild))
			_exit(1);
		for (;;)
			pause();
	}
	close(ready[1]);
	pid_t grandchild = 0;
	cr_assert_eq(read(ready[0], &grandchild, sizeof(grandchild)), sizeof(grandchild));
	close(ready[0]);

	struct sampler *s = new_sampler(getpid());
	struct frame f;
	frame_init(&f);
	sampler_scan(s, &f);
	const struct proc_sample *p = frame_find(&f, child);
	cr_assert_not_null(p);
	cr_assert_eq(p->nlwp, 3, "main thread and two more: %d", p->nlwp);
	/* the forking thread has exited, so the grandchild was re-parented to
	 * the thread group: it must still be found, and its parent is the child */
	const struct proc_sample *g = frame_find(&f, grandchild);
	cr_assert_not_null(g, "the grandchild forked from a thread is found");
	cr_assert_eq(g->ppid, child);
	/* a second scan uses the thread count it learned: same result */
	sampler_scan(s, &f);
	cr_assert_not_null(frame_find(&f, grandchild));
	cr_assert_eq(f.nthreads, 0, "threads are listed only when asked for");
	/* asked for: the two threads beside the main one, under their process */
	sampler_set_threads(s, true);
	sampler_scan(s, &f);
	size_t mine = 0;
	for (size_t i = 0; i < f.nthreads; i++)
		if (f.threads[i].pid == child && f.threads[i].tid != child)
			mine++;
	cr_assert_eq(mine, 2, "two more threads in the child, found %zu", mine);

	kill(grandchild, SIGKILL);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	/* the grandchild's parent is gone: it is ours to reap now */
	waitpid(grandchild, NULL, 0);
	frame_release(&f);
	sampler_free(s);
}

/* The top's child forks a grandchild and exits: the grandchild is an orphan,
 * adopted by the test process (a subreaper), outside the sampler's subtree.
 * It is still read, because it was seen before. */
CASE(sampler, follows_an_orphan_out_of_the_subtree)
{
	int up[2], down[2];
	cr_assert_eq(pipe(up), 0);
	cr_assert_eq(pipe(down), 0);
	pid_t middle = fork();
	cr_assert_geq(middle, 0);
	if (middle == 0) {
		pid_t g = fork();
		if (g == 0) {
			/* named first, then reported: the test reads it named */
			prctl(PR_SET_NAME, "orphan");
			g = getpid();
			if (write(up[1], &g, sizeof(g)) != sizeof(g))
				_exit(1);
			for (;;)
				pause();
		}
		/* wait to be told to go */
		char c;
		if (read(down[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	pid_t g;
	cr_assert_eq(read(up[0], &g, sizeof(g)), (ssize_t)sizeof(g));

	struct sampler *s = new_sampler(middle);
	struct frame f;
	frame_init(&f);
	sampler_scan(s, &f);
	cr_assert_not_null(frame_find(&f, g), "the grandchild is in middle's subtree");
	cr_assert_eq(frame_find(&f, g)->ppid, middle);

	cr_assert_eq(write(down[1], "x", 1), 1);
	int status;
	cr_assert_eq(waitpid(middle, &status, 0), middle);
	sampler_scan(s, &f);
	cr_assert_null(frame_find(&f, middle), "middle is gone");
	const struct proc_sample *p = frame_find(&f, g);
	cr_assert_not_null(p, "the orphan is still read after leaving the subtree");
	cr_assert_eq(p->ppid, getpid(), "adopted by the subreaper");
	cr_assert_str_eq(p->comm, "orphan");

	kill(g, SIGKILL);
	waitpid(g, NULL, 0);
	frame_release(&f);
	sampler_free(s);
}

CASE(sampler, names_identity_and_vanishing)
{
	pid_t a = spawn_named("alpha");
	pid_t b = spawn_named("beta");
	struct sampler *s = new_sampler(getpid());
	struct frame f;
	frame_init(&f);
	cr_assert_geq(sampler_scan(s, &f), 3);
	const struct proc_sample *pa = frame_find(&f, a), *pb = frame_find(&f, b);
	cr_assert_not_null(pa);
	cr_assert_not_null(pb);
	cr_assert_str_eq(pa->comm, "alpha");
	cr_assert_str_eq(pb->comm, "beta");
	cr_assert_neq(pa->start, 0ULL, "the start time is read");
	cr_assert_eq(pa->pgrp, getpgrp());
	cr_assert_eq(pa->sid, getsid(0));
	cr_assert_neq(pa->exe[0], '\0', "the exe link is read");
	/* sorted by start time: the test process comes before its children */
	cr_assert_eq(f.procs[0].pid, getpid());

	/* b is killed and reaped: it is simply absent, and a is still read */
	kill(b, SIGKILL);
	waitpid(b, NULL, 0);
	cr_assert(wait_until(is_gone, &b, 5));
	sampler_scan(s, &f);
	cr_assert_null(frame_find(&f, b));
	cr_assert_not_null(frame_find(&f, a));

	kill(a, SIGKILL);
	waitpid(a, NULL, 0);
	frame_release(&f);
	sampler_free(s);
}

/* Many children dying while the sampler reads: every frame is consistent
 * (no half-read process, no crash) whatever vanishes mid-read. */
CASE(sampler, survives_processes_vanishing_mid_read)
{
	enum { N = 40 };
	pid_t kids[N];
	for (int i = 0; i < N; i++) {
		kids[i] = fork();
		cr_assert_geq(kids[i], 0);
		if (kids[i] == 0) {
			/* each lives a different short while */
			struct timespec ts = { 0, (long)(i % 10) * 3 * 1000 * 1000 };
			nanosleep(&ts, NULL);
			_exit(0);
		}
	}
	struct sampler *s = new_sampler(getpid());
	struct frame f;
	frame_init(&f);
	for (int round = 0; round < 50; round++) {
		sampler_scan(s, &f);
		for (size_t i = 0; i < f.nprocs; i++) {
			cr_assert_gt(f.procs[i].pid, 0);
			cr_assert_neq(f.procs[i].state, '\0');
		}
		int status;
		while (waitpid(-1, &status, WNOHANG) > 0)
			;
	}
	for (int i = 0; i < N; i++)
		waitpid(kids[i], NULL, 0);
	frame_release(&f);
	sampler_free(s);
}

CASE(sampler, a_gone_process_opens_nothing)
{
	unsigned long long start = 0;
	cr_assert_eq(procfs_open(999999999, &start, NULL), -1);
	pid_t kids[4];
	cr_assert_eq(children_of(999999999, 1, kids, 4), 0);
	cr_assert_eq(children_of(999999999, 0, kids, 4), 0);
}
