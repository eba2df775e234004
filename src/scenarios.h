/*
 * scenarios.h - the table of teaching demos forkscope can launch.
 *
 * A scenario names a demo program (built to build/demos/PROGRAM), says in one
 * line what it shows, and carries the two-line introduction a view shows
 * when it starts.  The table is constant data.
 */
#ifndef FORKSCOPE_SCENARIOS_H
#define FORKSCOPE_SCENARIOS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

struct scenario {
	const char *name;          /* what the user types: "fork-twice" */
	const char *program;       /* the demo's file name under demos/ */
	const char *description;   /* one line for --list and the menu: in
	                            * English, marked for translation: show
	                            * _(sc->description) */
	const char *intro[2];      /* shown when the scenario starts: the
	                            * same, _(sc->intro[0]) */
	bool generations;          /* takes --generations */
	bool python;               /* program is a Python file under demos/python/,
	                            * run by the python3 found in PATH */
	/* A moment the caption tells that no kernel event marks: when the
	 * demo prints a line holding cue ("EAGAIN": a fork() that failed),
	 * the caption says cue_caption (_()) for a few seconds.  NULL: none. */
	const char *cue;
	const char *cue_caption;
};

/* All scenarios in teaching order; *n gets the count. */
const struct scenario *scenario_all(size_t *n);

/* Whether the scenario called name runs, unless told otherwise, in a PID
 * namespace under forkscope's init (pidns.h): those whose point is who
 * adopts and reaps (orphan, zombie), and the bomb with no bound (fork-wall),
 * which then cannot outlive forkscope even killed with SIGKILL. */
bool scenario_pid1(const char *name);

/* The scenario called name, or NULL. */
const struct scenario *scenario_find(const char *name);

/* The scenario that runs when --limit is given with sc: sc itself when it
 * runs inside a limit (fork-wall), its unbounded twin (fork-bomb's is
 * fork-wall), or NULL when --limit is not for it. */
const struct scenario *scenario_with_limit(const struct scenario *sc);

/* How many processes sc's program may have at once (limit.h): asked
 * (--limit) when above 0, else sc's own default (fork-wall: 64); 0 for a
 * scenario that runs with no limit (and for NULL). */
int scenario_limit(const struct scenario *sc, int asked);

/* Finds the demo program for sc: beside the running binary
 * (EXE_DIR/demos/PROGRAM), then where make install puts it relative to the
 * binary (EXE_DIR/../libexec/forkscope/PROGRAM), then in the demo directory
 * compiled in.  Writes the
 * path to out; false when neither exists. */
bool scenario_program_path(const struct scenario *sc, char *out, size_t outlen);

/* The command line that starts a scenario's demo, with its own storage. */
struct launch {
	char interpreter[PATH_MAX];
	char program[PATH_MAX];
	char tempo[32];
	char generations[16];
	char opt_tempo[8];
	char opt_generations[16];
	char *argv[8];
};

/* Fills out with sc's demo program and its options (--tempo, and
 * --generations when sc takes it and generations > 0).  False when the demo
 * program cannot be found. */
/* The argv to run sc (out->argv, pointing into out); false, with one line
 * in why saying what to do (in the user's language), when its program or the interpreter it needs
 * is missing. */
bool scenario_launch(const struct scenario *sc, double tempo, int generations, struct launch *out,
                     char *why, size_t whylen);

/* The python3 to run the Python demos with: the first in PATH that is a
 * program and not a script (a version manager's shim is a script that
 * runs dozens of processes before Python starts).  False when none. */
bool scenario_python(char *out, size_t outlen);

#endif
