/*
 * tui_lifelines.c - one row per process, time flowing right: when each was
 * born (and who forked it), ran, slept, became a zombie and was reaped,
 * up to the moment shown; a past moment is marked by a cursor column.
 */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "tui_ctx.h"

enum { LABEL_W = 18 };

struct cell_look {
	const char *glyph;
	enum role role;
};

static struct cell_look cell_for(const struct tui *t, char state)
{
	bool a = t->opts.ascii;

	switch (state) {
	case 'R': return (struct cell_look){ a ? "=" : "█", ROLE_RUNNING };
	case 'D': return (struct cell_look){ a ? "d" : "▒", ROLE_SLEEPING };
	case 'T':
	case 't': return (struct cell_look){ a ? ":" : "┄", ROLE_STOPPED };
	case 'Z': return (struct cell_look){ a ? "z" : "░", ROLE_ZOMBIE };
	case 'X': return (struct cell_look){ " ", ROLE_NORMAL };
	case 0: return (struct cell_look){ " ", ROLE_NORMAL };
	default: return (struct cell_look){ a ? "-" : "─", ROLE_SLEEPING };
	}
}

/* Whether a past moment is shown: the lifelines then end at a cursor. */
static bool looking_back(const struct moment *m)
{
	return m->mode == MODE_REWIND || m->mode == MODE_REPLAY || m->mode == MODE_REPLAY_PAUSED;
}

/* The look of cell c (dt seconds wide) of line l at moment t: blank after
 * t; a reap, or a zombie too short to fill a cell, marked where it falls. */
static struct cell_look cell_at(const struct tui *t, const struct lifeline *l, int c, double dt,
                                double now)
{
	bool a = t->opts.ascii;
	double from = c * dt, to = (c + 1) * dt;

	if (from > now)
		return cell_for(t, 0);
	if (l->reaped >= 0 && l->reaped <= now && l->reaped >= from && l->reaped < to)
		return (struct cell_look){ a ? "x" : "✝", ROLE_REAPED };
	if (l->died >= 0 && l->died <= now && l->died >= from && l->died < to &&
	    lifeline_state_at(l, l->died) == 'Z')
		return (struct cell_look){ a ? "z" : "░", ROLE_ZOMBIE };
	double mid = (c + 0.5) * dt;
	return cell_for(t, lifeline_state_at(l, mid < now ? mid : now));
}

/* Fork points: on the parent's row, where each child born by now was. */
static void draw_forks(const struct tui *t, const struct lifeline *lines, size_t n,
                       const struct lifeline *parent, int row, int x0, int cells, double dt)
{
	for (size_t k = 0; k < n; k++) {
		const struct lifeline *child = &lines[k];
		if (child->parent != parent->pid || child->born < parent->born || child->is_self)
			continue;
		int c = (int)(child->born / dt);
		if (c >= 0 && c < cells)
			put_clipped(row, x0 + c, t->opts.ascii ? "+" : "┬", 1, role_attr(t, ROLE_TITLE));
	}
}

/* Time axis: a tick at round times, at least 10 cells apart. */
static void draw_axis(const struct tui *t, int y, int x, int cells, double span, double dt)
{
	static const double steps[] = { 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300 };
	double step = steps[sizeof(steps) / sizeof(steps[0]) - 1];
	char buf[64], at_s[48];

	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (steps[i] / dt >= 10) {
			step = steps[i];
			break;
		}
	/* TRANSLATORS: the label of the lifelines' time axis */
	put_clipped(y, x, _("time"), LABEL_W, role_attr(t, ROLE_DIM));
	for (double at = 0; at < span; at += step) {
		int c = (int)(at / dt + 0.5);
		if (c >= cells)
			break;
		/* TRANSLATORS: a tick of the time axis, in seconds ("1.5s", "10s"):
		 * keep it short, ticks are 10 columns apart */
		snprintf(at_s, sizeof(at_s), step < 1 ? _("%.1fs") : _("%.0fs"), at);
		snprintf(buf, sizeof(buf), "%s%s", t->opts.ascii ? "|" : "╵", at_s);
		put_clipped(y, x + LABEL_W + 1 + c, buf, cells - c, role_attr(t, ROLE_DIM));
	}
}

void lifelines_draw(struct tui *t, const struct moment *m, int y, int x, int h, int w)
{
	size_t all;
	const struct lifeline *lines = timeline_lines(m->timeline, &all);
	int cells = w - LABEL_W - 1, x0 = x + LABEL_W + 1;
	char buf[128], note[96];

	panel_title(t, y, x, w, _("Lifelines: each process along time (l: back to the tree)"));
	/* lines come in birth order: those born by the moment are the first n */
	size_t n = 0;
	while (n < all && lines[n].born <= m->t)
		n++;
	/* the scale spans the whole run kept, so it holds still while the
	 * moment moves; a little room after the latest reading, so what
	 * happened in it (a last reap) is drawn too */
	double span = timeline_end(m->timeline) + 0.5;
	if (span < 1.0)
		span = 1.0;
	double dt = span / cells;
	int rows = h - 3;    /* title, axis, legend */
	if (t->scroll > (int)n - rows)
		t->scroll = (int)n - rows;
	if (t->scroll < 0)
		t->scroll = 0;
	for (int r = 0; r < rows && t->scroll + r < (int)n; r++) {
		const struct lifeline *l = &lines[t->scroll + r];
		snprintf(buf, sizeof(buf), "%6d %s", (int)l->pid, l->label);
		put_clipped(y + 1 + r, x, buf, LABEL_W, role_attr(t, l->orphan ? ROLE_ORPHAN : ROLE_NORMAL));
		for (int c = 0; c < cells; c++) {
			struct cell_look look = cell_at(t, l, c, dt, m->t);
			put_clipped(y + 1 + r, x0 + c, look.glyph, 1, role_attr(t, look.role));
		}
		draw_forks(t, lines, n, l, y + 1 + r, x0, cells, dt);
	}
	int cursor = (int)(m->t / dt);
	if (looking_back(m) && cursor >= 0 && cursor < cells)
		for (int r = 0; r < rows; r++)
			put_clipped(y + 1 + r, x0 + cursor, t->opts.ascii ? "|" : "┃", 1,
			            role_attr(t, ROLE_PAUSED));
	draw_axis(t, y + h - 2, x, cells, span, dt);
	/* TRANSLATORS: the lifelines' legend: keep each symbol before its word
	 * (the first line is for terminals without UTF-8, the second for the
	 * others); "fork" marks where a child was forked */
	const char *legend = t->opts.ascii
		? _("= running  - sleeping  : stopped  z zombie  x reaped  + fork")
		: _("█ running  ─ sleeping  ┄ stopped  ░ zombie  ✝ reaped  ┬ fork");
	put_clipped(y + h - 1, x + 1, legend, w - 1, role_attr(t, ROLE_DIM));
	if ((int)n > rows) {
		/* TRANSLATORS: how many more rows there are than the panel shows */
		snprintf(note, sizeof(note), _("%d more"), (int)n - rows - t->scroll);
		snprintf(buf, sizeof(buf), " %s ", note);
		put_title_note(t, y, x, w, buf);
	}
}
