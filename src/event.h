/*
 * event.h - what happened, as plain data.
 *
 * The tracker turns frames into events, the launcher adds the program's
 * output lines, and every view, the JSON writer and the tests read the same
 * records.  An event is compact: its text fields are pointers.  A producer
 * points them at its own memory for the one call that hands the event over
 * (history_append() copies every string and array into the history's own
 * memory); a consumer reads them from the history, where they live as long as
 * the event does.  A text field is never NULL ("" when empty).  Text from the
 * watched program is raw bytes: views clean it (text.h) before showing it.
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
	EV_OUTPUT,    /* text = one line the program printed; cut, partial */
	EV_QUEUE,     /* a channel's fill changed: text = its name; fill, capacity... */
	EV_BLOCKED,   /* pid now waits for something else: on, syscall, text = channel */
	EV_DROPPED,   /* the memory cap was reached: the oldest events are being dropped */
	EV_END,       /* the whole tree is gone: the counters below */
	EV_LOST,      /* the kernel's news overflowed: lost (-1 unknown); /proc was read again */
	EV_POLLING,   /* no news from the kernel: readings alone; text = why */
	EV_COUNT
};

struct event {
	enum event_type type;
	double t;                  /* seconds since forkscope started */
	pid_t pid;
	pid_t host;                /* in a PID namespace (pidns.h): the host PID pid
	                            * stands for; 0 else, or not known */
	pid_t ppid;                /* spawn: parent; reparent: new parent; exit: parent at death */
	pid_t old_ppid;            /* reparent */
	pid_t by;                  /* reap: the reaper; blocked: the child a join waits for */
	int status;                /* exit: exit status 0..255, or -1 */
	int signal;                /* exit: killing signal, or -1 */
	bool orphan;               /* reparent: the original parent is gone; spawn and
	                            * reap: the process was (or became) an orphan */
	bool core;                 /* exit: a core was dumped */
	bool zombie;               /* exit: it is a zombie now (always, when the kernel
	                            * told it; false: a reading found it gone, reaped
	                            * already); reap: a reading saw it as a zombie */
	bool pself;                /* the other process (pcomm) is forkscope */
	bool bytes;                /* queue: counted in bytes, not messages */
	bool kernel;               /* spawn, exec, title, exit: told by the kernel as it
	                            * happened (the process connector), not found by a
	                            * reading of /proc afterwards */
	bool existing;             /* spawn: already running when forkscope attached
	                            * to it (forkscope -p), not a birth */
	bool partial;              /* output: shown before its end of line came (the
	                            * program paused mid-line); the rest follows as
	                            * another output event */
	const char *comm;          /* the process's name at the time */
	/* The other process of the event (the parent for spawn, exit and
	 * reparent; the reaper for reap; the child for a join), as it was at the
	 * time: events describe themselves, without the model they came from. */
	const char *pcomm;
	const char *text;
	const char *syscall;       /* blocked: "wait4", or "" */
	const char *what;          /* queue: what Python's hook says it is ("Queue",
	                            * "tasks", "manager"...); blocked: a manager
	                            * call's method ("qsize"); else "" */
	unsigned long long cut;    /* output: bytes of the line not kept (past the
	                            * line cap); 0 when whole */
	/* EV_QUEUE */
	int kind;                  /* enum chan_kind */
	int nholders;
	long fill, capacity;       /* capacity 0: unknown */
	const pid_t *holders;      /* nholders PIDs */
	/* EV_BLOCKED */
	int on;                    /* enum block_on */
	double timeout;            /* a timed put or get: seconds left; -1 none */
	/* EV_END, and EV_DROPPED for the dropped_* counts */
	int processes, max_alive, zombies, orphans;
	int killed;                /* killed by forkscope at the end (they were still running) */
	int unkillable;            /* could not be ended (not allowed, or would not die) */
	unsigned long dropped_events, dropped_output, dropped_lifelines;
	long lost;                 /* EV_LOST: kernel messages missed (for the whole
	                            * machine), -1 unknown */
};

/* An event of this type at time t with every field empty: no PIDs, status
 * and signal -1, timeout -1, every text "". */
struct event event_make(enum event_type type, double t);

/* Whether an event is worth a line of the event log and a caption, and a
 * step of rewinding: not output (it has its panel), and not a plain sleep,
 * which demos do all the time. */
bool event_tellable(const struct event *ev);

/* Whether an event is one of a process's life: spawn, exec, title, exit,
 * reap, reparent, or the run's end.  Rewinding steps by these. */
bool event_lifecycle(const struct event *ev);

/* The lower-case name used in JSON and in the text view: "spawn", "exit"... */
const char *event_type_name(enum event_type type);

#endif
