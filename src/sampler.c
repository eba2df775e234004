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
#include "intmap.h"
#include "procfs.h"
#include "util.h"

/* libproc2 refuses a select of more PIDs than this at once. */
enum { SELECT_BATCH = 200 };

static enum pids_item items[] = {
	PIDS_ID_PID, PIDS_ID_PPID, PIDS_ID_PGRP, PIDS_ID_SESSION,
	PIDS_STATE, PIDS_TICS_BEGAN, PIDS_NLWP, PIDS_ADDR_CODE_START,
	PIDS_CMD, PIDS_CMDLINE, PIDS_EXE, PIDS_WCHAN_NAME,
};
enum rel {
	REL_PID, REL_PPID, REL_PGRP, REL_SID,
	REL_STATE, REL_START, REL_NLWP, REL_CODE,
	REL_CMD, REL_CMDLINE, REL_EXE, REL_WCHAN,
};

/* A process the sampler watches, confirmed to be the one it was when first
 * seen: dir is its /proc/PID descriptor (procfs.h), bound to it. */
struct watched {
	pid_t pid;
	unsigned long long start;
	int nlwp;
	int dir;                    /* -1 between ticks when not kept */
	bool kept;                  /* dir stays open until the next tick */
	bool walked;                /* its children are candidates already */
};

/* This tick's candidates of one level of the walk: PIDs from a confirmed
 * parent's children list, or processes known from before. */
struct candidate {
	pid_t pid;
	unsigned long long start;   /* 0: new, not known yet */
	int nlwp;
	int dir;                    /* -1: not opened yet */
};

struct sampler {
	pid_t top;
	bool threads;
	long timed[2];            /* mq_timedsend and mq_timedreceive on this machine */
	long futex, poll, ppoll;  /* and these */
	const struct pymodel *py; /* what the Python hook told (borrowed) */
	struct pids_info *info;
	struct pids_info *tinfo;  /* for threads */
	struct watched *known;    /* read last tick */
	size_t nknown, known_cap;
	struct watched *next;     /* being read this tick */
	size_t nnext, next_cap;
	struct intmap at;         /* pid -> index in next, this tick */
	struct intmap seen;       /* pid -> index in cand, this tick */
	struct candidate *cand;
	size_t ncand, cand_cap;
	struct pidvec kids;
	unsigned *batch;
	int *dirs;                /* per sample of the frame, for the channel probe */
	size_t dirs_cap;
	size_t nkept, keep_max;   /* descriptors kept open between ticks, and how
	                           * many may be (the open-files limit, less room) */
};

struct sampler *sampler_new(pid_t top, char *err, size_t errlen)
{
	struct sampler *s = xcalloc(1, sizeof(*s));
	int rc;

	s->top = top;
	rc = procps_pids_new(&s->info, items, (int)(sizeof(items) / sizeof(items[0])));
	if (rc < 0) {
		snprintf(err, errlen, "libproc2 could not be set up (%s): is /proc mounted?",
		         strerror(-rc));
		free(s);
		return NULL;
	}
	static enum pids_item titems[] = { PIDS_ID_PID, PIDS_ID_TGID, PIDS_STATE, PIDS_CMD };
	rc = procps_pids_new(&s->tinfo, titems, (int)(sizeof(titems) / sizeof(titems[0])));
	if (rc < 0) {
		snprintf(err, errlen, "libproc2 could not be set up (%s): is /proc mounted?",
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
	return s;
}

void sampler_free(struct sampler *s)
{
	if (!s)
		return;
	procps_pids_unref(&s->info);
	procps_pids_unref(&s->tinfo);
	for (size_t i = 0; i < s->nknown; i++)
		if (s->known[i].dir >= 0)
			close(s->known[i].dir);
	free(s->known);
	free(s->next);
	intmap_free(&s->at);
	intmap_free(&s->seen);
	free(s->cand);
	pidvec_free(&s->kids);
	free(s->batch);
	free(s->dirs);
	free(s);
}

static void add_candidate(struct sampler *s, pid_t pid, unsigned long long start, int nlwp, int dir)
{
	if (pid <= 0 || intmap_get(&s->seen, (unsigned long long)pid) >= 0) {
		if (dir >= 0)
			close(dir);
		return;
	}
	intmap_put(&s->seen, (unsigned long long)pid, (long)s->ncand);
	if (s->ncand == s->cand_cap) {
		s->cand_cap = s->cand_cap ? s->cand_cap * 2 : 256;
		s->cand = xreallocarray(s->cand, s->cand_cap, sizeof(*s->cand));
	}
	s->cand[s->ncand++] = (struct candidate){ pid, start, nlwp, dir };
}

static void add_next(struct sampler *s, pid_t pid, unsigned long long start, int nlwp, int dir)
{
	if (s->nnext == s->next_cap) {
		s->next_cap = s->next_cap ? s->next_cap * 2 : 256;
		s->next = xreallocarray(s->next, s->next_cap, sizeof(*s->next));
	}
	intmap_put(&s->at, (unsigned long long)pid, (long)s->nnext);
	s->next[s->nnext++] = (struct watched){ pid, start, nlwp, dir, false, false };
}

static void trim_right(char *str)
{
	size_t n = strlen(str);

	while (n > 0 && (str[n - 1] == ' ' || str[n - 1] == '\n'))
		str[--n] = '\0';
}

static void fill_sample(struct proc_sample *p, struct pids_stack *st)
{
	char bracketed[PROC_COMM_MAX + 2];
	const char *str;

	p->pid = PIDS_VAL(REL_PID, s_int, st, NULL);
	p->ppid = PIDS_VAL(REL_PPID, s_int, st, NULL);
	p->pgrp = PIDS_VAL(REL_PGRP, s_int, st, NULL);
	p->sid = PIDS_VAL(REL_SID, s_int, st, NULL);
	p->state = PIDS_VAL(REL_STATE, s_ch, st, NULL);
	p->start = PIDS_VAL(REL_START, ull_int, st, NULL);
	p->nlwp = PIDS_VAL(REL_NLWP, s_int, st, NULL);
	p->code_start = PIDS_VAL(REL_CODE, ul_int, st, NULL);
	str_copy(p->comm, sizeof(p->comm), PIDS_VAL(REL_CMD, str, st, NULL));
	str = PIDS_VAL(REL_CMDLINE, str, st, NULL);
	/* libproc2 shows "[comm]" when there is no command line (zombies,
	 * kernel threads); a real one may start with '[' too */
	snprintf(bracketed, sizeof(bracketed), "[%s]", p->comm);
	if (!str || strcmp(str, bracketed) == 0 || p->state == 'Z')
		str = "";       /* (a zombie's "[comm] <defunct>" is no command line) */
	str_copy(p->cmd, sizeof(p->cmd), str);
	trim_right(p->cmd);
	str = PIDS_VAL(REL_EXE, str, st, NULL);
	str_copy(p->exe, sizeof(p->exe), str && str[0] == '/' ? str : "");
	str = PIDS_VAL(REL_WCHAN, str, st, NULL);
	str_copy(p->wchan, sizeof(p->wchan), str && strcmp(str, "-") != 0 ? str : "");
}

/* What only the process's own confirmed descriptor may read. */
static void fill_touched(const struct sampler *s, struct proc_sample *p, int dir)
{
	p->exit_code = p->state == 'Z' ? procfs_exit_code_at(dir) : -1;
	/* what it waits for: only a sleeping process is in a system call */
	p->syscall = p->state == 'S' || p->state == 'D' ? procfs_syscall_at(dir, p->args) : -1;
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

bool sampler_read(struct sampler *s, pid_t pid, unsigned long long start, struct proc_sample *out)
{
	unsigned one = (unsigned)pid;

	if (pid <= 0)
		return false;
	struct pids_fetch *got = procps_pids_select(s->info, &one, 1, PIDS_SELECT_PID);
	if (!got || got->counts->total < 1)
		return false;
	memset(out, 0, sizeof(*out));
	fill_sample(out, got->stacks[0]);
	/* read whole, then kept only when it is the process meant */
	return out->pid == pid && (!start || out->start == start);
}

void sampler_expect(struct sampler *s, pid_t pid, unsigned long long start)
{
	if (pid <= 0 || !start)
		return;
	if (s->nknown == s->known_cap) {
		s->known_cap = s->known_cap ? s->known_cap * 2 : 256;
		s->known = xreallocarray(s->known, s->known_cap, sizeof(*s->known));
	}
	/* read by its PID like one seen before, once its start time matches
	 * (a PID listed twice is read once) */
	s->known[s->nknown++] = (struct watched){ pid, start, 1, -1, false, false };
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

/* Makes the children of next[i] candidates of the next level, through its
 * descriptor, once; then closes that descriptor unless it is kept. */
static void walk_children(struct sampler *s, size_t i)
{
	if (s->next[i].dir < 0 || s->next[i].walked)
		return;
	s->next[i].walked = true;
	s->kids.n = 0;
	procfs_children_at(s->next[i].dir, s->next[i].pid, s->next[i].nlwp, &s->kids);
	for (size_t k = 0; k < s->kids.n; k++)
		add_candidate(s, s->kids.v[k], 0, 0, -1);
	if (!s->next[i].kept) {
		close(s->next[i].dir);
		s->next[i].dir = -1;
	}
}

/* Reads one level of candidates: keeps each that is confirmed to be ours
 * (known from before with the same start time, or new with a parent
 * already confirmed this tick), with a /proc descriptor bound to it. */
static void read_level(struct sampler *s, struct frame *out, size_t from, size_t to)
{
	for (size_t i = from; i < to; i += SELECT_BATCH) {
		size_t n = to - i < SELECT_BATCH ? to - i : SELECT_BATCH;
		for (size_t k = 0; k < n; k++)
			s->batch[k] = (unsigned)s->cand[i + k].pid;
		struct pids_fetch *got = procps_pids_select(s->info, s->batch, (int)n, PIDS_SELECT_PID);
		if (!got) {
			/* not read this time (out of memory in libproc2): say so, and
			 * keep the known ones for the next tick rather than declare
			 * them dead */
			out->incomplete = true;
			for (size_t k = 0; k < n; k++) {
				struct candidate *c = &s->cand[i + k];
				if (c->start) {
					add_next(s, c->pid, c->start, c->nlwp, c->dir);
					s->next[s->nnext - 1].kept = c->dir >= 0;
					s->next[s->nnext - 1].walked = true;
					s->nkept += c->dir >= 0;
				}
				c->dir = -1;
			}
			continue;
		}
		for (int k = 0; k < got->counts->total; k++) {
			struct proc_sample *p = frame_add_proc(out);
			fill_sample(p, got->stacks[k]);
			long ci = intmap_get(&s->seen, (unsigned long long)p->pid);
			struct candidate *c = ci >= 0 ? &s->cand[ci] : NULL;
			int dir = -1, open_err = 0;
			unsigned long long start = p->start;
			struct procfs_stat now;
			if (c && c->dir >= 0) {
				/* the same process as last tick only while the descriptor
				 * bound to it still reads, with the same start */
				if (c->start == p->start && procfs_stat_at(c->dir, &now) &&
				    now.start == p->start)
					dir = c->dir;
				else
					close(c->dir);
				c->dir = -1;
			} else if (c && c->start && c->start == p->start) {
				/* known, but its descriptor was not kept (too many open
				 * files): confirmed by its start time again */
				dir = procfs_open(p->pid, &start, NULL);
				open_err = dir < 0 ? errno : 0;
			}
			if (dir < 0 && c && (p->pid == s->top ||
			                     intmap_get(&s->at, (unsigned long long)p->ppid) >= 0)) {
				/* the top, which is ours by definition, or new (perhaps
				 * with a PID we knew) and the child of a process confirmed
				 * this tick */
				start = p->start;
				dir = procfs_open(p->pid, &start, NULL);
				open_err = dir < 0 ? errno : open_err;
			}
			if (dir < 0 && (open_err == EMFILE || open_err == ENFILE) && c && c->start &&
			    c->start == p->start) {
				/* out of descriptors: a process known by its start time
				 * stays, unread beyond its stat, and the reading says it is
				 * incomplete (nothing is declared dead) */
				out->incomplete = true;
				p->exit_code = -1;
				p->syscall = -1;
				p->timeout_left = -1;
				add_next(s, p->pid, p->start, p->nlwp, -1);
				s->next[s->nnext - 1].walked = true;
				continue;
			}
			/* Anything else is somebody else's process that got a PID we
			 * knew, or one gone since its parent listed it: not ours. */
			if (dir < 0) {
				out->nprocs--;
				continue;
			}
			fill_touched(s, p, dir);
			add_next(s, p->pid, p->start, p->nlwp, dir);
			s->next[s->nnext - 1].kept = s->nkept < s->keep_max;
			s->nkept += s->next[s->nnext - 1].kept;
			/* one not kept is walked and closed at once: the descriptors
			 * open at any moment stay within the limit */
			if (!s->next[s->nnext - 1].kept)
				walk_children(s, s->nnext - 1);
		}
	}
	/* known ones that were not confirmed are gone or someone else's */
	for (size_t i = from; i < to; i++)
		if (s->cand[i].dir >= 0) {
			close(s->cand[i].dir);
			s->cand[i].dir = -1;
		}
}

/* Descriptors beyond the ones kept: for the probes, the launcher's sweeps,
 * libproc2 and the screen; and an eighth of the limit besides, for the
 * Python hook's connections (pysource.h). */
enum { FD_ROOM = 256 };

size_t sampler_scan(struct sampler *s, struct frame *out)
{
	struct rlimit rl;

	/* Each watched process keeps its /proc descriptor while the open-files
	 * limit allows; past that, one is opened for each reading and closed
	 * (as many processes as there are, at the cost of a few more calls). */
	s->keep_max = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur > FD_ROOM + rl.rlim_cur / 8
	              ? (rl.rlim_cur == RLIM_INFINITY ? SIZE_MAX
	                                               : (size_t)(rl.rlim_cur - FD_ROOM - rl.rlim_cur / 8))
	              : 0;
	s->nkept = 0;
	frame_clear(out);
	out->self = s->top;
	s->ncand = s->nnext = 0;
	intmap_clear(&s->at);
	intmap_clear(&s->seen);

	/* the top first (forkscope, or a test), then everything known */
	bool top_known = false;
	for (size_t i = 0; i < s->nknown; i++)
		top_known |= s->known[i].pid == s->top;
	if (!top_known)
		add_candidate(s, s->top, 0, 0, -1);
	for (size_t i = 0; i < s->nknown; i++)
		add_candidate(s, s->known[i].pid, s->known[i].start, s->known[i].nlwp, s->known[i].dir);
	s->nknown = 0;

	/* Breadth first: read a level, then walk the children of what was
	 * confirmed in it, through the descriptors bound to them. */
	size_t from = 0;
	while (from < s->ncand) {
		size_t to = s->ncand, first_next = s->nnext;
		read_level(s, out, from, to);
		for (size_t i = first_next; i < s->nnext; i++)
			walk_children(s, i);
		from = to;
	}

	/* this tick's watched set is the next tick's known one */
	struct watched *swap = s->known;
	size_t swap_cap = s->known_cap;
	s->known = s->next;
	s->known_cap = s->next_cap;
	s->nknown = s->nnext;
	s->next = swap;
	s->next_cap = swap_cap;
	s->nnext = 0;

	frame_sort(out);
	if (s->threads)
		scan_threads(s, out);
	if (s->dirs_cap < out->nprocs + 1) {
		s->dirs_cap = out->nprocs + 1;
		s->dirs = xreallocarray(s->dirs, s->dirs_cap, sizeof(*s->dirs));
	}
	for (size_t i = 0; i < out->nprocs; i++) {
		long k = intmap_get(&s->at, (unsigned long long)out->procs[i].pid);
		s->dirs[i] = k >= 0 ? s->known[k].dir : -1;
	}
	channels_probe(out, s->dirs, s->py);
	return out->nprocs;
}

void sampler_set_python(struct sampler *s, const struct pymodel *py)
{
	s->py = py;
}
