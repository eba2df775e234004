/*
 * timeline.c - state segments per process, appended as states change.
 */
#include "timeline.h"

#include <stdlib.h>
#include <string.h>

#include "intmap.h"
#include "util.h"

/* Seconds after its reap when a process is surely no longer in the tracker
 * (its tombstone lasts a few seconds). */
#define FORGOTTEN 10.0

struct timeline {
	struct lifeline *line;
	size_t n, cap;
	double end;
	size_t max_bytes;
	size_t nseg;                 /* segments held by all lines */
	struct intmap at;            /* the record's birth number -> index in line */
	unsigned long dropped;
};

struct timeline *timeline_new(size_t max_bytes)
{
	struct timeline *tl = xcalloc(1, sizeof(struct timeline));

	tl->max_bytes = max_bytes;
	return tl;
}

void timeline_free(struct timeline *tl)
{
	if (!tl)
		return;
	for (size_t i = 0; i < tl->n; i++)
		free(tl->line[i].seg);
	free(tl->line);
	intmap_free(&tl->at);
	free(tl);
}

/* A line is the record's, known by its birth number (the tracker's seq):
 * its start time may be learnt after its first news. */
static unsigned long long key_of(unsigned seq)
{
	return (unsigned long long)seq + 1;
}

static struct lifeline *find(struct timeline *tl, unsigned seq)
{
	long i = intmap_get(&tl->at, key_of(seq));

	return i >= 0 ? &tl->line[i] : NULL;
}

static void add_segment(struct timeline *tl, struct lifeline *l, double t, char state)
{
	if (l->nseg && l->seg[l->nseg - 1].state == state)
		return;
	if (l->nseg == l->segcap) {
		l->segcap = l->segcap ? l->segcap * 2 : 4;
		l->seg = xreallocarray(l->seg, l->segcap, sizeof(*l->seg));
	}
	l->seg[l->nseg].t = t;
	l->seg[l->nseg].state = state;
	l->nseg++;
	tl->nseg++;
}

static size_t bytes_of(const struct timeline *tl)
{
	/* segments are counted as held, not as allocated: near enough, and cheap */
	return tl->cap * sizeof(*tl->line) + tl->nseg * sizeof(struct segment) * 3 / 2;
}

static void reindex(struct timeline *tl)
{
	intmap_clear(&tl->at);
	for (size_t i = 0; i < tl->n; i++)
		intmap_put(&tl->at, key_of(tl->line[i].seq), (long)i);
}

/* Keeps the timeline within its cap: see timeline.h. */
static void bound(struct timeline *tl)
{
	if (!tl->max_bytes || bytes_of(tl) <= tl->max_bytes)
		return;
	/* to three quarters of the cap, so this does not run every tick */
	size_t goal = tl->max_bytes / 4 * 3, k = 0;
	size_t excess = bytes_of(tl) - goal;
	for (size_t i = 0; i < tl->n; i++) {
		struct lifeline *l = &tl->line[i];
		size_t weight = sizeof(*l) + l->nseg * sizeof(struct segment) * 3 / 2;
		/* long gone: the tracker has forgotten it too, so it cannot come
		 * back as a new line */
		bool old = l->reaped >= 0 && tl->end - l->reaped > FORGOTTEN;
		if (excess > 0 && old && !l->is_self) {
			excess = weight < excess ? excess - weight : 0;
			tl->nseg -= l->nseg;
			tl->dropped++;
			free(l->seg);
			continue;
		}
		tl->line[k++] = *l;
	}
	tl->n = k;
	if (tl->n < tl->cap / 2 && tl->cap > 64) {
		tl->cap = tl->n > 64 ? tl->n : 64;
		tl->line = xreallocarray(tl->line, tl->cap, sizeof(*tl->line));
	}
	for (size_t i = 0; i < tl->n && bytes_of(tl) > goal; i++) {
		struct lifeline *l = &tl->line[i];
		if (l->nseg < 16)
			continue;
		size_t cut = l->nseg / 2;
		memmove(l->seg, l->seg + cut, (l->nseg - cut) * sizeof(*l->seg));
		l->nseg -= cut;
		tl->nseg -= cut;
		l->born = l->seg[0].t;
	}
	reindex(tl);
}

/* Records r's state at time t on its lifeline. */
static void note(struct timeline *tl, const struct proc_record *r, double t)
{
	struct lifeline *l = find(tl, r->seq);
	if (!l) {
		if (tl->n == tl->cap) {
			tl->cap = tl->cap ? tl->cap * 2 : 64;
			tl->line = xreallocarray(tl->line, tl->cap, sizeof(*tl->line));
		}
		l = &tl->line[tl->n++];
		memset(l, 0, sizeof(*l));
		intmap_put(&tl->at, key_of(r->seq), (long)(tl->n - 1));
		l->pid = r->pid;
		l->seq = r->seq;
		l->parent = r->orig_ppid;
		l->is_self = r->is_self;
		l->born = r->born;
	}
	l->start = r->start;
	str_copy(l->label, sizeof(l->label), tracker_name(r));
	l->orphan = r->orphan;
	l->died = r->died;
	l->reaped = r->reaped;
	char state = r->phase == PHASE_REAPED ? 'X' : r->phase == PHASE_ZOMBIE ? 'Z' : r->state;
	/* forkscope is always running when it reads itself: show it waiting */
	if (r->is_self)
		state = 'S';
	/* a zombie's own segment starts when it died, which may be earlier
	 * than this tick when it was reaped between two ticks */
	double at = state == 'Z' && r->died >= 0 ? r->died : state == 'X' ? r->reaped : t;
	add_segment(tl, l, at < l->born ? l->born : at, state ? state : 'S');
}

void timeline_update(struct timeline *tl, const struct tracker *tr, double t)
{
	size_t n;
	const struct proc_record *rec = tracker_records(tr, &n);

	for (size_t i = 0; i < n; i++)
		note(tl, &rec[i], t);
	if (t > tl->end)
		tl->end = t;
	bound(tl);
}

void timeline_note(struct timeline *tl, const struct proc_record *r, double t)
{
	note(tl, r, t);
	if (t > tl->end)
		tl->end = t;
	bound(tl);
}

const struct lifeline *timeline_lines(const struct timeline *tl, size_t *n)
{
	*n = tl->n;
	return tl->line;
}

char lifeline_state_at(const struct lifeline *l, double t)
{
	char state = 0;

	if (t < l->born)
		return 0;
	for (size_t i = 0; i < l->nseg && l->seg[i].t <= t; i++)
		state = l->seg[i].state;
	return state ? state : (l->nseg ? l->seg[0].state : 0);
}

double timeline_end(const struct timeline *tl)
{
	return tl->end;
}

unsigned long timeline_dropped(const struct timeline *tl)
{
	return tl->dropped;
}
