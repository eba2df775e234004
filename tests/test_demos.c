/*
 * test_demos.c - every demo through the real forkscope, headless JSON.
 *
 * These run the whole path: launcher, sampler, tracker, JSON.  Demos run at
 * a fast tempo; the counts asserted are exact, the times have margins wide
 * enough for a loaded 2-core machine.
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

TestSuite(demos, .timeout = 90, .fini = helpers_cleanup);

/* Checks what every run must satisfy and returns its "end" event. */
static struct json_object *check_run(const struct run *r)
{
	cr_assert_eq(r->status, 0, "exit code %d; stderr: %s", r->status, r->err);
	cr_assert_gt(r->nev, 0, "no JSON on stdout: %s", r->out);
	double last = 0;
	for (size_t i = 0; i < r->nev; i++) {
		double t = jnum(r->ev[i], "t");
		cr_assert_geq(t, 0, "event %zu has no t", i);
		cr_assert_geq(t + 1e-9, last, "events out of order at %zu", i);
		last = t;
	}
	struct json_object *end = r->ev[r->nev - 1];
	cr_assert_str_eq(jstr(end, "event"), "end", "the last event is end");
	cr_assert_eq(run_count(r, "end"), 1);
	/* the watched root is forkscope's child */
	struct json_object *root = run_event(r, "spawn", 0);
	cr_assert_not_null(root);
	cr_assert_eq(jint(root, "ppid"), r->pid);
	/* every spawned process left: as many reaps as spawns, each after an exit */
	cr_assert_eq(run_count(r, "spawn"), run_count(r, "reap"));
	cr_assert_eq(run_count(r, "exit"), run_count(r, "reap"));
	cr_assert_eq(jint(end, "processes"), (long)run_count(r, "spawn"));
	return end;
}

static void run_demo(struct run *r, const char *name, const char *tempo)
{
	/* each demo's own tree, under forkscope as the subreaper (orphan and
	 * zombie would be under PID 1 of a namespace: test_pidns.c) */
	const char *argv[] = { "--json", "--tempo", tempo, "--no-pid1", name, NULL };
	run_forkscope(r, 60, argv);
}

CASE(demos, fork_makes_two)
{
	struct run r;
	run_demo(&r, "fork", "0.2");
	struct json_object *end = check_run(&r);
	cr_assert_eq(jint(end, "processes"), 2);
	cr_assert_not_null(run_output(&r, "fork() returned 0"), "the child's line");
	/* told in a causal order: the child is born before it prints, and
	 * prints before it exits */
	size_t born = 0, printed = 0, died = 0;
	long child = jint(run_event(&r, "spawn", 1), "pid");
	for (size_t i = 0; i < r.nev; i++) {
		if (r.ev[i] == run_find(&r, "spawn", "pid", child))
			born = i;
		if (r.ev[i] == run_output(&r, "fork() returned 0"))
			printed = i;
		if (r.ev[i] == run_find(&r, "exit", "pid", child))
			died = i;
	}
	cr_assert(born < printed && printed < died, "spawn %zu, output %zu, exit %zu", born, printed,
	          died);
	run_free(&r);
}

CASE(demos, getpid_prints_both_pids)
{
	struct run r;
	run_demo(&r, "getpid", "0.2");
	struct json_object *end = check_run(&r);
	cr_assert_eq(jint(end, "processes"), 2);
	/* the child's PID as printed is the PID forkscope saw spawn */
	long child = jint(run_event(&r, "spawn", 1), "pid");
	char needle[32];
	snprintf(needle, sizeof(needle), "%ld", child);
	cr_assert_not_null(run_output(&r, needle), "someone prints the child's PID %ld", child);
	run_free(&r);
}

CASE(demos, fork_data_each_has_its_own_copy)
{
	struct run r;
	run_demo(&r, "fork-data", "0.2");
	struct json_object *end = check_run(&r);
	cr_assert_eq(jint(end, "processes"), 2);
	cr_assert_not_null(run_output(&r, "haha1---num=1"));
	cr_assert_not_null(run_output(&r, "haha2---num=1"));
	run_free(&r);
}

CASE(demos, fork_twice_makes_four)
{
	struct run r;
	run_demo(&r, "fork-twice", "0.2");
	struct json_object *end = check_run(&r);
	cr_assert_eq(jint(end, "processes"), 4);
	cr_assert_eq(jint(end, "max_alive"), 4);
	cr_assert_eq(jint(end, "orphans"), 0);
	run_free(&r);
}

CASE(demos, fork_nested_makes_three)
{
	struct run r;
	run_demo(&r, "fork-nested", "0.2");
	struct json_object *end = check_run(&r);
	cr_assert_eq(jint(end, "processes"), 3);
	/* both children hang directly under the root */
	long root = jint(run_event(&r, "spawn", 0), "pid");
	cr_assert_eq(jint(run_event(&r, "spawn", 1), "ppid"), root);
	cr_assert_eq(jint(run_event(&r, "spawn", 2), "ppid"), root);
	run_free(&r);
}

CASE(demos, fork_bomb_makes_exactly_32)
{
	struct run r;
	run_demo(&r, "fork-bomb", "0.2");
	struct json_object *end = check_run(&r);
	cr_assert_eq(jint(end, "processes"), 32, "2^5 processes, got %ld", jint(end, "processes"));
	cr_assert_eq(run_count(&r, "spawn"), 32, "never more than 32");
	cr_assert_eq(jint(end, "max_alive"), 32);
	run_free(&r);
}

CASE(demos, fork_bomb_generations_option)
{
	struct run r;
	const char *argv[] = { "--json", "--tempo", "0.2", "--generations", "3", "fork-bomb", NULL };
	run_forkscope(&r, 60, argv);
	struct json_object *end = check_run(&r);
	cr_assert_eq(jint(end, "processes"), 8);
	run_free(&r);
}

CASE(demos, zombie_exits_then_is_reaped_seconds_later)
{
	struct run r;
	run_demo(&r, "zombie", "0.5");
	struct json_object *end = check_run(&r);
	cr_assert_eq(jint(end, "processes"), 2);
	cr_assert_eq(jint(end, "zombies"), 1);
	long root = jint(run_event(&r, "spawn", 0), "pid");
	long child = jint(run_event(&r, "spawn", 1), "pid");
	struct json_object *ex = run_find(&r, "exit", "pid", child);
	cr_assert_not_null(ex);
	cr_assert_eq(jint(ex, "status"), 3);
	cr_assert(jbool(ex, "zombie"));
	cr_assert_eq(jint(ex, "ppid"), root);
	struct json_object *reap = run_find(&r, "reap", "pid", child);
	cr_assert_not_null(reap);
	cr_assert_eq(jint(reap, "by"), root, "its parent reaped it");
	/* the parent waits 5 s, the child exits after 2: 1.5 s at tempo 0.5 */
	double zombie_for = jnum(reap, "t") - jnum(ex, "t");
	cr_assert(zombie_for > 1.0 && zombie_for < 2.5, "a zombie for %.2f s", zombie_for);
	cr_assert_not_null(run_output(&r, "exit status 3"));
	run_free(&r);
}

CASE(demos, orphan_is_adopted_by_forkscope)
{
	struct run r;
	run_demo(&r, "orphan", "0.2");
	struct json_object *end = check_run(&r);
	cr_assert_eq(jint(end, "orphans"), 1);
	long root = jint(run_event(&r, "spawn", 0), "pid");
	long child = jint(run_event(&r, "spawn", 1), "pid");
	struct json_object *rp = run_find(&r, "reparent", "pid", child);
	cr_assert_not_null(rp, "the child was re-parented");
	cr_assert(jbool(rp, "orphan"));
	cr_assert_eq(jint(rp, "old_ppid"), root);
	cr_assert_eq(jint(rp, "new_ppid"), r.pid, "adopted by forkscope, the subreaper");
	/* the root's exit comes first, and forkscope reaps the orphan at the end */
	struct json_object *root_exit = run_find(&r, "exit", "pid", root);
	cr_assert_leq(jnum(root_exit, "t"), jnum(rp, "t"));
	cr_assert_eq(jint(run_find(&r, "reap", "pid", child), "by"), r.pid);
	run_free(&r);
}

CASE(demos, threads_beside_processes)
{
	struct run r;
	run_demo(&r, "threads", "0.2");
	struct json_object *end = check_run(&r);
	cr_assert_eq(jint(end, "processes"), 4, "one process with threads, 3 children");
	run_free(&r);
}

CASE(demos, run_order_forks_ten_times)
{
	struct run r;
	run_demo(&r, "run-order", "0.2");
	struct json_object *end = check_run(&r);
	cr_assert_eq(jint(end, "processes"), 11);
	cr_assert_eq(jint(end, "max_alive"), 2, "one child at a time");
	run_free(&r);
}

/* run-order's rounds as its output tells them: each side's ticket (0 =
 * got there first), the parent's verdict, and the tally line's numbers. */
#define RUN_ORDER_ROUNDS 10
struct run_order_seen {
	int parent_ticket[RUN_ORDER_ROUNDS + 1];   /* -1: no line */
	int child_ticket[RUN_ORDER_ROUNDS + 1];
	char verdict[RUN_ORDER_ROUNDS + 1];        /* 'p', 'c', 0: no line */
	int verdicts;                              /* verdict lines in all */
	int tally_parent, tally_rounds, tally_child;   /* -1: no tally line */
	char order[RUN_ORDER_ROUNDS + 1];          /* "pcpc...": the verdicts */
};

/* One line matched whole: sscanf's %n is set only when the literal text
 * after the last conversion matched too. */
static bool whole(const char *text, int end)
{
	return end > 0 && text[end] == '\0';
}

static void read_run_order(const struct run *r, struct run_order_seen *s)
{
	memset(s, 0, sizeof(*s));
	for (int i = 0; i <= RUN_ORDER_ROUNDS; i++)
		s->parent_ticket[i] = s->child_ticket[i] = -1;
	s->tally_parent = s->tally_rounds = s->tally_child = -1;
	for (size_t k = 0; k < r->nev; k++) {
		if (strcmp(jstr(r->ev[k], "event"), "output") != 0)
			continue;
		const char *text = jstr(r->ev[k], "text");
		char who[8];
		int round, ticket, a, b, c, took = 0, ran = 0;
		if (sscanf(text, "round %d: %7s took ticket %d%n", &round, who, &ticket, &took) == 3 &&
		    whole(text, took)) {
			cr_assert(round >= 1 && round <= RUN_ORDER_ROUNDS, "'%s'", text);
			int *slot = strcmp(who, "parent") == 0 ? &s->parent_ticket[round]
			                                       : &s->child_ticket[round];
			cr_assert_eq(*slot, -1, "a second ticket line: '%s'", text);
			*slot = ticket;
		} else if (sscanf(text, "round %d: %7s ran first%n", &round, who, &ran) == 2 &&
		           whole(text, ran)) {
			cr_assert(round >= 1 && round <= RUN_ORDER_ROUNDS, "'%s'", text);
			cr_assert_eq(s->verdict[round], 0, "a second verdict: '%s'", text);
			s->verdict[round] = strcmp(who, "parent") == 0 ? 'p' : 'c';
			s->order[round - 1] = s->verdict[round];
			s->verdicts++;
		} else if (sscanf(text, "the parent ran first in %d of the %d rounds, the child in %d",
		                  &a, &b, &c) == 3) {
			cr_assert_eq(s->tally_rounds, -1, "a second tally: '%s'", text);
			s->tally_parent = a;
			s->tally_rounds = b;
			s->tally_child = c;
		}
	}
}

/* What every run of run-order must show: each round's verdict is the
 * tickets' (the one with ticket 0 ran first), the tally counts the
 * verdicts, and over its rounds both orders came out. */
static void check_run_order(const struct run *r)
{
	struct run_order_seen s;
	int parent = 0, child = 0;

	read_run_order(r, &s);
	cr_assert_eq(s.verdicts, RUN_ORDER_ROUNDS, "%d verdict lines", s.verdicts);
	for (int i = 1; i <= RUN_ORDER_ROUNDS; i++) {
		cr_assert(s.verdict[i] != 0, "round %d has no verdict", i);
		cr_assert((s.parent_ticket[i] == 0 && s.child_ticket[i] == 1) ||
		          (s.parent_ticket[i] == 1 && s.child_ticket[i] == 0),
		          "round %d: tickets %d (parent) and %d (child), not 0 and 1", i,
		          s.parent_ticket[i], s.child_ticket[i]);
		cr_assert_eq(s.verdict[i], s.parent_ticket[i] == 0 ? 'p' : 'c',
		             "round %d: the verdict '%c' is not the tickets' (parent %d)", i,
		             s.verdict[i], s.parent_ticket[i]);
		if (s.verdict[i] == 'p')
			parent++;
		else
			child++;
	}
	cr_assert_eq(s.tally_rounds, RUN_ORDER_ROUNDS, "no tally line, or not of 10 rounds");
	cr_assert_eq(s.tally_parent, parent, "tally %d, rounds %s", s.tally_parent, s.order);
	cr_assert_eq(s.tally_child, child, "tally %d, rounds %s", s.tally_child, s.order);
	cr_assert(parent > 0 && child > 0, "only one order came out: %s", s.order);
	cr_assert_not_null(run_output(r, "the order is not fixed"));
}

CASE(demos, run_order_shows_both_orders)
{
	struct run r;
	run_demo(&r, "run-order", "0.2");
	check_run(&r);
	check_run_order(&r);
	run_free(&r);
}

/* With one CPU the child runs only when the parent's time slice ends or
 * the parent waits: the rounds where the parent works 10 or 30 ms still
 * go to the child. */
CASE(demos, run_order_shows_both_orders_on_one_cpu)
{
	cpu_set_t all, one;
	int cpu = -1;
	cr_assert_eq(sched_getaffinity(0, sizeof(all), &all), 0);
	for (int i = 0; i < CPU_SETSIZE && cpu < 0; i++)
		if (CPU_ISSET(i, &all))
			cpu = i;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	/* this test's process only: forkscope and the demo inherit it */
	cr_assert_eq(sched_setaffinity(0, sizeof(one), &one), 0);

	struct run r;
	run_demo(&r, "run-order", "0.2");
	check_run(&r);
	check_run_order(&r);
	run_free(&r);
}

CASE(demos, titles_name_the_roles)
{
	struct run r;
	run_demo(&r, "fork-twice", "0.2");
	check_run(&r);
	/* every process is named by its role, whether seen before or after renaming */
	const char *roles[] = { "parent", "child 1", "child 2", "grandchild" };
	for (size_t i = 0; i < 4; i++) {
		bool found = false;
		for (size_t k = 0; k < r.nev && !found; k++) {
			const char *ev = jstr(r.ev[k], "event");
			if (!strcmp(ev, "title"))
				found = !strcmp(jstr(r.ev[k], "title"), roles[i]);
			else if (!strcmp(ev, "spawn"))
				found = !strcmp(jstr(r.ev[k], "comm"), roles[i]);
		}
		cr_assert(found, "no process was seen as '%s'", roles[i]);
	}
	run_free(&r);
}

/* The shell forks "sleep 1" and execs "sleep 3" in its own place: the exec'd
 * program never waits, so the first sleep stays a zombie for about 2 s, until
 * its parent exits and forkscope adopts and reaps it. */
CASE(demos, command_with_a_real_zombie)
{
	struct run r;
	const char *argv[] = { "--json", "--", "sh", "-c", "sleep 1 & exec sleep 3", NULL };
	run_forkscope(&r, 30, argv);
	struct json_object *end = check_run(&r);
	cr_assert_eq(jint(end, "processes"), 2);
	/* sh becomes sleep within a millisecond: seen as an exec, or, when the
	 * first reading came after it (or during it, before its command line
	 * was there), as a root that was sleep from the start */
	struct json_object *root_spawn = run_event(&r, "spawn", 0);
	struct json_object *ex = run_find(&r, "exec", "pid", jint(root_spawn, "pid"));
	const char *cmd = jstr(ex ? ex : root_spawn, "cmd");
	cr_assert(strcmp(cmd, "sleep 3") == 0 || strcmp(cmd, "sleep") == 0, "root ran '%s'", cmd);
	long child = jint(run_event(&r, "spawn", 1), "pid");
	struct json_object *exit_ev = run_find(&r, "exit", "pid", child);
	struct json_object *reap = run_find(&r, "reap", "pid", child);
	cr_assert(jbool(exit_ev, "zombie"));
	cr_assert_eq(jint(exit_ev, "status"), 0);
	double zombie_for = jnum(reap, "t") - jnum(exit_ev, "t");
	cr_assert(zombie_for > 1.5 && zombie_for < 2.6, "a zombie for %.2f s", zombie_for);
	cr_assert_eq(jint(reap, "by"), r.pid, "forkscope adopted and reaped it");
	cr_assert_eq(jint(end, "zombies"), 1);
	run_free(&r);
}

CASE(demos, exec_keeps_the_pid)
{
	struct run r;
	const char *argv[] = { "--json", "--", "sh", "-c", "sleep 0.5; exec sleep 0.5", NULL };
	run_forkscope(&r, 30, argv);
	struct json_object *end = check_run(&r);
	long root = jint(run_event(&r, "spawn", 0), "pid");
	struct json_object *ex = run_find(&r, "exec", "pid", root);
	cr_assert_not_null(ex, "sh replaced itself with sleep:\n%s", r.out);
	cr_assert_str_eq(jstr(ex, "comm"), "sleep");
	cr_assert_str_eq(jstr(ex, "cmd"), "sleep 0.5");
	cr_assert_gt(jnum(ex, "t"), 0.4);
	/* the shell and its first sleep: the exec made no new process */
	cr_assert_eq(jint(end, "processes"), 2);
	run_free(&r);
}

CASE(demos, output_lines_arrive_live)
{
	struct run r;
	/* two lines 1 s apart, printed by a program that buffers when not on a tty */
	const char *argv[] = { "--json", "--", "sh", "-c", "echo one; sleep 1; echo two", NULL };
	run_forkscope(&r, 30, argv);
	check_run(&r);
	struct json_object *one = run_output(&r, "one"), *two = run_output(&r, "two");
	cr_assert_not_null(one);
	cr_assert_not_null(two);
	cr_assert_gt(jnum(two, "t") - jnum(one, "t"), 0.8, "each line timed as printed");
	run_free(&r);
}

CASE(demos, text_view_explains_each_event)
{
	struct run r;
	const char *argv[] = { "--headless", "--tempo", "0.3", "zombie", NULL };
	run_forkscope(&r, 60, argv);
	cr_assert_eq(r.status, 0);
	cr_assert_eq(r.nev, 0, "no JSON in the text view");
	cr_assert(strstr(r.out, "exited with status 3: a zombie until its parent"), "%s", r.out);
	cr_assert(strstr(r.out, "reaps it with wait()."), "%s", r.out);
	cr_assert(strstr(r.out, "called wait() and reaped"), "%s", r.out);
	cr_assert(strstr(r.out, "The run is over after"), "%s", r.out);
	cr_assert(strstr(r.out, "2 processes in all"), "%s", r.out);
	run_free(&r);
}
