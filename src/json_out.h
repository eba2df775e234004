/*
 * json_out.h - events as JSON lines, the contract outside tools rely on.
 *
 * One object per event, always with "t" (seconds since start, 3 decimals)
 * and "event".  Field names per type are listed in README.md.  Built with
 * json-c, so escaping is never done by hand.  Every string passes through
 * text.h's TEXT_JSON first, so a line is valid UTF-8 whatever bytes the
 * program wrote (invalid ones become U+FFFD).
 */
#ifndef FORKSCOPE_JSON_OUT_H
#define FORKSCOPE_JSON_OUT_H

#include <stdbool.h>
#include <stdio.h>

#include "event.h"

/* Writes ev as one line of JSON to out; false on a write error. */
bool json_write_event(FILE *out, const struct event *ev);

#endif
