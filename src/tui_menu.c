/*
 * tui_menu.c - the menu of scenarios: arrows and Enter, or the first
 * letters of a name, pick one.  Every letter is a name's (q too: queue);
 * Esc quits.
 */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "tui_ctx.h"
#include "util.h"

enum { MENU_TOP = 4 };

/* Rows between entries: two in projector mode when they all fit. */
static int menu_gap(const struct tui *t, int rows, size_t n)
{
	return t->opts.projector && MENU_TOP + (int)n * 2 <= rows - 5 ? 2 : 1;
}

void menu_draw(struct tui *t)
{
	int rows, cols;
	size_t n;
	const struct scenario *sc = scenario_all(&n);
	char line[1024], more[64];

	getmaxyx(stdscr, rows, cols);
	fill_row(0, 0, cols, role_attr(t, ROLE_HEADER));
	/* TRANSLATORS: the menu's header line */
	put_clipped(0, 1, _("forkscope: watch Unix processes live, from /proc"), cols - 1,
	            role_attr(t, ROLE_HEADER));
	put_clipped(2, 2, _("Choose a demo:"), cols - 2, role_attr(t, ROLE_TITLE));
	int gap = menu_gap(t, rows, n);
	int fit = (rows - 5 - MENU_TOP) / gap;   /* rows MENU_TOP .. rows-6 */
	/* keep the chosen one in view when they do not all fit */
	if (t->menu_sel < t->menu_top)
		t->menu_top = t->menu_sel;
	if (t->menu_sel >= t->menu_top + fit)
		t->menu_top = t->menu_sel - fit + 1;
	if (t->menu_top < 0)
		t->menu_top = 0;
	/* TRANSLATORS: beside an arrow: more entries above or below, out of view */
	const char *more_word = _("more");
	if (t->menu_top > 0) {
		snprintf(more, sizeof(more), "%s %s", t->opts.ascii ? "^" : "▲", more_word);
		put_clipped(MENU_TOP - 1, 4, more, 16, role_attr(t, ROLE_TITLE));
	}
	if (t->menu_top + fit < (int)n) {
		snprintf(more, sizeof(more), "%s %s", t->opts.ascii ? "v" : "▼", more_word);
		put_clipped(rows - 5, 4, more, 16, role_attr(t, ROLE_TITLE));
	}
	for (size_t i = (size_t)t->menu_top; i < n; i++) {
		int y = MENU_TOP + ((int)i - t->menu_top) * gap;
		if (y >= rows - 5)
			break;
		bool sel = (int)i == t->menu_sel;
		attr_t a = role_attr(t, sel ? ROLE_SELECTED : ROLE_NORMAL);
		snprintf(line, sizeof(line), " %s %-17s %s", sel ? (t->opts.ascii ? ">" : "▶") : " ",
		         sc[i].name, _(sc[i].description));
		fill_row(y, 1, cols - 2, a);
		put_ellipsized(t, y, 1, line, cols - 2, a);
		if (!sel)
			put_clipped(y, 4, sc[i].name, 17, role_attr(t, ROLE_TITLE));
	}
	const struct scenario *cur = &sc[t->menu_sel];
	int info_y = rows - 4;
	fill_row(info_y, 0, cols, role_attr(t, ROLE_CAPTION));
	fill_row(info_y + 1, 0, cols, role_attr(t, ROLE_CAPTION));
	/* the two sentences wrapped over the two rows, not each cut at the
	 * edge: at 80 columns a sentence may take more than its row */
	char intro[1024];
	scene_join_sentences(intro, sizeof(intro), _(cur->intro[0]), _(cur->intro[1]));
	put_wrapped(t, info_y, 1, cols - 2, 2, intro, role_attr(t, ROLE_CAPTION));
	if (t->error[0]) {
		/* TRANSLATORS: %s says why the demo did not start */
		snprintf(line, sizeof(line), _("Could not start: %s"), t->error);
		put_clipped(rows - 2, 1, line, cols - 2, role_attr(t, ROLE_ZOMBIE));
	}
	/* TRANSLATORS: the menu's status bar; the keys (Up/Down, Enter, +/-,
	 * ?, Esc) stay as they are, "letters" are the first letters of a
	 * demo's name (q is one: queue); the tempo is the demos' pause
	 * multiplier */
	snprintf(line, sizeof(line), _("Up/Down or letters: choose | Enter: start | +/-: "
	                               "faster/slower (tempo %g) | ?: help | Esc: quit"),
	         t->next_tempo);
	/* too wide: the short form, which still says how to quit */
	if (text_width(line) > cols - 2)
		/* TRANSLATORS: the menu's status bar when the long one does not
		 * fit 80 columns: at most 78 */
		snprintf(line, sizeof(line), _("Up/Down/letters: choose | Enter: start | +/-: tempo %g "
		                               "| ?: help | Esc: quit"), t->next_tempo);
	fill_row(rows - 1, 0, cols, role_attr(t, ROLE_STATUS));
	put_ellipsized(t, rows - 1, 1, line, cols - 1, role_attr(t, ROLE_STATUS));
}

static void start_selected(struct tui *t)
{
	size_t n;
	const struct scenario *sc = scenario_all(&n);

	t->scenario = &sc[t->menu_sel];
	t->opts.replay = NULL;     /* a demo chosen now runs live, whatever came before */
	t->screen = SCREEN_VIEW;
	tui_start(t);
	if (!t->session)
		t->screen = SCREEN_MENU;   /* the error shows under the menu */
}

void menu_key(struct tui *t, int ch)
{
	size_t n;
	const struct scenario *sc = scenario_all(&n);

	switch (ch) {
	case KEY_UP:
		t->menu_sel = t->menu_sel > 0 ? t->menu_sel - 1 : (int)n - 1;
		return;
	case KEY_DOWN:
		t->menu_sel = (t->menu_sel + 1) % (int)n;
		return;
	case KEY_HOME:
		t->menu_sel = 0;
		return;
	case KEY_END:
		t->menu_sel = (int)n - 1;
		return;
	case '\r':
	case '\n':
	case KEY_ENTER:
		start_selected(t);
		return;
	case 27:   /* Esc: q is a letter here (queue) */
		t->quit = true;
		return;
	case '+':
	case '=':
		/* faster: a smaller pause multiplier */
		t->next_tempo = tempo_step(t->next_tempo, -1);
		return;
	default:
		break;
	}
	double now = now_seconds();
	bool typing = t->typed[0] && now - t->typed_at <= 1.0;
	if (ch == '-' && !typing) {
		t->next_tempo = tempo_step(t->next_tempo, +1);
		return;
	}
	if ((ch >= 'a' && ch <= 'z') || ch == '-') {
		/* type-ahead: letters typed within a second build a prefix, and a
		 * '-' inside one is part of the name (fork-bomb) */
		size_t len = strlen(t->typed);
		if (now - t->typed_at > 1.0 || len + 1 >= sizeof(t->typed))
			len = 0;
		t->typed[len] = (char)ch;
		t->typed[len + 1] = '\0';
		t->typed_at = now;
		for (int attempt = 0; attempt < 2; attempt++) {
			for (size_t i = 0; i < n; i++) {
				if (strncmp(sc[i].name, t->typed, strlen(t->typed)) == 0) {
					t->menu_sel = (int)i;
					return;
				}
			}
			/* no name goes on like that: start again from this letter */
			t->typed[0] = (char)ch;
			t->typed[1] = '\0';
		}
	}
}

void menu_click(struct tui *t, int y, int x)
{
	size_t n;
	int rows = getmaxy(stdscr);

	(void)x;
	scenario_all(&n);
	int gap = menu_gap(t, rows, n);
	if (y < MENU_TOP || y >= rows - 5 || (y - MENU_TOP) % gap)
		return;
	int i = t->menu_top + (y - MENU_TOP) / gap;
	if (i < 0 || i >= (int)n)
		return;
	if (i == t->menu_sel)
		start_selected(t);     /* a second click on the chosen one starts it */
	else
		t->menu_sel = i;
}
