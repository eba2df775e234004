/*
 * recording.h - a run as JSON lines: a header, then its observations.
 *
 * A recording is the observation stream (obs.h) and nothing else, so a
 * replay runs the same reducer over the same facts and gives the same events
 * in the same order.  Written and read with json-c; no parser of our own.
 *
 * Format, version 2: one JSON object per line, UTF-8 text as the program
 * printed it (bytes that are not UTF-8 are kept as they are).
 *
 *   {"forkscope":"recording","version":2,"program":"forkscope 0.9",
 *    "kernel":"6.1.0-13-amd64","arch":"x86_64","started":1795000000.25,
 *    "scenario":"zombie","command":["/usr/libexec/forkscope/zombie","--tempo","1"],
 *    "tempo":1,"interval":0.1,"cols":40,"rows":24,"memory":33554432,
 *    "self":4100,"root":4101,"news":true,"polling":""}
 *   {"o":"reading","t":0.1,"procs":[...],"gone":[...],"reaped":[...], ...}
 *   {"o":"output","t":0.13,"text":"hello","cut":0,"partial":false}
 *   {"o":"proc","t":0.14,"news":"fork","pid":4102,"ppid":4101,"start":9901,
 *    "comm":"sh","cmd":"sh -c x","exe":"/usr/bin/dash"}
 *   {"o":"proc","t":0.15,"news":"exec","pid":4102,"comm":"true",
 *    "cmd":"/bin/true","exe":"/usr/bin/true","code":94371}
 *   {"o":"proc","t":0.16,"news":"exit","pid":4102,"status":0}
 *   {"o":"proc","t":0.17,"news":"comm","pid":4101,"comm":"worker","cmd":"worker"}
 *   {"o":"lost","t":2,"count":12}
 *   {"o":"kill","t":5.2}
 *   {"o":"end","t":5.4,"killed":2,"unkillable":0}
 *
 * A reading is written as its difference from the previous one: the
 * processes that are new (every field), changed (only the fields that
 * changed) or gone, and the channels, descriptors and threads whole when any
 * of them changed.  "arch" names the recording machine's system call table
 * (libseccomp's name), so a blocked process is classified as it was there;
 * "scenario" is null for a command.  "started" is the wall clock (Unix
 * seconds) at t = 0, for showing the time of day in a replay.  "news" and
 * "polling" are struct rec_header's.  A "proc" line is one piece of news
 * from the kernel (struct news), with the keys of its kind and no others;
 * a "lost" line's "count" is null when how many is not known.
 *
 * Version 4 adds "attached" to the header: the PIDs of the running
 * processes an attached run (forkscope -p) watched, [] for a run that
 * launched its program.  Version 3 (which added "hook" lines) is version 4
 * without it: read as [].
 *
 * Version 5 adds "pidns" to the header (true: the run was in a PID
 * namespace under forkscope's init, pidns.h, and its PIDs are the
 * namespace's), and "host", the host's PID, to a process of a reading and
 * to a piece of news, for the processes of such a run (only there).  Older
 * versions are version 5 with "pidns" false and no "host".
 *
 * Version 1 is read too: it is version 2 without "news" and "polling" in
 * the header (read as false and "") and without "proc" and "lost" lines.
 *
 * Nothing in a recording depends on the replaying machine: PIDs, users and
 * paths are only names.
 */
#ifndef FORKSCOPE_RECORDING_H
#define FORKSCOPE_RECORDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "obs.h"

enum { RECORDING_VERSION = 5 };

struct rec_header {
	int version;
	char program[64];           /* "forkscope 0.9" */
	char kernel[128];           /* uname -r of the recording machine */
	char arch[32];              /* libseccomp's name of its arch: "x86_64" */
	double started;             /* Unix time at t = 0 */
	char scenario[64];          /* "" for a command */
	char **command;             /* NULL-terminated argv, owned (rec_header_free) */
	double tempo;
	double interval;
	int cols, rows;             /* the program's terminal */
	size_t memory;              /* the history's cap in bytes */
	pid_t self, root;
	/* Version 2: where the lifecycle came from.  news: the process
	 * connector was followed (its "proc" and "lost" lines are in the
	 * recording); false: polling alone (every version 1 recording), and
	 * polling says why ("asked with --events poll", "the kernel refused
	 * it: ..."), "" when not told. */
	bool news;
	char polling[160];
	/* Version 4: the running processes the run was attached to
	 * (forkscope -p), owned (rec_header_free); none in a run that launched
	 * its program (root), and in every older recording. */
	pid_t *attached;
	size_t nattached;
	/* Version 5: the program ran in a PID namespace under forkscope's init
	 * (pidns.h): the PIDs are the namespace's, root is its init (1);
	 * false in every older recording. */
	bool pidns;
};

/* Frees what h owns (command), not h itself. */
void rec_header_free(struct rec_header *h);

/* ---- the codec: observations <-> lines ----------------------------- */

/* A codec keeps the previous reading, which the next one is a difference
 * from.  One encodes or decodes one stream, never both. */
struct rec_codec;
struct rec_codec *rec_codec_new(void);
void rec_codec_free(struct rec_codec *c);
/* Makes dst continue exactly where src is (the previous reading, the time
 * and the version copied): for rewinding, which decodes from a checkpoint
 * on. */
void rec_codec_copy(struct rec_codec *dst, const struct rec_codec *src);

/* Encodes o as one JSON line, without the newline: a string the caller
 * frees, its length in *len. */
char *rec_encode(struct rec_codec *c, const struct obs *o, size_t *len);

/* Decodes one line (len bytes, no newline needed, no NUL needed) into o.
 * What o points at (the frame, the text, the news) lives in the codec until
 * the next decode.  A codec decodes RECORDING_VERSION (a reader's, the
 * version its file's header names).  A reading's frame has self and root
 * 0: they are the header's, not written in each reading.  On a broken
 * line, returns false with what is wrong in err ("\"procs\" is not an
 * array"), without the file and line, and the codec is as it was before.
 * Bounds: a line of at most 64 MiB, arrays of at most 1,000,000 elements
 * (processes, channels...); past them the line is broken. */
bool rec_decode(struct rec_codec *c, const char *line, size_t len, struct obs *o,
                char *err, size_t errlen);

/* ---- files ----------------------------------------------------------- */

/* Creates path with the user's umask (0666 & ~umask), never following a
 * symlink there (O_NOFOLLOW), and refusing an existing file unless force
 * (then it is replaced once the run begins, rec_write_header(): still never
 * through a symlink; a FIFO or a device is refused).  NULL with one
 * line in err ("cannot record to FILE: it exists; use --force to replace
 * it"; "cannot record to FILE: no such folder") when it cannot; nothing is
 * left behind then.  Made before anything starts, so a bad path is refused
 * first; the header follows once the run has begun (rec_write_header()).
 * Lines are flushed at least once a second, so a crash loses at most the
 * last second. */
struct rec_writer;
struct rec_writer *rec_create(const char *path, bool force, char *err, size_t errlen);
/* The first line; before any rec_write(). */
bool rec_write_header(struct rec_writer *w, const struct rec_header *h, char *err,
                      size_t errlen);
/* Appends o.  False when the write failed (err says why: disk full...);
 * the writer is unusable then. */
bool rec_write(struct rec_writer *w, const struct obs *o, char *err, size_t errlen);
/* Appends a line rec_encode() made of the same stream, from the first
 * observation on (the journal's: a run's observations are encoded once). */
bool rec_write_line(struct rec_writer *w, const char *line, size_t len, char *err,
                    size_t errlen);
/* Writes what waits once a second has passed since the last write: for a
 * run that observes nothing for a while (paused).  rec_poll(NULL) does
 * nothing. */
void rec_poll(struct rec_writer *w);
/* Writes what waits and closes; false (with err, which may be NULL) when
 * the last writes failed.  A writer closed before its header leaves
 * nothing behind: a file it made is removed, an existing one (--force) is
 * left as it was.  rec_close(NULL) is true. */
bool rec_close(struct rec_writer *w, char *err, size_t errlen);

/* Opens a recording and reads its header into h (which the caller frees
 * with rec_header_free(), even after a failure).  NULL with one line in err
 * naming the file and what is wrong ("FILE: line 1: not a forkscope
 * recording"; "FILE: is a folder, not a recording"; "FILE: empty (not a
 * forkscope recording)"; "FILE: line 1: format version 3 is newer than this
 * forkscope reads (2); update forkscope"). */
struct rec_reader;
struct rec_reader *rec_open(const char *path, struct rec_header *h, char *err, size_t errlen);
/* The same from an open stream; name is what messages call it.  The stream
 * stays the caller's. */
struct rec_reader *rec_open_stream(FILE *f, const char *name, struct rec_header *h, char *err,
                                   size_t errlen);
/* The next observation: 1, 0 at the end of the file, -1 when the file is
 * broken from here on, with err naming the file, the line and what is wrong
 * ("FILE: line 12: truncated (the recording was cut short)"; "...: not JSON
 * (...)"; "...: unknown observation \"fork\""; "...: \"t\" is not a
 * number"; "...: a \"proc\" line in a version 1 recording"; "...: longer
 * than 64 MiB").  What o points at lives until the next call. */
int rec_read(struct rec_reader *r, struct obs *o, char *err, size_t errlen);
void rec_reader_free(struct rec_reader *r);

#endif
