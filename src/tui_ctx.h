/*
 * tui_ctx.h - what the screen modules share: the context, the colour
 * roles, and the drawing helpers.  Only tui_*.c include it (and curses).
 *
 * Each screen exports a draw and a key function, as ncdu's do; tui.c picks
 * the screen and owns the loop.
 */
#ifndef FORKSCOPE_TUI_CTX_H
#define FORKSCOPE_TUI_CTX_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <wchar.h>

#include <curses.h>

#include "describe.h"
#include "moment.h"
#include "scenarios.h"
#include "scene.h"
#include "session.h"
#include "text.h"
#include "tui.h"

enum tui_screen { SCREEN_MENU, SCREEN_VIEW, SCREEN_HELP };

/* Colour roles; the theme maps each to colours and attributes. */
enum role {
	ROLE_NORMAL = 1,
	ROLE_HEADER,
	ROLE_TITLE,        /* panel titles */
	ROLE_RUNNING,
	ROLE_SLEEPING,
	ROLE_STOPPED,
	ROLE_ZOMBIE,
	ROLE_ORPHAN,
	ROLE_REAPED,
	ROLE_SELF,
	ROLE_NEW,
	ROLE_SELECTED,
	ROLE_STATUS,
	ROLE_PAUSED,
	ROLE_CAPTION,
	ROLE_DIM,
	ROLE_COUNT
};

enum { MIN_COLS = 80, MIN_ROWS = 24 };

struct tui {
	struct tui_opts opts;
	enum tui_screen screen, back;    /* back: where help returns */
	bool quit;
	bool dirty;                  /* redraw the whole screen */

	/* the run on screen */
	struct session *session;
	const struct scenario *scenario;   /* NULL for a command */
	char title[128];                   /* scenario name or command */
	double tempo;                      /* the running session's tempo */
	double interval;                   /* and its interval (a replay: the recording's) */
	double next_tempo;                 /* for the next start (+/-) */
	double slow;                       /* slow motion (s), kept across starts; 0 off */
	char error[256];                   /* why the last start failed */
	char left[1024];                   /* processes a stop could not end */
	bool left_any;
	char record_error[256];            /* why the recording could not be finished */
	bool ended;                        /* the run is over and its end event stored */
	/* An attached run (-p): what waits for y before the tree is stopped
	 * (it is not forkscope's), and a line saying why a key did nothing */
	enum { CONFIRM_NONE, CONFIRM_PAUSE, CONFIRM_STEP, CONFIRM_REWIND } confirm;
	enum rewind_move confirm_move;
	char notice[256];

	int help_page;                     /* 0: keys and symbols; 1: gauges, event words */

	/* view state */
	bool lifelines;
	bool threads;
	bool all_channels;                 /* multiprocessing's own pipes too (c) */
	bool details;                      /* a process is selected */
	pid_t selected;
	unsigned long long selected_start;
	int scroll;                        /* first tree row shown (compact: first column) */
	/* The tree's layout (g): one row a process, or compact (PID and
	 * symbol, in columns); by itself, compact when the rows do not fit */
	enum { TREE_AUTO, TREE_ROWS, TREE_COMPACT } tree_layout;
	bool compact_drawn;                /* the last tree drawn was compact */
	int tree_top, tree_rows;           /* where the tree was drawn (for the mouse) */
	int tree_colw, tree_col_rows;      /* compact: a column's width and rows; 0: rows */
	pid_t row_pid[256];                /* pid on each drawn tree row (compact: */
	unsigned long long row_start[256]; /*   each process drawn, column by column) */

	/* menu state */
	int menu_sel;
	int menu_top;                      /* first entry shown */
	char typed[16];
	double typed_at;

	attr_t attr[ROLE_COUNT];
};

/* tui_draw.c */
void theme_init(struct tui *t);
attr_t role_attr(const struct tui *t, enum role role);
/* Writes s at (y, x), cut to width columns (wide glyphs count as two);
 * returns the columns used. */
int put_clipped(int y, int x, const char *s, int width, attr_t attr);
/* The same, ending in "…" (or "~" in ASCII) when s had to be cut. */
int put_ellipsized(const struct tui *t, int y, int x, const char *s, int width, attr_t attr);
/* put_ellipsized(), but a line too long loses its middle ("…"), not its
 * end: the last third of the width shows the end of s. */
int put_cut_middle(const struct tui *t, int y, int x, const char *s, int width, attr_t attr);
/* The string put_cut_middle() draws, into buf[len]: s itself when it fits
 * width columns; else its start, "…", and its end from the start of a word
 * ("/fs-pool-…-results-1233"). */
void cut_middle(const struct tui *t, const char *s, int width, char *buf, size_t len);
/* Fills a row from x with spaces in attr, up to width columns. */
void fill_row(int y, int x, int width, attr_t attr);
/* A panel title: "─ Title ────────". */
void panel_title(const struct tui *t, int y, int x, int width, const char *title);
/* A note at the right end of a panel's title row (" 3 more "), from 12
 * columns before the end, or further left when it is wider. */
void put_title_note(const struct tui *t, int y, int x, int width, const char *note);
/* One character of a string as the screen draws it. */
struct glyph {
	wchar_t wc[TEXT_GLYPH_MAX];   /* what to draw, NUL-terminated */
	int cols;                     /* its width in columns */
};
/* Decodes the character at s by text.h's terminal rules, the same the text
 * view follows: control characters as their visible forms ("^[" is one
 * glyph of two columns, never cut), invalid bytes as U+FFFD, or '?' when
 * the locale is not UTF-8, tabs as spaces.  A character the locale cannot
 * show (wcwidth() < 0, e.g. unassigned) is '?'.  Returns the bytes of s it
 * took, 0 at the end of s. */
size_t glyph_next(const char *s, struct glyph *g);
/* The display width of a UTF-8 string. */
int text_width(const char *s);
/* Writes s into buf[len] and pads it with spaces to width columns of the
 * screen (a wide character counts two, where printf's "%-10s" counts
 * bytes); s wider than that is copied whole, with no space after it. */
void pad_text(char *buf, size_t len, const char *s, int width);
/* Where a line of text starting at p ends when wrapped at width columns:
 * after the last whole word that fits, a word being what spaces part, or
 * a single character of a script written without spaces (Chinese,
 * Japanese: any two wide characters may part), but never before a closing
 * mark (，。：！？、）」 and the like) nor after an opening one (（「).  A
 * word wider than the line is cut at the line's end, between two
 * characters.  Never returns p itself unless p is at its end; the caller
 * skips the spaces after the end. */
const char *wrap_line_end(const char *p, int width);
/* Walks text wrapped at width columns as the caption is (wrap_line_end():
 * at spaces, between Chinese characters, never inside a word, a number or
 * a glyph unless it is wider than the row, never with a closing mark
 * first): sets [*start, *end) to row k (the end of text when there is no
 * such row) and returns the rows in all, at least 1.  Counting and
 * drawing both walk here, so they agree on where each row begins. */
int wrap_walk(const char *text, int width, int k, const char **start, const char **end);
/* How many rows text takes when wrapped at width columns (at least 1). */
int wrapped_rows(const char *text, int width);
/* Word-wraps text (wrap_line_end()) over up to lines rows from (y, x),
 * width columns each; what does not fit ends the last row in "…".
 * Returns the rows used. */
int put_wrapped(const struct tui *t, int y, int x, int width, int nrows, const char *text,
                attr_t attr);
/* The next tempo up (dir > 0) or down from cur, on one fixed scale. */
double tempo_step(double cur, int dir);

/* tui.c */
void tui_start(struct tui *t);      /* (re)starts the chosen scenario or command */
void tui_stop(struct tui *t);       /* kills and frees the session */

/* tui_menu.c */
void menu_draw(struct tui *t);
void menu_key(struct tui *t, int ch);
void menu_click(struct tui *t, int y, int x);

/* tui_view.c: the layout and the keys; it asks the session for one moment
 * a draw and hands it to every panel below.  The panels draw from the
 * moment alone: never the session's live model, frame or clock. */
void view_draw(struct tui *t);
void view_key(struct tui *t, int ch);
void view_click(struct tui *t, int y, int x);

/* tui_tree.c */
enum role look_role(enum look look);
/* The tree of the processes m shows, in the box (y, x, h, w); started: the
 * program has done something of its own (the introduction may go under
 * the tree).  When one row a process does not fit h (or g asked for it),
 * the compact layout: each process as its PID and state symbol, the tree
 * folded into columns.  Notes where each process went, for tree_pick(). */
void tree_draw(struct tui *t, const struct moment *m, int y, int x, int h, int w, bool started);
/* Moves the selection by delta rows among the processes m shows. */
void tree_move_selection(struct tui *t, const struct moment *m, int delta);
/* The selected process, if m shows it; borrowed from m. */
const struct proc_record *tree_selected(const struct tui *t, const struct moment *m);
/* The process drawn at screen cell (y, x) by the last tree_draw(): false
 * when there is none (a thread row, a gap, outside the tree). */
bool tree_pick(const struct tui *t, int y, int x, pid_t *pid, unsigned long long *start);
/* g: the other layout than the one on screen, from now on. */
void tree_toggle_layout(struct tui *t);

/* tui_log.c: the bottom panels and the caption, from the events below m->upto */
void events_draw(struct tui *t, const struct moment *m, int y, int x, int h, int w);
void output_draw(struct tui *t, const struct moment *m, int y, int x, int h, int w);
/* Two rows from y: scene_caption(), or why nothing runs (m NULL);
 * started: scene_started(m). */
void caption_draw(struct tui *t, const struct moment *m, int y, int cols, bool started);

/* tui_bars.c: m NULL when nothing runs */
void header_draw(struct tui *t, const struct moment *m, int cols);
void status_draw(struct tui *t, const struct moment *m, int y, int cols);

/* tui_queues.c: one gauge a row (two with --projector) */
void queues_draw(struct tui *t, const struct moment *m, int y, int x, int h, int w);
/* How many channels the queues panel shows (internal ones only when all
 * are asked for). */
size_t queues_shown(const struct tui *t, const struct frame *f);

/* tui_details.c: the selected process */
void details_draw(struct tui *t, const struct moment *m, int y, int x, int h, int w);

/* tui_lifelines.c: draws the lifelines in the box (y, x, h, w) */
void lifelines_draw(struct tui *t, const struct moment *m, int y, int x, int h, int w);

/* tui_help.c */
void help_draw(struct tui *t);
void help_key(struct tui *t, int ch);

#endif
