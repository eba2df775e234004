/*
 * export.h - a recorded run as a handout: one HTML page that replays it in
 * a browser, offline, or its lifelines as one SVG drawing for slides.
 *
 * A view like the screen: it plays a recording through the same engine a
 * replay runs (session_replay(), one observation at a time) and says every
 * moment with the screen's own words (scene.h, explain.h, describe.h).
 *
 * The page (FILE.html) is self-contained: the player (player/page.html,
 * player.css, player.js in the source tree, embedded at build time) and the
 * run's data as JSON, nothing fetched.  The data holds every moment the
 * run's model changed (tree rows, caption, queue gauges), every event of
 * the log with its sentence, the program's output and the lifelines; each
 * sentence in English and in every language forkscope has a catalogue
 * for, so the page follows its reader's language.  player/DATA.md
 * describes the data.
 *
 * The drawing (FILE.svg) is the lifelines of the whole run in the
 * exporting user's language: one line per process, its states drawn so
 * that they read without colour (line weight and dashes), a legend, a time
 * axis in seconds, and each process's PID and name.
 *
 * No terminal, no clock: what it writes depends on the recording alone
 * (and the language).
 */
#ifndef FORKSCOPE_EXPORT_H
#define FORKSCOPE_EXPORT_H

#include <stdbool.h>
#include <stddef.h>

enum export_kind { EXPORT_HTML, EXPORT_SVG };

/* The kind a path's ending asks for: ".html" or ".htm" a page, ".svg" a
 * drawing (in any case); false for any other name. */
bool export_kind_of(const char *path, enum export_kind *kind);

/* Where an export goes, made before anything starts (outfile.h): a bad
 * path is refused (NULL, one line in err) before a run begins. */
struct export_out;
struct export_out *export_create(const char *path, bool force, char *err, size_t errlen);

/* Writes the export of the recording rec (a file a replay would accept)
 * into out, and closes out.  False with one line in err when the
 * recording cannot be read or the file written: then a file out made is
 * removed (one --force named is left as it was, when nothing was written
 * yet).  *bytes (may be NULL) gets the size written. */
bool export_write(struct export_out *out, const char *rec, size_t *bytes, char *err,
                  size_t errlen);

/* Gives up an export that will not be written: a file it made is
 * removed.  export_abandon(NULL) does nothing. */
void export_abandon(struct export_out *out);

#endif
