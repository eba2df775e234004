/*
 * timeline.h - each process's life as state segments over time: lifelines.
 *
 * The tracker keeps records only while a process lives and a few seconds
 * after; the timeline keeps every process of the run with when it was born,
 * each change of state, and when it died and was reaped, so a view can draw
 * the timeline a teacher draws on the board.  It reads the tracker after each
 * tick; it never touches /proc or the terminal.
 *
 * The bound: it keeps about max_bytes at most.  Over that, the lifelines of
 * the processes reaped longest ago are dropped first; should the live ones
 * alone be too many, the oldest half of each long line's segments goes
 * (the line then starts where its first kept segment does).
 */
#ifndef FORKSCOPE_TIMELINE_H
#define FORKSCOPE_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "frame.h"
#include "tracker.h"

/* From this time on the process was in this state ('R', 'S', 'D', 'T',
 * 'Z' zombie, 'X' reaped). */
struct segment {
	double t;
	char state;
};

struct lifeline {
	pid_t pid;
	unsigned long long start;  /* 0 until known */
	unsigned seq;              /* the tracker's record: its birth number */
	pid_t parent;              /* the parent that forked it; 0 when unknown */
	bool is_self;
	bool orphan;
	char label[PROC_COMM_MAX];
	double born, died, reaped; /* -1 when not (yet) */
	struct segment *seg;
	size_t nseg, segcap;
};

struct timeline;

/* A timeline that keeps about max_bytes at most (0: no cap).  The caller
 * owns it; timeline_free(NULL) does nothing. */
struct timeline *timeline_new(size_t max_bytes);
void timeline_free(struct timeline *tl);

/* Records the state of every process the tracker knows at time t. */
void timeline_update(struct timeline *tl, const struct tracker *tr, double t);
/* Records the state of one process at time t (news of it came). */
void timeline_note(struct timeline *tl, const struct proc_record *r, double t);

/* The lifelines in birth order; borrowed until the next update. */
const struct lifeline *timeline_lines(const struct timeline *tl, size_t *n);

/* The state of line l at time t: 0 before its birth, else the state of the
 * segment holding t. */
char lifeline_state_at(const struct lifeline *l, double t);

/* The latest time recorded. */
double timeline_end(const struct timeline *tl);

/* How many lifelines were dropped to stay within the cap. */
unsigned long timeline_dropped(const struct timeline *tl);

#endif
