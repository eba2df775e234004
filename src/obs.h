/*
 * obs.h - an observation: one fact a source saw, at one time.
 *
 * Sources turn what they see into observations on one clock, the world's:
 * seconds since the run began, time spent paused not counted.  The live
 * session's sources are the /proc reading (with the reaper's waitpid notes
 * of that reading) and the program's output on the pty; a recording
 * (recording.h) is a source too.  The reducer (reducer.h) turns the stream
 * into the model and the events, the same way whichever source it came from:
 * a replayed run gives the events of the live one by construction.
 *
 * The kernel's process connector (connector.h) is a source too: it tells
 * of each process of the tree as it forks, execs, renames itself and exits,
 * at the moment it happens (OBS_PROC), and when its messages overflowed
 * (OBS_LOST).  Readings stay for what it does not say (states, queues,
 * waits, reaping, adoption).
 *
 * An observation borrows what it points at (the frame, the text, the news)
 * for the one call that hands it over.
 */
#ifndef FORKSCOPE_OBS_H
#define FORKSCOPE_OBS_H

#include <stdbool.h>

#include "frame.h"

enum obs_type {
	OBS_READING,    /* frame: one reading of the tree, with the reap notes
	                 * of the children forkscope reaped right after it */
	OBS_OUTPUT,     /* text: one line (or the start of one) the program printed */
	OBS_KILL,       /* forkscope began ending the tree (quit, a signal): what
	                 * is adopted from now on is its own doing, not an orphan */
	OBS_END,        /* the run is over: killed and unkillable for the end event */
	OBS_PROC,       /* news: the kernel told of one process of the tree */
	OBS_LOST,       /* the kernel's messages overflowed: lost of them were
	                 * missed (-1: how many is not known); a reading follows */
	OBS_HOOK,       /* text: one message of forkscope's Python hook
	                 * (pymodel.h), sent by process pid */
	OBS_COUNT
};

/* What the kernel tells of a process (OBS_PROC). */
enum news_kind {
	NEWS_FORK,      /* pid was forked by ppid: start (0: unknown), and its
	                 * names when ppid is not known to the reader */
	NEWS_EXEC,      /* pid runs a new program: comm, cmd, exe, code (read
	                 * from /proc as the news came; "" and 0 when it was
	                 * gone by then) */
	NEWS_EXIT,      /* pid (its last thread) exited: status, as wait(2) gives it */
	NEWS_COMM,      /* pid renamed itself: comm (the kernel's), and cmd as
	                 * read when the news came (a title written in place) */
	NEWS_REAP,      /* pid, a zombie, was gone from /proc when the exit of
	                 * its parent ppid was told: ppid reaped it before it
	                 * exited (told just before that exit) */
	NEWS_COUNT
};

/* One piece of news about one process: a plain value. */
struct news {
	enum news_kind kind;
	pid_t pid;
	pid_t ppid;                 /* NEWS_FORK: the parent (a process, not a thread);
	                             * NEWS_REAP: the reaper */
	unsigned long long start;   /* NEWS_FORK: start time, clock ticks since boot; 0 unknown */
	int status;                 /* NEWS_EXIT: wait(2) status */
	unsigned long code;         /* NEWS_EXEC: start of the text segment; 0 unknown */
	char comm[PROC_COMM_MAX];   /* NEWS_FORK, NEWS_EXEC, NEWS_COMM */
	char cmd[PROC_CMD_MAX];     /* NEWS_FORK, NEWS_EXEC, NEWS_COMM */
	char exe[PROC_CMD_MAX];     /* NEWS_FORK, NEWS_EXEC */
	pid_t host;                 /* in a namespace's numbers (pidns.h): the
	                             * host PID that pid stands for; 0 else */
};

struct obs {
	enum obs_type type;
	double t;                     /* world time, seconds */
	const struct frame *frame;    /* OBS_READING; its t is the same as the observation's */
	const char *text;             /* OBS_OUTPUT: never NULL */
	unsigned long long cut;       /* OBS_OUTPUT: bytes of the line not kept */
	bool partial;                 /* OBS_OUTPUT: the rest of the line follows */
	int killed, unkillable;       /* OBS_END */
	const struct news *news;      /* OBS_PROC */
	long lost;                    /* OBS_LOST: how many kernel messages (for the
	                               * whole machine) were missed; -1 unknown */
	pid_t pid;                    /* OBS_HOOK: who sent it (the kernel says) */
};

/* "reading", "output", "kill", "end", "proc", "lost", "hook": the names a
 * recording uses. */
const char *obs_type_name(enum obs_type type);
/* "fork", "exec", "exit", "comm", "reap". */
const char *news_kind_name(enum news_kind kind);

#endif
