/*
 * reducer.c - observations to the model and events (see reducer.h).
 */
#include "reducer.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Output lines that may wait for the next reading (see place_output()). */
enum { PENDING_LINES = 512 };

struct reducer {
	struct reducer_opts opts;
	struct tracker *tracker;
	struct frame frame;         /* the latest reading */
	struct history *pending;    /* output since the last reading */
	struct history *scratch;    /* a reading's events, before they are ordered */
	size_t pending_bytes;       /* what output may wait, in bytes */
	double t;
	double told;                /* the latest time an event was told at */
	unsigned long lifecycle;
	bool killing;
	bool told_dropped;
	bool ended;
	bool news;                  /* the kernel tells the lifecycle */
	bool told_polling;
	char polling[160];          /* why there is no news; "" */
};

static size_t pending_cap(size_t memory)
{
	/* (a history's empty block counts too: about 200 KiB) */
	return memory / 16 + ((size_t)256 << 10);
}

struct reducer *reducer_new(const struct reducer_opts *o)
{
	struct reducer *rd = xcalloc(1, sizeof(*rd));

	rd->opts = *o;
	rd->opts.arch = NULL;       /* not kept: the tracker has it */
	rd->opts.polling = NULL;    /* kept below */
	rd->tracker = tracker_new(o->self, o->root, o->arch);
	for (size_t i = 0; i < o->nattached; i++)
		tracker_attach(rd->tracker, o->attached[i]);
	if (o->pidns)
		tracker_set_pidns(rd->tracker);
	rd->opts.attached = NULL;   /* not kept: the tracker has them */
	rd->opts.nattached = 0;
	rd->news = o->news;
	if (o->news)
		tracker_set_news(rd->tracker);
	else if (o->polling)
		str_copy(rd->polling, sizeof(rd->polling), o->polling);
	frame_init(&rd->frame);
	rd->pending = history_new(0);
	rd->scratch = history_new(0);
	rd->pending_bytes = pending_cap(o->memory);
	return rd;
}

void reducer_free(struct reducer *rd)
{
	if (!rd)
		return;
	tracker_free(rd->tracker);
	frame_release(&rd->frame);
	history_free(rd->pending);
	history_free(rd->scratch);
	free(rd);
}

struct reducer *reducer_clone(const struct reducer *src)
{
	struct reducer *rd = xcalloc(1, sizeof(*rd));

	*rd = *src;
	rd->tracker = tracker_clone(src->tracker);
	frame_init(&rd->frame);
	frame_copy(&rd->frame, &src->frame);
	rd->pending = history_new(0);
	for (size_t i = history_first(src->pending); i < history_count(src->pending); i++)
		history_append(rd->pending, history_at(src->pending, i));
	rd->scratch = history_new(0);
	return rd;
}

size_t reducer_bytes(const struct reducer *rd)
{
	const struct frame *f = &rd->frame;

	return sizeof(*rd) + tracker_bytes(rd->tracker) + history_bytes(rd->pending) +
	       f->nprocs * sizeof(*f->procs) + f->nchannels * sizeof(*f->channels) +
	       f->nchan_fds * sizeof(*f->chan_fds) + f->nthreads * sizeof(*f->threads);
}

static bool is_birth(enum event_type type)
{
	return type == EV_SPAWN || type == EV_EXEC || type == EV_TITLE;
}

/* Appends the pending output at time t, and empties it. */
static void emit_pending(struct reducer *rd, double t, struct history *h)
{
	for (size_t i = history_first(rd->pending); i < history_count(rd->pending); i++) {
		struct event ev = *history_at(rd->pending, i);
		ev.t = t;     /* placed among the reading's events, so at its time */
		history_append(h, &ev);
	}
	history_clear(rd->pending);
}

/* Births, then the output, then the rest: see reducer.h. */
static void order_reading(struct reducer *rd, double t, struct history *h)
{
	const struct history *s = rd->scratch;

	for (size_t i = 0; i < history_count(s); i++)
		if (is_birth(history_at(s, i)->type))
			history_append(h, history_at(s, i));
	emit_pending(rd, t, h);
	for (size_t i = 0; i < history_count(s); i++)
		if (!is_birth(history_at(s, i)->type))
			history_append(h, history_at(s, i));
	rd->told = t;
	/* what a step stops at: the same events rewinding steps by */
	for (size_t i = 0; i < history_count(s); i++)
		rd->lifecycle += event_lifecycle(history_at(s, i));
	history_clear(rd->scratch);
}

/* Says once, when the cap is first reached, that old events are being
 * dropped. */
static void tell_dropped(struct reducer *rd, double t, struct history *h,
                         const struct timeline *tl)
{
	unsigned long events, output;

	if (rd->told_dropped)
		return;
	history_dropped(h, &events, &output);
	unsigned long lines = tl ? timeline_dropped(tl) : 0;
	if (!events && !lines)
		return;
	rd->told_dropped = true;
	rd->told = t;
	struct event ev = event_make(EV_DROPPED, t);
	ev.dropped_events = events;
	ev.dropped_output = output;
	ev.dropped_lifelines = lines;
	history_append(h, &ev);
}

static void apply_reading(struct reducer *rd, const struct obs *o, struct history *h,
                          struct timeline *tl)
{
	tracker_apply(rd->tracker, o->frame, rd->scratch);
	order_reading(rd, o->t, h);
	frame_copy(&rd->frame, o->frame);
	if (tl)
		timeline_update(tl, rd->tracker, o->t);
}

static void apply_output(struct reducer *rd, const struct obs *o, struct history *h)
{
	struct event ev = event_make(EV_OUTPUT, o->t);

	ev.text = o->text;
	ev.cut = o->cut;
	ev.partial = o->partial;
	if (rd->news) {
		/* the process printing it was told of already */
		history_append(h, &ev);
		rd->told = o->t;
		return;
	}
	history_append(rd->pending, &ev);
	/* what waits is bounded: past it, the output is told before the
	 * births of the coming reading, at the last reading's time (never
	 * earlier than what is told already) */
	if (history_count(rd->pending) >= PENDING_LINES ||
	    history_bytes(rd->pending) >= rd->pending_bytes)
		emit_pending(rd, rd->frame.t > rd->told ? rd->frame.t : rd->told, h);
}

static void apply_end(struct reducer *rd, const struct obs *o, struct history *h,
                      const struct timeline *tl)
{
	struct tracker_stats st;
	struct event ev = event_make(EV_END, o->t);

	/* output still waiting comes before the end */
	emit_pending(rd, rd->frame.t > rd->told ? rd->frame.t : rd->told, h);
	tracker_stats(rd->tracker, &st);
	ev.processes = st.processes;
	ev.max_alive = st.max_alive;
	ev.zombies = st.zombies;
	ev.orphans = st.orphans;
	ev.killed = o->killed;
	ev.unkillable = o->unkillable;
	history_dropped(h, &ev.dropped_events, &ev.dropped_output);
	ev.dropped_lifelines = tl ? timeline_dropped(tl) : 0;
	history_append(h, &ev);
	rd->ended = true;
}

/* One piece of the kernel's news: its events at once, in its order. */
static void apply_news(struct reducer *rd, const struct obs *o, struct history *h,
                       struct timeline *tl)
{
	size_t from = history_count(h);
	const struct proc_record *r = tracker_news(rd->tracker, o->news, o->t, h);

	for (size_t i = from; i < history_count(h); i++)
		rd->lifecycle += event_lifecycle(history_at(h, i));
	if (history_count(h) > from)
		rd->told = o->t;
	if (r && tl)
		timeline_note(tl, r, o->t);
}

/* What the Python hook said: a name or a task is a title event. */
static void apply_hook(struct reducer *rd, const struct obs *o, struct history *h)
{
	size_t from = history_count(h);

	tracker_hook(rd->tracker, o->pid, o->text, strlen(o->text), o->t, h);
	for (size_t i = from; i < history_count(h); i++)
		rd->lifecycle += event_lifecycle(history_at(h, i));
	if (history_count(h) > from)
		rd->told = o->t;
}

static void apply_lost(struct reducer *rd, const struct obs *o, struct history *h)
{
	struct event ev = event_make(EV_LOST, o->t);

	ev.lost = o->lost;
	history_append(h, &ev);
	rd->told = o->t;
	tracker_distrust(rd->tracker);
}

void reducer_apply(struct reducer *rd, const struct obs *o, struct history *h,
                   struct timeline *tl)
{
	rd->t = o->t;
	if (!rd->told_polling && rd->polling[0]) {
		/* once, first: everything after is read this way */
		struct event ev = event_make(EV_POLLING, o->t);
		ev.text = rd->polling;
		history_append(h, &ev);
		rd->told_polling = true;
	}
	switch (o->type) {
	case OBS_READING:
		apply_reading(rd, o, h, tl);
		break;
	case OBS_OUTPUT:
		apply_output(rd, o, h);
		break;
	case OBS_KILL:
		tracker_set_teardown(rd->tracker);
		rd->killing = true;
		break;
	case OBS_END:
		apply_end(rd, o, h, tl);
		break;
	case OBS_PROC:
		apply_news(rd, o, h, tl);
		break;
	case OBS_LOST:
		apply_lost(rd, o, h);
		break;
	case OBS_HOOK:
		apply_hook(rd, o, h);
		break;
	case OBS_COUNT:
		break;
	}
	/* (after the end, nothing: it is the last event) */
	if (o->type == OBS_READING || o->type == OBS_KILL || o->type == OBS_PROC)
		tell_dropped(rd, o->t, h, tl);
}

const struct tracker *reducer_tracker(const struct reducer *rd)
{
	return rd->tracker;
}

const struct frame *reducer_frame(const struct reducer *rd)
{
	return &rd->frame;
}

double reducer_time(const struct reducer *rd)
{
	return rd->t;
}

unsigned long reducer_lifecycle(const struct reducer *rd)
{
	return rd->lifecycle;
}

bool reducer_ended(const struct reducer *rd)
{
	return rd->ended;
}
