/*
 * channels.c - /proc/PID/fd -> channels with fill levels and holders.
 *
 * Per process: its /proc/PID directory is opened once and its start time
 * checked against the sample, then every descriptor is looked at through
 * that directory.  open_probe_fd() is the one place a descriptor is opened.
 */
#include "channels.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <limits.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <seccomp.h>

#include "intmap.h"
#include "procfs.h"
#include "util.h"

#ifndef MQUEUE_MAGIC
#define MQUEUE_MAGIC 0x19800202
#endif
#ifndef PIPEFS_MAGIC
#define PIPEFS_MAGIC 0x50495045
#endif

static void add_holder(struct channel *c, pid_t pid, char end)
{
	for (int i = 0; i < c->nholders; i++) {
		if (c->holders[i] == pid) {
			if (c->ends[i] != end)
				c->ends[i] = 'b';
			return;
		}
	}
	if (c->nholders < CHAN_HOLDERS_MAX) {
		c->holders[c->nholders] = pid;
		c->ends[c->nholders] = end;
		c->nholders++;
	}
}

/* 'r', 'w' or 'b' from the access mode in /proc/PID/fdinfo/FD. */
static char fd_end(int piddir, int fd)
{
	char path[64], buf[256];
	snprintf(path, sizeof(path), "fdinfo/%d", fd);
	int in = openat(piddir, path, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return 'b';
	ssize_t n = read(in, buf, sizeof(buf) - 1);
	close(in);
	if (n <= 0)
		return 'b';
	buf[n] = '\0';
	char *flags = strstr(buf, "flags:");
	if (!flags)
		return 'b';
	unsigned long mode = strtoul(flags + 6, NULL, 8) & O_ACCMODE;
	return mode == O_RDONLY ? 'r' : mode == O_WRONLY ? 'w' : 'b';
}

/* The inode in an anonymous file's link text, "pipe:[12345]" or
 * "socket:[12345]" (kind is "pipe" or "socket"), or 0 when it is not one. */
static unsigned long anon_inode(const char *target, const char *kind)
{
	size_t n = strlen(kind);
	if (strncmp(target, kind, n) != 0 || strncmp(target + n, ":[", 2) != 0 ||
	    target[n + 2] < '0' || target[n + 2] > '9')
		return 0;
	char *end;
	unsigned long ino = strtoul(target + n + 2, &end, 10);
	return strcmp(end, "]") == 0 ? ino : 0;
}

static unsigned long pipe_inode(const char *target)
{
	return anon_inode(target, "pipe");
}

/* Whether a link names one thing at the root of a file system, as a POSIX
 * queue's does ("/fs-queue-1233"; "/fs-queue-1233 (deleted)" once
 * unlinked).  Only a candidate: stat() and statfs() decide. */
static bool queue_like(const char *target)
{
	return target[0] == '/' && target[1] && !strchr(target + 1, '/');
}

/* Whether st and fs are what kind should be: the test before opening and
 * again on the opened descriptor. */
static bool is_kind(enum chan_kind kind, const struct stat *st, const struct statfs *fs)
{
	if (kind == CHAN_PIPE)
		return S_ISFIFO(st->st_mode) && fs->f_type == PIPEFS_MAGIC;
	if (kind == CHAN_MQUEUE)
		return S_ISREG(st->st_mode) && fs->f_type == MQUEUE_MAGIC;
	return false;
}

/*
 * The only place forkscope opens a descriptor of another process (see
 * channels.h): descriptor fdname ("fd/N") in the directory fddir (/proc/PID of
 * the process confirmed by its start time), whose link text is target.
 * Returns a descriptor of our own on the same pipe or queue, with its kind
 * and stat, or -1: not a kind we probe, changed under us, or gone.
 *
 * Nothing is opened until the link text, stat() and statfs() (both follow
 * the magic link to the file without opening it) agree that it is an
 * anonymous pipe or a message queue; a named FIFO, a device, a socket or a
 * plain file stops here.  After opening, the descriptor is checked again,
 * with fstat() and fstatfs(), to be that same kind and the same file
 * (device and inode): what was stat()ed may have been replaced in between
 * (the process closed fd N and opened something else as N).  seen_ino,
 * when not 0, is the inode the descriptor had when it was listed (a queue's:
 * a pipe's is in its link): another one is a descriptor reused since.
 * *changed is set when the descriptor is there but is not what its link
 * said (another file under that number since).
 */
static int open_probe_fd(int fddir, const char *fdname, const char *target, enum chan_kind *kind,
                         struct stat *st, unsigned long seen_ino, bool *changed)
{
	unsigned long ino = pipe_inode(target);
	if (ino)
		*kind = CHAN_PIPE;
	else if (queue_like(target))
		*kind = CHAN_MQUEUE;
	else
		return -1;

	/* statfs() has no *at form: the path goes through our own descriptor
	 * of the directory, so it is that process's fd N and no other's */
	char path[64];
	struct statfs fs;
	snprintf(path, sizeof(path), "/proc/self/fd/%d/%s", fddir, fdname);
	if (fstatat(fddir, fdname, st, 0) != 0 || statfs(path, &fs) != 0) {
		/* closed since it was listed */
		*changed |= errno == ENOENT;
		return -1;
	}
	if (!is_kind(*kind, st, &fs)) {
		*changed = true;
		return -1;
	}
	if ((*kind == CHAN_PIPE && st->st_ino != ino) || (seen_ino && st->st_ino != seen_ino)) {
		*changed = true;
		return -1;
	}

	/* O_NONBLOCK: a pipe's end never waits for the other side; O_NOCTTY:
	 * never a controlling terminal, whatever slipped through */
	int fd = openat(fddir, fdname, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct stat now;
	if (fstat(fd, &now) != 0 || fstatfs(fd, &fs) != 0 || !is_kind(*kind, &now, &fs) ||
	    now.st_dev != st->st_dev || now.st_ino != st->st_ino) {
		close(fd);
		return -1;
	}
	return fd;
}

/* A descriptor that is a proxy's connection to a Python manager. */
struct conn_fd {
	pid_t pid;
	int fd;
	pid_t server;
};

/* A descriptor as last listed that may be a channel: a pipe, something
 * like a queue, a socket (a proxy's connection to a Python manager). */
struct cfd {
	int fd;
	char end;                   /* 'r', 'w' or 'b' (from fdinfo) */
	unsigned long ino;          /* a queue's inode when listed; 0 */
	char target[CHAN_NAME_MAX]; /* its link */
};

/* One process's descriptors, as last listed. */
struct fdset {
	pid_t pid;
	unsigned long long start;
	unsigned long code_start;   /* at the listing: another is an exec since */
	long syscall;               /* what it slept in at the listing; -1 */
	bool ran;                   /* it ran since the listing */
	double listed;              /* when (CLOCK_MONOTONIC s); -1: list again */
	int *fds;                   /* every descriptor, in the order listed */
	size_t nfds, fds_cap;
	struct cfd *cfds;
	size_t ncfds, cfds_cap;
	unsigned probe;             /* the last probe that used it */
};

struct chan_cache {
	struct fdset *sets;
	size_t n, cap;
	struct intmap at;           /* pid -> index in sets */
	unsigned probe;
	long waits[12];             /* system calls whose first argument is the
	                             * descriptor waited on (read, write...) */
	size_t nwaits;
	long msgcalls[2];           /* msgsnd, msgrcv: a System V queue waited on */
	double sysv_at;             /* when /proc/sysvipc/msg was read last */
	bool sysv_held;             /* and it had a queue of the tree */
};

/* One probe of a frame: what the Python hook said, and what it finds. */
struct probe {
	const struct pymodel *py;   /* NULL: nothing said, or the hook is off */
	int scratch[2];             /* a pipe of ours to tee() messages into; -1 */
	char *buf;                  /* what was teed, read back */
	struct intmap by_sem;       /* pipes whose fill a semaphore gave */
	struct conn_fd *conns;
	size_t nconns;
};

/* A process's descriptors, each probed at most once per tick. */
struct fd_walk {
	struct probe *probe;
	struct frame *f;
	pid_t pid;
	unsigned long long start;   /* its start time: the process confirmed */
	int piddir;                 /* /proc/PID of the process confirmed */
	bool stale;                 /* a listed descriptor is another one now */
};

/* How many of Python's messages (multiprocessing.connection's: a 4-byte
 * big-endian length, or -1 and an 8-byte one, then the bytes) the pipe p
 * holds: copied with tee(), which takes nothing from it, then read back
 * from a pipe of ours.  -1 when it cannot be told. */
static long count_messages(struct probe *pr, int p)
{
	enum { MOST = 65536 };

	if (pr->scratch[0] < 0 && pipe2(pr->scratch, O_NONBLOCK | O_CLOEXEC) < 0) {
		pr->scratch[0] = pr->scratch[1] = -1;
		return -1;
	}
	ssize_t n = tee(p, pr->scratch[1], MOST, SPLICE_F_NONBLOCK);
	if (n <= 0)
		return n == 0 || errno == EAGAIN ? 0 : -1;
	if (!pr->buf)
		pr->buf = xcalloc(1, MOST);
	size_t got = 0;
	while (got < (size_t)n) {
		ssize_t r = read(pr->scratch[0], pr->buf + got, (size_t)n - got);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	/* (nothing may stay behind in the scratch pipe) */
	char drain[4096];
	while (read(pr->scratch[0], drain, sizeof(drain)) > 0)
		;
	const unsigned char *b = (const unsigned char *)pr->buf;
	long count = 0;
	for (size_t at = 0; at + 4 <= got; count++) {
		uint64_t len = (uint64_t)b[at] << 24 | (uint64_t)b[at + 1] << 16 |
		               (uint64_t)b[at + 2] << 8 | b[at + 3];
		at += 4;
		if (len == 0xffffffffu) {
			if (at + 8 > got) {
				count++;
				break;
			}
			len = 0;
			for (int k = 0; k < 8; k++)
				len = len << 8 | b[at + k];
			at += 8;
		}
		/* a message that goes on past what was copied is one more */
		if (len >= got - at) {
			count++;
			break;
		}
		at += len;
	}
	return count;
}

static void add_fd(struct fd_walk *w, struct channel *c, const struct cfd *d)
{
	add_holder(c, w->pid, d->end);
	frame_add_chan_fd(w->f, w->pid, d->fd, (size_t)(c - w->f->channels));
	/* A Python Queue: how many messages it holds is what its semaphore
	 * says (its maxsize less the free slots: put() takes one, get() gives
	 * it back), read in the memory of a process the hook said where it is. */
	const struct py_queue *q = c->what[0] ? pymodel_queue(w->probe->py, c->id) : NULL;
	if (!q || q->maxsize <= 0 || intmap_get(&w->probe->by_sem, c->id) >= 0)
		return;
	long free_slots;
	unsigned long sem = pymodel_queue_sem(w->probe->py, c->id, w->pid, w->start);
	if (!sem || !procfs_sem_value_at(w->piddir, sem, &free_slots) || free_slots < 0 ||
	    free_slots > q->maxsize)
		return;
	c->fill = q->maxsize - free_slots;
	c->capacity = q->maxsize >= SEM_VALUE_MAX ? 0 : q->maxsize;
	intmap_put(&w->probe->by_sem, c->id, 1);
}

/* One descriptor that may be a channel, as listed: a pipe or a queue is
 * opened (open_probe_fd()) and read for its fill, once per tick however
 * many hold it. */
static void probe_fd(struct fd_walk *w, const struct cfd *d)
{
	unsigned long ino = pipe_inode(d->target);
	struct stat st;
	enum chan_kind kind;
	char fdname[32];

	snprintf(fdname, sizeof(fdname), "fd/%d", d->fd);
	bool changed = false;
	if (ino) {
		struct channel *c;
		if (frame_find_channel(w->f, CHAN_PIPE, ino)) {
			/* opened already through another holder: this descriptor is
			 * still that pipe (stat() follows it without opening it) */
			changed = fstatat(w->piddir, fdname, &st, 0) != 0 || st.st_ino != ino;
			c = frame_channel(w->f, CHAN_PIPE, ino);
		} else {
			/* a pipe's other end, in this or another process, is the
			 * same channel: opened once, on first sight */
			int p = open_probe_fd(w->piddir, fdname, d->target, &kind, &st, 0, &changed);
			if (changed) {
				/* closed or reused since the listing: not a channel
				 * of this process, which is listed again next time */
				w->stale = true;
				return;
			}
			const struct py_queue *q = pymodel_queue(w->probe->py, ino);
			c = frame_channel(w->f, CHAN_PIPE, ino);
			str_copy(c->name, sizeof(c->name), q ? q->name : d->target);
			c->bytes = !q;
			if (q)
				str_copy(c->what, sizeof(c->what), q->kind);
			c->internal = q && strcmp(q->kind, "internal") == 0;
			if (p >= 0) {
				int avail = 0;
				if (!q && ioctl(p, FIONREAD, &avail) == 0)
					c->fill = avail;
				int size = fcntl(p, F_GETPIPE_SZ);
				c->capacity = size > 0 && !q ? size : 0;
				/* a Python queue counts messages: those in the pipe,
				 * until its semaphore says better (add_fd()) */
				long msgs = q ? count_messages(w->probe, p) : -1;
				if (msgs >= 0)
					c->fill = msgs;
				if (q && q->maxsize > 0 && q->maxsize < SEM_VALUE_MAX)
					c->capacity = q->maxsize;
				close(p);
			}
		}
		/* a descriptor closed or reused since the listing: not a holder,
		 * and the process's descriptors are listed again next time */
		w->stale |= changed;
		if (!changed)
			add_fd(w, c, d);
		return;
	}
	unsigned long sock = anon_inode(d->target, "socket");
	if (sock) {
		const struct py_manager *mg = pymodel_conn(w->probe->py, w->pid, sock);
		if (mg) {
			struct probe *pr = w->probe;
			pr->conns = xreallocarray(pr->conns, pr->nconns + 1, sizeof(*pr->conns));
			pr->conns[pr->nconns++] = (struct conn_fd){ w->pid, d->fd, mg->pid };
		}
		return;
	}
	int q = open_probe_fd(w->piddir, fdname, d->target, &kind, &st, d->ino, &changed);
	w->stale |= changed;
	if (q < 0)
		return;
	struct mq_attr attr;
	bool ok = kind == CHAN_MQUEUE && mq_getattr((mqd_t)q, &attr) == 0;
	close(q);
	if (!ok)
		return;
	struct channel *c = frame_channel(w->f, CHAN_MQUEUE, (unsigned long)st.st_ino);
	str_copy(c->name, sizeof(c->name), d->target);
	c->fill = attr.mq_curmsgs;
	c->capacity = attr.mq_maxmsg;
	c->bytes = false;
	add_fd(w, c, d);
}

static bool fd_number(const char *name, int *fd)
{
	char *end;
	long n = strtol(name, &end, 10);
	if (name[0] < '0' || name[0] > '9' || *end || n > INT_MAX)
		return false;
	*fd = (int)n;
	return true;
}

/* Lists every descriptor of the process behind w->piddir into set: all
 * their numbers, and the links of those that may be channels (with the
 * end each is open for, and a queue's inode). */
static void list_fds(struct fd_walk *w, struct fdset *set)
{
	set->nfds = set->ncfds = 0;
	int dfd = openat(w->piddir, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return;
	DIR *d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return;
	}
	struct dirent *de;
	while ((de = readdir(d))) {
		int fd;
		char target[CHAN_NAME_MAX];
		if (!fd_number(de->d_name, &fd))
			continue;
		if (set->nfds == set->fds_cap) {
			set->fds_cap = set->fds_cap ? set->fds_cap * 2 : 16;
			set->fds = xreallocarray(set->fds, set->fds_cap, sizeof(*set->fds));
		}
		set->fds[set->nfds++] = fd;
		ssize_t n = readlinkat(dirfd(d), de->d_name, target, sizeof(target) - 1);
		if (n <= 0)
			continue;   /* closed meanwhile: nothing to see */
		target[n] = '\0';
		bool pipe = pipe_inode(target) != 0, queue = queue_like(target);
		if (!pipe && !queue && !anon_inode(target, "socket"))
			continue;
		struct stat st;
		if (queue && fstatat(dirfd(d), de->d_name, &st, 0) != 0)
			continue;
		if (set->ncfds == set->cfds_cap) {
			set->cfds_cap = set->cfds_cap ? set->cfds_cap * 2 : 8;
			set->cfds = xreallocarray(set->cfds, set->cfds_cap, sizeof(*set->cfds));
		}
		struct cfd *c = &set->cfds[set->ncfds++];
		c->fd = fd;
		c->end = pipe || queue ? fd_end(w->piddir, fd) : 'b';
		c->ino = queue ? (unsigned long)st.st_ino : 0;
		str_copy(c->target, sizeof(c->target), target);
	}
	closedir(d);
}

/* Whether fd is one of set's. */
static bool has_fd(const struct fdset *set, int fd)
{
	for (size_t i = 0; i < set->nfds; i++)
		if (set->fds[i] == fd)
			return true;
	return false;
}

/* Whether p's descriptors must be listed again, or the last listing still
 * tells them: see channels.h. */
static bool list_again(const struct chan_cache *cc, const struct fdset *set,
                       const struct proc_sample *p, double now)
{
	if (set->listed < 0 || set->start != p->start || set->code_start != p->code_start ||
	    now < set->listed || now - set->listed >= CHANNELS_BACKSTOP_SECS ||
	    (set->ran && now - set->listed >= CHANNELS_RELIST_SECS))
		return true;
	if (p->syscall < 0)
		return false;
	/* asleep in another call than at the listing, or on a descriptor it
	 * did not have then */
	if (p->syscall != set->syscall)
		return true;
	if (p->poll_fd >= 0 && !has_fd(set, p->poll_fd))
		return true;
	for (size_t i = 0; i < cc->nwaits; i++)
		if (p->syscall == cc->waits[i])
			return p->args[0] <= INT_MAX && !has_fd(set, (int)p->args[0]);
	return false;
}

static void free_set(struct fdset *set)
{
	free(set->fds);
	free(set->cfds);
}

/* p's set in the cache, made empty when new (or the PID's last one was
 * another process's). */
static struct fdset *cache_set(struct chan_cache *cc, const struct proc_sample *p)
{
	long i = intmap_get(&cc->at, (unsigned long long)p->pid);
	if (i < 0) {
		if (cc->n == cc->cap) {
			cc->cap = cc->cap ? cc->cap * 2 : 64;
			cc->sets = xreallocarray(cc->sets, cc->cap, sizeof(*cc->sets));
		}
		i = (long)cc->n++;
		memset(&cc->sets[i], 0, sizeof(cc->sets[i]));
		intmap_put(&cc->at, (unsigned long long)p->pid, i);
		cc->sets[i].listed = -1;
	}
	struct fdset *set = &cc->sets[i];
	if (set->pid != p->pid || set->start != p->start) {
		set->pid = p->pid;
		set->start = p->start;
		set->listed = -1;
	}
	set->probe = cc->probe;
	return set;
}

/* The descriptors of p, through dir, its confirmed /proc/PID descriptor;
 * without one (-1), one is opened and confirmed here by p's start time.
 * Listed when the cache says so (or there is no cache), then probed. */
static void probe_fds(struct probe *pr, struct frame *f, const struct proc_sample *p, int dir,
                      bool ran, struct chan_cache *cc, double now)
{
	/* held open, the directory stays this process's even if the PID is
	 * reused meanwhile (lookups under it then fail): every path below is
	 * relative to it */
	struct fd_walk w = { .probe = pr, .f = f, .pid = p->pid, .start = p->start, .piddir = dir };
	unsigned long long start = p->start;
	if (dir < 0)
		w.piddir = procfs_open(p->pid, &start, NULL);
	if (w.piddir < 0)
		return;     /* gone, or another process now: ordinary */
	struct fdset one = { 0 };
	struct fdset *set = cc ? cache_set(cc, p) : &one;
	set->ran |= ran;
	if (!cc || list_again(cc, set, p, now)) {
		list_fds(&w, set);
		set->listed = now;
		set->code_start = p->code_start;
		set->syscall = p->syscall;
		set->ran = false;
	}
	for (size_t i = 0; i < set->ncfds; i++)
		probe_fd(&w, &set->cfds[i]);
	/* a descriptor was reused since the listing: listed anew next time */
	if (w.stale)
		set->listed = -1;
	free_set(&one);
	if (dir < 0)
		close(w.piddir);
}

static bool in_frame(const struct frame *f, pid_t pid)
{
	return pid > 0 && frame_find(f, pid) != NULL;
}

/* Whether the System V queues are to be read this time: always without
 * a cache; with one, at its first probe, while the tree held one at the last look, when one of
 * its processes waits in msgsnd() or msgrcv(), and once a
 * CHANNELS_RELIST_SECS when one of them ran (it may have made a queue and
 * sent to it without waiting).  A tree that did none of that costs no
 * read of /proc/sysvipc/msg. */
static bool sysv_due(const struct frame *f, const bool *ran, const struct chan_cache *cc,
                     double now)
{
	if (!cc || cc->sysv_held || cc->probe == 1)
		return true;
	bool any_ran = false;
	for (size_t i = 0; i < f->nprocs; i++) {
		const struct proc_sample *p = &f->procs[i];
		if (p->syscall >= 0 && (p->syscall == cc->msgcalls[0] || p->syscall == cc->msgcalls[1]))
			return true;
		any_ran |= !ran || ran[i];
	}
	return any_ran && now - cc->sysv_at >= CHANNELS_RELIST_SECS;
}

/* Adds the tree's System V message queues; true when it has one. */
static bool probe_sysv(struct frame *f)
{
	bool held = false;
	FILE *in = fopen("/proc/sysvipc/msg", "re");
	if (!in)
		return false;
	char line[512];
	if (!fgets(line, sizeof(line), in)) {
		fclose(in);
		return false;
	}
	while (fgets(line, sizeof(line), in)) {
		long key, msqid, perms, cbytes, qnum, lspid, lrpid;
		if (sscanf(line, "%ld %ld %lo %ld %ld %ld %ld", &key, &msqid, &perms, &cbytes, &qnum,
		           &lspid, &lrpid) != 7)
			continue;
		if (!in_frame(f, (pid_t)lspid) && !in_frame(f, (pid_t)lrpid))
			continue;
		struct channel *c = frame_channel(f, CHAN_SYSV, (unsigned long)msqid);
		held = true;
		snprintf(c->name, sizeof(c->name), "sysv:0x%lx", (unsigned long)key);
		c->fill = qnum;
		c->bytes = false;
		/* the capacity is counted in bytes (msg_qbytes), the fill in messages:
		 * no common unit, so none is claimed */
		c->capacity = 0;
		if (in_frame(f, (pid_t)lspid))
			add_holder(c, (pid_t)lspid, 'w');
		if (in_frame(f, (pid_t)lrpid))
			add_holder(c, (pid_t)lrpid, 'r');
	}
	fclose(in);
	return held;
}

/* Whether pid said it uses multiprocessing, or is a fork of one that did
 * (the same program: it has not said so yet, but it runs the hook too). */
static bool uses_multiprocessing(const struct probe *pr, const struct frame *f, pid_t pid)
{
	if (pymodel_hooked(pr->py, pid))
		return true;
	const struct proc_sample *p = frame_find(f, pid);
	const struct proc_sample *parent = p ? frame_find(f, p->ppid) : NULL;
	return parent && pymodel_hooked(pr->py, parent->pid) && p->exe[0] &&
	       strcmp(p->exe, parent->exe) == 0;
}

/* The pipes multiprocessing keeps for itself (a process's sentinel, a
 * pool's wake-ups, what a spawned child is sent): not named by the hook,
 * and held only by processes that use multiprocessing (each said so).  A
 * pipe between Python programs that do not (a pipeline, os.pipe()) is the
 * program's own, and shown. */
static void mark_internal(const struct probe *pr, struct frame *f)
{
	for (size_t i = 0; i < f->nchannels; i++) {
		struct channel *c = &f->channels[i];
		if (c->kind != CHAN_PIPE || c->what[0] || !c->nholders)
			continue;
		bool hooked = true;
		for (int k = 0; k < c->nholders && hooked; k++)
			hooked = uses_multiprocessing(pr, f, c->holders[k]);
		c->internal = hooked;
	}
}

/* The queues Python managers hold, as the hook told them: held by the
 * server and by every process with a proxy connected to it; and one
 * channel per manager (not shown) that the connections are, so that a
 * proxy waiting for its answer is seen waiting on the manager. */
static void add_managers(struct probe *pr, struct frame *f)
{
	const struct py_mqueue *q;

	for (size_t i = 0; (q = pymodel_mqueue_at(pr->py, i)); i++) {
		const struct proc_sample *server = frame_find(f, q->server);
		if (!server || server->state == 'Z')
			continue;
		struct channel *c = frame_channel(f, CHAN_MANAGER, q->ref);
		str_copy(c->name, sizeof(c->name), q->name);
		str_copy(c->what, sizeof(c->what), "manager");
		c->fill = q->fill;
		c->capacity = q->maxsize;
		c->bytes = false;
		add_holder(c, q->server, 'b');
		pid_t clients[CHAN_HOLDERS_MAX];
		size_t n = pymodel_clients(pr->py, pymodel_manager_of(pr->py, q->server), clients,
		                           CHAN_HOLDERS_MAX);
		for (size_t k = 0; k < n; k++)
			if (frame_find(f, clients[k]))
				add_holder(c, clients[k], 'b');
	}
	for (size_t i = 0; i < pr->nconns; i++) {
		const struct py_manager *mg = pymodel_manager_of(pr->py, pr->conns[i].server);
		if (!mg || !frame_find(f, mg->pid))
			continue;
		struct channel *c = frame_channel(f, CHAN_MANAGER, (unsigned long)mg->pid);
		if (!c->name[0]) {
			str_copy(c->name, sizeof(c->name), mg->name);
			str_copy(c->what, sizeof(c->what), "connection");
			c->internal = true;
			add_holder(c, mg->pid, 'b');
		}
		add_holder(c, pr->conns[i].pid, 'b');
		frame_add_chan_fd(f, pr->conns[i].pid, pr->conns[i].fd, (size_t)(c - f->channels));
	}
}

struct chan_cache *chan_cache_new(void)
{
	static const char *const waits[] = {
		"read", "write", "readv", "writev", "pread64", "pwrite64", "recvfrom", "recvmsg",
		"sendto", "sendmsg", "mq_timedsend", "mq_timedreceive",
	};
	struct chan_cache *cc = xcalloc(1, sizeof(*cc));

	for (size_t i = 0; i < sizeof(waits) / sizeof(waits[0]); i++) {
		int nr = seccomp_syscall_resolve_name(waits[i]);
		if (nr >= 0 && cc->nwaits < sizeof(cc->waits) / sizeof(cc->waits[0]))
			cc->waits[cc->nwaits++] = nr;
	}
	cc->msgcalls[0] = seccomp_syscall_resolve_name("msgsnd");
	cc->msgcalls[1] = seccomp_syscall_resolve_name("msgrcv");
	return cc;
}

void chan_cache_free(struct chan_cache *cc)
{
	if (!cc)
		return;
	for (size_t i = 0; i < cc->n; i++)
		free_set(&cc->sets[i]);
	free(cc->sets);
	intmap_free(&cc->at);
	free(cc);
}

/* Drops the sets of processes this probe did not see (gone). */
static void cache_trim(struct chan_cache *cc)
{
	size_t kept = 0;

	intmap_clear(&cc->at);
	for (size_t i = 0; i < cc->n; i++) {
		if (cc->sets[i].probe != cc->probe) {
			free_set(&cc->sets[i]);
			continue;
		}
		cc->sets[kept] = cc->sets[i];
		intmap_put(&cc->at, (unsigned long long)cc->sets[kept].pid, (long)kept);
		kept++;
	}
	cc->n = kept;
}

size_t channels_probe(struct frame *f, const int *dirs, const bool *ran,
                      const struct pymodel *py, struct chan_cache *cache)
{
	struct probe pr = { .py = py, .scratch = { -1, -1 } };
	double now = now_seconds();

	if (cache)
		cache->probe++;
	/* forkscope's own descriptors (the pty) are not the program's channels */
	for (size_t i = 0; i < f->nprocs; i++)
		if (f->procs[i].state != 'Z' && f->procs[i].pid != f->self)
			probe_fds(&pr, f, &f->procs[i], dirs ? dirs[i] : -1, ran ? ran[i] : true, cache,
			          now);
	if (cache)
		cache_trim(cache);
	if (sysv_due(f, ran, cache, now)) {
		bool held = probe_sysv(f);
		if (cache) {
			cache->sysv_held = held;
			cache->sysv_at = now;
		}
	}
	if (py) {
		mark_internal(&pr, f);
		add_managers(&pr, f);
	}
	if (pr.scratch[0] >= 0) {
		close(pr.scratch[0]);
		close(pr.scratch[1]);
	}
	free(pr.buf);
	free(pr.conns);
	intmap_free(&pr.by_sem);
	/* a stable order for the views; the descriptor map follows */
	frame_sort_channels(f);
	return f->nchannels;
}
