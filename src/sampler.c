/*
 * sampler.c - /proc -> frame.
 *
 * One tick: walk the children lists down from the top and from every process
 * seen before, then read all of them in one libproc2 select call per batch.
 * A process may exit between any two reads; whatever is gone is simply not
 * in the frame, and the tracker decides what that means.
 */
#include "sampler.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libproc2/pids.h>
#include <seccomp.h>

#include "channels.h"
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

/* An open-addressing set of PIDs, each with the thread count and start
 * time last seen, and whether this tick's children walk reached it. */
struct pidset {
	pid_t *pid;
	int *nlwp;
	unsigned long long *start;
	bool *walked;
	size_t n, cap;
};

struct sampler {
	pid_t top;
	bool threads;
	long timed[2];            /* mq_timedsend and mq_timedreceive on this machine */
	struct pids_info *info;
	struct pids_info *tinfo;  /* for threads */
	struct pidset known;      /* read last tick, with their thread counts */
	struct pidset want;       /* this tick's candidates */
	pid_t *order;             /* want, in discovery order */
	size_t norder, order_cap;
	unsigned *batch;
};

static size_t slot_of(const struct pidset *s, pid_t pid)
{
	size_t i = ((size_t)pid * 2654435761u) & (s->cap - 1);

	while (s->pid[i] && s->pid[i] != pid)
		i = (i + 1) & (s->cap - 1);
	return i;
}

static void pidset_clear(struct pidset *s)
{
	if (s->cap)
		memset(s->pid, 0, s->cap * sizeof(*s->pid));
	s->n = 0;
}

static long pidset_add(struct pidset *s, pid_t pid, int nlwp, unsigned long long start);

static void pidset_grow(struct pidset *s)
{
	struct pidset old = *s;

	s->cap = old.cap ? old.cap * 2 : 256;
	s->pid = xcalloc(s->cap, sizeof(*s->pid));
	s->nlwp = xcalloc(s->cap, sizeof(*s->nlwp));
	s->start = xcalloc(s->cap, sizeof(*s->start));
	s->walked = xcalloc(s->cap, sizeof(*s->walked));
	s->n = 0;
	for (size_t i = 0; i < old.cap; i++) {
		if (!old.pid[i])
			continue;
		long k = pidset_add(s, old.pid[i], old.nlwp[i], old.start[i]);
		s->walked[k] = old.walked[i];
	}
	free(old.pid);
	free(old.nlwp);
	free(old.start);
	free(old.walked);
}

/* Adds pid (or finds it); returns its slot, or -(slot + 1) when it was
 * already there. */
static long pidset_add(struct pidset *s, pid_t pid, int nlwp, unsigned long long start)
{
	size_t i;

	if ((s->n + 1) * 2 > s->cap)
		pidset_grow(s);
	i = slot_of(s, pid);
	if (s->pid[i])
		return -(long)i - 1;
	s->pid[i] = pid;
	s->nlwp[i] = nlwp;
	s->start[i] = start;
	s->walked[i] = false;
	s->n++;
	return (long)i;
}

/* The slot of pid, or -1. */
static long pidset_find(const struct pidset *s, pid_t pid)
{
	size_t i;

	if (!s->cap)
		return -1;
	i = slot_of(s, pid);
	return s->pid[i] ? (long)i : -1;
}

/* The thread count last seen for pid, or 0 when unknown. */
static int pidset_nlwp(const struct pidset *s, pid_t pid)
{
	long i = pidset_find(s, pid);

	return i >= 0 ? s->nlwp[i] : 0;
}

static void pidset_free(struct pidset *s)
{
	free(s->pid);
	free(s->nlwp);
	free(s->start);
	free(s->walked);
}

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
	return s;
}

void sampler_free(struct sampler *s)
{
	if (!s)
		return;
	procps_pids_unref(&s->info);
	procps_pids_unref(&s->tinfo);
	pidset_free(&s->known);
	pidset_free(&s->want);
	free(s->order);
	free(s->batch);
	free(s);
}

/* Adds pid to this tick's candidates; walked: reached through a children
 * list (else: only known from before, by PID). */
static void want_add(struct sampler *s, pid_t pid, int nlwp, unsigned long long start, bool walked)
{
	if (pid <= 0)
		return;
	long k = pidset_add(&s->want, pid, nlwp, start);
	if (k < 0) {
		s->want.walked[-k - 1] |= walked;
		return;
	}
	s->want.walked[k] = walked;
	if (s->norder == s->order_cap) {
		s->order_cap = s->order_cap ? s->order_cap * 2 : 256;
		s->order = xreallocarray(s->order, s->order_cap, sizeof(*s->order));
	}
	s->order[s->norder++] = pid;
}

static void trim_right(char *str)
{
	size_t n = strlen(str);

	while (n > 0 && (str[n - 1] == ' ' || str[n - 1] == '\n'))
		str[--n] = '\0';
}

static void fill_sample(const struct sampler *s, struct proc_sample *p, struct pids_stack *st)
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
	if (!str || strcmp(str, bracketed) == 0)
		str = "";
	str_copy(p->cmd, sizeof(p->cmd), str);
	trim_right(p->cmd);
	str = PIDS_VAL(REL_EXE, str, st, NULL);
	str_copy(p->exe, sizeof(p->exe), str && str[0] == '/' ? str : "");
	str = PIDS_VAL(REL_WCHAN, str, st, NULL);
	str_copy(p->wchan, sizeof(p->wchan), str && strcmp(str, "-") != 0 ? str : "");
	p->exit_code = p->state == 'Z' ? procfs_exit_code(p->pid) : -1;
	/* what it waits for: only a sleeping process is in a system call */
	p->syscall = p->state == 'S' || p->state == 'D' ? procfs_syscall(p->pid, p->args) : -1;
	/* a timed put or get: its deadline (the 5th argument) says how long
	 * it will still wait */
	p->timeout_left = -1;
	if (p->syscall >= 0 && (p->syscall == s->timed[0] || p->syscall == s->timed[1]))
		p->timeout_left = procfs_deadline_left(p->pid, p->args[4]);
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

size_t sampler_scan(struct sampler *s, struct frame *out)
{
	pid_t kids[1024];

	frame_clear(out);
	out->self = s->top;
	pidset_clear(&s->want);
	s->norder = 0;

	want_add(s, s->top, pidset_nlwp(&s->known, s->top), 0, true);
	for (size_t i = 0; i < s->known.cap; i++)
		if (s->known.pid[i])
			want_add(s, s->known.pid[i], s->known.nlwp[i], s->known.start[i], false);
	/* Breadth first: the order array grows while it is walked. */
	for (size_t i = 0; i < s->norder; i++) {
		pid_t pid = s->order[i];
		size_t n = procfs_children(pid, pidset_nlwp(&s->known, pid), kids,
		                           sizeof(kids) / sizeof(kids[0]));
		for (size_t k = 0; k < n; k++)
			want_add(s, kids[k], 0, 0, true);
	}

	struct pidset old_known = s->known;
	memset(&s->known, 0, sizeof(s->known));
	for (size_t i = 0; i < s->norder; i += SELECT_BATCH) {
		size_t n = s->norder - i < SELECT_BATCH ? s->norder - i : SELECT_BATCH;
		for (size_t k = 0; k < n; k++)
			s->batch[k] = (unsigned)s->order[i + k];
		struct pids_fetch *got = procps_pids_select(s->info, s->batch, (int)n, PIDS_SELECT_PID);
		if (!got) {
			/* not read this time (out of memory in libproc2): say so, and
			 * keep them known for the next tick rather than declare them dead */
			out->incomplete = true;
			for (size_t k = 0; k < n; k++) {
				long o = pidset_find(&old_known, s->order[i + k]);
				if (o >= 0)
					pidset_add(&s->known, old_known.pid[o], old_known.nlwp[o],
					           old_known.start[o]);
			}
			continue;
		}
		for (int k = 0; k < got->counts->total; k++) {
			struct proc_sample *p = frame_add_proc(out);
			fill_sample(s, p, got->stacks[k]);
			/* A PID known from before but not reached by the walk, that now
			 * has another start time, is somebody else's process that got
			 * the number: not ours to watch. */
			long w = pidset_find(&s->want, p->pid);
			if (w >= 0 && !s->want.walked[w] && s->want.start[w] &&
			    s->want.start[w] != p->start) {
				out->nprocs--;
				continue;
			}
			pidset_add(&s->known, p->pid, p->nlwp, p->start);
		}
	}
	pidset_free(&old_known);
	frame_sort(out);
	if (s->threads)
		scan_threads(s, out);
	channels_probe(out);
	return out->nprocs;
}
