/*
 * headless.h - the view with no screen: one line per event on stdout.
 *
 * Text lines carry the time, the event's name and a plain sentence, cleaned
 * by text.h for the terminal (control characters shown as ^[ or \x9b,
 * invalid UTF-8 as U+FFFD, or plain ASCII when the locale is not UTF-8);
 * with json, one JSON object per line (json_out.h).  It reads the
 * session's history and model, and only prints.
 */
#ifndef FORKSCOPE_HEADLESS_H
#define FORKSCOPE_HEADLESS_H

#include <signal.h>
#include <stdbool.h>

#include "session.h"

/* Runs s until its whole tree is gone, printing every event, then the
 * "end" event.  When *stop becomes non-zero (a signal), the tree is killed
 * and the run ends as soon as every death is recorded.  Returns 0, or 1
 * when stdout failed (the tree is killed then too). */
int headless_run(struct session *s, bool json, volatile sig_atomic_t *stop);

#endif
