/*
 * tui_view.c - the live view: tree (or lifelines), event log, program
 * output, caption, details and status bar.
 *
 * It reads the session's model and history and draws them; its keys drive
 * the session's controls.  Layout from 80x24 up:
 *
 *   header                       (1 row)
 *   tree or lifelines [details]  (the rest)
 *   events | output or details   (6 to 10 rows)
 *   caption                      (2 rows)
 *   status bar                   (1 row)
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "describe.h"
#include "explain.h"
#include "tui_ctx.h"
#include "util.h"

/* How long a new process stays highlighted. */
#define NEW_SECS 3.0
/* Tree levels drawn with lines; deeper ones start with an ellipsis. */
enum { MAX_DRAWN_DEPTH = 16 };
/* How far back the panels look for lifecycle events among output lines:
 * a program that floods its output must not slow every frame down. */
enum { SCAN_BACK = 20000 };


struct layout {
	bool started;                   /* the program has done something of its own */
	int rows, cols;
	int queue_y, queue_h;           /* the queue panel, title row included; 0: none */
	int tree_y, tree_h, tree_w;     /* the tree panel, title row included */
	int side_x, side_w;             /* details beside the tree; side_w 0: none */
	int log_y, log_h;               /* events and output, title row included */
	int out_x, out_w;               /* the right-hand bottom panel */
	int caption_y;
	int status_y;
};

static void compute_layout(const struct tui *t, struct layout *L)
{
	getmaxyx(stdscr, L->rows, L->cols);
	int gap = t->opts.projector ? 1 : 0;
	L->status_y = L->rows - 1;
	L->caption_y = L->rows - 3;
	/* the bottom panels grow with the terminal: output lines are long */
	L->log_h = L->rows <= 26 ? 6 : (L->rows - 4) * 2 / 5;
	L->log_y = L->caption_y - gap - L->log_h;
	L->tree_y = 1;
	L->tree_h = L->log_y - gap - L->tree_y;
	/* the queues, under the tree, when the program holds any: one gauge a
	 * row (two with --projector), at most four, and never more than half
	 * of the tree's room */
	size_t nch = t->session ? session_frame(t->session)->nchannels : 0;
	int per = t->opts.projector ? 2 : 1;
	int want = nch ? 1 + per * (int)(nch < 4 ? nch : 4) : 0;
	if (want > L->tree_h / 2)
		want = L->tree_h / 2 >= 1 + per ? 1 + per * ((L->tree_h / 2 - 1) / per) : 0;
	L->queue_h = want;
	L->queue_y = L->log_y - gap - want;
	if (want)
		L->tree_h -= want + gap;
	/* details beside the tree on a wide screen, once something is selected */
	L->side_w = L->cols >= 120 && t->details ? 46 : 0;
	L->side_x = L->cols - L->side_w;
	L->tree_w = L->cols - L->side_w - (L->side_w ? 1 : 0);
	L->out_x = L->cols / 2 + 1;
	L->out_w = L->cols - L->out_x;
}

static enum role look_role(enum look look)
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

/* ---- header, status, caption -------------------------------------- */

/* The run's clock: it stops when the run is over. */
static double run_time(const struct tui *t)
{
	if (!t->session)
		return 0;
	if (session_finished(t->session)) {
		const struct history *h = session_history(t->session);
		if (history_count(h))
			return history_at(h, history_count(h) - 1)->t;
	}
	return session_elapsed(t->session);
}

/* Where a backward scan of the history stops: SCAN_BACK events back, or
 * the oldest one kept. */
static size_t scan_floor(const struct history *h)
{
	size_t floor = history_count(h) > SCAN_BACK ? history_count(h) - SCAN_BACK : 0;

	return floor > history_first(h) ? floor : history_first(h);
}

/* Whether the program has done anything of its own yet (until then the
 * caption holds the scenario's introduction): an event, not output, about
 * another process than the one started.  Once true it stays so (the tui
 * keeps it), so only the events since the last look are walked. */
static bool program_started(const struct tui *t)
{
	const struct history *h = session_history(t->session);
	const struct event *ev;

	for (size_t k = 0; (ev = history_recent(h, k)); k++)
		if (ev->pid != session_root(t->session))
			return true;
	return false;
}

/* "tempo 0.5 (2x speed)": the number is a pause multiplier, so bigger is
 * slower; the speed says it the way people expect. */
static void tempo_words(double tempo, char *buf, size_t len)
{
	if (tempo <= 0)
		snprintf(buf, len, "tempo 0 (no pauses)");
	else if (tempo == 1)
		snprintf(buf, len, "tempo 1 (class pace)");
	else if (tempo < 1)
		snprintf(buf, len, "tempo %g (%.2gx speed)", tempo, 1 / tempo);
	else
		snprintf(buf, len, "tempo %g (%gx slower)", tempo, tempo);
}

static void draw_header(struct tui *t, const struct layout *L)
{
	char left[256], right[64];
	attr_t a = role_attr(t, ROLE_HEADER);

	fill_row(0, 0, L->cols, a);
	if (t->scenario)
		snprintf(left, sizeof(left), " forkscope │ %s: %s", t->scenario->name,
		         t->scenario->description);
	else
		snprintf(left, sizeof(left), " forkscope │ %s", t->title);
	if (t->opts.ascii)
		for (char *p = strstr(left, "│"); p; p = strstr(p, "│")) {
			*p = '|';
			memmove(p + 1, p + 3, strlen(p + 3) + 1);
		}
	snprintf(right, sizeof(right), " %.1f s ", run_time(t));
	int rw = (int)strlen(right);
	put_ellipsized(t, 0, 0, left, L->cols - rw - 1, a);
	put_clipped(0, L->cols - rw, right, rw, a);
}

static void draw_status(struct tui *t, const struct layout *L)
{
	char mode[48], info[384], tempo[96], next[64];
	enum role mode_role = ROLE_STATUS;
	bool ascii = t->opts.ascii, ended = false, paused = false;

	if (!t->session) {
		snprintf(mode, sizeof(mode), " NOT RUNNING ");
		mode_role = ROLE_PAUSED;
		ended = true;
	} else if (session_finished(t->session)) {
		snprintf(mode, sizeof(mode), " %s ENDED ", ascii ? "#" : "■");
		ended = true;
	} else if (session_stepping(t->session)) {
		snprintf(mode, sizeof(mode), " %s STEP ", ascii ? ">|" : "▶❚");
		mode_role = ROLE_PAUSED;
	} else if (session_paused(t->session)) {
		snprintf(mode, sizeof(mode), " %s PAUSED ", ascii ? "||" : "❚❚");
		mode_role = ROLE_PAUSED;
		paused = true;
	} else {
		snprintf(mode, sizeof(mode), " %s LIVE ", ascii ? ">" : "▶");
	}
	tempo_words(t->tempo, tempo, sizeof(tempo));
	if (t->next_tempo != t->tempo) {
		tempo_words(t->next_tempo, next, sizeof(next));
		snprintf(tempo, sizeof(tempo), "next: %s, r", next);
	}
	unsigned long dropped = 0, dropped_output, dropped_lines;
	if (t->session)
		session_dropped(t->session, &dropped, &dropped_output, &dropped_lines);
	/* once the memory cap is reached, the bar says so for good */
	if (dropped)
		snprintf(info, sizeof(info), " %s | %s | %.0f ms | %lu dropped ", t->title, tempo,
		         t->opts.interval * 1000.0, dropped);
	else
		snprintf(info, sizeof(info), " %s | %s | %.0f ms ", t->title, tempo,
		         t->opts.interval * 1000.0);
	attr_t a = role_attr(t, ROLE_STATUS);
	fill_row(L->status_y, 0, L->cols, a);
	int x = put_clipped(L->status_y, 0, mode, L->cols, role_attr(t, mode_role));
	x += put_clipped(L->status_y, x, info, L->cols - x, a);
	const char *keys;
	bool narrow = L->cols < 120 || t->opts.projector;
	if (ended)
		keys = " r:restart m:menu q:quit ?:help";
	else if (narrow)
		keys = paused ? " ?help q spc:resume n r m l" : " ?help q spc:pause n r m l";
	else if (paused)
		keys = " ?:help q:quit space:resume n:step r:restart m:menu l:lifelines t:threads +/-:speed";
	else
		keys = " ?:help q:quit space:pause n:step r:restart m:menu l:lifelines t:threads +/-:speed";
	put_ellipsized(t, L->status_y, x, keys, L->cols - x, a);
}

/* Word-wraps text over up to lines rows from (y, 0). */
static void draw_wrapped(int y, int lines, int width, const char *text, attr_t attr)
{
	const char *p = text;

	for (int row = 0; row < lines && *p; row++) {
		fill_row(y + row, 0, width, attr);
		/* take as many words as fit in width-2 columns */
		const char *end = p, *cut = NULL;
		char buf[1024];
		while (*end) {
			const char *next = end;
			while (*next == ' ')
				next++;
			while (*next && *next != ' ')
				next++;
			size_t n = (size_t)(next - p);
			if (n >= sizeof(buf))
				break;
			memcpy(buf, p, n);
			buf[n] = '\0';
			if (text_width(buf) > width - 2)
				break;
			cut = next;
			end = next;
		}
		if (!cut) {
			/* one word longer than the line: cut it where the line ends,
			 * on a character boundary */
			const char *q = p;
			int w = 0;
			struct glyph g;
			size_t k;
			while ((k = glyph_next(q, &g)) > 0 && w + g.cols <= width - 2) {
				w += g.cols;
				q += k;
			}
			cut = q > p ? q : p + 1;
		}
		size_t n = (size_t)(cut - p);
		if (n >= sizeof(buf))
			n = sizeof(buf) - 1;
		memcpy(buf, p, n);
		buf[n] = '\0';
		put_clipped(y + row, 1, buf, width - 2, attr);
		p = cut;
		while (*p == ' ')
			p++;
	}
}

/* The latest lifecycle event, or NULL. */
/* Whether an event is worth a line of the log and the caption: not output
 * (it has its panel), and not a plain sleep, which demos do all the time. */
static bool tellable(const struct event *ev)
{
	return ev->type != EV_OUTPUT && !(ev->type == EV_BLOCKED && ev->on == ON_SLEEP);
}

/* The event the caption tells: the latest tellable one, passing over a
 * wait that is already over (the sentence would say it still waits). */
static const struct event *latest_event(const struct tui *t)
{
	const struct history *h = session_history(t->session);
	const struct tracker *tr = session_tracker(t->session);
	const struct event *ev;

	/* among the newest events other than output: a flood of output lines,
	 * or the memory cap, never hides them */
	for (size_t k = 0; (ev = history_recent(h, k)); k++) {
		if (!tellable(ev))
			continue;
		if (ev->type == EV_BLOCKED) {
			const struct proc_record *r = tracker_find(tr, ev->pid);
			if (!r || r->phase != PHASE_ALIVE || (int)r->blocked.on != ev->on)
				continue;
		}
		return ev;
	}
	return NULL;
}

static void draw_caption(struct tui *t, const struct layout *L)
{
	char text[1024];
	attr_t a = role_attr(t, ROLE_CAPTION);

	fill_row(L->caption_y, 0, L->cols, a);
	fill_row(L->caption_y + 1, 0, L->cols, a);
	if (t->error[0]) {
		snprintf(text, sizeof(text), "Could not start: %s.", t->error);
	} else if (!t->session) {
		snprintf(text, sizeof(text), "Press r to start again, m for the menu.");
	} else {
		const struct event *ev = latest_event(t);
		/* the introduction, until the program does something of its own */
		if (t->scenario && !L->started)
			snprintf(text, sizeof(text), "%s %s", t->scenario->intro[0], t->scenario->intro[1]);
		else if (ev)
			explain_event(ev, text, sizeof(text));
		else
			snprintf(text, sizeof(text), "Waiting for the first event.");
	}
	draw_wrapped(L->caption_y, 2, L->cols, text, a);
}

/* ---- the tree ------------------------------------------------------ */

struct row {
	const struct proc_record *rec;
	const struct thread_sample *thread;   /* a thread row under rec */
	int depth;
	char prefix[160];
};

/* Builds the rows to draw: the tracker's tree with its glyphs, and threads
 * under their process when asked.  Returns how many (at most max). */
static size_t build_rows(struct tui *t, struct row *out, size_t max)
{
	const struct tracker *tr = session_tracker(t->session);
	const struct frame *f = session_frame(t->session);
	const struct tree_glyphs *g = describe_tree_glyphs(t->opts.ascii);
	size_t n;
	const struct proc_record *rec = tracker_records(tr, &n);
	struct tree_row *tree = xcalloc(n ? n : 1, sizeof(*tree));
	size_t nt = tracker_tree(tr, NULL, tree);
	bool more[64] = { false };   /* at each depth: are more siblings to come? */
	size_t k = 0;

	for (size_t i = 0; i < nt && k < max; i++) {
		int d = tree[i].depth;
		bool last = true;
		for (size_t j = i + 1; j < nt && tree[j].depth >= d; j++)
			if (tree[j].depth == d) {
				last = false;
				break;
			}
		struct row *r = &out[k++];
		memset(r, 0, sizeof(*r));
		r->rec = &rec[tree[i].index];
		r->depth = d;
		/* a very deep tree shows its last levels only, after an ellipsis */
		int first_lv = d > MAX_DRAWN_DEPTH ? d - MAX_DRAWN_DEPTH : 1;
		if (first_lv > 1)
			strncat(r->prefix, t->opts.ascii ? "..." : "…", sizeof(r->prefix) - strlen(r->prefix) - 1);
		for (int lv = first_lv; lv < d && lv < 64; lv++)
			strncat(r->prefix, more[lv] ? g->pipe : g->blank, sizeof(r->prefix) - strlen(r->prefix) - 1);
		if (d > 0)
			strncat(r->prefix, last ? g->last : g->branch, sizeof(r->prefix) - strlen(r->prefix) - 1);
		if (d < 64)
			more[d] = !last;
		if (!t->threads || r->rec->nlwp <= 1)
			continue;
		/* threads hang under their process, before its children: the
		 * lines of the levels above continue past them */
		char cont[160] = "";
		for (int lv = d > MAX_DRAWN_DEPTH ? d - MAX_DRAWN_DEPTH : 1; lv <= d && lv < 64; lv++)
			strncat(cont, more[lv] ? g->pipe : g->blank, sizeof(cont) - strlen(cont) - 1);
		bool has_kids = i + 1 < nt && tree[i + 1].depth > d;
		strncat(cont, has_kids ? (t->opts.ascii ? "| ~ " : "│ ╌ ") : (t->opts.ascii ? "  ~ " : "  ╌ "),
		        sizeof(cont) - strlen(cont) - 1);
		for (size_t th = 0; th < f->nthreads && k < max; th++) {
			const struct thread_sample *ts = &f->threads[th];
			if (ts->pid != r->rec->pid || ts->tid == ts->pid)
				continue;
			struct row *tr_row = &out[k++];
			memset(tr_row, 0, sizeof(*tr_row));
			tr_row->rec = r->rec;
			tr_row->thread = ts;
			tr_row->depth = d + 1;
			str_copy(tr_row->prefix, sizeof(tr_row->prefix), cont);
		}
	}
	free(tree);
	return k;
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

/* The pid, the name and where they end, for lining up the state column. */
static void row_names(const struct row *row, char *pid, size_t pidlen, char *name, size_t namelen)
{
	const struct proc_record *r = row->rec;

	if (row->thread) {
		snprintf(pid, pidlen, "%d", (int)row->thread->tid);
		snprintf(name, namelen, "%s", row->thread->comm);
	} else {
		snprintf(pid, pidlen, "%d", (int)r->pid);
		snprintf(name, namelen, "%s", tracker_name(r));
	}
}

static int row_name_width(const struct row *row)
{
	char pid[24], name[PROC_CMD_MAX + 16];

	row_names(row, pid, sizeof(pid), name, sizeof(name));
	return text_width(row->prefix) + text_width(pid) + 1 + text_width(name);
}

/* Draws one tree row; the state starts at column state_col (relative to x)
 * when the names leave room for it. */
static void draw_row(struct tui *t, const struct row *row, int y, int x, int w, int state_col,
                     double now)
{
	const struct proc_record *r = row->rec;
	const struct tracker *tr = session_tracker(t->session);
	char state[160], name[PROC_CMD_MAX + 16], pid[24];
	bool ascii = t->opts.ascii;

	row_names(row, pid, sizeof(pid), name, sizeof(name));
	if (row->thread)
		snprintf(state, sizeof(state), "thread of %d%s", (int)r->pid,
		         row->thread->state == 'R' ? ", running" : "");
	else
		describe_state(r, tr, now, ascii, state, sizeof(state));
	if (!row->thread && r->nlwp > 1 && r->phase == PHASE_ALIVE) {
		size_t len = strlen(state);
		snprintf(state + len, sizeof(state) - len, ", %d threads%s", r->nlwp,
		         t->threads ? "" : " (t)");
	}
	enum look look = row->thread ? LOOK_SLEEPING : describe_look(r);
	bool selected = !row->thread && is_selected(t, r);
	bool fresh = !row->thread && !r->is_self && r->phase == PHASE_ALIVE &&
	             now - r->born < NEW_SECS;
	attr_t base = role_attr(t, look == LOOK_REAPED || look == LOOK_ZOMBIE ? look_role(look)
	                                                                      : ROLE_NORMAL);
	if (row->thread)
		base = role_attr(t, ROLE_DIM);
	if (selected)
		base = role_attr(t, ROLE_SELECTED);
	fill_row(y, x, w, base);

	int col = x, end = x + w;
	col += put_clipped(y, col, row->prefix, end - col, selected ? base : role_attr(t, ROLE_DIM));
	attr_t name_attr = selected ? base : fresh ? role_attr(t, ROLE_NEW) : base | A_BOLD;
	col += put_clipped(y, col, pid, end - col, name_attr);
	col += put_clipped(y, col, " ", end - col, base);
	col += put_clipped(y, col, name, end - col, name_attr);
	int gap = t->opts.projector ? 3 : 2;
	int target = x + state_col > col + gap ? x + state_col : col + gap;
	if (target < end)
		col = target;
	else
		return;
	attr_t sa = selected ? base : role_attr(t, look_role(look));
	col += put_clipped(y, col, state, end - col, sa);
	if (fresh && col + 8 < end)
		col += put_clipped(y, col, ascii ? "  + new" : "  ✚ new", end - col,
		                   selected ? base : role_attr(t, ROLE_NEW));
	/* the command line, when it says more than the role, and there is room */
	if (!t->opts.projector && !row->thread && r->cmd[0] && strcmp(r->cmd, name) != 0 &&
	    strcmp(r->cmd, r->comm) != 0 && col + 12 < end) {
		col += put_clipped(y, col, "   ", end - col, base);
		put_clipped(y, col, r->cmd, end - col, selected ? base : role_attr(t, ROLE_DIM));
	}
}

static void draw_tree(struct tui *t, int y, int x, int h, int w, bool started)
{
	enum { MAX_ROWS = 2048 };
	struct row *rows = xcalloc(MAX_ROWS, sizeof(*rows));
	size_t n = build_rows(t, rows, MAX_ROWS);
	double now = session_elapsed(t->session);
	int visible = h - 1;
	char title[96];

	snprintf(title, sizeof(title), "Processes: %zu shown, forkscope adopts orphans", n);
	panel_title(t, y, x, w, title);
	/* keep the selection in view: when rows are left below, the last line
	 * says so, and the selection must stay above it */
	int sel = -1;
	for (size_t i = 0; i < n; i++)
		if (!rows[i].thread && is_selected(t, rows[i].rec))
			sel = (int)i;
	bool overflow = (int)n > visible;
	int room = overflow ? visible - 1 : visible;
	if (sel >= 0) {
		if (sel < t->scroll)
			t->scroll = sel;
		if (sel >= t->scroll + room)
			t->scroll = sel - room + 1;
	}
	if (t->scroll > (int)n - room)
		t->scroll = (int)n - room;
	if (t->scroll < 0)
		t->scroll = 0;
	bool more_below = (int)n > t->scroll + room;
	int shown = more_below ? room : visible;

	/* the state column lines up just after the longest name shown, but
	 * never further than half the panel */
	int state_col = 0;
	for (int i = 0; i < shown && t->scroll + i < (int)n; i++) {
		int nw = row_name_width(&rows[t->scroll + i]);
		if (nw > state_col)
			state_col = nw;
	}
	state_col += t->opts.projector ? 3 : 2;
	if (state_col > w / 2)
		state_col = w / 2;

	t->tree_top = y + 1;
	t->tree_rows = 0;
	for (int i = 0; i < shown && t->scroll + i < (int)n; i++) {
		const struct row *r = &rows[t->scroll + i];
		draw_row(t, r, y + 1 + i, x, w, state_col, now);
		if (i < (int)(sizeof(t->row_pid) / sizeof(t->row_pid[0]))) {
			t->row_pid[i] = r->thread ? 0 : r->rec->pid;
			t->row_start[i] = r->rec->start;
			t->tree_rows = i + 1;
		}
	}
	if (more_below) {
		char more[96];
		snprintf(more, sizeof(more), "%s %d more below (arrows or PgDn to scroll)",
		         t->opts.ascii ? "v" : "▼", (int)n - t->scroll - shown);
		put_clipped(y + visible, x + 1, more, w - 1, role_attr(t, ROLE_TITLE));
	}
	/* the scenario's introduction stays in view while the tree leaves room */
	if (t->scenario && !more_below && (int)n + 4 <= visible && started) {
		put_ellipsized(t, y + visible - 1, x + 2, t->scenario->intro[0], w - 2, role_attr(t, ROLE_DIM));
		put_ellipsized(t, y + visible, x + 2, t->scenario->intro[1], w - 2, role_attr(t, ROLE_DIM));
	}
	if (t->scroll > 0)
		put_clipped(y, x + w - 12, t->opts.ascii ? " ^ more " : " ▲ more ", 10,
		            role_attr(t, ROLE_TITLE));
	free(rows);
}

/* ---- bottom panels --------------------------------------------------- */

static void draw_events(struct tui *t, int y, int x, int h, int w)
{
	const struct history *hist = session_history(t->session);
	char line[1024], text[960];
	int rows = h - 1;

	panel_title(t, y, x, w, "Events (newest last)");
	/* the last rows lifecycle events */
	const struct event *shown[64], *e;
	int n = 0;
	for (size_t k = 0; n < rows && n < 64 && (e = history_recent(hist, k)); k++)
		if (tellable(e))
			shown[n++] = e;
	for (int k = 0; k < n; k++) {
		const struct event *ev = shown[n - 1 - k];
		explain_short(ev, text, sizeof(text));
		if (t->opts.projector)
			snprintf(line, sizeof(line), "%-7s %s", explain_label(ev), text);
		else
			snprintf(line, sizeof(line), "%5.1f %-7s %s", ev->t, explain_label(ev), text);
		enum role role = ev->type == EV_EXIT && ev->zombie ? ROLE_ZOMBIE :
		                 ev->type == EV_QUEUE && ev->capacity > 0 && ev->fill >= ev->capacity
		                 ? ROLE_ZOMBIE :
		                 ev->type == EV_REPARENT && ev->orphan ? ROLE_ORPHAN :
		                 ev->type == EV_SPAWN ? ROLE_RUNNING : ROLE_NORMAL;
		put_clipped(y + 1 + k, x, line, w, role_attr(t, role));
	}
}

/* Walks text wrapped at width columns, a glyph never split across two rows
 * (a wide character or a visible control such as "^[" moves whole to the
 * next one): returns where row k starts, or the end of text, and sets
 * *rows to the rows walked through, at least 1.  Counting and drawing both
 * walk here, so they agree on where each row begins. */
static const char *wrap_walk(const char *text, int width, int k, int *rows)
{
	const char *p = text;
	int col = 0, row = 0;

	while (*p && row < k) {
		struct glyph g;
		size_t n = glyph_next(p, &g);
		if (n == 0)
			break;
		/* a glyph wider than the whole row goes alone on one, clipped */
		if (col > 0 && col + g.cols > width) {
			row++;
			col = 0;
			continue;
		}
		col += g.cols;
		p += n;
	}
	*rows = row + 1;
	return p;
}

/* How many rows text takes when wrapped at width columns (at least 1). */
static int wrapped_rows(const char *text, int width)
{
	int rows;

	wrap_walk(text, width, INT_MAX, &rows);
	return rows;
}

/* Draws row k (0-based) of text wrapped at width columns. */
static void put_wrapped_row(int y, int x, const char *text, int width, int k, attr_t attr)
{
	int rows;

	put_clipped(y, x, wrap_walk(text, width, k, &rows), width, attr);
}

static void draw_output(struct tui *t, int y, int x, int h, int w)
{
	const struct history *hist = session_history(t->session);
	int rows = h - 1;
	char *lines[64];
	int n = 0, used = 0;

	panel_title(t, y, x, w, "Program output");
	/* the newest lines, wrapped, as many as fill the panel; each as the
	 * text view says it (a cut line ends in "… (9.8 MB more)") */
	size_t floor = scan_floor(hist);
	for (size_t i = history_count(hist); i-- > floor && used < rows && n < 64;) {
		const struct event *ev = history_at(hist, i);
		if (ev->type != EV_OUTPUT)
			continue;
		size_t len = strlen(ev->text) + 64;
		lines[n] = xcalloc(len, 1);
		explain_event(ev, lines[n], len);
		used += wrapped_rows(lines[n], w);
		n++;
	}
	/* oldest first; the first one may have its top rows cut off */
	int row = rows - used;
	for (int k = n; k-- > 0;) {
		int parts = wrapped_rows(lines[k], w);
		for (int part = 0; part < parts; part++, row++)
			if (row >= 0)
				put_wrapped_row(y + 1 + row, x, lines[k], w, part, role_attr(t, ROLE_NORMAL));
		free(lines[k]);
	}
}

static const struct proc_record *selected_record(const struct tui *t)
{
	size_t n;
	const struct proc_record *rec = tracker_records(session_tracker(t->session), &n);

	for (size_t i = 0; i < n; i++)
		if (rec[i].pid == t->selected && rec[i].start == t->selected_start)
			return &rec[i];
	return NULL;
}

static void draw_details(struct tui *t, int y, int x, int h, int w)
{
	const struct proc_record *r = t->details ? selected_record(t) : NULL;
	const struct tracker *tr = session_tracker(t->session);
	double now = session_elapsed(t->session);
	char line[512], state[160], how[64];
	int row = y + 1;


	panel_title(t, y, x, w, "Details");
	if (!r) {
		put_clipped(row, x + 1, t->details ? "That process is gone from view." :
		            "Select a process with the arrows or the mouse.", w - 1,
		            role_attr(t, ROLE_DIM));
		return;
	}
	describe_state(r, tr, now, t->opts.ascii, state, sizeof(state));
	describe_exit(r, how, sizeof(how));
	/* five lines: what fits under the tree at 80x24 */
	const char *lines[6];
	char buf[6][320];
	int n = 0;
	double end = r->reaped >= 0 ? r->reaped : r->died >= 0 ? r->died : now;
	snprintf(buf[n], sizeof(buf[n]), "PID %d %s, parent %d", (int)r->pid, tracker_name(r),
	         (int)r->ppid);
	if (r->orig_ppid > 0 && r->orig_ppid != r->ppid) {
		size_t len = strlen(buf[n]);
		snprintf(buf[n] + len, sizeof(buf[n]) - len, " (was %d)", (int)r->orig_ppid);
	} else if (r->orphan) {
		size_t len = strlen(buf[n]);
		snprintf(buf[n] + len, sizeof(buf[n]) - len, " (first parent unknown)");
	}
	lines[n] = buf[n]; n++;
	snprintf(buf[n], sizeof(buf[n]), "%s", state);
	lines[n] = buf[n]; n++;
	snprintf(buf[n], sizeof(buf[n]), "group %d, session %d, %d thread%s", (int)r->pgrp,
	         (int)r->sid, r->nlwp, r->nlwp == 1 ? "" : "s");
	lines[n] = buf[n]; n++;
	if (how[0] && r->reaped_by > 0)
		snprintf(buf[n], sizeof(buf[n]), "%s after %.1f s, reaped by %d", how, end - r->born,
		         (int)r->reaped_by);
	else if (how[0])
		snprintf(buf[n], sizeof(buf[n]), "%s after %.1f s, not reaped yet", how, end - r->born);
	else
		snprintf(buf[n], sizeof(buf[n]), "alive for %.1f s", end - r->born);
	lines[n] = buf[n]; n++;
	snprintf(buf[n], sizeof(buf[n]), "command: %s", r->cmd[0] ? r->cmd : r->comm);
	lines[n] = buf[n]; n++;
	for (int i = 0; i < n && row < y + h; i++, row++) {
		snprintf(line, sizeof(line), "%s", lines[i]);
		put_clipped(row, x + 1, line, w - 1, i == 1 ? role_attr(t, look_role(describe_look(r)))
		                                            : role_attr(t, ROLE_NORMAL));
	}
}

/* ---- queues ----------------------------------------------------------- */

static void draw_gauge(struct tui *t, int y, int x, int cells, const struct channel *c, int rows)
{
	bool a = t->opts.ascii;
	int filled = c->capacity > 0 ? (int)((c->fill * cells + c->capacity - 1) / c->capacity) : 0;
	if (filled > cells)
		filled = cells;
	if (c->capacity > 0 && c->fill > 0 && filled == 0)
		filled = 1;
	enum role role = c->capacity > 0 && c->fill >= c->capacity ? ROLE_ZOMBIE :
	                 c->fill > 0 ? ROLE_RUNNING : ROLE_DIM;
	for (int r = 0; r < rows; r++) {
		put_clipped(y + r, x, "[", 1, role_attr(t, ROLE_NORMAL));
		for (int i = 0; i < cells; i++)
			put_clipped(y + r, x + 1 + i, i < filled ? (a ? "#" : "█") : (a ? "." : "░"), 1,
			            role_attr(t, i < filled ? role : ROLE_DIM));
		put_clipped(y + r, x + 1 + cells, "]", 1, role_attr(t, ROLE_NORMAL));
	}
}

static void draw_queues(struct tui *t, int y, int x, int h, int w)
{
	const struct frame *f = session_frame(t->session);
	int per = t->opts.projector ? 2 : 1;
	int slots = (h - 1) / per;
	char title[64], text[256];

	snprintf(title, sizeof(title), "Queues and pipes: %zu, fill from /proc", f->nchannels);
	panel_title(t, y, x, w, title);
	int name_w = w >= 100 ? 28 : 24, cells = w >= 100 ? 20 : 10;
	for (int i = 0; i < slots && i < (int)f->nchannels; i++) {
		const struct channel *c = &f->channels[i];
		int row = y + 1 + i * per;
		put_ellipsized(t, row, x + 1, c->name, name_w - 1, role_attr(t, ROLE_NORMAL) | A_BOLD);
		draw_gauge(t, row, x + name_w, cells, c, per);
		const char *unit = c->bytes ? "bytes" : "messages";
		if (c->capacity > 0)
			snprintf(text, sizeof(text), "%ld/%ld %s%s", c->fill, c->capacity, unit,
			         c->fill >= c->capacity ? "  FULL" : c->fill == 0 ? "  empty" : "");
		else
			snprintf(text, sizeof(text), "%ld %s", c->fill, unit);
		int col = x + name_w + cells + 4;
		enum role role = c->capacity > 0 && c->fill >= c->capacity ? ROLE_ZOMBIE : ROLE_NORMAL;
		col += put_clipped(row, col, text, x + w - col, role_attr(t, role));
		char held[160] = "  held by";
		for (int k = 0; k < c->nholders; k++) {
			size_t len = strlen(held);
			snprintf(held + len, sizeof(held) - len, " %d%s", (int)c->holders[k],
			         c->kind == CHAN_PIPE && c->ends[k] != 'b' ? (c->ends[k] == 'r' ? "r" : "w") : "");
		}
		if (c->nholders)
			put_ellipsized(t, row, col, held, x + w - col, role_attr(t, ROLE_DIM));
	}
	if ((int)f->nchannels > slots) {
		snprintf(text, sizeof(text), " +%d more ", (int)f->nchannels - slots);
		put_clipped(y, x + w - 12, text, 11, role_attr(t, ROLE_TITLE));
	}
}

/* ---- the view ------------------------------------------------------- */

void view_draw(struct tui *t)
{
	struct layout L;

	compute_layout(t, &L);
	if (t->session && !t->started)
		t->started = program_started(t);
	L.started = t->session && t->started;
	draw_header(t, &L);
	if (!t->session) {
		draw_caption(t, &L);
		draw_status(t, &L);
		return;
	}
	if (t->lifelines)
		lifelines_draw(t, L.tree_y, 0, L.tree_h, L.tree_w);
	else
		draw_tree(t, L.tree_y, 0, L.tree_h, L.tree_w, L.started);
	if (L.queue_h)
		draw_queues(t, L.queue_y, 0, L.queue_h, L.cols);
	if (L.side_w) {
		for (int y = L.tree_y; y < L.tree_y + L.tree_h; y++)
			put_clipped(y, L.tree_w, t->opts.ascii ? "|" : "│", 1, role_attr(t, ROLE_DIM));
		draw_details(t, L.tree_y, L.side_x, L.tree_h, L.side_w);
	}
	draw_events(t, L.log_y, 0, L.log_h, L.cols / 2);
	for (int y = L.log_y; y < L.log_y + L.log_h; y++)
		put_clipped(y, L.cols / 2, t->opts.ascii ? "|" : "│", 1, role_attr(t, ROLE_DIM));
	if (!L.side_w && t->details)
		draw_details(t, L.log_y, L.out_x, L.log_h, L.out_w);
	else
		draw_output(t, L.log_y, L.out_x, L.log_h, L.out_w);
	draw_caption(t, &L);
	draw_status(t, &L);
}

/* Moves the selection by delta rows of the tree (processes only). */
static void move_selection(struct tui *t, int delta)
{
	enum { MAX_ROWS = 2048 };
	struct row *rows = xcalloc(MAX_ROWS, sizeof(*rows));
	size_t n = build_rows(t, rows, MAX_ROWS);
	int cur = -1;

	for (size_t i = 0; i < n; i++)
		if (!rows[i].thread && is_current(t, rows[i].rec))
			cur = (int)i;
	int next = cur < 0 ? (delta > 0 ? 0 : (int)n - 1) : cur + delta;
	if (next < 0)
		next = 0;
	if (next >= (int)n)
		next = (int)n - 1;
	/* skip thread rows in the direction of travel */
	while (next >= 0 && next < (int)n && rows[next].thread)
		next += delta >= 0 ? 1 : -1;
	if (next >= 0 && next < (int)n) {
		t->details = true;
		t->selected = rows[next].rec->pid;
		t->selected_start = rows[next].rec->start;
	}
	free(rows);
}

void view_key(struct tui *t, int ch)
{
	struct session *s = t->session;
	bool live = s && !session_finished(s);

	switch (ch) {
	case ' ':
		if (live && session_paused(s))
			session_resume(s);
		else if (live)
			session_pause(s);
		break;
	case 'n':
	case 'N':
		if (live)
			session_step_event(s);
		break;
	case 'r':
	case 'R':
		tui_start(t);
		break;
	case 'm':
	case 'M':
		tui_stop(t);
		t->screen = SCREEN_MENU;
		t->dirty = true;
		break;
	case '+':
	case '=':
		/* faster: a smaller pause multiplier */
		t->next_tempo = tempo_step(t->next_tempo, -1);
		break;
	case '-':
	case '_':
		t->next_tempo = tempo_step(t->next_tempo, +1);
		break;
	case 't':
	case 'T':
		t->threads = !t->threads;
		if (s)
			session_set_threads(s, t->threads);
		break;
	case 'l':
	case 'L':
		t->lifelines = !t->lifelines;
		t->scroll = 0;
		break;
	case KEY_UP:
	case 'k':
		if (t->lifelines)
			t->scroll--;
		else if (s)
			move_selection(t, -1);
		break;
	case KEY_DOWN:
	case 'j':
		if (t->lifelines)
			t->scroll++;
		else if (s)
			move_selection(t, +1);
		break;
	case KEY_PPAGE:
		t->scroll -= 10;
		if (s && t->details && !t->lifelines)
			move_selection(t, -10);
		break;
	case KEY_NPAGE:
		t->scroll += 10;
		if (s && t->details && !t->lifelines)
			move_selection(t, +10);
		break;
	case KEY_HOME:
		t->scroll = 0;
		t->details = false;
		t->selected = 0;
		break;
	case 27:   /* Esc */
		t->details = false;
		break;
	case '\r':
	case '\n':
	case KEY_ENTER:
		if (t->lifelines)
			break;
		if (t->selected)
			t->details = !t->details;
		else if (s)
			move_selection(t, +1);
		break;
	default:
		break;
	}
}

void view_click(struct tui *t, int y, int x)
{
	(void)x;
	if (!t->session || t->lifelines)
		return;
	int i = y - t->tree_top;
	if (i < 0 || i >= t->tree_rows || !t->row_pid[i])
		return;
	t->details = true;
	t->selected = t->row_pid[i];
	t->selected_start = t->row_start[i];
}
