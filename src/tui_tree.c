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
#include "tui_ctx.h"
#include "util.h"

/* How long a new process stays highlighted. */
#define NEW_SECS 3.0
/* Tree levels drawn with lines; deeper ones start with an ellipsis. */
enum { MAX_DRAWN_DEPTH = 16 };
/* The most rows built: a wider tree is cut (a bomb, not a lesson). */
enum { MAX_ROWS = 2048 };
/* The compact layout: the widest a name may be beside its PID, and the
 * columns between two columns of the tree. */
enum { COMPACT_NAME_COLS = 10, COMPACT_GAP = 2 };

struct row {
	const struct proc_record *rec;
	const struct thread_sample *thread;   /* a thread row under rec */
	int depth;
	bool kernel;                          /* PID 0's row (kernel_row()) */
	char prefix[160];
	char tight[112];                      /* the prefix in two columns a level */
};

/* The compact layout's tree lines: two columns a level. */
static const struct tree_glyphs tight_utf8 = { "├─", "└─", "│ ", "  " };
static const struct tree_glyphs tight_ascii = { "|-", "`-", "| ", "  " };

/* forkscope's record in a PID namespace (--pid1): drawn as PID 0, init's
 * parent as seen from inside, dim and never selected: no process to watch. */
static bool kernel_row(const struct moment *m, const struct proc_record *r)
{
	return r->is_self && tracker_pidns(m->tracker);
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

/* The tree's order over the records m shows; *n gets the count.  The
 * caller frees the array. */
static struct tree_row *shown_tree(const struct moment *m, size_t *n)
{
	size_t nrec;
	const struct proc_record *rec = tracker_records(m->tracker, &nrec);
	bool *shown = xcalloc(nrec ? nrec : 1, sizeof(*shown));
	struct tree_row *tree = xcalloc(nrec ? nrec : 1, sizeof(*tree));

	for (size_t i = 0; i < nrec; i++)
		shown[i] = moment_shows(m, &rec[i]);
	*n = tracker_tree(m->tracker, shown, tree);
	free(shown);
	return tree;
}

static void add_str(char *buf, size_t size, const char *s)
{
	strncat(buf, s, size - strlen(buf) - 1);
}

/* The thread rows of process row r, as the moment's frame lists them: they
 * hang under their process, before its children, so the lines of the
 * levels above continue past them. */
static size_t add_threads(const struct tui *t, const struct moment *m, const struct row *r,
                          const bool *more, bool has_kids, struct row *out, size_t max)
{
	const struct tree_glyphs *g = describe_tree_glyphs(t->opts.ascii);
	const struct frame *f = m->frame;
	char cont[160] = "";
	size_t k = 0;
	int d = r->depth;

	for (int lv = d > MAX_DRAWN_DEPTH ? d - MAX_DRAWN_DEPTH : 1; lv <= d && lv < 64; lv++)
		add_str(cont, sizeof(cont), more[lv] ? g->pipe : g->blank);
	add_str(cont, sizeof(cont), has_kids ? (t->opts.ascii ? "| ~ " : "│ ╌ ")
	                                     : (t->opts.ascii ? "  ~ " : "  ╌ "));
	for (size_t th = 0; th < f->nthreads && k < max; th++) {
		const struct thread_sample *ts = &f->threads[th];
		if (ts->pid != r->rec->pid || ts->tid == ts->pid)
			continue;
		struct row *tr = &out[k++];
		memset(tr, 0, sizeof(*tr));
		tr->rec = r->rec;
		tr->thread = ts;
		tr->depth = d + 1;
		str_copy(tr->prefix, sizeof(tr->prefix), cont);
	}
	return k;
}

/* Builds the rows to draw: the tree of what m shows with its glyphs, and
 * threads under their process when asked.  Returns how many (at most max). */
static size_t build_rows(const struct tui *t, const struct moment *m, struct row *out, size_t max)
{
	const struct tree_glyphs *g = describe_tree_glyphs(t->opts.ascii);
	size_t nrec, nt;
	const struct proc_record *rec = tracker_records(m->tracker, &nrec);
	struct tree_row *tree = shown_tree(m, &nt);
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
		r->kernel = kernel_row(m, r->rec);
		/* a very deep tree shows its last levels only, after an ellipsis */
		int first_lv = d > MAX_DRAWN_DEPTH ? d - MAX_DRAWN_DEPTH : 1;
		const struct tree_glyphs *tg = t->opts.ascii ? &tight_ascii : &tight_utf8;
		if (first_lv > 1) {
			add_str(r->prefix, sizeof(r->prefix), t->opts.ascii ? "..." : "…");
			add_str(r->tight, sizeof(r->tight), t->opts.ascii ? "..." : "…");
		}
		for (int lv = first_lv; lv < d && lv < 64; lv++) {
			add_str(r->prefix, sizeof(r->prefix), more[lv] ? g->pipe : g->blank);
			add_str(r->tight, sizeof(r->tight), more[lv] ? tg->pipe : tg->blank);
		}
		if (d > 0) {
			add_str(r->prefix, sizeof(r->prefix), last ? g->last : g->branch);
			add_str(r->tight, sizeof(r->tight), last ? tg->last : tg->branch);
		}
		if (d < 64)
			more[d] = !last;
		if (t->threads && r->rec->nlwp > 1)
			k += add_threads(t, m, r, more, i + 1 < nt && tree[i + 1].depth > d, out + k,
			                 max - k);
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

const struct proc_record *tree_selected(const struct tui *t, const struct moment *m)
{
	size_t n;
	const struct proc_record *rec = tracker_records(m->tracker, &n);

	for (size_t i = 0; i < n; i++)
		if (is_current(t, &rec[i]) && moment_shows(m, &rec[i]))
			return &rec[i];
	return NULL;
}

/* The PID the tree shows for r: on its row, in the compact layout and in
 * the fork() labels.  The one place to change which number a row shows. */
static void format_pid(const struct tui *t, const struct proc_record *r, char *buf, size_t len)
{
	(void)t;
	snprintf(buf, len, "%d", (int)r->pid);
}

/* The pid, the name and where they end, for lining up the state column. */
static void row_names(const struct tui *t, const struct row *row, char *pid, size_t pidlen,
                      char *name, size_t namelen)
{
	const struct proc_record *r = row->rec;

	if (row->thread) {
		snprintf(pid, pidlen, "%d", (int)row->thread->tid);
		snprintf(name, namelen, "%s", row->thread->comm);
	} else if (row->kernel) {
		/* TRANSLATORS: the name on PID 0's row, above init (PID 1) */
		snprintf(pid, pidlen, "0");
		snprintf(name, namelen, "%s", _("the kernel"));
	} else {
		format_pid(t, r, pid, pidlen);
		/* a Python interpreter not named by the hook: the script it runs */
		if (r->title[0] || r->is_self || !describe_python_script(r, name, namelen))
			snprintf(name, namelen, "%s", tracker_name(r));
	}
}

static int row_name_width(const struct tui *t, const struct row *row)
{
	char pid[24], name[PROC_CMD_MAX + 16];

	row_names(t, row, pid, sizeof(pid), name, sizeof(name));
	return text_width(row->prefix) + text_width(pid) + 1 + text_width(name);
}

/* A process of a run that is over, as it ended: "reaped 3 s ago" would grow
 * stale while the class looks, so say when, and by whom. */
static void ended_state(const struct tui *t, const struct moment *m, const struct proc_record *r,
                        char *buf, size_t len)
{
	const struct proc_record *by = r->reaped_by > 0 ? tracker_find(m->tracker, r->reaped_by)
	                                                : NULL;
	char how[128];
	const char *sym = describe_symbol(LOOK_REAPED, t->opts.ascii);

	/* an unknown status (reaped between two readings) is not worth a word */
	describe_exit(r, how, sizeof(how));
	bool told = r->exit_status >= 0 || r->exit_signal > 0;
	if (by && by->is_self && told)
		/* TRANSLATORS: the row of a process once the run is over: the
		 * symbol of the reaped, when it was reaped (seconds into the
		 * run), by whom, and how it ended ("exit 3", "killed by
		 * SIGKILL"); forkscope reaps the orphans it adopted */
		snprintf(buf, len, _("%s reaped at %.1f s by forkscope (%s)"), sym, r->reaped, how);
	else if (by && by->is_self)
		snprintf(buf, len, _("%s reaped at %.1f s by forkscope"), sym, r->reaped);
	else if (r->reaped_by > 0 && told)
		snprintf(buf, len, _("%s reaped at %.1f s by %d (%s)"), sym, r->reaped,
		         (int)r->reaped_by, how);
	else if (r->reaped_by > 0)
		snprintf(buf, len, _("%s reaped at %.1f s by %d"), sym, r->reaped, (int)r->reaped_by);
	else if (told)
		snprintf(buf, len, _("%s reaped at %.1f s (%s)"), sym, r->reaped, how);
	else
		snprintf(buf, len, _("%s reaped at %.1f s"), sym, r->reaped);
}

void process_state(const struct tui *t, const struct moment *m, const struct proc_record *r,
                   char *buf, size_t len)
{
	if (m->final && r->phase == PHASE_REAPED)
		ended_state(t, m, r, buf, len);
	else
		describe_state(r, m->tracker, m->t, t->opts.ascii, buf, len);
}

/* The state column of a row. */
static void row_state(const struct tui *t, const struct moment *m, const struct row *row,
                      char *buf, size_t len)
{
	const struct proc_record *r = row->rec;

	if (row->thread) {
		if (row->thread->state == 'R')
			/* TRANSLATORS: the state column of a thread's row: the PID of
			 * its process */
			snprintf(buf, len, _("thread of %d, running"), (int)r->pid);
		else
			snprintf(buf, len, _("thread of %d"), (int)r->pid);
		return;
	}
	if (kernel_row(m, r)) {
		/* TRANSLATORS: PID 0's row: what it is, and who stands for it here
		 * (forkscope, by its PID outside the namespace) */
		snprintf(buf, len, _("idle task and scheduler, init's parent (forkscope, %d)"),
		         (int)r->pid);
		return;
	}
	process_state(t, m, r, buf, len);
	if (r->nlwp > 1 && r->phase == PHASE_ALIVE) {
		size_t used = strlen(buf);
		if (t->threads)
			/* TRANSLATORS: after a process's state: how many threads it
			 * has; (t) is the key that shows them */
			snprintf(buf + used, len - used, P_(", %d thread", ", %d threads", r->nlwp),
			         r->nlwp);
		else
			snprintf(buf + used, len - used, P_(", %d thread (t)", ", %d threads (t)", r->nlwp),
			         r->nlwp);
	}
}

/* Whether r was born less than NEW_SECS before m and lives: its PID is
 * highlighted ("✚ new"). */
static bool is_fresh(const struct moment *m, const struct proc_record *r)
{
	return !r->is_self && !r->existing && r->phase == PHASE_ALIVE && m->t - r->born < NEW_SECS;
}

/* The process whose fork() made r, while r is fresh: a process of the tree.
 * NULL for the program forkscope started (its parent is forkscope, or in a
 * PID namespace forkscope's init), for a process found running (-p) or
 * already adopted when first seen. */
static const struct proc_record *forker(const struct moment *m, const struct proc_record *r)
{
	if (r->is_root || !is_fresh(m, r) || r->orig_ppid <= 0 || m->t < r->born)
		return NULL;
	const struct proc_record *p = tracker_find(m->tracker, r->orig_ppid);
	/* a parent born after r is a newer owner of the PID, not the forker */
	if (!p || p->is_self || p->born > r->born)
		return NULL;
	/* init of forkscope's namespace forks the program: forkscope's doing */
	return p->is_root && tracker_pidns(m->tracker) ? NULL : p;
}

/* What fork() returned on row's process, while the fork is fresh: "fork()
 * → 0" in the child, "fork() → 2345" in the parent (its newest child);
 * "" otherwise. */
static void fork_label(const struct tui *t, const struct moment *m, const struct row *row,
                       char *buf, size_t len)
{
	const struct proc_record *r = row->rec, *newest = NULL;
	char pid[24];
	size_t n;

	buf[0] = '\0';
	if (row->thread)
		return;
	/* its own newest fork first: a fresh child that forked in turn (a
	 * fork bomb) says what its own fork() returned, the latest */
	if (r->phase == PHASE_ALIVE) {      /* not a parent gone since */
		const struct proc_record *rec = tracker_records(m->tracker, &n);
		for (size_t i = 0; i < n; i++)
			if (rec[i].orig_ppid == r->pid && forker(m, &rec[i]) == r &&
			    moment_shows(m, &rec[i]) && (!newest || rec[i].born >= newest->born))
				newest = &rec[i];
	}
	if (newest)
		format_pid(t, newest, pid, sizeof(pid));
	else if (forker(m, r))
		str_copy(pid, sizeof(pid), "0");
	else
		return;
	/* TRANSLATORS: on a tree row right after a fork: what fork() returned
	 * in this process, 0 in the child, the child's PID in the parent; keep
	 * "fork()", the arrow may become a word ("fork() 返回 0") */
	snprintf(buf, len, _("fork() → %s"), pid);
	if (t->opts.ascii)
		replace_all(buf, "→", "->");
}

/* Draws one tree row; the state starts at column state_col (relative to x)
 * when the names leave room for it. */
static void draw_row(struct tui *t, const struct moment *m, const struct row *row, int y, int x,
                     int w, int state_col)
{
	const struct proc_record *r = row->rec;
	char state[320], name[PROC_CMD_MAX + 16], pid[24], fresh_s[64], label[64];
	bool ascii = t->opts.ascii;

	row_names(t, row, pid, sizeof(pid), name, sizeof(name));
	row_state(t, m, row, state, sizeof(state));
	fork_label(t, m, row, label, sizeof(label));
	enum look look = row->thread ? LOOK_SLEEPING : describe_look(r);
	bool selected = !row->thread && is_selected(t, r);
	bool fresh = !row->thread && is_fresh(m, r);
	attr_t base = role_attr(t, look == LOOK_REAPED || look == LOOK_ZOMBIE ? look_role(look)
	                                                                      : ROLE_NORMAL);
	if (row->thread || kernel_row(m, r))
		base = role_attr(t, ROLE_DIM);
	if (selected)
		base = role_attr(t, ROLE_SELECTED);
	fill_row(y, x, w, base);

	int col = x, end = x + w;
	col += put_clipped(y, col, row->prefix, end - col, selected ? base : role_attr(t, ROLE_DIM));
	attr_t name_attr = selected || kernel_row(m, r) ? base
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
	attr_t sa = selected || kernel_row(m, r) ? base : role_attr(t, look_role(look));
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

/* The panel's title: how many rows live, and, once the run is over, that
 * the tree is the whole run (or its newest part, past the tracker's bound). */
static void tree_title_words(const struct moment *m, size_t nrows, char *buf, size_t len)
{
	/* TRANSLATORS: the title of the process tree while it runs; forkscope
	 * is the subreaper of what it starts, so orphans become its children */
	if (!m->final) {
		snprintf(buf, len, tracker_attached(m->tracker)
		         ? _("Processes: %zu shown, attached: orphans go to the system's reaper")
		         : tracker_pidns(m->tracker)
		         /* TRANSLATORS: the tree's title in a PID namespace (--pid1) */
		         ? _("Processes: %zu shown, PID 1 (init) adopts orphans")
		         : _("Processes: %zu shown, forkscope adopts orphans"), nrows);
		return;
	}
	size_t n;
	int kept = 0;
	const struct proc_record *rec = tracker_records(m->tracker, &n);
	/* init of forkscope's namespace is forkscope's, not the run's: it is
	 * not in the end's counts either */
	bool pidns = tracker_pidns(m->tracker);
	for (size_t i = 0; i < n; i++)
		kept += !rec[i].is_self && !(pidns && rec[i].is_root);
	struct tracker_stats st;
	tracker_stats(m->tracker, &st);
	/* TRANSLATORS: the title of the process tree once the run is over */
	if (kept < st.processes)
		snprintf(buf, len, _("Processes: the last %d of the %d in the run, as each ended"), kept,
		         st.processes);
	else
		snprintf(buf, len, _("Processes: %d in the run, each as it ended"), kept);
}

/* The title, and that threads are shown while t shows them: t carries
 * over r and m, so the screen says it is on, and which key turns it off. */
static void tree_title(const struct tui *t, const struct moment *m, size_t nrows, bool compact,
                       char *buf, size_t len)
{
	tree_title_words(m, nrows, buf, len);
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
static int scroll_to_selection(struct tui *t, const struct row *rows, int n, int visible)
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
static int state_column(const struct tui *t, const struct row *rows, int count, int w)
{
	int col = 0;

	for (int i = 0; i < count; i++) {
		int nw = row_name_width(t, &rows[i]);
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
static int entry_width(const struct tui *t, const struct row *row, bool names)
{
	char pid[24], name[PROC_CMD_MAX + 16];

	row_names(t, row, pid, sizeof(pid), name, sizeof(name));
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
static bool fold_into(const struct tui *t, const struct row *const *e, int n, int w, int rows,
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
static void draw_entry(struct tui *t, const struct moment *m, const struct row *row, int y, int x,
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
	row_names(t, row, pid, sizeof(pid), name, sizeof(name));
	int col = x, end = x + w;
	if (selected)
		fill_row(y, x + text_width(row->tight), w - text_width(row->tight), base);
	col += put_clipped(y, col, row->tight, end - col, role_attr(t, ROLE_DIM));
	attr_t pid_attr = selected ? base : is_fresh(m, r) ? role_attr(t, ROLE_NEW) : base | A_BOLD;
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
static void scroll_compact(struct tui *t, const struct row *const *e, int n, const struct fold *f)
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
static int draw_compact(struct tui *t, const struct moment *m, const struct row *rows, int nrows,
                        int y, int x, int w, int visible)
{
	const struct row **e = xcalloc(nrows ? (size_t)nrows : 1, sizeof(*e));
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
static int draw_rows(struct tui *t, const struct moment *m, const struct row *rows, int n, int y,
                     int x, int w, int visible)
{
	int room = scroll_to_selection(t, rows, n, visible);
	bool more_below = n > t->scroll + room;
	int shown = more_below ? room : visible;
	if (shown > n - t->scroll)
		shown = n - t->scroll;
	const struct row *first = rows + t->scroll;
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
	struct row *rows = xcalloc(MAX_ROWS, sizeof(*rows));
	int n = (int)build_rows(t, m, rows, MAX_ROWS);
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
		join_sentences(intro, sizeof(intro), _(t->scenario->intro[0]),
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
	struct row *rows = xcalloc(MAX_ROWS, sizeof(*rows));
	int n = (int)build_rows(t, m, rows, MAX_ROWS);
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
