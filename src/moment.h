/*
 * moment.h - what a view draws: the world at one time, and nothing else.
 *
 * A view is given a moment, never the live reading or the wall clock, so
 * the same drawing shows now, a rewound moment and a replayed one.  The
 * controller (session.h) makes the moment: live, it is now; rewound or
 * replayed, the model rebuilt at that time.
 *
 * Everything is borrowed from the session until its next step or control.
 */
#ifndef FORKSCOPE_MOMENT_H
#define FORKSCOPE_MOMENT_H

#include <stdbool.h>
#include <stddef.h>

#include "frame.h"
#include "history.h"
#include "timeline.h"
#include "tracker.h"

/* What the controller is doing, for the status bar. */
enum moment_mode {
	MODE_LIVE,        /* the world runs */
	MODE_PAUSED,      /* frozen (SIGSTOP), showing now */
	MODE_STEP,        /* running until the next lifecycle event */
	MODE_ENDED,       /* the run is over, showing its end */
	MODE_REWIND,      /* showing a past moment of a run (a replay's too) */
	MODE_REPLAY,      /* a recording plays */
	MODE_REPLAY_PAUSED,
	MODE_COUNT
};

struct moment {
	double t;                          /* the moment: world seconds, pauses not counted */
	const struct tracker *tracker;     /* the processes at t, reaped ones included */
	const struct frame *frame;         /* the reading at t: views read its channels
	                                    * (sorted for display) and threads only */
	const struct history *history;     /* the events numbered below upto are those of */
	size_t upto;                       /*   t; at most history_count() */
	const struct event *cursor;        /* rewound by event: the event the moment is at
	                                    * (the caption tells it); NULL otherwise */
	const struct timeline *timeline;   /* lifelines: drawn up to t only */
	/* A reaped process stays in the tree this long after its reap, so a view
	 * shows it leaving; once the run has ended and t is its end, every
	 * process of the run stays, with how it ended. */
	double tombstone_secs;
	bool final;                        /* t is the end of a run that is over */

	enum moment_mode mode;
	bool replay;                       /* the run is a recording played */
	bool recording;                    /* the run is being written to a file */
	double now;                        /* the latest time there is (live: now) */
	double reach;                      /* the oldest moment that can be rewound to */
	double started;                    /* Unix time at t = 0 (replay: when recorded) */
	double speed;                      /* replay: 0.25 to 4 */
	double slow;                       /* slow motion: seconds each step is held; 0 off */
	bool holding;                      /* slow motion holds the tree still now */
	bool news;                         /* the kernel's news is followed (else polling) */
	unsigned long dropped_events, dropped_output, dropped_lifelines;
};

/* Whether record r is drawn at moment m (see tombstone_secs). */
bool moment_shows(const struct moment *m, const struct proc_record *r);

#endif
