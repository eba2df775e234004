/*
 * session.h - one run of one program: launcher -> sampler -> tracker -> history.
 *
 * A session starts the program, then on every tick reads the watched tree
 * (sampler), reaps forkscope's own children (launcher), turns the difference
 * into events (tracker) and stores them with the program's output lines
 * (history).  Views drive it with session_step() and read the model through
 * the accessors; they never change it.  No terminal here.
 */
#ifndef FORKSCOPE_SESSION_H
#define FORKSCOPE_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "frame.h"
#include "history.h"
#include "timeline.h"
#include "tracker.h"

/* What a run keeps of its past (events, output lines, lifelines) when the
 * user does not say: enough for any classroom demo, whole. */
#define SESSION_MEMORY_DEFAULT ((size_t)32 << 20)

struct session_opts {
	double interval;          /* seconds between two reads of /proc */
	double tombstone_secs;    /* how long reaped processes stay in the model */
	int cols, rows;           /* the program's terminal size */
	size_t memory;            /* bytes the run's history may hold, about; 0:
	                           * SESSION_MEMORY_DEFAULT.  Past it the oldest
	                           * events and lifelines are dropped (one "dropped"
	                           * event says so when it first happens). */
};

struct session;

/* Starts argv (argv[0] is searched in PATH) and takes the first reading.
 * Returns NULL with a one-line reason in err when it cannot; then nothing is
 * left running.  The caller owns the session. */
struct session *session_start(char *const argv[], const struct session_opts *o,
                              char *err, size_t errlen);

/* Ends whatever is still running as session_stop() does, reaps it,
 * removes the demos' message queues ("/fs-...") it saw, and frees.
 * session_free(NULL) does nothing. */
void session_free(struct session *s);

/* Waits at most max_wait seconds for output, for the next tick, or for
 * wake_fd (-1: none) to become readable, and does what is due.  Returns true
 * when something was added to the history or the model changed.  A signal
 * interrupts the wait early.  While paused, no tick is taken. */
bool session_step(struct session *s, double max_wait, int wake_fd);

/* Freezes the world: every process of the tree gets SIGSTOP and no reading
 * is taken until session_resume() sends SIGCONT.  Idempotent. */
void session_pause(struct session *s);
void session_resume(struct session *s);
bool session_paused(const struct session *s);

/* Resumes until the next lifecycle event (anything but output) enters the
 * history, then pauses again by itself. */
void session_step_event(struct session *s);
/* True while a step is under way. */
bool session_stepping(const struct session *s);

/* Whether readings also list threads (frame.threads). */
void session_set_threads(struct session *s, bool on);

/* True once every process of the run is gone and its output has ended. */
bool session_finished(const struct session *s);

/* Appends the closing "end" event with the run's counters. */
void session_end(struct session *s);

/* Ends the whole tree (quit, a signal): SIGTERM now, so a program can clean
 * up, SIGKILL half a second later for whatever still runs.  The next steps
 * record the deaths, and session_finished() becomes true: when all are
 * gone, or at the latest a few seconds after SIGTERM, giving up on what
 * would not die (session_survivors()). */
void session_kill(struct session *s);

/* session_kill(), then steps until the run is finished (a few seconds at
 * most); nothing when it is finished already. */
void session_stop(struct session *s);

/* After a kill that gave up: how many processes of the tree are still alive
 * (0 normally); buf gets one sentence naming them and saying what to do:
 * "could not end 1234 (passwd): not allowed to signal it (...); end it as
 * that user or with: sudo kill 1234". */
int session_survivors(const struct session *s, char *buf, size_t len);

/* How many events (of them, output lines) and lifelines were dropped so far
 * to keep within the memory cap. */
void session_dropped(const struct session *s, unsigned long *events, unsigned long *output,
                     unsigned long *lifelines);

double session_elapsed(const struct session *s);
pid_t session_root(const struct session *s);
const struct history *session_history(const struct session *s);
const struct tracker *session_tracker(const struct session *s);
const struct timeline *session_timeline(const struct session *s);
/* The latest frame: borrowed, valid until the next session_step().  Views
 * read it for what the model does not keep: the threads of a process
 * (frame.threads), which are shown as they are now and have no history. */
const struct frame *session_frame(const struct session *s);

#endif
