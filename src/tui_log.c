/*
 * tui_log.c - what happened up to the moment: the events panel (lifecycle
 * events, newest last), the program output panel and the caption, the
 * sentence a teacher would say about the event the moment is at.
 *
 * Only the events numbered below the moment's upto are read, so a rewound
 * moment shows its past and nothing of its future.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "describe.h"
#include "explain.h"
#include "i18n.h"
#include "tui_ctx.h"
#include "util.h"

/* ---- events ------------------------------------------------------------ */

static enum role event_role(const struct event *ev)
{
	if (ev->type == EV_EXIT && ev->zombie)
		return ROLE_ZOMBIE;
	if (ev->type == EV_QUEUE && ev->capacity > 0 && ev->fill >= ev->capacity)
		return ROLE_ZOMBIE;
	if (ev->type == EV_REPARENT && ev->orphan)
		return ROLE_ORPHAN;
	return ev->type == EV_SPAWN ? ROLE_RUNNING : ROLE_NORMAL;
}

/* An event's line of the log, within width columns where it can be: a
 * queue's or a wait's channel name that makes it too long loses its
 * middle, so that the PID before it and the fill after it stay whole
 * ("1234 queue-get /fs-pool-…-tasks-1233", "/fs-pool-…-results-1233 3/10"). */
static void log_line(const struct tui *t, const struct event *ev, const char *label, int width,
                     char *line, size_t len)
{
	char text[960], name[CHAN_NAME_MAX + 32], cut[CHAN_NAME_MAX + 32];
	struct event copy;

	explain_short(ev, text, sizeof(text));
	if (t->opts.projector)
		snprintf(line, len, "%s %s", label, text);
	else
		snprintf(line, len, "%5.1f %s %s", ev->t, label, text);
	int over = text_width(line) - width;
	if (over <= 0 || (ev->type != EV_QUEUE && ev->type != EV_BLOCKED) || !ev->text[0])
		return;
	const char *shown = describe_channel(ev->text, name, sizeof(name));
	int name_w = text_width(shown);
	if (name_w - over < 8)
		return;
	cut_middle(t, shown, name_w - over, cut, sizeof(cut));
	/* explain_short() names the channel as the screen does: give it the
	 * cut name, which describe_channel() leaves as it is */
	copy = *ev;
	copy.text = cut;
	explain_short(&copy, text, sizeof(text));
	if (t->opts.projector)
		snprintf(line, len, "%s %s", label, text);
	else
		snprintf(line, len, "%5.1f %s %s", ev->t, label, text);
}

void events_draw(struct tui *t, const struct moment *m, int y, int x, int h, int w)
{
	struct scene_walk walk = scene_walk(m);
	const struct event *shown[64], *e;
	char line[1200], label[128];
	int rows = h - 1, n = 0;

	/* TRANSLATORS: the title of the panel of lifecycle events */
	panel_title(t, y, x, w, _("Events (newest last)"));
	while (n < rows && n < 64 && (e = scene_walk_next(&walk)))
		if (scene_tellable(e))
			shown[n++] = e;
	/* the labels in a column as wide as the widest there is, so that it
	 * never moves, in columns of the screen, not bytes: a label may be
	 * Chinese */
	const char *labels[EV_COUNT + 1];
	size_t nlabels = explain_labels(labels, EV_COUNT + 1);
	int label_w = 1;
	for (size_t k = 0; k < nlabels; k++) {
		int lw = text_width(labels[k]);
		if (lw > label_w)
			label_w = lw;
	}
	for (int k = 0; k < n; k++) {
		const struct event *ev = shown[n - 1 - k];
		pad_text(label, sizeof(label), explain_label(ev), label_w);
		log_line(t, ev, label, w, line, sizeof(line));
		/* still too long: cut in the middle */
		put_cut_middle(t, y + 1 + k, x, line, w, role_attr(t, event_role(ev)));
	}
}

/* ---- program output ------------------------------------------------------ */

/* Draws row k (0-based) of text wrapped at width columns. */
static void put_wrapped_row(int y, int x, const char *text, int width, int k, attr_t attr)
{
	const char *a, *b;

	wrap_walk(text, width, k, &a, &b);
	char *row = xcalloc((size_t)(b - a) + 1, 1);
	memcpy(row, a, (size_t)(b - a));
	put_clipped(y, x, row, width, attr);
	free(row);
}

/* How long a line pushed out of the output panel counts as "just now":
 * printed less than this many seconds before the moment. */
#define MISSED_SECS 3.0

void output_draw(struct tui *t, const struct moment *m, int y, int x, int h, int w)
{
	const struct history *hist = m->history;
	int rows = h - 1;
	char *lines[64];
	int n = 0, used = 0;

	/* the newest lines by the moment, wrapped, as many as fill the panel;
	 * each as the text view says it (a cut line ends in "… (9.8 MB more)") */
	size_t floor = scene_scan_floor(hist, m->upto), i = m->upto;
	while (used < rows && n < 64 && i-- > floor) {
		const struct event *ev = history_at(hist, i);
		if (ev->type != EV_OUTPUT)
			continue;
		size_t len = strlen(ev->text) + 64;
		lines[n] = xcalloc(len, 1);
		explain_event(ev, lines[n], len);
		used += wrapped_rows(lines[n], w);
		n++;
	}
	/* lines printed just now that a burst pushed out of view before
	 * anyone could read them: the title says so, and how to get them */
	int missed = used > rows;       /* the oldest shown lost its top */
	for (; i < m->upto && i-- > floor;) {
		const struct event *ev = history_at(hist, i);
		if (ev->t < m->t - MISSED_SECS)
			break;
		missed += ev->type == EV_OUTPUT;
	}
	char title[160];
	if (missed)
		/* TRANSLATORS: the panel's title when lines printed in the last
		 * seconds are already out of view: ← steps back to them */
		snprintf(title, sizeof(title), P_("Program output (+%d above: ←)",
		                                  "Program output (+%d above: ←)", missed), missed);
	else
		/* TRANSLATORS: the title of the panel of what the program printed */
		snprintf(title, sizeof(title), "%s", _("Program output"));
	panel_title(t, y, x, w, title);
	/* an attached tree writes to its own terminal, not to forkscope's pty */
	if (!n && tracker_attached(m->tracker) && rows > 0)
		put_ellipsized(t, y + 1, x, _("(attached: output goes elsewhere)"), w,
		               role_attr(t, ROLE_DIM));
	/* oldest first; the first one may have its top rows cut off */
	int row = rows - used;
	for (int k = n; k-- > 0;) {
		int parts = wrapped_rows(lines[k], w);
		for (int part = 0; part < parts; part++, row++)
			if (row >= 0)
				put_wrapped_row(y + 1 + row, x, lines[k], w, part, role_attr(t, ROLE_NORMAL));
		free(lines[k]);
	}
}

/* ---- the caption ----------------------------------------------------------- */

void caption_draw(struct tui *t, const struct moment *m, int y, int cols, bool started)
{
	char text[1024];
	attr_t a = role_attr(t, ROLE_CAPTION);

	fill_row(y, 0, cols, a);
	fill_row(y + 1, 0, cols, a);
	if (t->error[0])
		/* TRANSLATORS: %s says why the demo or command did not start */
		snprintf(text, sizeof(text), _("Could not start: %s."), t->error);
	else if (!m)
		snprintf(text, sizeof(text), "%s", _("Press r to start again, m for the menu."));
	else
		scene_caption(m, t->scenario, started, text, sizeof(text));
	put_wrapped(t, y, 1, cols - 2, 2, text, a);
}
