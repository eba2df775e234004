/*
 * channels.h - the queues and pipes the watched processes hold, from /proc
 * alone: no help from the program, so it works for any command.
 *
 * For every process of a frame it lists /proc/PID/fd and recognises POSIX
 * message queues (the link's file system is mqueue: mq_getattr() on a
 * descriptor reopened through /proc gives the fill and the capacity without
 * taking a message), pipes ("pipe:[inode]": FIONREAD gives the bytes
 * waiting, F_GETPIPE_SZ the capacity; /proc/PID/fdinfo tells which end) and
 * System V message queues (/proc/sysvipc/msg, when their last sender or
 * receiver is in the frame).  A process or descriptor that vanishes in the
 * middle is skipped.  It touches /proc and reopened descriptors, never a
 * terminal, never the tracker.
 */
#ifndef FORKSCOPE_CHANNELS_H
#define FORKSCOPE_CHANNELS_H

#include "frame.h"

/* Fills f->channels and f->chan_fds for the processes of f (zombies have no
 * descriptors).  Returns the number of channels. */
size_t channels_probe(struct frame *f);

#endif
