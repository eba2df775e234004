/*
 * session.c - the sources, the engine and the controller of one run.
 *
 * Sources turn what they see into observations (obs.h): live, the /proc
 * reading with the reaper's notes, and the program's output on the pty;
 * in a replay, the recording's lines.  Every observation goes the same way
 * (feed()): the reducer makes the model and the events, the journal keeps
 * it for rewinding, the recorder writes it.  The controller (pause, step,
 * kill, rewind, replay speed) is what the views' keys talk to; the views
 * draw the moment it gives them (session_moment()).
 */
#include "session.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <mqueue.h>

#include "blocked.h"
#include "connector.h"
#include "i18n.h"
#include "intmap.h"
#include "journal.h"
#include "launcher.h"
#include "pidns.h"
#include "procfs.h"
#include "pysource.h"
#include "reducer.h"
#include "sampler.h"
#include "scenarios.h"
#include "util.h"

#ifndef FORKSCOPE_VERSION
#define FORKSCOPE_VERSION "0.1.0"
#endif

/* After the last process is gone, how long to wait for the pty to report
 * the end of output before giving up on it. */
#define OUTPUT_GRACE 0.5
/* After SIGSTOP, how long before the frozen tree is read. */
#define PAUSE_SETTLE 0.05
/* How long a stopped program has between SIGTERM and SIGKILL. */
#define KILL_GRACE 0.5
/* How long, after SIGTERM, before processes that will not die (refused
 * signals, stuck in the kernel) are given up on and named. */
#define TEARDOWN_MAX 3.0
/* What the program's output may take per second of reading: beyond it
 * the program waits on a full pty, as on a slow terminal, and the loop
 * stays free for keys and drawing. */
#define OUTPUT_BYTES_PER_SEC (1024.0 * 1024.0)
#define OUTPUT_LINES_PER_SEC 10000.0
/* While ending the tree, readings come at least this often, whatever
 * --interval says: SIGKILL follows SIGTERM on time, and what would not die
 * is judged from a fresh reading. */
#define KILL_TICK 0.1
/* A recording may be this large: it is read whole before it plays. */
#define REPLAY_MAX_BYTES ((size_t)1 << 30)
/* How far back or forward a search for the next event to tell may look
 * among output lines. */
enum { EVENT_SCAN = 200000 };
/* What a fast replay adds per step at most. */
enum { FAST_EVENTS = 256 };

struct session {
	struct session_opts opts;

	/* live sources */
	struct launcher *launcher;     /* NULL in an attached run */
	pid_t *attached;               /* the running processes attached to
	                                * (session_attach()); nattached */
	size_t nattached;
	struct sampler *sampler;
	struct connector *connector;   /* the kernel's news; NULL when polling */
	bool news;                /* the lifecycle is the kernel's news */
	char polling[160];        /* else why ("" in a replay of a version 1 file) */
	bool resync;              /* news was lost: read /proc at once */
	bool reading;             /* a reading is taken, not fed yet */
	unsigned long news_seen;  /* batches of lifecycle news so far */
	unsigned long news_read;  /* news_seen when the last reading was taken */
	bool want_hold;           /* lifecycle news came: slow motion holds */
	char root_comm[PROC_COMM_MAX];  /* the program as started: its names */
	char root_cmd[PROC_CMD_MAX];
	bool step_hit;            /* lifecycle news came while stepping */
	struct frame frame;       /* the reading being taken */
	struct pidns_map *ns;     /* the program runs under forkscope's init in
	                           * a PID namespace (pidns.h): the host's PIDs
	                           * are rewritten into its own before they are
	                           * fed; NULL: they are fed as they are */
	struct frame nsframe;     /* the reading, in the namespace's numbers */
	char pid1_refused[256];   /* --pid1 was asked and refused: why */
	size_t budget_bytes;      /* output still to be read this tick */
	long budget_lines;
	char (*queues)[CHAN_NAME_MAX];   /* the demos' queues seen ("/fs-..."), to clean up */
	size_t nqueues;
	struct pysource *pysource;       /* the Python hook's messages; NULL: off */
	struct hook_msg {
		pid_t pid;
		double mono;             /* when it was sent (or read), monotonic */
		unsigned long seq;       /* the order read (a connection's, sent) */
		char *text;
	} *pending;                      /* read, not fed yet: by the time sent */
	size_t npending;
	unsigned long hook_seq;
	long hook_budget;                /* messages still to be read this tick */

	/* the replay source: the file, read whole and checked before playing */
	bool replay;
	char *file;
	size_t file_len;
	FILE *stream;
	struct rec_reader *reader;
	struct rec_header header;
	struct obs next;          /* the next observation to play */
	bool have_next;
	double speed;
	double play_t;            /* the replay's clock */
	double play_wall;         /* when it was last moved on, monotonic */
	bool fast;                /* no pace: everything as soon as asked */

	/* the engine */
	struct reducer *reducer;
	struct history *history;
	struct timeline *timeline;
	struct journal *journal;
	struct rec_writer *writer;
	bool write_failed;

	/* the clock: world time does not run while paused */
	double t0;
	double started;           /* Unix time at t0 */
	double paused_total;

	/* the controller */
	double next_tick;
	double gone_since;        /* when the tree was first seen empty; -1 */
	bool children_left;
	bool killing;             /* session_kill() was called */
	bool paused;
	double paused_at;         /* world time when paused */
	double paused_wall;       /* monotonic time when paused */
	bool pause_read;          /* the frozen tree has been read once */
	bool stepping;            /* paused again at the next lifecycle event */
	unsigned long step_from;  /* lifecycle count when the step began */
	bool finished;
	int killed;               /* alive when session_kill() was called */
	double kill_at;           /* when SIGTERM was sent */
	struct pidvec denied;     /* refused our signals (EPERM) while ending */
	int survivors;            /* still alive when the teardown gave up */

	/* slow motion */
	double slow;              /* seconds each step is held; 0 off */
	bool holding;             /* a hold is under way */
	bool tree_held;           /* and the whole tree is stopped for it */
	double hold_until;        /* world time it is let go at */
	struct stopped_set stopped;   /* what a hold or a pause stopped: exactly
	                               * those are continued */

	/* rewinding */
	bool rewound;
	double cursor_t;
	size_t cursor_event;      /* SIZE_MAX: at a time, not at an event */
	struct journal_pos cursor_pos;   /* the observation the moment is after */
};

/* ---- the engine ------------------------------------------------------ */

/* Every observation, from whichever source, goes this way. */
static void feed(struct session *s, const struct obs *o)
{
	size_t len;

	reducer_apply(s->reducer, o, s->history, s->timeline);
	char *line = journal_add(s->journal, o, s->reducer, history_count(s->history), &len);
	if (s->writer && !s->write_failed) {
		char err[256];
		if (!rec_write_line(s->writer, line, len, err, sizeof(err)))
			s->write_failed = true;   /* said at the end (session_close_record()) */
	}
	free(line);
}

static void engine_start(struct session *s, pid_t self, pid_t root, const char *arch)
{
	size_t cap = s->opts.memory ? s->opts.memory : SESSION_MEMORY_DEFAULT;
	struct reducer_opts ro = { .self = self, .root = root, .arch = arch, .memory = cap,
	                           .news = s->news, .polling = s->polling,
	                           .attached = s->attached, .nattached = s->nattached,
	                           .pidns = s->ns != NULL || s->header.pidns };

	s->reducer = reducer_new(&ro);
	/* half for events and output, a quarter each for lifelines and for
	 * the observations kept to rewind */
	s->history = history_new(cap / 2);
	s->timeline = timeline_new(cap / 4);
	s->journal = journal_new(s->reducer, cap / 4, s->opts.history_secs);
}

/* ---- the clock --------------------------------------------------------- */

double session_elapsed(const struct session *s)
{
	if (s->replay)
		return s->play_t;
	if (s->paused && !s->killing)
		return s->paused_at;
	return now_seconds() - s->t0 - s->paused_total;
}

static void settle(struct session *s);

/* ---- live: the sources ------------------------------------------------ */

/* A line of output: an observation now, placed by the reducer among the
 * next reading's events. */
static void add_output(void *ctx, const char *text, unsigned long long cut, bool partial)
{
	struct session *s = ctx;
	struct obs o = { .type = OBS_OUTPUT, .t = session_elapsed(s), .text = text, .cut = cut,
	                 .partial = partial };

	/* never before what was observed last: the clock is read once per call */
	if (o.t < reducer_time(s->reducer))
		o.t = reducer_time(s->reducer);
	feed(s, &o);
	s->budget_lines--;
}

/* Reads output while this tick's budget lasts. */
static void read_output(struct session *s)
{
	if (launcher_fd(s->launcher) < 0 || s->budget_lines <= 0 || s->budget_bytes == 0)
		return;
	/* a line takes one byte at least: reading no more bytes than lines
	 * are left keeps the line budget too */
	size_t most = s->budget_bytes < (size_t)s->budget_lines ? s->budget_bytes
	                                                       : (size_t)s->budget_lines;
	size_t got = launcher_read(s->launcher, most, session_elapsed(s), add_output, s);
	s->budget_bytes -= got < s->budget_bytes ? got : s->budget_bytes;
}

static bool may_read_output(const struct session *s)
{
	return s->launcher && launcher_fd(s->launcher) >= 0 && s->budget_lines > 0 &&
	       s->budget_bytes > 0;
}

/* Notes the message queues named like the demos' ("/fs-..."), so none
 * outlives the run even if the demo was killed before it could unlink it. */
static void remember_queues(struct session *s)
{
	for (size_t i = 0; i < s->frame.nchannels; i++) {
		const struct channel *c = &s->frame.channels[i];
		if (c->kind != CHAN_MQUEUE || strncmp(c->name, "/fs-", 4) != 0)
			continue;
		bool known = false;
		for (size_t k = 0; k < s->nqueues && !known; k++)
			known = strcmp(s->queues[k], c->name) == 0;
		if (known)
			continue;
		s->queues = xreallocarray(s->queues, s->nqueues + 1, sizeof(*s->queues));
		str_copy(s->queues[s->nqueues++], CHAN_NAME_MAX, c->name);
	}
}

/* The names of pid read by hand through its confirmed /proc descriptor:
 * comm, the command line, the executable; false when it is gone or
 * another process. */
static bool read_names(pid_t pid, unsigned long long start, struct proc_sample *p)
{
	unsigned long long at = start;
	int dir = procfs_open(pid, &at, NULL);

	if (dir < 0)
		return false;
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->start = at;
	bool ok = procfs_names_at(dir, p->comm, sizeof(p->comm), p->cmd, sizeof(p->cmd), p->exe,
	                          sizeof(p->exe));
	close(dir);
	return ok;
}

/* Reads at once what news is about (the new program's names; the title
 * written in place), while the process is there, and only when it is the
 * process the news is about. */
static void enrich(struct session *s, struct news *n, double mono)
{
	struct proc_sample p;

	/* init forks once: the program, PID 2 (pidns.h), even when it is
	 * gone before it can be asked */
	if (n->kind == NEWS_FORK && s->ns && n->ppid == launcher_pid(s->launcher)) {
		pidns_map_learn(s->ns, n->pid, PIDNS_PROGRAM);
	} else if (n->kind == NEWS_FORK && s->ns) {
		/* its number in the namespace, read once, now (pidns.h) */
		unsigned long long start = n->start;
		int dir = procfs_open(n->pid, &start, NULL);
		if (dir >= 0) {
			pidns_map_learn(s->ns, n->pid, procfs_nspid_at(dir, NULL));
			close(dir);
		}
	}
	if (n->kind == NEWS_FORK && n->ppid == getpid()) {
		/* the program: the names it was started with (it may have
		 * renamed itself by the time this is read); or init, named so
		 * before the program started */
		str_copy(n->comm, sizeof(n->comm), s->root_comm);
		str_copy(n->cmd, sizeof(n->cmd), s->root_cmd);
		return;
	}
	if (n->kind != NEWS_EXEC && n->kind != NEWS_COMM)
		return;
	/* libproc2 first, as readings read; a process in the middle of its
	 * exec can fail it, and its names are read by hand then */
	if (!sampler_read(s->sampler, n->pid, n->start, &p) &&
	    !read_names(n->pid, n->start, &p))
		return;
	if (!n->start && !connector_started_by(s->connector, p.start, mono))
		return;
	/* the kernel's own name for a rename is exact: kept */
	if (n->kind != NEWS_COMM)
		str_copy(n->comm, sizeof(n->comm), p.comm);
	str_copy(n->cmd, sizeof(n->cmd), p.cmd);
	str_copy(n->exe, sizeof(n->exe), p.exe);
	n->code = p.code_start;
}


/* Before the news of parent's exit: its zombie children that are gone
 * from /proc were reaped by it, before it exited (after, they are
 * forkscope's, which reaps them in a reading): news of each, at t. */
static void reaped_before_exit(struct session *s, pid_t parent_host, double t)
{
	/* (the records are in the namespace's numbers, /proc in the host's) */
	pid_t parent = s->ns ? pidns_map_ns(s->ns, parent_host) : parent_host;
	size_t n;
	const struct proc_record *rec = tracker_records(reducer_tracker(s->reducer), &n);
	struct pidvec gone = { 0 };

	for (size_t i = 0; i < n; i++) {
		const struct proc_record *c = &rec[i];
		if (c->ppid != parent || c->phase != PHASE_ZOMBIE || c->is_self ||
		    frame_find_reap(&s->frame, c->pid))
			continue;
		unsigned long long start = c->start;
		struct procfs_stat st;
		int dir = procfs_open(c->host ? c->host : c->pid, &start, &st);
		/* there still (a start not known: while its parent is either) */
		bool there = dir >= 0 && (c->start || st.ppid == parent_host || st.ppid == getpid());
		if (dir >= 0)
			close(dir);
		if (!there)
			pidvec_push(&gone, c->pid);
	}
	/* (the records are read first: feeding changes them) */
	for (size_t i = 0; i < gone.n; i++) {
		struct news r = { .kind = NEWS_REAP, .pid = gone.v[i], .ppid = parent };
		struct obs o = { .type = OBS_PROC, .t = t, .news = &r };
		feed(s, &o);
	}
	pidvec_free(&gone);
}

/* ---- the Python hook ---- */

/* What the hook may have waiting, at most, and how long a message for a
 * process not known yet waits for it (its fork's news, or a reading). */
enum { HOOK_PENDING_MAX = 16384, HOOK_TICK_MAX = 5000 };
#define HOOK_WAIT 2.0

static void keep_hook(void *ctx, pid_t pid, const char *text, size_t len)
{
	struct session *s = ctx;
	struct py_msg msg;
	double now = now_seconds();

	/* the program floods (later messages are dropped), or it is not a
	 * message the model could use */
	if (s->npending >= HOOK_PENDING_MAX || !pymodel_parse(text, len, &msg))
		return;
	/* the time it says it was sent, when that is a time it could be */
	double mono = msg.mono > 0 && msg.mono <= now && msg.mono > now - HOOK_WAIT ? msg.mono : now;
	s->pending = xreallocarray(s->pending, s->npending + 1, sizeof(*s->pending));
	char *copy = xcalloc(1, len + 1);
	memcpy(copy, text, len);
	s->pending[s->npending++] = (struct hook_msg){ pid, mono, s->hook_seq++, copy };
}

/* By the time sent, then the order read. */
static int by_sent(const void *a, const void *b)
{
	const struct hook_msg *x = a, *y = b;

	if (x->mono != y->mono)
		return x->mono < y->mono ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Reads what the hook sent since the last time, as much as this tick's
 * budget allows (the rest waits in the connections: a program that floods
 * them waits, or drops its notes, not forkscope), and puts it in the order
 * sent: the processes' messages interleave as the scheduler ran them. */
static void take_hook(struct session *s)
{
	if (!s->pysource || s->hook_budget <= 0)
		return;
	size_t before = s->npending;
	s->hook_budget -= (long)pysource_drain(s->pysource, (size_t)s->hook_budget, keep_hook, s);
	if (s->npending > before)
		qsort(s->pending, s->npending, sizeof(*s->pending), by_sent);
}

/* Feeds the messages sent up to until (monotonic), in the order sent, at
 * the world's time they were sent (never before what was fed last), when
 * the model knows their process; drops those that waited too long for
 * it.  now and now_mono are the same moment on both clocks. */
static void feed_hook(struct session *s, double until, double now, double now_mono)
{
	size_t kept = 0;

	for (size_t i = 0; i < s->npending; i++) {
		struct hook_msg *m = &s->pending[i];
		pid_t pid = s->ns ? pidns_map_ns(s->ns, m->pid) : m->pid;
		if (m->mono <= until && tracker_knows(reducer_tracker(s->reducer), pid)) {
			struct obs o = { .type = OBS_HOOK, .t = now - (now_mono - m->mono), .pid = pid,
			                 .text = m->text };
			if (o.t > now)
				o.t = now;
			if (o.t < reducer_time(s->reducer))
				o.t = reducer_time(s->reducer);
			feed(s, &o);
			free(m->text);
		} else if (now_mono - m->mono > HOOK_WAIT) {
			free(m->text);
		} else {
			s->pending[kept++] = *m;
		}
	}
	s->npending = kept;
}

/* The kernel's news so far: observations at the times it was told. */
/* Whether pid (the host's) held a channel at the last reading. */
static bool held_a_channel(const struct frame *f, pid_t pid)
{
	for (size_t i = 0; i < f->nchannels; i++)
		for (int k = 0; k < f->channels[i].nholders; k++)
			if (f->channels[i].holders[k] == pid)
				return true;
	return false;
}

/* A process that held a queue or pipe has exited: what it put there last
 * may not have been read yet (a writer puts its last message and exits
 * in the same millisecond).  Its fills are read again now, through the
 * other holders, and told at t, before its exit: it cannot change them
 * after its exit, so a change seen now was made before it.  The reading is
 * of the channels alone (frame.channels_only): its processes are the last
 * reading's and say nothing new, its reap notes were told already. */
static void channels_at_exit(struct session *s, double t)
{
	if (!s->sampler || s->frame.t <= 0 || s->reading)
		return;
	sampler_channels_again(s->sampler, &s->frame);
	s->frame.nreaped = 0;
	s->frame.channels_only = true;
	s->frame.t = t;
	struct obs o = { .type = OBS_READING, .t = t, .frame = &s->frame };
	if (s->ns) {
		pidns_map_frame(s->ns, &s->frame, &s->nsframe);
		o.frame = &s->nsframe;
	}
	feed(s, &o);
	s->frame.channels_only = false;
}

static void drain_news(struct session *s)
{
	struct connector_batch b;

	if (!s->connector)
		return;
	connector_drain(s->connector, &b);
	/* forks not read yet: the next reading lists children itself */
	if (b.more)
		sampler_resync(s->sampler);
	if (!b.n && !b.overflow)
		return;
	unsigned long before = reducer_lifecycle(s->reducer);
	double mono = now_seconds(), now = session_elapsed(s);
	/* what the hook said so far goes right after the news of its process:
	 * a name comes before the rename it makes (and is told instead) */
	take_hook(s);
	/* What a process printed before it exec'd or exited is in the pty by
	 * then, and is told first; but the pty holds no times, so when the
	 * batch has a fork, its output could be the child's: it waits until
	 * after the news, as a process is told of before what it prints. */
	bool forks = false;
	for (size_t i = 0; i < b.n && !forks; i++)
		forks = b.news[i].news.kind == NEWS_FORK;
	/* Slow motion: a new child is stopped at once, before anything else
	 * is done (a child may live a millisecond); the rest of the tree
	 * follows in settle().  Its PID was confirmed with its start time as
	 * the news came (start), microseconds ago. */
	bool hold = s->slow > 0 && !s->paused && !s->killing && !s->finished;
	/* a pause of an attached tree (no sweep of forkscope's children can
	 * find its processes): a child forked as it was being stopped is
	 * stopped the moment its fork is told */
	for (size_t i = 0; i < b.n && s->nattached && s->paused && !s->finished; i++)
		if (b.news[i].news.kind == NEWS_FORK &&
		    tracker_knows(reducer_tracker(s->reducer), b.news[i].news.ppid))
			launcher_stop_one(b.news[i].news.pid, b.news[i].news.start, &s->stopped);
	for (size_t i = 0; i < b.n && hold; i++)
		if (b.news[i].news.kind == NEWS_FORK && b.news[i].news.ppid != getpid() &&
		    launcher_stop_one(b.news[i].news.pid, b.news[i].news.start, &s->stopped)) {
			/* a hold is under way from now, whatever else happens */
			s->holding = true;
			s->want_hold = true;
			s->hold_until = now + s->slow;
		}
	/* /proc shows a process's last exec only: an earlier one of the same
	 * batch is told unnamed rather than with a later program's names */
	struct intmap last_exec = { 0 };
	for (size_t i = 0; i < b.n; i++)
		if (b.news[i].news.kind == NEWS_EXEC)
			intmap_put(&last_exec, (unsigned long long)b.news[i].news.pid, (long)i);
	for (size_t i = 0; i < b.n; i++) {
		struct news n = b.news[i].news;
		if (!forks && (n.kind == NEWS_EXIT || n.kind == NEWS_EXEC))
			read_output(s);
		if (n.kind != NEWS_EXEC || intmap_get(&last_exec, (unsigned long long)n.pid) == (long)i)
			enrich(s, &n, b.news[i].mono);
		/* the next readings look for it by its PID too */
		if (n.kind == NEWS_FORK)
			sampler_expect(s->sampler, n.pid, n.start);
		struct obs o = { .type = OBS_PROC, .t = now - (mono - b.news[i].mono), .news = &n };
		/* on the world's clock, and in the order fed */
		if (o.t > now)
			o.t = now;
		if (o.t < reducer_time(s->reducer))
			o.t = reducer_time(s->reducer);
		/* what the hook sent before this news goes before it */
		if (s->npending)
			feed_hook(s, b.news[i].mono, now, mono);
		if (o.t < reducer_time(s->reducer))
			o.t = reducer_time(s->reducer);
		if (n.kind == NEWS_EXIT && held_a_channel(&s->frame, n.pid))
			channels_at_exit(s, o.t);
		if (n.kind == NEWS_EXIT)
			reaped_before_exit(s, n.pid, o.t);
		/* A fork told only now, of a child the reading taken meanwhile
		 * did not look for (it reads the children the news named before
		 * it began): the reading began, as far as that child is
		 * concerned, no earlier than its birth, so it proves nothing
		 * about it (tracker.h: born after the reading began). */
		if (s->reading && n.kind == NEWS_FORK && o.t > 0 && o.t < s->frame.begun) {
			const struct proc_sample *seen = frame_find(&s->frame, n.pid);
			if (!seen || seen->start != n.start)
				s->frame.begun = o.t;
		}
		/* the news as the namespace numbers it, from here on */
		if (s->ns)
			pidns_map_news(s->ns, &n);
		feed(s, &o);
	}
	if (s->npending)
		feed_hook(s, mono, now, mono);
	intmap_free(&last_exec);
	if (b.overflow) {
		struct obs o = { .type = OBS_LOST, .t = now, .lost = b.lost };
		if (o.t < reducer_time(s->reducer))
			o.t = reducer_time(s->reducer);
		feed(s, &o);
		s->resync = true;
		sampler_resync(s->sampler);
	}
	if (reducer_lifecycle(s->reducer) > before) {
		s->news_seen++;
		s->want_hold |= s->slow > 0;
		s->step_hit = s->stepping && reducer_lifecycle(s->reducer) > s->step_from;
	}
}

static void tick(struct session *s)
{
	struct tracker_stats st;
	double scan_mono = now_seconds();

	/* SIGTERM first, so demos can remove their queues and files; whatever
	 * still runs after KILL_GRACE gets SIGKILL, again each tick (a process
	 * forked during the last sweep was missed) */
	if (s->killing && session_elapsed(s) - s->kill_at >= KILL_GRACE)
		launcher_signal_tree(SIGKILL, &s->denied);
	/* what the hook said until now, for the reading to know the queues
	 * it named (a queue is told of as it is made) */
	s->hook_budget = HOOK_TICK_MAX;
	take_hook(s);
	feed_hook(s, now_seconds(), session_elapsed(s), now_seconds());
	double begun = session_elapsed(s);
	/* the forks told until the reading begins: the reading looks for
	 * those children by their PIDs (it lists no children lists while the
	 * news tells of every fork), so a child born before it is in it */
	drain_news(s);
	/* the queues the hook named, for the channels to be read as such */
	sampler_set_python(s->sampler, s->pysource ? tracker_py(reducer_tracker(s->reducer)) : NULL);
	sampler_scan(s->sampler, &s->frame);
	s->frame.root = launcher_pid(s->launcher);
	/* a 'T' now is forkscope's doing (slow motion, a pause): the
	 * processes are shown as they were when stopped */
	s->frame.held = s->holding || (s->paused && !s->killing);
	s->frame.begun = begun;
	/* Reap after reading, so a child of ours that died is in this frame
	 * (as a zombie) with its reap note, and its exit status is exact; the
	 * tracker tells it as reaped at once, since forkscope waits at once. */
	s->children_left = launcher_reap(&s->frame);
	s->reading = true;
	/* what the kernel told until now happened before the reading is
	 * applied: a process it does not hold was born after it began, or has
	 * ended (the news of an exit comes before the process leaves /proc) */
	drain_news(s);
	/* and what the hook said, before the reading its facts explain */
	take_hook(s);
	feed_hook(s, now_seconds(), session_elapsed(s), now_seconds());
	/* output read now is placed among this reading's events */
	read_output(s);
	launcher_flush_idle(s->launcher, session_elapsed(s), add_output, s);
	remember_queues(s);
	/* the reading is whole once its output is in: its time comes after */
	s->frame.t = session_elapsed(s);
	if (s->frame.t < reducer_time(s->reducer))
		s->frame.t = reducer_time(s->reducer);
	struct obs o = { .type = OBS_READING, .t = s->frame.t, .frame = &s->frame };
	if (s->ns) {
		pidns_map_frame(s->ns, &s->frame, &s->nsframe);
		o.frame = &s->nsframe;
	}
	unsigned long lifecycle = reducer_lifecycle(s->reducer);
	s->reading = false;
	feed(s, &o);
	/* (polling: a process the reading found may have spoken already) */
	if (s->npending)
		feed_hook(s, now_seconds(), session_elapsed(s), now_seconds());
	/* polling alone: slow motion holds after what the readings find */
	if (!s->news && reducer_lifecycle(s->reducer) > lifecycle) {
		s->news_seen++;
		s->want_hold = s->slow > 0;
	}
	if (s->connector)
		connector_sync(s->connector, &s->frame, scan_mono);
	s->news_read = s->news_seen;
	s->resync = false;
	tracker_stats(reducer_tracker(s->reducer), &st);
	/* the next tick's output budget */
	s->budget_bytes = (size_t)(OUTPUT_BYTES_PER_SEC * s->opts.interval) + 1;
	s->budget_lines = (long)(OUTPUT_LINES_PER_SEC * s->opts.interval) + 1;
	if (!s->children_left && st.alive == 0) {
		if (s->gone_since < 0)
			s->gone_since = s->frame.t;
		read_output(s);
		if (launcher_fd(s->launcher) < 0 || s->frame.t - s->gone_since > OUTPUT_GRACE)
			s->finished = true;
	} else if (s->killing && s->frame.t - s->kill_at > TEARDOWN_MAX) {
		/* what is still alive now refused to die: give up on it, and say so */
		s->survivors = st.running;
		s->finished = true;
	}
}

/* The recording's first line, once the run has begun. */
static bool write_header(struct session *s, char *const argv[], char *err, size_t errlen)
{
	struct rec_header h;
	struct utsname u;

	memset(&h, 0, sizeof(h));
	h.version = RECORDING_VERSION;
	snprintf(h.program, sizeof(h.program), "forkscope %s", FORKSCOPE_VERSION);
	if (uname(&u) == 0)
		str_copy(h.kernel, sizeof(h.kernel), u.release);
	str_copy(h.arch, sizeof(h.arch), blocked_native_arch());
	h.started = s->started;
	str_copy(h.scenario, sizeof(h.scenario), s->opts.scenario ? s->opts.scenario : "");
	size_t argc = 0;
	while (argv && argv[argc])
		argc++;
	h.command = xcalloc(argc + 1, sizeof(*h.command));
	for (size_t i = 0; i < argc; i++)
		h.command[i] = strdup(argv[i]);
	h.tempo = s->opts.tempo;
	h.interval = s->opts.interval;
	h.cols = s->opts.cols;
	h.rows = s->opts.rows;
	h.memory = s->opts.memory ? s->opts.memory : SESSION_MEMORY_DEFAULT;
	h.self = getpid();
	h.root = session_root(s);
	h.pidns = s->ns != NULL;
	h.news = s->news;
	str_copy(h.polling, sizeof(h.polling), s->polling);
	if (s->nattached) {
		h.attached = xcalloc(s->nattached, sizeof(*h.attached));
		memcpy(h.attached, s->attached, s->nattached * sizeof(*h.attached));
		h.nattached = s->nattached;
	}
	bool ok = rec_write_header(s->writer, &h, err, errlen);
	rec_header_free(&h);
	return ok;
}

/* What the kernel will call the program once it is started (the file's
 * name, cut at 15 bytes as comm is) and its command line, as a reading of
 * /proc would show them. */
static void root_names(struct session *s, char *const argv[])
{
	const char *base = strrchr(argv[0], '/');
	char comm[16];
	size_t used = 0;

	str_copy(comm, sizeof(comm), base ? base + 1 : argv[0]);
	str_copy(s->root_comm, sizeof(s->root_comm), comm);
	s->root_cmd[0] = '\0';
	for (size_t i = 0; argv[i] && used + 1 < sizeof(s->root_cmd); i++) {
		int w = snprintf(s->root_cmd + used, sizeof(s->root_cmd) - used, "%s%s", i ? " " : "",
		                 argv[i]);
		used += w > 0 ? (size_t)w : 0;
	}
}

static double wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A live run: argv started, or (argv NULL) the npids running processes
 * of pids attached to. */
static struct session *start_live(char *const argv[], const pid_t *pids, size_t npids,
                                  const struct session_opts *o, char *err, size_t errlen)
{
	struct session *s = xcalloc(1, sizeof(*s));

	s->opts = *o;
	s->writer = o->record;
	s->opts.record = NULL;
	s->gone_since = -1;
	s->children_left = true;
	s->cursor_event = SIZE_MAX;
	s->speed = 1;
	frame_init(&s->frame);
	frame_init(&s->nsframe);
	s->t0 = now_seconds();
	s->started = wall_now();
	s->sampler = sampler_new(getpid(), err, errlen);
	if (!s->sampler)
		goto fail;
	/* an attached tree is read from its roots, each confirmed by its
	 * start time, with forkscope as the sampler's top as always */
	for (size_t i = 0; !argv && i < npids; i++) {
		unsigned long long start = 0;
		int dir = procfs_open(pids[i], &start, NULL);
		if (dir < 0) {
			snprintf(err, errlen, _("cannot watch %d: it is "
			         "gone (nothing was started)"),
			         (int)pids[i]);
			goto fail;
		}
		close(dir);
		sampler_expect(s->sampler, pids[i], start);
		s->attached = xreallocarray(s->attached, s->nattached + 1, sizeof(*s->attached));
		s->attached[s->nattached++] = pids[i];
	}
	/* slow motion stops processes: never one forkscope did not start */
	s->slow = argv ? o->slow : 0;
	s->opts.slow = s->slow;
	s->opts.python_hook = s->opts.python_hook && argv;
	/* listening before the program starts: its own fork is told too */
	if (o->events == EVENTS_POLL) {
		str_copy(s->polling, sizeof(s->polling), "asked with --events poll");
	} else {
		/* Why it cannot be had goes into the recording and the JSON (the
		 * polling event), which are English in every language: said in
		 * the "C" locale's words (this thread's alone), at most 127 bytes
		 * of them, unless it is told the user, who asked for the
		 * connector. */
		bool asked = o->events == EVENTS_CONNECTOR;
		char why[320];
		locale_t c_words = asked ? (locale_t)0 : newlocale(LC_ALL_MASK, "C", (locale_t)0);
		locale_t was = c_words ? uselocale(c_words) : (locale_t)0;
		s->connector = connector_open(getpid(), o->connector_buffer, why,
		                              asked ? sizeof(why) : sizeof(s->polling) - 32);
		if (c_words) {
			uselocale(was);
			freelocale(c_words);
		}
		if (!s->connector && asked) {
			snprintf(err, errlen, _("cannot follow the kernel's process "
			         "events: %s (try --events poll)"), why);
			goto fail;
		}
		if (!s->connector)
			snprintf(s->polling, sizeof(s->polling), "the process connector: %.*s",
			         (int)sizeof(s->polling) - 33, why);
	}
	s->news = s->connector != NULL;
	/* told of every fork, the readings need not list children */
	sampler_set_news(s->sampler, s->news);
	if (argv) {
		root_names(s, argv);
		/* Python programs, anywhere in the tree, load the hook: it needs its
		 * folder and a socket; without them the run goes on, unnamed */
		char hook_dir[PATH_MAX];
		char **env = NULL;
		if (s->opts.python_hook &&
		    pysource_hook_dir(FORKSCOPE_DEMODIR, hook_dir, sizeof(hook_dir))) {
			if (!(s->pysource = pysource_open(err, errlen)))
				goto fail;
			env = pysource_env(environ, hook_dir, pysource_path(s->pysource));
		}
		bool pid1 = o->pid1 == PID1_ON ||
		            (o->pid1 == PID1_AUTO && o->scenario && scenario_pid1(o->scenario));
		if (pid1)
			s->launcher = launcher_start_pid1(argv, env, o->cols, o->rows, s->slow > 0,
			                                  o->limit, s->pid1_refused,
			                                  sizeof(s->pid1_refused), err, errlen);
		else
			s->launcher = launcher_start(argv, env, o->cols, o->rows, s->slow > 0,
			                             o->limit, err, errlen);
		pysource_env_free(env);
		if (!s->launcher)
			goto fail;
	}
	if (launcher_pid1(s->launcher)) {
		/* init, PID 1, is forkscope's child; its names are forkscope's
		 * command line, and the name it gave itself */
		s->ns = pidns_map_new(getpid());
		pidns_map_learn(s->ns, launcher_pid(s->launcher), PIDNS_INIT);
		sampler_set_pidns(s->sampler, true);
		struct proc_sample me;
		if (read_names(getpid(), 0, &me))
			str_copy(s->root_cmd, sizeof(s->root_cmd), me.cmd);
		str_copy(s->root_comm, sizeof(s->root_comm), "init");
	}
	/* slow motion holds the program's start: it is stopped already */
	if (s->launcher && launcher_held(s->launcher)) {
		unsigned long long start = 0;
		int dir = procfs_open(launcher_pid(s->launcher), &start, NULL);
		if (dir >= 0)
			close(dir);
		launcher_stop_one(launcher_pid(s->launcher), start, &s->stopped);
		s->holding = s->tree_held = true;
		s->hold_until = s->slow;
	}
	engine_start(s, getpid(), session_root(s), NULL);
	if (s->writer && !write_header(s, argv, err, errlen))
		goto fail;
	s->budget_bytes = (size_t)(OUTPUT_BYTES_PER_SEC * o->interval) + 1;
	s->budget_lines = (long)(OUTPUT_LINES_PER_SEC * o->interval) + 1;
	tick(s);
	s->next_tick = session_elapsed(s) + o->interval;
	/* slow motion holds the program's very start too */
	settle(s);
	return s;
fail:
	session_free(s);
	return NULL;
}

struct session *session_start(char *const argv[], const struct session_opts *o,
                              char *err, size_t errlen)
{
	return start_live(argv, NULL, 0, o, err, errlen);
}

struct session *session_attach(const pid_t *pids, size_t n, const struct session_opts *o,
                               char *err, size_t errlen)
{
	if (!n) {
		snprintf(err, errlen, "%s", _("nothing to attach to"));
		rec_close(o->record, NULL, 0);
		return NULL;
	}
	return start_live(NULL, pids, n, o, err, errlen);
}

/* ---- attached runs ------------------------------------------------------ */

/* Tgid from /proc/PID/status: a thread's ID names a thread, not a process. */
static pid_t tgid_of(pid_t pid)
{
	char path[64], line[256];
	long tgid = 0;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Tgid: %ld", &tgid) == 1)
			break;
	fclose(f);
	return (pid_t)tgid;
}

bool session_attach_check(pid_t pid, char *err, size_t errlen)
{
	unsigned long long start = 0;
	struct procfs_stat st;

	if (pid == getpid()) {
		snprintf(err, errlen, _("-p %d is forkscope itself: give the PID of a process to "
		         "watch (e.g. forkscope -p $(pgrep -o bash))"), (int)pid);
		return false;
	}
	errno = 0;
	int dir = procfs_open(pid, &start, &st);
	if (dir < 0) {
		if (errno == EACCES || errno == EPERM)
			snprintf(err, errlen, _("-p %d: not allowed to read /proc/%d (%s): run "
			         "forkscope as that process's user, or as root"),
			         (int)pid, (int)pid, strerror(errno));
		else
			snprintf(err, errlen, _("-p %d: no such process (see: ps -e; a process "
			         "that ended cannot be attached to)"), (int)pid);
		return false;
	}
	/* its children list, which the readings walk, must be readable too */
	char path[64];
	snprintf(path, sizeof(path), "task/%d/children", (int)pid);
	int fd = openat(dir, path, O_RDONLY | O_CLOEXEC);
	int e = errno;
	close(dir);
	pid_t tgid = tgid_of(pid);
	if (tgid > 0 && tgid != pid) {
		snprintf(err, errlen, _("-p %d is a thread of process %d: "
		         "give the process (-p %d)"),
		         (int)pid, (int)tgid, (int)tgid);
		if (fd >= 0)
			close(fd);
		return false;
	}
	if (fd < 0) {
		snprintf(err, errlen, _("-p %d: cannot read its children in /proc (%s): run "
		         "forkscope as that process's user, or as root"), (int)pid, strerror(e));
		return false;
	}
	close(fd);
	if (st.state == 'Z' || st.state == 'X') {
		snprintf(err, errlen, _("-p %d has exited already (a zombie waiting for its "
		         "parent): there is nothing of it left to watch"), (int)pid);
		return false;
	}
	return true;
}

size_t session_attached(const struct session *s, const pid_t **pids)
{
	if (pids)
		*pids = s->attached;
	return s->nattached;
}

/* Whether signals to the attached tree would reach every process of it;
 * false with a sentence naming the first that refuses (another user's). */
bool session_may_stop(const struct session *s, char *why, size_t len)
{
	size_t n;
	const struct proc_record *rec = tracker_records(reducer_tracker(s->reducer), &n);

	if (len)
		why[0] = '\0';
	for (size_t i = 0; i < n && s->nattached && !s->replay; i++) {
		const struct proc_record *r = &rec[i];
		if (r->is_self || r->phase != PHASE_ALIVE)
			continue;
		/* signal 0: the permission check alone, nothing is sent */
		if (kill(r->pid, 0) != 0 && errno == EPERM) {
			snprintf(why, len, _("cannot pause %d (%s): another user's; run forkscope "
			         "as that user or as root"), (int)r->pid, tracker_name(r));
			return false;
		}
	}
	return true;
}

/* Pause of an attached tree: SIGSTOP to each live process of the model,
 * confirmed by its start time (launcher_stop_one()), leaving alone one
 * stopped already (by someone else: it is not ours to continue).  Forks
 * told while paused are stopped as they come (drain_news()). */
static void stop_attached(struct session *s)
{
	size_t n;
	const struct proc_record *rec = tracker_records(reducer_tracker(s->reducer), &n);
	struct pidvec pids = { 0 };
	unsigned long long *starts = xcalloc(n ? n : 1, sizeof(*starts));

	/* (the records first: nothing here changes them, but stay safe) */
	for (size_t i = 0; i < n; i++) {
		const struct proc_record *r = &rec[i];
		if (r->is_self || r->phase != PHASE_ALIVE || r->state == 'T' || r->state == 't')
			continue;
		starts[pids.n] = r->start;
		pidvec_push(&pids, r->pid);
	}
	for (size_t i = 0; i < pids.n; i++)
		launcher_stop_one(pids.v[i], starts[i], &s->stopped);
	free(starts);
	pidvec_free(&pids);
}

/* ---- replay: the source ---------------------------------------------- */

/* Reads path whole, refusing what is not a regular file of a sane size. */
static bool slurp(const char *path, char **data, size_t *len, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	struct stat st;

	if (fd < 0) {
		if (errno == ENOENT)
			snprintf(err, errlen, _("cannot replay %s: no such file"), path);
		else
			snprintf(err, errlen, _("cannot replay %s: %s"), path, strerror(errno));
		return false;
	}
	if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode) || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size > REPLAY_MAX_BYTES) {
		if (S_ISDIR(st.st_mode))
			snprintf(err, errlen, _("%s: is a folder, not a recording"), path);
		else if (!S_ISREG(st.st_mode))
			snprintf(err, errlen, _("%s: is not a regular file (give a recording)"),
			         path);
		else
			snprintf(err, errlen, _("%s: larger than 1 GiB: not a "
			         "recording forkscope plays"),
			         path);
		close(fd);
		return false;
	}
	size_t cap = (size_t)st.st_size + 1, n = 0;
	char *buf = xcalloc(cap, 1);
	for (;;) {
		if (n == cap) {
			if (cap > REPLAY_MAX_BYTES) {
				snprintf(err, errlen, _("%s: larger than 1 GiB: not a "
				         "recording forkscope plays"),
				         path);
				free(buf);
				close(fd);
				return false;
			}
			cap *= 2;
			buf = xreallocarray(buf, cap, 1);
		}
		ssize_t got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			snprintf(err, errlen, _("cannot read %s: %s"), path, strerror(errno));
			free(buf);
			close(fd);
			return false;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	close(fd);
	*data = buf;
	*len = n;
	return true;
}

/* A reader over the bytes read, from the start. */
static struct rec_reader *open_bytes(struct session *s, const char *path, struct rec_header *h,
                                     FILE **stream, char *err, size_t errlen)
{
	/* fmemopen() of 0 bytes fails: an empty file is told by the reader */
	*stream = fmemopen(s->file, s->file_len ? s->file_len : 1, "r");
	if (!*stream) {
		snprintf(err, errlen, _("cannot read %s: %s"), path, strerror(errno));
		return NULL;
	}
	if (!s->file_len)
		fgetc(*stream);      /* at its end: nothing in it */
	struct rec_reader *r = rec_open_stream(*stream, path, h, err, errlen);
	if (!r) {
		fclose(*stream);
		*stream = NULL;
	}
	return r;
}

/* Reads the whole recording once, so that a broken line anywhere is found
 * before the first is shown. */
static bool check_recording(struct session *s, const char *path, char *err, size_t errlen)
{
	struct rec_header h;
	FILE *stream;
	struct obs o;
	int got;

	memset(&h, 0, sizeof(h));
	struct rec_reader *r = open_bytes(s, path, &h, &stream, err, errlen);
	if (!r)
		return false;
	while ((got = rec_read(r, &o, err, errlen)) > 0)
		;
	rec_reader_free(r);
	fclose(stream);
	rec_header_free(&h);
	return got == 0;
}

/* The next observation of the recording, into s->next. */
static void replay_next(struct session *s)
{
	char err[256];

	s->have_next = rec_read(s->reader, &s->next, err, sizeof(err)) > 0;
}

struct session *session_replay(const char *path, const struct session_opts *o, char *err,
                               size_t errlen)
{
	struct session *s = xcalloc(1, sizeof(*s));

	s->opts = *o;
	s->opts.record = NULL;
	rec_close(o->record, NULL, 0);    /* a replay is not recorded */
	s->replay = true;
	s->fast = o->fast;
	s->speed = 1;
	s->cursor_event = SIZE_MAX;
	s->gone_since = -1;
	frame_init(&s->frame);
	frame_init(&s->nsframe);
	if (!slurp(path, &s->file, &s->file_len, err, errlen) ||
	    !check_recording(s, path, err, errlen))
		goto fail;
	s->reader = open_bytes(s, path, &s->header, &s->stream, err, errlen);
	if (!s->reader)
		goto fail;
	s->opts.interval = s->header.interval;
	/* the recording's cap: the same events are dropped, and told, as live */
	s->opts.memory = s->header.memory;
	s->started = s->header.started;
	s->news = s->header.news;
	str_copy(s->polling, sizeof(s->polling), s->header.polling);
	if (s->header.nattached) {
		s->nattached = s->header.nattached;
		s->attached = xcalloc(s->nattached, sizeof(*s->attached));
		memcpy(s->attached, s->header.attached, s->nattached * sizeof(*s->attached));
	}
	engine_start(s, s->header.self, s->header.root, s->header.arch);
	s->play_wall = now_seconds();
	replay_next(s);
	return s;
fail:
	session_free(s);
	return NULL;
}

/* Plays the next observation of the recording. */
static void replay_feed(struct session *s)
{
	feed(s, &s->next);
	replay_next(s);
}

/* Plays what is due by the replay's clock; true when something was. */
static bool replay_play(struct session *s)
{
	double now = now_seconds();
	bool any = false;

	if (!s->paused && !s->finished) {
		s->play_t += (now - s->play_wall) * s->speed;
		if (s->fast && s->have_next)
			s->play_t = s->next.t;
	}
	s->play_wall = now;
	/* fast (headless) replays go a bounded number of events per step, so
	 * the view prints them before the history's cap could drop any */
	size_t before = history_count(s->history);
	while (s->have_next && (s->fast || s->next.t <= s->play_t) && !s->paused &&
	       !(s->fast && history_count(s->history) - before >= FAST_EVENTS)) {
		replay_feed(s);
		any = true;
		if (s->stepping && reducer_lifecycle(s->reducer) > s->step_from) {
			s->stepping = false;
			s->paused = true;
			s->play_t = reducer_time(s->reducer);
		}
	}
	if (!s->have_next && !s->finished) {
		/* the end of the recording: the clock stops at its last moment */
		s->finished = true;
		s->play_t = reducer_time(s->reducer);
		any = true;
	}
	return any;
}

bool session_replay_one(struct session *s, enum obs_type *type)
{
	if (!s->replay || s->finished)
		return false;
	*type = OBS_END;
	if (s->have_next) {
		*type = s->next.type;
		s->play_t = s->next.t;
		replay_feed(s);
	}
	if (!s->have_next) {
		s->finished = true;
		s->play_t = reducer_time(s->reducer);
	}
	return true;
}

bool session_is_replay(const struct session *s)
{
	return s->replay;
}

const struct rec_header *session_header(const struct session *s)
{
	return s->replay ? &s->header : NULL;
}

void session_speed(struct session *s, int dir)
{
	if (!s->replay)
		return;
	replay_play(s);     /* the clock so far at the old speed */
	if (dir > 0 && s->speed < 4)
		s->speed *= 2;
	else if (dir < 0 && s->speed > 0.25)
		s->speed /= 2;
}

/* ---- ending ------------------------------------------------------------ */

void session_free(struct session *s)
{
	if (!s)
		return;
	/* a run still going gets the same orderly end as a signal: SIGTERM,
	 * a moment to clean up, then SIGKILL */
	if (s->launcher)
		session_stop(s);
	/* an attached tree is left as it was found: what forkscope stopped
	 * (a pause) goes on, and nothing else is signalled */
	if (!s->launcher && !s->replay)
		launcher_continue(&s->stopped);
	free(s->attached);
	/* the sampler's descriptors first: the launcher's last sweep needs
	 * descriptors of its own */
	sampler_free(s->sampler);
	s->sampler = NULL;
	pysource_free(s->pysource);
	for (size_t i = 0; i < s->npending; i++)
		free(s->pending[i].text);
	free(s->pending);
	connector_free(s->connector);
	s->connector = NULL;
	launcher_free(s->launcher);
	pidns_map_free(s->ns);
	frame_release(&s->nsframe);
	for (size_t i = 0; i < s->nqueues; i++)
		mq_unlink(s->queues[i]);   /* usually gone already: ENOENT is fine */
	free(s->queues);
	rec_close(s->writer, NULL, 0);
	rec_reader_free(s->reader);
	if (s->stream)
		fclose(s->stream);
	free(s->file);
	rec_header_free(&s->header);
	reducer_free(s->reducer);
	journal_free(s->journal);
	history_free(s->history);
	timeline_free(s->timeline);
	frame_release(&s->frame);
	pidvec_free(&s->denied);
	stopped_set_free(&s->stopped);
	free(s);
}

bool session_close_record(struct session *s, char *err, size_t errlen)
{
	bool ok = !s->write_failed;

	if (!s->writer)
		return true;
	if (!rec_close(s->writer, err, errlen))
		ok = false;
	else if (!ok)
		snprintf(err, errlen, "%s",
		         _("the recording could not be written whole (is the disk full?)"));
	s->writer = NULL;
	return ok;
}

/* ---- the controller ---------------------------------------------------- */

static void leave_rewind(struct session *s)
{
	s->rewound = false;
	s->cursor_event = SIZE_MAX;
}

/* Lets a held tree go: what the hold stopped, and nothing else. */
static void let_go(struct session *s)
{
	if (!s->holding)
		return;
	s->holding = s->tree_held = false;
	launcher_continue(&s->stopped);
}

/* What news asks for once it is in: a fresh reading after a loss; a pause
 * when a step reached its event; a hold in slow motion (the tree read as
 * the news left it, then stopped); and letting a hold go when its time is
 * up. */
static void settle(struct session *s)
{
	if (s->resync && !s->finished)
		tick(s);
	if (s->step_hit) {
		s->step_hit = s->want_hold = false;
		if (s->stepping) {
			s->stepping = false;
			if (s->news_read != s->news_seen)
				tick(s);
			session_pause(s);
		}
	}
	if (s->want_hold) {
		s->want_hold = false;
		if (s->slow > 0 && !s->paused && !s->killing && !s->finished) {
			/* stopped first: a child that lives a millisecond is caught
			 * alive; the reading then shows the tree as the news left it
			 * (frame.held) */
			if (!s->tree_held)
				launcher_stop_tree(&s->stopped);
			s->holding = s->tree_held = true;
			if (s->news_read != s->news_seen)
				tick(s);
			s->hold_until = session_elapsed(s) + s->slow;
		}
	}
	if (s->holding && (session_elapsed(s) >= s->hold_until || s->paused || s->killing ||
	                   s->finished || s->slow <= 0))
		let_go(s);
}

/* Whether the kernel's news wakes the loop as it comes, rather than
 * waiting in the socket for the next reading or output (its times are the
 * kernel's either way): when slow motion must stop a new child at once,
 * when a step waits for the next event, while paused (a child forked as
 * the tree was being stopped is stopped at once), and when the machine is so busy
 * that the socket could fill up meanwhile. */
static bool wake_for_news(const struct session *s)
{
	return s->connector && (s->slow > 0 || s->stepping || s->paused ||
	                        connector_busy(s->connector));
}

bool session_step(struct session *s, double max_wait, int wake_fd)
{
	/* a second's lines reach the file even while nothing is observed */
	rec_poll(s->writer);
	if (s->replay) {
		bool any = replay_play(s);
		if (!any) {
			/* until the next observation is due, or a key */
			double wait = max_wait;
			if (s->have_next && !s->paused && !s->finished) {
				double due = (s->next.t - s->play_t) / s->speed;
				if (due < wait)
					wait = due > 0 ? due : 0;
			}
			struct pollfd pfd = { .fd = wake_fd, .events = POLLIN };
			poll(&pfd, wake_fd >= 0 ? 1 : 0, (int)(wait * 1000.0 + 0.5));
			any = replay_play(s);
		}
		return any;
	}

	size_t before = history_count(s->history);
	drain_news(s);
	settle(s);
	double now = session_elapsed(s);
	/* a held tree is read once, as the news left it: not while stopped */
	bool ticking = (!s->paused && !s->holding) || s->killing;

	/* one reading of the frozen tree, once SIGSTOP has reached everyone,
	 * so the screen shows them stopped */
	if (s->paused && !s->killing && !s->pause_read &&
	    now_seconds() - s->paused_wall >= PAUSE_SETTLE) {
		s->pause_read = true;
		tick(s);
		return true;
	}
	if (s->finished) {
		/* nothing runs any more */
		struct pollfd pfd = { .fd = wake_fd, .events = POLLIN };
		poll(&pfd, wake_fd >= 0 ? 1 : 0, (int)(max_wait * 1000.0));
		return false;
	}
	if (!ticking || now < s->next_tick) {
		double wait = ticking ? s->next_tick - now : max_wait;
		if (s->paused && !s->pause_read)
			wait = PAUSE_SETTLE;
		if (s->holding && s->hold_until - now < wait)
			wait = s->hold_until - now;
		if (wait > max_wait)
			wait = max_wait;
		/* the pty only while this tick's output budget lasts */
		struct pollfd pfd[3] = {
			{ .fd = may_read_output(s) ? launcher_fd(s->launcher) : -1, .events = POLLIN },
			{ .fd = wake_fd, .events = POLLIN },
			{ .fd = wake_for_news(s) ? connector_fd(s->connector) : -1, .events = POLLIN },
		};
		int ms = (int)(wait * 1000.0 + 0.5);
		if (ms < 0)
			ms = 0;
		if (poll(pfd, 3, ms) > 0) {
			/* the news first: a process is told of before what it prints */
			if ((pfd[2].revents & POLLIN) || (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)))
				drain_news(s);
			if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR))
				read_output(s);
			settle(s);
		}
		now = session_elapsed(s);
		ticking = (!s->paused && !s->holding) || s->killing;
	}
	if (ticking && now >= s->next_tick) {
		tick(s);     /* it reads the output that came in first */
		double interval = s->killing && s->opts.interval > KILL_TICK ? KILL_TICK
		                                                             : s->opts.interval;
		s->next_tick += interval;
		if (s->next_tick < now)
			s->next_tick = now + interval;
		if (s->stepping && reducer_lifecycle(s->reducer) > s->step_from) {
			s->stepping = false;
			session_pause(s);
		}
		return true;
	}
	return history_count(s->history) != before;
}

void session_pause(struct session *s)
{
	if (s->paused || s->killing || s->finished)
		return;
	s->stepping = false;
	if (s->replay) {
		replay_play(s);
		s->paused = true;
		return;
	}
	if (s->nattached) {
		/* not our processes: only where every one of them may be stopped
		 * (the views ask first, and say why not: session_may_stop()) */
		char why[256];
		if (!session_may_stop(s, why, sizeof(why)))
			return;
		stop_attached(s);
	} else {
		/* the pause holds what a hold stopped, and the rest */
		launcher_stop_tree(&s->stopped);
	}
	s->holding = s->tree_held = false;
	s->paused_at = session_elapsed(s);
	s->paused_wall = now_seconds();
	s->paused = true;
	s->pause_read = false;
}

void session_resume(struct session *s)
{
	leave_rewind(s);
	if (!s->paused)
		return;
	s->paused = false;
	if (s->replay) {
		s->play_wall = now_seconds();
		return;
	}
	s->paused_total += now_seconds() - s->paused_wall;
	launcher_continue(&s->stopped);
	s->next_tick = session_elapsed(s);
}

bool session_paused(const struct session *s)
{
	return s->paused;
}

void session_step_event(struct session *s)
{
	if (s->finished)
		return;
	s->step_from = reducer_lifecycle(s->reducer);
	session_resume(s);
	let_go(s);      /* a hold of slow motion too: the step goes on now */
	s->stepping = true;
	s->step_hit = false;    /* (what an earlier step reached is not this one's) */
}

bool session_stepping(const struct session *s)
{
	return s->stepping;
}

void session_set_slow(struct session *s, double secs)
{
	if (s->replay || s->nattached)
		return;
	s->slow = secs > 0 ? secs : 0;
	if (s->slow <= 0)
		let_go(s);
}

double session_slow(const struct session *s)
{
	return s->slow;
}

bool session_pid1(const struct session *s, const char **why)
{
	if (why)
		*why = s->pid1_refused;
	return s->ns != NULL || (s->replay && s->header.pidns);
}

bool session_news(const struct session *s, const char **why)
{
	if (why)
		*why = s->polling;
	return s->news;
}

void session_set_threads(struct session *s, bool on)
{
	if (s->sampler)
		sampler_set_threads(s->sampler, on);
}

bool session_finished(const struct session *s)
{
	return s->finished;
}

void session_end(struct session *s)
{
	/* a replay has its recorded end, when the recording has one */
	if (s->replay || reducer_ended(s->reducer))
		return;
	struct obs o = { .type = OBS_END, .t = session_elapsed(s) };
	if (o.t < reducer_time(s->reducer))
		o.t = reducer_time(s->reducer);
	/* the ones that would not die were not killed */
	o.killed = s->killed > s->survivors ? s->killed - s->survivors : 0;
	o.unkillable = s->survivors;
	feed(s, &o);
}

void session_kill(struct session *s)
{
	struct tracker_stats st;

	if (s->killing || s->replay)
		return;
	leave_rewind(s);
	if (s->nattached) {
		/* An attached tree is not ours: quitting lets it go on as it was
		 * (what a pause stopped is continued, exactly that), and is not
		 * told as a kill.  The run is over for forkscope. */
		if (s->paused)
			s->paused_total += now_seconds() - s->paused_wall;
		launcher_continue(&s->stopped);
		s->paused = s->stepping = false;
		s->finished = true;
		return;
	}
	tracker_stats(reducer_tracker(s->reducer), &st);
	s->killed = st.running;
	if (s->paused)
		s->paused_total += now_seconds() - s->paused_wall;
	/* Signal everything but do not reap here: the next ticks see the
	 * zombies and record each death, then reap them. */
	s->killing = true;
	s->kill_at = session_elapsed(s);
	struct obs o = { .type = OBS_KILL, .t = s->kill_at };
	if (o.t < reducer_time(s->reducer))
		o.t = reducer_time(s->reducer);
	feed(s, &o);
	/* the next reading soon, whatever --interval says */
	if (s->next_tick > s->kill_at + KILL_TICK)
		s->next_tick = s->kill_at + KILL_TICK;
	launcher_signal_tree(SIGTERM, &s->denied);
	/* a stopped process must run to handle SIGTERM */
	launcher_signal_tree(SIGCONT, NULL);
	/* a stopped process dies of SIGKILL all the same; no SIGCONT needed */
	s->paused = false;
	s->stepping = false;
	s->holding = s->tree_held = false;
	s->stopped.n = 0;     /* all were sent SIGCONT above */
}

void session_stop(struct session *s)
{
	if (!s || s->finished || s->replay)
		return;
	session_kill(s);
	while (!s->finished)     /* bounded: TEARDOWN_MAX */
		session_step(s, 0.05, -1);
}

/* ---- rewinding ------------------------------------------------------------ */

/* The latest time there is: now, or the end of a run that is over. */
static double latest(const struct session *s)
{
	if (s->finished && !s->replay)
		return reducer_time(s->reducer);
	return session_elapsed(s);
}

/* The oldest moment that can be shown whole: kept by the journal, and with
 * its events still in the history. */
static double reach(const struct session *s)
{
	double r = journal_reach(s->journal);
	const struct history *h = s->history;

	if (history_first(h) > 0 && history_first(h) < history_count(h) &&
	    history_at(h, history_first(h))->t > r)
		r = history_at(h, history_first(h))->t;
	return r;
}

/* The oldest event whose moment can be rebuilt: still in the history, and
 * brought in by an observation the journal keeps. */
static size_t first_event(const struct session *s)
{
	size_t e = journal_first_event(s->journal);

	return e > history_first(s->history) ? e : history_first(s->history);
}

/* The newest lifecycle event below upto (and at or after first_event()),
 * or SIZE_MAX: rewinding steps by these (event_lifecycle()). */
static size_t lifecycle_before(const struct session *s, size_t upto)
{
	const struct history *h = s->history;
	size_t floor = first_event(s);

	if (upto > floor + EVENT_SCAN)
		floor = upto - EVENT_SCAN;
	for (size_t i = upto; i-- > floor;)
		if (event_lifecycle(history_at(h, i)))
			return i;
	return SIZE_MAX;
}

/* The oldest lifecycle event numbered from on, or SIZE_MAX. */
static size_t lifecycle_from(const struct session *s, size_t from)
{
	const struct history *h = s->history;
	size_t end = history_count(h);

	if (from < first_event(s))
		from = first_event(s);
	if (end > from + EVENT_SCAN)
		end = from + EVENT_SCAN;
	for (size_t i = from; i < end; i++)
		if (event_lifecycle(history_at(h, i)))
			return i;
	return SIZE_MAX;
}

/* Shows the moment of event e. */
static bool rewind_to_event(struct session *s, size_t e)
{
	struct journal_pos p;

	if (e == SIZE_MAX || e < first_event(s) || !journal_find_event(s->journal, e, &p))
		return false;
	if (!journal_rebuild(s->journal, &p))
		return false;
	s->rewound = true;
	s->cursor_pos = p;
	s->cursor_event = e;
	s->cursor_t = history_at(s->history, e)->t;
	return true;
}

/* Shows the moment at time t (the model of the last observation by then). */
static bool rewind_to_time(struct session *s, double t)
{
	struct journal_pos p;

	if (t >= latest(s)) {
		bool was = s->rewound;
		leave_rewind(s);
		return was;
	}
	if (t < reach(s))
		t = reach(s);
	if (!journal_find_time(s->journal, t, &p))
		return false;
	if (!journal_rebuild(s->journal, &p))
		return false;
	s->rewound = true;
	s->cursor_pos = p;
	s->cursor_event = SIZE_MAX;
	s->cursor_t = t;
	return true;
}

/* The event the caption tells now: the cursor, or the newest tellable one
 * of the moment shown. */
static size_t caption_event(const struct session *s)
{
	if (s->rewound && s->cursor_event != SIZE_MAX)
		return s->cursor_event;
	size_t upto = history_count(s->history);
	if (s->rewound) {
		struct journal_pos p;
		upto = journal_find_time(s->journal, s->cursor_t, &p) ? journal_events(s->journal, &p)
		                                                      : first_event(s);
	}
	return lifecycle_before(s, upto);
}

bool session_rewind(struct session *s, enum rewind_move move)
{
	/* a running world is frozen first: the past is looked at standing still */
	if (!s->finished && !s->paused && move != REWIND_NOW) {
		if (s->killing)
			return false;
		session_pause(s);
		/* (an attached tree that may not be stopped is not paused) */
		if (!s->paused)
			return false;
	}
	double at = s->rewound ? s->cursor_t : latest(s);
	size_t e = caption_event(s);

	switch (move) {
	case REWIND_EVENT_BACK:
		/* from now: the event before the one the caption tells */
		return rewind_to_event(s, e == SIZE_MAX ? SIZE_MAX : lifecycle_before(s, e));
	case REWIND_EVENT_FWD: {
		size_t next = lifecycle_from(s, e != SIZE_MAX ? e + 1 : 0);
		if (s->rewound && next != SIZE_MAX && rewind_to_event(s, next))
			return true;
		if (s->rewound) {
			leave_rewind(s);
			return true;
		}
		/* at now in a replay: on to its next lifecycle event at once, and
		 * still paused there */
		if (s->replay && !s->finished) {
			bool found = false;
			while (s->have_next && !found) {
				size_t from = history_count(s->history);
				replay_feed(s);
				for (size_t i = from; i < history_count(s->history) && !found; i++)
					found = event_lifecycle(history_at(s->history, i));
			}
			s->play_t = reducer_time(s->reducer);
			s->paused = true;
			s->stepping = false;
			replay_play(s);     /* (the end of the recording, when it is) */
			return true;
		}
		return false;
	}
	case REWIND_SECOND_BACK:
		return rewind_to_time(s, at - 1.0);
	case REWIND_SECOND_FWD:
		return s->rewound && rewind_to_time(s, at + 1.0);
	case REWIND_START: {
		/* the oldest lifecycle event kept: the first moment with a process
		 * in it (output may come before the first reading) */
		return rewind_to_event(s, lifecycle_from(s, 0));
	}
	case REWIND_NOW: {
		bool was = s->rewound;
		leave_rewind(s);
		return was;
	}
	}
	return false;
}

bool session_rewound(const struct session *s)
{
	return s->rewound;
}

void session_moment(struct session *s, struct moment *m)
{
	/* the rebuilt model (kept by the journal: no work when it is the last
	 * one built); a moment the journal no longer keeps is left for now */
	const struct reducer *rd = s->rewound ? journal_rebuild(s->journal, &s->cursor_pos) : NULL;
	if (s->rewound && (!rd || (s->cursor_event != SIZE_MAX &&
	                           s->cursor_event < history_first(s->history))))
		leave_rewind(s);
	if (!s->rewound)
		rd = s->reducer;

	memset(m, 0, sizeof(*m));
	m->now = latest(s);
	m->tracker = reducer_tracker(rd);
	m->frame = reducer_frame(rd);
	m->history = s->history;
	m->timeline = s->timeline;
	m->tombstone_secs = s->opts.tombstone_secs;
	m->started = s->started;
	m->speed = s->speed;
	m->slow = s->slow;
	m->holding = s->holding;
	m->news = s->news;
	m->reach = reach(s);
	if (s->rewound) {
		m->t = s->cursor_t;
		if (s->cursor_event != SIZE_MAX) {
			m->upto = s->cursor_event + 1;
			m->cursor = history_at(s->history, s->cursor_event);
		} else {
			struct journal_pos p;
			m->upto = journal_find_time(s->journal, s->cursor_t, &p)
			          ? journal_events(s->journal, &p) : history_first(s->history);
		}
		if (m->upto < history_first(s->history))
			m->upto = history_first(s->history);
	} else {
		m->t = m->now;
		m->upto = history_count(s->history);
		m->final = s->finished;
	}
	m->replay = s->replay;
	m->recording = s->writer && !s->write_failed;
	if (s->rewound)
		m->mode = MODE_REWIND;
	else if (s->replay)
		m->mode = s->finished ? MODE_ENDED : !s->paused ? MODE_REPLAY : MODE_REPLAY_PAUSED;
	else if (s->finished)
		m->mode = MODE_ENDED;
	else if (s->stepping)
		m->mode = MODE_STEP;
	else if (s->paused)
		m->mode = MODE_PAUSED;
	else
		m->mode = MODE_LIVE;
	session_dropped(s, &m->dropped_events, &m->dropped_output, &m->dropped_lifelines);
}

/* ---- what the views and tests read ------------------------------------- */

pid_t session_root(const struct session *s)
{
	if (s->replay)
		return s->header.root;
	return s->ns ? PIDNS_INIT : launcher_pid(s->launcher);
}

const struct history *session_history(const struct session *s)
{
	return s->history;
}

const struct tracker *session_tracker(const struct session *s)
{
	return reducer_tracker(s->reducer);
}

void session_dropped(const struct session *s, unsigned long *events, unsigned long *output,
                     unsigned long *lifelines)
{
	history_dropped(s->history, events, output);
	*lifelines = timeline_dropped(s->timeline);
}

int session_survivors(const struct session *s, char *buf, size_t len)
{
	enum { NAMED = 5 };     /* the rest are counted: the line stays one line */
	size_t n, used = 0;
	const struct proc_record *rec = tracker_records(reducer_tracker(s->reducer), &n);
	int count = 0;
	bool refused = false;
	pid_t first = 0;
	char names[512] = "";

	if (len)
		buf[0] = '\0';
	if (!s->survivors)
		return 0;
	/* the PIDs that refused, as a set: the kill rounds add them again and again */
	struct intmap denied = { 0 };
	for (size_t k = 0; k < s->denied.n; k++)
		intmap_put(&denied, (unsigned long long)s->denied.v[k], 1);
	for (size_t i = 0; i < n; i++) {
		const struct proc_record *r = &rec[i];
		if (r->is_self || r->phase != PHASE_ALIVE)
			continue;
		/* what the user may kill is the host's PID (a namespace's is
		 * only a name inside it) */
		pid_t host = r->host ? r->host : r->pid;
		refused |= intmap_get(&denied, (unsigned long long)host) >= 0;
		if (!count++)
			first = host;
		if (count <= NAMED && used + 1 < sizeof(names)) {
			/* TRANSLATORS: what goes between two processes in a list
			 * of them ("123 (sleep), 124 (sh)") */
			const char *comma = _(", ");
			int w = snprintf(names + used, sizeof(names) - used, "%s%d (%s)",
			                 count > 1 ? comma : "", (int)host, tracker_name(r));
			used += w > 0 ? (size_t)w : 0;
			if (used >= sizeof(names))
				used = sizeof(names) - 1;
		}
	}
	intmap_free(&denied);
	/* names: the first NAMED; the others are counted */
	if (refused && count > NAMED)
		/* TRANSLATORS: said after "could not end ", the first %s a list
		 * of processes ("123 (sleep), 124 (sh)"), %d how many more there
		 * are; the last %d a PID (as in the messages below) */
		snprintf(buf, len, P_("%s and %d more: not allowed to signal them (another user's, "
		                      "or a setuid program); end them as that user or with: sudo "
		                      "kill %d",
		                      "%s and %d more: not allowed to signal them (another user's, "
		                      "or a setuid program); end them as that user or with: sudo "
		                      "kill %d", count - NAMED),
		         names, count - NAMED, (int)first);
	else if (refused)
		snprintf(buf, len, P_("%s: not allowed to signal it (another user's, or a setuid "
		                      "program); end it as that user or with: sudo kill %d",
		                      "%s: not allowed to signal them (another user's, or a setuid "
		                      "program); end them as that user or with: sudo kill %d",
		                      count),
		         names, (int)first);
	else if (count > NAMED)
		snprintf(buf, len, P_("%s and %d more: still alive %.0f s after SIGKILL (stuck in "
		                      "the kernel?); see: ps -o pid,stat,wchan -p %d",
		                      "%s and %d more: still alive %.0f s after SIGKILL (stuck in "
		                      "the kernel?); see: ps -o pid,stat,wchan -p %d",
		                      count - NAMED),
		         names, count - NAMED, TEARDOWN_MAX, (int)first);
	else
		snprintf(buf, len, _("%s: still alive %.0f s after SIGKILL (stuck in the kernel?); "
		         "see: ps -o pid,stat,wchan -p %d"), names, TEARDOWN_MAX, (int)first);
	return count;
}

void session_opts_init(struct session_opts *o, double interval, size_t memory,
                       double history_secs)
{
	memset(o, 0, sizeof(*o));
	o->interval = interval > 0 ? interval : 0.1;
	/* a reaped process stays in view this long, so its leaving is seen */
	o->tombstone_secs = 3.0;
	o->cols = 80;
	o->rows = 24;
	o->memory = memory;
	o->history_secs = history_secs;
	o->tempo = 1;
	o->python_hook = true;
}
