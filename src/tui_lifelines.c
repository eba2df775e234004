/*
 * tui_lifelines.c - one row per process, time flowing right: when each was
 * born (and who forked it), ran, slept, became a zombie and was reaped.
 */
#include <stdio.h>
#include <string.h>

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

void lifelines_draw(struct tui *t, int y, int x, int h, int w)
{
	const struct timeline *tl = session_timeline(t->session);
	size_t n;
	const struct lifeline *lines = timeline_lines(tl, &n);
	int cells = w - LABEL_W - 1;
	double span = timeline_end(tl);
	bool a = t->opts.ascii;
	char buf[128];

	panel_title(t, y, x, w, "Lifelines: each process along time (l: back to the tree)");
	/* a little room after the latest reading, so what happened in it
	 * (a last reap) is drawn too */
	span += 0.5;
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
		int row = y + 1 + r;
		snprintf(buf, sizeof(buf), "%6d %s", (int)l->pid, l->label);
		put_clipped(row, x, buf, LABEL_W, role_attr(t, l->orphan ? ROLE_ORPHAN : ROLE_NORMAL));
		for (int c = 0; c < cells; c++) {
			double mid = (c + 0.5) * dt;
			struct cell_look look = cell_for(t, lifeline_state_at(l, mid));
			/* a reaped process's end, and a zombie too short to fill a cell */
			if (l->reaped >= 0 && l->reaped >= c * dt && l->reaped < (c + 1) * dt)
				look = (struct cell_look){ a ? "x" : "✝", ROLE_REAPED };
			else if (l->died >= 0 && l->died >= c * dt && l->died < (c + 1) * dt &&
			         lifeline_state_at(l, l->died) == 'Z')
				look = (struct cell_look){ a ? "z" : "░", ROLE_ZOMBIE };
			put_clipped(row, x + LABEL_W + 1 + c, look.glyph, 1, role_attr(t, look.role));
		}
	}
	/* fork points: on the parent's row, where each child was born */
	for (int r = 0; r < rows && t->scroll + r < (int)n; r++) {
		const struct lifeline *parent = &lines[t->scroll + r];
		for (size_t k = 0; k < n; k++) {
			const struct lifeline *child = &lines[k];
			if (child->parent != parent->pid || child->born < parent->born || child->is_self)
				continue;
			int c = (int)(child->born / dt);
			if (c >= 0 && c < cells)
				put_clipped(y + 1 + r, x + LABEL_W + 1 + c, a ? "+" : "┬", 1,
				            role_attr(t, ROLE_TITLE));
		}
	}
	/* time axis: a tick at round times, at least 10 cells apart */
	static const double steps[] = { 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300 };
	double step = steps[sizeof(steps) / sizeof(steps[0]) - 1];
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (steps[i] / dt >= 10) {
			step = steps[i];
			break;
		}
	int axis = y + h - 2;
	put_clipped(axis, x, "time", LABEL_W, role_attr(t, ROLE_DIM));
	for (double at = 0; at < span; at += step) {
		int c = (int)(at / dt + 0.5);
		if (c >= cells)
			break;
		snprintf(buf, sizeof(buf), step < 1 ? "%s%.1fs" : "%s%.0fs", a ? "|" : "╵", at);
		put_clipped(axis, x + LABEL_W + 1 + c, buf, cells - c, role_attr(t, ROLE_DIM));
	}
	const char *legend = a ? "= running  - sleeping  : stopped  z zombie  x reaped  + fork"
	                       : "█ running  ─ sleeping  ┄ stopped  ░ zombie  ✝ reaped  ┬ fork";
	put_clipped(y + h - 1, x + 1, legend, w - 1, role_attr(t, ROLE_DIM));
	if ((int)n > rows) {
		snprintf(buf, sizeof(buf), " %d more ", (int)n - rows - t->scroll);
		put_clipped(y, x + w - 12, buf, 11, role_attr(t, ROLE_TITLE));
	}
}
