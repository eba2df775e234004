/*
 * session.h - one run: its sources, its engine, and the controller.
 *
 * A live session starts the program, then on every tick reads the watched
 * tree (sampler) and reaps forkscope's own children (launcher): one
 * observation (obs.h); the program's output lines are observations too.
 * A replaying session's source is a recording instead.  Either way every
 * observation goes to the reducer (the model and the events, in the
 * history), the journal (to rewind) and, when asked, a recording.
 *
 * Views drive it with session_step(), talk to its controls (pause, step,
 * kill, rewind, speed) and draw the moment it gives (session_moment()); they
 * never change the model.  No terminal here.
 */
#ifndef FORKSCOPE_SESSION_H
#define FORKSCOPE_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "frame.h"
#include "history.h"
#include "moment.h"
#include "recording.h"
#include "timeline.h"
#include "tracker.h"

/* What a run keeps of its past (events, output lines, lifelines) when the
 * user does not say: enough for any classroom demo, whole. */
#define SESSION_MEMORY_DEFAULT ((size_t)32 << 20)

/* Where a live run learns of forks, execs, renames and exits. */
enum session_events {
	EVENTS_AUTO,              /* the kernel's process connector where it can be
	                           * opened, else polling (told once) */
	EVENTS_CONNECTOR,         /* the connector, or the run does not start */
	EVENTS_POLL,              /* readings of /proc alone */
};

/* Whether a live run's program runs under forkscope's init in a PID
 * namespace of its own (pidns.h). */
enum session_pid1 {
	PID1_AUTO,                /* for the scenarios that show adoption
	                           * (scenario_pid1()), not for others */
	PID1_ON,                  /* --pid1 */
	PID1_OFF,                 /* --no-pid1, or the kernel refuses it */
};

struct session_opts {
	double interval;          /* seconds between two reads of /proc */
	double tombstone_secs;    /* how long reaped processes stay in the model */
	int cols, rows;           /* the program's terminal size */
	size_t memory;            /* bytes the run's history may hold, about; 0:
	                           * SESSION_MEMORY_DEFAULT.  Past it the oldest
	                           * events and lifelines are dropped (one "dropped"
	                           * event says so when it first happens). */
	struct rec_writer *record;  /* write the run here (the session owns it from
	                             * session_start() on, even when that fails); NULL */
	const char *scenario;       /* for the recording's header: the scenario's name, */
	double tempo;               /*   or NULL for a command; and its tempo */
	double history_secs;        /* rewinding reaches this far back at most; 0: as
	                             * far as the memory cap allows */
	bool fast;                  /* replay: everything at once, not at the
	                             * recording's pace (the headless view) */
	enum session_events events;
	int connector_buffer;       /* the connector's socket buffer, bytes (0: large);
	                             * tests make it small to overflow it */
	double slow;                /* slow motion: see session_set_slow(); 0 off */
	enum session_pid1 pid1;     /* whether the program runs in a PID namespace
	                             * under forkscope's init, PID 1 (pidns.h),
	                             * where the kernel allows it (else as
	                             * without) */
	bool python_hook;           /* Python programs get forkscope's hook
	                             * (pysource.h): their multiprocessing names,
	                             * queues and waits; when its file cannot be
	                             * found they run without (main.c says so) */
	int limit;                  /* the program may have at most this many processes
	                             * at once (launcher_start(), limit.h); 0: no limit */
};

/* The options every view starts a session with, from the command line's:
 * interval and memory as given (0: the defaults), the rest set. */
void session_opts_init(struct session_opts *o, double interval, size_t memory,
                       double history_secs);

struct session;

/* Starts argv (argv[0] is searched in PATH) and takes the first reading.
 * Returns NULL with a one-line reason in err when it cannot; then nothing is
 * left running.  The caller owns the session. */
struct session *session_start(char *const argv[], const struct session_opts *o,
                              char *err, size_t errlen);

/* Attaches to n running processes (forkscope -p) and takes the first
 * reading: each is watched with its descendants, from its PID confirmed by
 * its start time, exactly like a launched tree (the kernel's news too)
 * except that it is not forkscope's.  Nothing is started, the Python hook
 * is not loaded (it can only be given to programs forkscope starts), slow
 * motion is off, and orphans of the tree go to the system's reaper (the
 * readings tell who).  No signal is ever sent to the tree but a pause's
 * (session_pause(), which the views confirm first) and the SIGCONT that
 * undoes it; quitting (session_kill(), session_stop(), session_free())
 * leaves it running.  The run is finished once every process of the tree
 * is gone.  NULL, with one line in err, when a process is gone already
 * (check them first with session_attach_check()). */
struct session *session_attach(const pid_t *pids, size_t n, const struct session_opts *o,
                               char *err, size_t errlen);
/* Whether pid can be attached to: a process (not a thread) that is there
 * and not a zombie, not forkscope itself, whose /proc entry and children
 * list forkscope may read.  False with one line in err naming the PID and
 * what to do.  An ancestor of forkscope may be attached to: forkscope is
 * never part of the tree it shows (it is the model's self, always apart). */
bool session_attach_check(pid_t pid, char *err, size_t errlen);
/* The PIDs a run (live or replayed) was attached to; 0 when it launched
 * its program.  Borrowed for the session's life. */
size_t session_attached(const struct session *s, const pid_t **pids);
/* Whether an attached tree may be paused: false, with a sentence in why,
 * when forkscope may not signal one of its processes (another user's).
 * Always true for a tree forkscope started. */
bool session_may_stop(const struct session *s, char *why, size_t len);

/* Opens a recording for replay: the whole file is read and checked first,
 * so a broken one is refused (NULL, err naming the file, the line and what
 * is wrong) before anything is drawn.  Nothing is started and no signal is
 * sent by a replaying session; it plays at the recording's pace (speed 1)
 * from its start, and holds its end (session_finished()).  o gives the tombstone time, how
 * far back to rewind and whether to play fast; the interval, the memory cap
 * (so the same events are dropped as live), the size and the rest are the
 * recording's. */
struct session *session_replay(const char *path, const struct session_opts *o, char *err,
                               size_t errlen);
bool session_is_replay(const struct session *s);
/* A replay, one observation at a time whatever the pace, for a view that
 * goes through every moment of a recording (export.h): applies the next
 * one, sets *type to its kind, and moves the clock to it; at the end of the
 * recording, the run is finished.  False once it was finished already (or
 * not a replay). */
bool session_replay_one(struct session *s, enum obs_type *type);
/* The replayed recording's header (scenario, command, tempo, interval);
 * NULL for a live run. */
const struct rec_header *session_header(const struct session *s);
/* Replay speed: dir > 0 doubles it, dir < 0 halves it, within 0.25 to 4. */
void session_speed(struct session *s, int dir);

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
 * is taken until session_resume() sends SIGCONT.  Idempotent.  An attached
 * tree is paused only when session_may_stop() says it may be (else this
 * does nothing); a process of it stopped by someone else is left alone. */
void session_pause(struct session *s);
void session_resume(struct session *s);
bool session_paused(const struct session *s);

/* The moment the views draw (moment.h): now, or the rewound moment while
 * rewinding, or the replay's cursor.  Valid until the next step or control. */
void session_moment(struct session *s, struct moment *m);

/* Walking back through the run: while paused, once the run is over, and in
 * a replay.  By one lifecycle event back or forward, by one second, to the
 * oldest moment kept, or back to now (REWIND_NOW ends rewinding).  Returns
 * whether the moment changed.  Resuming, stepping, killing go back to now
 * first. */
enum rewind_move {
	REWIND_EVENT_BACK, REWIND_EVENT_FWD,
	REWIND_SECOND_BACK, REWIND_SECOND_FWD,
	REWIND_START, REWIND_NOW,
};
bool session_rewind(struct session *s, enum rewind_move move);
/* True while a past moment is shown (live or ended runs). */
bool session_rewound(const struct session *s);

/* Resumes until the next lifecycle event (anything but output) enters the
 * history, then pauses again by itself. */
void session_step_event(struct session *s);
/* True while a step is under way. */
bool session_stepping(const struct session *s);

/* Slow motion (live runs): after every fork, exec, rename and exit of the
 * tree (as the kernel tells them, or as readings find them when polling),
 * the tree is held still (SIGSTOP: a new child the moment its fork is
 * read, the rest right after; the program's start too, launcher.h), then
 * read (the reading shows each process as the news left it, frame.held),
 * and let go (SIGCONT to exactly what the hold stopped) secs seconds of the
 * world's clock later; news that comes while it is held extends the hold.
 * No event is lost or reordered: the kernel queues its news meanwhile.
 * Pausing, stepping, killing and the end take over from a hold and end
 * it.  0 turns it off (a hold under way is let go at once). */
void session_set_slow(struct session *s, double secs);
double session_slow(const struct session *s);

/* Whether the run's PIDs are a namespace's under forkscope's init
 * (pidns.h; a replay: whether the recording's were).  When --pid1 was
 * asked and the kernel refused, *why (when not NULL) gets the reason as a
 * sentence's end; else "". */
bool session_pid1(const struct session *s, const char **why);

/* Whether the kernel's news is followed; when not, *why (when not NULL)
 * gets the reason told as the run's first event. */
bool session_news(const struct session *s, const char **why);

/* Whether readings also list threads (frame.threads). */
void session_set_threads(struct session *s, bool on);

/* True once every process of the run is gone and its output has ended. */
bool session_finished(const struct session *s);

/* Appends the closing "end" event with the run's counters (a replay has
 * the one it recorded). */
void session_end(struct session *s);

/* Finishes the recording, if the run is recorded: false, with one line in
 * err, when it could not be written whole.  Then it is no longer written. */
bool session_close_record(struct session *s, char *err, size_t errlen);

/* An attached run (session_attach()) is only let go: what a pause stopped
 * gets SIGCONT, nothing else is signalled, and the run is finished at once.
 * Otherwise: ends the whole tree (quit, a signal): SIGTERM now, so a program can clean
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

/* The world's clock: seconds since the start, time spent paused not counted. */
double session_elapsed(const struct session *s);
pid_t session_root(const struct session *s);
/* The live model and its events (the headless view, tests); screens draw
 * session_moment() instead. */
const struct history *session_history(const struct session *s);
const struct tracker *session_tracker(const struct session *s);

#endif
