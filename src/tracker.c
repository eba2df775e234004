/*
 * tracker.c - frames in, events and records out.
 *
 * Each apply is mark -> match -> sweep: every live record not matched by a
 * sample of this frame has left /proc (exit if it was never seen as a zombie,
 * then reap); every sample not matched by a record is a new process.  The
 * sweep runs before the samples are applied, so a parent's reap is told
 * before its children's reparenting.
 */
#include "tracker.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "intmap.h"
#include "pidns.h"
#include "rstr.h"
#include "util.h"

struct tracker {
	pid_t self, root;
	unsigned arch;              /* the readings' system call table (blocked.h) */
	struct proc_record *rec;
	unsigned *stamp;            /* per record: the tick that last matched it */
	size_t n, cap;
	unsigned tick;
	unsigned next_seq;
	bool teardown;              /* forkscope is killing the tree */
	bool news;                  /* the kernel tells forks, execs, renames, exits */
	bool root_started;          /* the program's own exec was told (as its start) */
	bool distrust;              /* its news was lost: the next frame decides */
	bool pidns;                 /* under forkscope's init (tracker_set_pidns()) */
	pid_t *attached;            /* attached roots (tracker_attach()); the first
	                             * record of each PID is one */
	size_t nattached;
	struct tracker_stats stats;
	struct intmap live;          /* pid -> index of its record still in /proc */
	struct intmap chans;         /* the last frame's channels -> their fill */
	struct intmap unborn;        /* with news: a PID a reading found before its
	                              * fork was told -> the tick it was found */
	struct pymodel *py;          /* what the Python hook told */
	double last_reading;         /* the time of the last frame applied */
};

/* A channel as a key: never 0. */
static unsigned long long chan_key(enum chan_kind kind, unsigned long id)
{
	return ((unsigned long long)id << 2 | (unsigned long long)kind) + 1;
}

/* Rebuilds the map of live records after records moved or left /proc. */
static void reindex(struct tracker *tr)
{
	intmap_clear(&tr->live);
	for (size_t i = 0; i < tr->n; i++)
		if (tr->rec[i].phase != PHASE_REAPED)
			intmap_put(&tr->live, (unsigned long long)tr->rec[i].pid, (long)i);
}

/* A record's names (rstr.h), all at once: the record's own fields are
 * listed here and nowhere else. */
static const char **name_field(struct proc_record *r, int k)
{
	const char **f[] = { &r->comm, &r->cmd, &r->exe, &r->wchan, &r->pyname, &r->task,
	                     &r->title, &r->told.channel, &r->told.call };

	return k < (int)(sizeof(f) / sizeof(*f)) ? f[k] : NULL;
}

static void names_init(struct proc_record *r)
{
	for (int k = 0; name_field(r, k); k++)
		*name_field(r, k) = rstr_empty;
}

/* r was copied from another record: one more holder of each name. */
static void names_ref(struct proc_record *r)
{
	for (int k = 0; name_field(r, k); k++)
		rstr_ref(*name_field(r, k));
}

static void names_drop(struct proc_record *r)
{
	for (int k = 0; name_field(r, k); k++)
		rstr_drop(name_field(r, k));
}

struct tracker *tracker_new(pid_t self, pid_t root, const char *arch)
{
	struct tracker *tr = xcalloc(1, sizeof(*tr));

	tr->self = self;
	tr->root = root;
	tr->arch = blocked_arch(arch);
	tr->py = pymodel_new();
	return tr;
}

struct tracker *tracker_clone(const struct tracker *src)
{
	struct tracker *tr = xcalloc(1, sizeof(*tr));

	*tr = *src;
	tr->cap = src->n ? src->n : 1;
	tr->rec = xreallocarray(NULL, tr->cap, sizeof(*tr->rec));
	tr->stamp = xreallocarray(NULL, tr->cap, sizeof(*tr->stamp));
	if (src->n) {
		memcpy(tr->rec, src->rec, src->n * sizeof(*tr->rec));
		memcpy(tr->stamp, src->stamp, src->n * sizeof(*tr->stamp));
		for (size_t i = 0; i < tr->n; i++)
			names_ref(&tr->rec[i]);
	}
	memset(&tr->live, 0, sizeof(tr->live));
	memset(&tr->chans, 0, sizeof(tr->chans));
	memset(&tr->unborn, 0, sizeof(tr->unborn));
	reindex(tr);
	tr->py = pymodel_clone(src->py);
	tr->attached = NULL;
	if (src->nattached) {
		tr->attached = xreallocarray(NULL, src->nattached, sizeof(*tr->attached));
		memcpy(tr->attached, src->attached, src->nattached * sizeof(*tr->attached));
	}
	for (size_t i = 0; i < src->unborn.cap; i++)
		if (src->unborn.key[i])
			intmap_put(&tr->unborn, src->unborn.key[i], src->unborn.val[i]);
	for (size_t i = 0; i < src->chans.cap; i++)
		if (src->chans.key[i])
			intmap_put(&tr->chans, src->chans.key[i], src->chans.val[i]);
	return tr;
}

size_t tracker_bytes(const struct tracker *tr)
{
	size_t names = 0;

	/* each name counted once over all who hold it (the clones too) */
	for (size_t i = 0; i < tr->n; i++)
		for (int k = 0; name_field(&tr->rec[i], k); k++)
			names += rstr_cost(*name_field(&tr->rec[i], k));
	return sizeof(*tr) + pymodel_bytes(tr->py) + tr->nattached * sizeof(*tr->attached) + tr->cap * (sizeof(*tr->rec) + sizeof(*tr->stamp)) +
	       (tr->live.cap + tr->chans.cap) * (sizeof(unsigned long long) + sizeof(long)) + names;
}

void tracker_free(struct tracker *tr)
{
	if (!tr)
		return;
	for (size_t i = 0; i < tr->n; i++)
		names_drop(&tr->rec[i]);
	free(tr->rec);
	free(tr->stamp);
	intmap_free(&tr->live);
	intmap_free(&tr->chans);
	intmap_free(&tr->unborn);
	pymodel_free(tr->py);
	free(tr->attached);
	free(tr);
}

void tracker_set_teardown(struct tracker *tr)
{
	tr->teardown = true;
}

void tracker_attach(struct tracker *tr, pid_t pid)
{
	for (size_t i = 0; i < tr->nattached; i++)
		if (tr->attached[i] == pid)
			return;
	tr->attached = xreallocarray(tr->attached, tr->nattached + 1, sizeof(*tr->attached));
	tr->attached[tr->nattached++] = pid;
}

bool tracker_attached(const struct tracker *tr)
{
	return tr->nattached > 0;
}

/* Whether a new record for pid is an attached root: its PID was attached,
 * and no record had it yet (a later owner of the PID is someone else). */
static bool attached_root(const struct tracker *tr, pid_t pid)
{
	bool listed = false;

	for (size_t i = 0; i < tr->nattached && !listed; i++)
		listed = tr->attached[i] == pid;
	if (!listed || !tr->n)
		return listed;
	for (size_t i = 0; i + 1 < tr->n; i++)
		if (tr->rec[i].pid == pid)
			return false;
	return true;
}

void tracker_set_pidns(struct tracker *tr)
{
	tr->pidns = true;
}

bool tracker_pidns(const struct tracker *tr)
{
	return tr->pidns;
}

/* Whether pid is one of the run's counts (tracker_stats): not the
 * namespace's init, which is forkscope's own, as forkscope is. */
static bool counted(const struct tracker *tr, pid_t pid)
{
	return !(tr->pidns && pid == PIDNS_INIT);
}

/* Who adopts the tree's orphans: forkscope, or the namespace's init. */
static pid_t reaper_of(const struct tracker *tr)
{
	return tr->pidns ? PIDNS_INIT : tr->self;
}

void tracker_set_news(struct tracker *tr)
{
	tr->news = true;
}

void tracker_distrust(struct tracker *tr)
{
	tr->distrust = true;
}

const struct proc_record *tracker_records(const struct tracker *tr, size_t *n)
{
	*n = tr->n;
	return tr->rec;
}

/* The index of the record still in /proc with this pid, or -1. */
static long find_live(const struct tracker *tr, pid_t pid)
{
	return pid > 0 ? intmap_get(&tr->live, (unsigned long long)pid) : -1;
}

const struct proc_record *tracker_find(const struct tracker *tr, pid_t pid)
{
	long i = find_live(tr, pid);

	if (i >= 0)
		return &tr->rec[i];
	for (size_t k = tr->n; k-- > 0;)
		if (tr->rec[k].pid == pid)
			return &tr->rec[k];
	return NULL;
}

void tracker_stats(const struct tracker *tr, struct tracker_stats *out)
{
	*out = tr->stats;
}

/* Whether comm is the start of the command line cmd, cut where the kernel
 * cuts a name (15 bytes), or at the end of the last whole UTF-8 character
 * before that, as a program naming itself in Chinese cuts it (the demos'
 * "工作进程 1：任务 6" is comm "工作进程 1", 14 bytes). */
static bool comm_cut_from(const char *comm, const char *cmd)
{
	size_t len = strlen(comm);

	if (len == 0 || len > 15 || strncmp(cmd, comm, len) != 0)
		return false;
	if (len == 15)
		return true;
	unsigned char next = (unsigned char)cmd[len];
	size_t size = next >= 0xF0 ? 4 : next >= 0xE0 ? 3 : next >= 0xC0 ? 2 : 0;
	return size > 0 && len + size > 15;
}

const char *tracker_name(const struct proc_record *r)
{
	if (r->is_self)
		return "forkscope";
	if (r->title[0])
		return r->title;
	if (comm_cut_from(r->comm, r->cmd))
		return r->cmd;
	return r->comm;
}

/* Names the other process of an event as it is now, before this tick's
 * changes to it (parents are applied before their children's deaths are
 * told, and spawns before anyone's exec or title). */
static void name_other(const struct tracker *tr, struct event *ev, pid_t other)
{
	long i = find_live(tr, other);
	const struct proc_record *o = i >= 0 ? &tr->rec[i] : tracker_find(tr, other);

	ev->pself = other > 0 && other == tr->self;
	ev->pcomm = o ? tracker_name(o) : "";
}

/* An event about r, naming r and its parent as they are now; the caller
 * adds what is particular to it and appends it whole.  Its strings are the
 * records' names: append it before a name changes or a record goes. */
static struct event event_of(const struct tracker *tr, enum event_type type, double t,
                             const struct proc_record *r)
{
	struct event ev = event_make(type, t);

	ev.pid = r->pid;
	ev.host = r->host;
	ev.ppid = r->ppid;
	ev.orphan = r->orphan;
	ev.zombie = r->seen_zombie;
	ev.comm = tracker_name(r);
	name_other(tr, &ev, r->ppid);
	return ev;
}

/* Decodes a wait(2) status into the record. */
static void set_wait_status(struct proc_record *r, int status)
{
	if (status < 0)
		return;
	if (WIFEXITED(status)) {
		r->exit_status = WEXITSTATUS(status);
		r->exit_signal = -1;
	} else if (WIFSIGNALED(status)) {
		r->exit_status = -1;
		r->exit_signal = WTERMSIG(status);
	}
}

static void emit_exit(struct tracker *tr, struct history *h, double t, const struct proc_record *r,
                      int raw)
{
	struct event ev = event_of(tr, EV_EXIT, t, r);

	ev.zombie = r->phase == PHASE_ZOMBIE;
	ev.status = r->exit_status;
	ev.signal = r->exit_signal;
	ev.core = raw >= 0 && WIFSIGNALED(raw) && WCOREDUMP(raw);
	history_append(h, &ev);
}

/* The record has left /proc: it exited (unless it was already seen as a
 * zombie) and someone reaped it.  Only the parent can reap, or, once the
 * parent is gone, the subreaper that adopted the zombie; forkscope's own
 * reaps are told by reap_now() instead. */
static void reap(struct tracker *tr, struct proc_record *r, double t, pid_t by, int raw,
                 struct history *h)
{
	if (r->phase == PHASE_ALIVE) {
		/* It exited and was reaped between two ticks: the zombie was never
		 * visible, but the exit still happened. */
		r->died = t;
		set_wait_status(r, raw);
		emit_exit(tr, h, t, r, raw);
	} else if (raw >= 0 && r->exit_status < 0 && r->exit_signal < 0) {
		set_wait_status(r, raw);
	}
	r->reaped_by = by;
	r->phase = PHASE_REAPED;
	r->state = 'X';
	r->reaped = t;
	if (find_live(tr, r->pid) == (long)(r - tr->rec)) {
		intmap_put(&tr->live, (unsigned long long)r->pid, -1);
		pymodel_forget(tr->py, r->pid);
	}
	struct event ev = event_of(tr, EV_REAP, t, r);
	ev.by = by;
	name_other(tr, &ev, by);
	ev.status = r->exit_status;
	ev.signal = r->exit_signal;
	history_append(h, &ev);
}

static struct proc_record *add_record(struct tracker *tr, const struct proc_sample *p, double t)
{
	if (tr->n == tr->cap) {
		tr->cap = tr->cap ? tr->cap * 2 : 64;
		tr->rec = xreallocarray(tr->rec, tr->cap, sizeof(*tr->rec));
		tr->stamp = xreallocarray(tr->stamp, tr->cap, sizeof(*tr->stamp));
	}
	struct proc_record *r = &tr->rec[tr->n];
	memset(r, 0, sizeof(*r));
	names_init(r);
	tr->stamp[tr->n] = tr->tick;
	tr->n++;
	r->pid = p->pid;
	r->start = p->start;
	r->ppid = p->ppid;
	r->orig_ppid = p->ppid;
	r->phase = PHASE_ALIVE;
	r->exit_status = -1;
	r->exit_signal = -1;
	r->born = t;
	r->died = -1;
	r->reaped = -1;
	r->named = -1;
	r->moved = -1;
	r->hook_t = -1;
	r->seq = tr->next_seq++;
	r->code_start = p->code_start;
	r->host = p->host;
	rstr_set(&r->comm, p->comm, PROC_COMM_MAX);
	rstr_set(&r->cmd, p->cmd, PROC_CMD_MAX);
	rstr_set(&r->exe, p->exe, PROC_CMD_MAX);
	intmap_put(&tr->live, (unsigned long long)p->pid, (long)(tr->n - 1));
	return r;
}

/* Whether the process with this pid is no longer a live parent in frame f. */
static bool parent_gone(const struct tracker *tr, pid_t ppid, const struct frame *f)
{
	if (ppid <= 0)
		return true;
	long i = find_live(tr, ppid);
	if (i < 0 || tr->rec[i].phase != PHASE_ALIVE)
		return true;
	const struct proc_sample *p = frame_find(f, ppid);
	return !p || p->state == 'Z' || p->start != tr->rec[i].start;
}

static void mark_orphan(struct tracker *tr, struct proc_record *r)
{
	if (!r->orphan)
		tr->stats.orphans++;
	r->orphan = true;
}

/* The command line a view should show: the title-bearing cmdline when there
 * is one, else comm. */
static const char *shown_cmd(const struct proc_sample *p)
{
	return p->cmd[0] ? p->cmd : p->comm;
}

static void apply_new(struct tracker *tr, const struct proc_sample *p, const struct frame *f,
                      struct history *h)
{
	struct proc_record *r = add_record(tr, p, f->t);
	struct event ev;

	if (p->pid == tr->self) {
		r->is_self = true;
		r->orig_ppid = p->ppid;
		r->state = p->state;
		return;
	}
	if (counted(tr, p->pid))
		tr->stats.processes++;
	r->is_root = p->pid == tr->root || attached_root(tr, p->pid);
	pid_t reaper = reaper_of(tr);
	bool adopted = reaper && p->ppid == reaper && !r->is_root &&
	               !(tr->pidns && p->pid == PIDNS_PROGRAM);
	if (adopted) {
		/* Already adopted when first seen: forkscope only ever starts the
		 * root (and init only the program), so some other parent made it
		 * and is gone. */
		r->orig_ppid = 0;
		if (!tr->teardown)
			mark_orphan(tr, r);
	}
	ev = event_of(tr, EV_SPAWN, f->t, r);
	ev.orphan = adopted;
	ev.text = shown_cmd(p);
	/* the first reading of an attached run finds what was there already */
	ev.existing = r->existing = tr->nattached && tr->tick == 1;
	history_append(h, &ev);
	if (adopted && !tr->teardown) {
		ev = event_of(tr, EV_REPARENT, f->t, r);
		ev.old_ppid = 0;
		ev.orphan = true;
		history_append(h, &ev);
	}
}

/* The length of an exe path without the " (deleted)" the kernel adds once
 * the file was replaced (a rebuilt demo is still the same program). */
static size_t exe_len(const char *exe)
{
	static const char deleted[] = " (deleted)";
	size_t n = strlen(exe), d = sizeof(deleted) - 1;

	return n > d && strcmp(exe + n - d, deleted) == 0 ? n - d : n;
}

/* Whether p runs another program image than the record knew: the text
 * segment moved, or, when that cannot be read, the executable changed. */
static bool new_image(const struct proc_record *r, const struct proc_sample *p)
{
	if (p->state == 'Z')
		return false;
	if (p->code_start && r->code_start)
		return p->code_start != r->code_start;
	if (!p->exe[0] || !r->exe[0])
		return false;
	size_t a = exe_len(p->exe), b = exe_len(r->exe);
	return a != b || strncmp(p->exe, r->exe, a) != 0;
}

/* Whether a rename to comm is the one the Python hook makes: its name as
 * the kernel keeps it ("PoolWorker-2" for "ForkPoolWorker-2"), told whole
 * by the hook.  A rename the program makes later is its own. */
static bool hook_rename(const struct proc_record *r, const char *comm)
{
	return r->pyname[0] && comm[0] && strstr(r->pyname, comm) != NULL;
}

/* A new program: what the Python hook said of the old one no longer holds. */
static void forget_py_names(struct tracker *tr, struct proc_record *r)
{
	rstr_drop(&r->pyname);
	rstr_drop(&r->task);
	rstr_drop(&r->title);
	r->pyrole = PY_ROLE_NONE;
	pymodel_forget(tr->py, r->pid);
}

/* exec and title: what the process runs and what it calls itself */
static void apply_names(struct tracker *tr, struct proc_record *r, const struct proc_sample *p,
                        double t, struct history *h)
{
	struct event ev;
	bool exec = new_image(r, p);

	if (exec && !p->cmd[0]) {
		/* In the middle of an exec the new image is mapped before its
		 * command line is: report it whole at the next tick. */
		return;
	}
	/* a command line that was not readable yet at the first reading */
	if (!exec && !r->cmd[0] && p->cmd[0])
		rstr_set(&r->cmd, p->cmd, PROC_CMD_MAX);
	if (exec) {
		/* what the hook said since the last reading may be the new
		 * program's own (readings find an exec late) */
		if (r->hook_t <= tr->last_reading)
			forget_py_names(tr, r);
		rstr_set(&r->comm, p->comm, PROC_COMM_MAX);
		rstr_set(&r->cmd, p->cmd, PROC_CMD_MAX);
		rstr_set(&r->exe, p->exe, PROC_CMD_MAX);
		r->code_start = p->code_start;
		ev = event_of(tr, EV_EXEC, t, r);
		ev.text = shown_cmd(p);
		history_append(h, &ev);
	} else if (p->state != 'Z' && !r->is_self &&
	           (strcmp(p->comm, r->comm) != 0 || (p->cmd[0] && strcmp(p->cmd, r->cmd) != 0))) {
		bool cmd_changed = p->cmd[0] && strcmp(p->cmd, r->cmd) != 0;
		rstr_set(&r->comm, p->comm, PROC_COMM_MAX);
		if (p->cmd[0])
			rstr_set(&r->cmd, p->cmd, PROC_CMD_MAX);
		/* the Python hook's rename: told by the hook, with the whole name */
		if (hook_rename(r, p->comm))
			return;
		ev = event_of(tr, EV_TITLE, t, r);
		ev.text = cmd_changed ? p->cmd : p->comm;
		history_append(h, &ev);
	}
	if (p->exe[0])
		rstr_set(&r->exe, p->exe, PROC_CMD_MAX);
	if (p->code_start)
		r->code_start = p->code_start;
}

/* When the reading began (frame.begun; at t when not said). */
static double reading_began(const struct frame *f)
{
	return f->begun > 0 ? f->begun : f->t;
}

/* With the kernel's news, a title written into the command line in place,
 * with no rename (nothing the kernel tells): the same image and comm, and
 * another command line. */
static void title_in_place(struct tracker *tr, struct proc_record *r, const struct proc_sample *p,
                           double t, struct history *h)
{
	if (p->state == 'Z' || !p->cmd[0] || !r->cmd[0] || new_image(r, p) ||
	    strcmp(p->comm, r->comm) != 0 || strcmp(p->cmd, r->cmd) == 0)
		return;
	rstr_set(&r->cmd, p->cmd, PROC_CMD_MAX);
	struct event ev = event_of(tr, EV_TITLE, t, r);
	ev.text = r->cmd;
	history_append(h, &ev);
}

/* With the kernel's news, names change by news: a reading newer than them
 * only fills in what the news could not read (a process gone before its
 * exec was read). */
static void fill_names(struct proc_record *r, const struct proc_sample *p)
{
	/* a zombie keeps its comm, nothing else */
	if (!r->comm[0] && p->comm[0] && p->state == 'Z')
		rstr_set(&r->comm, p->comm, PROC_COMM_MAX);
	if (p->state == 'Z' || new_image(r, p))
		return;
	if (!r->cmd[0] && p->cmd[0])
		rstr_set(&r->cmd, p->cmd, PROC_CMD_MAX);
	if (!r->exe[0] && p->exe[0])
		rstr_set(&r->exe, p->exe, PROC_CMD_MAX);
	if (!r->comm[0] && p->comm[0])
		rstr_set(&r->comm, p->comm, PROC_COMM_MAX);
}

static void apply_known(struct tracker *tr, struct proc_record *r, const struct proc_sample *p,
                        const struct frame *f, struct history *h)
{
	struct event ev;

	if (tr->news && !tr->distrust && !r->is_self) {
		/* a reading older than the names news gave says nothing of them */
		if (r->named < reading_began(f)) {
			if (!r->code_start && p->state != 'Z')
				r->code_start = p->code_start;
			fill_names(r, p);
			title_in_place(tr, r, p, f->t, h);
		}
	} else {
		apply_names(tr, r, p, f->t, h);
	}
	/* A process being reaped at the moment of the reading shows parent 0
	 * (the kernel no longer links it to one): no new parent, just the end
	 * that the next reading tells. */
	if (p->ppid <= 0 && !r->is_self)
		return;
	/* a reading older than the news of its parent's exit shows the
	 * parent it had before */
	if (tr->news && !tr->distrust && r->moved >= reading_began(f))
		return;
	if (p->ppid != r->ppid && !r->is_self) {
		pid_t old = r->ppid;
		bool orphan = parent_gone(tr, r->orig_ppid, f);
		r->ppid = p->ppid;
		/* while forkscope kills the tree, adoptions are its own doing:
		 * no orphan story to tell */
		if (!tr->teardown) {
			if (orphan)
				mark_orphan(tr, r);
			ev = event_of(tr, EV_REPARENT, f->t, r);
			ev.old_ppid = old;
			ev.orphan = orphan;
			history_append(h, &ev);
		}
	}
	r->ppid = p->ppid;
}


static void apply_sample(struct tracker *tr, struct proc_record *r, const struct proc_sample *p,
                         const struct frame *f, struct history *h)
{
	r->pgrp = p->pgrp;
	r->sid = p->sid;
	r->nlwp = p->nlwp;
	if (p->host)
		r->host = p->host;
	if (r->phase == PHASE_ZOMBIE && p->state == 'Z' && !r->seen_zombie &&
	    !frame_find_reap(f, p->pid)) {
		/* told by the kernel, and still a zombie when /proc was read
		 * (not one forkscope reaped the moment it read it) */
		r->seen_zombie = true;
		tr->stats.zombies++;
	}
	/* (the kernel's news of an exit may be newer than the reading; a
	 * process slow motion holds is shown as the news left it) */
	if (r->phase != PHASE_ZOMBIE && !(f->held && p->state == 'T' && r->state))
		r->state = p->state;
	rstr_set(&r->wchan, p->wchan, PROC_WCHAN_MAX);
	if (r->is_self)
		return;
	if (r->phase == PHASE_ZOMBIE) {
		/* its exit was the kernel's news; forkscope reaped it now: told
		 * before its children's adoption, which the samples after hold */
		const struct reap_note *note = frame_find_reap(f, p->pid);
		if (note)
			reap(tr, r, f->t, tr->self, note->status, h);
		return;
	}
	if (r->phase != PHASE_ALIVE)
		return;
	/* A zombie forkscope reaped in this very tick is not one anybody could
	 * watch: tell its exit and its reap now, before its children's
	 * reparenting, which the samples after this one hold. */
	/* A main thread that called pthread_exit() shows 'Z' while its other
	 * threads run on: the process is alive until the last one ends. */
	bool dead = p->state == 'Z' && p->nlwp <= 1;
	const struct reap_note *note = dead ? frame_find_reap(f, p->pid) : NULL;
	if (note) {
		reap(tr, r, f->t, tr->self, note->status, h);
		return;
	}
	if (dead) {
		r->phase = PHASE_ZOMBIE;
		r->died = f->t;
		if (!r->seen_zombie)
			tr->stats.zombies++;
		r->seen_zombie = true;
		int raw = p->exit_code;
		set_wait_status(r, raw);
		emit_exit(tr, h, f->t, r, raw);
	}
}

static int by_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Keeps the newest TRACKER_KEEP_REAPED tombstones: once there are a quarter
 * more, those reaped longest ago go (so this runs once in a while). */
static void drop_old_tombstones(struct tracker *tr)
{
	size_t nreaped = 0, k = 0;

	for (size_t i = 0; i < tr->n; i++)
		nreaped += tr->rec[i].phase == PHASE_REAPED;
	if (nreaped <= TRACKER_KEEP_REAPED + TRACKER_KEEP_REAPED / 4)
		return;
	double *when = xcalloc(nreaped, sizeof(*when));
	size_t w = 0;
	for (size_t i = 0; i < tr->n; i++)
		if (tr->rec[i].phase == PHASE_REAPED)
			when[w++] = tr->rec[i].reaped;
	qsort(when, nreaped, sizeof(*when), by_double);
	/* the oldest reap kept; ties at it are kept too */
	double keep_from = when[nreaped - TRACKER_KEEP_REAPED];
	free(when);
	for (size_t i = 0; i < tr->n; i++) {
		struct proc_record *r = &tr->rec[i];
		if (r->phase == PHASE_REAPED && r->reaped < keep_from) {
			names_drop(r);
			continue;
		}
		if (k != i) {
			tr->rec[k] = tr->rec[i];
			tr->stamp[k] = tr->stamp[i];
		}
		k++;
	}
	if (k != tr->n) {
		tr->n = k;
		reindex(tr);
	}
}

/* A queue event for every channel whose fill is new or changed.  Only the
 * last frame's channels are remembered, so the memory follows what is
 * open now: a channel that comes back after a reading without it is told
 * as new again. */
static void apply_channels(struct tracker *tr, const struct frame *f, struct history *h)
{
	struct intmap now = { 0 };

	for (size_t i = 0; i < f->nchannels; i++) {
		const struct channel *c = &f->channels[i];
		/* multiprocessing's own pipes are not the program's queues (and
		 * a pipe the hook names later is told as new then) */
		if (c->internal)
			continue;
		unsigned long long key = chan_key(c->kind, c->id);
		long before = intmap_get(&tr->chans, key);
		/* fills are never negative: -1 is "not seen" */
		intmap_put(&now, key, c->fill);
		if (before == c->fill)
			continue;
		struct event ev = event_make(EV_QUEUE, f->t);
		ev.what = c->what;
		ev.kind = (int)c->kind;
		ev.fill = c->fill;
		ev.capacity = c->capacity;
		ev.bytes = c->bytes;
		ev.nholders = c->nholders;
		ev.holders = c->holders;
		ev.text = c->name;
		history_append(h, &ev);
	}
	intmap_free(&tr->chans);
	tr->chans = now;
}

/* The one live child of r, when it has exactly one (whom join waits for). */
static const struct proc_record *only_child(const struct tracker *tr, const struct proc_record *r)
{
	const struct proc_record *found = NULL;

	for (size_t i = 0; i < tr->n; i++) {
		const struct proc_record *c = &tr->rec[i];
		if (c->ppid != r->pid || c->phase == PHASE_REAPED || c->seq < r->seq)
			continue;
		if (found)
			return NULL;
		found = c;
	}
	return found;
}

static void set_title(struct proc_record *r);

/* What r waits for now; an event when that is something new.  A process
 * seen running in between says nothing: a sleeping demo wakes up briefly
 * every few milliseconds, and that is no news. */
static void apply_blocked(struct tracker *tr, struct proc_record *r, const struct proc_sample *p,
                          const struct frame *f, struct history *h)
{
	if (r->is_self || r->phase != PHASE_ALIVE)
		return;
	/* held still by forkscope: it waits for what it waited for */
	if (f->held && p->state == 'T')
		return;
	blocked_classify(p, f, tr->arch, tr->py, &r->blocked);
	/* a pool worker waiting on a queue for its next task has none */
	if (r->pyrole == PY_ROLE_POOL_WORKER && r->task[0] && r->blocked.on == ON_QUEUE_GET) {
		rstr_drop(&r->task);
		set_title(r);
	}
	if (r->blocked.on == ON_NONE)
		return;
	if (r->told.on == r->blocked.on && strcmp(r->told.channel, r->blocked.channel) == 0 &&
	    strcmp(r->told.call, r->blocked.call) == 0)
		return;
	r->told.on = r->blocked.on;
	rstr_set(&r->told.channel, r->blocked.channel, sizeof(r->blocked.channel));
	rstr_set(&r->told.call, r->blocked.call, sizeof(r->blocked.call));
	struct event ev = event_of(tr, EV_BLOCKED, f->t, r);
	ev.on = (int)r->blocked.on;
	ev.syscall = r->blocked.syscall;
	ev.text = r->blocked.channel;
	ev.timeout = r->blocked.timeout_left;
	ev.what = r->blocked.call;
	if (r->blocked.on == ON_WAIT_CHILD) {
		/* the child named in the call, or the only one there is */
		const struct proc_record *c = r->blocked.child > 0 ? tracker_find(tr, r->blocked.child)
		                                                   : only_child(tr, r);
		ev.by = c ? c->pid : 0;
		ev.pcomm = c ? tracker_name(c) : "";
	}
	history_append(h, &ev);
}

/* A process that left /proc, and how deep it was in the tree. */
struct gone {
	size_t index;
	int depth;
};

/* Ancestors known to the model above r (bounded: the data may loop). */
static int depth_of(const struct tracker *tr, const struct proc_record *r)
{
	int depth = 0;
	pid_t ppid = r->ppid;

	while (depth < 64) {
		long i = find_live(tr, ppid);
		if (i < 0 || tr->rec[i].is_self)
			break;
		depth++;
		ppid = tr->rec[i].ppid;
	}
	return depth;
}

static int deepest_first(const void *a, const void *b)
{
	const struct gone *x = a, *y = b;

	if (x->depth != y->depth)
		return y->depth - x->depth;
	return (x->index > y->index) - (x->index < y->index);
}

void tracker_apply(struct tracker *tr, const struct frame *f, struct history *h)
{
	/* the channels read again alone: their fills, nothing of the processes */
	if (f->channels_only) {
		apply_channels(tr, f, h);
		return;
	}
	size_t nold = tr->n;
	long *match = xcalloc(f->nprocs ? f->nprocs : 1, sizeof(*match));

	tr->tick++;
	/* mark: which samples continue a known process */
	for (size_t i = 0; i < f->nprocs; i++) {
		long k = find_live(tr, f->procs[i].pid);
		match[i] = -1;
		/* forkscope's record made by news before any reading */
		if (k >= 0 && tr->rec[k].is_self && !tr->rec[k].start) {
			tr->rec[k].start = f->procs[i].start;
			tr->rec[k].ppid = tr->rec[k].orig_ppid = f->procs[i].ppid;
		}
		/* told by news whose start could not be read (it was gone by
		 * then, and the reading, taken before the news was, saw it
		 * still): the same child of the same parent; an earlier owner
		 * of its PID under that parent would be the record found */
		if (k >= 0 && tr->rec[k].news && !tr->rec[k].start &&
		    f->procs[i].ppid == tr->rec[k].orig_ppid)
			tr->rec[k].start = f->procs[i].start;
		if (k >= 0 && tr->rec[k].start == f->procs[i].start) {
			match[i] = k;
			tr->stamp[k] = tr->tick;
		}
	}
	/* sweep: known processes that are not in this frame (or whose PID now
	 * belongs to a newer process) have left /proc; deepest first, so a
	 * child's end is told before its parent's, and siblings in birth order
	 * (the order a parent usually waits for them in).  Not when the sampler could
	 * not read everything: absence then proves nothing. */
	size_t ngone = 0;
	struct gone *gone = xcalloc(nold ? nold : 1, sizeof(*gone));
	for (size_t k = 0; k < nold && !f->incomplete; k++) {
		struct proc_record *r = &tr->rec[k];
		if (r->phase != PHASE_REAPED && tr->stamp[k] != tr->tick && !r->is_self) {
			/* born (by news) after the reading began: not in it */
			if (r->news && r->born >= reading_began(f))
				continue;
			gone[ngone].index = k;
			gone[ngone].depth = depth_of(tr, r);
			ngone++;
		}
	}
	qsort(gone, ngone, sizeof(*gone), deepest_first);
	for (size_t i = 0; i < ngone; i++) {
		struct proc_record *r = &tr->rec[gone[i].index];
		reap(tr, r, f->t, r->ppid, -1, h);
	}
	free(gone);
	/* births first, parents before children (the frame is sorted by start
	 * time), while every known process still has the name it had when it
	 * forked; then what happened to the known ones */
	struct intmap unborn = { 0 };
	for (size_t i = 0; i < f->nprocs; i++) {
		if (match[i] >= 0)
			continue;
		/* With news, a child on its parent's list a moment before the
		 * kernel sends its fork is told by that news, next: a reading
		 * tells it only when a second reading finds it untold still. */
		const struct proc_sample *p = &f->procs[i];
		unsigned long long key = (p->start << 22 | (unsigned long long)p->pid) + 1;
		if (tr->news && !tr->distrust && p->pid != tr->self &&
		    !(tr->nattached && tr->tick == 1) && intmap_get(&tr->unborn, key) < 0) {
			intmap_put(&unborn, key, 1);
			continue;
		}
		apply_new(tr, p, f, h);
		apply_sample(tr, &tr->rec[tr->n - 1], p, f, h);
	}
	intmap_free(&tr->unborn);
	tr->unborn = unborn;
	for (size_t i = 0; i < f->nprocs; i++) {
		if (match[i] < 0)
			continue;
		struct proc_record *r = &tr->rec[match[i]];
		apply_known(tr, r, &f->procs[i], f, h);
		apply_sample(tr, r, &f->procs[i], f, h);
	}
	free(match);
	/* forkscope's own waitpid() reaped these after the frame read them
	 * alive: the exact status, and the reaper, are known now */
	for (size_t i = 0; i < f->nreaped; i++) {
		long k = find_live(tr, f->reaped[i].pid);
		if (k >= 0 && !tr->rec[k].is_self)
			reap(tr, &tr->rec[k], f->t, tr->self, f->reaped[i].status, h);
	}

	apply_channels(tr, f, h);
	for (size_t i = 0; i < f->nprocs; i++) {
		long k = find_live(tr, f->procs[i].pid);
		if (k >= 0 && tr->rec[k].start == f->procs[i].start)
			apply_blocked(tr, &tr->rec[k], &f->procs[i], f, h);
	}

	drop_old_tombstones(tr);
	int alive = 0, present = 0;
	for (size_t i = 0; i < tr->n; i++) {
		if (tr->rec[i].is_self || !counted(tr, tr->rec[i].pid))
			continue;
		alive += tr->rec[i].phase == PHASE_ALIVE;
		present += tr->rec[i].phase != PHASE_REAPED;
	}
	if (alive > tr->stats.max_alive)
		tr->stats.max_alive = alive;
	tr->stats.alive = present;
	tr->stats.running = alive;
	if (!f->incomplete)
		tr->distrust = false;
	tr->last_reading = f->t;
}

/* ---- the kernel's news --------------------------------------------------- */

/* A fork: the child starts as a copy of its parent, names and all. */
static const struct proc_record *news_fork(struct tracker *tr, const struct news *n, double t,
                                           struct history *h)
{
	long pi = find_live(tr, n->ppid);
	const struct proc_record *parent = pi >= 0 ? &tr->rec[pi] : NULL;
	bool from_self = n->ppid == tr->self && tr->self > 0;
	struct proc_sample p;

	/* only the tree's forks; forkscope forks nothing but the program */
	if (from_self ? n->pid != tr->root : !parent || parent->phase != PHASE_ALIVE)
		return NULL;
	if (from_self && !parent) {
		/* before the first reading: forkscope, at the top, from now on
		 * (the reading gives it its start time) */
		struct proc_sample me = { .pid = tr->self, .state = 'S', .nlwp = 1 };
		str_copy(me.comm, sizeof(me.comm), "forkscope");
		struct proc_record *r = add_record(tr, &me, t);
		r->is_self = true;
		r->state = 'S';
		parent = NULL;
	}
	long k = find_live(tr, n->pid);
	if (k >= 0) {
		/* a reading found it first: the same process, told already;
		 * unless the one known has exited (a PID is given again only
		 * once its zombie is reaped) or started at another time */
		const struct proc_record *o = &tr->rec[k];
		bool same = o->phase == PHASE_ALIVE &&
		            (!n->start || !o->start || o->start == n->start);
		if (same)
			return NULL;
		/* its PID's last owner was reaped unseen */
		reap(tr, &tr->rec[k], t, tr->rec[k].ppid, -1, h);
	}
	memset(&p, 0, sizeof(p));
	p.pid = n->pid;
	p.host = n->host;
	p.ppid = n->ppid;
	p.start = n->start;
	p.state = 'R';
	p.nlwp = 1;
	/* forkscope's child: the names it was started with (the session's,
	 * from its argv) */
	const bool inherit = parent && !from_self;
	if (!inherit) {
		str_copy(p.comm, sizeof(p.comm), n->comm);
		str_copy(p.cmd, sizeof(p.cmd), n->cmd);
		str_copy(p.exe, sizeof(p.exe), n->exe);
	}
	p.code_start = inherit ? parent->code_start : 0;
	p.pgrp = parent ? parent->pgrp : 0;
	p.sid = parent ? parent->sid : 0;
	/* (parent points into the records, which adding may move) */
	parent = NULL;
	struct proc_record *r = add_record(tr, &p, t);
	if (inherit) {
		/* the parent's names, shared (rstr.h) until the child execs */
		const struct proc_record *pa = &tr->rec[pi];
		rstr_share(&r->comm, pa->comm);
		rstr_share(&r->cmd, pa->cmd);
		rstr_share(&r->exe, pa->exe);
	}
	r->state = 'R';
	r->nlwp = 1;
	r->pgrp = p.pgrp;
	r->sid = p.sid;
	r->news = true;
	r->named = r->moved = t;
	r->is_root = n->pid == tr->root;
	if (counted(tr, n->pid)) {
		tr->stats.processes++;
		tr->stats.alive++;
		if (++tr->stats.running > tr->stats.max_alive)
			tr->stats.max_alive = tr->stats.running;
	}
	struct event ev = event_of(tr, EV_SPAWN, t, r);
	ev.kernel = true;
	ev.text = r->cmd[0] ? r->cmd : r->comm;
	history_append(h, &ev);
	return r;
}

/* An exec: the names read when the news came (empty when it was gone). */
static void news_exec(struct tracker *tr, struct proc_record *r, const struct news *n, double t,
                      struct history *h)
{
	/* forkscope's own exec of the program, told already as its start
	 * (with the names it was started with; the names read now may be
	 * later ones, which renames tell) */
	if (r->is_root && r->news && !tr->root_started) {
		tr->root_started = true;
		if (n->code)
			r->code_start = n->code;
		if (n->exe[0])
			rstr_set(&r->exe, n->exe, PROC_CMD_MAX);
		return;
	}
	r->named = t;
	forget_py_names(tr, r);
	/* gone before its new names could be read: not the old ones either
	 * (a reading of its zombie may still give its comm) */
	rstr_set(&r->comm, n->comm, PROC_COMM_MAX);
	rstr_set(&r->cmd, n->cmd, PROC_CMD_MAX);
	rstr_set(&r->exe, n->exe, PROC_CMD_MAX);
	r->code_start = n->code;
	struct event ev = event_of(tr, EV_EXEC, t, r);
	ev.kernel = true;
	ev.text = n->cmd[0] ? n->cmd : n->comm;    /* "": gone before it could be read */
	history_append(h, &ev);
}

/* A rename: comm, and the command line when the same title was written in
 * place there: the whole title, past comm's 15 characters.  A command line
 * read after a later rename (it is read when the news comes) is another
 * title, and is not taken for this one. */
static void news_comm(struct tracker *tr, struct proc_record *r, const struct news *n, double t,
                      struct history *h)
{
	size_t len = strlen(n->comm);
	bool same = comm_cut_from(n->comm, n->cmd) || strcmp(n->cmd, n->comm) == 0;
	bool cmd_changed = len && same && strcmp(n->cmd, r->cmd) != 0;

	if (!cmd_changed && strcmp(n->comm, r->comm) == 0)
		return;
	r->named = t;
	rstr_set(&r->comm, n->comm, PROC_COMM_MAX);
	if (cmd_changed)
		rstr_set(&r->cmd, n->cmd, PROC_CMD_MAX);
	/* the Python hook's rename: told by the hook, with the whole name */
	if (hook_rename(r, n->comm))
		return;
	struct event ev = event_of(tr, EV_TITLE, t, r);
	ev.kernel = true;
	ev.text = cmd_changed ? r->cmd : r->comm;
	history_append(h, &ev);
}

/* A parent's exit: the kernel gives its children, alive or zombies, to
 * the nearest subreaper, forkscope, or to the namespace's init, at once (a reading corrects it when a
 * process of the tree is a subreaper itself).  Orphans, unless forkscope is
 * ending the tree. */
static void adopt_children(struct tracker *tr, pid_t parent, double t, struct history *h)
{
	/* An attached tree's orphans go to the system's reaper (init, or a
	 * subreaper such as systemd --user), not to forkscope: the next
	 * reading gives the new parent, and tells the one reparent. */
	if (tr->nattached)
		return;
	for (size_t i = 0; i < tr->n; i++) {
		struct proc_record *c = &tr->rec[i];
		if (c->ppid != parent || c->phase == PHASE_REAPED || c->is_self || c->pid == parent)
			continue;
		c->ppid = reaper_of(tr);
		c->moved = t;
		if (tr->teardown)
			continue;
		mark_orphan(tr, c);
		struct event ev = event_of(tr, EV_REPARENT, t, c);
		ev.kernel = true;
		ev.old_ppid = parent;
		ev.orphan = true;
		history_append(h, &ev);
	}
}

/* An exit: a zombie now, with its status, until someone reaps it. */
static void news_exit(struct tracker *tr, struct proc_record *r, const struct news *n, double t,
                      struct history *h)
{
	r->phase = PHASE_ZOMBIE;
	r->state = 'Z';
	r->died = t;
	set_wait_status(r, n->status);
	if (tr->stats.running > 0 && counted(tr, r->pid))
		tr->stats.running--;
	struct event ev = event_of(tr, EV_EXIT, t, r);
	ev.kernel = true;
	ev.zombie = true;
	ev.status = r->exit_status;
	ev.signal = r->exit_signal;
	ev.core = WIFSIGNALED(n->status) && WCOREDUMP(n->status);
	history_append(h, &ev);
	adopt_children(tr, r->pid, t, h);
}

const struct proc_record *tracker_news(struct tracker *tr, const struct news *n, double t,
                                       struct history *h)
{
	if (n->kind == NEWS_FORK)
		return news_fork(tr, n, t, h);
	long k = find_live(tr, n->pid);
	if (k < 0)
		return NULL;
	struct proc_record *r = &tr->rec[k];
	if (n->kind == NEWS_REAP) {
		/* its parent reaped it before exiting: told before that exit */
		if (r->is_self || r->phase != PHASE_ZOMBIE || r->ppid != n->ppid)
			return NULL;
		reap(tr, r, t, n->ppid, -1, h);
		return r;
	}
	if (r->is_self || r->phase != PHASE_ALIVE)
		return NULL;
	switch (n->kind) {
	case NEWS_EXEC:
		news_exec(tr, r, n, t, h);
		break;
	case NEWS_COMM:
		news_comm(tr, r, n, t, h);
		break;
	case NEWS_EXIT:
		news_exit(tr, r, n, t, h);
		break;
	default:
		return NULL;
	}
	return r;
}

/* Records by (pid, seq), to find a record's parent in log time. */
static int by_pid_seq(const void *a, const void *b, void *arg)
{
	const struct proc_record *rec = arg;
	const struct proc_record *x = &rec[*(const size_t *)a], *y = &rec[*(const size_t *)b];

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

/* The index of r's parent record: the newest one with its parent's PID
 * born before r (so a reused PID never adopts an older process, and no
 * chain can loop), or SIZE_MAX.  sorted holds every record by (pid, seq). */
static size_t parent_index(const struct tracker *tr, const size_t *sorted, size_t child)
{
	const struct proc_record *r = &tr->rec[child];
	size_t lo = 0, hi = tr->n;

	if (r->is_self || r->ppid <= 0 || r->ppid == r->pid)
		return SIZE_MAX;
	/* the first position past every (ppid, seq < r->seq) */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct proc_record *m = &tr->rec[sorted[mid]];
		if (m->pid < r->ppid || (m->pid == r->ppid && m->seq < r->seq))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || tr->rec[sorted[lo - 1]].pid != r->ppid)
		return SIZE_MAX;
	return sorted[lo - 1];
}

size_t tracker_tree(const struct tracker *tr, const bool *shown, struct tree_row *rows)
{
	size_t n = tr->n, out = 0;

	if (!n)
		return 0;
	size_t *parent = xcalloc(n, sizeof(*parent));
	size_t *first = xcalloc(n, sizeof(*first));
	size_t *last = xcalloc(n, sizeof(*last));
	size_t *next = xcalloc(n, sizeof(*next));
	size_t *stack = xcalloc(n, sizeof(*stack));
	int *depth = xcalloc(n, sizeof(*depth));
	bool *done = xcalloc(n, sizeof(*done));

	size_t *sorted = xcalloc(n, sizeof(*sorted));
	for (size_t i = 0; i < n; i++) {
		first[i] = last[i] = next[i] = SIZE_MAX;
		sorted[i] = i;
	}
	qsort_r(sorted, n, sizeof(*sorted), by_pid_seq, tr->rec);
	/* Records are in birth order, so each sibling list ends up in birth order. */
	for (size_t i = 0; i < n; i++) {
		if (shown && !shown[i]) {
			done[i] = true;      /* never placed */
			parent[i] = SIZE_MAX;
			continue;
		}
		parent[i] = parent_index(tr, sorted, i);
		size_t p = parent[i];
		if (p != SIZE_MAX && shown && !shown[p])
			p = parent[i] = SIZE_MAX;   /* its parent is not shown: a root */
		if (p == SIZE_MAX)
			continue;
		if (last[p] == SIZE_MAX)
			first[p] = i;
		else
			next[last[p]] = i;
		last[p] = i;
	}
	for (size_t root = 0; root < n; root++) {
		if (parent[root] != SIZE_MAX || done[root])
			continue;
		size_t sp = 0;
		stack[sp++] = root;
		depth[root] = 0;
		while (sp > 0) {
			size_t i = stack[--sp];
			if (done[i])
				continue;
			done[i] = true;
			rows[out].index = i;
			rows[out].depth = depth[i];
			out++;
			/* push children so the first-born pops first */
			size_t kids = 0;
			for (size_t c = first[i]; c != SIZE_MAX; c = next[c])
				kids++;
			if (sp + kids > n)
				continue;
			size_t slot = sp + kids;
			for (size_t c = first[i]; c != SIZE_MAX; c = next[c]) {
				depth[c] = depth[i] + 1;
				stack[--slot] = c;
			}
			sp += kids;
		}
	}
	/* Anything unreached belongs to a loop: show it flat rather than hide it. */
	for (size_t i = 0; i < n; i++) {
		if (!done[i]) {
			rows[out].index = i;
			rows[out].depth = 0;
			out++;
		}
	}
	free(sorted);
	free(parent);
	free(first);
	free(last);
	free(next);
	free(stack);
	free(depth);
	free(done);
	return out;
}

/* ---- the Python hook -------------------------------------------------- */

const struct pymodel *tracker_py(const struct tracker *tr)
{
	return tr->py;
}

bool tracker_knows(const struct tracker *tr, pid_t pid)
{
	return find_live(tr, pid) >= 0;
}

/* The name to show: the multiprocessing name, and the task when it runs one. */
static void set_title(struct proc_record *r)
{
	char title[TRACKER_TITLE_MAX];

	if (r->task[0])
		snprintf(title, sizeof(title), "%s: %s", r->pyname, r->task);
	else
		str_copy(title, sizeof(title), r->pyname);
	rstr_set(&r->title, title, sizeof(title));
}

/* A manager's queue, as its server told its fill: every change is an
 * event at once (a reading would see only the fill of its moment), and
 * the next reading's channel is not told again. */
static void manager_queue(struct tracker *tr, unsigned long ref, pid_t server, double t,
                          struct history *h)
{
	const struct py_mqueue *q = pymodel_mqueue(tr->py, ref);
	pid_t holders[CHAN_HOLDERS_MAX];
	size_t n = 0;

	/* (made empty, and not named yet: the program names it next) */
	if (!q || q->server != server || (!q->named && q->fill == 0))
		return;
	unsigned long long key = chan_key(CHAN_MANAGER, ref);
	if (intmap_get(&tr->chans, key) == q->fill)
		return;
	intmap_put(&tr->chans, key, q->fill);
	holders[n++] = server;
	n += pymodel_clients(tr->py, pymodel_manager_of(tr->py, server), holders + 1,
	                     CHAN_HOLDERS_MAX - 1);
	struct event ev = event_make(EV_QUEUE, t);
	ev.kind = CHAN_MANAGER;
	ev.fill = q->fill;
	ev.capacity = q->maxsize;
	ev.bytes = false;
	ev.nholders = (int)n;
	ev.holders = holders;
	ev.text = q->name;
	ev.what = "manager";
	history_append(h, &ev);
}

bool tracker_hook(struct tracker *tr, pid_t pid, const char *text, size_t len, double t,
                  struct history *h)
{
	struct py_msg msg;
	long i = find_live(tr, pid);

	if (i < 0 || !pymodel_parse(text, len, &msg))
		return false;
	struct proc_record *r = &tr->rec[i];
	/* the process the message is from, not one with its PID before or after:
	 * a message says which by its start time */
	if (r->is_self || !msg.start || (r->start && msg.start != r->start))
		return false;
	r->hook_t = t;
	pymodel_apply(tr->py, pid, msg.start, &msg);
	if (msg.kind == PYM_MQUEUE)
		manager_queue(tr, msg.ref, pid, t, h);
	char was[TRACKER_TITLE_MAX];
	str_copy(was, sizeof(was), r->title);
	if (msg.kind == PYM_NAME) {
		rstr_set(&r->pyname, msg.name, PY_NAME_MAX);
		r->pyrole = msg.role;
		rstr_drop(&r->task);
	} else if (msg.kind == PYM_TASK && r->pyname[0]) {
		rstr_set(&r->task, msg.task, PY_TASK_MAX);
	} else {
		return true;
	}
	set_title(r);
	/* a worker back to its name (idle) is no event: the next task is;
	 * nor a name the kernel told whole already (a rename to it) */
	bool idle = msg.kind == PYM_TASK && !msg.task[0];
	bool told = !was[0] && strcmp(r->comm, r->title) == 0;
	if (strcmp(was, r->title) != 0 && r->phase == PHASE_ALIVE && !idle && !told) {
		struct event ev = event_of(tr, EV_TITLE, t, r);
		ev.text = r->title;
		/* told by the Python hook: a name, or a task begun */
		ev.what = msg.kind == PYM_TASK ? "task" : "name";
		history_append(h, &ev);
	}
	return true;
}
