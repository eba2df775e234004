/*
 * tui_help.c - the help screen: every key, and what every state symbol
 * means.  Any key returns to where help was opened.
 */
#include <stdio.h>

#include "describe.h"
#include "tui_ctx.h"

/* Eleven lines: with the symbols, the whole screen fits 80x24. */
static const char *const keys[][2] = {
	{ "q", "quit (everything forkscope started is killed)" },
	{ "space", "pause / resume: SIGSTOP freezes the tree; a replay: play/pause" },
	{ "n / s", "step to the next event, then pause / slow motion on or off" },
	{ "Left/Right", "one event back / forward in time (a running demo pauses first)" },
	{ "[ / ]", "one second back / forward; Home / End: the oldest moment / now" },
	{ "r / m", "restart (a replay plays from its start) / back to the menu" },
	{ "+ / -", "faster / slower: a replay now, a demo from the next start (r)" },
	{ "Up/Down", "select a process (or click it): its details" },
	{ "Enter/Esc", "show / hide the details of the selection" },
	{ "t / l / c", "threads / lifelines / multiprocessing's own pipes too" },
	{ "F1 h ?", "this help" },
};

void help_draw(struct tui *t)
{
	int rows, cols;
	char line[256];
	int y = 1;    /* 1 + 1 + keys + 1 + symbols: 23 rows, so it all fits 80x24 */

	getmaxyx(stdscr, rows, cols);
	fill_row(0, 0, cols, role_attr(t, ROLE_HEADER));
	put_clipped(0, 0, " forkscope help: press any key to return", cols, role_attr(t, ROLE_HEADER));
	put_clipped(y++, 2, "Keys", cols - 2, role_attr(t, ROLE_TITLE));
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]) && y < rows; i++) {
		snprintf(line, sizeof(line), "  %-10s %s", keys[i][0], keys[i][1]);
		put_clipped(y++, 2, line, cols - 4, role_attr(t, ROLE_NORMAL));
	}
	if (y < rows - 1)
		put_clipped(y++, 2, "What the symbols mean", cols - 2, role_attr(t, ROLE_TITLE));
	static const enum role roles[LOOK_COUNT] = {
		[LOOK_RUNNING] = ROLE_RUNNING, [LOOK_SLEEPING] = ROLE_SLEEPING,
		[LOOK_DISK] = ROLE_SLEEPING, [LOOK_STOPPED] = ROLE_STOPPED,
		[LOOK_ZOMBIE] = ROLE_ZOMBIE, [LOOK_ORPHAN] = ROLE_ORPHAN,
		[LOOK_REAPED] = ROLE_REAPED, [LOOK_SELF] = ROLE_SELF,
	};
	for (int l = 0; l < LOOK_COUNT && y < rows; l++) {
		snprintf(line, sizeof(line), "  %s %-10s %s", describe_symbol((enum look)l, t->opts.ascii),
		         describe_word((enum look)l), describe_meaning((enum look)l));
		put_clipped(y++, 2, line, cols - 4, role_attr(t, roles[l]));
	}
	if (y < rows) {
		snprintf(line, sizeof(line), "  %s %-10s %s", t->opts.ascii ? "+" : "✚", "new",
		         "highlighted for 3 s after it is born");
		put_clipped(y++, 2, line, cols - 4, role_attr(t, ROLE_NEW));
	}
}

void help_key(struct tui *t, int ch)
{
	(void)ch;
	t->screen = t->back;
	t->dirty = true;
}
