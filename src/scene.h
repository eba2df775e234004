/*
 * scene.h - what a moment shows, in words: the tree's rows, the caption,
 * a queue's fill.  The screen (tui_*.c) and the exported page (export.h)
 * lay these out, each its own way; the words are made here once, so both
 * say the same thing of the same moment.
 *
 * It reads the moment only (moment.h): its tracker for the records, its
 * time for ages and the fork() labels, its history below upto for the
 * caption, its frame for threads and channels.  Words are in the user's
 * language (i18n.h).  No curses, no clock.
 */
#ifndef FORKSCOPE_SCENE_H
#define FORKSCOPE_SCENE_H

#include <stdbool.h>
#include <stddef.h>

#include "channels.h"
#include "describe.h"
#include "event.h"
#include "moment.h"
#include "scenarios.h"

/* How long a new process stays highlighted ("✚ new"). */
#define SCENE_NEW_SECS 3.0
/* The most rows scene_rows() builds: a wider tree is cut (a bomb, not a
 * lesson). */
enum { SCENE_MAX_ROWS = 2048 };

struct scene_opts {
	bool ascii;         /* ASCII twins of the glyphs and symbols */
	bool threads;       /* threads under their process (the t key) */
};

/* One row of the tree. */
struct scene_row {
	const struct proc_record *rec;
	const struct thread_sample *thread;   /* a thread row under rec */
	int depth;
	bool kernel;                          /* PID 0's row (scene_kernel_row()) */
	char prefix[160];                     /* the tree lines before the PID */
	char tight[112];                      /* the same in two columns a level */
};

/* The rows of the tree m shows, in tree order, with their lines; threads
 * under their process when o asks.  Returns how many, at most max. */
size_t scene_rows(const struct moment *m, const struct scene_opts *o, struct scene_row *out,
                  size_t max);

/* forkscope's record in a PID namespace (--pid1): shown as PID 0, init's
 * parent as seen from inside, and never selected: no process to watch. */
bool scene_kernel_row(const struct moment *m, const struct proc_record *r);

/* A row's PID and name as shown ("3", "parent"; "0", "the kernel"). */
void scene_row_names(const struct scene_row *row, char *pid, size_t pidlen, char *name,
                     size_t namelen);
/* A row's state column: "☠ zombie (exit 3, parent 2 has not waited)",
 * "thread of 12", with its threads counted. */
void scene_row_state(const struct moment *m, const struct scene_opts *o,
                     const struct scene_row *row, char *buf, size_t len);
/* The state of r at m in words, as its row says it; once the run is over
 * (m->final), how it ended and who reaped it. */
void scene_process_state(const struct moment *m, bool ascii, const struct proc_record *r,
                         char *buf, size_t len);
/* Whether r was born less than SCENE_NEW_SECS before m and lives. */
bool scene_fresh(const struct moment *m, const struct proc_record *r);
/* What fork() returned on row's process while the fork is fresh:
 * "fork() → 0" in the child, "fork() → 2345" in the parent (its newest
 * child); "" otherwise. */
void scene_fork_label(const struct moment *m, bool ascii, const struct scene_row *row, char *buf,
                      size_t len);
/* The tree's title: how many rows are shown and who adopts orphans; once
 * the run is over, that the tree is the whole run. */
void scene_tree_title(const struct moment *m, size_t nrows, char *buf, size_t len);

/* ---- events and the caption ---------------------------------------------- */

/* The lifecycle events (everything but output) below a moment's upto,
 * newest first: scene_walk() starts, scene_walk_next() gives the next or
 * NULL.  At the newest moment they come from history_recent(), which no
 * flood of output or memory cap takes from a view; at an older one, from a
 * bounded scan back. */
struct scene_walk {
	const struct history *h;
	bool recent;
	size_t k;
	size_t floor;
};
struct scene_walk scene_walk(const struct moment *m);
const struct event *scene_walk_next(struct scene_walk *w);

/* Where a backward scan of the history from event upto stops: a bounded
 * number of events back (a flood of output must not slow a frame down),
 * or the oldest one kept. */
size_t scene_scan_floor(const struct history *h, size_t upto);

/* Whether an event is worth a line of the log and the caption: not output
 * (it has its panel), and not a plain sleep. */
bool scene_tellable(const struct event *ev);

/* Whether the program has done anything of its own by m: until then the
 * caption holds the scenario's introduction. */
bool scene_started(const struct moment *m);

/* The event the caption tells at m: the one a rewound moment is at, else
 * the latest tellable one still true at m; NULL when none. */
const struct event *scene_caption_event(const struct moment *m);

/* The caption at m, the sentence a teacher would say: the scenario's
 * introduction (sc may be NULL: a command) until the program has started
 * (started: scene_started(m), which the caller has already), the
 * scenario's cue caption for a few seconds after its cue, else the
 * caption event's sentence, else that nothing happened yet. */
void scene_caption(const struct moment *m, const struct scenario *sc, bool started, char *buf,
                   size_t len);

/* Two sentences one after the other into buf[len]: a space between them,
 * unless the first ends in a wide character ("。"), as Chinese writes. */
void scene_join_sentences(char *buf, size_t len, const char *a, const char *b);

/* ---- queues and pipes ---------------------------------------------------- */

/* How full c is: 0 empty, 1 some, 2 full. */
int scene_fill_level(const struct channel *c);
/* "3/3 messages  FULL", "120 bytes", "7 tasks waiting (no limit)" */
void scene_fill_words(const struct channel *c, char *buf, size_t len);
/* The name as shown: Python's word for what it is, then its name
 * (describe_channel()): "Manager /fs-..." */
void scene_channel_name(const struct channel *c, char *buf, size_t len);
/* "  held by 1234r 1235w" within width columns: the PIDs that fit whole,
 * then "+2" for the rest (width < 0: all). */
void scene_holders(const struct channel *c, int width, char *buf, size_t len);

#endif
