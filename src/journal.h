/*
 * journal.h - a run's observations, kept to rebuild any past moment.
 *
 * Every observation a session applies is kept, encoded as a recording line
 * (recording.h: a reading as its difference from the one before), in
 * blocks.  Each block begins with a checkpoint: a clone of the reducer and
 * of the codec as they were after the observation before the block.  The
 * model at a past moment is the checkpoint at or before it plus the
 * observations after it, reduced again: never more than one block's worth.
 *
 * A position names the moment just after one kept observation.  Positions
 * are found by time or by event number (the live history's numbering: each
 * kept observation knows how many events there were once it was applied).
 *
 * The bound: about max_bytes in all, checkpoints included (a block is at
 * least as large as its checkpoint, so when the model alone is near the cap,
 * two blocks are kept all the same); with keep_secs (> 0), moments older
 * than that before the newest observation are not shown.  Past either, the
 * oldest block goes, so the oldest moments go first; journal_reach() says
 * how far back it still goes.
 */
#ifndef FORKSCOPE_JOURNAL_H
#define FORKSCOPE_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "obs.h"
#include "reducer.h"

struct journal;

struct journal_pos {
	size_t block;           /* an absolute block number */
	size_t line;            /* within the block */
};

/* A journal whose first checkpoint is start (cloned: the caller keeps its
 * own), the reducer before any observation. */
struct journal *journal_new(const struct reducer *start, size_t max_bytes, double keep_secs);
void journal_free(struct journal *j);

/* Keeps o, which the live reducer `after` has just applied; events is the
 * live history's count after it.  Returns the line o was encoded as (the
 * caller frees it; its length in *line_len): the same line a recording of
 * the run holds, so it is encoded once for both (rec_write_line()). */
char *journal_add(struct journal *j, const struct obs *o, const struct reducer *after,
                  size_t events, size_t *line_len);

/* The number of the oldest event a kept observation brought in: older
 * events' moments can no longer be rebuilt. */
size_t journal_first_event(const struct journal *j);
/* False when nothing is kept. */
bool journal_empty(const struct journal *j);
/* The last observation at or before t (the oldest kept when t is earlier). */
bool journal_find_time(const struct journal *j, double t, struct journal_pos *p);
/* The observation that brought event number e into the history; false
 * when no kept observation did (e is older than journal_first_event(), or
 * newer than the newest). */
bool journal_find_event(const struct journal *j, size_t e, struct journal_pos *p);
/* The newest observation kept. */
bool journal_last(const struct journal *j, struct journal_pos *p);
/* Time and event count after the observation at p. */
double journal_time(const struct journal *j, const struct journal_pos *p);
size_t journal_events(const struct journal *j, const struct journal_pos *p);

/* The model just after the observation at p, rebuilt; borrowed until the
 * next rebuild or add.  NULL when p is no longer kept. */
const struct reducer *journal_rebuild(struct journal *j, const struct journal_pos *p);

/* The time of the oldest moment kept (0 before anything is dropped). */
double journal_reach(const struct journal *j);
size_t journal_bytes(const struct journal *j);
/* How many observations were dropped to stay within the bound. */
unsigned long journal_dropped(const struct journal *j);

#endif
