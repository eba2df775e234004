/*
 * frame.h - one snapshot of the watched processes, as plain data.
 *
 * A frame is what the sampler read from /proc at one instant: a value record
 * with no pointers into anyone else's memory, so a view, a recorder or a test
 * can build, copy or store one.  Fixed-size text fields keep it that way; text
 * longer than a field is cut, never overflowed.
 *
 * Every lookup (a process by pid, a channel by kind and id, a descriptor by
 * pid and number) goes through a hash kept in the frame, so a tick's work
 * grows with what is in it, not with its square.  There is no limit on any
 * array but memory.
 */
#ifndef FORKSCOPE_FRAME_H
#define FORKSCOPE_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum {
	PROC_COMM_MAX = 64,   /* comm is 16 bytes in the kernel; titles may be longer in cmdline */
	PROC_CMD_MAX = 256,
	PROC_WCHAN_MAX = 48,
};

/* One process as read in one tick.  (pid, start) is its identity: a PID that
 * comes back with another start time is another process. */
struct proc_sample {
	pid_t pid;
	pid_t ppid;
	pid_t pgrp;
	pid_t sid;
	unsigned long long start;   /* start time, clock ticks since boot */
	char state;                 /* R S D Z T t X I, as in /proc/PID/stat */
	int nlwp;                   /* threads */
	int exit_code;              /* wait(2) status from stat field 52; only when state == 'Z' */
	unsigned long code_start;   /* start of the text segment: changes on exec */
	char comm[PROC_COMM_MAX];
	char cmd[PROC_CMD_MAX];     /* cmdline with NULs as spaces, trimmed; "" for zombies */
	char exe[PROC_CMD_MAX];     /* /proc/PID/exe target; "" when unreadable */
	char wchan[PROC_WCHAN_MAX];
	/* /proc/PID/syscall: the call the process is blocked in, when it is */
	long syscall;               /* number, or -1: running or not readable */
	unsigned long args[6];
	double timeout_left;        /* a timed queue call's time left, seconds; -1: none */
	int poll_fd;                /* in poll() or ppoll(): the first descriptor
	                             * it waits on; -1 otherwise */
	pid_t nspid;                /* its PID in forkscope's PID namespace
	                             * (pidns.h), as the sampler read it; 0 */
	pid_t host;                 /* in a namespace's numbers (pidns.h): the
	                             * host PID that pid stands for; 0 else */
};

enum chan_kind {
	CHAN_MQUEUE,
	CHAN_PIPE,
	CHAN_SYSV,
	CHAN_MANAGER,   /* a queue a Python manager's server holds (pymodel.h):
	                 * id is the manager's id of it; its descriptors are the
	                 * proxies' connections to the manager */
};

enum { CHAN_NAME_MAX = 96, CHAN_HOLDERS_MAX = 16 };

/* A channel (queue or pipe) some watched process holds, as found from
 * /proc alone: how full it is and who holds it. */
struct channel {
	enum chan_kind kind;
	unsigned long id;           /* inode (mqueue, pipe) or msqid (System V) */
	char name[CHAN_NAME_MAX];   /* "/fs-queue-1233", "pipe:[4321]", "sysv:0x2a" */
	long fill;
	long capacity;              /* 0 when unknown */
	bool bytes;                 /* fill and capacity count bytes, not messages */
	char what[16];              /* what Python's hook says it is ("Queue",
	                             * "SimpleQueue", "tasks", "results"...); "" */
	bool internal;              /* a pipe multiprocessing keeps for itself
	                             * (process sentinels, wake-ups): not shown
	                             * unless every channel is asked for */
	int nholders;
	pid_t holders[CHAN_HOLDERS_MAX];
	char ends[CHAN_HOLDERS_MAX];    /* 'r' read end, 'w' write end, 'b' both */
};

/* Which channel a process's file descriptor is. */
struct chan_fd {
	pid_t pid;
	int fd;
	size_t channel;             /* index into frame.channels */
};

/* One thread of a multi-threaded process (only when the sampler is asked
 * for threads).  The main thread (tid == pid) is the process itself. */
struct thread_sample {
	pid_t pid;                  /* the process (thread group) */
	pid_t tid;
	char state;
	char comm[PROC_COMM_MAX];
};

/* A child that forkscope itself reaped with waitpid() during this tick: the
 * only exit status known exactly even if the zombie was never seen. */
struct reap_note {
	pid_t pid;
	int status;                 /* as returned by waitpid() */
};

/* A hash from a key of two numbers to a place in one of a frame's arrays,
 * so that finding a process, a channel or a descriptor costs the same with
 * 5 or 5,000 of them.  frame.c's own: nobody else reads or writes one. */
struct frame_slot;
struct frame_index {
	struct frame_slot *slots;
	size_t cap;                 /* a power of two, or 0 */
	size_t used;
	size_t covered;             /* the array's first `covered` elements are in it */
};

struct frame {
	double t;                   /* seconds since forkscope started */
	double begun;               /* when the reading of /proc began (t is when it
	                             * was whole): news told after it may be newer
	                             * than what the reading holds; 0: at t */
	pid_t self;                 /* forkscope: the subreaper at the top */
	pid_t root;                 /* the launched program, 0 if none */
	struct proc_sample *procs;  /* sorted by (start, pid): parents before children */
	size_t nprocs, procs_cap;
	struct reap_note *reaped;
	size_t nreaped, reaped_cap;
	struct thread_sample *threads;  /* by pid then tid; empty unless asked for */
	size_t nthreads, threads_cap;
	bool incomplete;            /* some processes could not be read this tick */
	bool held;                  /* read while slow motion or a pause held the
	                             * tree still (SIGSTOP): a 'T' here is
	                             * forkscope's doing */
	bool channels_only;         /* the channels read again alone (at the exit
	                             * of a process that held one): its processes
	                             * are an older reading's and say nothing */
	struct channel *channels;   /* by kind then id while probing; by kind then name after */
	size_t nchannels, channels_cap;
	struct chan_fd *chan_fds;
	size_t nchan_fds, chan_fds_cap;
	/* The lookups' indexes, kept by the functions below and emptied by
	 * frame_clear(); an assignment of a frame shares them as it shares
	 * the arrays. */
	struct frame_index by_pid;      /* procs, built by frame_sort() */
	struct frame_index by_channel;  /* channels by (kind, id) */
	struct frame_index by_fd;       /* chan_fds by (pid, fd) */
};

/* frame_init() gives an empty frame; frame_clear() empties it and keeps its
 * memory; frame_release() frees what it holds (the struct itself is the
 * caller's).  frame_add_*() grow the arrays and return the new slot, zeroed. */
void frame_init(struct frame *f);
void frame_clear(struct frame *f);
/* Empties the frame's channels and their descriptors only (to read them
 * again), keeping its processes. */
void frame_clear_channels(struct frame *f);
void frame_release(struct frame *f);
/* Makes dst (an initialised frame) a deep copy of src, with its own
 * arrays and indexes: what was in dst is replaced. */
void frame_copy(struct frame *dst, const struct frame *src);
struct proc_sample *frame_add_proc(struct frame *f);
void frame_add_reap(struct frame *f, pid_t pid, int status);
/* forkscope's own reap of pid in this reading, or NULL. */
const struct reap_note *frame_find_reap(const struct frame *f, pid_t pid);
struct thread_sample *frame_add_thread(struct frame *f);
/* The channel of that kind and id, added (zeroed but for them) when new.
 * The pointer lives until the next frame_channel(), frame_sort_channels()
 * or frame_clear(). */
struct channel *frame_channel(struct frame *f, enum chan_kind kind, unsigned long id);
/* The channel of that kind and id, or NULL: never adds. */
const struct channel *frame_find_channel(const struct frame *f, enum chan_kind kind,
                                         unsigned long id);
void frame_add_chan_fd(struct frame *f, pid_t pid, int fd, size_t channel);
/* The channel pid's descriptor fd is, or NULL. */
const struct channel *frame_fd_channel(const struct frame *f, pid_t pid, int fd);
/* Puts the channels in the views' order (kind, then name, then id) and
 * makes chan_fds follow them.  O(n log n). */
void frame_sort_channels(struct frame *f);
/* The sample for pid, or NULL.  It looks in an index frame_sort() builds,
 * then one by one through the processes added since; so after frame_sort()
 * the processes may be added to, but not reordered or given other PIDs in
 * place, unless frame_sort() is called again. */
const struct proc_sample *frame_find(const struct frame *f, pid_t pid);
/* Sorts procs by (start, pid) and indexes them by pid. */
void frame_sort(struct frame *f);

#endif
