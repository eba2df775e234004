/*
 * channels.h - the queues and pipes the watched processes hold, from /proc
 * alone: no help from the program, so it works for any command.
 *
 * For every process of a frame it lists /proc/PID/fd and recognises POSIX
 * message queues (mq_getattr() on a descriptor reopened through /proc gives
 * the fill and the capacity without taking a message), pipes ("pipe:[inode]":
 * FIONREAD gives the bytes waiting, F_GETPIPE_SZ the capacity; /proc/PID/fdinfo
 * tells which end) and System V message queues (/proc/sysvipc/msg, when their
 * last sender or receiver is in the frame).  A process or descriptor that
 * vanishes in the middle is skipped.  It touches /proc and reopened
 * descriptors, never a terminal, never the tracker.
 *
 * Which descriptors it opens.  Opening is not looking: opening a FIFO makes
 * one more reader, opening a device runs its driver, opening a terminal
 * could make it ours.  So one function in channels.c, open_probe_fd(), is the
 * only place that opens anything through /proc/PID/fd, and it opens exactly
 * two kinds:
 *   - an anonymous pipe: the link reads "pipe:[INO]", stat() of the link
 *     (which follows it to the file without opening it) gives a FIFO with
 *     inode INO, and statfs() gives pipefs (PIPEFS_MAGIC);
 *   - a POSIX message queue: the link is one name at the root ("/name"),
 *     stat() gives a regular file and statfs() the mqueue file system
 *     (MQUEUE_MAGIC).
 * Anything else - a named FIFO anywhere (at / too, where its name looks
 * like a queue's), a device, a socket, a regular file - is never opened.
 * It is opened O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, and the opened
 * descriptor is checked again (fstat(), fstatfs(): the same kind, the same
 * device and inode) before any ioctl(), fcntl() or mq_getattr(); it is never
 * read from.  A pipe is opened once per tick, however many ends are held; a
 * queue once per descriptor.
 *
 * Whose descriptors.  Everything is read through the process's confirmed
 * /proc/PID descriptor (procfs.h): the sampler's, or one opened here and
 * confirmed by the sample's start time.  A PID reused by another process in
 * the meantime is never looked into.
 *
 * What Python's hook said (pymodel.h, py; NULL: nothing) names more: a
 * pipe that is a multiprocessing Queue is that queue, counted in messages
 * (its semaphore's value, read in the memory of a process that holds it,
 * where the hook said it is: maxsize less the free slots), or for a queue
 * without one (SimpleQueue, a Pool's tasks and results) the messages in
 * its pipe (copied with tee(), which takes nothing out, and counted by
 * their length headers); the pipes multiprocessing keeps for itself are
 * marked internal; and a manager's queues are added as CHAN_MANAGER
 * channels, held by the server and its proxies' processes.
 *
 * Cost.  Listing a process's descriptors costs a few system calls per
 * descriptor (the link, /proc/PID/fdinfo for the end); reading a channel's
 * fill a few more per channel, every tick.  With a cache (struct
 * chan_cache, kept from tick to tick), a process's descriptors are listed
 * only when they may have changed: at first sight, after an exec (its code
 * moved), every CHANNELS_RELIST_SECS if it ran meanwhile (and every
 * CHANNELS_BACKSTOP_SECS in any case), when it sleeps in another system call
 * than at the last listing or on a descriptor it did not have then, and
 * when a listed one turned out to be another file; in between, the fills of
 * the channels listed are read again from what the listing kept.  The
 * System V queues (/proc/sysvipc/msg, the whole machine's) are read with
 * a cache at its first probe, while the tree holds one, when a process
 * waits in msgsnd() or msgrcv(), and once a CHANNELS_RELIST_SECS when one
 * ran.  A process asleep in pause() with no pipe costs nothing here.  Every lookup
 * goes through the frame's indexes (frame.h).
 */
#ifndef FORKSCOPE_CHANNELS_H
#define FORKSCOPE_CHANNELS_H

#include <stdbool.h>

#include "frame.h"
#include "pymodel.h"

/* How often a process's descriptors are listed again at the least, when
 * nothing else says they changed. */
#define CHANNELS_RELIST_SECS 1.0
#define CHANNELS_BACKSTOP_SECS 10.0

/* What the last listings found, per process (PID and start time): made
 * empty; chan_cache_free(NULL) does nothing. */
struct chan_cache;
struct chan_cache *chan_cache_new(void);
void chan_cache_free(struct chan_cache *cc);

/* Fills f->channels and f->chan_fds for the processes of f (zombies have no
 * descriptors; f->self's are forkscope's own); then orders the channels by
 * kind and name (frame_sort_channels()).  dirs[i], when dirs is not NULL, is
 * the confirmed /proc descriptor of f->procs[i] (-1: none, then it is
 * opened and confirmed by the sample's start time, as for every process
 * when dirs is NULL).  cache (NULL: every process's descriptors are listed)
 * keeps the listings between calls, and forgets the processes not in f;
 * ran[i] (NULL: all true) says whether f->procs[i] ran since the last
 * call: one that did not cannot have changed its descriptors, and is not
 * listed again on the clock alone.
 * Returns the number of channels. */
size_t channels_probe(struct frame *f, const int *dirs, const bool *ran,
                      const struct pymodel *py, struct chan_cache *cache);

#endif
