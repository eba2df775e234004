/*
 * sampler.h - reads the watched processes from /proc into a frame.
 *
 * The sampler knows one top process (forkscope itself, the subreaper) and
 * finds its subtree through /proc/PID/task/TID/children.  Every process it has
 * seen is re-read by PID on later ticks until it leaves /proc, even after it
 * left the subtree, so nothing is lost when a process is re-parented.  It
 * never scans all of /proc: the cost of a tick grows with the watched tree,
 * not with the machine.  A process vanishing in the middle of a read is
 * ordinary: it is left out.
 *
 * A lean tick.  What can change without the kernel's news is read at every
 * scan: the stat line (state, parent, group, threads, a zombie's status,
 * through a descriptor of it kept open and read again from its start), the
 * system call a sleeping process is in (the same way), and the fills of the
 * channels known (channels.h, whose cache lists a process's descriptors
 * again only when they may have changed).  Its names (comm, command line,
 * executable) are read by libproc2 when it is first seen, when its stat
 * says it exec'd (its text or stack moved) or was renamed (comm changed),
 * and when sampler_read() reads them for the news; in between, the names
 * last read are the reading's.  The children lists are read at every scan
 * when polling, and only for new processes while the news tells of forks
 * (sampler_set_news()).
 *
 * Nothing is touched before its identity is confirmed.  A process known
 * from before is ours only while the /proc descriptor kept for it still
 * reads, with the same start time (or, when none could be kept, with the
 * same start time read again); a new one only when its parent, as its stat
 * says, was confirmed in the same tick.  Each confirmed process gets a
 * /proc/PID descriptor bound to it (procfs.h), kept between ticks while the
 * open-files limit allows (past it, opened and closed within the tick), and
 * its children, system call, memory and descriptors are read through that
 * only: a PID handed to someone else is never walked, probed or read.  Out
 * of descriptors, the reading is marked incomplete rather than declare
 * anyone dead.
 *
 * It touches /proc only, never the terminal, never the tracker.
 */
#ifndef FORKSCOPE_SAMPLER_H
#define FORKSCOPE_SAMPLER_H

#include <stdbool.h>
#include <sys/types.h>

#include "frame.h"
#include "pymodel.h"

struct sampler;

/* A sampler for the subtree under top (top included).  Returns NULL, with a
 * message in err, when libproc2 cannot be set up.  The caller owns it;
 * sampler_free(NULL) does nothing. */
struct sampler *sampler_new(pid_t top, char *err, size_t errlen);
void sampler_free(struct sampler *s);

/* Reads one process's stat, names, command line and executable (no
 * descriptors, no children) into out: for news of an exec or a rename, as
 * it comes.  True only when pid is there and, when start is not 0, has that
 * start time: what belongs to another process is never kept.  The names
 * read are the watched process's from then on. */
bool sampler_read(struct sampler *s, pid_t pid, unsigned long long start, struct proc_sample *out);

/* Reads pid at the next scans as if it had been seen before, when it is
 * still the process that started at start (clock ticks since boot): for a
 * process the kernel's news told of, which a children list read in the
 * middle of forks may miss.  Nothing when start is 0. */
void sampler_expect(struct sampler *s, pid_t pid, unsigned long long start);

/* Whether the kernel's news tells of every fork (the process connector,
 * and sampler_expect() called for each): then a process's children list is
 * read only when it is first seen, not at every scan.  Off by default. */
void sampler_set_news(struct sampler *s, bool on);
/* News may have been lost: the next scan reads every children list. */
void sampler_resync(struct sampler *s);

/* Whether each process's PID in a namespace below the top's (pidns.h) is
 * read, once, when it is first seen (proc_sample.nspid; 0 for those in the
 * top's own namespace).  Off by default: it costs a read of its status. */
void sampler_set_pidns(struct sampler *s, bool on);

/* Whether each scan also lists the threads of multi-threaded processes
 * (frame.threads).  Off by default: it costs one more read per process. */
void sampler_set_threads(struct sampler *s, bool on);

/* Clears out, then fills it with every live or zombie process of the
 * subtree and every process seen before that is still in /proc, sorted by
 * (start, pid).  Sets out->self to top; leaves t, root and reaped alone.
 * Returns the number of processes read. */
size_t sampler_scan(struct sampler *s, struct frame *out);

/* The channels of out, the frame sampler_scan() last filled, read again
 * now (their fills, from the descriptors listed then; a process gone since
 * is skipped, as in a scan): out's processes are left as they were read.
 * For the fill a process leaves behind as it exits (session.c). */
void sampler_channels_again(struct sampler *s, struct frame *out);
/* What the Python hook told (pymodel.h), for the channel probe of the next
 * scans to name Python's queues (channels.h); NULL: nothing.  Borrowed: it
 * must live until it is set again or the sampler is freed. */
void sampler_set_python(struct sampler *s, const struct pymodel *py);

#endif
