/*
 * tui_tree.c - the process tree: one row per process the moment shows (and
 * its threads under it when asked), each with its tree lines, PID, name and
 * state, and the selection that the details panel follows.  A tree taller
 * than the panel (a fork bomb) is drawn compact instead: the same tree,
 * each process as its PID and state symbol, folded into columns.  Right
 * after a fork, the parent's and the child's rows say what fork() returned
 * to each.
 *
 * It reads the moment only: its tracker for the records, its time for ages,
 * the "new" highlight and the fork() labels, its frame for the threads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "scene.h"
#include "tui_ctx.h"
#include "util.h"

/* The compact layout: the widest a name may be beside its PID, and the
 * columns between two columns of the tree. */
enum { COMPACT_NAME_COLS = 10, COMPACT_GAP = 2 };

/* What the scene's rows are built with: the screen's glyphs, and threads
 * while t shows them. */
static struct scene_opts opts_of(const struct tui *t)
{
	return (struct scene_opts){ .ascii = t->opts.ascii, .threads = t->threads };
}

enum role look_role(enum look look)
{
	switch (look) {
	case LOOK_RUNNING: return ROLE_RUNNING;
	case LOOK_STOPPED: return ROLE_STOPPED;
	case LOOK_ZOMBIE: return ROLE_ZOMBIE;
	case LOOK_ORPHAN: return ROLE_ORPHAN;
	case LOOK_REAPED: return ROLE_REAPED;
	case LOOK_SELF: return ROLE_SELF;
	default: return ROLE_SLEEPING;
	}
}

/* The process the selection is on, shown or not. */
static bool is_current(const struct tui *t, const struct proc_record *r)
{
	return t->selected && r->pid == t->selected && r->start == t->selected_start;
}

/* Highlighted: the current one, while details are shown. */
static bool is_selected(const struct tui *t, const struct proc_record *r)
{
	return t->details && is_current(t, r);
}

const struct proc_record *tree_selected(const struct tui *t, const struct moment *m)
{
	size_t n;
	const struct proc_record *rec = tracker_records(m->tracker, &n);

	for (size_t i = 0; i < n; i++)
		if (is_current(t, &rec[i]) && moment_shows(m, &rec[i]))
			return &rec[i];
	return NULL;
}

static int row_name_width(const struct scene_row *row)
{
	char pid[24], name[PROC_CMD_MAX + 16];

	scene_row_names(row, pid, sizeof(pid), name, sizeof(name));
	return text_width(row->prefix) + text_width(pid) + 1 + text_width(name);
}

/* Draws one tree row; the state starts at column state_col (relative to x)
 * when the names leave room for it. */
static void draw_row(struct tui *t, const struct moment *m, const struct scene_row *row, int y, int x,
                     int w, int state_col)
{
	struct scene_opts so = opts_of(t);
	const struct proc_record *r = row->rec;
	char state[320], name[PROC_CMD_MAX + 16], pid[24], fresh_s[64], label[64];
	bool ascii = t->opts.ascii;

	scene_row_names(row, pid, sizeof(pid), name, sizeof(name));
	scene_row_state(m, &so, row, state, sizeof(state));
	scene_fork_label(m, t->opts.ascii, row, label, sizeof(label));
	enum look look = row->thread ? LOOK_SLEEPING : describe_look(r);
	bool selected = !row->thread && is_selected(t, r);
	bool fresh = !row->thread && scene_fresh(m, r);
	attr_t base = role_attr(t, look == LOOK_REAPED || look == LOOK_ZOMBIE ? look_role(look)
	                                                                      : ROLE_NORMAL);
	if (row->thread || scene_kernel_row(m, r))
		base = role_attr(t, ROLE_DIM);
	if (selected)
		base = role_attr(t, ROLE_SELECTED);
	fill_row(y, x, w, base);

	int col = x, end = x + w;
	col += put_clipped(y, col, row->prefix, end - col, selected ? base : role_attr(t, ROLE_DIM));
	attr_t name_attr = selected || scene_kernel_row(m, r) ? base
	                   : fresh ? role_attr(t, ROLE_NEW) : base | A_BOLD;
	col += put_clipped(y, col, pid, end - col, name_attr);
	col += put_clipped(y, col, " ", end - col, base);
	int gap = t->opts.projector ? 3 : 2;
	/* a name too long for the state column loses its middle, not the
	 * column its line-up ("ForkPoolWorker-1…worker(0)": the task stays) */
	int room = x + state_col - gap - col;
	if (text_width(name) > room && room >= 12)
		col += put_cut_middle(t, y, col, name, room, name_attr);
	else
		col += put_clipped(y, col, name, end - col, name_attr);
	int target = x + state_col > col + gap ? x + state_col : col + gap;
	if (target >= end)
		return;
	col = target;
	attr_t sa = selected || scene_kernel_row(m, r) ? base : role_attr(t, look_role(look));
	/* what fork() returned goes after the state, which is cut for it
	 * rather than the other way round: it is there for a moment only */
	int label_w = label[0] ? 2 + text_width(label) : 0;
	if (end - col - label_w < 10)
		label_w = 0;
	col += put_ellipsized(t, y, col, state, end - col - label_w, sa);
	if (label_w) {
		col += put_clipped(y, col, "  ", end - col, base);
		col += put_clipped(y, col, label, end - col,
		                   selected ? base : role_attr(t, ROLE_NEW) | A_BOLD);
	}
	snprintf(fresh_s, sizeof(fresh_s), "  %s %s", ascii ? "+" : "✚", _("new"));
	if (fresh && col + text_width(fresh_s) + 1 < end)
		col += put_clipped(y, col, fresh_s, end - col, selected ? base : role_attr(t, ROLE_NEW));
	/* the command line, when it says more than the role, and there is room;
	 * not a forked child's, which is its parent's; not forkscope's own,
	 * which names what it was started with, not what it runs now (after
	 * m and another demo: the first one) */
	const struct proc_record *parent = row->thread ? NULL : tracker_find(m->tracker, r->ppid);
	char script[PROC_CMD_MAX];
	bool inherited = (parent && strcmp(parent->cmd, r->cmd) == 0) ||
	                 describe_python_script(r, script, sizeof(script));
	if (!t->opts.projector && !row->thread && !r->is_self && !row->kernel && r->cmd[0] &&
	    strcmp(r->cmd, name) != 0 &&
	    strcmp(r->cmd, r->comm) != 0 && !inherited && col + 12 < end) {
		col += put_clipped(y, col, "   ", end - col, base);
		put_clipped(y, col, r->cmd, end - col, selected ? base : role_attr(t, ROLE_DIM));
	}
}

/* The title, and that threads are shown while t shows them: t carries
 * over r and m, so the screen says it is on, and which key turns it off. */
static void tree_title(const struct tui *t, const struct moment *m, size_t nrows, bool compact,
                       char *buf, size_t len)
{
	scene_tree_title(m, nrows, buf, len);
	/* (the compact tree shows no threads: its title has its own note) */
	if (t->threads && !compact && strlen(buf) + 64 < len) {
		size_t used = strlen(buf);
		/* TRANSLATORS: after the tree's title while t shows each
		 * process's threads under it */
		snprintf(buf + used, len - used, "%s", _(", threads shown (t hides)"));
	}
}

/* Where the rows start so that the selection stays in view, above the
 * "more below" line when there is one; returns the rows that are room. */
static int scroll_to_selection(struct tui *t, const struct scene_row *rows, int n, int visible)
{
	int sel = -1;

	for (int i = 0; i < n; i++)
		if (!rows[i].thread && is_selected(t, rows[i].rec))
			sel = i;
	int room = n > visible ? visible - 1 : visible;
	if (sel >= 0) {
		if (sel < t->scroll)
			t->scroll = sel;
		if (sel >= t->scroll + room)
			t->scroll = sel - room + 1;
	}
	if (t->scroll > n - room)
		t->scroll = n - room;
	if (t->scroll < 0)
		t->scroll = 0;
	return room;
}

/* The state column lines up just after the longest name shown, but never
 * further than half the panel. */
static int state_column(const struct tui *t, const struct scene_row *rows, int count, int w)
{
	int col = 0;

	for (int i = 0; i < count; i++) {
		int nw = row_name_width(&rows[i]);
		if (nw > col)
			col = nw;
	}
	col += t->opts.projector ? 3 : 2;
	return col > w / 2 ? w / 2 : col;
}

/* ---- the compact layout -------------------------------------------------- */

/* How the processes are folded into columns. */
struct fold {
	int colw;         /* one column's width, the gap after it included */
	int ncols;        /* columns side by side on screen */
	int per_col;      /* processes a column */
	bool names;       /* each with its name after its symbol */
	bool fits;        /* all of them at once */
};

static int compact_gap(const struct tui *t)
{
	return t->opts.projector ? COMPACT_GAP + 1 : COMPACT_GAP;
}

/* "├─12990 ○ gen 1": its width in columns, the name cut at
 * COMPACT_NAME_COLS. */
static int entry_width(const struct tui *t, const struct scene_row *row, bool names)
{
	char pid[24], name[PROC_CMD_MAX + 16];

	scene_row_names(row, pid, sizeof(pid), name, sizeof(name));
	int wd = text_width(row->tight) + text_width(pid) + 1 +
	         text_width(describe_symbol(describe_look(row->rec), t->opts.ascii));
	if (names && name[0]) {
		int nw = text_width(name);
		wd += 1 + (nw < COMPACT_NAME_COLS ? nw : COMPACT_NAME_COLS);
	}
	return wd;
}

/* Folds the n processes e into the width w and rows rows: with their names
 * when asked; as few columns as hold them all, else as many as the width
 * takes.  False when they do not all fit. */
static bool fold_into(const struct tui *t, const struct scene_row *const *e, int n, int w, int rows,
                      bool names, struct fold *f)
{
	int widest = 1, gap = compact_gap(t);

	for (int i = 0; i < n; i++) {
		int ew = entry_width(t, e[i], names);
		if (ew > widest)
			widest = ew;
	}
	f->names = names;
	f->colw = widest + gap;
	int most = (w + gap) / f->colw;
	if (most < 1)
		most = 1;
	int need = rows > 0 ? (n + rows - 1) / rows : n;
	f->fits = need <= most;
	f->ncols = f->fits ? (need > 0 ? need : 1) : most;
	f->per_col = f->fits ? (n + f->ncols - 1) / f->ncols : rows;
	return f->fits;
}

/* One process of the compact layout at (y, x), at most w columns: its tree
 * lines, its PID (highlighted while new), its state symbol in its colour
 * and, when f says so, its name. */
static void draw_entry(struct tui *t, const struct moment *m, const struct scene_row *row, int y, int x,
                       int w, bool names)
{
	const struct proc_record *r = row->rec;
	char pid[24], name[PROC_CMD_MAX + 16];
	enum look look = describe_look(r);
	bool selected = is_selected(t, r);
	attr_t base = role_attr(t, look == LOOK_REAPED || look == LOOK_ZOMBIE ? look_role(look)
	                                                                      : ROLE_NORMAL);
	if (selected)
		base = role_attr(t, ROLE_SELECTED);
	scene_row_names(row, pid, sizeof(pid), name, sizeof(name));
	int col = x, end = x + w;
	if (selected)
		fill_row(y, x + text_width(row->tight), w - text_width(row->tight), base);
	col += put_clipped(y, col, row->tight, end - col, role_attr(t, ROLE_DIM));
	attr_t pid_attr = selected ? base : scene_fresh(m, r) ? role_attr(t, ROLE_NEW) : base | A_BOLD;
	col += put_clipped(y, col, pid, end - col, pid_attr);
	col += put_clipped(y, col, " ", end - col, base);
	col += put_clipped(y, col, describe_symbol(look, t->opts.ascii), end - col,
	                   selected ? base : role_attr(t, look_role(look)));
	if (names && name[0] && col + 1 < end) {
		col += put_clipped(y, col, " ", end - col, base);
		int room = end - col < COMPACT_NAME_COLS ? end - col : COMPACT_NAME_COLS;
		put_ellipsized(t, y, col, name, room, base);
	}
}

/* Keeps the column of the selection on screen; t->scroll counts columns
 * of the tree here. */
static void scroll_compact(struct tui *t, const struct scene_row *const *e, int n, const struct fold *f)
{
	int total = (n + f->per_col - 1) / f->per_col;

	for (int i = 0; i < n; i++)
		if (is_selected(t, e[i]->rec)) {
			int c = i / f->per_col;
			if (c < t->scroll)
				t->scroll = c;
			if (c >= t->scroll + f->ncols)
				t->scroll = c - f->ncols + 1;
		}
	if (t->scroll > total - f->ncols)
		t->scroll = total - f->ncols;
	if (t->scroll < 0)
		t->scroll = 0;
}


/* Under the tree: how many are out of view below ("▼ 19 more below"). */
static void more_below_line(const struct tui *t, int y, int x, int w, int hidden)
{
	char more[256], words[224];

	/* TRANSLATORS: under the tree: how many rows are out of view below */
	snprintf(words, sizeof(words), _("%d more below (arrows or PgDn to scroll)"), hidden);
	snprintf(more, sizeof(more), "%s %s", t->opts.ascii ? "v" : "▼", words);
	put_clipped(y, x + 1, more, w - 1, role_attr(t, ROLE_TITLE));
}

/* On the tree's title: more above, scrolled out of view. */
static void more_above_note(const struct tui *t, int y, int x, int w)
{
	char more[64];

	snprintf(more, sizeof(more), " %s %s ", t->opts.ascii ? "^" : "▲", _("more"));
	put_title_note(t, y, x, w, more);
}

/* The tree of rows, compact: the processes in tree order down each column,
 * then the next column.  Returns the rows a column takes, for the
 * introduction under it. */
static int draw_compact(struct tui *t, const struct moment *m, const struct scene_row *rows, int nrows,
                        int y, int x, int w, int visible)
{
	const struct scene_row **e = xcalloc(nrows ? (size_t)nrows : 1, sizeof(*e));
	int n = 0;
	struct fold f;

	/* threads have their rows in the other layout only */
	for (int i = 0; i < nrows; i++)
		if (!rows[i].thread)
			e[n++] = &rows[i];
	if (!fold_into(t, e, n, w, visible, true, &f) && !fold_into(t, e, n, w, visible, false, &f))
		fold_into(t, e, n, w, visible - 1, false, &f);
	if (f.fits)
		t->scroll = 0;
	else
		scroll_compact(t, e, n, &f);
	int first = t->scroll * f.per_col;
	int shown = n - first < f.ncols * f.per_col ? n - first : f.ncols * f.per_col;

	t->tree_colw = f.colw;
	t->tree_col_rows = f.per_col;
	t->tree_rows = 0;
	for (int i = 0; i < shown; i++) {
		int c = i / f.per_col, yy = y + 1 + i % f.per_col, xx = x + c * f.colw;
		draw_entry(t, m, e[first + i], yy, xx, f.colw - compact_gap(t), f.names);
		if (i < (int)(sizeof(t->row_pid) / sizeof(t->row_pid[0]))) {
			t->row_pid[i] = e[first + i]->rec->pid;
			t->row_start[i] = e[first + i]->rec->start;
			t->tree_rows = i + 1;
		}
	}
	if (first + shown < n)
		more_below_line(t, y + visible, x, w, n - first - shown);
	if (t->scroll > 0) {
		more_above_note(t, y, x, w);
	} else {
		char note[96];
		/* TRANSLATORS: at the right of the tree's title when the tree is
		 * compact (each process as its PID and symbol, in columns); g is
		 * the key that switches to one row a process */
		snprintf(note, sizeof(note), " %s ", _("compact (g)"));
		put_title_note(t, y, x, w, note);
	}
	free(e);
	return f.fits ? f.per_col : visible;
}

/* ---- the tree ------------------------------------------------------------ */

/* One row a process, scrolled to the selection.  Returns the rows it
 * takes, for the introduction under it. */
static int draw_rows(struct tui *t, const struct moment *m, const struct scene_row *rows, int n, int y,
                     int x, int w, int visible)
{
	int room = scroll_to_selection(t, rows, n, visible);
	bool more_below = n > t->scroll + room;
	int shown = more_below ? room : visible;
	if (shown > n - t->scroll)
		shown = n - t->scroll;
	const struct scene_row *first = rows + t->scroll;
	int state_col = state_column(t, first, shown, w);

	t->tree_colw = 0;
	t->tree_col_rows = 0;
	t->tree_rows = 0;
	for (int i = 0; i < shown; i++) {
		draw_row(t, m, &first[i], y + 1 + i, x, w, state_col);
		if (i < (int)(sizeof(t->row_pid) / sizeof(t->row_pid[0]))) {
			t->row_pid[i] = first[i].thread || first[i].kernel ? 0 : first[i].rec->pid;
			t->row_start[i] = first[i].rec->start;
			t->tree_rows = i + 1;
		}
	}
	if (more_below)
		more_below_line(t, y + visible, x, w, n - t->scroll - shown);
	if (t->scroll > 0)
		more_above_note(t, y, x, w);
	return more_below ? visible : n;
}

void tree_draw(struct tui *t, const struct moment *m, int y, int x, int h, int w, bool started)
{
	struct scene_opts so = opts_of(t);
	struct scene_row *rows = xcalloc(SCENE_MAX_ROWS, sizeof(*rows));
	int n = (int)scene_rows(m, &so, rows, SCENE_MAX_ROWS);
	int visible = h - 1;
	char title[256];

	bool compact = t->tree_layout == TREE_COMPACT || (t->tree_layout == TREE_AUTO && n > visible);
	tree_title(t, m, (size_t)n, compact, title, sizeof(title));
	panel_title(t, y, x, w, title);
	/* the two layouts count t->scroll in different units */
	if (compact != t->compact_drawn)
		t->scroll = 0;
	t->compact_drawn = compact;
	t->tree_top = y + 1;
	int used = compact ? draw_compact(t, m, rows, n, y, x, w, visible)
	                   : draw_rows(t, m, rows, n, y, x, w, visible);
	/* the scenario's introduction stays in view while the tree leaves room:
	 * its two sentences wrapped, over three rows where they need them
	 * (at 80 columns a sentence may not fit its row), one row left blank
	 * under the tree */
	int room = visible - used - 1;
	if (t->scenario && started && room >= 2) {
		char intro[1024];
		scene_join_sentences(intro, sizeof(intro), _(t->scenario->intro[0]),
		               _(t->scenario->intro[1]));
		int need = wrapped_rows(intro, w - 2);
		int rows_used = need < 3 ? need : 3;
		if (rows_used > room)
			rows_used = room;
		put_wrapped(t, y + visible + 1 - rows_used, x + 2, w - 2, rows_used, intro,
		            role_attr(t, ROLE_DIM));
	}
	free(rows);
}

bool tree_pick(const struct tui *t, int y, int x, pid_t *pid, unsigned long long *start)
{
	int i = y - t->tree_top;

	if (i < 0)
		return false;
	if (t->tree_colw > 0) {
		if (i >= t->tree_col_rows || x < 0 || x % t->tree_colw >= t->tree_colw - compact_gap(t))
			return false;
		i += x / t->tree_colw * t->tree_col_rows;
	}
	if (i >= t->tree_rows || !t->row_pid[i])
		return false;
	*pid = t->row_pid[i];
	*start = t->row_start[i];
	return true;
}

void tree_toggle_layout(struct tui *t)
{
	t->tree_layout = t->compact_drawn ? TREE_ROWS : TREE_COMPACT;
}

void tree_move_selection(struct tui *t, const struct moment *m, int delta)
{
	struct scene_opts so = opts_of(t);
	struct scene_row *rows = xcalloc(SCENE_MAX_ROWS, sizeof(*rows));
	int n = (int)scene_rows(m, &so, rows, SCENE_MAX_ROWS);
	int cur = -1;

	for (int i = 0; i < n; i++)
		if (!rows[i].thread && is_current(t, rows[i].rec))
			cur = i;
	int next = cur < 0 ? (delta > 0 ? 0 : n - 1) : cur + delta;
	if (next < 0)
		next = 0;
	if (next >= n)
		next = n - 1;
	/* skip thread rows (and PID 0's, no process to watch) in the direction of travel */
	while (next >= 0 && next < n && (rows[next].thread || rows[next].kernel))
		next += delta >= 0 ? 1 : -1;
	if (next >= 0 && next < n) {
		t->details = true;
		t->selected = rows[next].rec->pid;
		t->selected_start = rows[next].rec->start;
	}
	free(rows);
}
