/*
 * test_python.c - Python programs written like the notes' examples, run
 * through the real forkscope with its Python hook (headless JSON): the
 * multiprocessing names, the queues counted in messages, what each process
 * waits for, the manager and its queue; the program's output is what it
 * prints without forkscope, byte for byte; a program's own sitecustomize
 * still runs; --no-python-hook leaves the program untouched.
 *
 * The programs (tests/data/python/) hold each state a good part of a
 * second (--hold), several readings' worth, so what is checked is seen
 * whatever the machine's load.  They run under the python3 that forkscope's
 * own py-* scenarios use (the first in PATH that is not a script).
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "scenarios.h"

TestSuite(python, .timeout = 90, .fini = helpers_cleanup);

extern char **environ;

static char python[PATH_MAX];

/* The interpreter, or the case fails saying what is missing. */
static const char *py(void)
{
	cr_assert(scenario_python(python, sizeof(python)),
	          "no python3 in PATH that is a program (install python3)");
	return python;
}

/* What the program prints run directly, stdout and stderr together, as
 * forkscope's pty gives them. */
static char *direct_output(const char *const *argv)
{
	struct run r;

	run_program(&r, argv, &(struct run_how){ .text = true, .merged = true });
	run_finish(&r, 60);
	/* what it left behind (spawn's resource tracker ends just after it),
	 * adopted by this test as the subreaper: reaped too */
	int other;
	while (waitpid(-1, &other, 0) > 0)
		;
	cr_assert_eq(r.status, 0, "%s exited %d:\n%s", argv[1], r.status, r.out);
	char *out = r.out;
	r.out = NULL;
	run_free(&r);
	return out;
}

/* The run's output events, one line each, as the program printed them. */
static char *run_text(const struct run *r)
{
	size_t len = 0;
	char *out = calloc(1, 1);

	for (size_t k = 0; k < r->nev; k++) {
		if (strcmp(jstr(r->ev[k], "event"), "output") != 0)
			continue;
		const char *t = jstr(r->ev[k], "text");
		out = realloc(out, len + strlen(t) + 2);
		memcpy(out + len, t, strlen(t));
		len += strlen(t);
		if (!jbool(r->ev[k], "partial"))
			out[len++] = '\n';
		out[len] = '\0';
	}
	return out;
}

/* Runs tests/data/python/NAME.py under forkscope (JSON), checks it ended
 * well, every process reaped, and its output the program's own. */
static void run_python(struct run *r, const char *name, const char *const *extra)
{
	char path[PATH_MAX];
	const char *argv[16] = { "--json", "--" };
	const char *direct[12];
	size_t k = 2, d = 0;

	snprintf(path, sizeof(path), "tests/data/python/%s.py", name);
	argv[k++] = direct[d++] = py();
	argv[k++] = direct[d++] = path;
	for (size_t i = 0; extra && extra[i]; i++)
		argv[k++] = direct[d++] = extra[i];
	argv[k] = direct[d] = NULL;
	run_forkscope(r, 60, argv);
	cr_assert_eq(r->status, 0, "%s: exit code %d; stderr: %s", name, r->status, r->err);
	cr_assert_str_eq(jstr(r->ev[r->nev - 1], "event"), "end");
	cr_assert_eq(run_count(r, "spawn"), run_count(r, "reap"), "%s: every process reaped",
	             name);
	char *want = direct_output(direct), *got = run_text(r);
	cr_assert_str_eq(got, want, "%s: the output under forkscope is not the program's own",
	                 name);
	free(want);
	free(got);
}

/* The PID whose title (its multiprocessing name) was told as name, or -1. */
static long named(const struct run *r, const char *name)
{
	for (size_t k = 0; k < r->nev; k++)
		if (strcmp(jstr(r->ev[k], "event"), "title") == 0 &&
		    strcmp(jstr(r->ev[k], "title"), name) == 0)
			return jint(r->ev[k], "pid");
	return -1;
}

/* The first event of type whose key is text (and, when pid > 0, of pid). */
static struct json_object *find_text(const struct run *r, const char *type, const char *key,
                                     const char *text, long pid)
{
	for (size_t k = 0; k < r->nev; k++)
		if (strcmp(jstr(r->ev[k], "event"), type) == 0 &&
		    strcmp(jstr(r->ev[k], key), text) == 0 && (pid <= 0 || jint(r->ev[k], "pid") == pid))
			return r->ev[k];
	return NULL;
}

/* The highest fill told of the queue called name. */
static long most_fill(const struct run *r, const char *name)
{
	long most = -1;

	for (size_t k = 0; k < r->nev; k++)
		if (strcmp(jstr(r->ev[k], "event"), "queue") == 0 &&
		    strcmp(jstr(r->ev[k], "name"), name) == 0 && jint(r->ev[k], "fill") > most)
			most = jint(r->ev[k], "fill");
	return most;
}

/* The first process the run started: the program. */
static long program_pid(const struct run *r)
{
	struct json_object *spawn = run_event(r, "spawn", 0);
	cr_assert_not_null(spawn);
	return jint(spawn, "pid");
}

CASE(python, processes_are_named_and_join_waits_for_the_named_child)
{
	struct run r;

	run_python(&r, "named_process", NULL);
	long p1 = named(&r, "Process-1"), p2 = named(&r, "dongGe");
	cr_assert_gt(p1, 0, "no title told Process-1");
	cr_assert_gt(p2, 0, "no title told dongGe");
	cr_assert_neq(p1, p2);
	/* the parent, in p1.join(): a Python join, of Process-1 */
	struct json_object *b = find_text(&r, "blocked", "on", "wait-child", program_pid(&r));
	cr_assert_not_null(b, "the parent was never seen waiting for a child");
	cr_assert_str_eq(jstr(b, "call"), "join");
	cr_assert_eq(jint(b, "child"), p1, "join waits for Process-1 (%ld), not %ld", p1,
	             jint(b, "child"));
	run_free(&r);
}

CASE(python, pool_workers_show_their_tasks_and_the_task_queue_in_messages)
{
	struct run r;
	char want[64];

	run_python(&r, "pool_async", NULL);
	long w[3];
	for (int i = 0; i < 3; i++) {
		snprintf(want, sizeof(want), "ForkPoolWorker-%d", i + 1);
		w[i] = named(&r, want);
		cr_assert_gt(w[i], 0, "no title told %s", want);
	}
	/* every task, each in one of the three, named by its function */
	for (int task = 0; task < 10; task++) {
		bool seen = false;
		for (int i = 0; i < 3 && !seen; i++) {
			snprintf(want, sizeof(want), "ForkPoolWorker-%d: worker(%d)", i + 1, task);
			seen = named(&r, want) == w[i];
		}
		cr_assert(seen, "no worker's title told worker(%d)", task);
	}
	/* the pool's task queue, in tasks: 10 given, 3 taken at once */
	struct json_object *q = find_text(&r, "queue", "name", "po tasks", 0);
	cr_assert_not_null(q, "no queue event for po tasks");
	cr_assert_str_eq(jstr(q, "python"), "tasks");
	cr_assert_str_eq(jstr(q, "unit"), "messages");
	long most = most_fill(&r, "po tasks");
	cr_assert(most >= 1 && most <= 10, "po tasks held %ld tasks at most", most);
	/* none of multiprocessing's own pipes is told */
	for (size_t k = 0; k < r.nev; k++)
		if (strcmp(jstr(r.ev[k], "event"), "queue") == 0)
			cr_assert(strncmp(jstr(r.ev[k], "name"), "pipe:[", 6) != 0,
			          "an internal pipe was told: %s", jstr(r.ev[k], "name"));
	/* the parent in po.join(): for the pool's workers */
	struct json_object *b = find_text(&r, "blocked", "on", "pool-join", program_pid(&r));
	cr_assert_not_null(b, "the parent was never seen in po.join()");
	cr_assert_str_eq(jstr(b, "channel"), "po");
	run_free(&r);
}

CASE(python, apply_waits_for_its_result)
{
	struct run r;

	run_python(&r, "pool_apply", NULL);
	struct json_object *b = find_text(&r, "blocked", "on", "result", program_pid(&r));
	cr_assert_not_null(b, "the parent was never seen waiting in apply()");
	cr_assert_str_eq(jstr(b, "channel"), "po");
	cr_assert_gt(named(&r, "ForkPoolWorker-1"), 0);
	run_free(&r);
}

CASE(python, a_full_queue_is_three_of_three_messages_and_put_waits_on_it)
{
	struct run r;

	run_python(&r, "queue_full", NULL);
	struct json_object *full = NULL;
	for (size_t k = 0; k < r.nev && !full; k++)
		if (strcmp(jstr(r.ev[k], "event"), "queue") == 0 &&
		    strcmp(jstr(r.ev[k], "name"), "q") == 0 && jint(r.ev[k], "fill") == 3)
			full = r.ev[k];
	cr_assert_not_null(full, "queue q was never seen holding 3 messages");
	cr_assert_str_eq(jstr(full, "python"), "Queue");
	cr_assert_eq(jint(full, "capacity"), 3);
	cr_assert_str_eq(jstr(full, "unit"), "messages");
	cr_assert_eq(most_fill(&r, "q"), 3, "a Queue(3) holds 3 at most");
	/* the timed put, on q, with the time it has left */
	struct json_object *b = find_text(&r, "blocked", "on", "queue-put", program_pid(&r));
	cr_assert_not_null(b, "the timed put was never seen waiting");
	cr_assert_str_eq(jstr(b, "channel"), "q");
	double left = jnum(b, "timeout");
	cr_assert(left >= 0 && left <= 0.8, "a put(timeout=0.8) had %g s left", left);
	run_free(&r);
}

CASE(python, writer_and_reader_fill_and_drain_one_queue)
{
	struct run r;

	run_python(&r, "writer_reader", NULL);
	cr_assert_eq(most_fill(&r, "q"), 3, "the writer's three messages were never all seen");
	/* drained after: a later event says 0 */
	bool three = false, drained = false;
	for (size_t k = 0; k < r.nev; k++) {
		if (strcmp(jstr(r.ev[k], "event"), "queue") != 0 ||
		    strcmp(jstr(r.ev[k], "name"), "q") != 0)
			continue;
		three |= jint(r.ev[k], "fill") == 3;
		drained |= three && jint(r.ev[k], "fill") == 0;
	}
	cr_assert(drained, "q was never seen empty after it held 3");
	cr_assert_gt(named(&r, "Process-1"), 0);
	cr_assert_gt(named(&r, "Process-2"), 0);
	run_free(&r);
}

CASE(python, the_manager_is_named_and_its_queue_counted)
{
	struct run r;

	run_python(&r, "manager_pool", NULL);
	long mg = named(&r, "SyncManager-1");
	cr_assert_gt(mg, 0, "no title told SyncManager-1");
	/* q, the manager's queue: held by the manager, filled to 6 ("dongGe") */
	struct json_object *q = find_text(&r, "queue", "name", "q", 0);
	cr_assert_not_null(q, "no queue event for the manager's q");
	cr_assert_str_eq(jstr(q, "kind"), "manager");
	cr_assert_str_eq(jstr(q, "unit"), "messages");
	cr_assert_eq(most_fill(&r, "q"), 6, "q held %ld at most, not the 6 letters",
	             most_fill(&r, "q"));
	struct json_object *holders = json_object_object_get(q, "holders");
	cr_assert(holders && json_object_array_length(holders) >= 1);
	cr_assert_eq(json_object_get_int(json_object_array_get_idx(holders, 0)), mg,
	             "the manager holds its queue");
	run_free(&r);
}

CASE(python, lock_and_event_waits_are_named)
{
	struct run r;

	run_python(&r, "lock_event", NULL);
	struct json_object *ev = find_text(&r, "blocked", "on", "event", 0);
	cr_assert_not_null(ev, "a child in ready.wait() was never seen");
	cr_assert_str_eq(jstr(ev, "channel"), "ready");
	struct json_object *lock = find_text(&r, "blocked", "on", "lock", 0);
	cr_assert_not_null(lock, "a child in lock.acquire() was never seen");
	cr_assert_str_eq(jstr(lock, "channel"), "lock");
	/* never a bare futex where the program's own words exist */
	for (size_t k = 0; k < r.nev; k++)
		if (strcmp(jstr(r.ev[k], "event"), "blocked") == 0)
			cr_assert(strcmp(jstr(r.ev[k], "on"), "other") != 0,
			          "a wait told as other (%s)", jstr(r.ev[k], "syscall"));
	run_free(&r);
}

CASE(python, a_programs_own_sitecustomize_still_runs)
{
	struct run r;
	char dir[PATH_MAX];

	/* the program's own folder of site code, as a user would set it */
	cr_assert_not_null(realpath("tests/data/python/own_site", dir));
	setenv("PYTHONPATH", dir, 1);
	run_python(&r, "own_site_main", NULL);
	cr_assert_not_null(run_output(&r, "own sitecustomize ran"));
	cr_assert_not_null(run_output(&r, "main ran"));
	run_free(&r);
}

CASE(python, no_python_hook_leaves_the_program_untouched)
{
	struct run with, without;
	const char *argv[] = { "--json", "--no-python-hook", "--", py(),
	                       "tests/data/python/child_comm.py", NULL };

	/* with the hook: the child's /proc names it, and it has the hook */
	const char *hooked[] = { "--json", "--", py(), "tests/data/python/child_comm.py", NULL };
	run_forkscope(&with, 60, hooked);
	cr_assert_eq(with.status, 0, "stderr: %s", with.err);
	cr_assert_not_null(run_output(&with, "comm=Process-1 hook=True"),
	                   "the child under the hook: %s", with.out);
	/* without: /proc says what it says without forkscope */
	run_forkscope(&without, 60, argv);
	cr_assert_eq(without.status, 0, "stderr: %s", without.err);
	const char *direct[] = { py(), "tests/data/python/child_comm.py", NULL };
	char *plain = direct_output(direct);
	cr_assert_not_null(strstr(plain, "comm=python3 hook=False"), "%s", plain);
	cr_assert_not_null(run_output(&without, "comm=python3 hook=False"),
	                   "the child without the hook: %s", without.out);
	cr_assert_eq(named(&without, "Process-1"), -1, "no name without the hook");
	free(plain);
	run_free(&with);
	run_free(&without);
}

CASE(python, a_recording_replays_the_hooks_names)
{
	struct run live, replay;
	char file[] = "/tmp/forkscope-test-py-XXXXXX";
	int fd = mkstemp(file);

	cr_assert_geq(fd, 0);
	close(fd);
	const char *argv[] = { "--json", "--record", file, "--force", "--", py(),
	                       "tests/data/python/named_process.py", NULL };
	run_forkscope(&live, 60, argv);
	cr_assert_eq(live.status, 0, "stderr: %s", live.err);
	const char *rargv[] = { "--json", "--replay", file, NULL };
	run_forkscope(&replay, 60, rargv);
	unlink(file);
	cr_assert_eq(replay.status, 0, "stderr: %s", replay.err);
	cr_assert_eq(named(&replay, "Process-1"), named(&live, "Process-1"));
	cr_assert_eq(named(&replay, "dongGe"), named(&live, "dongGe"));
	cr_assert_eq(run_count(&replay, "title"), run_count(&live, "title"));
	cr_assert_eq(run_count(&replay, "blocked"), run_count(&live, "blocked"));
	run_free(&live);
	run_free(&replay);
}

/* One program under a start method: every name, the queue, the join. */
static void start_method(const char *method, const char *worker)
{
	struct run r;
	const char *extra[] = { method, NULL };
	char want[64];

	run_python(&r, "methods", extra);
	long dong = named(&r, "dongGe");
	cr_assert_gt(dong, 0, "%s: no title told dongGe", method);
	struct json_object *b = find_text(&r, "blocked", "call", "join", program_pid(&r));
	cr_assert_not_null(b, "%s: the parent was never seen in p.join()", method);
	cr_assert_eq(jint(b, "child"), dong, "%s: join waits for dongGe", method);
	/* a worker, at one of its two tasks */
	bool task = false;
	for (size_t k = 0; k < r.nev && !task; k++) {
		const char *t = jstr(r.ev[k], "title");
		snprintf(want, sizeof(want), "%sPoolWorker-", worker);
		task = strcmp(jstr(r.ev[k], "event"), "title") == 0 && strncmp(t, want, strlen(want)) == 0 &&
		       (strstr(t, ": square(3)") || strstr(t, ": square(4)"));
	}
	cr_assert(task, "%s: no %sPoolWorker's title told a square() task", method, worker);
	/* the Queue(2), full, counted from its semaphore */
	bool full = false;
	for (size_t k = 0; k < r.nev && !full; k++)
		full = strcmp(jstr(r.ev[k], "event"), "queue") == 0 &&
		       strcmp(jstr(r.ev[k], "name"), "q") == 0 && jint(r.ev[k], "fill") == 2 &&
		       jint(r.ev[k], "capacity") == 2;
	cr_assert(full, "%s: q was never seen holding 2 of 2", method);
	run_free(&r);
}

CASE(python, the_fork_start_method)
{
	start_method("fork", "Fork");
}

CASE(python, the_spawn_start_method)
{
	start_method("spawn", "Spawn");
}

CASE(python, the_forkserver_start_method)
{
	start_method("forkserver", "ForkServer");
	/* (the forkserver names itself: checked by the run's titles above
	 * only through its workers) */
}

CASE(python, a_hook_that_cannot_be_set_up_starts_nothing_and_says_why)
{
	struct run r;
	const char *argv[] = { "--json", "--", py(), "tests/data/python/named_process.py", NULL };

	setenv("TMPDIR", "/nonexistent-forkscope-test", 1);
	run_forkscope(&r, 30, argv);
	cr_assert_eq(r.status, 1, "exit code %d", r.status);
	cr_assert_eq(r.nev, 0, "nothing started: %s", r.out);
	cr_assert_not_null(strstr(r.err, "TMPDIR"), "%s", r.err);
	cr_assert_not_null(strstr(r.err, "--no-python-hook"), "%s", r.err);
	run_free(&r);
}
