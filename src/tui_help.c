/*
 * tui_help.c - the help screen, two pages: every key and what every state
 * symbol means; then the queue panel's gauges and the event log's words.
 * PgDn / PgUp (or the arrows) turn the page, any other key returns to where
 * help was opened.
 */
#include <stdio.h>

#include "describe.h"
#include "explain.h"
#include "i18n.h"
#include "tui_ctx.h"

/* Eleven lines: with the symbols, the whole screen fits 80x24.  The keys
 * are names and stay as they are; what they do is said in the user's
 * language (each line within 64 columns, to fit 80). */
static const char *const keys[][2] = {
	/* TRANSLATORS: the help screen's lines, one a key: at most 64 columns
	 * each (a Chinese character is two), so that help fits 80x24 */
	{ "q", N_("quit: everything forkscope started is killed (menu: Esc)") },
	{ "space", N_("pause / resume: SIGSTOP freezes the tree; a replay: play/pause") },
	{ "n / s", N_("step to the next event, then pause / slow motion on or off") },
	{ "Left/Right", N_("one event back / forward in time (a running demo pauses first)") },
	{ "[ / ]", N_("one second back / forward; Home / End: the oldest moment / now") },
	{ "r / m", N_("restart (a replay plays from its start) / back to the menu") },
	{ "+ / -", N_("faster / slower: a replay now, a demo from the next start (r)") },
	{ "Up/Down", N_("select a process (or click it); PgUp/PgDn: 10 rows") },
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

/* What each word of the event log means, in the order of explain_labels()
 * (event types, then "reparent" that is not an orphan's). */
static const char *event_meaning(enum event_type type)
{
	switch (type) {
	/* TRANSLATORS: the help's meanings of the event log's words, short
	 * (at most 60 columns) */
	case EV_SPAWN: return _("a process called fork(): a new child");
	case EV_EXEC: return _("a process called exec(): same PID, a new program");
	case EV_TITLE: return _("a process renamed itself");
	case EV_EXIT: return _("a process ended: a zombie until its parent's wait()");
	case EV_REAP: return _("wait() took the zombie: gone from the process table");
	case EV_REPARENT: return _("its parent ended first: an orphan, adopted");
	case EV_OUTPUT: return _("a line the program printed (the right column)");
	case EV_QUEUE: return _("a queue or pipe now holds more or less");
	case EV_BLOCKED: return _("a process now waits: for what, after its PID");
	case EV_DROPPED: return _("the memory cap: the oldest events are let go");
	case EV_END: return _("the run is over: how many processes, how many killed");
	case EV_LOST: return _("the kernel's news was lost: /proc read again");
	case EV_POLLING: return _("no news from the kernel: /proc read alone");
	case EV_COUNT: break;
	}
	return "";
}

/* Page 2: the queue panel's gauge, piece by piece, and the event words. */
static void gauges_and_words_draw(struct tui *t, int rows, int cols)
{
	char line[512], cell[128];
	int y = 1;
	bool a = t->opts.ascii;

	put_clipped(0, 1, _("forkscope help (2/2): PgUp for keys and symbols; any other key "
	                    "returns"), cols - 1, role_attr(t, ROLE_HEADER));
	/* TRANSLATORS: the help's heading over what a queue's row shows */
	put_clipped(y++, 2, _("Queues and pipes: one row each, under the tree"), cols - 2,
	            role_attr(t, ROLE_TITLE));
	const char *gauge[][2] = {
		{ a ? "[####......]" : "[████░░░░░░]",
		  /* TRANSLATORS: the help's lines on a queue's row, at most 60
		   * columns each */
		  _("how full it is, read from /proc, not from the program") },
		{ "3/10", _("messages in it, of the most it can hold") },
		{ _("FULL"), _("a put() or write() now has to wait") },
		{ _("empty"), _("a get() or read() now has to wait") },
		{ "1234r 1235w", _("held by: who has it open; r read end, w write end") },
	};
	for (size_t i = 0; i < sizeof(gauge) / sizeof(gauge[0]) && y < rows; i++) {
		pad_text(cell, sizeof(cell), gauge[i][0], 12);
		snprintf(line, sizeof(line), "  %s %s", cell, gauge[i][1]);
		put_clipped(y++, 2, line, cols - 4, role_attr(t, ROLE_NORMAL));
	}
	if (y < rows - 1)
		/* TRANSLATORS: the help's heading over the event log's words */
		put_clipped(y++, 2, _("Event words (the log, newest last)"), cols - 2,
		            role_attr(t, ROLE_TITLE));
	/* the log's own words: fork for a spawn, orphan for an adoption */
	struct event ev = { .type = EV_SPAWN };
	for (int type = 0; type < EV_COUNT && y < rows; type++) {
		ev.type = (enum event_type)type;
		ev.orphan = type == EV_REPARENT;
		pad_text(cell, sizeof(cell), explain_label(&ev), 12);
		snprintf(line, sizeof(line), "  %s %s", cell, event_meaning(ev.type));
		put_clipped(y++, 2, line, cols - 4, role_attr(t, ROLE_NORMAL));
	}
}

void help_draw(struct tui *t)
{
	int rows, cols;
	char line[512], cell[128];
	int y = 1;    /* 1 + 1 + keys + 1 + symbols: 23 rows, so it all fits 80x24 */

	getmaxyx(stdscr, rows, cols);
	fill_row(0, 0, cols, role_attr(t, ROLE_HEADER));
	if (t->help_page == 1) {
		gauges_and_words_draw(t, rows, cols);
		return;
	}
	/* TRANSLATORS: the help's header; PgDn shows its second page */
	put_clipped(0, 1, _("forkscope help (1/2): PgDn for gauges and event words; any other key "
	                    "returns"), cols - 1, role_attr(t, ROLE_HEADER));
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
	t->dirty = true;
	if (ch == KEY_NPAGE || ch == KEY_RIGHT || ch == KEY_DOWN) {
		t->help_page = 1;
		return;
	}
	if (ch == KEY_PPAGE || ch == KEY_LEFT || ch == KEY_UP) {
		t->help_page = 0;
		return;
	}
	t->screen = t->back;
}
