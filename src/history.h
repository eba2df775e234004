/*
 * history.h - the events of a run, in order, within a memory cap.
 *
 * The one store between the producers (tracker, launcher output) and the
 * consumers (text, JSON and screen views, later a recorder and rewinding).
 * Events are appended and never changed.  Each event is numbered from 0 in
 * the order it came; the numbers go on growing when old events are dropped.
 *
 * The bound: a history made with a cap keeps its events (and their text) in
 * at most about max_bytes.  When an append would go over, the oldest events
 * are dropped, a block of them at a time (never the newest): their numbers
 * fall below history_first().  A consumer keeps the number of the next event
 * it has not shown yet, and goes on from history_first() when that is
 * larger.  history_dropped() says how many were dropped, so a view can say so.
 */
#ifndef FORKSCOPE_HISTORY_H
#define FORKSCOPE_HISTORY_H

#include <stddef.h>

#include "event.h"

/* How many of the newest events other than output are kept apart. */
enum { HISTORY_RECENT = 256 };

struct history;

/* An empty history owned by the caller, that keeps about max_bytes at most
 * (0: no cap, for a tick's scratch events).  history_free(NULL) does
 * nothing. */
struct history *history_new(size_t max_bytes);
void history_free(struct history *h);

/* Appends a copy of ev: its strings and holders are copied into the
 * history's memory, so ev's own may be freed once this returns.  Returns the
 * stored copy, which lives until it is dropped (not before the next append). */
const struct event *history_append(struct history *h, const struct event *ev);
/* The number the next appended event will get: one past the newest. */
size_t history_count(const struct history *h);
/* The number of the oldest event still kept (0 until something is dropped). */
size_t history_first(const struct history *h);
/* Event number i, for history_first() <= i < history_count(). */
const struct event *history_at(const struct history *h, size_t i);
/* The k-th newest event other than an output line (k = 0: the newest),
 * for k < HISTORY_RECENT; NULL past what there was.  These are kept apart
 * from the rest, in HISTORY_RECENT copies (about 100 KiB at most), so a
 * flood of output, or the cap, never takes the latest lifecycle events from
 * a view; the pointer lives until the next append. */
const struct event *history_recent(const struct history *h, size_t k);
/* Empties h and numbers from 0 again: for scratch histories only. */
void history_clear(struct history *h);

/* How many events were dropped to stay within the cap, and how many of
 * those were output lines. */
void history_dropped(const struct history *h, unsigned long *events, unsigned long *output);
/* The memory the history holds now, in bytes. */
size_t history_bytes(const struct history *h);

#endif
