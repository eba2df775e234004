/*
 * scene.c - see scene.h.
 */
#include "scene.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "i18n.h"
#include "text.h"
#include "util.h"

/* Tree levels drawn with lines; deeper ones start with an ellipsis. */
enum { MAX_DRAWN_DEPTH = 16 };
/* Seconds after its birth in which a process's rename is part of its fork
 * (the caption keeps telling the fork). */
#define TITLE_AFTER_FORK 1.0
/* How long the scenario's cue caption stays after its cue. */
#define CUE_SECS 4.0
/* How far back a scan looks for lifecycle events among output lines: a
 * program that floods its output must not slow every frame down. */
enum { SCAN_BACK = 20000 };

/* The compact layout's tree lines: two columns a level. */
static const struct tree_glyphs tight_utf8 = { "├─", "└─", "│ ", "  " };
static const struct tree_glyphs tight_ascii = { "|-", "`-", "| ", "  " };

/* forkscope's record in a PID namespace (--pid1): drawn as PID 0, init's
 * parent as seen from inside, dim and never selected: no process to watch. */
bool scene_kernel_row(const struct moment *m, const struct proc_record *r)
{
	return r->is_self && tracker_pidns(m->tracker);
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
static size_t add_threads(const struct scene_opts *o, const struct moment *m,
                          const struct scene_row *r, const bool *more, bool has_kids,
                          struct scene_row *out, size_t max)
{
	const struct tree_glyphs *g = describe_tree_glyphs(o->ascii);
	const struct frame *f = m->frame;
	char cont[160] = "";
	size_t k = 0;
	int d = r->depth;

	for (int lv = d > MAX_DRAWN_DEPTH ? d - MAX_DRAWN_DEPTH : 1; lv <= d && lv < 64; lv++)
		add_str(cont, sizeof(cont), more[lv] ? g->pipe : g->blank);
	add_str(cont, sizeof(cont), has_kids ? (o->ascii ? "| ~ " : "│ ╌ ")
	                                     : (o->ascii ? "  ~ " : "  ╌ "));
	for (size_t th = 0; th < f->nthreads && k < max; th++) {
		const struct thread_sample *ts = &f->threads[th];
		if (ts->pid != r->rec->pid || ts->tid == ts->pid)
			continue;
		struct scene_row *tr = &out[k++];
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
size_t scene_rows(const struct moment *m, const struct scene_opts *o, struct scene_row *out,
                  size_t max)
{
	const struct tree_glyphs *g = describe_tree_glyphs(o->ascii);
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
		struct scene_row *r = &out[k++];
		memset(r, 0, sizeof(*r));
		r->rec = &rec[tree[i].index];
		r->depth = d;
		r->kernel = scene_kernel_row(m, r->rec);
		/* a very deep tree shows its last levels only, after an ellipsis */
		int first_lv = d > MAX_DRAWN_DEPTH ? d - MAX_DRAWN_DEPTH : 1;
		const struct tree_glyphs *tg = o->ascii ? &tight_ascii : &tight_utf8;
		if (first_lv > 1) {
			add_str(r->prefix, sizeof(r->prefix), o->ascii ? "..." : "…");
			add_str(r->tight, sizeof(r->tight), o->ascii ? "..." : "…");
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
		if (o->threads && r->rec->nlwp > 1)
			k += add_threads(o, m, r, more, i + 1 < nt && tree[i + 1].depth > d, out + k,
			                 max - k);
	}
	free(tree);
	return k;
}

/* The PID the tree shows for r: on its row, in the compact layout and in
 * the fork() labels.  The one place to change which number a row shows. */
static void format_pid(const struct proc_record *r, char *buf, size_t len)
{
	snprintf(buf, len, "%d", (int)r->pid);
}

void scene_row_names(const struct scene_row *row, char *pid, size_t pidlen, char *name,
                     size_t namelen)
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
		format_pid(r, pid, pidlen);
		/* a Python interpreter not named by the hook: the script it runs */
		if (r->title[0] || r->is_self || !describe_python_script(r, name, namelen))
			snprintf(name, namelen, "%s", tracker_name(r));
	}
}
/* A process of a run that is over, as it ended: "reaped 3 s ago" would grow
 * stale while the class looks, so say when, and by whom. */
static void ended_state(const struct moment *m, bool ascii, const struct proc_record *r, char *buf,
                        size_t len)
{
	const struct proc_record *by = r->reaped_by > 0 ? tracker_find(m->tracker, r->reaped_by)
	                                                : NULL;
	char how[128];
	const char *sym = describe_symbol(LOOK_REAPED, ascii);

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

void scene_process_state(const struct moment *m, bool ascii, const struct proc_record *r,
                         char *buf, size_t len)
{
	if (m->final && r->phase == PHASE_REAPED)
		ended_state(m, ascii, r, buf, len);
	else
		describe_state(r, m->tracker, m->t, ascii, buf, len);
}

void scene_row_state(const struct moment *m, const struct scene_opts *o,
                     const struct scene_row *row, char *buf, size_t len)
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
	if (scene_kernel_row(m, r)) {
		/* TRANSLATORS: PID 0's row: what it is, and who stands for it here
		 * (forkscope, by its PID outside the namespace) */
		snprintf(buf, len, _("idle task and scheduler, init's parent (forkscope, %d)"),
		         (int)r->pid);
		return;
	}
	scene_process_state(m, o->ascii, r, buf, len);
	if (r->nlwp > 1 && r->phase == PHASE_ALIVE) {
		size_t used = strlen(buf);
		if (o->threads)
			/* TRANSLATORS: after a process's state: how many threads it
			 * has; (t) is the key that shows them */
			snprintf(buf + used, len - used, P_(", %d thread", ", %d threads", r->nlwp),
			         r->nlwp);
		else
			snprintf(buf + used, len - used, P_(", %d thread (t)", ", %d threads (t)", r->nlwp),
			         r->nlwp);
	}
}

bool scene_fresh(const struct moment *m, const struct proc_record *r)
{
	return !r->is_self && !r->existing && r->phase == PHASE_ALIVE && m->t - r->born < SCENE_NEW_SECS;
}

/* The process whose fork() made r, while r is fresh: a process of the tree.
 * NULL for the program forkscope started (its parent is forkscope, or in a
 * PID namespace forkscope's init), for a process found running (-p) or
 * already adopted when first seen. */
static const struct proc_record *forker(const struct moment *m, const struct proc_record *r)
{
	if (r->is_root || !scene_fresh(m, r) || r->orig_ppid <= 0 || m->t < r->born)
		return NULL;
	const struct proc_record *p = tracker_find(m->tracker, r->orig_ppid);
	/* a parent born after r is a newer owner of the PID, not the forker */
	if (!p || p->is_self || p->born > r->born)
		return NULL;
	/* init of forkscope's namespace forks the program: forkscope's doing */
	return p->is_root && tracker_pidns(m->tracker) ? NULL : p;
}

void scene_fork_label(const struct moment *m, bool ascii, const struct scene_row *row, char *buf,
                      size_t len)
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
		format_pid(newest, pid, sizeof(pid));
	else if (forker(m, r))
		str_copy(pid, sizeof(pid), "0");
	else
		return;
	/* TRANSLATORS: on a tree row right after a fork: what fork() returned
	 * in this process, 0 in the child, the child's PID in the parent; keep
	 * "fork()", the arrow may become a word ("fork() 返回 0") */
	snprintf(buf, len, _("fork() → %s"), pid);
	if (ascii)
		replace_all(buf, "→", "->");
}

/* Draws one tree row; the state starts at column state_col (relative to x)
 * when the names leave room for it. */
void scene_tree_title(const struct moment *m, size_t nrows, char *buf, size_t len)
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

/* ---- events and the caption ---------------------------------------------- */

size_t scene_scan_floor(const struct history *h, size_t upto)
{
	size_t floor = upto > SCAN_BACK ? upto - SCAN_BACK : 0;

	return floor > history_first(h) ? floor : history_first(h);
}

struct scene_walk scene_walk(const struct moment *m)
{
	bool recent = m->upto >= history_count(m->history);

	return (struct scene_walk){ .h = m->history, .recent = recent,
	                            .k = recent ? 0 : m->upto,
	                            .floor = scene_scan_floor(m->history, m->upto) };
}

const struct event *scene_walk_next(struct scene_walk *w)
{
	if (w->recent)
		return w->k < HISTORY_RECENT ? history_recent(w->h, w->k++) : NULL;
	while (w->k > w->floor) {
		const struct event *ev = history_at(w->h, --w->k);
		if (ev->type != EV_OUTPUT)
			return ev;
	}
	return NULL;
}

/* A process other than forkscope and the one it started has been there by
 * the moment (its tombstone stays in the model, shown or not), or an event
 * was about something else than the root: a queue it filled alone. */
bool scene_started(const struct moment *m)
{
	size_t n;
	const struct proc_record *rec = tracker_records(m->tracker, &n);
	pid_t root = 0;

	for (size_t i = 0; i < n; i++) {
		if (!rec[i].is_self && !rec[i].is_root)
			return true;
		if (rec[i].is_root)
			root = rec[i].pid;
	}
	struct scene_walk w = scene_walk(m);
	const struct event *ev;
	while ((ev = scene_walk_next(&w)))
		if (ev->pid != root)
			return true;
	return false;
}

/* (demos sleep all the time: a plain sleep is no news) */
bool scene_tellable(const struct event *ev)
{
	return ev->type != EV_OUTPUT && !(ev->type == EV_BLOCKED && ev->on == ON_SLEEP);
}

/* The latest tellable event (the latest step while slow motion holds),
 * passing over a wait that is already over by the moment (the sentence
 * would say it still waits). */
const struct event *scene_caption_event(const struct moment *m)
{
	if (m->cursor)
		return m->cursor;

	struct scene_walk w = scene_walk(m);
	const struct event *ev;

	while ((ev = scene_walk_next(&w))) {
		if (!scene_tellable(ev))
			continue;
		/* slow motion holds the tree for a step: the caption tells the
		 * step (a fork, an exit...), not the pipes it made on the way */
		if (m->holding && !event_lifecycle(ev))
			continue;
		if (ev->type == EV_BLOCKED) {
			const struct proc_record *r = tracker_find(m->tracker, ev->pid);
			if (!r || r->phase != PHASE_ALIVE || (int)r->blocked.on != ev->on)
				continue;
		}
		/* a child that names itself right after its fork: the fork is
		 * the story, and its caption stays long enough to be read */
		if (ev->type == EV_TITLE) {
			const struct proc_record *r = tracker_find(m->tracker, ev->pid);
			if (r && ev->t - r->born < TITLE_AFTER_FORK)
				continue;
		}
		return ev;
	}
	return NULL;
}

/* Whether the moment is within CUE_SECS of a line of the program's that
 * holds the scenario's cue (scenarios.h), and no step or rewind points at
 * an event of its own. */
static bool cue_now(const struct moment *m, const struct scenario *sc)
{
	if (m->cursor || !sc || !sc->cue)
		return false;
	const struct history *hist = m->history;
	size_t floor = scene_scan_floor(hist, m->upto);
	for (size_t i = m->upto; i-- > floor;) {
		const struct event *ev = history_at(hist, i);
		if (ev->t < m->t - CUE_SECS)
			break;
		if (ev->type == EV_OUTPUT && strstr(ev->text, sc->cue))
			return true;
	}
	return false;
}

void scene_join_sentences(char *buf, size_t len, const char *a, const char *b)
{
	const char *last = a + strlen(a);

	while (last > a && ((unsigned char)last[-1] & 0xc0) == 0x80)
		last--;
	if (last > a)
		last--;
	bool wide = *last && text_columns(last, TEXT_TERMINAL) == 2;
	snprintf(buf, len, "%s%s%s", a, wide ? "" : " ", b);
}

void scene_caption(const struct moment *m, const struct scenario *sc, bool started, char *buf,
                   size_t len)
{
	const struct event *ev = scene_caption_event(m);

	/* the introduction, until the program does something of its own */
	if (sc && !m->cursor && !started)
		scene_join_sentences(buf, len, _(sc->intro[0]), _(sc->intro[1]));
	else if ((!ev || ev->type != EV_END) && cue_now(m, sc))
		snprintf(buf, len, "%s", _(sc->cue_caption));
	else if (ev)
		explain_event(ev, buf, len);
	else
		snprintf(buf, len, "%s", _("Waiting for the first event."));
}

/* ---- queues and pipes ---------------------------------------------------- */

int scene_fill_level(const struct channel *c)
{
	if (c->capacity > 0 && c->fill >= c->capacity)
		return 2;
	return c->fill > 0 ? 1 : 0;
}

/* How much a channel holds: "3/3 messages", "120 bytes", "7 tasks waiting". */
static void amount_words(const struct channel *c, char *buf, size_t len)
{
	long n = c->fill, cap = c->capacity;
	/* a pool's task queue holds tasks, waiting for a worker */
	bool tasks = strcmp(c->what, "tasks") == 0, results = strcmp(c->what, "results") == 0;

	if (cap > 0 && tasks)
		/* TRANSLATORS: what a queue or pipe holds, beside its gauge: how
		 * many of what it holds, out of how many it can hold ("3/3
		 * messages"); tasks wait in a pool's queue for a worker */
		snprintf(buf, len, P_("%ld/%ld task waiting", "%ld/%ld tasks waiting", n), n, cap);
	else if (cap > 0 && results)
		snprintf(buf, len, P_("%ld/%ld result", "%ld/%ld results", n), n, cap);
	else if (cap > 0 && c->bytes)
		snprintf(buf, len, P_("%ld/%ld byte", "%ld/%ld bytes", n), n, cap);
	else if (cap > 0)
		snprintf(buf, len, P_("%ld/%ld message", "%ld/%ld messages", n), n, cap);
	else if (tasks)
		snprintf(buf, len, P_("%ld task waiting", "%ld tasks waiting", n), n);
	else if (results)
		snprintf(buf, len, P_("%ld result", "%ld results", n), n);
	else if (c->bytes)
		snprintf(buf, len, P_("%ld byte", "%ld bytes", n), n);
	else
		snprintf(buf, len, P_("%ld message", "%ld messages", n), n);
}

/* "3/3 messages  FULL", "120 bytes", "7 tasks waiting (no limit)" */
void scene_fill_words(const struct channel *c, char *buf, size_t len)
{
	char amount[128];

	amount_words(c, amount, sizeof(amount));
	if (c->capacity > 0 && c->fill >= c->capacity)
		/* TRANSLATORS: %s is what the channel holds ("3/3 messages"); FULL
		 * stands out in capitals, two spaces after the amount */
		snprintf(buf, len, _("%s  FULL"), amount);
	else if (c->capacity > 0 && c->fill == 0)
		snprintf(buf, len, _("%s  empty"), amount);
	else if (c->capacity <= 0 && !c->bytes && c->what[0])
		/* TRANSLATORS: a queue that takes any number of messages */
		snprintf(buf, len, _("%s (no limit)"), amount);
	else
		snprintf(buf, len, "%s", amount);
}

/* What a channel is, before its name: Python's word for it. */
static const char *kind_word(const struct channel *c)
{
	return strcmp(c->what, "manager") == 0 ? "Manager " : "";
}

void scene_channel_name(const struct channel *c, char *buf, size_t len)
{
	char part[CHAN_NAME_MAX + 32];

	snprintf(buf, len, "%s%s", kind_word(c), describe_channel(c->name, part, sizeof(part)));
}

/* (a pipe's holders say which end they hold) */
void scene_holders(const struct channel *c, int width, char *buf, size_t len)
{
	enum text_for mode = text_for_terminal();

	char pid[32], rest[32];

	/* TRANSLATORS: the processes that hold a queue or pipe open follow,
	 * each PID with r or w for the end of a pipe it holds */
	snprintf(buf, len, "  %s", _("held by"));
	for (int k = 0; k < c->nholders; k++) {
		const char *end = c->kind == CHAN_PIPE && c->ends[k] != 'b' ? (c->ends[k] == 'r' ? "r" : "w")
		                                                             : "";
		snprintf(pid, sizeof(pid), " %d%s", (int)c->holders[k], end);
		snprintf(rest, sizeof(rest), " +%d", c->nholders - k);
		/* this one, and room for "+N" after it unless it is the last */
		int need = text_columns(buf, mode) + text_columns(pid, mode) +
		           (k + 1 < c->nholders ? text_columns(rest, mode) : 0);
		if (width >= 0 && need > width) {
			if (text_columns(buf, mode) + text_columns(rest, mode) <= width && strlen(buf) + strlen(rest) < len)
				strcat(buf, rest);
			return;
		}
		size_t used = strlen(buf);
		snprintf(buf + used, len - used, "%s", pid);
	}
}
