/*
 * test_news.c - the kernel's process connector as forkscope's source of
 * news (--events, --slow, the "kernel", "lost" and "polling" events), run
 * through the real program, headless JSON.
 *
 * Each case reads a run as lives: a spawn event begins one life of its PID,
 * and the exec, title, exit and reap events that follow belong to it, so a
 * PID told twice is two lives.  Counts are exact where the program makes
 * them exact; times have margins for a loaded 2-core machine.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

TestSuite(news, .timeout = 60, .fini = helpers_cleanup);

/* ---- reading a run ---------------------------------------------------- */

/* One life of a PID, as the run told it: the events are the run's. */
struct life {
	long pid, ppid;
	size_t at;                      /* the spawn's index in r->ev */
	struct json_object *spawn;
	struct json_object *exec;       /* the last exec, or NULL */
	struct json_object *exit;       /* the first exit, or NULL */
	struct json_object *reap;       /* the first reap, or NULL */
	size_t nexit, nreap;
};

struct lives {
	struct life *v;
	size_t n;
};

static struct life *current_life(struct lives *l, long pid)
{
	for (size_t i = l->n; i-- > 0;)
		if (l->v[i].pid == pid)
			return &l->v[i];
	return NULL;
}

static void lives_read(const struct run *r, struct lives *l)
{
	memset(l, 0, sizeof(*l));
	for (size_t k = 0; k < r->nev; k++) {
		struct json_object *e = r->ev[k];
		const char *type = jstr(e, "event");
		long pid = jint(e, "pid");
		if (strcmp(type, "spawn") == 0) {
			l->v = realloc(l->v, (l->n + 1) * sizeof(*l->v));
			l->v[l->n++] = (struct life){ .pid = pid, .ppid = jint(e, "ppid"), .at = k,
			                              .spawn = e };
			continue;
		}
		struct life *life = current_life(l, pid);
		if (!life)
			continue;
		if (strcmp(type, "exec") == 0) {
			life->exec = e;
		} else if (strcmp(type, "exit") == 0) {
			if (!life->nexit++)
				life->exit = e;
		} else if (strcmp(type, "reap") == 0) {
			if (!life->nreap++)
				life->reap = e;
		}
	}
}

static void lives_free(struct lives *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* Whether o has key, and whether its value is JSON null. */
static bool has_key(struct json_object *o, const char *key)
{
	struct json_object *v;

	return o && json_object_object_get_ex(o, key, &v);
}

static bool is_null(struct json_object *o, const char *key)
{
	struct json_object *v;

	return o && json_object_object_get_ex(o, key, &v) && !v;
}

/* An exit that says how the process ended: a status or a signal. */
static bool exit_told(struct json_object *ex)
{
	return ex && ((has_key(ex, "status") && !is_null(ex, "status")) ||
	              jint(ex, "signal") > 0);
}

/* The event as its line, for messages. */
static const char *line_of(struct json_object *o)
{
	return o ? json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN) : "(none)";
}

/* The last part of stdout, for messages. */
static const char *tail_of(const struct run *r)
{
	return r->out + (r->olen > 3000 ? r->olen - 3000 : 0);
}

/* Checks every run must satisfy: exit code want, one end event, last. */
static struct json_object *check_end(const struct run *r, int want)
{
	cr_assert_eq(r->status, want, "exit code %d, not %d; stderr: %s", r->status, want, r->err);
	cr_assert_gt(r->nev, 0, "no JSON on stdout; stderr: %s", r->err);
	struct json_object *end = r->ev[r->nev - 1];
	cr_assert_str_eq(jstr(end, "event"), "end", "the last event is end: %s", tail_of(r));
	cr_assert_eq(run_count(r, "end"), 1);
	return end;
}

/* ---- 1. three hundred short lives ------------------------------------ */

static const char *const three_hundred[] = {
	"sh", "-c", "for i in $(seq 300); do /bin/true & done; wait", NULL
};

static void run_three_hundred(struct run *r, const char *events)
{
	const char *argv[16] = { "--headless", "--json", "--events", events, "--" };
	size_t n = 5;
	for (size_t i = 0; three_hundred[i]; i++)
		argv[n++] = three_hundred[i];
	argv[n] = NULL;
	run_forkscope(r, 55, argv);
}

CASE(news, three_hundred_short_lives_are_each_told_once_by_the_kernel)
{
	struct run r;
	struct lives l;
	run_three_hundred(&r, "connector");
	struct json_object *end = check_end(&r, 0);
	lives_read(&r, &l);

	/* An exec's names are read from /proc when its news is read: one
	 * that was gone by then (reaped at once, on a loaded machine) is told
	 * with no name, never with a wrong one. */
	size_t trues = 0, unnamed = 0, seqs = 0, execs = 0, clean_exits = 0;
	char others[2048] = "";
	for (size_t i = 0; i < l.n; i++) {
		struct life *life = &l.v[i];
		clean_exits += life->nexit == 1 && jint(life->exit, "status") == 0 &&
		               has_key(life->exit, "status");
		if (!life->exec)
			continue;
		execs++;
		const char *comm = jstr(life->exec, "comm");
		if (strcmp(comm, "true") == 0) {
			trues++;
		} else if (!comm[0] && !jstr(life->exec, "cmd")[0]) {
			unnamed++;
		} else if (strcmp(comm, "seq") == 0) {
			seqs++;
		} else {
			size_t used = strlen(others);
			snprintf(others + used, sizeof(others) - used, "\n  %s, then %s",
			         line_of(life->spawn), line_of(life->exec));
		}
	}
	/* the kernel tells every fork, exec and exit, however short the life */
	for (size_t k = 0; k < r.nev; k++) {
		const char *type = jstr(r.ev[k], "event");
		if (strcmp(type, "spawn") != 0 && strcmp(type, "exit") != 0)
			continue;
		cr_assert(jbool(r.ev[k], "kernel"), "a %s not told by the kernel (event %zu of %zu): %s",
		          type, k, r.nev, line_of(r.ev[k]));
		if (strcmp(type, "exit") == 0)
			cr_assert(!is_null(r.ev[k], "status"), "an exit with no status: %s",
			          line_of(r.ev[k]));
	}
	/* the shell, the child that runs seq (dash), and the 300 */
	cr_assert_eq(l.n, 302, "%zu spawns, not 302", l.n);
	cr_assert_eq(execs, 301, "%zu execs, not 301 (seq and 300 /bin/true)", execs);
	cr_assert_str_empty(others, "execs named neither true nor seq:%s", others);
	cr_assert_leq(seqs, 1, "seq is run once");
	cr_assert_eq(trues + unnamed + seqs, 301, "%zu true, %zu unnamed, %zu seq", trues, unnamed,
	             seqs);
	cr_assert_eq(clean_exits, 302, "%zu of the 302 exit once, with status 0", clean_exits);
	cr_assert_eq(jint(end, "processes"), (long)l.n, "the end counts %ld processes, %zu spawned",
	             jint(end, "processes"), l.n);
	lives_free(&l);
	run_free(&r);
}

CASE(news, three_hundred_short_lives_when_polling)
{
	struct run r;
	run_three_hundred(&r, "poll");
	struct json_object *end = check_end(&r, 0);
	struct json_object *first = r.ev[0];
	cr_assert_str_eq(jstr(first, "event"), "polling", "the first event: %s", line_of(first));
	cr_assert_neq(jstr(first, "why")[0], '\0', "it says why: %s", line_of(first));
	cr_assert_eq(jint(end, "processes"), (long)run_count(&r, "spawn"),
	             "the end counts %ld processes, %zu spawns printed", jint(end, "processes"),
	             run_count(&r, "spawn"));
	for (size_t k = 0; k < r.nev; k++)
		cr_assert(!has_key(r.ev[k], "kernel"), "no kernel when polling: %s",
		          line_of(r.ev[k]));
	run_free(&r);
}

/* ---- 2. the notes' Python examples ------------------------------------ */

/* The index of r's first spawn event (r->nev when there is none). */
static size_t first_spawn_at(const struct run *r)
{
	size_t k = 0;
	while (k < r->nev && strcmp(jstr(r->ev[k], "event"), "spawn") != 0)
		k++;
	return k;
}

/* Runs tests/data/python/NAME.py under --events connector and checks what
 * every such run must show: each life ends with a status or a signal.
 * Returns the PID that exec'd python3 and the index of that exec. */
static long run_python(struct run *r, struct lives *l, const char *name, size_t *exec_at)
{
	char path[128];
	snprintf(path, sizeof(path), "tests/data/python/%s.py", name);
	const char *argv[] = { "--headless", "--json", "--events", "connector", "--", "python3", path,
	                       NULL };
	run_forkscope(r, 50, argv);
	check_end(r, 0);
	lives_read(r, l);
	for (size_t i = 0; i < l->n; i++)
		cr_assert(exit_told(l->v[i].exit), "%s: pid %ld (%s) has no exit with a status: %s",
		          name, l->v[i].pid, jstr(l->v[i].spawn, "comm"), line_of(l->v[i].exit));
	/* python3 is the command's first process, in its last exec of
	 * python3: wrappers exec on the way in the same process (pyenv's shim
	 * is a bash script named python3, which forks helpers of its own, then
	 * execs pyenv, which execs python3).  No exec at all when python3 in
	 * PATH exec'd before forkscope read its name: its spawn names it. */
	size_t first = first_spawn_at(r);
	cr_assert_lt(first, r->nev, "%s: no process:\n%s", name, tail_of(r));
	long py = jint(r->ev[first], "pid");
	bool named = strcmp(jstr(r->ev[first], "comm"), "python3") == 0;
	*exec_at = first;
	for (size_t k = first + 1; k < r->nev; k++)
		if (strcmp(jstr(r->ev[k], "event"), "exec") == 0 && jint(r->ev[k], "pid") == py &&
		    strcmp(jstr(r->ev[k], "comm"), "python3") == 0) {
			named = true;
			*exec_at = k;
		}
	if (!named)
		py = -1;
	cr_assert_gt(py, 0, "%s: no exec of python3:\n%s", name, tail_of(r));
	return py;
}

/* The lives forked by py after it exec'd python3, in the order told. */
static size_t python_children(const struct lives *l, long py, size_t exec_at,
                              const struct life **kids, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].ppid == py && l->v[i].at > exec_at && n < max)
			kids[n++] = &l->v[i];
	return n;
}

CASE(news, python_pool_forks_its_workers)
{
	struct run r;
	struct lives l;
	const struct life *kids[64];
	size_t at;
	long py = run_python(&r, &l, "pool", &at);
	size_t n = python_children(&l, py, at, kids, 64);
	cr_assert_geq(n, 3, "Pool(3): %zu workers forked by python3 %ld", n, py);
	lives_free(&l);
	run_free(&r);
}

CASE(news, python_manager_queue_forks_the_manager_and_the_pool)
{
	struct run r;
	struct lives l;
	const struct life *kids[64];
	size_t at;
	long py = run_python(&r, &l, "manager_queue", &at);
	size_t n = python_children(&l, py, at, kids, 64);
	/* Pool() has os.cpu_count() workers: the CPUs online */
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	cr_assert_geq((long)n, 1 + cpus, "the manager and %ld workers: %zu children of python3 %ld",
	              cpus, n, py);
	lives_free(&l);
	run_free(&r);
}

CASE(news, python_forks_twenty_with_their_statuses_in_order)
{
	struct run r;
	struct lives l;
	const struct life *kids[64];
	size_t at;
	long py = run_python(&r, &l, "forks", &at);
	size_t n = python_children(&l, py, at, kids, 64);
	cr_assert_eq(n, 20, "%zu children of python3 %ld, not 20", n, py);
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(jint(kids[i]->exit, "status"), (long)i, "child %zu (pid %ld): %s", i,
		             kids[i]->pid, line_of(kids[i]->exit));
	lives_free(&l);
	run_free(&r);
}

CASE(news, python_process_terminate_is_signal_15)
{
	struct run r;
	struct lives l;
	const struct life *kids[64];
	size_t at;
	long py = run_python(&r, &l, "process_join", &at);
	size_t n = python_children(&l, py, at, kids, 64);
	size_t terminated = 0;
	for (size_t i = 0; i < n; i++) {
		if (jint(kids[i]->exit, "signal") == SIGTERM)
			terminated++;
		else
			cr_assert_eq(jint(kids[i]->exit, "status"), 0, "pid %ld: %s", kids[i]->pid,
			             line_of(kids[i]->exit));
	}
	cr_assert_eq(n, 2, "join() and terminate(): %zu children of python3 %ld", n, py);
	cr_assert_eq(terminated, 1, "one child ended by terminate(): %zu", terminated);
	lives_free(&l);
	run_free(&r);
}

CASE(news, python_queue_writer_and_reader)
{
	struct run r;
	struct lives l;
	const struct life *kids[64];
	size_t at;
	long py = run_python(&r, &l, "queue_rw", &at);
	size_t n = python_children(&l, py, at, kids, 64);
	cr_assert_eq(n, 2, "a writer and a reader: %zu children of python3 %ld", n, py);
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(jint(kids[i]->exit, "status"), 0, "pid %ld: %s", kids[i]->pid,
		             line_of(kids[i]->exit));
	lives_free(&l);
	run_free(&r);
}

/* ---- 3. a storm of renames -------------------------------------------- */

CASE(news, twenty_renames_are_told_in_order)
{
	struct run r;
	char prog[256];
	snprintf(prog, sizeof(prog), "%s/renamer", TEST_PROGS);
	run_forkscope(&r, 30, (const char *const[]){ "--headless", "--json", "--events", "connector",
	              "--", prog, NULL });
	check_end(&r, 0);
	size_t n = run_count(&r, "title");
	cr_assert_eq(n, 20, "%zu title events, not 20:\n%s", n, r.out);
	for (size_t i = 0; i < n; i++) {
		char want[16];
		snprintf(want, sizeof(want), "name-%02zu", i);
		cr_assert_str_eq(jstr(run_event(&r, "title", i), "title"), want, "title %zu:\n%s", i,
		                 r.out);
	}
	run_free(&r);
}

/* ---- 4. more news than the socket holds ------------------------------- */

/* 300 children forked, then all woken at once to exit: a few hundred
 * messages while 300 runnable children share 2 cores with forkscope, and a
 * socket buffer of 4096 bytes holds a handful of them. */
CASE(news, an_overflow_is_told_and_the_run_still_ends_right)
{
	struct run r;
	struct lives l;
	char prog[256];
	snprintf(prog, sizeof(prog), "%s/storm", TEST_PROGS);
	setenv("FORKSCOPE_TEST_CONNECTOR_BUFFER", "4096", 1);
	run_forkscope(&r, 55, (const char *const[]){ "--headless", "--json", "--events", "connector",
	              "--", prog, "300", NULL });
	struct json_object *end = check_end(&r, 0);
	struct json_object *lost = run_event(&r, "lost", 0);
	cr_assert_not_null(lost, "no lost event in %zu events", r.nev);
	for (size_t i = 0; (lost = run_event(&r, "lost", i)); i++)
		cr_assert(!has_key(lost, "count") || jint(lost, "count") > 0, "%s", line_of(lost));
	lives_read(&r, &l);
	cr_assert_gt(l.n, 0);
	/* the storm itself ran as it should: every child ended with 0 */
	struct life *root = &l.v[0];
	cr_assert_eq(root->ppid, r.pid, "the first spawn is forkscope's child: %s",
	             line_of(root->spawn));
	cr_assert_eq(jint(root->exit, "status"), 0, "storm: %s", line_of(root->exit));
	/* nothing is left alive or unreaped in the last reading, and nothing
	 * is told twice: a PID's life ends before it is spawned again, once */
	for (size_t i = 0; i < l.n; i++) {
		struct life *life = &l.v[i];
		const struct life *again = NULL;
		for (size_t k = i + 1; k < l.n && !again; k++)
			if (l.v[k].pid == life->pid)
				again = &l.v[k];
		cr_assert(life->exit || life->reap, "pid %ld was spawned (%s) and never ended%s%s",
		          life->pid, line_of(life->spawn), again ? ", but spawned again: " : "",
		          again ? line_of(again->spawn) : "");
		cr_assert(life->nexit <= 1 && life->nreap <= 1,
		          "pid %ld ended %zu times and was reaped %zu times", life->pid, life->nexit,
		          life->nreap);
	}
	cr_assert_eq(jint(end, "processes"), (long)l.n);
	lives_free(&l);
	run_free(&r);
}

/* ---- 5. no connector --------------------------------------------------- */

CASE(news, without_the_connector_auto_polls_and_the_zombie_story_holds)
{
	struct run r;
	setenv("FORKSCOPE_TEST_NO_CONNECTOR", "1", 1);
	/* (forkscope as the subreaper, as test_demos tells it: no PID 1) */
	run_forkscope(&r, 30, (const char *const[]){ "--headless", "--json", "--events", "auto",
	              "--tempo", "0.2", "--no-pid1", "zombie", NULL });
	struct json_object *end = check_end(&r, 0);
	struct json_object *first = r.ev[0];
	cr_assert_str_eq(jstr(first, "event"), "polling", "the first event: %s", line_of(first));
	cr_assert(strstr(jstr(first, "why"), "FORKSCOPE_TEST_NO_CONNECTOR"), "%s", line_of(first));
	for (size_t k = 0; k < r.nev; k++)
		cr_assert(!has_key(r.ev[k], "kernel"), "no kernel when polling: %s",
		          line_of(r.ev[k]));
	/* the story test_demos tells: a zombie for 3 s of tempo, then reaped */
	cr_assert_eq(run_count(&r, "spawn"), 2, "%s", r.out);
	cr_assert_eq(jint(end, "processes"), 2);
	cr_assert_eq(jint(end, "zombies"), 1);
	long root = jint(run_event(&r, "spawn", 0), "pid");
	long child = jint(run_event(&r, "spawn", 1), "pid");
	cr_assert_eq(jint(run_event(&r, "spawn", 0), "ppid"), r.pid);
	struct json_object *ex = run_find(&r, "exit", "pid", child);
	cr_assert_eq(jint(ex, "status"), 3, "%s", line_of(ex));
	cr_assert(jbool(ex, "zombie"), "%s", line_of(ex));
	cr_assert_eq(jint(ex, "ppid"), root);
	struct json_object *reap = run_find(&r, "reap", "pid", child);
	cr_assert_eq(jint(reap, "by"), root, "its parent reaped it: %s", line_of(reap));
	double zombie_for = jnum(reap, "t") - jnum(ex, "t");
	cr_assert(zombie_for > 0.3 && zombie_for < 1.2, "a zombie for %.2f s, not about 0.6",
	          zombie_for);
	struct json_object *root_exit = run_find(&r, "exit", "pid", root);
	cr_assert_eq(jint(root_exit, "status"), 0, "%s", line_of(root_exit));
	cr_assert_eq(jint(run_find(&r, "reap", "pid", root), "by"), r.pid, "forkscope reaps it");
	cr_assert_eq(run_count(&r, "exit"), 2);
	cr_assert_eq(run_count(&r, "reap"), 2);
	run_free(&r);
}

static size_t count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* A path in a new directory of /tmp that does not exist yet: a command
 * that would create it shows whether anything was started. */
static void marker_path(char *dir, size_t dlen, char *path, size_t plen)
{
	snprintf(dir, dlen, "/tmp/forkscope-news-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, plen, "%s/started", dir);
}

CASE(news, connector_asked_for_and_refused_starts_nothing)
{
	struct run r;
	char dir[64], marker[96];
	marker_path(dir, sizeof(dir), marker, sizeof(marker));
	setenv("FORKSCOPE_TEST_NO_CONNECTOR", "1", 1);
	run_forkscope(&r, 20, (const char *const[]){ "--headless", "--json", "--events", "connector",
	              "--", "touch", marker, NULL });
	bool started = access(marker, F_OK) == 0;
	unlink(marker);
	rmdir(dir);
	cr_assert_eq(r.status, 2, "exit code %d; stderr: %s", r.status, r.err);
	cr_assert_eq(count_lines(r.err), 1, "one line on stderr:\n%s", r.err);
	cr_assert(strncmp(r.err, "forkscope: ", 11) == 0, "%s", r.err);
	cr_assert(strstr(r.err, "--events poll"), "it points to --events poll: %s", r.err);
	cr_assert_str_eq(r.out, "", "nothing printed");
	cr_assert(!started, "the command ran");
	run_free(&r);
}

/* In a new network namespace, where the connector does not exist
 * (unshare -n; the tests run as root); run_how's before(). */
static bool new_netns(const void *arg)
{
	(void)arg;
	if (unshare(CLONE_NEWNET) == 0)
		return true;
	dprintf(2, "unshare(CLONE_NEWNET): %s\n", strerror(errno));
	return false;
}

CASE(news, in_a_new_network_namespace_auto_polls)
{
	struct run r;
	run_start_how(&r, (const char *const[]){ "--headless", "--json", "--events", "auto", "--",
	              "/bin/true", NULL }, &(struct run_how){ .before = new_netns });
	run_finish(&r, 20);
	struct json_object *end = check_end(&r, 0);
	struct json_object *first = r.ev[0];
	cr_assert_str_eq(jstr(first, "event"), "polling", "the first event: %s", line_of(first));
	cr_assert_neq(jstr(first, "why")[0], '\0', "%s", line_of(first));
	cr_assert_eq(run_count(&r, "spawn"), 1, "%s", r.out);
	struct json_object *spawn = run_event(&r, "spawn", 0);
	long pid = jint(spawn, "pid");
	cr_assert_eq(jint(spawn, "ppid"), r.pid);
	struct json_object *ex = run_find(&r, "exit", "pid", pid);
	cr_assert_eq(jint(ex, "status"), 0, "%s", line_of(ex));
	cr_assert(has_key(ex, "status") && !is_null(ex, "status"), "%s", line_of(ex));
	cr_assert_eq(jint(run_find(&r, "reap", "pid", pid), "by"), r.pid);
	cr_assert_eq(run_count(&r, "exit"), 1);
	cr_assert_eq(run_count(&r, "reap"), 1);
	cr_assert_eq(jint(end, "processes"), 1);
	run_free(&r);
}

/* ---- 6. slow motion ---------------------------------------------------- */

/* blink's three children live 20 ms each (a fifth of a reading), 100 ms
 * apart: only a hold after each fork lets a reading find them alive, and
 * then each exit comes a hold after its spawn.  Six holds at least: after
 * each fork and after each exit. */
CASE(news, slow_motion_holds_every_step_of_short_lives)
{
	struct run r;
	struct lives l;
	char prog[256];
	snprintf(prog, sizeof(prog), "%s/blink", TEST_PROGS);
	/* Children of 20 ms, a fifth of a reading: a hold begins when
	 * forkscope reads the news, tens of microseconds after a fork on an
	 * idle machine (children of 1 ms are held too), but a loaded machine
	 * running the sanitizers' build can take a few milliseconds. */
	run_forkscope(&r, 30, (const char *const[]){ "--headless", "--json", "--slow", "300",
	              "--events", "connector", "--", prog, "100", "20", NULL });
	struct json_object *end = check_end(&r, 0);
	lives_read(&r, &l);
	cr_assert_eq(l.n, 4, "blink and 3 children:\n%s", r.out);
	long root = l.v[0].pid;
	for (size_t i = 1; i < l.n; i++) {
		struct life *kid = &l.v[i];
		cr_assert_eq(kid->ppid, root, "%s", line_of(kid->spawn));
		cr_assert_eq(jint(kid->exit, "status"), (long)(i - 1), "%s", line_of(kid->exit));
		double lived = jnum(kid->exit, "t") - jnum(kid->spawn, "t");
		cr_assert_geq(lived, 0.25, "child %zu (pid %ld) exited %.3f s after its spawn: it was "
		              "not held\n%s", i, kid->pid, lived, r.out);
	}
	double took = jnum(end, "seconds");
	cr_assert_geq(took, 6 * 0.3 - 0.002, "the run took %.3f s, less than 6 holds of 0.3 s:\n%s",
	              took, r.out);
	lives_free(&l);
	run_free(&r);
}

/* The PID of the i-th spawn event printed so far, or -1. */
static long spawn_so_far(const struct run *r, size_t i)
{
	char *copy = strdup(r->out), *save = NULL;
	long pid = -1;

	for (char *line = strtok_r(copy, "\n", &save); line && pid < 0;
	     line = strtok_r(NULL, "\n", &save)) {
		struct json_object *o = json_tokener_parse(line);
		if (o && strcmp(jstr(o, "event"), "spawn") == 0 && i-- == 0)
			pid = jint(o, "pid");
		json_object_put(o);
	}
	free(copy);
	return pid;
}

static bool is_stopped(void *arg)
{
	return proc_state(*(pid_t *)arg) == 'T';
}

/* Whether any process left to the test (its subreaper) is stopped: named
 * in names. */
static bool any_left_stopped(char *names, size_t len)
{
	pid_t kids[256];
	size_t n = children_of(getpid(), 0, kids, 256);
	bool any = false;

	names[0] = '\0';
	for (size_t i = 0; i < n; i++)
		if (proc_state(kids[i]) == 'T') {
			size_t used = strlen(names);
			snprintf(names + used, len - used, " %d", (int)kids[i]);
			any = true;
		}
	return any;
}

/* forkscope gets sig while the tree is held: it ends, and so does the
 * whole tree, let go to die of forkscope's SIGTERM rather than left stopped
 * until a SIGKILL. */
static void signal_while_held(int sig)
{
	struct run r;
	char prog[256];
	snprintf(prog, sizeof(prog), "%s/fan", TEST_PROGS);
	run_start(&r, (const char *const[]){ "--headless", "--json", "--slow", "2000", "--", prog, "2",
	          "30", NULL });
	cr_assert(run_read_until(&r, "\"event\":\"spawn\"", 2, 20), "no child spawned:\n%s", r.out);
	pid_t child = (pid_t)spawn_so_far(&r, 1);
	cr_assert_gt(child, 0, "%s", r.out);
	cr_assert(wait_until(is_stopped, &child, 5), "child %d is not held (state %c):\n%s",
	          (int)child, proc_state(child) ? proc_state(child) : '-', r.out);
	cr_assert_eq(kill(r.pid, sig), 0);
	run_finish(&r, 20);
	char names[512];
	bool stopped = any_left_stopped(names, sizeof(names));
	cr_assert(!stopped, "left stopped after forkscope ended:%s", names);
	struct json_object *end = check_end(&r, 128 + sig);
	struct lives l;
	lives_read(&r, &l);
	/* fan and the children it forked before the hold: 1 or 2 */
	cr_assert_geq(l.n, 2, "%s", r.out);
	cr_assert_eq(jint(end, "killed"), (long)l.n, "every process was killed: %s", line_of(end));
	for (size_t i = 0; i < l.n; i++)
		cr_assert_eq(jint(l.v[i].exit, "signal"), SIGTERM,
		             "pid %ld died of another signal than forkscope's SIGTERM (left "
		             "stopped?): %s", l.v[i].pid, line_of(l.v[i].exit));
	lives_free(&l);
	run_free(&r);
}

CASE(news, sigterm_while_held_leaves_nothing)
{
	signal_while_held(SIGTERM);
}

CASE(news, sigint_while_held_leaves_nothing)
{
	signal_while_held(SIGINT);
}

CASE(news, sighup_while_held_leaves_nothing)
{
	signal_while_held(SIGHUP);
}

/* ---- 7. what a reading comes too late for ------------------------------ */

/* The index in r->ev of the first event of type about pid, or SIZE_MAX. */
static size_t index_of(const struct run *r, const char *type, long pid)
{
	for (size_t k = 0; k < r->nev; k++)
		if (strcmp(jstr(r->ev[k], "event"), type) == 0 && jint(r->ev[k], "pid") == pid)
			return k;
	return SIZE_MAX;
}

CASE(news, a_parent_that_reaps_then_exits_is_told_reaping_first)
{
	struct run r;
	char prog[512];
	snprintf(prog, sizeof(prog), "%s/family", TEST_PROGS);
	run_forkscope(&r, 30, (const char *const[]){ "--headless", "--json", "--events", "connector",
	                                            "--", prog, "reap", NULL });
	check_end(&r, 0);
	struct lives l;
	lives_read(&r, &l);
	cr_assert_eq(l.n, 4, "the parent and 3 children, not %zu", l.n);
	long parent = l.v[0].pid;
	size_t parent_exit = index_of(&r, "exit", parent);
	cr_assert_neq(parent_exit, SIZE_MAX, "the parent's exit");
	for (size_t i = 1; i < l.n; i++) {
		cr_assert_eq(l.v[i].ppid, parent);
		cr_assert_not_null(l.v[i].reap, "child %ld is reaped", l.v[i].pid);
		cr_assert_eq(jint(l.v[i].reap, "by"), parent, "by its parent: %s", line_of(l.v[i].reap));
		/* it reaped them before it exited: told so, whatever the readings */
		size_t reap = index_of(&r, "reap", l.v[i].pid);
		cr_assert_lt(reap, parent_exit, "child %ld's reap (event %zu) comes before its "
		             "parent's exit (event %zu)", l.v[i].pid, reap, parent_exit);
	}
	lives_free(&l);
	run_free(&r);
}

CASE(news, an_orphan_is_adopted_the_moment_its_parent_exits)
{
	struct run r;
	char prog[512];
	snprintf(prog, sizeof(prog), "%s/family", TEST_PROGS);
	run_forkscope(&r, 30, (const char *const[]){ "--headless", "--json", "--events", "connector",
	                                            "--", prog, "orphan", NULL });
	check_end(&r, 0);
	struct lives l;
	lives_read(&r, &l);
	cr_assert_eq(l.n, 3, "parent, child, grandchild, not %zu", l.n);
	long child = l.v[1].pid, grandchild = l.v[2].pid;
	cr_assert_eq(l.v[2].ppid, child);
	size_t child_exit = index_of(&r, "exit", child);
	size_t adopted = index_of(&r, "reparent", grandchild);
	size_t its_exit = index_of(&r, "exit", grandchild);
	cr_assert_neq(adopted, SIZE_MAX, "the grandchild is adopted");
	cr_assert(jbool(r.ev[adopted], "orphan"), "as an orphan: %s", line_of(r.ev[adopted]));
	cr_assert_eq(jint(r.ev[adopted], "old_ppid"), child);
	cr_assert(child_exit < adopted && adopted < its_exit,
	          "its parent's exit (%zu), its adoption (%zu), its own exit (%zu), in that order",
	          child_exit, adopted, its_exit);
	/* its exit names its parent then: forkscope, not the dead child */
	cr_assert_eq(jint(r.ev[its_exit], "ppid"), jint(r.ev[adopted], "new_ppid"),
	             "its exit names its adopter: %s", line_of(r.ev[its_exit]));
	lives_free(&l);
	run_free(&r);
}

CASE(news, a_title_written_in_place_is_told_with_the_connector_too)
{
	struct run r;
	/* the link's long name gives the title room in argv */
	char dir[] = "/tmp/forkscope-title-XXXXXX", link[128], target[PATH_MAX];
	cr_assert_not_null(mkdtemp(dir));
	snprintf(link, sizeof(link), "%s/a-program-with-a-long-name", dir);
	char prog[512];
	snprintf(prog, sizeof(prog), "%s/retitle", TEST_PROGS);
	cr_assert_not_null(realpath(prog, target));
	cr_assert_eq(symlink(target, link), 0);
	run_forkscope(&r, 30, (const char *const[]){ "--headless", "--json", "--events", "connector",
	                                            "--", link, NULL });
	check_end(&r, 0);
	bool told = false;
	for (size_t k = 0; k < r.nev; k++)
		told |= strcmp(jstr(r.ev[k], "event"), "title") == 0 &&
		        strcmp(jstr(r.ev[k], "title"), "worker-title") == 0;
	cr_assert(told, "the title is told:\n%s", r.out);
	run_free(&r);
	unlink(link);
	rmdir(dir);
}

CASE(news, slow_motion_leaves_a_process_the_program_stopped_stopped)
{
	struct run r;
	run_forkscope(&r, 30, (const char *const[]){
		"--headless", "--json", "--events", "connector", "--slow", "100", "--", "sh", "-c",
		/* the program stops it while no hold is under way (a loop of
		 * the shell's own, no event), then a hold comes (the fork for
		 * cut) and goes */
		"sleep 5 & pid=$!; i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done; "
		"kill -STOP $pid; i=0; while [ $i -lt 50000 ]; do i=$((i+1)); done; "
		"echo state: $(cut -d' ' -f3 /proc/$pid/stat); kill -KILL $pid; wait", NULL });
	check_end(&r, 0);
	struct json_object *line = run_output(&r, "state: ");
	cr_assert_not_null(line, "the program says: %s", r.out);
	cr_assert_str_eq(jstr(line, "text"), "state: T",
	                 "the holds let go of what they stopped, not of what the program stopped");
	run_free(&r);
}
