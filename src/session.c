/*
 * session.c - the tick loop shared by every view.
 */
#include "session.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <mqueue.h>

#include "intmap.h"
#include "launcher.h"
#include "sampler.h"
#include "util.h"

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
/* Output lines that may wait for the next tick (see flush_pending()). */
#define PENDING_LINES 512
/* While ending the tree, readings come at least this often, whatever
 * --interval says: SIGKILL follows SIGTERM on time, and what would not die
 * is judged from a fresh reading. */
#define KILL_TICK 0.1

struct session {
	struct session_opts opts;
	struct launcher *launcher;
	struct sampler *sampler;
	struct tracker *tracker;
	struct history *history;
	struct history *scratch;  /* this tick's events, before they are ordered */
	struct history *pending;  /* output read since the last tick */
	struct timeline *timeline;
	struct frame frame;
	double t0;
	double next_tick;
	double gone_since;        /* when the tree was first seen empty; -1 */
	bool children_left;
	bool killing;             /* session_kill() was called */
	bool paused;
	double paused_at;
	bool pause_read;          /* the frozen tree has been read once */
	bool stepping;            /* paused again at the next lifecycle event */
	unsigned long lifecycle;  /* events other than output appended so far */
	unsigned long step_from;  /* lifecycle when the step began */
	bool finished;
	int killed;               /* alive when session_kill() was called */
	double kill_at;           /* when SIGTERM was sent */
	char (*queues)[CHAN_NAME_MAX];   /* the demos' queues seen ("/fs-..."), to clean up */
	size_t nqueues;
	size_t budget_bytes;      /* output still to be read this tick */
	long budget_lines;
	bool told_dropped;        /* the "dropped" event was appended */
	size_t pending_bytes;     /* what output may wait for the tick, in bytes */
	struct pidvec denied;     /* refused our signals (EPERM) while ending */
	int survivors;            /* still alive when the teardown gave up */
};

/* Output waits for the next tick, which places it among that tick's
 * events (see order_tick()). */
static void add_output(void *ctx, const char *text, unsigned long long cut, bool partial)
{
	struct session *s = ctx;
	struct event ev = event_make(EV_OUTPUT, session_elapsed(s));

	ev.text = text;
	ev.cut = cut;
	ev.partial = partial;
	history_append(s->pending, &ev);
	s->budget_lines--;
}

static void flush_pending(struct session *s);

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
	flush_pending(s);
	s->budget_bytes -= got < s->budget_bytes ? got : s->budget_bytes;
}

static bool may_read_output(const struct session *s)
{
	return launcher_fd(s->launcher) >= 0 && s->budget_lines > 0 && s->budget_bytes > 0;
}

/* Says once, when the cap is first reached, that old events are being
 * dropped; session_dropped() has the counts from then on. */
static void tell_dropped(struct session *s, double t)
{
	unsigned long events, output;

	if (s->told_dropped)
		return;
	history_dropped(s->history, &events, &output);
	unsigned long lines = timeline_dropped(s->timeline);
	if (!events && !lines)
		return;
	s->told_dropped = true;
	struct event ev = event_make(EV_DROPPED, t);
	ev.dropped_events = events;
	ev.dropped_output = output;
	ev.dropped_lifelines = lines;
	history_append(s->history, &ev);
}

static bool is_birth(enum event_type type)
{
	return type == EV_SPAWN || type == EV_EXEC || type == EV_TITLE;
}

/* Polling learns of a tick's events together, after the fact, and of the
 * output as soon as it is printed.  Told in the order that is true far more
 * often than not: births (a process must exist to print), then what was
 * printed, then deaths and adoptions (a process prints before it exits).
 * Everything of a tick carries the tick's time. */
static void order_tick(struct session *s, double t)
{
	for (size_t i = 0; i < history_count(s->scratch); i++)
		if (is_birth(history_at(s->scratch, i)->type))
			history_append(s->history, history_at(s->scratch, i));
	for (size_t i = 0; i < history_count(s->pending); i++) {
		struct event ev = *history_at(s->pending, i);
		ev.t = t;     /* placed among the tick's events, so at its time */
		history_append(s->history, &ev);
	}
	for (size_t i = 0; i < history_count(s->scratch); i++)
		if (!is_birth(history_at(s->scratch, i)->type))
			history_append(s->history, history_at(s->scratch, i));
	/* the tracker's events are all lifecycle events, never output */
	s->lifecycle += history_count(s->scratch);
	history_clear(s->scratch);
	history_clear(s->pending);
}

/* Output waiting for the tick goes into the history before the tick when
 * there is much of it (a flood, a long --interval): what waits is bounded,
 * and no view falls behind the history's cap.  Such output is told before
 * the births of the coming tick: only under a flood. */
static void flush_pending(struct session *s)
{
	if (history_count(s->pending) < PENDING_LINES && history_bytes(s->pending) < s->pending_bytes)
		return;
	/* at the last reading's time: never earlier than what is already told */
	double t = s->frame.t;
	for (size_t i = 0; i < history_count(s->pending); i++) {
		struct event ev = *history_at(s->pending, i);
		ev.t = t;
		history_append(s->history, &ev);
	}
	history_clear(s->pending);
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

static void tick(struct session *s)
{
	struct tracker_stats st;

	/* SIGTERM first, so demos can remove their queues and files; whatever
	 * still runs after KILL_GRACE gets SIGKILL, again each tick (a process
	 * forked during the last sweep was missed) */
	if (s->killing && session_elapsed(s) - s->kill_at >= KILL_GRACE)
		launcher_signal_tree(SIGKILL, &s->denied);
	sampler_scan(s->sampler, &s->frame);
	s->frame.t = session_elapsed(s);
	s->frame.root = launcher_pid(s->launcher);
	/* Reap after reading, so a child of ours that died is in this frame
	 * (as a zombie) with its reap note, and its exit status is exact; the
	 * tracker tells it as reaped at once, since forkscope waits at once. */
	s->children_left = launcher_reap(&s->frame);
	read_output(s);
	launcher_flush_idle(s->launcher, s->frame.t, add_output, s);
	remember_queues(s);
	tracker_apply(s->tracker, &s->frame, s->scratch);
	order_tick(s, s->frame.t);
	timeline_update(s->timeline, s->tracker, s->frame.t);
	tell_dropped(s, s->frame.t);
	tracker_stats(s->tracker, &st);
	/* the next tick's output budget */
	s->budget_bytes = (size_t)(OUTPUT_BYTES_PER_SEC * s->opts.interval) + 1;
	s->budget_lines = (long)(OUTPUT_LINES_PER_SEC * s->opts.interval) + 1;
	if (!s->children_left && st.alive == 0) {
		if (s->gone_since < 0)
			s->gone_since = s->frame.t;
		read_output(s);
		order_tick(s, s->frame.t);
		if (launcher_fd(s->launcher) < 0 || s->frame.t - s->gone_since > OUTPUT_GRACE)
			s->finished = true;
	} else if (s->killing && s->frame.t - s->kill_at > TEARDOWN_MAX) {
		/* what is still alive now refused to die: give up on it, and say so */
		s->survivors = st.running;
		s->finished = true;
	}
}

struct session *session_start(char *const argv[], const struct session_opts *o,
                              char *err, size_t errlen)
{
	struct session *s = xcalloc(1, sizeof(*s));

	s->opts = *o;
	s->gone_since = -1;
	s->children_left = true;
	frame_init(&s->frame);
	s->t0 = now_seconds();
	s->sampler = sampler_new(getpid(), err, errlen);
	if (!s->sampler)
		goto fail;
	s->launcher = launcher_start(argv, o->cols, o->rows, err, errlen);
	if (!s->launcher)
		goto fail;
	s->tracker = tracker_new(getpid(), launcher_pid(s->launcher), NULL);
	size_t cap = o->memory ? o->memory : SESSION_MEMORY_DEFAULT;
	/* most of the memory for events and output; lifelines are smaller */
	s->history = history_new(cap / 4 * 3);
	s->scratch = history_new(0);
	s->pending = history_new(0);
	s->timeline = timeline_new(cap / 4);
	/* (a history's empty block counts too: about 200 KiB) */
	s->pending_bytes = cap / 16 + ((size_t)256 << 10);
	s->budget_bytes = (size_t)(OUTPUT_BYTES_PER_SEC * o->interval) + 1;
	s->budget_lines = (long)(OUTPUT_LINES_PER_SEC * o->interval) + 1;
	tick(s);
	s->next_tick = session_elapsed(s) + o->interval;
	return s;
fail:
	session_free(s);
	return NULL;
}

void session_free(struct session *s)
{
	if (!s)
		return;
	/* a run still going gets the same orderly end as a signal: SIGTERM,
	 * a moment to clean up, then SIGKILL */
	if (s->launcher)
		session_stop(s);
	/* the sampler's descriptors first: the launcher's last sweep needs
	 * descriptors of its own */
	sampler_free(s->sampler);
	s->sampler = NULL;
	launcher_free(s->launcher);
	for (size_t i = 0; i < s->nqueues; i++)
		mq_unlink(s->queues[i]);   /* usually gone already: ENOENT is fine */
	free(s->queues);
	tracker_free(s->tracker);
	history_free(s->history);
	history_free(s->scratch);
	history_free(s->pending);
	timeline_free(s->timeline);
	frame_release(&s->frame);
	pidvec_free(&s->denied);
	free(s);
}

/* Whether a step has reached its lifecycle event. */
static bool step_done(const struct session *s)
{
	return s->lifecycle > s->step_from;
}

bool session_step(struct session *s, double max_wait, int wake_fd)
{
	size_t before = history_count(s->history);
	double now = session_elapsed(s);
	bool ticking = !s->paused || s->killing;

	/* one reading of the frozen tree, once SIGSTOP has reached everyone,
	 * so the screen shows them stopped */
	if (s->paused && !s->killing && !s->pause_read && now - s->paused_at >= PAUSE_SETTLE) {
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
		if (wait > max_wait)
			wait = max_wait;
		/* the pty only while this tick's output budget lasts */
		struct pollfd pfd[2] = {
			{ .fd = may_read_output(s) ? launcher_fd(s->launcher) : -1, .events = POLLIN },
			{ .fd = wake_fd, .events = POLLIN },
		};
		int ms = (int)(wait * 1000.0 + 0.5);
		if (ms < 0)
			ms = 0;
		if (poll(pfd, 2, ms) > 0 && (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)))
			read_output(s);
		now = session_elapsed(s);
	}
	if (ticking && now >= s->next_tick) {
		tick(s);     /* it reads the output that came in first */
		double interval = s->killing && s->opts.interval > KILL_TICK ? KILL_TICK
		                                                             : s->opts.interval;
		s->next_tick += interval;
		if (s->next_tick < now)
			s->next_tick = now + interval;
		if (s->stepping && step_done(s)) {
			s->stepping = false;
			session_pause(s);
		}
		return true;
	}
	return history_count(s->history) != before;
}

void session_pause(struct session *s)
{
	if (s->paused || s->killing)
		return;
	launcher_stop_tree();
	s->paused = true;
	s->paused_at = session_elapsed(s);
	s->pause_read = false;
	s->stepping = false;
}

void session_resume(struct session *s)
{
	if (!s->paused)
		return;
	launcher_signal_tree(SIGCONT, NULL);
	s->paused = false;
	s->next_tick = session_elapsed(s);
}

bool session_paused(const struct session *s)
{
	return s->paused;
}

void session_step_event(struct session *s)
{
	s->step_from = s->lifecycle;
	session_resume(s);
	s->stepping = true;
}

bool session_stepping(const struct session *s)
{
	return s->stepping;
}

void session_set_threads(struct session *s, bool on)
{
	sampler_set_threads(s->sampler, on);
}

bool session_finished(const struct session *s)
{
	return s->finished;
}

void session_end(struct session *s)
{
	struct tracker_stats st;
	struct event ev = event_make(EV_END, session_elapsed(s));

	tracker_stats(s->tracker, &st);
	ev.processes = st.processes;
	ev.max_alive = st.max_alive;
	ev.zombies = st.zombies;
	ev.orphans = st.orphans;
	/* the ones that would not die were not killed */
	ev.killed = s->killed > s->survivors ? s->killed - s->survivors : 0;
	ev.unkillable = s->survivors;
	history_dropped(s->history, &ev.dropped_events, &ev.dropped_output);
	ev.dropped_lifelines = timeline_dropped(s->timeline);
	history_append(s->history, &ev);
}

void session_kill(struct session *s)
{
	struct tracker_stats st;

	if (s->killing)
		return;
	tracker_stats(s->tracker, &st);
	s->killed = st.running;
	tracker_set_teardown(s->tracker);
	/* Signal everything but do not reap here: the next ticks see the
	 * zombies and record each death, then reap them. */
	s->killing = true;
	s->kill_at = session_elapsed(s);
	/* the next reading soon, whatever --interval says */
	if (s->next_tick > s->kill_at + KILL_TICK)
		s->next_tick = s->kill_at + KILL_TICK;
	launcher_signal_tree(SIGTERM, &s->denied);
	/* a stopped process must run to handle SIGTERM */
	launcher_signal_tree(SIGCONT, NULL);
	/* a stopped process dies of SIGKILL all the same; no SIGCONT needed */
	s->paused = false;
	s->stepping = false;
}

double session_elapsed(const struct session *s)
{
	return now_seconds() - s->t0;
}

pid_t session_root(const struct session *s)
{
	return launcher_pid(s->launcher);
}

const struct history *session_history(const struct session *s)
{
	return s->history;
}

const struct tracker *session_tracker(const struct session *s)
{
	return s->tracker;
}

const struct timeline *session_timeline(const struct session *s)
{
	return s->timeline;
}

const struct frame *session_frame(const struct session *s)
{
	return &s->frame;
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
	const struct proc_record *rec = tracker_records(s->tracker, &n);
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
		refused |= intmap_get(&denied, (unsigned long long)r->pid) >= 0;
		if (!count++)
			first = r->pid;
		if (count <= NAMED && used + 1 < sizeof(names)) {
			int w = snprintf(names + used, sizeof(names) - used, "%s%d (%s)",
			                 count > 1 ? ", " : "", (int)r->pid, tracker_name(r));
			used += w > 0 ? (size_t)w : 0;
			if (used >= sizeof(names))
				used = sizeof(names) - 1;
		}
	}
	intmap_free(&denied);
	char more[48] = "";
	if (count > NAMED)
		snprintf(more, sizeof(more), " and %d more", count - NAMED);
	if (refused)
		snprintf(buf, len, "%s%s: not allowed to signal %s (another user's, or a setuid "
		         "program); end %s as that user or with: sudo kill %d", names, more,
		         count > 1 ? "them" : "it", count > 1 ? "them" : "it", (int)first);
	else
		snprintf(buf, len, "%s%s: still alive %.0f s after SIGKILL (stuck in the kernel?); "
		         "see: ps -o pid,stat,wchan -p %d", names, more, TEARDOWN_MAX, (int)first);
	return count;
}

void session_stop(struct session *s)
{
	if (!s || s->finished)
		return;
	session_kill(s);
	while (!s->finished)     /* bounded: TEARDOWN_MAX */
		session_step(s, 0.05, -1);
}

/* ---- not yet: the time machine (stubs while the engine moves) ---- */

void session_moment(struct session *s, struct moment *m)
{
	memset(m, 0, sizeof(*m));
	m->now = session_elapsed(s);
	m->t = s->finished && history_count(s->history)
	       ? history_at(s->history, history_count(s->history) - 1)->t : m->now;
	m->tracker = s->tracker;
	m->frame = &s->frame;
	m->history = s->history;
	m->upto = history_count(s->history);
	m->timeline = s->timeline;
	m->tombstone_secs = s->opts.tombstone_secs;
	m->final = s->finished;
	m->mode = s->finished ? MODE_ENDED : s->stepping ? MODE_STEP : s->paused ? MODE_PAUSED
	                                                                      : MODE_LIVE;
	m->speed = 1;
	session_dropped(s, &m->dropped_events, &m->dropped_output, &m->dropped_lifelines);
}

bool session_rewind(struct session *s, enum rewind_move move)
{
	(void)s;
	(void)move;
	return false;
}

bool session_rewound(const struct session *s)
{
	(void)s;
	return false;
}

struct session *session_replay(const char *path, const struct session_opts *o, char *err,
                               size_t errlen)
{
	(void)path;
	(void)o;
	snprintf(err, errlen, "replay is not built yet");
	return NULL;
}

bool session_is_replay(const struct session *s)
{
	(void)s;
	return false;
}

const struct rec_header *session_header(const struct session *s)
{
	(void)s;
	return NULL;
}

void session_speed(struct session *s, int dir)
{
	(void)s;
	(void)dir;
}
