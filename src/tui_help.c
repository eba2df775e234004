/*
 * tui_help.c - the help screen: every key, and what every state symbol
 * means.  Any key returns to where help was opened.
 */
#include <stdio.h>

#include "describe.h"
#include "i18n.h"
#include "tui_ctx.h"

/* Eleven lines: with the symbols, the whole screen fits 80x24.  The keys
 * are names and stay as they are; what they do is said in the user's
 * language (each line within 64 columns, to fit 80). */
static const char *const keys[][2] = {
	/* TRANSLATORS: the help screen's lines, one a key: at most 64 columns
	 * each (a Chinese character is two), so that help fits 80x24 */
	{ "q", N_("quit (everything forkscope started is killed)") },
	{ "space", N_("pause / resume: SIGSTOP freezes the tree; a replay: play/pause") },
	{ "n / s", N_("step to the next event, then pause / slow motion on or off") },
	{ "Left/Right", N_("one event back / forward in time (a running demo pauses first)") },
	{ "[ / ]", N_("one second back / forward; Home / End: the oldest moment / now") },
	{ "r / m", N_("restart (a replay plays from its start) / back to the menu") },
	{ "+ / -", N_("faster / slower: a replay now, a demo from the next start (r)") },
	{ "Up/Down", N_("select a process (or click it): its details") },
	{ "Enter/Esc", N_("show / hide the details of the selection") },
	{ "t/l/c/g", N_("threads / lifelines / multiprocessing's pipes / compact tree") },
	{ "F1 h ?", N_("this help") },
};

/* The width of the symbols' word column: the widest word, at least 10. */
static int word_column(void)
{
	int w = 10;

	for (int l = 0; l < LOOK_COUNT; l++) {
		int lw = text_width(describe_word((enum look)l));
		if (lw > w)
			w = lw;
	}
	/* TRANSLATORS: the help's word for a process just born, highlighted
	 * on the tree (a state word, as short as "zombie") */
	int nw = text_width(_("new"));
	return nw > w ? nw : w;
}

void help_draw(struct tui *t)
{
	int rows, cols;
	char line[512], cell[128];
	int y = 1;    /* 1 + 1 + keys + 1 + symbols: 23 rows, so it all fits 80x24 */

	getmaxyx(stdscr, rows, cols);
	fill_row(0, 0, cols, role_attr(t, ROLE_HEADER));
	put_clipped(0, 1, _("forkscope help: press any key to return"), cols - 1,
	            role_attr(t, ROLE_HEADER));
	/* TRANSLATORS: the help's heading over the keys */
	put_clipped(y++, 2, _("Keys"), cols - 2, role_attr(t, ROLE_TITLE));
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]) && y < rows; i++) {
		pad_text(cell, sizeof(cell), keys[i][0], 10);
		snprintf(line, sizeof(line), "  %s %s", cell, _(keys[i][1]));
		put_clipped(y++, 2, line, cols - 4, role_attr(t, ROLE_NORMAL));
	}
	if (y < rows - 1)
		put_clipped(y++, 2, _("What the symbols mean"), cols - 2, role_attr(t, ROLE_TITLE));
	static const enum role roles[LOOK_COUNT] = {
		[LOOK_RUNNING] = ROLE_RUNNING, [LOOK_SLEEPING] = ROLE_SLEEPING,
		[LOOK_DISK] = ROLE_SLEEPING, [LOOK_STOPPED] = ROLE_STOPPED,
		[LOOK_ZOMBIE] = ROLE_ZOMBIE, [LOOK_ORPHAN] = ROLE_ORPHAN,
		[LOOK_REAPED] = ROLE_REAPED, [LOOK_SELF] = ROLE_SELF,
	};
	int wcol = word_column();
	for (int l = 0; l < LOOK_COUNT && y < rows; l++) {
		pad_text(cell, sizeof(cell), describe_word((enum look)l), wcol);
		snprintf(line, sizeof(line), "  %s %s %s", describe_symbol((enum look)l, t->opts.ascii),
		         cell, describe_meaning((enum look)l));
		put_clipped(y++, 2, line, cols - 4, role_attr(t, roles[l]));
	}
	if (y < rows) {
		pad_text(cell, sizeof(cell), _("new"), wcol);
		snprintf(line, sizeof(line), "  %s %s %s", t->opts.ascii ? "+" : "✚", cell,
		         _("highlighted for 3 s after it is born"));
		put_clipped(y++, 2, line, cols - 4, role_attr(t, ROLE_NEW));
	}
}

void help_key(struct tui *t, int ch)
{
	(void)ch;
	t->screen = t->back;
	t->dirty = true;
}
