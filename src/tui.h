/*
 * tui.h - the full-screen view: menu, live tree, lifelines, help.
 *
 * The only public door into the curses side of forkscope.  It drives a
 * session (session.h) and draws what the model holds; it never changes the
 * model except through the session's controls (pause, step, kill).
 */
#ifndef FORKSCOPE_TUI_H
#define FORKSCOPE_TUI_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "session.h"

struct rec_writer;

enum tui_theme { THEME_DARK, THEME_LIGHT, THEME_MONO };

struct tui_opts {
	const char *scenario;      /* open straight into this scenario; NULL: menu */
	char **command;            /* or this command (argv); NULL: none */
	const char *replay;        /* or play this recording (r plays it again) */
	struct rec_writer *record; /* record the first run started (not a replay)
	                            * to it: that run's session takes it over; later
	                            * runs are not recorded.  NULL: none.  When no
	                            * run starts it is left unused and open. */
	double tempo;
	double interval;           /* seconds */
	int generations;           /* 0: the demo's default */
	int limit;                 /* --limit: the fork-wall's ceiling; 0: its default */
	enum tui_theme theme;
	bool projector;
	bool ascii;                /* no UTF-8 glyphs */
	long iterations;           /* end after this many refreshes; 0: never */
	size_t memory;             /* the run's history cap in bytes; 0: default */
	double history_secs;       /* how far back rewinding reaches; 0: memory's say */
	enum session_events events;  /* where the lifecycle is learnt (session.h) */
	double slow;               /* slow motion, seconds (0: off; s turns it on) */
	int connector_buffer;      /* the connector's socket buffer (tests); 0 */
	bool python_hook;          /* Python programs get forkscope's hook */
	enum session_pid1 pid1;    /* a PID namespace under forkscope's init */
	const char *pid1_refused;  /* why the kernel gave none (a sentence's end),
	                            * said on the screen as a run starts that
	                            * would have had one; NULL */
	bool all_channels;         /* show multiprocessing's own pipes too (c) */
	const pid_t *attach;       /* or watch these running processes (-p); the
	                            * view asks before it stops them, and quitting
	                            * leaves them running */
	size_t nattach;
};

/* Runs the screen until the user quits, *stop becomes non-zero (a signal)
 * or the iterations are done.  Kills every process it started and restores
 * the terminal before it returns.  Returns the exit code: 0; 2 when the
 * terminal could not be used or the recording to replay could not be read,
 * before anything was started; 1 when some process of the tree could not be
 * ended (a line on stderr says why, for each). */
int tui_run(const struct tui_opts *o, volatile sig_atomic_t *stop);

/* Puts the terminal back (normal screen, cursor, modes) with
 * async-signal-safe calls only: for fatal-signal handlers. */
void tui_emergency_restore(void);

#endif
