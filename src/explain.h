/*
 * explain.h - one plain sentence per event: what a teacher would say.
 *
 * Used by the text view, and by the screen's caption line.  It reads only
 * the event, which names the processes it involves as they were at the time.
 */
#ifndef FORKSCOPE_EXPLAIN_H
#define FORKSCOPE_EXPLAIN_H

#include <stddef.h>

#include "event.h"

/* Writes the sentence for ev into buf[len]. */
void explain_event(const struct event *ev, char *buf, size_t len);

/* A short form for an event log line, after its label:
 * "exit  1236 status 3: zombie".  The label is "fork" for a spawn and
 * "orphan" for a reparenting that made one; else the event's name. */
const char *explain_label(const struct event *ev);
void explain_short(const struct event *ev, char *buf, size_t len);

#endif
