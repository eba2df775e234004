/*
 * event.h - what happened, as plain data.
 *
 * The tracker turns frames into events, the launcher adds the program's
 * output lines, and every view, the JSON writer and the tests read the same
 * records.  An event owns no memory: copy it freely.
 */
#ifndef FORKSCOPE_EVENT_H
#define FORKSCOPE_EVENT_H

#include <stdbool.h>
#include <sys/types.h>

#include "frame.h"

enum event_type {
	EV_SPAWN,     /* a new process: pid, ppid, comm, text = command line */
	EV_EXEC,      /* pid replaced its program: comm, text = new command line */
	EV_TITLE,     /* pid renamed itself: text = the new title */
	EV_EXIT,      /* pid became a zombie: status or signal (both -1: unknown) */
	EV_REAP,      /* pid left /proc: by = the reaper, 0 when unknown */
	EV_REPARENT,  /* pid's parent changed: old_ppid (0: never seen), ppid = new; orphan */
	EV_OUTPUT,    /* text = one line the program printed */
	EV_QUEUE,     /* a channel's fill changed: text = its name; fill, capacity... */
	EV_BLOCKED,   /* pid now waits for something else: on, syscall, text = channel */
	EV_END,       /* the whole tree is gone: the counters below */
	EV_COUNT
};

enum { EVENT_TEXT_MAX = 512 };

struct event {
	enum event_type type;
	double t;                  /* seconds since forkscope started */
	pid_t pid;
	pid_t ppid;                /* spawn: parent; reparent: new parent; exit: parent at death */
	pid_t old_ppid;            /* reparent */
	bool orphan;               /* reparent: the original parent is gone; spawn and
	                            * reap: the process was (or became) an orphan */
	int status;                /* exit: exit status 0..255, or -1 */
	int signal;                /* exit: killing signal, or -1 */
	bool core;                 /* exit: a core was dumped */
	bool zombie;               /* exit, reap: seen as a zombie (false: gone before a
	                            * tick saw it) */
	pid_t by;                  /* reap */
	char comm[PROC_COMM_MAX];  /* the process's name at the time */
	/* The other process of the event (the parent for spawn, exit and
	 * reparent; the reaper for reap), as it was at the time: events
	 * describe themselves, without the model they came from. */
	char pcomm[PROC_COMM_MAX];
	bool pself;                /* that other process is forkscope */
	char text[EVENT_TEXT_MAX];
	/* EV_QUEUE */
	int kind;                  /* enum chan_kind */
	long fill, capacity;       /* capacity 0: unknown */
	bool bytes;                /* counted in bytes, not messages */
	int nholders;
	pid_t holders[CHAN_HOLDERS_MAX];
	/* EV_BLOCKED */
	int on;                    /* enum block_on */
	char syscall[32];
	double timeout;            /* a timed put or get: seconds left; -1 none */
	/* EV_END only */
	int processes, max_alive, zombies, orphans;
	int killed;                /* still running when forkscope was told to stop */
};

/* The lower-case name used in JSON and in the text view: "spawn", "exit"... */
const char *event_type_name(enum event_type type);

#endif
