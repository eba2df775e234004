/*
 * tui_draw.c - themes and the small drawing helpers every screen uses.
 *
 * Colour is never the only signal: every role also reads in mono (bold,
 * underline, reverse), and every state has a symbol and a word.
 */
#include <string.h>
#include <wchar.h>

#include "tui_ctx.h"
#include "util.h"

struct colours {
	short fg, bg;
	attr_t extra;
};

/* fg/bg -1 is the terminal's default */
static void set_role(struct tui *t, enum role role, struct colours c, bool colour)
{
	attr_t a = c.extra;

	if (colour) {
		init_pair((short)role, c.fg, c.bg);
		a |= COLOR_PAIR(role);
	}
	if (t->opts.projector)
		a |= A_BOLD;
	t->attr[role] = a;
}

void theme_init(struct tui *t)
{
	bool colour = t->opts.theme != THEME_MONO && has_colors();
	struct colours c[ROLE_COUNT];

	if (colour) {
		start_color();
		use_default_colors();
	}
	/* COLORS is known only once start_color() has run */
	bool rich = colour && COLORS >= 256;
	memset(c, 0, sizeof(c));
	if (t->opts.theme == THEME_LIGHT) {
		/* dark ink on a white page: what most projectors show best */
		/* 231 and 16 are pure white and black; COLOR_WHITE is often grey */
		short bg = rich ? 231 : COLOR_WHITE;
		short ink = rich ? 16 : COLOR_BLACK;
		c[ROLE_NORMAL] = (struct colours){ ink, bg, 0 };
		c[ROLE_HEADER] = (struct colours){ bg, rich ? 18 : COLOR_BLUE, A_BOLD };
		c[ROLE_TITLE] = (struct colours){ rich ? 18 : COLOR_BLUE, bg, A_BOLD };
		c[ROLE_RUNNING] = (struct colours){ rich ? 28 : COLOR_GREEN, bg, A_BOLD };
		c[ROLE_SLEEPING] = (struct colours){ ink, bg, 0 };
		c[ROLE_STOPPED] = (struct colours){ rich ? 130 : COLOR_YELLOW, bg, A_BOLD };
		c[ROLE_ZOMBIE] = (struct colours){ rich ? 124 : COLOR_RED, bg, A_BOLD };
		c[ROLE_ORPHAN] = (struct colours){ rich ? 90 : COLOR_MAGENTA, bg, A_BOLD };
		c[ROLE_REAPED] = (struct colours){ rich ? 244 : ink, bg, 0 };
		c[ROLE_SELF] = (struct colours){ rich ? 18 : COLOR_BLUE, bg, 0 };
		c[ROLE_NEW] = (struct colours){ bg, rich ? 28 : COLOR_GREEN, A_BOLD };
		c[ROLE_SELECTED] = (struct colours){ bg, ink, A_BOLD };
		c[ROLE_STATUS] = (struct colours){ bg, rich ? 18 : COLOR_BLUE, 0 };
		c[ROLE_PAUSED] = (struct colours){ bg, rich ? 124 : COLOR_RED, A_BOLD };
		c[ROLE_CAPTION] = (struct colours){ ink, rich ? 229 : COLOR_YELLOW, A_BOLD };
		c[ROLE_DIM] = (struct colours){ rich ? 242 : ink, bg, 0 };
	} else {
		c[ROLE_NORMAL] = (struct colours){ -1, -1, 0 };
		c[ROLE_HEADER] = (struct colours){ COLOR_WHITE, COLOR_BLUE, A_BOLD };
		c[ROLE_TITLE] = (struct colours){ COLOR_CYAN, -1, A_BOLD };
		c[ROLE_RUNNING] = (struct colours){ COLOR_GREEN, -1, A_BOLD };
		c[ROLE_SLEEPING] = (struct colours){ -1, -1, 0 };
		c[ROLE_STOPPED] = (struct colours){ COLOR_YELLOW, -1, A_BOLD };
		c[ROLE_ZOMBIE] = (struct colours){ COLOR_RED, -1, A_BOLD };
		c[ROLE_ORPHAN] = (struct colours){ COLOR_MAGENTA, -1, A_BOLD };
		c[ROLE_REAPED] = (struct colours){ rich ? 245 : COLOR_WHITE, -1, rich ? 0 : A_DIM };
		c[ROLE_SELF] = (struct colours){ COLOR_CYAN, -1, 0 };
		/* black on green, not bold: bold black shows as grey on many terminals */
		c[ROLE_NEW] = (struct colours){ rich ? 16 : COLOR_BLACK, COLOR_GREEN, 0 };
		c[ROLE_SELECTED] = (struct colours){ rich ? 16 : COLOR_BLACK, COLOR_CYAN, 0 };
		c[ROLE_STATUS] = (struct colours){ COLOR_WHITE, COLOR_BLUE, 0 };
		c[ROLE_PAUSED] = (struct colours){ COLOR_WHITE, COLOR_RED, A_BOLD };
		c[ROLE_CAPTION] = (struct colours){ COLOR_YELLOW, -1, A_BOLD };
		c[ROLE_DIM] = (struct colours){ rich ? 245 : COLOR_WHITE, -1, rich ? 0 : A_DIM };
	}
	if (!colour) {
		/* mono, NO_COLOR, or a terminal without colours: attributes only */
		c[ROLE_HEADER].extra = A_REVERSE | A_BOLD;
		c[ROLE_TITLE].extra = A_BOLD;
		c[ROLE_RUNNING].extra = A_BOLD;
		c[ROLE_ZOMBIE].extra = A_BOLD;
		c[ROLE_ORPHAN].extra = A_BOLD | A_UNDERLINE;
		c[ROLE_REAPED].extra = A_DIM;
		c[ROLE_NEW].extra = A_UNDERLINE | A_BOLD;
		c[ROLE_SELECTED].extra = A_REVERSE;
		c[ROLE_STATUS].extra = A_REVERSE;
		c[ROLE_PAUSED].extra = A_REVERSE | A_BOLD;
		c[ROLE_CAPTION].extra = A_BOLD;
		c[ROLE_DIM].extra = A_DIM;
	}
	/* on a projector, grey washes out: secondary text is drawn like the rest */
	if (t->opts.projector)
		c[ROLE_DIM] = c[ROLE_NORMAL];
	for (int r = ROLE_NORMAL; r < ROLE_COUNT; r++)
		set_role(t, (enum role)r, c[r], colour);
	/* the whole screen in the theme's background, not just where text is */
	bkgd(' ' | (colour ? COLOR_PAIR(ROLE_NORMAL) : 0));
}

attr_t role_attr(const struct tui *t, enum role role)
{
	return t->attr[role];
}

/* text.c decodes UTF-8 itself; turning its code points into wchar_t for
 * curses and wcwidth() needs wchar_t to hold Unicode, as glibc's does. */
#ifndef __STDC_ISO_10646__
#error "forkscope needs wchar_t to hold Unicode code points"
#endif

size_t glyph_next(const char *s, struct glyph *g)
{
	char form[TEXT_GLYPH_MAX];
	/* no character is longer than 4 bytes: no need to measure all of s */
	size_t n = text_glyph(s, strnlen(s, 4), text_for_terminal(), form);
	size_t k = 0;

	g->cols = 0;
	for (const char *p = form; *p && n > 0;) {
		char32_t cp;
		p += text_decode(p, strlen(p), &cp);
		int cw = wcwidth((wchar_t)cp);
		if (cw < 0) {
			/* printable by text.h's rules, yet not in this locale */
			g->wc[0] = L'?';
			k = 1;
			g->cols = 1;
			break;
		}
		g->wc[k++] = (wchar_t)cp;
		g->cols += cw;
	}
	g->wc[k] = L'\0';
	return n;
}

int text_width(const char *s)
{
	return text_columns(s, text_for_terminal());
}

void pad_text(char *buf, size_t len, const char *s, int width)
{
	if (len == 0)
		return;
	str_copy(buf, len, s);
	size_t used = strlen(buf);
	for (int w = text_width(buf); w < width && used + 1 < len; w++)
		buf[used++] = ' ';
	buf[used] = '\0';
}

/* Marks a line must not begin with, and marks it must not end with. */
static bool closing_mark(wchar_t c)
{
	return c && wcschr(L"，。、：；！？）》」』】〉”’…,.:;!?)]}%", c) != NULL;
}

static bool opening_mark(wchar_t c)
{
	return c && wcschr(L"（《「『【〈“‘([{", c) != NULL;
}

const char *wrap_line_end(const char *p, int width)
{
	const char *q = p, *best = NULL;
	wchar_t prev = 0;
	int prev_cols = 0, used = 0;
	struct glyph g;
	size_t n;

	while ((n = glyph_next(q, &g)) > 0) {
		wchar_t c = g.wc[0];
		/* a break before q: at a space, or between two characters one of
		 * which is wide, unless the marks keep them together */
		if (q > p && c != L' ' && prev != L' ' &&
		    (g.cols == 2 || prev_cols == 2) && !closing_mark(c) && !opening_mark(prev))
			best = q;
		if (c == L' ' && q > p && prev != L' ')
			best = q;
		if (c != L' ' && used + g.cols > width)
			break;
		used += g.cols;
		prev = c;
		prev_cols = g.cols;
		q += n;
	}
	if (!*q || n == 0)
		return q;
	if (best)
		return best;
	/* one word wider than the line: cut where the line ends */
	return q > p ? q : p + glyph_next(p, &g);
}

int put_clipped(int y, int x, const char *s, int width, attr_t attr)
{
	struct glyph g;
	int used = 0;
	size_t n;

	if (width <= 0)
		return 0;
	move(y, x);
	attrset(attr);
	while ((n = glyph_next(s, &g)) > 0) {
		if (used + g.cols > width)
			break;
		if (g.cols > 0)
			addnwstr(g.wc, (int)wcslen(g.wc));
		used += g.cols;
		s += n;
	}
	attrset(A_NORMAL);
	return used;
}

int put_ellipsized(const struct tui *t, int y, int x, const char *s, int width, attr_t attr)
{
	if (width <= 0)
		return 0;
	if (text_width(s) <= width)
		return put_clipped(y, x, s, width, attr);
	int used = put_clipped(y, x, s, width - 1, attr);
	return used + put_clipped(y, x + used, t->opts.ascii ? "~" : "…", 1, attr);
}

void cut_middle(const struct tui *t, const char *s, int width, char *buf, size_t len)
{
	int w = text_width(s);

	if (w <= width || width < 3) {
		snprintf(buf, len, "%s", s);
		return;
	}
	/* the last third of the width from the end of s, whole glyphs */
	int tail_w = width / 3;
	const char *tail = s;
	struct glyph g;
	size_t n;
	while (w > tail_w && (n = glyph_next(tail, &g)) > 0) {
		w -= g.cols;
		tail += n;
	}
	/* a tail that starts inside a word starts at the word instead
	 * ("…-results-1233", not "…ts-1233"), up to two thirds of the width */
	const char *word = tail;
	while (word > s && !strchr(" -_/.:", word[-1]))
		word--;
	if (word > s && word < tail && text_width(word) <= 2 * width / 3) {
		tail = word;
		w = text_width(word);
	}
	/* a tail of a number alone ("…-1233") says little: take the word
	 * before it too ("…tasks-1233"), if a head of two columns is left */
	if (tail > s && strspn(tail, "0123456789") > 0 && !strpbrk(tail, " ")) {
		word = tail - 1;
		while (word > s && !strchr(" -_/.:", word[-1]))
			word--;
		if (word > s && text_width(word) <= width - 3) {
			tail = word;
			w = text_width(word);
		}
	}
	/* the head: whole glyphs in width - 1 - w columns */
	int head_w = width - 1 - w, used = 0;
	const char *head_end = s;
	while ((n = glyph_next(head_end, &g)) > 0 && used + g.cols <= head_w) {
		used += g.cols;
		head_end += n;
	}
	snprintf(buf, len, "%.*s%s%s", (int)(head_end - s), s, t->opts.ascii ? "~" : "…", tail);
}

int put_cut_middle(const struct tui *t, int y, int x, const char *s, int width, attr_t attr)
{
	char buf[2048];

	if (width <= 0)
		return 0;
	if (text_width(s) <= width || width < 12)
		return put_ellipsized(t, y, x, s, width, attr);
	cut_middle(t, s, width, buf, sizeof(buf));
	return put_clipped(y, x, buf, width, attr);
}

void fill_row(int y, int x, int width, attr_t attr)
{
	attrset(attr);
	for (int i = 0; i < width; i++)
		mvaddch(y, x + i, ' ');
	attrset(A_NORMAL);
}

void panel_title(const struct tui *t, int y, int x, int width, const char *title)
{
	attr_t a = role_attr(t, ROLE_TITLE);
	const char *rule = t->opts.ascii ? "-" : "─";
	int used = 0;

	used += put_clipped(y, x, rule, width, a);
	used += put_clipped(y, x + used, " ", width - used, a);
	used += put_clipped(y, x + used, title, width - used, a);
	used += put_clipped(y, x + used, " ", width - used, a);
	while (used < width) {
		int w = put_clipped(y, x + used, rule, width - used, a);
		if (w == 0)
			break;
		used += w;
	}
}

void put_title_note(const struct tui *t, int y, int x, int width, const char *note)
{
	int nw = text_width(note);
	int at = nw <= 11 ? width - 12 : width - 1 - nw;

	if (at < 0)
		at = 0;
	put_clipped(y, x + at, note, width - 1 - at, role_attr(t, ROLE_TITLE));
}

int wrap_walk(const char *text, int width, int k, const char **start, const char **end)
{
	const char *p = text;

	*start = *end = text + strlen(text);
	for (int row = 0;; row++) {
		const char *e = *p ? wrap_line_end(p, width) : p;
		if (row == k) {
			*start = p;
			*end = e;
		}
		const char *q = e;
		while (*q == ' ')
			q++;
		if (!*q)
			return row + 1;
		p = q;
	}
}

int wrapped_rows(const char *text, int width)
{
	const char *a, *b;

	return wrap_walk(text, width, -1, &a, &b);
}

int put_wrapped(const struct tui *t, int y, int x, int width, int nrows, const char *text,
                attr_t attr)
{
	const char *p = text;
	char buf[1024];
	int row = 0;

	for (; row < nrows && *p; row++) {
		if (row == nrows - 1) {
			/* the last row: the rest, cut with "…" if it is too long */
			put_ellipsized(t, y + row, x, p, width, attr);
			return row + 1;
		}
		const char *cut = wrap_line_end(p, width);
		size_t n = (size_t)(cut - p);
		if (n >= sizeof(buf))
			n = sizeof(buf) - 1;
		memcpy(buf, p, n);
		buf[n] = '\0';
		put_clipped(y + row, x, buf, width, attr);
		p = cut;
		while (*p == ' ')
			p++;
	}
	return row;
}

double tempo_step(double cur, int dir)
{
	/* not 0: with no pauses a demo is over before anyone sees it (a zombie
	 * that lives no time at all); --tempo 0 is for tests and scripts */
	static const double scale[] = { 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10 };
	size_t n = sizeof(scale) / sizeof(scale[0]);

	if (dir > 0) {
		for (size_t i = 0; i < n; i++)
			if (scale[i] > cur + 1e-9)
				return scale[i];
		return scale[n - 1];
	}
	for (size_t i = n; i-- > 0;)
		if (scale[i] < cur - 1e-9)
			return scale[i];
	return scale[0];
}
