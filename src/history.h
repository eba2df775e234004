/*
 * history.h - every event of a run, in order.
 *
 * The one store between the producers (tracker, launcher output) and the
 * consumers (text, JSON and screen views, later a recorder and rewinding).
 * Events are appended, never changed or dropped, so a consumer keeps its own
 * index of what it has already shown.
 */
#ifndef FORKSCOPE_HISTORY_H
#define FORKSCOPE_HISTORY_H

#include <stddef.h>

#include "event.h"

struct history;

/* history_new() returns an empty history owned by the caller;
 * history_free(NULL) does nothing. */
struct history *history_new(void);
void history_free(struct history *h);

/* Appends a copy of ev; returns the stored copy, valid until the next append. */
struct event *history_append(struct history *h, const struct event *ev);
size_t history_count(const struct history *h);
/* Empties h, keeping its memory: for scratch histories only, since the
 * consumers of a run's history count on it never shrinking. */
void history_clear(struct history *h);
/* The i-th event (i < history_count()); valid until the next append. */
const struct event *history_at(const struct history *h, size_t i);

#endif
