/*
 * session.c - the tick loop shared by every view.
 */
#include "session.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "launcher.h"
#include "sampler.h"
#include "util.h"

/* After the last process is gone, how long to wait for the pty to report
 * the end of output before giving up on it. */
#define OUTPUT_GRACE 0.5

struct session {
	struct session_opts opts;
	struct launcher *launcher;
	struct sampler *sampler;
	struct tracker *tracker;
	struct history *history;
	struct frame frame;
	double t0;
	double next_tick;
	double gone_since;        /* when the tree was first seen empty; -1 */
	bool children_left;
	bool killing;             /* session_kill() was called */
	bool finished;
};

static void add_output(void *ctx, const char *text)
{
	struct session *s = ctx;
	struct event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = EV_OUTPUT;
	ev.t = session_elapsed(s);
	ev.status = ev.signal = -1;
	str_copy(ev.text, sizeof(ev.text), text);
	history_append(s->history, &ev);
}

static void tick(struct session *s)
{
	struct tracker_stats st;

	/* again each tick: a process forked during the last sweep was missed */
	if (s->killing)
		launcher_signal_tree(SIGKILL);
	sampler_scan(s->sampler, &s->frame);
	s->frame.t = session_elapsed(s);
	s->frame.root = launcher_pid(s->launcher);
	/* Reap after reading: a child of ours that died is seen as a zombie
	 * at least once before it goes. */
	s->children_left = launcher_reap(&s->frame);
	tracker_apply(s->tracker, &s->frame, s->history);
	tracker_stats(s->tracker, &st);
	if (!s->children_left && st.alive == 0) {
		if (s->gone_since < 0)
			s->gone_since = s->frame.t;
		if (launcher_fd(s->launcher) >= 0)
			launcher_read(s->launcher, add_output, s);
		if (launcher_fd(s->launcher) < 0 || s->frame.t - s->gone_since > OUTPUT_GRACE)
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
	s->tracker = tracker_new(getpid(), launcher_pid(s->launcher), o->tombstone_secs);
	s->history = history_new();
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
	launcher_free(s->launcher);
	sampler_free(s->sampler);
	tracker_free(s->tracker);
	history_free(s->history);
	frame_release(&s->frame);
	free(s);
}

bool session_step(struct session *s, double max_wait)
{
	size_t before = history_count(s->history);
	double now = session_elapsed(s);

	if (s->finished)
		return false;
	if (now < s->next_tick) {
		double wait = s->next_tick - now;
		if (wait > max_wait)
			wait = max_wait;
		struct pollfd pfd = { .fd = launcher_fd(s->launcher), .events = POLLIN };
		int ms = (int)(wait * 1000.0 + 0.5);
		if (pfd.fd >= 0) {
			if (poll(&pfd, 1, ms) > 0)
				launcher_read(s->launcher, add_output, s);
		} else if (ms > 0) {
			poll(NULL, 0, ms);
		}
		now = session_elapsed(s);
	}
	if (now >= s->next_tick) {
		if (launcher_fd(s->launcher) >= 0)
			launcher_read(s->launcher, add_output, s);
		tick(s);
		s->next_tick += s->opts.interval;
		if (s->next_tick < now)
			s->next_tick = now + s->opts.interval;
		return true;
	}
	return history_count(s->history) != before;
}

bool session_finished(const struct session *s)
{
	return s->finished;
}

void session_end(struct session *s)
{
	struct tracker_stats st;
	struct event ev;

	tracker_stats(s->tracker, &st);
	memset(&ev, 0, sizeof(ev));
	ev.type = EV_END;
	ev.t = session_elapsed(s);
	ev.status = ev.signal = -1;
	ev.processes = st.processes;
	ev.max_alive = st.max_alive;
	ev.zombies = st.zombies;
	ev.orphans = st.orphans;
	history_append(s->history, &ev);
}

void session_kill(struct session *s)
{
	/* SIGKILL everything but do not reap here: the next ticks see the
	 * zombies and record each death, then reap them. */
	s->killing = true;
	launcher_signal_tree(SIGKILL);
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

const struct frame *session_frame(const struct session *s)
{
	return &s->frame;
}
