/*
 * pidns.h - a run in a PID namespace of its own: PID 1, and the numbers
 * the class reads.
 *
 * Why.  The course notes say an orphan is adopted by init, PID 1, and that
 * PID 0 started init.  Without a namespace, forkscope adopts orphans itself
 * (a subreaper) and the class never sees PID 1 do it.  With --pid1 the
 * program runs in a new PID namespace (clone3(CLONE_NEWPID), with
 * CLONE_NEWUSER and a one-line uid/gid map where forkscope is not root),
 * under a tiny init of forkscope's own (launcher.h): the first process of
 * the namespace, PID 1, named "init".  It forks and execs the program,
 * which is PID 2; it reaps every child, orphans included, as PID 1 does
 * (waitpid(-1) in a loop); and it exits, with the program's status, once
 * the namespace has no other process.  When init dies the kernel SIGKILLs
 * everything in the namespace: that is what makes the end of a run exact
 * (forkscope kills init last, and init dies with forkscope: PDEATHSIG).
 *
 * Design: the numbers are translated at the sources, once.  What the
 * kernel tells forkscope (the process connector, /proc, waitpid(), the
 * Python hook's peer credentials) is in the host's PIDs, and that is what
 * the sources use to read and to signal: the sampler reads /proc/HOSTPID,
 * the launcher signals through pidfds after confirming each process, the
 * connector matches host PIDs.  The observations handed to the reducer
 * (a reading, a piece of news, a hook message) are then rewritten into the
 * namespace's PIDs by the map below, before the reducer, the journal and
 * the recording see them.  So everything above the sources (the tracker,
 * the events, explain.c's captions, the log, the tree, the lifelines, the
 * text view, the JSON, a recording and its replay) holds one numbering,
 * the one the demos print with getpid() and getppid(), and no view maps
 * anything.  The alternative (the tracker keeps host PIDs and each event
 * or view looks up the namespace's) would leave every view, and every
 * lookup from an event back to its record, one mapping away from showing
 * or finding the wrong number.  The host PID is kept beside it (the
 * sample's and the news's host, the record's host) for the details pane,
 * the JSON's "host_pid" and for what forkscope says to do ("sudo kill").
 *
 * Where a number comes from.  A process's namespace PID is the last field
 * of the NSpid: line of /proc/HOSTPID/status, read once: when the news of
 * its fork comes (the session reads it then, a few microseconds after the
 * fork), or when a reading first sees it.  A process reaped before either
 * (it lived a few microseconds, and its parent waited for it at once)
 * cannot be asked any more: it keeps its host PID, which cannot be taken
 * for a namespace PID of the same run unless the namespace grew to that
 * number.  forkscope itself is outside the namespace (getppid() in init is
 * 0): it keeps its host PID, and the tree draws it as PID 0, the kernel's
 * part, since that is what PID 1's parent is from inside.  A namespace PID
 * equal to forkscope's own host PID (a namespace that grew that far) would
 * be taken for forkscope: that process keeps its host PID too.
 *
 * Where the kernel refuses (no user namespaces in a container, EPERM or
 * EINVAL, ENOSPC past the namespace limit), the run goes on with the
 * subreaper, and says so in one line.
 *
 * This module is the map and the rewriting only: no /proc, no signals.
 */
#ifndef FORKSCOPE_PIDNS_H
#define FORKSCOPE_PIDNS_H

#include <stdbool.h>
#include <sys/types.h>

#include "frame.h"
#include "obs.h"

/* In a namespace's own numbers: init, and the program init starts (the
 * namespace's first fork, so always 2). */
enum { PIDNS_INIT = 1, PIDNS_PROGRAM = 2 };

struct pidns_map;

/* An empty map for a run whose forkscope has host PID self.  The caller
 * owns it; pidns_map_free(NULL) does nothing. */
struct pidns_map *pidns_map_new(pid_t self);
void pidns_map_free(struct pidns_map *m);

/* Learns that the process with host PID host is nspid in the namespace.
 * A host PID given again to another process is learnt again.  Nothing
 * for nspid <= 0, or for one equal to forkscope's host PID. */
void pidns_map_learn(struct pidns_map *m, pid_t host, pid_t nspid);

/* The namespace PID of host; host itself when it is not known (forkscope,
 * a process gone before it could be read) and for 0 or less. */
pid_t pidns_map_ns(const struct pidns_map *m, pid_t host);

/* Rewrites a reading of the host (in) into out, an initialised frame
 * (what it held is replaced), in the namespace's numbers: each process's pid (its host PID goes to
 * host), parent, group and session, the reap notes, the channels'
 * holders and descriptors, the threads (a thread's own ID stays the
 * host's unless it is its process's main thread), and root.  Each
 * process's nspid is learnt first.  The order (by start) stays. */
void pidns_map_frame(struct pidns_map *m, const struct frame *in, struct frame *out);

/* Rewrites one piece of news in place: pid (its host PID goes to host)
 * and ppid. */
void pidns_map_news(const struct pidns_map *m, struct news *n);

#endif
