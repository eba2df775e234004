/*
 * test_session.c - the controller: the world's clock stops while paused,
 * and a run can be walked back through, live, ended and replayed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"
#include "session.h"

TestSuite(session, .timeout = 60, .fini = helpers_cleanup);

static double clock_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The newest event of type about pid in the history, or NULL. */
static const struct event *find(const struct history *h, enum event_type type, pid_t pid)
{
	for (size_t i = history_count(h); i-- > history_first(h);) {
		const struct event *ev = history_at(h, i);
		if (ev->type == type && (!pid || ev->pid == pid))
			return ev;
	}
	return NULL;
}

static struct session *start_scenario(const char *name, double tempo, const char *record)
{
	char err[256] = "", program[256], tempo_arg[32];
	struct session_opts o;

	session_opts_init(&o, 0.05, 0, 0);
	/* C demos: no Python hook (whose file is beside forkscope, not here) */
	o.python_hook = false;
	/* the demos beside the forkscope under test */
	snprintf(program, sizeof(program), "%s/../../demos/%s", TEST_PROGS, name);
	snprintf(tempo_arg, sizeof(tempo_arg), "%g", tempo);
	char tempo_opt[] = "--tempo";
	char *argv[] = { program, tempo_opt, tempo_arg, NULL };
	if (record) {
		o.record = rec_create(record, true, err, sizeof(err));
		cr_assert_not_null(o.record, "%s", err);
		o.scenario = name;
		o.tempo = tempo;
	}
	struct session *s = session_start(argv, &o, err, sizeof(err));
	cr_assert_not_null(s, "%s", err);
	return s;
}

/* Steps s until an event of type is in its history (fails after 20 s). */
static const struct event *step_until(struct session *s, enum event_type type)
{
	double until = clock_now() + 20;
	const struct event *ev;

	while (!(ev = find(session_history(s), type, 0))) {
		cr_assert_lt(clock_now(), until, "no %s event in time", event_type_name(type));
		session_step(s, 0.05, -1);
	}
	return ev;
}

CASE(session, time_spent_paused_is_not_counted)
{
	char err[256] = "", sleep[] = "sleep", secs[] = "0.4";
	char *argv[] = { sleep, secs, NULL };
	struct session_opts o;

	session_opts_init(&o, 0.05, 0, 0);
	o.python_hook = false;
	struct session *s = session_start(argv, &o, err, sizeof(err));
	cr_assert_not_null(s, "%s", err);
	double t0 = clock_now();
	session_pause(s);
	/* paused for a second of the wall clock: the world's clock stands */
	double frozen = session_elapsed(s);
	while (clock_now() - t0 < 1.0)
		session_step(s, 0.05, -1);
	cr_assert_float_eq(session_elapsed(s), frozen, 1e-9, "the clock ran while paused");
	session_resume(s);
	while (!session_finished(s))
		session_step(s, 0.05, -1);
	const struct event *ev = find(session_history(s), EV_EXIT, session_root(s));
	cr_assert_not_null(ev);
	cr_assert_lt(ev->t, 0.9, "sleep 0.4 ended at %.2f s of world time, %.2f s of wall time",
	             ev->t, clock_now() - t0);
	cr_assert_gt(clock_now() - t0, 1.0, "the wall clock did run");
	session_free(s);
}

/* The zombie's record at moment m, or NULL. */
static const struct proc_record *zombie_in(const struct moment *m, pid_t pid)
{
	const struct proc_record *r = tracker_find(m->tracker, pid);
	return r && r->phase == PHASE_ZOMBIE ? r : NULL;
}

/* Walks back from now to the exit of pid, one event at a time. */
static void back_to_exit(struct session *s, pid_t pid, struct moment *m)
{
	for (int i = 0; i < 50; i++) {
		cr_assert(session_rewind(s, REWIND_EVENT_BACK), "a step back (%d)", i);
		session_moment(s, m);
		cr_assert_not_null(m->cursor);
		if (m->cursor->type == EV_EXIT && m->cursor->pid == pid)
			return;
	}
	cr_assert_fail("never stepped back to the exit of %d", (int)pid);
}

CASE(session, a_paused_run_walks_back_to_the_zombie_and_forward_to_now)
{
	struct session *s = start_scenario("zombie", 0.2, NULL);
	const struct event *reap = step_until(s, EV_REAP);
	pid_t child = reap->pid;
	session_pause(s);
	struct moment m;
	session_moment(s, &m);
	cr_assert_eq(m.mode, MODE_PAUSED);
	cr_assert_null(zombie_in(&m, child), "reaped by now");

	back_to_exit(s, child, &m);
	cr_assert_eq(m.mode, MODE_REWIND);
	cr_assert(session_rewound(s));
	cr_assert_not_null(zombie_in(&m, child), "at its exit the child is a zombie again");
	cr_assert_lt(m.t, m.now, "a past moment");
	/* the event log of that moment ends with the exit */
	cr_assert_eq(history_at(m.history, m.upto - 1)->type, EV_EXIT);

	/* forward to the reap: the zombie is gone again */
	for (int i = 0; i < 50 && !(m.cursor && m.cursor->type == EV_REAP); i++) {
		cr_assert(session_rewind(s, REWIND_EVENT_FWD));
		session_moment(s, &m);
	}
	cr_assert_not_null(m.cursor);
	cr_assert_eq(m.cursor->type, EV_REAP);
	cr_assert_null(zombie_in(&m, child), "reaped at the reap");

	/* a second back, then now */
	cr_assert(session_rewind(s, REWIND_SECOND_BACK));
	session_moment(s, &m);
	cr_assert_null(m.cursor, "a moment by time has no event of its own");
	cr_assert(session_rewind(s, REWIND_NOW));
	session_moment(s, &m);
	cr_assert_eq(m.mode, MODE_PAUSED, "back to the paused present");
	cr_assert_not(session_rewound(s));
	/* resuming returns to now too */
	session_rewind(s, REWIND_EVENT_BACK);
	session_resume(s);
	cr_assert_not(session_rewound(s));
	session_free(s);
}

CASE(session, an_ended_run_keeps_every_process_and_walks_back_from_its_start)
{
	struct session *s = start_scenario("fork-twice", 0.1, NULL);
	while (!session_finished(s))
		session_step(s, 0.05, -1);
	session_end(s);
	struct moment m;
	session_moment(s, &m);
	cr_assert_eq(m.mode, MODE_ENDED);
	cr_assert(m.final);
	size_t n, shown = 0;
	const struct proc_record *rec = tracker_records(m.tracker, &n);
	for (size_t i = 0; i < n; i++)
		shown += !rec[i].is_self && moment_shows(&m, &rec[i]);
	cr_assert_eq(shown, 4, "the four processes of fork-twice stay, with their ends");

	cr_assert(session_rewind(s, REWIND_START));
	session_moment(s, &m);
	cr_assert_eq(m.mode, MODE_REWIND);
	cr_assert_lt(m.t, 0.2, "the start of the run: %.2f", m.t);
	cr_assert_not_null(m.cursor);
	cr_assert_eq(m.cursor->type, EV_SPAWN, "the start is the first process's spawn");
	tracker_records(m.tracker, &n);
	cr_assert_geq(n, 2, "forkscope and the program are in the tree at the start");
	cr_assert_not(m.final);
	cr_assert(session_rewind(s, REWIND_NOW));
	session_moment(s, &m);
	cr_assert_eq(m.mode, MODE_ENDED);
	session_free(s);
}

CASE(session, a_replay_plays_at_its_pace_and_steps)
{
	char dir[] = "/tmp/forkscope-test-XXXXXX", file[64], err[256] = "";
	cr_assert_not_null(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/zombie.jsonl", dir);
	struct session *s = start_scenario("zombie", 0.2, file);
	while (!session_finished(s))
		session_step(s, 0.05, -1);
	session_end(s);
	cr_assert(session_close_record(s, err, sizeof(err)), "%s", err);
	size_t live_events = history_count(session_history(s));
	double live_end = history_at(session_history(s), live_events - 1)->t;
	session_free(s);

	struct session_opts o;
	session_opts_init(&o, 0, 0, 0);
	s = session_replay(file, &o, err, sizeof(err));
	cr_assert_not_null(s, "%s", err);
	cr_assert(session_is_replay(s));
	cr_assert_str_eq(session_header(s)->scenario, "zombie");
	/* paused at its start, → goes to the first event at once */
	session_pause(s);
	double t_step = clock_now();
	cr_assert(session_rewind(s, REWIND_EVENT_FWD));
	cr_assert_lt(clock_now() - t_step, 0.5, "at once, not at the recording's pace");
	struct moment m;
	session_moment(s, &m);
	cr_assert_eq(m.mode, MODE_REPLAY_PAUSED, "still paused there");
	cr_assert_not_null(find(session_history(s), EV_SPAWN, 0), "the first spawn is played");
	session_resume(s);
	/* at twice the speed, the run takes about half its time */
	session_speed(s, +1);
	double t0 = clock_now();
	while (!session_finished(s))
		session_step(s, 0.05, -1);
	double took = clock_now() - t0;
	cr_assert_eq(history_count(session_history(s)), live_events, "every event replayed");
	cr_assert_gt(took, live_end / 2 * 0.6, "paced: %.2f s for a %.2f s run at 2x", took, live_end);
	session_moment(s, &m);
	cr_assert_eq(m.mode, MODE_ENDED, "a replay ends, and holds its end");
	cr_assert_float_eq(m.speed, 2.0, 1e-9);
	/* and walks back like a live run */
	cr_assert(session_rewind(s, REWIND_EVENT_BACK));
	session_moment(s, &m);
	cr_assert_not_null(m.cursor);
	session_free(s);
	unlink(file);
	rmdir(dir);
}

static size_t lifecycle_count(const struct history *h)
{
	size_t n = 0;
	for (size_t i = history_first(h); i < history_count(h); i++)
		n += event_lifecycle(history_at(h, i));
	return n;
}

CASE(session, a_step_runs_to_the_next_lifecycle_event_not_to_a_wait)
{
	struct session *s = start_scenario("zombie", 0.3, NULL);
	session_pause(s);
	/* each step ends on a fork, exit or reap, never only on a new wait
	 * (the demo sleeps and waits between them) */
	for (int k = 0; k < 3; k++) {
		size_t before = lifecycle_count(session_history(s));
		session_step_event(s);
		double until = clock_now() + 20;
		while (session_stepping(s) && clock_now() < until)
			session_step(s, 0.05, -1);
		cr_assert_not(session_stepping(s), "step %d never ended", k);
		cr_assert(session_paused(s), "paused again after step %d", k);
		cr_assert_gt(lifecycle_count(session_history(s)), before,
		             "step %d ended on a lifecycle event", k);
	}
	session_free(s);
}
