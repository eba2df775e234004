/*
 * connector.h - the kernel's process connector: news of the tree as it
 * happens.
 *
 * The netlink process connector (NETLINK_CONNECTOR, CN_IDX_PROC) tells of
 * every fork, exec, exit and rename on the machine, with a timestamp, the
 * moment it happens: what lives and dies between two readings of /proc is
 * told all the same, with its exit status.  This source listens, follows
 * the watched tree through its forks (from forkscope itself, the subreaper,
 * down), and turns the kernel's messages about threads into news about
 * processes (obs.h, struct news): a thread's birth or end is not a
 * process's; a process has exited when its last thread has, with that
 * thread's status (a group exit gives every thread the group's).  (A
 * process first found by a reading rather than by its fork has no thread
 * count here: it has exited when its main thread has.)  Renames are a
 * process's when its main thread is renamed.
 *
 * Limits, as its users know them: the kernel's messages can overflow the
 * socket under a storm (then connector_drain() says so, and the caller
 * reads /proc at once and calls connector_sync()); the connector only
 * exists in the first network namespace, and older kernels let only
 * CAP_NET_ADMIN listen; its PIDs are the first PID namespace's, so it is
 * refused inside another.  connector_open() says why it cannot be used, and
 * forkscope polls alone then.
 *
 * A fork's start time is read from /proc/PID/stat as the news comes, and
 * taken only when it cannot be a later process's (it started no later than
 * the fork was told): the tree's identity is (PID, start) here too.
 * Nothing else of a process is read here, and nothing is signalled.
 */
#ifndef FORKSCOPE_CONNECTOR_H
#define FORKSCOPE_CONNECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "frame.h"
#include "obs.h"

struct connector;

/* One piece of news, and when the kernel told it (CLOCK_MONOTONIC, s).
 * news.start is the process's start time for every kind, when known. */
struct connector_news {
	struct news news;
	double mono;
};

/* What one drain found: the news of the tree in the kernel's order, and
 * whether messages were lost (lost: how many, for the whole machine; -1
 * when that is not known).  The array is the connector's: valid until the
 * next drain. */
struct connector_batch {
	const struct connector_news *news;
	size_t n;
	bool overflow;
	long lost;
	bool more;              /* the drain stopped at its limit: more waits */
};

/* Listens for the kernel's process events, following the tree below top
 * (forkscope).  rcvbuf: the socket's buffer in bytes (0: a large one, as
 * far as the kernel allows).  Returns NULL with the reason in err (a
 * sentence's end: "the kernel refused it (Operation not permitted)") when
 * it cannot be used.  The caller owns it; connector_free(NULL) does
 * nothing. */
struct connector *connector_open(pid_t top, int rcvbuf, char *err, size_t errlen);
/* Stops listening (so the kernel stops making the messages) and frees. */
void connector_free(struct connector *c);

/* The socket, for poll(). */
int connector_fd(const struct connector *c);

/* Whether the machine is busy enough that the socket could fill up between
 * two readings: the last drain read a quarter of what it holds or more.
 * Then it is worth waking for as soon as it is readable; otherwise the
 * news can wait in the socket for the next reading (its times are the
 * kernel's, so nothing is misplaced by waiting), and a quiet machine costs
 * no wake-ups. */
bool connector_busy(const struct connector *c);

/* Reads the messages waiting, without blocking: all of them, or 20,000
 * when more keep coming (a storm elsewhere on the machine); the rest waits
 * for the next call. */
void connector_drain(struct connector *c, struct connector_batch *out);

/* After a reading of /proc that began at mono (CLOCK_MONOTONIC): every
 * process of f is followed from now on (the reading found it even when
 * news of it was missed), and a process followed since before mono that f
 * does not hold is gone (its end was missed) and is followed no more, so a
 * stranger given its PID later is never read. */
void connector_sync(struct connector *c, const struct frame *f, double mono);

/* Whether a process with this start time (clock ticks since boot) had
 * started by mono (CLOCK_MONOTONIC): news told at mono cannot be about a
 * process that started later (one given the PID after). */
bool connector_started_by(const struct connector *c, unsigned long long start, double mono);

/* How many processes are followed now (for tests). */
size_t connector_following(const struct connector *c);

#endif
