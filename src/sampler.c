/*
 * sampler.c - /proc -> frame.
 *
 * One tick, breadth first, a level at a time: read the level's PIDs in
 * libproc2 select calls, keep each one confirmed to be ours, then walk the
 * children lists of those (through their bound /proc descriptors) for the
 * next level.  The first level is the top and every process known from
 * before.  A process may exit between any two reads; whatever is gone is
 * simply not in the frame, and the tracker decides what that means.
 */
#include "sampler.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libproc2/pids.h>
#include <seccomp.h>

#include "channels.h"
#include "i18n.h"
#include "intmap.h"
#include "procfs.h"
#include "util.h"

/* Seconds after its first sight or exec when a process is read whole at
 * every tick (programs write their titles and settle in then), and how
 * often a process that ran has its names read again after (a title
 * written over the command line in place is told by nothing). */
enum { NAMES_YOUNG = 1, NAMES_RECHECK = 1 };

/* libproc2 refuses a select of more PIDs than this at once. */
enum { SELECT_BATCH = 200 };

/* What libproc2 reads of a process the first time it is seen, at an exec
 * and at a rename: its names.  The rest of a reading is its stat line. */
static enum pids_item items[] = {
	PIDS_ID_PID, PIDS_TICS_BEGAN, PIDS_CMD, PIDS_CMDLINE, PIDS_EXE,
};
enum rel { REL_PID, REL_START, REL_CMD, REL_CMDLINE, REL_EXE };

/* A process the sampler watches, confirmed to be the one it was when first
 * seen: dir is its /proc/PID descriptor, statfd its stat file's, both bound
 * to it (kept between ticks while the open-files limit allows). */
struct watched {
	pid_t pid;
	unsigned long long start;
	int dir, statfd, sysfd, runfd;  /* -1: not open */
	unsigned tick;              /* the last tick that confirmed it */
	bool unread;                /* known, but not readable this tick (out of
	                             * descriptors): neither in the frame nor gone */
	bool walked;                /* its children are candidates this tick */
	bool renamed;               /* its names are to be read again */
	unsigned named;             /* the tick its names were last read in */
	unsigned first;             /* the tick it was first seen in */
	bool no_runs;               /* its schedstat cannot be opened */
	double named_at;            /* when (CLOCK_MONOTONIC s) */
	double changed_at;          /* when it was first seen or last exec'd */
	/* whether it ran since the last tick: its count of times put on a
	 * CPU (procfs_runs_at()); while that stays, its system call is the
	 * one read last */
	unsigned long long runs;
	bool counted;               /* runs was read at the last tick */
	bool ran;                   /* it ran (or may have) since the last tick */
	bool ran_since_named;       /* ... since its names were last read */
	bool stale;                 /* st is the last tick's: it did not run */
	double stat_at;             /* when st was read (CLOCK_MONOTONIC s) */
	char sys_state;             /* the state the system call was read in */
	long sys;                   /* the system call read last, and its arguments */
	unsigned long args[6];
	struct procfs_stat st;      /* this tick's stat line */
	char comm[PROC_COMM_MAX];   /* its names as last read (libproc2) */
	char *cmd, *exe;
	pid_t nspid;                /* its PID in a namespace below the top's
	                             * (read once, when first seen); 0 */
};

/* A process the kernel's news told of: read by PID and start time. */
struct expected {
	pid_t pid;
	unsigned long long start;
};

struct sampler {
	pid_t top;
	bool threads;
	bool news;                /* forks are told (sampler_set_news()) */
	bool resync;              /* ... but some may have been missed */
	unsigned tick;
	long timed[2];            /* mq_timedsend and mq_timedreceive on this machine */
	long futex, poll, ppoll;  /* and these */
	const struct pymodel *py; /* what the Python hook told (borrowed) */
	struct pids_info *info;
	struct pids_info *tinfo;  /* for threads */
	struct watched *w;        /* every process watched, oldest first */
	size_t nw, wcap;
	struct intmap at;         /* pid -> index in w */
	struct expected *exp;
	size_t nexp, exp_cap;
	size_t *queue;            /* indexes in w whose children are to be walked */
	size_t nqueue, queue_cap;
	struct pidvec kids;
	unsigned *batch;
	int *dirs;                /* per sample of the frame, for the channel probe */
	bool *ran;
	size_t dirs_cap;
	struct chan_cache *chan;  /* the descriptors each process had */
	bool out_of_fds;          /* an open failed for want of descriptors */
	size_t nkept, most_kept;  /* processes keeping their descriptors between
	                           * ticks, and how many may (the open-files
	                           * limit, less room); the others' are opened
	                           * for each read and closed at once */
	double limit_at;          /* when the open-files limit was read last */
	int ns_levels;            /* the PID namespaces the top is in, when a
	                           * process's own namespace PID is read
	                           * (sampler_set_pidns()); 0: not read */
};

struct sampler *sampler_new(pid_t top, char *err, size_t errlen)
{
	struct sampler *s = xcalloc(1, sizeof(*s));
	int rc;

	s->top = top;
	rc = procps_pids_new(&s->info, items, (int)(sizeof(items) / sizeof(items[0])));
	if (rc < 0) {
		snprintf(err, errlen, _("libproc2 could not be set up (%s): is /proc mounted?"),
		         strerror(-rc));
		free(s);
		return NULL;
	}
	static enum pids_item titems[] = { PIDS_ID_PID, PIDS_ID_TGID, PIDS_STATE, PIDS_CMD };
	rc = procps_pids_new(&s->tinfo, titems, (int)(sizeof(titems) / sizeof(titems[0])));
	if (rc < 0) {
		snprintf(err, errlen, _("libproc2 could not be set up (%s): is /proc mounted?"),
		         strerror(-rc));
		procps_pids_unref(&s->info);
		free(s);
		return NULL;
	}
	s->batch = xcalloc(SELECT_BATCH, sizeof(*s->batch));
	s->timed[0] = seccomp_syscall_resolve_name("mq_timedsend");
	s->timed[1] = seccomp_syscall_resolve_name("mq_timedreceive");
	s->futex = seccomp_syscall_resolve_name("futex");
	s->poll = seccomp_syscall_resolve_name("poll");
	s->ppoll = seccomp_syscall_resolve_name("ppoll");
	s->chan = chan_cache_new();
	return s;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Closes the descriptors w keeps between ticks. */
static void close_kept(struct watched *w)
{
	close_fd(&w->dir);
	close_fd(&w->statfd);
	close_fd(&w->sysfd);
	close_fd(&w->runfd);
}

static void forget(struct watched *w)
{
	close_kept(w);
	free(w->cmd);
	free(w->exe);
	w->cmd = w->exe = NULL;
}

void sampler_free(struct sampler *s)
{
	if (!s)
		return;
	procps_pids_unref(&s->info);
	procps_pids_unref(&s->tinfo);
	for (size_t i = 0; i < s->nw; i++)
		forget(&s->w[i]);
	free(s->w);
	intmap_free(&s->at);
	free(s->exp);
	free(s->queue);
	pidvec_free(&s->kids);
	free(s->batch);
	free(s->dirs);
	free(s->ran);
	chan_cache_free(s->chan);
	free(s);
}

static void trim_right(char *str)
{
	size_t n = strlen(str);

	while (n > 0 && (str[n - 1] == ' ' || str[n - 1] == '\n'))
		str[--n] = '\0';
}

/* The names libproc2 read (comm, the command line, the executable). */
static void fill_names(struct proc_sample *p, struct pids_stack *st, char state)
{
	char bracketed[PROC_COMM_MAX + 2];
	const char *str;

	str_copy(p->comm, sizeof(p->comm), PIDS_VAL(REL_CMD, str, st, NULL));
	str = PIDS_VAL(REL_CMDLINE, str, st, NULL);
	/* libproc2 shows "[comm]" when there is no command line (zombies,
	 * kernel threads); a real one may start with '[' too */
	snprintf(bracketed, sizeof(bracketed), "[%s]", p->comm);
	if (!str || strcmp(str, bracketed) == 0 || state == 'Z')
		str = "";       /* (a zombie's "[comm] <defunct>" is no command line) */
	str_copy(p->cmd, sizeof(p->cmd), str);
	trim_right(p->cmd);
	str = PIDS_VAL(REL_EXE, str, st, NULL);
	str_copy(p->exe, sizeof(p->exe), str && str[0] == '/' ? str : "");
}

/* A sample's fields from a stat line. */
static void fill_stat(struct proc_sample *p, const struct procfs_stat *st)
{
	p->pid = st->pid;
	p->ppid = st->ppid;
	p->pgrp = st->pgrp;
	p->sid = st->sid;
	p->state = st->state;
	p->start = st->start;
	p->nlwp = st->nlwp;
	p->code_start = st->code_start;
	str_copy(p->comm, sizeof(p->comm), st->comm);
}

/* What only the process's own confirmed descriptor, dir, may read
 * (keep: its descriptors are kept between ticks). */
static void read_touched(const struct sampler *s, struct proc_sample *p, struct watched *w, int dir,
                         bool keep)
{
	/* when it did not run since the last tick (confirm()), what it
	 * sleeps in is what it slept in then */
	w->ran |= p->state != w->sys_state;
	w->ran_since_named |= w->ran;
	/* what it waits for: only a sleeping process is in a system call */
	p->syscall = -1;
	if (p->state == 'S' || p->state == 'D') {
		if (w->ran) {
			w->sys = procfs_syscall_at(dir, keep ? &w->sysfd : NULL, w->args);
			w->sys_state = p->state;
		}
		p->syscall = w->sys;
		memcpy(p->args, w->args, sizeof(p->args));
	} else {
		w->sys_state = p->state;
		w->sys = -1;
	}
	/* its kernel function, when its system call cannot be read (another
	 * user's process): the next best thing */
	p->wchan[0] = '\0';
	if (p->syscall < 0 && (p->state == 'S' || p->state == 'D'))
		procfs_wchan_at(dir, p->wchan, sizeof(p->wchan));
	/* a timed put or get: its deadline (the 5th argument) says how long
	 * it will still wait */
	p->timeout_left = -1;
	p->poll_fd = -1;
	if (p->syscall < 0)
		return;
	if (p->syscall == s->timed[0] || p->syscall == s->timed[1])
		p->timeout_left = procfs_deadline_left_at(dir, p->args[4], true);
	/* a semaphore's timed wait (Python's Queue.put(timeout=...)): a
	 * FUTEX_WAIT_BITSET with its deadline, on the real-time clock when
	 * FUTEX_CLOCK_REALTIME is set (the fourth argument) */
	if (p->syscall == s->futex && (p->args[1] & 127) == 9 && p->args[3])
		p->timeout_left = procfs_deadline_left_at(dir, p->args[3], (p->args[1] & 256) != 0);
	/* poll(fds, n, ...): the first descriptor, which is what one waits on */
	if ((p->syscall == s->poll || p->syscall == s->ppoll) && p->args[1] >= 1)
		procfs_first_poll_fd_at(dir, p->args[0], &p->poll_fd);
}

/* The watched process pid, or NULL. */
static struct watched *find(struct sampler *s, pid_t pid)
{
	long i = pid > 0 ? intmap_get(&s->at, (unsigned long long)pid) : -1;
	return i >= 0 && (size_t)i < s->nw && s->w[i].pid == pid ? &s->w[i] : NULL;
}

/* Keeps a process's names (as read: its own copies). */
static void keep_names(struct watched *w, const struct proc_sample *p)
{
	str_copy(w->comm, sizeof(w->comm), p->comm);
	free(w->cmd);
	free(w->exe);
	w->cmd = xstrdup(p->cmd);
	w->exe = xstrdup(p->exe);
	w->renamed = false;
	w->ran_since_named = false;
}


bool sampler_read(struct sampler *s, pid_t pid, unsigned long long start, struct proc_sample *out)
{
	unsigned one = (unsigned)pid;
	struct procfs_stat st;

	if (pid <= 0)
		return false;
	struct pids_fetch *got = procps_pids_select(s->info, &one, 1, PIDS_SELECT_PID);
	if (!got || got->counts->total < 1)
		return false;
	memset(out, 0, sizeof(*out));
	struct pids_stack *stack = got->stacks[0];
	/* read whole, then kept only when it is the process meant */
	if (PIDS_VAL(REL_PID, s_int, stack, NULL) != pid ||
	    (start && PIDS_VAL(REL_START, ull_int, stack, NULL) != start))
		return false;
	/* its stat by hand, and the names it read only when its start time
	 * is still the one read with them (a PID reused in between is not
	 * this process) */
	char path[32];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool ok = fd >= 0 && procfs_stat_fd(fd, &st) &&
	          st.start == PIDS_VAL(REL_START, ull_int, stack, NULL);
	if (fd >= 0)
		close(fd);
	if (!ok)
		return false;
	fill_stat(out, &st);
	fill_names(out, stack, st.state);
	/* comm as the stat line says it (the later read) */
	str_copy(out->comm, sizeof(out->comm), st.comm);
	out->exit_code = -1;
	out->syscall = -1;
	out->timeout_left = -1;
	out->poll_fd = -1;
	/* the news of an exec or a rename: the next readings show these names */
	struct watched *w = find(s, pid);
	if (w && w->start == st.start)
		keep_names(w, out);
	return true;
}

void sampler_expect(struct sampler *s, pid_t pid, unsigned long long start)
{
	if (pid <= 0 || !start)
		return;
	if (s->nexp == s->exp_cap) {
		s->exp_cap = s->exp_cap ? s->exp_cap * 2 : 64;
		s->exp = xreallocarray(s->exp, s->exp_cap, sizeof(*s->exp));
	}
	s->exp[s->nexp++] = (struct expected){ pid, start };
}

void sampler_set_news(struct sampler *s, bool on)
{
	s->news = on;
}

void sampler_resync(struct sampler *s)
{
	s->resync = true;
}

void sampler_set_threads(struct sampler *s, bool on)
{
	s->threads = on;
}

static int by_thread(const void *a, const void *b)
{
	const struct thread_sample *x = a, *y = b;

	if (x->pid != y->pid)
		return (x->pid > y->pid) - (x->pid < y->pid);
	return (x->tid > y->tid) - (x->tid < y->tid);
}

/* Lists the threads of every multi-threaded process of out. */
static void scan_threads(struct sampler *s, struct frame *out)
{
	size_t n = 0;

	for (size_t i = 0; i <= out->nprocs; i++) {
		if (i < out->nprocs && out->procs[i].nlwp > 1 && out->procs[i].state != 'Z')
			s->batch[n++] = (unsigned)out->procs[i].pid;
		if (n == 0 || (n < SELECT_BATCH && i < out->nprocs))
			continue;
		struct pids_fetch *got = procps_pids_select(s->tinfo, s->batch, (int)n,
		                                            PIDS_SELECT_PID_THREADS);
		n = 0;
		if (!got)
			continue;
		for (int k = 0; k < got->counts->total; k++) {
			struct pids_stack *st = got->stacks[k];
			struct thread_sample *t = frame_add_thread(out);
			t->tid = PIDS_VAL(0, s_int, st, NULL);
			t->pid = PIDS_VAL(1, s_int, st, NULL);
			t->state = PIDS_VAL(2, s_ch, st, NULL);
			str_copy(t->comm, sizeof(t->comm), PIDS_VAL(3, str, st, NULL));
		}
	}
	if (out->nthreads > 1)
		qsort(out->threads, out->nthreads, sizeof(*out->threads), by_thread);
}

/* Opens pid's /proc directory (confirmed: start, when not 0, must be its
 * start time) and keeps it as a new watched process when its parent is
 * watched and confirmed this tick (or it is the top, or start was given:
 * the kernel's news named it).  Returns its index, or -1. */
static long watch_new(struct sampler *s, pid_t pid, unsigned long long start)
{
	struct procfs_stat st;
	unsigned long long at = start;
	int dir = procfs_open(pid, &at, &st);

	if (dir < 0) {
		s->out_of_fds |= errno == EMFILE || errno == ENFILE;
		return -1;
	}
	const struct watched *parent = find(s, st.ppid);
	if (!start && pid != s->top && !(parent && parent->tick == s->tick && !parent->unread)) {
		/* somebody else's: gone since its parent listed it, and the PID
		 * given again */
		close(dir);
		return -1;
	}
	/* its number in a namespace under forkscope's, read once (a PID
	 * cannot move to another namespace) */
	int levels = 0;
	pid_t nspid = s->ns_levels ? procfs_nspid_at(dir, &levels) : 0;
	if (levels <= s->ns_levels)
		nspid = 0;
	int statfd = -1;
	if (s->nkept < s->most_kept) {
		statfd = openat(dir, "stat", O_RDONLY | O_CLOEXEC);
		/* the stat line as this descriptor reads it: the process is the
		 * one confirmed, and the line is today's */
		if (statfd >= 0 && (!procfs_stat_fd(statfd, &st) || st.start != at)) {
			close(statfd);
			close(dir);
			return -1;
		}
	}
	if (statfd >= 0) {
		s->nkept++;
	} else {
		/* past the limit: read, and closed again (open_dir()) */
		close(dir);
		dir = -1;
	}
	if (s->nw == s->wcap) {
		s->wcap = s->wcap ? s->wcap * 2 : 256;
		s->w = xreallocarray(s->w, s->wcap, sizeof(*s->w));
	}
	long i = (long)s->nw++;
	s->w[i] = (struct watched){ .pid = pid, .start = at, .dir = dir, .statfd = statfd,
	                            .sysfd = -1, .runfd = -1, .tick = s->tick,
	                            .st = st, .sys = -1, .ran = true, .first = s->tick,
	                            .nspid = nspid };
	s->w[i].stat_at = s->w[i].changed_at = now_seconds();
	intmap_put(&s->at, (unsigned long long)pid, i);
	return i;
}

/* How often a process that did not run has its stat line read all the
 * same (another process may rename it, or move it to another group). */
#define STAT_RECHECK 1.0

/* Reads a process watched since an earlier tick: confirmed while its kept
 * descriptors still read (they are bound to the process), or, when none
 * are kept, while /proc/PID opened again has its start time.  A kept one
 * whose count of times run did not move (procfs_runs_at(): one thread,
 * not new, not exec'd lately) did nothing itself since the last tick: its
 * stat line is the last one read (stale: full reads it all the same, for
 * a tick where a parent left and its children changed parent). */
static void confirm(struct sampler *s, struct watched *w, double now, bool full)
{
	w->unread = w->walked = false;
	if (w->statfd >= 0) {
		/* (a process on a CPU at the last reading may have done anything
		 * since without being put on one again: it counts as having run) */
		unsigned long long runs = 0;
		bool counted = false;
		if (w->st.state != 'Z' && !w->no_runs) {
			counted = procfs_runs_at(w->dir, &w->runfd, &runs) && runs > 0;
			/* a kernel without the file: not asked again */
			w->no_runs = w->runfd < 0 && errno == ENOENT;
		}
		w->ran = !counted || !w->counted || runs != w->runs || w->st.nlwp != 1 ||
		         w->st.state == 'R';
		w->counted = counted;
		w->runs = runs;
		w->stale = !w->ran && !full && now - w->stat_at < STAT_RECHECK &&
		           now - w->changed_at >= NAMES_YOUNG && now >= w->stat_at;
		if (w->stale) {
			w->tick = s->tick;
			return;
		}
		w->stale = false;
		if (procfs_stat_fd(w->statfd, &w->st) && w->st.start == w->start) {
			w->tick = s->tick;
			w->stat_at = now;
		} else {
			w->tick = s->tick - 1;      /* gone (perhaps since the first look) */
		}
		return;
	}
	w->ran = true;
	unsigned long long start = w->start;
	int dir = procfs_open(w->pid, &start, &w->st);
	if (dir >= 0) {
		w->tick = s->tick;
		w->stat_at = now;
		/* room again (processes went): kept from now on */
		if (s->nkept < s->most_kept &&
		    (w->statfd = openat(dir, "stat", O_RDONLY | O_CLOEXEC)) >= 0) {
			w->dir = dir;
			s->nkept++;
		} else {
			close(dir);
		}
		return;
	}
	if (errno == EMFILE || errno == ENFILE) {
		/* out of descriptors: not read, but not declared gone either */
		w->tick = s->tick;
		w->unread = true;
		s->out_of_fds = true;
	}
}

/* An exec since the last tick: the program's text or stack moved. */
static bool execd(const struct watched *w, const struct procfs_stat *before)
{
	return before->code_start != w->st.code_start || before->code_end != w->st.code_end ||
	       before->stack_start != w->st.stack_start;
}

/* confirm(), and what the reading tells of w beyond it: an exec (its
 * names are read again, and it is watched for a title as a new process
 * is).  True when w left or became a zombie: its children have another
 * parent now, without running themselves. */
static bool reread(struct sampler *s, struct watched *w, double now, bool full)
{
	struct procfs_stat was = w->st;

	confirm(s, w, now, full);
	if (w->tick != s->tick)
		return true;
	if (!w->unread && execd(w, &was)) {
		w->renamed = true;
		w->changed_at = now;
	}
	return w->st.state == 'Z' && was.state != 'Z';
}

/* Forgets w, whose PID is someone else's now (or nobody's). */
static void drop(struct sampler *s, struct watched *w)
{
	intmap_put(&s->at, (unsigned long long)w->pid, -1);
	forget(w);
	w->pid = 0;
}

/* w's /proc directory: the one kept, or one opened and confirmed by its
 * start time for a process past the limit, to be given back to
 * close_dir() as soon as it is read; -1 when it is gone. */
static int open_dir(const struct watched *w)
{
	unsigned long long start = w->start;

	return w->dir >= 0 ? w->dir : procfs_open(w->pid, &start, NULL);
}

static void close_dir(const struct watched *w, int dir)
{
	if (dir >= 0 && dir != w->dir)
		close(dir);
}

/* What only the process's own confirmed descriptor may read. */
static void fill_touched(const struct sampler *s, struct proc_sample *p, struct watched *w)
{
	int dir = open_dir(w);
	bool keep = w->statfd >= 0;     /* its descriptors are kept */

	p->exit_code = p->state == 'Z' ? w->st.exit_code : -1;
	p->syscall = -1;
	p->timeout_left = -1;
	p->poll_fd = -1;
	p->wchan[0] = '\0';
	if (dir < 0)
		return;         /* gone since its stat was read */
	read_touched(s, p, w, dir, keep);
	close_dir(w, dir);
}

static void queue_walk(struct sampler *s, size_t i)
{
	if (s->nqueue == s->queue_cap) {
		s->queue_cap = s->queue_cap ? s->queue_cap * 2 : 256;
		s->queue = xreallocarray(s->queue, s->queue_cap, sizeof(*s->queue));
	}
	s->queue[s->nqueue++] = i;
}

/* Whether the children of w are read this tick: a new process's at its
 * first tick and the next (it may have some already: an attached tree, a
 * child forked before the news was followed; and the news follows a
 * process found by a reading only from the end of that reading, so a
 * child it forks meanwhile is told to no one: the second read finds it),
 * everyone's when forks are not told or news was lost. */
static bool to_walk(const struct sampler *s, const struct watched *w)
{
	return w->tick == s->tick && !w->unread && w->st.state != 'Z' &&
	       (w->first + 1 >= s->tick || !s->news || s->resync);
}

/* Makes the children of w[i] watched, through its descriptor. */
static void walk_children(struct sampler *s, size_t i)
{
	if (s->w[i].walked)
		return;
	s->w[i].walked = true;
	s->kids.n = 0;
	int dir = open_dir(&s->w[i]);
	procfs_children_at(dir, s->w[i].pid, s->w[i].st.nlwp, &s->kids);
	close_dir(&s->w[i], dir);
	for (size_t k = 0; k < s->kids.n; k++) {
		pid_t kid = s->kids.v[k];
		struct watched *w = find(s, kid);
		if (w && w->tick == s->tick)
			continue;       /* watched already: the same live process */
		if (w)
			drop(s, w);     /* gone: someone new has its PID */
		long n = watch_new(s, kid, 0);
		if (n >= 0)
			queue_walk(s, (size_t)n);
	}
}

/* Whether w's names are read this tick: when it is new, exec'd or
 * renamed; and, for a title written over the command line in place (which
 * nothing tells), at every tick of its first NAMES_YOUNG seconds (where
 * programs write their titles) and every NAMES_RECHECK seconds after. */
static bool names_due(const struct sampler *s, const struct watched *w, double now)
{
	if (!w->pid || w->tick != s->tick || w->unread)
		return false;
	return !w->cmd || w->renamed || strcmp(w->comm, w->st.comm) != 0 ||
	       now - w->changed_at < NAMES_YOUNG ||
	       (w->ran_since_named && (now - w->named_at >= NAMES_RECHECK || now < w->named_at));
}

/* The names of the processes whose names are due: libproc2, a batch at a
 * time, kept only for the process confirmed (the same start time); by hand,
 * through its descriptor, for one libproc2 missed (in the middle of its
 * exec) that has none yet or has exec'd. */
static void read_names(struct sampler *s, double now)
{
	size_t n = 0;
	struct proc_sample p;

	for (size_t i = 0; i <= s->nw; i++) {
		struct watched *w = i < s->nw ? &s->w[i] : NULL;
		if (w && names_due(s, w, now))
			s->batch[n++] = (unsigned)w->pid;
		if (n == 0 || (n < SELECT_BATCH && w))
			continue;
		struct pids_fetch *got = procps_pids_select(s->info, s->batch, (int)n, PIDS_SELECT_PID);
		for (int k = 0; got && k < got->counts->total; k++) {
			struct pids_stack *stack = got->stacks[k];
			struct watched *x = find(s, PIDS_VAL(REL_PID, s_int, stack, NULL));
			if (!x || x->start != PIDS_VAL(REL_START, ull_int, stack, NULL))
				continue;
			memset(&p, 0, sizeof(p));
			fill_names(&p, stack, x->st.state);
			keep_names(x, &p);
			x->named = s->tick;
			x->named_at = now;
		}
		for (size_t k = 0; k < n; k++) {
			struct watched *x = find(s, (pid_t)s->batch[k]);
			if (!x || x->named == s->tick || (x->cmd && !x->renamed))
				continue;
			memset(&p, 0, sizeof(p));
			int dir = open_dir(x);
			if (dir < 0 || !procfs_names_at(dir, p.comm, sizeof(p.comm), p.cmd, sizeof(p.cmd),
			                                p.exe, sizeof(p.exe)))
				str_copy(p.comm, sizeof(p.comm), x->st.comm);
			close_dir(x, dir);
			if (x->st.state == 'Z')
				p.cmd[0] = '\0';
			keep_names(x, &p);
			x->named = s->tick;
			x->named_at = now;
		}
		n = 0;
	}
}

/* Descriptors kept beyond the watched processes': for the probes, the
 * launcher's sweeps, libproc2 and the screen; and an eighth of the limit
 * besides, for the Python hook's connections (pysource.h). */
enum { FD_ROOM = 256, FDS_PER_PROCESS = 4 };

/* How many descriptors the watched processes may keep between ticks. */
static size_t keep_max(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur <= FD_ROOM + rl.rlim_cur / 8)
		return 0;
	if (rl.rlim_cur == RLIM_INFINITY)
		return SIZE_MAX;
	return (size_t)(rl.rlim_cur - FD_ROOM - rl.rlim_cur / 8);
}

size_t sampler_scan(struct sampler *s, struct frame *out)
{
	double now = now_seconds();

	s->tick++;
	/* Each watched process keeps its descriptors while the open-files
	 * limit allows; past it, /proc/PID is opened at each read and closed
	 * at once (as many processes as there are, for a few more calls).
	 * The limit is forkscope's own: read again once a second (another
	 * program may change it: prlimit(1)), and after running out. */
	if (s->tick == 1 || s->out_of_fds || now - s->limit_at >= 1.0) {
		s->most_kept = keep_max() / FDS_PER_PROCESS;
		s->limit_at = now;
	}
	s->out_of_fds = false;
	s->nkept = 0;
	for (size_t i = 0; i < s->nw; i++) {
		struct watched *w = &s->w[i];
		if (w->statfd < 0)
			continue;
		if (s->nkept < s->most_kept) {
			s->nkept++;
			continue;
		}
		close_kept(w);     /* (the limit was lowered) */
	}
	s->nqueue = 0;
	frame_clear(out);
	out->self = s->top;

	bool left = false;
	for (size_t i = 0; i < s->nw; i++)
		left |= reread(s, &s->w[i], now, false);
	/* a process left, or became a zombie: what did not run is read too */
	for (size_t i = 0; i < s->nw && left; i++)
		if (s->w[i].tick == s->tick && s->w[i].stale)
			reread(s, &s->w[i], now, true);
	/* the top (forkscope, or a test), then the processes the news told of */
	struct watched *top = find(s, s->top);
	if (!top || top->tick != s->tick) {
		if (top)
			drop(s, top);
		watch_new(s, s->top, 0);
	}
	for (size_t e = 0; e < s->nexp; e++) {
		struct watched *w = find(s, s->exp[e].pid);
		if (w && w->tick == s->tick)
			continue;       /* watched already (or the PID is another's now) */
		if (w)
			drop(s, w);
		watch_new(s, s->exp[e].pid, s->exp[e].start);
	}
	s->nexp = 0;

	/* Breadth first: the children of what is confirmed, through the
	 * descriptors bound to them; a new one is confirmed by its parent. */
	for (size_t i = 0; i < s->nw; i++)
		if (to_walk(s, &s->w[i]))
			queue_walk(s, i);
	for (size_t q = 0; q < s->nqueue; q++)
		if (to_walk(s, &s->w[s->queue[q]]))
			walk_children(s, s->queue[q]);
	s->resync = false;
	read_names(s, now);

	/* the frame; the processes not confirmed are gone (or another's) */
	size_t kept = 0;
	intmap_clear(&s->at);
	for (size_t i = 0; i < s->nw; i++) {
		struct watched *w = &s->w[i];
		if (!w->pid || w->tick != s->tick) {
			forget(w);
			continue;
		}
		s->w[kept] = *w;
		w = &s->w[kept];
		intmap_put(&s->at, (unsigned long long)w->pid, (long)kept);
		kept++;
		if (w->unread)
			continue;
		struct proc_sample *p = frame_add_proc(out);
		fill_stat(p, &w->st);
		str_copy(p->cmd, sizeof(p->cmd), w->st.state == 'Z' ? "" : w->cmd ? w->cmd : "");
		str_copy(p->exe, sizeof(p->exe), w->exe ? w->exe : "");
		p->nspid = w->nspid;
		fill_touched(s, p, w);
	}
	s->nw = kept;
	out->incomplete = s->out_of_fds;

	frame_sort(out);
	if (s->threads)
		scan_threads(s, out);
	if (s->dirs_cap < out->nprocs + 1) {
		s->dirs_cap = out->nprocs + 1;
		s->dirs = xreallocarray(s->dirs, s->dirs_cap, sizeof(*s->dirs));
		s->ran = xreallocarray(s->ran, s->dirs_cap, sizeof(*s->ran));
	}
	for (size_t i = 0; i < out->nprocs; i++) {
		struct watched *w = find(s, out->procs[i].pid);
		s->dirs[i] = w ? w->dir : -1;
		s->ran[i] = !w || w->ran;
	}
	channels_probe(out, s->dirs, s->ran, s->py, s->chan);

	return out->nprocs;
}

void sampler_channels_again(struct sampler *s, struct frame *out)
{
	if (s->dirs_cap < out->nprocs + 1)
		return;         /* not the frame sampler_scan() filled */
	frame_clear_channels(out);
	for (size_t i = 0; i < out->nprocs; i++) {
		struct watched *w = find(s, out->procs[i].pid);
		s->dirs[i] = w ? w->dir : -1;
		s->ran[i] = false;      /* the listing kept: only the fills again */
	}
	channels_probe(out, s->dirs, s->ran, s->py, s->chan);
}

void sampler_set_pidns(struct sampler *s, bool on)
{
	unsigned long long start = 0;
	int dir = on ? procfs_open(s->top, &start, NULL) : -1;

	s->ns_levels = 0;
	if (dir >= 0) {
		procfs_nspid_at(dir, &s->ns_levels);
		close(dir);
	}
}

void sampler_set_python(struct sampler *s, const struct pymodel *py)
{
	s->py = py;
}
