/*
 * timeline.c - state segments per process, appended as states change.
 */
#include "timeline.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

struct timeline {
	struct lifeline *line;
	size_t n, cap;
	double end;
};

struct timeline *timeline_new(void)
{
	return xcalloc(1, sizeof(struct timeline));
}

void timeline_free(struct timeline *tl)
{
	if (!tl)
		return;
	for (size_t i = 0; i < tl->n; i++)
		free(tl->line[i].seg);
	free(tl->line);
	free(tl);
}

static struct lifeline *find(struct timeline *tl, pid_t pid, unsigned long long start)
{
	for (size_t i = tl->n; i-- > 0;)
		if (tl->line[i].pid == pid && tl->line[i].start == start)
			return &tl->line[i];
	return NULL;
}

static void add_segment(struct lifeline *l, double t, char state)
{
	if (l->nseg && l->seg[l->nseg - 1].state == state)
		return;
	if (l->nseg == l->segcap) {
		l->segcap = l->segcap ? l->segcap * 2 : 8;
		l->seg = xreallocarray(l->seg, l->segcap, sizeof(*l->seg));
	}
	l->seg[l->nseg].t = t;
	l->seg[l->nseg].state = state;
	l->nseg++;
}

void timeline_update(struct timeline *tl, const struct tracker *tr, double t)
{
	size_t n;
	const struct proc_record *rec = tracker_records(tr, &n);

	for (size_t i = 0; i < n; i++) {
		const struct proc_record *r = &rec[i];
		struct lifeline *l = find(tl, r->pid, r->start);
		if (!l) {
			if (tl->n == tl->cap) {
				tl->cap = tl->cap ? tl->cap * 2 : 64;
				tl->line = xreallocarray(tl->line, tl->cap, sizeof(*tl->line));
			}
			l = &tl->line[tl->n++];
			memset(l, 0, sizeof(*l));
			l->pid = r->pid;
			l->start = r->start;
			l->parent = r->orig_ppid;
			l->is_self = r->is_self;
			l->born = r->born;
		}
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
		add_segment(l, at < l->born ? l->born : at, state ? state : 'S');
	}
	if (t > tl->end)
		tl->end = t;
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
