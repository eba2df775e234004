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

/* How much a channel holds: "3/3 messages", "120 bytes", "7 tasks waiting". */
static void amount_words(const struct channel *c, char *buf, size_t len)
{
	long n = c->fill, cap = c->capacity;
	/* a pool's task queue holds tasks, waiting for a worker */
	bool tasks = strcmp(c->what, "tasks") == 0, results = strcmp(c->what, "results") == 0;

	if (cap > 0 && tasks)
		/* TRANSLATORS: what a queue or pipe holds, beside its gauge: how
		 * many of what it holds, out of how many it can hold ("3/3
		 * messages"); tasks wait in a pool's queue for a worker */
		snprintf(buf, len, P_("%ld/%ld task waiting", "%ld/%ld tasks waiting", n), n, cap);
	else if (cap > 0 && results)
		snprintf(buf, len, P_("%ld/%ld result", "%ld/%ld results", n), n, cap);
	else if (cap > 0 && c->bytes)
		snprintf(buf, len, P_("%ld/%ld byte", "%ld/%ld bytes", n), n, cap);
	else if (cap > 0)
		snprintf(buf, len, P_("%ld/%ld message", "%ld/%ld messages", n), n, cap);
	else if (tasks)
		snprintf(buf, len, P_("%ld task waiting", "%ld tasks waiting", n), n);
	else if (results)
		snprintf(buf, len, P_("%ld result", "%ld results", n), n);
	else if (c->bytes)
		snprintf(buf, len, P_("%ld byte", "%ld bytes", n), n);
	else
		snprintf(buf, len, P_("%ld message", "%ld messages", n), n);
}

/* "3/3 messages  FULL", "120 bytes", "7 tasks waiting (no limit)" */
static void fill_words(const struct channel *c, char *buf, size_t len)
{
	char amount[128];

	amount_words(c, amount, sizeof(amount));
	if (c->capacity > 0 && c->fill >= c->capacity)
		/* TRANSLATORS: %s is what the channel holds ("3/3 messages"); FULL
		 * stands out in capitals, two spaces after the amount */
		snprintf(buf, len, _("%s  FULL"), amount);
	else if (c->capacity > 0 && c->fill == 0)
		snprintf(buf, len, _("%s  empty"), amount);
	else if (c->capacity <= 0 && !c->bytes && c->what[0])
		/* TRANSLATORS: a queue that takes any number of messages */
		snprintf(buf, len, _("%s (no limit)"), amount);
	else
		snprintf(buf, len, "%s", amount);
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

/* "  held by 1234r 1235w" (a pipe's holders say which end they hold),
 * within width columns: the PIDs that fit whole, then "+2" for the rest,
 * never a PID cut in the middle. */
static void holders_words(const struct channel *c, int width, char *buf, size_t len)
{
	char pid[32], rest[32];

	/* TRANSLATORS: the processes that hold a queue or pipe open follow,
	 * each PID with r or w for the end of a pipe it holds */
	snprintf(buf, len, "  %s", _("held by"));
	for (int k = 0; k < c->nholders; k++) {
		const char *end = c->kind == CHAN_PIPE && c->ends[k] != 'b' ? (c->ends[k] == 'r' ? "r" : "w")
		                                                             : "";
		snprintf(pid, sizeof(pid), " %d%s", (int)c->holders[k], end);
		snprintf(rest, sizeof(rest), " +%d", c->nholders - k);
		/* this one, and room for "+N" after it unless it is the last */
		int need = text_width(buf) + text_width(pid) + (k + 1 < c->nholders ? text_width(rest) : 0);
		if (need > width) {
			if (text_width(buf) + text_width(rest) <= width && strlen(buf) + strlen(rest) < len)
				strcat(buf, rest);
			return;
		}
		size_t used = strlen(buf);
		snprintf(buf + used, len - used, "%s", pid);
	}
}

void queues_draw(struct tui *t, const struct moment *m, int y, int x, int h, int w)
{
	const struct frame *f = m->frame;
	int per = t->opts.projector ? 2 : 1;
	int slots = (h - 1) / per;
	char title[192], text[256], held[256];

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
		char name[CHAN_NAME_MAX + 48], part[CHAN_NAME_MAX + 32];
		snprintf(name, sizeof(name), "%s%s", kind_word(c),
		         describe_channel(c->name, part, sizeof(part)));
		i++;
		/* a long name loses its middle: its end tells queues apart
		 * ("/fs-pool-…-results-1233") */
		put_cut_middle(t, row, x + 1, name, name_w - 2, role_attr(t, ROLE_NORMAL) | A_BOLD);
		draw_gauge(t, row, x + name_w, cells, c, per);
		fill_words(c, text, sizeof(text));
		int col = x + name_w + cells + 4;
		enum role role = fill_role(c) == ROLE_ZOMBIE ? ROLE_ZOMBIE : ROLE_NORMAL;
		col += put_clipped(row, col, text, x + w - col, role_attr(t, role));
		holders_words(c, x + w - col, held, sizeof(held));
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
