/*
 * reducer.h - observations in, the model and finished events out.
 *
 * The one place where what sources saw becomes what happened.  A reducer
 * holds the model (the tracker's process records, the latest reading's
 * channels and threads, the program's output not yet placed) and applies
 * observations (obs.h) one at a time, in the order they came, appending
 * every event whole to a history: an event is complete when it is appended
 * and never changed after.  The same observations give the same model and
 * the same events, whoever feeds them (the live session, a recording,
 * a rewind), so a reducer can be cloned (a checkpoint) and the model at any
 * time is a checkpoint plus the observations after it.
 *
 * With the kernel's news (OBS_PROC), forks, execs, renames and exits are
 * told one by one as they come, in the kernel's order, and output is told
 * as it comes too: the process printing it was told of before.  Without
 * news, readings tell everything:
 *
 * Order within a reading: polling learns of a reading's events together,
 * after the fact, and of the output as soon as it is printed; they are told
 * births first (a process must exist to print), then the output read since
 * the last reading, then deaths and adoptions, all at the reading's time.
 * Output that piles up (a flood, a long interval) is placed before the
 * reading it waits for, at the last reading's time, so what waits is bounded.
 *
 * No /proc, no terminal, no clock: only what it is given.
 */
#ifndef FORKSCOPE_REDUCER_H
#define FORKSCOPE_REDUCER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "frame.h"
#include "history.h"
#include "obs.h"
#include "timeline.h"
#include "tracker.h"

struct reducer_opts {
	pid_t self;             /* forkscope, the adopter at the top */
	pid_t root;             /* the launched program */
	const pid_t *attached;  /* or the running processes attached to
	                         * (tracker_attach()); nattached of them */
	size_t nattached;
	const char *arch;       /* system call table of the readings (NULL: here) */
	size_t memory;          /* the run's memory cap: how much output may wait */
	bool news;              /* the kernel's news (OBS_PROC) tells the lifecycle */
	const char *polling;    /* without news: why, told once as the first event
	                         * ("" or NULL: not told) */
	bool pidns;             /* the tree runs under forkscope's init in a PID
	                         * namespace (tracker_set_pidns()) */
};

struct reducer;

struct reducer *reducer_new(const struct reducer_opts *o);
void reducer_free(struct reducer *rd);
/* A copy that goes on by itself. */
struct reducer *reducer_clone(const struct reducer *rd);
/* About the memory it holds, in bytes. */
size_t reducer_bytes(const struct reducer *rd);

/* Applies o: events go to h (whole), and, when tl is not NULL, each reading
 * is added to the lifelines.  When h has a cap and has dropped events, a
 * "dropped" event says so once. */
void reducer_apply(struct reducer *rd, const struct obs *o, struct history *h,
                   struct timeline *tl);

const struct tracker *reducer_tracker(const struct reducer *rd);
/* The latest reading: channels sorted for display, threads.  Empty before
 * the first. */
const struct frame *reducer_frame(const struct reducer *rd);
/* The time of the latest observation applied (0 before any). */
double reducer_time(const struct reducer *rd);
/* How many lifecycle events (event_lifecycle(): spawn, exec, title, exit,
 * reap, reparent) were emitted: a step runs until this grows. */
unsigned long reducer_lifecycle(const struct reducer *rd);
/* True once an OBS_END was applied. */
bool reducer_ended(const struct reducer *rd);

#endif
