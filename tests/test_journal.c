/*
 * test_journal.c - the engine without /proc: a simulated run's observations
 * through the reducer, kept in the journal, and past moments rebuilt from
 * it, compared with what the live model was at that moment.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "history.h"
#include "journal.h"
#include "reducer.h"
#include "timeline.h"

TestSuite(journal, .timeout = 60, .fini = helpers_cleanup);

enum { SELF = 100, ROOT = 101, KIDS = 64 };

/* A simulated tree: the root and KIDS children, some of them replaced by
 * new ones now and then (a fork, an exit, a reap), states changing. */
struct sim {
	struct frame f;
	unsigned long long next_start;
	pid_t next_pid;
	pid_t kid[KIDS];
	unsigned long long kid_start[KIDS];
	char kid_state[KIDS];
	unsigned rnd;
};

static unsigned roll(struct sim *s, unsigned n)
{
	s->rnd = s->rnd * 1103515245u + 12345u;
	return (s->rnd >> 16) % n;
}

static void add(struct frame *f, pid_t pid, pid_t ppid, unsigned long long start, char state,
                const char *comm)
{
	struct proc_sample *p = frame_add_proc(f);
	p->pid = pid;
	p->ppid = ppid;
	p->pgrp = ROOT;
	p->sid = ROOT;
	p->start = start;
	p->state = state;
	p->nlwp = 1;
	p->exit_code = -1;
	p->code_start = 0x1000;
	p->syscall = -1;
	p->timeout_left = -1;
	snprintf(p->comm, sizeof(p->comm), "%s", comm);
	snprintf(p->cmd, sizeof(p->cmd), "%s --demo", comm);
}

static void sim_init(struct sim *s, unsigned seed)
{
	memset(s, 0, sizeof(*s));
	frame_init(&s->f);
	s->rnd = seed;
	s->next_start = 20;
	s->next_pid = 1000;
	for (int i = 0; i < KIDS; i++) {
		s->kid[i] = s->next_pid++;
		s->kid_start[i] = s->next_start++;
		s->kid_state[i] = 'S';
	}
}

/* The reading at time t: a few children change state, one in a while is
 * a zombie and then gone (replaced by a new one). */
static const struct frame *sim_reading(struct sim *s, double t, bool churn)
{
	frame_clear(&s->f);
	s->f.t = t;
	s->f.self = SELF;
	s->f.root = ROOT;
	add(&s->f, SELF, 1, 1, 'S', "forkscope");
	add(&s->f, ROOT, SELF, 10, 'S', "root");
	for (int i = 0; i < KIDS; i++) {
		if (churn && roll(s, 8) == 0) {
			if (s->kid_state[i] == 'Z') {
				/* reaped: a new child takes its place */
				s->kid[i] = s->next_pid++;
				s->kid_start[i] = s->next_start++;
				s->kid_state[i] = 'S';
			} else {
				static const char states[] = "SRZ";
				s->kid_state[i] = states[roll(s, 3)];
			}
		}
		add(&s->f, s->kid[i], ROOT, s->kid_start[i], s->kid_state[i], "worker");
		if (s->kid_state[i] == 'Z')
			s->f.procs[s->f.nprocs - 1].exit_code = 3 << 8;
	}
	frame_sort(&s->f);
	return &s->f;
}

/* The live engine, as a session runs it, without /proc. */
struct engine {
	struct reducer *rd;
	struct history *h;
	struct timeline *tl;
	struct journal *j;
};

static void engine_init(struct engine *e, size_t journal_cap, double keep_secs)
{
	struct reducer_opts ro = { .self = SELF, .root = ROOT, .memory = (size_t)32 << 20 };
	e->rd = reducer_new(&ro);
	e->h = history_new((size_t)16 << 20);
	e->tl = timeline_new((size_t)8 << 20);
	e->j = journal_new(e->rd, journal_cap, keep_secs);
}

static void sim_free(struct sim *s)
{
	frame_release(&s->f);
}

static void engine_free(struct engine *e)
{
	reducer_free(e->rd);
	history_free(e->h);
	timeline_free(e->tl);
	journal_free(e->j);
}

static void feed(struct engine *e, const struct obs *o)
{
	size_t len;
	reducer_apply(e->rd, o, e->h, e->tl);
	free(journal_add(e->j, o, e->rd, history_count(e->h), &len));
}

static void feed_reading(struct engine *e, struct sim *s, double t, bool churn)
{
	struct obs o = { .type = OBS_READING, .t = t, .frame = sim_reading(s, t, churn) };
	feed(e, &o);
}

static void feed_output(struct engine *e, double t, const char *text)
{
	struct obs o = { .type = OBS_OUTPUT, .t = t, .text = text };
	feed(e, &o);
}

/* Two models are the same when every record is. */
static void assert_same_model(const struct reducer *a, const struct reducer *b, const char *at)
{
	size_t na, nb;
	const struct proc_record *ra = tracker_records(reducer_tracker(a), &na);
	const struct proc_record *rb = tracker_records(reducer_tracker(b), &nb);

	cr_assert_eq(na, nb, "%s: %zu records rebuilt, %zu live", at, na, nb);
	for (size_t i = 0; i < na; i++) {
		cr_assert_eq(ra[i].pid, rb[i].pid, "%s: record %zu", at, i);
		cr_assert_eq(ra[i].start, rb[i].start, "%s: record %zu", at, i);
		cr_assert_eq(ra[i].ppid, rb[i].ppid, "%s: record %zu", at, i);
		cr_assert_eq(ra[i].state, rb[i].state, "%s: record %zu", at, i);
		cr_assert_eq(ra[i].phase, rb[i].phase, "%s: record %zu", at, i);
		cr_assert_eq(ra[i].exit_status, rb[i].exit_status, "%s: record %zu", at, i);
		cr_assert_eq(ra[i].reaped_by, rb[i].reaped_by, "%s: record %zu", at, i);
		cr_assert_eq(ra[i].born, rb[i].born, "%s: record %zu", at, i);
		cr_assert_eq(ra[i].died, rb[i].died, "%s: record %zu", at, i);
		cr_assert_eq(ra[i].reaped, rb[i].reaped, "%s: record %zu", at, i);
		cr_assert_str_eq(ra[i].comm, rb[i].comm, "%s: record %zu", at, i);
		cr_assert_str_eq(ra[i].cmd, rb[i].cmd, "%s: record %zu", at, i);
	}
	cr_assert_eq(reducer_time(a), reducer_time(b), "%s", at);
	cr_assert_eq(reducer_frame(a)->nprocs, reducer_frame(b)->nprocs, "%s", at);
}

CASE(journal, a_rebuilt_moment_is_the_live_model_of_then)
{
	struct engine e;
	struct sim s;
	enum { READINGS = 3000, SNAPS = 40 };
	struct reducer *snap[SNAPS];
	struct journal_pos pos[SNAPS];
	int nsnap = 0;

	engine_init(&e, (size_t)64 << 20, 0);
	sim_init(&s, 7);
	for (int i = 0; i < READINGS; i++) {
		double t = 0.1 * (i + 1);
		if (i % 7 == 0)
			feed_output(&e, t - 0.05, "a line the program printed");
		feed_reading(&e, &s, t, true);
		/* snapshots of the live model, every so often */
		if (i % (READINGS / SNAPS) == 3 && nsnap < SNAPS) {
			snap[nsnap] = reducer_clone(e.rd);
			cr_assert(journal_last(e.j, &pos[nsnap]));
			cr_assert_eq(journal_time(e.j, &pos[nsnap]), t);
			nsnap++;
		}
	}
	cr_assert_gt(history_count(e.h), 1000, "the simulated run has events to rewind through");
	/* backwards, forwards, and by time: each the model of that moment */
	for (int k = nsnap; k-- > 0;) {
		char at[64];
		snprintf(at, sizeof(at), "snapshot %d (backwards)", k);
		assert_same_model(journal_rebuild(e.j, &pos[k]), snap[k], at);
	}
	for (int k = 0; k < nsnap; k++) {
		char at[64];
		struct journal_pos p;
		snprintf(at, sizeof(at), "snapshot %d (by time)", k);
		cr_assert(journal_find_time(e.j, journal_time(e.j, &pos[k]) + 0.01, &p));
		assert_same_model(journal_rebuild(e.j, &p), snap[k], at);
		reducer_free(snap[k]);
	}
	engine_free(&e);
	sim_free(&s);
}

CASE(journal, finds_the_observation_of_an_event)
{
	struct engine e;
	struct sim s;

	engine_init(&e, 0, 0);
	sim_init(&s, 3);
	for (int i = 0; i < 500; i++)
		feed_reading(&e, &s, 0.1 * (i + 1), i > 0);
	/* every event's observation: the moment after it holds the event */
	for (size_t ev = 0; ev < history_count(e.h); ev += 17) {
		struct journal_pos p;
		cr_assert(journal_find_event(e.j, ev, &p), "event %zu", ev);
		cr_assert_gt(journal_events(e.j, &p), ev);
		cr_assert_eq(journal_time(e.j, &p), history_at(e.h, ev)->t,
		             "event %zu at %.2f, its observation at %.2f", ev, history_at(e.h, ev)->t,
		             journal_time(e.j, &p));
	}
	struct journal_pos p;
	cr_assert_not(journal_find_event(e.j, history_count(e.h), &p), "no event is newer");
	engine_free(&e);
	sim_free(&s);
}

CASE(journal, drops_its_oldest_moments_first_within_its_cap)
{
	struct engine e;
	struct sim s;
	size_t cap = (size_t)6 << 20;

	engine_init(&e, cap, 0);
	sim_init(&s, 11);
	for (int i = 0; i < 20000; i++) {
		feed_reading(&e, &s, 0.1 * (i + 1), true);
		/* a block is as large as its checkpoint at least: past the cap by
		 * one block's worth at most */
		size_t block = 2 * reducer_bytes(e.rd) + ((size_t)64 << 10);
		cr_assert_leq(journal_bytes(e.j), cap + block, "%zu bytes after %d readings",
		              journal_bytes(e.j), i);
	}
	cr_assert_gt(journal_dropped(e.j), 0, "a long churning run goes past 6 MiB");
	double reach = journal_reach(e.j);
	cr_assert_gt(reach, 0, "the oldest moments went");
	/* an event older than the oldest checkpoint has no moment any more;
	 * the oldest one that has is found */
	struct journal_pos p;
	size_t first = journal_first_event(e.j);
	cr_assert_gt(first, 0);
	cr_assert_not(journal_find_event(e.j, first - 1, &p), "event %zu is gone", first - 1);
	cr_assert(journal_find_event(e.j, first, &p));
	cr_assert_geq(journal_time(e.j, &p), reach);
	/* what is left still rebuilds, from the oldest moment on */
	cr_assert(journal_find_time(e.j, 0, &p));
	cr_assert_geq(journal_time(e.j, &p), reach);
	cr_assert_not_null(journal_rebuild(e.j, &p));
	engine_free(&e);
	sim_free(&s);
}

/* A model large for the cap: two blocks are all that is kept, and their
 * lines stay small beside their checkpoints (an eighth of the cap, or
 * 64 KiB), so the journal is about two checkpoints, not four. */
CASE(journal, a_model_large_for_its_cap_keeps_two_checkpoints_and_little_more)
{
	struct engine e;
	struct sim s;
	size_t cap = (size_t)256 << 10, most = 0;

	engine_init(&e, cap, 0);
	sim_init(&s, 17);
	for (int i = 0; i < 3000; i++) {
		feed_reading(&e, &s, 0.1 * (i + 1), true);
		/* a checkpoint: the model (counted as the live one, which has room
		 * to spare) and the codec's copy of the last reading */
		size_t checkpoint = reducer_bytes(e.rd) + s.f.nprocs * sizeof(*s.f.procs);
		size_t lines = (size_t)64 << 10;
		if (journal_bytes(e.j) > most)
			most = journal_bytes(e.j);
		cr_assert_gt(checkpoint, cap / 2, "the model is large for the cap");
		cr_assert_leq(journal_bytes(e.j), 2 * checkpoint + 2 * lines + 4096,
		              "%zu bytes after %d readings (checkpoint %zu)", journal_bytes(e.j), i,
		              checkpoint);
	}
	cr_assert_gt(journal_dropped(e.j), 0);
	struct journal_pos p;
	cr_assert(journal_find_time(e.j, 0, &p));
	cr_assert_not_null(journal_rebuild(e.j, &p), "the oldest moment kept rebuilds");
	engine_free(&e);
	sim_free(&s);
}

CASE(journal, keeps_only_the_seconds_asked_for)
{
	struct engine e;
	struct sim s;

	engine_init(&e, 0, 30.0);
	sim_init(&s, 5);
	for (int i = 0; i < 6000; i++)
		feed_reading(&e, &s, 0.1 * (i + 1), true);
	double end = 600.0;
	cr_assert_gt(journal_dropped(e.j), 0, "older blocks went");
	cr_assert_float_eq(journal_reach(e.j), end - 30, 0.01, "the last 30 s: reach %.2f",
	                   journal_reach(e.j));
	/* rewinding further finds the oldest moment shown, not an older one */
	struct journal_pos p;
	cr_assert(journal_find_time(e.j, journal_reach(e.j), &p));
	cr_assert_float_eq(journal_time(e.j, &p), end - 30, 0.11);
	engine_free(&e);
	sim_free(&s);
}

/* A 64-process tree watched for 10 minutes at 10 readings a second, fed
 * as fast as it goes: everything the run keeps, within a few MiB. */
CASE(journal, ten_quiet_minutes_of_64_processes_stay_small)
{
	struct engine e;
	struct sim s;

	engine_init(&e, (size_t)8 << 20, 0);
	sim_init(&s, 13);
	for (int i = 0; i < 6000; i++)
		feed_reading(&e, &s, 0.1 * (i + 1), i % 50 == 0);
	size_t total = journal_bytes(e.j) + history_bytes(e.h) + reducer_bytes(e.rd);
	cr_assert_lt(total, (size_t)4 << 20, "%zu bytes kept for 10 minutes", total);
	cr_assert_eq(journal_dropped(e.j), 0, "the whole run is kept");
	engine_free(&e);
	sim_free(&s);
}
