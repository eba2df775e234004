/*
 * tracker.h - from successive frames to lifecycle events and a process model.
 *
 * The tracker compares each frame with what it knew and appends events to a
 * history: spawn, exec, title, exit (the process became a zombie), reap (it
 * left /proc) and reparent.  It keeps one record per process, identified by
 * (pid, start time), with its original parent, its birth and death times and
 * its exit status.  A record outlives its process: once reaped it stays as a
 * tombstone, so a view can show it leaving, and the end of a run shows every
 * process of it with how it ended.  The newest TRACKER_KEEP_REAPED
 * tombstones are kept; older ones go, reaped longest ago first.
 *
 * Orphanhood is decided from the original parent, never from "ppid == 1": a
 * process is an orphan when its parent changed because its original parent
 * is gone.  A process first seen already under forkscope that is not the
 * launched root was orphaned before anyone could see it: it is an orphan too,
 * with an unknown original parent.
 *
 * It also tells what each sleeping process waits for (blocked events, when
 * that changes) and how full each channel is (queue events, when a fill
 * changes).
 *
 * It reads frames only: no /proc, no terminal.
 */
#ifndef FORKSCOPE_TRACKER_H
#define FORKSCOPE_TRACKER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "blocked.h"
#include "frame.h"
#include "history.h"
#include "pymodel.h"
#include "obs.h"

enum proc_phase {
	PHASE_ALIVE,     /* running, sleeping, stopped... */
	PHASE_ZOMBIE,    /* exited, not yet waited for */
	PHASE_REAPED,    /* gone from /proc: a tombstone */
};

enum { TRACKER_TITLE_MAX = PY_NAME_MAX + PY_TASK_MAX + 2 };

/* One process as the tracker knows it: a value record, whose names are
 * the tracker's (read them; copy the record only to read it). */
struct proc_record {
	pid_t pid;              /* as the user reads it: in a PID namespace
	                         * (tracker_set_pidns()), the namespace's */
	pid_t host;             /* there, the host PID it stands for; 0 else,
	                         * and when it was never read */
	unsigned long long start;
	pid_t ppid;             /* current parent (the last one, once reaped) */
	pid_t orig_ppid;        /* parent when first seen; 0 when unknown */
	pid_t pgrp, sid;
	char state;             /* last /proc state letter; 'X' once reaped */
	int nlwp;
	enum proc_phase phase;
	bool is_self;           /* forkscope itself, the adopter */
	bool is_root;           /* the program forkscope launched, or a process
	                         * it was attached to (tracker_attach()) */
	bool orphan;
	bool seen_zombie;       /* was read from /proc in state Z at least once */
	bool news;              /* born from the kernel's news, not a reading */
	bool existing;          /* running already when forkscope attached to its
	                         * tree (-p): first seen, not born */
	double named;           /* when news last gave its names (fork, exec,
	                         * rename); -1 never: a reading begun before
	                         * that is older than its names */
	double moved;           /* when news last gave it a parent (its fork, its
	                         * parent's exit); -1 never: likewise */
	int exit_status;        /* -1 unknown */
	int exit_signal;        /* -1 none or unknown */
	pid_t reaped_by;        /* 0 unknown */
	double born;            /* seconds since start, when first seen */
	double died;            /* when it became a zombie (or vanished); -1 alive */
	double reaped;          /* when it left /proc; -1 still there */
	unsigned seq;           /* birth order, for a stable display */
	unsigned long code_start;
	/* Its names: strings shared between records and the tracker's copies
	 * (rstr.h), owned by the tracker, never NULL ("" when unknown), each
	 * cut where the array it was read into is (comm at PROC_COMM_MAX - 1
	 * bytes, cmd and exe at PROC_CMD_MAX - 1, wchan at PROC_WCHAN_MAX - 1);
	 * borrowed like the record. */
	const char *comm;
	const char *cmd;
	const char *exe;
	const char *wchan;
	/* What forkscope's Python hook said of it (pymodel.h): its
	 * multiprocessing name and role, the task a pool worker runs, and the
	 * name to show ("ForkPoolWorker-2: worker(7)"); "" when it said
	 * nothing.  Cut at PY_NAME_MAX - 1, PY_TASK_MAX - 1 and
	 * TRACKER_TITLE_MAX - 1 bytes. */
	const char *pyname;
	enum py_role pyrole;
	const char *task;
	const char *title;
	double hook_t;          /* when the hook last said something of it; -1 */
	struct blocked blocked;     /* what it waits for now (ON_NONE: running) */
	struct {                    /* what the last blocked event said: */
		enum block_on on;
		const char *channel;    /* shared names, like comm (CHAN_NAME_MAX */
		const char *call;       /* and 32 bytes at most) */
	} told;
};

/* Counters over the whole run, for the closing "end" event. */
struct tracker_stats {
	int processes;          /* distinct processes seen, forkscope excluded
	                         * (and its init, in a PID namespace: these
	                         * counts are the program's) */
	int max_alive;          /* most processes alive (not zombie) at one tick */
	int zombies;            /* processes seen as zombies */
	int orphans;            /* processes that became orphans */
	int alive;              /* alive or zombie now */
	int running;            /* alive now, zombies not counted */
};

struct tracker;

enum { TRACKER_KEEP_REAPED = 1024 };

/* A tracker for a run where self is forkscope and root the launched program
 * (0 if none).  arch names the system call table of the machine the frames
 * were read on (libseccomp's name; NULL: this machine's).  The caller owns
 * it; tracker_free(NULL) does nothing. */
struct tracker *tracker_new(pid_t self, pid_t root, const char *arch);
void tracker_free(struct tracker *tr);
/* A copy of tr that goes on by itself: a checkpoint of the model. */
struct tracker *tracker_clone(const struct tracker *tr);
/* About the memory tr holds, in bytes. */
size_t tracker_bytes(const struct tracker *tr);

/* Compares f (sorted by start, as the sampler gives it) with the model,
 * appends the events to h in a causal order (spawns parent first, an exit
 * before its reap) and updates the model.  f->reaped lists the children
 * forkscope reaped itself after reading the frame: they are reaped now, by
 * forkscope, with the exact status waitpid() gave. */
void tracker_apply(struct tracker *tr, const struct frame *f, struct history *h);

/* Makes pid an attached root (forkscope -p): a running process forkscope
 * did not start, watched with its descendants like the launched root
 * (is_root; not an orphan because its parent is not forkscope).  Call
 * before the first frame.  In an attached run forkscope adopts nothing:
 * the orphans of the tree go to the system's reaper, and a reading tells
 * their new parent (one reparent event); and what the first frame holds
 * was there before forkscope (spawn events marked existing). */
void tracker_attach(struct tracker *tr, pid_t pid);
/* Whether any root was attached. */
bool tracker_attached(const struct tracker *tr);

/* From now on forkscope is killing the tree: processes it adopts in the
 * process are not told or counted as orphans. */
void tracker_set_teardown(struct tracker *tr);

/* The tree runs under forkscope's init in a PID namespace (pidns.h) and
 * the frames and news are in its numbers: PIDNS_INIT, the root, is who
 * adopts the tree's orphans (not forkscope) and PIDNS_PROGRAM is init's
 * own child, not an orphan.  Call before the first frame. */
void tracker_set_pidns(struct tracker *tr);
/* Whether tracker_set_pidns() was called: views draw forkscope, outside
 * the namespace, as the kernel's PID 0, init's parent. */
bool tracker_pidns(const struct tracker *tr);

/* With news from the kernel (the process connector, obs.h): forks, execs,
 * renames and exits are told by tracker_news(), exactly and in the
 * kernel's order.  The news drained after a reading began is applied
 * before that reading (frame.begun says when it began), so a reading may be
 * older than the news: a process born by news after it began is not taken
 * for gone when the reading does not hold it, and a reading older than a
 * process's last names does not change them.  Readings still tell states,
 * queues, waits, reaping, adoption, a command line rewritten in place (with
 * the same comm), an exit whose news was lost, and whatever the news did
 * not cover.  Call before the first frame. */
void tracker_set_news(struct tracker *tr);

/* Applies one piece of news at time t: spawn, exec, title and exit events
 * to h, marked as the kernel's.  A fork is followed only from a process of
 * the tree (or forkscope starting the root); news of a process the tracker
 * does not know is ignored.  Returns the record changed, or NULL; borrowed
 * like tracker_records(). */
const struct proc_record *tracker_news(struct tracker *tr, const struct news *n, double t,
                                       struct history *h);

/* One message of forkscope's Python hook (pymodel.h), sent by pid and told
 * at t: kept in the model when pid is a live process of the tree with the
 * start time the message gives; a new name or task is a title event.
 * Returns false when it was not placed: pid is not (yet) known, or the
 * message is not understood. */
bool tracker_hook(struct tracker *tr, pid_t pid, const char *text, size_t len, double t,
                  struct history *h);
/* Whether pid is a live process of the model. */
bool tracker_knows(const struct tracker *tr, pid_t pid);
/* What the hook told so far (for the channel probe and views). */
const struct pymodel *tracker_py(const struct tracker *tr);

/* The kernel's news was lost (an overflow): the next frame is read as if
 * there were no news, so whatever ended unseen is found. */
void tracker_distrust(struct tracker *tr);

/* The records, in birth order, tombstones included.  The array is borrowed:
 * valid until the next tracker_apply(). */
const struct proc_record *tracker_records(const struct tracker *tr, size_t *n);

/* The newest record for pid (a live one if there is one), or NULL; borrowed
 * like tracker_records(). */
const struct proc_record *tracker_find(const struct tracker *tr, pid_t pid);

/* One row of the tree, for views: the record's index and its depth. */
struct tree_row {
	size_t index;
	int depth;
};

/* Orders the records as a tree: each after its parent, siblings by birth,
 * forkscope first.  A record whose parent is unknown, or whose parent chain
 * loops, is shown at depth 0 (never an endless walk).  With shown (one flag
 * per record, NULL: all), only the records flagged are placed, as if the
 * others were not there.  rows must hold as many entries as
 * tracker_records() gives; returns how many were written. */
size_t tracker_tree(const struct tracker *tr, const bool *shown, struct tree_row *rows);

void tracker_stats(const struct tracker *tr, struct tracker_stats *out);

/* The name to show for r: what the Python hook named it, else its comm, or
 * its command line when comm (which the kernel cuts at 15 characters) is
 * only the start of a longer title. */
const char *tracker_name(const struct proc_record *r);

#endif
