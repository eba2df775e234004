/*
 * test_history.c - the run's memory: a capped history that drops its
 * oldest events first and keeps numbering, and lifelines within their cap.
 */
#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "history.h"
#include "timeline.h"
#include "tracker.h"

TestSuite(history, .timeout = 30, .fini = helpers_cleanup);

static struct event output(double t, const char *text)
{
	struct event ev = event_make(EV_OUTPUT, t);
	ev.text = text;
	return ev;
}

CASE(history, events_own_their_text_and_holders)
{
	struct history *h = history_new(0);
	char text[32] = "hello";
	pid_t holders[3] = { 11, 12, 13 };
	struct event ev = event_make(EV_QUEUE, 1.5);
	ev.text = text;
	ev.nholders = 3;
	ev.holders = holders;
	history_append(h, &ev);
	/* the producer's memory changes: the stored copy does not */
	strcpy(text, "changed");
	holders[0] = 99;
	const struct event *got = history_at(h, 0);
	cr_assert_str_eq(got->text, "hello");
	cr_assert_eq(got->holders[0], 11);
	cr_assert_eq(got->nholders, 3);
	cr_assert_str_eq(got->comm, "", "never NULL");
	cr_assert_str_eq(got->syscall, "");
	history_free(h);
}

CASE(history, a_capped_history_drops_the_oldest_and_keeps_numbering)
{
	size_t cap = 2u << 20;
	struct history *h = history_new(cap);
	char line[64];
	size_t n = 200000;
	for (size_t i = 0; i < n; i++) {
		snprintf(line, sizeof(line), "line %zu of the flood", i);
		struct event ev = output((double)i, line);
		history_append(h, &ev);
		cr_assert_leq(history_bytes(h), cap + (1u << 20), "over the cap at %zu", i);
	}
	cr_assert_eq(history_count(h), n, "numbers go on growing");
	size_t first = history_first(h);
	cr_assert_gt(first, 0, "2 MiB cannot hold 200,000 events");
	unsigned long dropped, dropped_output;
	history_dropped(h, &dropped, &dropped_output);
	cr_assert_eq(dropped, first);
	cr_assert_eq(dropped_output, first);
	/* what is kept is the newest, in order, with its own text */
	for (size_t i = first; i < n; i += 997) {
		snprintf(line, sizeof(line), "line %zu of the flood", i);
		cr_assert_str_eq(history_at(h, i)->text, line);
	}
	cr_assert_str_eq(history_at(h, n - 1)->text, "line 199999 of the flood");
	history_free(h);
}

CASE(history, an_uncapped_history_drops_nothing_and_clears)
{
	struct history *h = history_new(0);
	for (int i = 0; i < 5000; i++) {
		struct event ev = output(i, "x");
		history_append(h, &ev);
	}
	cr_assert_eq(history_first(h), 0);
	cr_assert_eq(history_count(h), 5000);
	history_clear(h);
	cr_assert_eq(history_count(h), 0);
	struct event ev = output(1, "again");
	history_append(h, &ev);
	cr_assert_str_eq(history_at(h, 0)->text, "again");
	history_free(h);
}

CASE(history, lifelines_stay_within_their_cap)
{
	size_t cap = 256u << 10;
	struct timeline *tl = timeline_new(cap);
	struct tracker *tr = tracker_new(1, 2, NULL);
	struct history *h = history_new(0);
	struct frame f;
	frame_init(&f);
	/* 20,000 short-lived children of the root, a few at a time */
	for (int tick = 0; tick < 4000; tick++) {
		frame_clear(&f);
		f.t = tick * 0.1;
		f.self = 1;
		f.root = 2;
		struct proc_sample *p = frame_add_proc(&f);
		p->pid = 1; p->ppid = 0; p->state = 'S'; p->start = 1;
		p = frame_add_proc(&f);
		p->pid = 2; p->ppid = 1; p->state = 'S'; p->start = 2;
		for (int k = 0; k < 5; k++) {
			p = frame_add_proc(&f);
			p->pid = 100 + (tick * 5 + k) % 30000;
			p->ppid = 2;
			p->state = 'R';
			p->start = 1000 + (unsigned long long)tick;
			strcpy(p->comm, "child");
		}
		frame_sort(&f);
		tracker_apply(tr, &f, h);
		timeline_update(tl, tr, f.t);
		history_clear(h);
	}
	size_t n;
	timeline_lines(tl, &n);
	cr_assert_gt(timeline_dropped(tl), 0, "20,000 lifelines do not fit in 256 KiB");
	cr_assert_lt(n, 20000);
	/* the newest are the ones kept */
	const struct lifeline *lines = timeline_lines(tl, &n);
	cr_assert_geq(lines[n - 1].born, 399.0);
	frame_release(&f);
	history_free(h);
	tracker_free(tr);
	timeline_free(tl);
}

CASE(history, the_newest_lifecycle_events_outlive_a_flood_of_output)
{
	struct history *h = history_new(1u << 20);
	struct event fork = event_make(EV_SPAWN, 0.5);
	fork.pid = 42;
	fork.comm = "child";
	fork.text = "sleep 1";
	history_append(h, &fork);
	for (int i = 0; i < 100000; i++) {
		struct event ev = output(1 + i * 1e-4, "y");
		history_append(h, &ev);
	}
	cr_assert_gt(history_first(h), 0, "the spawn's block was dropped");
	const struct event *got = history_recent(h, 0);
	cr_assert_not_null(got, "the newest event other than output is still there");
	cr_assert_eq(got->type, EV_SPAWN);
	cr_assert_eq(got->pid, 42);
	cr_assert_str_eq(got->comm, "child");
	cr_assert_str_eq(got->text, "sleep 1");
	cr_assert_null(history_recent(h, 1));
	/* more lifecycle events than the ring holds: the newest stay, in order */
	for (int i = 0; i < HISTORY_RECENT + 10; i++) {
		struct event ev = event_make(EV_EXIT, 20 + i);
		ev.pid = 1000 + i;
		history_append(h, &ev);
	}
	cr_assert_eq(history_recent(h, 0)->pid, 1000 + HISTORY_RECENT + 9);
	cr_assert_eq(history_recent(h, HISTORY_RECENT - 1)->pid, 1000 + 10);
	cr_assert_null(history_recent(h, HISTORY_RECENT));
	history_free(h);
}

CASE(history, long_lines_fill_blocks_by_bytes_and_stay_within_the_cap)
{
	size_t cap = 4u << 20;
	struct history *h = history_new(cap);
	static char line[16400];
	size_t n = 3000;
	for (size_t i = 0; i < n; i++) {
		/* every third line long: blocks close by bytes, not by count */
		size_t len = i % 3 == 0 ? 16000 : 40;
		memset(line, 'x', len);
		int head = snprintf(line, 32, "%zu:", i);
		line[head] = 'x';
		line[len] = '\0';
		struct event ev = output((double)i, line);
		history_append(h, &ev);
		cr_assert_leq(history_bytes(h), cap + cap / 8 + 65536, "over the cap at %zu", i);
	}
	cr_assert_gt(history_first(h), 0, "48 MB of lines cannot fit in 4 MiB");
	/* every kept event is the right one, in blocks of every size */
	for (size_t i = history_first(h); i < n; i++) {
		char want[32];
		snprintf(want, sizeof(want), "%zu:", i);
		const struct event *ev = history_at(h, i);
		cr_assert_eq(strncmp(ev->text, want, strlen(want)), 0, "event %zu is '%.20s'", i,
		             ev->text);
		cr_assert_eq(strlen(ev->text), i % 3 == 0 ? 16000u : 40u);
	}
	history_free(h);
}
