/*
 * tui_queues.c - the queues and pipes the program holds, as they are at the
 * moment: one gauge a channel (how full, from /proc), and who holds it.
 */
#include <stdio.h>
#include <string.h>

#include "describe.h"
#include "i18n.h"
#include "tui_ctx.h"

/* A full channel is the one to look at: drawn like a zombie (red). */
static enum role fill_role(const struct channel *c)
{
	static const enum role by_level[] = { ROLE_DIM, ROLE_RUNNING, ROLE_ZOMBIE };

	return by_level[scene_fill_level(c)];
}

static void draw_gauge(struct tui *t, int y, int x, int cells, const struct channel *c, int rows)
{
	bool a = t->opts.ascii;
	int filled = c->capacity > 0 ? (int)((c->fill * cells + c->capacity - 1) / c->capacity) : 0;
	/* messages with no limit: a cell each, so the bar still rises and
	 * falls (the words say there is no limit) */
	if (c->capacity <= 0 && !c->bytes)
		filled = c->fill < cells ? (int)c->fill : cells;
	if (filled > cells)
		filled = cells;
	if (c->capacity > 0 && c->fill > 0 && filled == 0)
		filled = 1;
	enum role role = fill_role(c);
	for (int r = 0; r < rows; r++) {
		put_clipped(y + r, x, "[", 1, role_attr(t, ROLE_NORMAL));
		for (int i = 0; i < cells; i++)
			put_clipped(y + r, x + 1 + i, i < filled ? (a ? "#" : "█") : (a ? "." : "░"), 1,
			            role_attr(t, i < filled ? role : ROLE_DIM));
		put_clipped(y + r, x + 1 + cells, "]", 1, role_attr(t, ROLE_NORMAL));
	}
}

static bool shown(const struct tui *t, const struct channel *c)
{
	return t->all_channels || !c->internal;
}

size_t queues_shown(const struct tui *t, const struct frame *f)
{
	size_t n = 0;

	for (size_t i = 0; i < f->nchannels; i++)
		n += shown(t, &f->channels[i]);
	return n;
}

void queues_draw(struct tui *t, const struct moment *m, int y, int x, int h, int w)
{
	const struct frame *f = m->frame;
	int per = t->opts.projector ? 2 : 1;
	int slots = (h - 1) / per;
	char title[192], text[320], held[256];

	size_t total = queues_shown(t, f), hidden = f->nchannels - total;
	if (hidden)
		/* TRANSLATORS: the panel's title: how many queues and pipes are
		 * shown, and how many of multiprocessing's own the key c shows */
		snprintf(title, sizeof(title), _("Queues and pipes: %zu (+%zu internal: c)"), total,
		         hidden);
	else
		/* TRANSLATORS: the panel's title: how many queues and pipes; how
		 * full each is is read from /proc */
		snprintf(title, sizeof(title), _("Queues and pipes: %zu, fill from /proc"), total);
	panel_title(t, y, x, w, title);
	int name_w = w >= 100 ? 28 : 24, cells = w >= 100 ? 20 : 10;
	int i = 0;
	/* the program's own channels first, multiprocessing's after them */
	for (size_t k = 0; i < slots && k < 2 * f->nchannels; k++) {
		const struct channel *c = &f->channels[k % f->nchannels];
		if (!shown(t, c) || c->internal != (k >= f->nchannels))
			continue;
		int row = y + 1 + i * per;
		char name[CHAN_NAME_MAX + 48];
		scene_channel_name(c, name, sizeof(name));
		i++;
		/* a long name loses its middle: its end tells queues apart
		 * ("/fs-pool-…-results-1233") */
		put_cut_middle(t, row, x + 1, name, name_w - 2, role_attr(t, ROLE_NORMAL) | A_BOLD);
		draw_gauge(t, row, x + name_w, cells, c, per);
		scene_fill_words(c, text, sizeof(text));
		int col = x + name_w + cells + 4;
		enum role role = fill_role(c) == ROLE_ZOMBIE ? ROLE_ZOMBIE : ROLE_NORMAL;
		col += put_clipped(row, col, text, x + w - col, role_attr(t, role));
		scene_holders(c, x + w - col, held, sizeof(held));
		if (c->nholders)
			put_clipped(row, col, held, x + w - col, role_attr(t, ROLE_DIM));
	}
	if ((int)total > slots) {
		/* TRANSLATORS: how many more queues there are than the panel shows */
		snprintf(held, sizeof(held), _("+%d more"), (int)total - slots);
		snprintf(text, sizeof(text), " %s ", held);
		put_title_note(t, y, x, w, text);
	}
}
