/*
 * tui_view.c - the view of a run: where each panel goes, one moment a draw
 * handed to all of them, and the keys that drive the session.
 *
 * The panels (tui_tree.c, tui_log.c, tui_bars.c, tui_queues.c,
 * tui_details.c, tui_lifelines.c) draw the moment they are given and
 * nothing else, so now, a rewound moment and a replay look alike.  Layout
 * from 80x24 up:
 *
 *   header                       (1 row)
 *   tree or lifelines [details]  (the rest)
 *   queues                       (when the program holds any)
 *   events | output or details   (6 to 10 rows)
 *   caption                      (2 rows)
 *   status bar                   (1 row)
 */
#include <stdio.h>

#include "i18n.h"
#include "tui_ctx.h"

struct layout {
	int rows, cols;
	int queue_y, queue_h;           /* the queue panel, title row included; 0: none */
	int tree_y, tree_h, tree_w;     /* the tree panel, title row included */
	int side_x, side_w;             /* details beside the tree; side_w 0: none */
	int log_y, log_h;               /* events and output, title row included */
	int out_x, out_w;               /* the right-hand bottom panel */
	int caption_y;
	int status_y;
};

/* The queue panel's height for nch channels: one gauge a row (two with
 * --projector), at most four, never more than half of the tree's room. */
static int queue_height(const struct tui *t, size_t nch, int tree_h)
{
	int per = t->opts.projector ? 2 : 1;
	int want = nch ? 1 + per * (int)(nch < 4 ? nch : 4) : 0;

	if (want > tree_h / 2)
		want = tree_h / 2 >= 1 + per ? 1 + per * ((tree_h / 2 - 1) / per) : 0;
	return want;
}

static void compute_layout(const struct tui *t, const struct moment *m, struct layout *L)
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
	L->queue_h = queue_height(t, m ? queues_shown(t, m->frame) : 0, L->tree_h);
	L->queue_y = L->log_y - gap - L->queue_h;
	if (L->queue_h)
		L->tree_h -= L->queue_h + gap;
	/* details beside the tree on a wide screen, once something is selected */
	L->side_w = L->cols >= 120 && t->details ? 46 : 0;
	L->side_x = L->cols - L->side_w;
	L->tree_w = L->cols - L->side_w - (L->side_w ? 1 : 0);
	L->out_x = L->cols / 2 + 1;
	L->out_w = L->cols - L->out_x;
}

static void vertical_rule(const struct tui *t, int x, int y, int h)
{
	for (int row = y; row < y + h; row++)
		put_clipped(row, x, t->opts.ascii ? "|" : "│", 1, role_attr(t, ROLE_DIM));
}

static void draw_panels(struct tui *t, const struct moment *m, const struct layout *L,
                        bool started)
{
	if (t->lifelines)
		lifelines_draw(t, m, L->tree_y, 0, L->tree_h, L->tree_w);
	else
		tree_draw(t, m, L->tree_y, 0, L->tree_h, L->tree_w, started);
	if (L->queue_h)
		queues_draw(t, m, L->queue_y, 0, L->queue_h, L->cols);
	if (L->side_w) {
		vertical_rule(t, L->tree_w, L->tree_y, L->tree_h);
		details_draw(t, m, L->tree_y, L->side_x, L->tree_h, L->side_w);
	}
	events_draw(t, m, L->log_y, 0, L->log_h, L->cols / 2);
	vertical_rule(t, L->cols / 2, L->log_y, L->log_h);
	if (!L->side_w && t->details)
		details_draw(t, m, L->log_y, L->out_x, L->log_h, L->out_w);
	else
		output_draw(t, m, L->log_y, L->out_x, L->log_h, L->out_w);
}

/* ---- attached runs ------------------------------------------------------- */

/* "attached to 1234 (bash), 5678 (sleep)": the title of an attached run
 * (live or replayed), with the names the model has for its roots. */
static void attached_title(struct tui *t, const struct moment *m)
{
	const pid_t *pids;
	size_t n = session_attached(t->session, &pids);
	size_t used = 0;
	char list[sizeof(t->title)] = "";

	if (!n)
		return;
	for (size_t i = 0; i < n && used + 1 < sizeof(list); i++) {
		const struct proc_record *r = tracker_find(m->tracker, pids[i]);
		int w = r && r->is_root
		        ? snprintf(list + used, sizeof(list) - used, "%s%d (%s)", i ? ", " : "",
		                   (int)pids[i], tracker_name(r))
		        : snprintf(list + used, sizeof(list) - used, "%s%d", i ? ", " : "",
		                   (int)pids[i]);
		used += w > 0 ? (size_t)w : 0;
	}
	/* TRANSLATORS: the title of a run watching processes forkscope did not
	 * start (-p): their PIDs and names follow ("1234 (bash), 5678 (sleep)") */
	snprintf(t->title, sizeof(t->title), _("attached to %s"), list);
}

/* Live processes of the attached tree: what a pause would stop. */
static int attached_alive(const struct moment *m)
{
	size_t n;
	const struct proc_record *rec = tracker_records(m->tracker, &n);
	int alive = 0;

	for (size_t i = 0; i < n; i++)
		alive += !rec[i].is_self && rec[i].phase == PHASE_ALIVE;
	return alive;
}

/* The question before an attached tree is stopped, or why a key did
 * nothing: one line over the caption, short enough for 80 columns. */
static void prompt_draw(struct tui *t, const struct moment *m, int y, int cols)
{
	char line[512], ask[448] = "";

	if (t->confirm == CONFIRM_STEP && m) {
		int n = attached_alive(m);
		snprintf(ask, sizeof(ask),
		         /* TRANSLATORS: asked before a key stops processes forkscope
		          * did not start (-p); y/n are the keys that answer */
		         P_("Step? It stops %d process forkscope did not start (SIGSTOP). y/n",
		            "Step? It stops %d processes forkscope did not start (SIGSTOP). y/n", n),
		         n);
	} else if (t->confirm == CONFIRM_REWIND && m) {
		int n = attached_alive(m);
		snprintf(ask, sizeof(ask),
		         P_("Pause to rewind? It stops %d process forkscope did not start (SIGSTOP). "
		            "y/n",
		            "Pause to rewind? It stops %d processes forkscope did not start "
		            "(SIGSTOP). y/n", n),
		         n);
	} else if (t->confirm != CONFIRM_NONE && m) {
		int n = attached_alive(m);
		snprintf(ask, sizeof(ask),
		         P_("Pause? It stops %d process forkscope did not start (SIGSTOP). y/n",
		            "Pause? It stops %d processes forkscope did not start (SIGSTOP). y/n", n),
		         n);
	} else if (!t->notice[0]) {
		return;
	}
	snprintf(line, sizeof(line), " %s ", ask[0] ? ask : t->notice);
	attr_t a = role_attr(t, ROLE_PAUSED);
	fill_row(y, 0, cols, a);
	fill_row(y + 1, 0, cols, role_attr(t, ROLE_NORMAL));
	put_ellipsized(t, y, 0, line, cols, a);
}

void view_draw(struct tui *t)
{
	struct moment moment, *m = NULL;
	struct layout L;

	if (t->session) {
		session_moment(t->session, &moment);
		m = &moment;
	}
	compute_layout(t, m, &L);
	if (m)
		attached_title(t, m);
	bool started = m && scene_started(m);
	header_draw(t, m, L.cols);
	if (m)
		draw_panels(t, m, &L, started);
	caption_draw(t, m, L.caption_y, L.cols, started);
	prompt_draw(t, m, L.caption_y, L.cols);
	status_draw(t, m, L.status_y, L.cols);
}

/* ---- keys ------------------------------------------------------------------ */

/* A live run that is not paused: it has no past moment to show until it is. */
static bool running_live(struct session *s)
{
	return !session_is_replay(s) && !session_finished(s) && !session_paused(s);
}

/* Walks the run's time.  Going back pauses a live run first (what the class
 * sees must hold still); going forward never starts one.  The session says
 * what is possible. */
static void rewind_key(struct session *s, enum rewind_move move)
{
	bool back = move == REWIND_EVENT_BACK || move == REWIND_SECOND_BACK || move == REWIND_START;

	if (back && running_live(s))
		session_pause(s);
	session_rewind(s, move);
}

static void play_pause(struct session *s)
{
	/* from a past moment, back to now first (and, paused, on from there) */
	if (session_rewound(s) && session_finished(s)) {
		session_rewind(s, REWIND_NOW);
		return;
	}
	if (session_finished(s) && !session_is_replay(s))
		return;
	if (session_paused(s))
		session_resume(s);      /* from a rewound moment, back to now */
	else
		session_pause(s);
}

/* n: one lifecycle event on.  Live, the world runs until it comes; a
 * replay shows the next one it holds, and holds still there. */
static void step_key(struct session *s)
{
	if (session_is_replay(s)) {
		session_pause(s);
		session_rewind(s, REWIND_EVENT_FWD);
	} else if (!session_finished(s)) {
		session_step_event(s);
	}
}

/* + and -: a replay's speed at once; a demo's tempo from the next start. */
static void speed_key(struct tui *t, int dir)
{
	if (t->session && session_is_replay(t->session))
		session_speed(t->session, dir);
	else    /* faster: a smaller pause multiplier */
		t->next_tempo = tempo_step(t->next_tempo, -dir);
}

/* The hold slow motion gives each step when --slow did not say. */
#define SLOW_DEFAULT 0.5

/* s: slow motion on or off, for this run and the next starts.  A replay
 * has its own speed (+/-). */
static void slow_key(struct tui *t)
{
	if (!t->session || session_is_replay(t->session))
		return;
	t->slow = session_slow(t->session) > 0 ? 0 : t->opts.slow > 0 ? t->opts.slow : SLOW_DEFAULT;
	session_set_slow(t->session, t->slow);
}

/* Up, Down, PgUp, PgDn: scroll the lifelines, or move the selection. */
static void move_key(struct tui *t, int delta, bool paging)
{
	struct moment m;

	if (t->lifelines || paging)
		t->scroll += delta;
	if (!t->session || t->lifelines || (paging && !t->details))
		return;
	session_moment(t->session, &m);
	tree_move_selection(t, &m, delta);
}

static void enter_key(struct tui *t)
{
	if (t->lifelines)
		return;
	/* Enter shows, Esc hides: the arrows show them already, and an Enter
	 * after an arrow must not take them away */
	if (t->selected)
		t->details = true;
	else
		move_key(t, +1, false);
}

/* The keys that need a session to act on; false when ch is not one. */
static bool session_key(struct session *s, int ch)
{
	switch (ch) {
	case ' ': play_pause(s); return true;
	case 'n':
	case 'N': step_key(s); return true;
	case KEY_LEFT: rewind_key(s, REWIND_EVENT_BACK); return true;
	case KEY_RIGHT: rewind_key(s, REWIND_EVENT_FWD); return true;
	case '[': rewind_key(s, REWIND_SECOND_BACK); return true;
	case ']': rewind_key(s, REWIND_SECOND_FWD); return true;
	case KEY_HOME: rewind_key(s, REWIND_START); return true;
	case KEY_END: rewind_key(s, REWIND_NOW); return true;
	default: return false;
	}
}

/* Whether ch would stop a live attached tree that is running now. */
static bool stops_attached(struct session *s, int ch, int *kind, enum rewind_move *move)
{
	if (!session_attached(s, NULL) || session_is_replay(s) || !running_live(s))
		return false;
	*move = REWIND_NOW;
	switch (ch) {
	case ' ': *kind = CONFIRM_PAUSE; return true;
	case 'n':
	case 'N': *kind = CONFIRM_STEP; return true;
	case KEY_LEFT: *move = REWIND_EVENT_BACK; break;
	case KEY_RIGHT: *move = REWIND_EVENT_FWD; break;
	case '[': *move = REWIND_SECOND_BACK; break;
	case ']': *move = REWIND_SECOND_FWD; break;
	case KEY_HOME: *move = REWIND_START; break;
	default: return false;
	}
	*kind = CONFIRM_REWIND;
	return true;
}

/* An attached run's keys: what stops the tree asks first (y does it,
 * where forkscope may signal every process of it; any other key does not);
 * what only a started program can do says so.  True when ch was taken. */
static bool attached_key(struct tui *t, int ch)
{
	struct session *s = t->session;
	char why[256];
	int kind;
	enum rewind_move move;

	if (!s || !session_attached(s, NULL) || session_is_replay(s))
		return false;
	if (t->confirm != CONFIRM_NONE) {
		kind = t->confirm;
		t->confirm = CONFIRM_NONE;
		if (ch != 'y' && ch != 'Y') {
			snprintf(t->notice, sizeof(t->notice), "%s", _("Not paused: the tree runs on."));
			return true;
		}
		if (!session_may_stop(s, why, sizeof(why))) {
			snprintf(t->notice, sizeof(t->notice), "%s", why);
			return true;
		}
		if (kind == CONFIRM_STEP)
			step_key(s);
		else if (kind == CONFIRM_REWIND)
			rewind_key(s, t->confirm_move);
		else
			session_pause(s);
		return true;
	}
	if (stops_attached(s, ch, &kind, &move)) {
		t->confirm = kind;
		t->confirm_move = move;
		return true;
	}
	if (ch == 's' || ch == 'S') {
		snprintf(t->notice, sizeof(t->notice), "%s",
		         _("No slow motion here: it would stop processes forkscope did not start "
		           "after every event."));
		return true;
	}
	if (ch == 'r' || ch == 'R') {
		snprintf(t->notice, sizeof(t->notice), "%s",
		         _("Nothing to restart: forkscope did not start this tree (q, then "
		           "forkscope -p again)."));
		return true;
	}
	return false;
}

void view_key(struct tui *t, int ch)
{
	t->notice[0] = '\0';
	if (attached_key(t, ch))
		return;
	if (t->session && session_key(t->session, ch))
		return;
	switch (ch) {
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
		speed_key(t, +1);
		break;
	case '-':
	case '_':
		speed_key(t, -1);
		break;
	case 's':
	case 'S':
		slow_key(t);
		break;
	case 'c':
	case 'C':
		t->all_channels = !t->all_channels;
		break;
	case 't':
	case 'T':
		t->threads = !t->threads;
		if (t->session)
			session_set_threads(t->session, t->threads);
		break;
	case 'l':
	case 'L':
		t->lifelines = !t->lifelines;
		t->scroll = 0;
		break;
	case 'g':
	case 'G':
		tree_toggle_layout(t);
		break;
	case KEY_UP:
	case 'k':
		move_key(t, -1, false);
		break;
	case KEY_DOWN:
	case 'j':
		move_key(t, +1, false);
		break;
	case KEY_PPAGE:
		move_key(t, -10, true);
		break;
	case KEY_NPAGE:
		move_key(t, +10, true);
		break;
	case 27:   /* Esc */
		t->details = false;
		break;
	case '\r':
	case '\n':
	case KEY_ENTER:
		enter_key(t);
		break;
	default:
		break;
	}
}

void view_click(struct tui *t, int y, int x)
{
	pid_t pid;
	unsigned long long start;

	if (!t->session || t->lifelines || !tree_pick(t, y, x, &pid, &start))
		return;
	t->details = true;
	t->selected = pid;
	t->selected_start = start;
}
