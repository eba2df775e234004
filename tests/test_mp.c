/*
 * test_mp.c - the multiprocessing scenarios through the real forkscope:
 * pools, queues and joins, seen from /proc alone.
 *
 * After every case, on top of the process check: no message queue named
 * like the demos' ("/fs-...") and no temporary folder of theirs is left.
 */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

TestSuite(mp, .timeout = 120, .fini = helpers_cleanup);

#define MP_TASKS 10     /* the tasks of pool and pool-blocking */

/* Names in dir starting with prefix, written into buf. */
static int leftovers(const char *dir, const char *prefix, char *buf, size_t len)
{
	DIR *d = opendir(dir);
	int n = 0;

	buf[0] = '\0';
	if (!d)
		return 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, prefix, strlen(prefix)) != 0)
			continue;
		size_t used = strlen(buf);
		snprintf(buf + used, len - used, " %s/%s", dir, de->d_name);
		n++;
	}
	closedir(d);
	return n;
}

/* No queue and no temporary folder of a demo of this run is left. */
static void assert_clean(pid_t forkscope)
{
	char found[1024], prefix[64];
	(void)forkscope;
	/* /dev/mqueue lists the POSIX queues when it is mounted; mq_open works
	 * without it, so an unmounted one proves nothing and is skipped */
	snprintf(prefix, sizeof(prefix), "fs-");
	cr_assert_eq(leftovers("/dev/mqueue", prefix, found, sizeof(found)), 0,
	             "queues left behind:%s", found);
	cr_assert_eq(leftovers("/tmp", "fs-file-copy-", found, sizeof(found)), 0,
	             "folders left behind:%s", found);
}

static struct json_object *run_ok(struct run *r, const char *const *argv)
{
	run_forkscope(r, 100, argv);
	cr_assert_eq(r->status, 0, "exit code %d; stderr: %s", r->status, r->err);
	struct json_object *end = r->ev[r->nev - 1];
	cr_assert_str_eq(jstr(end, "event"), "end");
	cr_assert_eq(run_count(r, "spawn"), run_count(r, "reap"), "every process was reaped");
	assert_clean(r->pid);
	return end;
}

/* The largest and the last fill of the queue whose name contains part. */
static void fills(const struct run *r, const char *part, long *max, long *last, long *capacity)
{
	*max = -1;
	*last = -1;
	*capacity = -1;
	for (size_t i = 0; i < r->nev; i++) {
		if (strcmp(jstr(r->ev[i], "event"), "queue") != 0 || !strstr(jstr(r->ev[i], "name"), part))
			continue;
		long f = jint(r->ev[i], "fill");
		if (f > *max)
			*max = f;
		*last = f;
		*capacity = jint(r->ev[i], "capacity");
	}
}

static bool blocked_on(const struct run *r, const char *on, long pid)
{
	for (size_t i = 0; i < r->nev; i++)
		if (strcmp(jstr(r->ev[i], "event"), "blocked") == 0 &&
		    strcmp(jstr(r->ev[i], "on"), on) == 0 && (pid < 0 || jint(r->ev[i], "pid") == pid))
			return true;
	return false;
}

CASE(mp, pool_of_three_runs_ten_tasks)
{
	struct run r;
	/* a fine polling interval, so even a short task is seen in a title */
	const char *argv[] = { "--json", "--tempo", "0.5", "--interval", "20", "pool", NULL };
	struct json_object *end = run_ok(&r, argv);
	cr_assert_eq(jint(end, "processes"), 4, "the parent and 3 workers, reused: %ld",
	             jint(end, "processes"));
	/* every task shows in some worker's title */
	bool seen[16] = { false };
	for (size_t i = 0; i < r.nev; i++) {
		const char *title = jstr(r.ev[i], "title");
		const char *task = strstr(title, "task ");
		if (strcmp(jstr(r.ev[i], "event"), "title") == 0 && task) {
			int k = atoi(task + 5);
			if (k >= 0 && k < 16)
				seen[k] = true;
		}
	}
	int distinct = 0;
	for (int k = 0; k < 16; k++)
		distinct += seen[k];
	cr_assert_eq(distinct, 10, "10 tasks in the workers' titles, saw %d", distinct);
	long max, last, cap;
	fills(&r, "tasks", &max, &last, &cap);
	cr_assert_gt(max, 0, "the task queue held tasks");
	cr_assert_eq(last, 0, "and drained to 0");
	cr_assert_not_null(run_output(&r, "----start----"));
	cr_assert_not_null(run_output(&r, "-----end-----"));
	run_free(&r);
}

/* The distinct tasks that some worker had started by time t: the "worker
 * N: task K" titles (the kernel's news, stamped when the worker renamed
 * itself, just after it took the task off the queue) at or before t. */
static int tasks_started(const struct run *r, double t)
{
	bool seen[MP_TASKS] = { false };
	int n = 0;

	for (size_t i = 0; i < r->nev; i++) {
		const char *task = strstr(jstr(r->ev[i], "title"), "task ");
		if (strcmp(jstr(r->ev[i], "event"), "title") != 0 || !task || jnum(r->ev[i], "t") > t)
			continue;
		int k = atoi(task + 5);
		if (k >= 0 && k < MP_TASKS && !seen[k]) {
			seen[k] = true;
			n++;
		}
	}
	return n;
}

/* Each worker of the run ended by exit(0), not by a signal. */
static void assert_workers_exit_0(const struct run *r, long root)
{
	int workers = 0;

	for (size_t i = 0; i < r->nev; i++)
		if (strcmp(jstr(r->ev[i], "event"), "exit") == 0 && jint(r->ev[i], "ppid") == root) {
			cr_assert_eq(jint(r->ev[i], "status"), 0, "a worker's end: %s",
			             json_object_to_json_string(r->ev[i]));
			cr_assert_eq(jint(r->ev[i], "signal"), -1, "a worker's end: %s",
			             json_object_to_json_string(r->ev[i]));
			workers++;
		}
	cr_assert_eq(workers, 3, "3 workers ended (%d)", workers);
}

/*
 * The task queue's gauge means "tasks waiting for a worker": join() stops
 * the workers with no message on it.  A reading stamped t took the fill a
 * little before t (while it read /proc), so it is compared with the tasks
 * started by t - READ_SLACK: every reading's fill <= 10 - started, which a
 * "stop" message queued behind the tasks breaks (it showed 10/10 with 3
 * tasks running, 1/10 with all 10 started).  And it counts every task
 * still waiting: once the parent is seen in join() (blocked on the
 * results queue, so all 10 were given), fill >= 10 - the tasks started by
 * t + TITLE_SLACK (a worker renames itself just after it takes a task).
 * The last reading is 0.
 */
#define READ_SLACK 0.05
#define TITLE_SLACK 0.25

CASE(mp, pool_task_gauge_counts_only_tasks_waiting)
{
	struct run r;
	const char *argv[] = { "--json", "--tempo", "0.3", "--interval", "20", "pool", NULL };
	run_ok(&r, argv);
	long root = jint(run_event(&r, "spawn", 0), "pid");
	cr_assert_eq(tasks_started(&r, 1e9), MP_TASKS, "every task was seen started");
	double joining = -1;
	for (size_t i = 0; i < r.nev && joining < 0; i++)
		if (strcmp(jstr(r.ev[i], "event"), "blocked") == 0 && jint(r.ev[i], "pid") == root &&
		    strstr(jstr(r.ev[i], "channel"), "-results-"))
			joining = jnum(r.ev[i], "t");
	int readings = 0, checked_below = 0;
	long last = -1;
	for (size_t i = 0; i < r.nev; i++) {
		if (strcmp(jstr(r.ev[i], "event"), "queue") != 0 || !strstr(jstr(r.ev[i], "name"), "-tasks-"))
			continue;
		double t = jnum(r.ev[i], "t");
		long fill = jint(r.ev[i], "fill");
		int before = tasks_started(&r, t - READ_SLACK);
		cr_assert_leq(fill, MP_TASKS - before, "at %.3f s the task queue held %ld, but %d of %d "
		              "tasks had started:\n%s", t, fill, before, MP_TASKS, r.out);
		if (joining >= 0 && t >= joining) {
			int after = tasks_started(&r, t + TITLE_SLACK);
			cr_assert_geq(fill, MP_TASKS - after, "at %.3f s the task queue held %ld, but only %d "
			              "of %d tasks had started:\n%s", t, fill, after, MP_TASKS, r.out);
			checked_below++;
		}
		readings++;
		last = fill;
	}
	cr_assert_geq(joining, 0, "join() waits on the results queue:\n%s", r.out);
	cr_assert_gt(checked_below, 0, "the queue was read while the tasks ran");
	cr_assert_geq(readings, 2, "the task queue was read");
	cr_assert_eq(last, 0, "and ended empty");
	assert_workers_exit_0(&r, root);
	run_free(&r);
}

CASE(mp, pool_blocking_runs_one_task_at_a_time)
{
	struct run r;
	const char *argv[] = { "--json", "--tempo", "0.3", "pool-blocking", NULL };
	struct json_object *end = run_ok(&r, argv);
	cr_assert_eq(jint(end, "processes"), 4);
	cr_assert_eq(tasks_started(&r, 1e9), MP_TASKS, "every task was seen started");
	/* one task at a time, and never a "stop" message (see the case above) */
	long last = -1;
	for (size_t i = 0; i < r.nev; i++) {
		if (strcmp(jstr(r.ev[i], "event"), "queue") != 0 || !strstr(jstr(r.ev[i], "name"), "-tasks-"))
			continue;
		double t = jnum(r.ev[i], "t");
		last = jint(r.ev[i], "fill");
		cr_assert_leq(last, 1, "at %.3f s the task queue held %ld", t, last);
		cr_assert_leq(last, MP_TASKS - tasks_started(&r, t - READ_SLACK),
		              "at %.3f s the task queue held %ld:\n%s", t, last, r.out);
	}
	cr_assert_eq(last, 0, "the task queue was read and ended empty");
	assert_workers_exit_0(&r, jint(run_event(&r, "spawn", 0), "pid"));
	run_free(&r);
}

CASE(mp, queue_of_three_fills_and_a_put_waits)
{
	struct run r;
	const char *argv[] = { "--json", "--tempo", "0.5", "queue", NULL };
	run_ok(&r, argv);
	long max, last, cap;
	fills(&r, "/fs-", &max, &last, &cap);
	cr_assert_eq(max, 3, "the queue reached 3");
	cr_assert_eq(cap, 3, "of 3");
	cr_assert_eq(last, 0, "and was drained");
	long root = jint(run_event(&r, "spawn", 0), "pid");
	cr_assert(blocked_on(&r, "queue-put", root), "the timed put was seen waiting:\n%s", r.out);
	/* with its timeout: 2 s at tempo 0.5 is 1 s, read from the process's memory */
	for (size_t i = 0; i < r.nev; i++)
		if (strcmp(jstr(r.ev[i], "event"), "blocked") == 0 &&
		    strcmp(jstr(r.ev[i], "on"), "queue-put") == 0) {
			double left = jnum(r.ev[i], "timeout");
			cr_assert(left > 0 && left <= 1.0, "time left in the put: %.2f", left);
		}
	run_free(&r);
}

CASE(mp, writer_reader_rises_and_falls)
{
	struct run r;
	const char *argv[] = { "--json", "--tempo", "0.5", "writer-reader", NULL };
	run_ok(&r, argv);
	long max, last, cap;
	fills(&r, "/fs-", &max, &last, &cap);
	cr_assert_geq(max, 2, "the fill rose (to %ld)", max);
	cr_assert_eq(last, 0, "and fell back to 0");
	run_free(&r);
}

CASE(mp, process_join_is_a_parent_waiting)
{
	struct run r;
	const char *argv[] = { "--json", "--tempo", "0.5", "process-join", NULL };
	struct json_object *end = run_ok(&r, argv);
	cr_assert_eq(jint(end, "processes"), 3);
	long root = jint(run_event(&r, "spawn", 0), "pid");
	cr_assert(blocked_on(&r, "wait-child", root), "join is the parent in wait4:\n%s", r.out);
	/* the child join waits for is named: the first worker, Process-1 */
	long first = jint(run_event(&r, "spawn", 1), "pid");
	bool named = false;
	for (size_t i = 0; i < r.nev; i++)
		if (strcmp(jstr(r.ev[i], "event"), "blocked") == 0 && jint(r.ev[i], "pid") == root &&
		    strcmp(jstr(r.ev[i], "on"), "wait-child") == 0)
			named = jint(r.ev[i], "child") == first;
	cr_assert(named, "join waits for %ld:\n%s", first, r.out);
	run_free(&r);
}

CASE(mp, process_terminate_and_class)
{
	struct run r;
	const char *a[] = { "--json", "--tempo", "0.3", "process-terminate", NULL };
	run_ok(&r, a);
	/* the worker ended by SIGTERM */
	long worker = jint(run_event(&r, "spawn", 1), "pid");
	struct json_object *ex = run_find(&r, "exit", "pid", worker);
	cr_assert_not_null(ex);
	cr_assert_eq(jint(ex, "signal"), 15, "terminated: %s", json_object_to_json_string(ex));
	run_free(&r);
	const char *b[] = { "--json", "--tempo", "0.3", "process-class", NULL };
	struct json_object *end = run_ok(&r, b);
	cr_assert_eq(jint(end, "processes"), 2);
	run_free(&r);
}

CASE(mp, manager_queue)
{
	struct run r;
	const char *argv[] = { "--json", "--tempo", "0.3", "manager-queue", NULL };
	run_ok(&r, argv);
	long max, last, cap;
	fills(&r, "/fs-", &max, &last, &cap);
	cr_assert_gt(max, 0, "the manager's queue filled");
	cr_assert_eq(last, 0, "and was drained");
	run_free(&r);
}

CASE(mp, file_copy_copies_every_byte_and_cleans_up)
{
	struct run r;
	const char *argv[] = { "--json", "--tempo", "0.2", "file-copy", NULL };
	run_ok(&r, argv);
	cr_assert_not_null(run_output(&r, "identical"), "the copy was checked:\n%s", r.out);
	cr_assert_not_null(run_output(&r, "100.00%"), "progress reached 100%%");
	run_free(&r);
}

/* Stopped early, a demo leaves no queue and no folder behind. */
CASE(mp, an_early_stop_leaves_nothing)
{
	struct run r;
	const char *argv[] = { "--json", "--tempo", "1", "file-copy", NULL };
	run_start(&r, argv);
	cr_assert(run_read_until(&r, "\"event\":\"queue\"", 1, 30), "no queue seen:\n%s", r.out);
	kill(r.pid, SIGTERM);
	run_finish(&r, 30);
	cr_assert_eq(r.status, 128 + SIGTERM);
	assert_clean(r.pid);
	run_free(&r);
}

/* Any program, not just the demos: Python's multiprocessing.Queue is a pipe,
 * and its fill is seen from /proc alone (without forkscope's Python hook,
 * which counts it in messages: test_python.c). */
CASE(mp, a_python_queue_is_a_pipe_that_fills)
{
	struct run r;
	const char *prog =
		"from multiprocessing import Process, Queue\n"
		"import time\n"
		"def w(q):\n"
		"    for i in range(3):\n"
		"        q.put('x' * 100); time.sleep(0.4)\n"
		"if __name__ == '__main__':\n"
		"    q = Queue()\n"
		"    p = Process(target=w, args=(q,)); p.start(); p.join()\n"
		"    for i in range(3):\n"
		"        q.get(); time.sleep(0.3)\n"
		"    print('drained')\n";
	const char *argv[] = { "--json", "--no-python-hook", "--", "python3", "-c", prog, NULL };
	run_forkscope(&r, 60, argv);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_geq(jint(r.ev[r.nev - 1], "processes"), 2, "python and its worker");
	long most = 0;
	for (size_t i = 0; i < r.nev; i++)
		if (strcmp(jstr(r.ev[i], "event"), "queue") == 0 &&
		    strcmp(jstr(r.ev[i], "kind"), "pipe") == 0 && jint(r.ev[i], "fill") > most)
			most = jint(r.ev[i], "fill");
	cr_assert_gt(most, 200, "the pipe under the Queue filled (%ld bytes)", most);
	long root = jint(run_event(&r, "spawn", 0), "pid");
	cr_assert(blocked_on(&r, "wait-child", root), "p.join() is seen as wait-child");
	cr_assert_not_null(run_output(&r, "drained"));
	run_free(&r);
}
