/*
 * tui_queues.c - the queues and pipes the program holds, as they are at the
 * moment: one gauge a channel (how full, from /proc), and who holds it.
 */
#include <stdio.h>
#include <string.h>

#include "tui_ctx.h"

/* A full channel is the one to look at: drawn like a zombie (red). */
static enum role fill_role(const struct channel *c)
{
	if (c->capacity > 0 && c->fill >= c->capacity)
		return ROLE_ZOMBIE;
	return c->fill > 0 ? ROLE_RUNNING : ROLE_DIM;
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

/* "3/3 messages  FULL", "120 bytes", "7 tasks waiting" */
static void fill_words(const struct channel *c, char *buf, size_t len)
{
	const char *unit = c->bytes ? "bytes" : "messages";

	/* a pool's task queue holds tasks, waiting for a worker */
	if (strcmp(c->what, "tasks") == 0)
		unit = c->fill == 1 ? "task waiting" : "tasks waiting";
	else if (strcmp(c->what, "results") == 0)
		unit = c->fill == 1 ? "result" : "results";
	else if (!c->bytes && c->fill == 1)
		unit = "message";
	if (c->capacity > 0)
		snprintf(buf, len, "%ld/%ld %s%s", c->fill, c->capacity, unit,
		         c->fill >= c->capacity ? "  FULL" : c->fill == 0 ? "  empty" : "");
	else if (!c->bytes && c->what[0])
		snprintf(buf, len, "%ld %s (no limit)", c->fill, unit);
	else
		snprintf(buf, len, "%ld %s", c->fill, unit);
}

/* What a channel is, before its name: Python's word for it. */
static const char *kind_word(const struct channel *c)
{
	if (!c->what[0] || strcmp(c->what, "tasks") == 0 || strcmp(c->what, "results") == 0)
		return "";
	if (strcmp(c->what, "manager") == 0)
		return "Manager ";
	return "";
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

/* "  held by 1234r 1235w" (a pipe's holders say which end they hold) */
static void holders_words(const struct channel *c, char *buf, size_t len)
{
	snprintf(buf, len, "  held by");
	for (int k = 0; k < c->nholders; k++) {
		size_t used = strlen(buf);
		const char *end = c->kind == CHAN_PIPE && c->ends[k] != 'b' ? (c->ends[k] == 'r' ? "r" : "w")
		                                                             : "";
		snprintf(buf + used, len - used, " %d%s", (int)c->holders[k], end);
	}
}

void queues_draw(struct tui *t, const struct moment *m, int y, int x, int h, int w)
{
	const struct frame *f = m->frame;
	int per = t->opts.projector ? 2 : 1;
	int slots = (h - 1) / per;
	char title[64], text[256], held[160];

	size_t total = queues_shown(t, f), hidden = f->nchannels - total;
	if (hidden)
		snprintf(title, sizeof(title), "Queues and pipes: %zu (+%zu internal: c)", total,
		         hidden);
	else
		snprintf(title, sizeof(title), "Queues and pipes: %zu, fill from /proc", total);
	panel_title(t, y, x, w, title);
	int name_w = w >= 100 ? 28 : 24, cells = w >= 100 ? 20 : 10;
	int i = 0;
	/* the program's own channels first, multiprocessing's after them */
	for (size_t k = 0; i < slots && k < 2 * f->nchannels; k++) {
		const struct channel *c = &f->channels[k % f->nchannels];
		if (!shown(t, c) || c->internal != (k >= f->nchannels))
			continue;
		int row = y + 1 + i * per;
		char name[CHAN_NAME_MAX + 16];
		snprintf(name, sizeof(name), "%s%s", kind_word(c), c->name);
		i++;
		put_ellipsized(t, row, x + 1, name, name_w - 1, role_attr(t, ROLE_NORMAL) | A_BOLD);
		draw_gauge(t, row, x + name_w, cells, c, per);
		fill_words(c, text, sizeof(text));
		int col = x + name_w + cells + 4;
		enum role role = fill_role(c) == ROLE_ZOMBIE ? ROLE_ZOMBIE : ROLE_NORMAL;
		col += put_clipped(row, col, text, x + w - col, role_attr(t, role));
		holders_words(c, held, sizeof(held));
		if (c->nholders)
			put_ellipsized(t, row, col, held, x + w - col, role_attr(t, ROLE_DIM));
	}
	if ((int)total > slots) {
		snprintf(text, sizeof(text), " +%d more ", (int)total - slots);
		put_clipped(y, x + w - 12, text, 11, role_attr(t, ROLE_TITLE));
	}
}
