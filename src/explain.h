/*
 * explain.h - one plain sentence per event: what a teacher would say.
 *
 * Used by the text view, and by the screen's caption line.  It reads only
 * the event, which names the processes it involves as they were at the time.
 * Everything it writes is in the user's language (i18n.h): for the screen
 * and the text view, never for JSON (json_out.h keeps its English words).
 */
#ifndef FORKSCOPE_EXPLAIN_H
#define FORKSCOPE_EXPLAIN_H

#include <stddef.h>

#include "event.h"

/* Writes the sentence for ev into buf[len]. */
void explain_event(const struct event *ev, char *buf, size_t len);

/* The word for an event of this type as the text view shows it: the
 * event's name ("spawn", "exit"; event_type_name()) in the user's language.
 * A translation may be wider than its bytes say: pad it by display width. */
const char *explain_word(enum event_type type);

/* A short form for an event log line, after its label:
 * "exit  1236 status 3: zombie".  The label is "fork" for a spawn and
 * "orphan" for a reparenting that made one; else explain_word(): in the
 * user's language, for display only (padded by display width). */
const char *explain_label(const struct event *ev);
/* Every word explain_label() may return, into out[max]; returns how many:
 * a column of labels as wide as the widest never moves. */
size_t explain_labels(const char **out, size_t max);
void explain_short(const struct event *ev, char *buf, size_t len);

#endif
