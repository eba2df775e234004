/*
 * test_sampler.c - real processes forked by the test, read back from /proc.
 *
 * The test process is the sampler's top (and a subreaper, like forkscope),
 * so what it forks is its watched tree.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libproc2/pids.h>

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

/* ---- the lean tick ------------------------------------------------------ */

/* One stat line parser for every read: it reads what libproc2 reads, for
 * a plain process, a zombie, and a name made to fool a parser. */
CASE(sampler, the_stat_parser_reads_what_libproc2_reads)
{
	pid_t odd = spawn_named("a) b (c) ");
	pid_t zombie = fork();
	cr_assert_geq(zombie, 0);
	if (zombie == 0)
		_exit(7);
	cr_assert(wait_until(is_zombie, &zombie, 5));
	enum pids_item items[] = { PIDS_ID_PID, PIDS_ID_PPID, PIDS_ID_PGRP, PIDS_ID_SESSION,
		                   PIDS_STATE, PIDS_TICS_BEGAN, PIDS_NLWP, PIDS_ADDR_CODE_START,
		                   PIDS_CMD };
	struct pids_info *info = NULL;
	cr_assert_geq(procps_pids_new(&info, items, 9), 0);
	pid_t pids[] = { getpid(), odd, zombie, getppid() };
	for (size_t i = 0; i < sizeof(pids) / sizeof(pids[0]); i++) {
		unsigned one = (unsigned)pids[i];
		struct pids_fetch *got = procps_pids_select(info, &one, 1, PIDS_SELECT_PID);
		cr_assert(got && got->counts->total == 1, "libproc2 reads %d", (int)pids[i]);
		struct pids_stack *st = got->stacks[0];
		unsigned long long start = 0;
		struct procfs_stat mine;
		int dir = procfs_open(pids[i], &start, &mine);
		cr_assert_geq(dir, 0);
		close(dir);
		cr_assert_eq(mine.pid, PIDS_VAL(0, s_int, st, info));
		cr_assert_eq(mine.ppid, PIDS_VAL(1, s_int, st, info));
		cr_assert_eq(mine.pgrp, PIDS_VAL(2, s_int, st, info));
		cr_assert_eq(mine.sid, PIDS_VAL(3, s_int, st, info));
		cr_assert_eq(mine.state, PIDS_VAL(4, s_ch, st, info), "%d: %c", (int)pids[i], mine.state);
		cr_assert_eq(mine.start, PIDS_VAL(5, ull_int, st, info));
		cr_assert_eq(mine.nlwp, PIDS_VAL(6, s_int, st, info));
		cr_assert_eq(mine.code_start, PIDS_VAL(7, ul_int, st, info));
		cr_assert_str_eq(mine.comm, PIDS_VAL(8, str, st, info));
	}
	procps_pids_unref(&info);
	/* the zombie's status, from field 52 */
	unsigned long long start = 0;
	struct procfs_stat z;
	int dir = procfs_open(zombie, &start, &z);
	cr_assert_geq(dir, 0);
	close(dir);
	cr_assert(WIFEXITED(z.exit_code) && WEXITSTATUS(z.exit_code) == 7, "status %d", z.exit_code);
	/* and a line that is no stat line is refused */
	struct procfs_stat junk;
	cr_assert_not(procfs_parse_stat("12 (x", 5, &junk));
	cr_assert_not(procfs_parse_stat("12 (x) S 1 2", 12, &junk));
	kill(odd, SIGKILL);
	waitpid(odd, NULL, 0);
	waitpid(zombie, NULL, 0);
}

/* A child that does what it is told, one letter at a time, on a pipe it
 * reads: 'n' renames it, 'p' opens a pipe and waits on it (read), 'q'
 * opens a pipe and sleeps (in no call on a descriptor), 'e' runs sleep. */
static pid_t spawn_obedient(int *cmd)
{
	int p[2];
	cr_assert_eq(pipe(p), 0);
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		close(p[1]);
		char c;
		while (read(p[0], &c, 1) == 1) {
			int q[2];
			if (c == 'n') {
				prctl(PR_SET_NAME, "renamed-kid");
			} else if (c == 'p' && pipe(q) == 0) {
				read(q[0], &c, 1);
			} else if (c == 'q' && pipe(q) == 0) {
				struct timespec ts = { 60, 0 };
				nanosleep(&ts, NULL);
			} else if (c == 'e') {
				execl("/bin/sleep", "sleep", "60", (char *)NULL);
			}
		}
		_exit(0);
	}
	close(p[0]);
	*cmd = p[1];
	return pid;
}

struct lean {
	struct sampler *s;
	struct frame f;
	pid_t pid;
	const char *comm, *cmd;
	bool pipe;                  /* wait for a pipe held by pid, besides cmd */
	size_t pipes;               /* the pipes pid held when this began */
};

static size_t pipes_held(const struct frame *f, pid_t pid)
{
	size_t n = 0;
	for (size_t i = 0; i < f->nchannels; i++)
		for (int k = 0; k < f->channels[i].nholders; k++)
			n += f->channels[i].kind == CHAN_PIPE && f->channels[i].holders[k] == pid;
	return n;
}

/* A scan, and whether it shows what l waits for. */
static bool lean_shows(void *arg)
{
	struct lean *l = arg;
	sampler_scan(l->s, &l->f);
	const struct proc_sample *p = frame_find(&l->f, l->pid);
	if (!p)
		return false;
	if (l->comm && strcmp(p->comm, l->comm) != 0)
		return false;
	if (l->cmd && strcmp(p->cmd, l->cmd) != 0)
		return false;
	return !l->pipe || pipes_held(&l->f, l->pid) > l->pipes;
}

/* What the news would do: the next readings look for pid. */
static void expect(struct sampler *s, pid_t pid)
{
	unsigned long long start = 0;
	int dir = procfs_open(pid, &start, NULL);
	cr_assert_geq(dir, 0);
	close(dir);
	sampler_expect(s, pid, start);
}

/* Ends the obedient child kid (its pipe *cmd), starts another, told of
 * as the news would, and reads until its first readings are over. */
static pid_t next_obedient(struct lean *l, pid_t kid, int *cmd)
{
	kill(kid, SIGKILL);
	waitpid(kid, NULL, 0);
	close(*cmd);
	kid = spawn_obedient(cmd);
	expect(l->s, kid);
	l->pid = kid;
	l->comm = NULL;
	l->pipe = false;
	cr_assert(wait_until(lean_shows, l, 5), "the next child is seen");
	for (int i = 0; i < 3; i++)
		sampler_scan(l->s, &l->f);
	return kid;
}

/* With the news on (children lists read only for new processes), a
 * process already watched is still seen to rename itself, to open a pipe
 * and wait on it, to open one and sleep, and to exec. */
CASE(sampler, the_lean_tick_sees_a_rename_a_new_pipe_and_an_exec)
{
	int cmd;
	pid_t kid = spawn_obedient(&cmd);
	struct lean l = { .s = new_sampler(getpid()), .pid = kid };
	frame_init(&l.f);
	sampler_set_news(l.s, true);
	expect(l.s, kid);
	cr_assert(wait_until(lean_shows, &l, 5), "the child is seen");
	/* first sight is over: the lean readings from here on */
	for (int i = 0; i < 3; i++)
		sampler_scan(l.s, &l.f);

	cr_assert_eq(write(cmd, "n", 1), 1);
	l.comm = "renamed-kid";
	cr_assert(wait_until(lean_shows, &l, 5), "the rename is seen: %s",
	          frame_find(&l.f, kid) ? frame_find(&l.f, kid)->comm : "(gone)");

	l.pipes = pipes_held(&l.f, kid);
	l.pipe = true;
	cr_assert_eq(write(cmd, "p", 1), 1);
	cr_assert(wait_until(lean_shows, &l, 5), "a pipe it opened and waits on is seen");
	/* a pipe opened by a process that then sleeps elsewhere: listed again
	 * once it ran, within CHANNELS_RELIST_SECS */
	kid = next_obedient(&l, kid, &cmd);
	l.pipes = pipes_held(&l.f, kid);
	l.pipe = true;
	cr_assert_eq(write(cmd, "q", 1), 1);
	cr_assert(wait_until(lean_shows, &l, 5), "a pipe it opened before sleeping is seen");

	/* it sleeps for good: a new child, for an exec */
	kid = next_obedient(&l, kid, &cmd);
	cr_assert_eq(write(cmd, "e", 1), 1);
	l.comm = "sleep";
	l.cmd = "sleep 60";
	cr_assert(wait_until(lean_shows, &l, 5), "the exec is seen: %s",
	          frame_find(&l.f, kid) ? frame_find(&l.f, kid)->cmd : "(gone)");
	cr_assert_str_eq(frame_find(&l.f, kid)->exe, "/usr/bin/sleep");
	kill(kid, SIGKILL);
	waitpid(kid, NULL, 0);
	close(cmd);
	frame_release(&l.f);
	sampler_free(l.s);
}

/* A child made with the PID a gone child of the tree had. */
static pid_t newcomer_with_pid(pid_t want)
{
	pid_t pid = fork_with_pid(want);
	if (pid == 0) {
		prctl(PR_SET_NAME, "newcomer");
		for (;;)
			pause();
	}
	return pid;
}

static bool named_newcomer(void *arg)
{
	char path[64], comm[32] = "";
	snprintf(path, sizeof(path), "/proc/%d/comm", *(pid_t *)arg);
	FILE *in = fopen(path, "re");
	if (in) {
		if (!fgets(comm, sizeof(comm), in))
			comm[0] = '\0';
		fclose(in);
	}
	return strcmp(comm, "newcomer\n") == 0;
}

/* Whether the clock, in the ticks start times count, is past *arg. */
static bool ticks_past(void *arg)
{
	struct timespec ts;
	clock_gettime(CLOCK_BOOTTIME, &ts);
	double ticks = ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9) * (double)sysconf(_SC_CLK_TCK);
	return ticks > (double)*(unsigned long long *)arg + 1.0;
}

/* A PID watched once, then given to a new child between two readings: the
 * reading shows the new process (its own start and name), not the old. */
CASE(sampler, a_pid_reused_by_a_new_child_is_a_new_process)
{
	struct sampler *s = new_sampler(getpid());
	struct frame f;
	frame_init(&f);
	pid_t old = spawn_named("old-one");
	sampler_scan(s, &f);
	sampler_scan(s, &f);
	const struct proc_sample *p = frame_find(&f, old);
	cr_assert_not_null(p);
	cr_assert_str_eq(p->comm, "old-one");
	unsigned long long old_start = p->start;
	kill(old, SIGKILL);
	waitpid(old, NULL, 0);
	/* a clock tick later at least (start times count them) */
	cr_assert(wait_until(ticks_past, &old_start, 5));
	pid_t again = newcomer_with_pid(old);
	cr_assert(wait_until(named_newcomer, &again, 5));
	sampler_scan(s, &f);
	p = frame_find(&f, old);
	cr_assert_not_null(p, "the new process is read");
	cr_assert_str_eq(p->comm, "newcomer");
	cr_assert_neq(p->start, old_start, "with its own start time");
	kill(again, SIGKILL);
	waitpid(again, NULL, 0);
	frame_release(&f);
	sampler_free(s);
}

static size_t fds_open(void)
{
	size_t n = 0;
	DIR *d = opendir("/proc/self/fd");
	cr_assert_not_null(d);
	struct dirent *de;
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

/* 10,000 short lives, read as they come: each process's kept descriptors
 * go with it, and the tree at the end is what is left. */
CASE(sampler, ten_thousand_short_lives_leave_no_descriptor_behind)
{
	struct sampler *s = new_sampler(getpid());
	struct frame f;
	frame_init(&f);
	/* (what a process keeps is opened over its first readings) */
	for (int i = 0; i < 3; i++)
		sampler_scan(s, &f);
	size_t before = fds_open();
	int go[2];
	cr_assert_eq(pipe(go), 0);
	pid_t churn = fork();
	cr_assert_geq(churn, 0);
	if (churn == 0) {
		close(go[1]);
		char c;
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		/* vfork(): 10,000 lives in a second or so, where fork() takes
		 * milliseconds each on some machines */
		for (int i = 0; i < 10000; i++) {
			pid_t kid = vfork();
			if (kid == 0)
				_exit(0);
			if (kid < 0 || waitpid(kid, NULL, 0) != kid)
				_exit(2);
		}
		_exit(0);
	}
	close(go[0]);
	size_t readings = 0, most = 0;
	cr_assert_eq(write(go[1], "x", 1), 1);
	close(go[1]);
	int status = 0;
	while (waitpid(churn, &status, WNOHANG) == 0) {
		sampler_scan(s, &f);
		readings++;
		most = f.nprocs > most ? f.nprocs : most;
	}
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the churn ran: %d", status);
	sampler_scan(s, &f);
	cr_assert_eq(f.nprocs, 1, "only the top is left, not %zu", f.nprocs);
	cr_assert_not_null(frame_find(&f, getpid()));
	cr_assert_geq(most, 2, "the churn was read while it ran (%zu readings)", readings);
	size_t after = fds_open();
	cr_assert_leq(after, before, "%zu descriptors open after, %zu before", after, before);
	frame_release(&f);
	sampler_free(s);
}

struct watch_one {
	struct sampler *s;
	struct frame f;
	pid_t pid;
	char state;
};

static bool scanned_in_state(void *arg)
{
	struct watch_one *w = arg;
	sampler_scan(w->s, &w->f);
	const struct proc_sample *p = frame_find(&w->f, w->pid);
	return p && p->state == w->state;
}

/* Whether the clock is past the monotonic time *arg. */
static bool past(void *arg)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9 > *(double *)arg;
}

/* A process on a CPU at one reading can exit without being put on a CPU
 * again (its count of runs stays): the next reading still reads it. */
CASE(sampler, a_process_seen_running_is_read_again_when_it_exits)
{
	int p[2];
	cr_assert_eq(pipe2(p, O_NONBLOCK), 0);
	pid_t kid = fork();
	cr_assert_geq(kid, 0);
	if (kid == 0) {
		/* (real-time, as root: not put off its CPU by others, so it is
		 * not put on one again either; as anyone else, the same test on
		 * a quiet machine) */
		struct sched_param sp = { .sched_priority = 1 };
		sched_setscheduler(0, SCHED_FIFO, &sp);
		char c;
		close(p[1]);
		while (read(p[0], &c, 1) != 1)
			;       /* on its CPU until told */
		_exit(5);
	}
	close(p[0]);
	struct watch_one w = { .s = new_sampler(getpid()), .pid = kid, .state = 'R' };
	frame_init(&w.f);
	/* past its first second, when every reading reads a process whole */
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	double at = (double)t.tv_sec + (double)t.tv_nsec / 1e9 + 1.3;
	sampler_scan(w.s, &w.f);
	cr_assert(wait_until(past, &at, 5));
	cr_assert(wait_until(scanned_in_state, &w, 5), "seen running");
	cr_assert_eq(write(p[1], "x", 1), 1);
	cr_assert(wait_until(is_zombie, &kid, 5));
	sampler_scan(w.s, &w.f);
	const struct proc_sample *ps = frame_find(&w.f, kid);
	cr_assert_not_null(ps);
	cr_assert_eq(ps->state, 'Z', "the next reading shows the zombie, not '%c'", ps->state);
	cr_assert(WIFEXITED(ps->exit_code) && WEXITSTATUS(ps->exit_code) == 5);
	close(p[1]);
	waitpid(kid, NULL, 0);
	frame_release(&w.f);
	sampler_free(w.s);
}
