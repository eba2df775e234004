/*
 * obs.h - an observation: one fact a source saw, at one time.
 *
 * Sources turn what they see into observations on one clock, the world's:
 * seconds since the run began, time spent paused not counted.  The live
 * session's sources are the /proc reading (with the reaper's waitpid notes
 * of that reading) and the program's output on the pty; a recording
 * (recording.h) is a source too.  The reducer (reducer.h) turns the stream
 * into the model and the events, the same way whichever source it came from:
 * a replayed run gives the events of the live one by construction.
 *
 * An observation borrows what it points at (the frame, the text) for the one
 * call that hands it over.
 */
#ifndef FORKSCOPE_OBS_H
#define FORKSCOPE_OBS_H

#include <stdbool.h>

#include "frame.h"

enum obs_type {
	OBS_READING,    /* frame: one reading of the tree, with the reap notes
	                 * of the children forkscope reaped right after it */
	OBS_OUTPUT,     /* text: one line (or the start of one) the program printed */
	OBS_KILL,       /* forkscope began ending the tree (quit, a signal): what
	                 * is adopted from now on is its own doing, not an orphan */
	OBS_END,        /* the run is over: killed and unkillable for the end event */
	OBS_COUNT
};

struct obs {
	enum obs_type type;
	double t;                     /* world time, seconds */
	const struct frame *frame;    /* OBS_READING; its t is the same as the observation's */
	const char *text;             /* OBS_OUTPUT: never NULL */
	unsigned long long cut;       /* OBS_OUTPUT: bytes of the line not kept */
	bool partial;                 /* OBS_OUTPUT: the rest of the line follows */
	int killed, unkillable;       /* OBS_END */
};

/* "reading", "output", "kill", "end": the names a recording uses. */
const char *obs_type_name(enum obs_type type);

#endif
