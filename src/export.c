/*
 * export.c - see export.h.
 */
#include "export.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "describe.h"
#include "explain.h"
#include "i18n.h"
#include "intmap.h"
#include "outfile.h"
#include "player_assets.h"
#include "scene.h"
#include "session.h"
#include "text.h"
#include "util.h"

#ifndef FORKSCOPE_LINGUAS
#define FORKSCOPE_LINGUAS ""
#endif

/* The page's data format (player/DATA.md). */
enum { PAGE_VERSION = 1 };
/* Languages a page may hold: English and the catalogues built. */
enum { MAX_LANGS = 8 };
/* The program's output lines a page keeps: a flood stays a flood, not a
 * page of many megabytes (the data says how many were left out). */
enum { PAGE_OUTPUT_MAX = 4000 };
/* Rows a moment keeps: a bomb's tree beyond that is cut. */
enum { PAGE_ROWS_MAX = 512 };

struct export_out {
	int fd;
	char *path, *name;
	bool created;
	enum export_kind kind;
};

bool export_kind_of(const char *path, enum export_kind *kind)
{
	const char *dot = strrchr(path, '.');

	if (!dot || strchr(dot, '/'))
		return false;
	if (strcasecmp(dot, ".html") == 0 || strcasecmp(dot, ".htm") == 0)
		*kind = EXPORT_HTML;
	else if (strcasecmp(dot, ".svg") == 0)
		*kind = EXPORT_SVG;
	else
		return false;
	return true;
}

struct export_out *export_create(const char *path, bool force, char *err, size_t errlen)
{
	enum export_kind kind;

	if (!export_kind_of(path, &kind)) {
		char *name = outfile_shown(path);
		/* TRANSLATORS: --export FILE: the file's name must end in .html
		 * or .svg */
		snprintf(err, errlen, _("cannot export to %s: name it FILE.html for a page or "
		         "FILE.svg for a drawing"), name);
		free(name);
		return NULL;
	}
	bool created;
	int fd = outfile_create(path, force, OUTFILE_EXPORT, &created, err, errlen);
	if (fd < 0)
		return NULL;
	struct export_out *out = xcalloc(1, sizeof(*out));
	out->fd = fd;
	out->path = xstrdup(path);
	out->name = outfile_shown(path);
	out->created = created;
	out->kind = kind;
	return out;
}

void export_abandon(struct export_out *out)
{
	if (!out)
		return;
	close(out->fd);
	if (out->created)
		unlink(out->path);
	free(out->path);
	free(out->name);
	free(out);
}

/* ---- text in memory ---------------------------------------------------------- */

/* A stream into memory (open_memstream()): fputs() and fprintf() write
 * the page, the drawing and the keys of the tables.  buf_done() gives the
 * text (the caller frees it). */
struct buf {
	FILE *f;
	char *s;
	size_t len;
};

static FILE *buf_open(struct buf *b)
{
	b->s = NULL;
	b->len = 0;
	b->f = open_memstream(&b->s, &b->len);
	if (!b->f)
		die("out of memory");
	return b->f;
}

static char *buf_done(struct buf *b)
{
	if (fclose(b->f) != 0)
		die("out of memory");
	return b->s;
}

/* Text for XML and HTML: & < > " escaped. */
static void put_escaped(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

/* Numbers are written with a point, in the data and the drawing:
 * export_write() sets LC_NUMERIC to "C" while it writes. */

static json_object *json_secs(double d)
{
	char s[48];

	snprintf(s, sizeof(s), "%.3f", d);
	/* "1.500" → "1.5": shorter data, the same number */
	char *end = s + strlen(s);
	while (end > s && end[-1] == '0')
		*--end = '\0';
	if (end > s && end[-1] == '.')
		*--end = '\0';
	return json_object_new_double_s(d, s);
}

/* ---- the languages ------------------------------------------------------- */

struct langs {
	char code[MAX_LANGS][16];
	size_t n;
	size_t home;             /* the one the export was asked in */
};

/* English, then each catalogue built (FORKSCOPE_LINGUAS) that is found. */
static void find_langs(struct langs *L)
{
	char list[128];
	const char *now = getenv("LANGUAGE");
	const char *msgs = setlocale(LC_MESSAGES, NULL);

	memset(L, 0, sizeof(*L));
	str_copy(L->code[L->n++], sizeof(L->code[0]), "en");
	str_copy(list, sizeof(list), FORKSCOPE_LINGUAS);
	for (char *save = NULL, *tok = strtok_r(list, " ", &save); tok && L->n < MAX_LANGS;
	     tok = strtok_r(NULL, " ", &save)) {
		i18n_switch(tok);
		if (!i18n_have_catalogue())
			continue;
		/* the export's own language: the first of LANGUAGE's, else the
		 * locale's, that names this one */
		size_t n = strlen(tok);
		const char *ask = now && now[0] ? now : msgs ? msgs : "";
		if (strncmp(ask, tok, n) == 0 || (strncmp(ask, tok, 2) == 0 && ask[2] != '_'))
			L->home = L->n;
		str_copy(L->code[L->n++], sizeof(L->code[0]), tok);
	}
}

/* ---- the strings, in every language ---------------------------------------- */

/* What one pass over a moment says, in one language, in order. */
struct said {
	char **s;
	size_t n, cap;
};

static void said_add(struct said *w, const char *s)
{
	if (w->n == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 64;
		w->s = xreallocarray(w->s, w->cap, sizeof(*w->s));
	}
	w->s[w->n++] = text_clean_dup(s, TEXT_TERMINAL);
}

static void said_clear(struct said *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->s[i]);
	w->n = 0;
}

struct page {
	struct langs langs;
	json_object *slots;        /* the strings of every language joined -> slot */
	json_object *rows;         /* every tree row there was, once: moments name them */
	json_object *row_index;    /* a row as JSON -> its number in rows */
	int *shown;                /* the rows of the last moment written, and how */
	size_t nshown;             /*   many: the next one says how it differs */
	json_object *text[MAX_LANGS];   /* arrays: slot -> string */
	struct said said[MAX_LANGS];
	const struct scenario *sc;
	/* kept from moment to moment, not made anew for each: a moment's rows
	 * (PAGE_ROWS_MAX, 150 KiB) and the key of a string in every language */
	struct scene_row *rowbuf;
	char *key;
	size_t keycap;
};

/* The slot of the k-th string said in every language (said[*].s[k]). */
static int slot_of(struct page *p, size_t k)
{
	json_object *v;
	size_t len = 0;

	/* the strings joined by 0x1f, which text_clean() leaves none of */
	for (size_t l = 0; l < p->langs.n; l++) {
		size_t n = strlen(p->said[l].s[k]);
		if (len + n + 2 > p->keycap) {
			p->keycap = 2 * (len + n + 2);
			p->key = xreallocarray(p->key, p->keycap, 1);
		}
		memcpy(p->key + len, p->said[l].s[k], n);
		len += n;
		p->key[len++] = '\x1f';
	}
	p->key[len] = '\0';
	int slot;
	if (json_object_object_get_ex(p->slots, p->key, &v)) {
		slot = json_object_get_int(v);
	} else {
		slot = (int)json_object_array_length(p->text[0]);
		json_object_object_add(p->slots, p->key, json_object_new_int(slot));
		for (size_t l = 0; l < p->langs.n; l++)
			json_object_array_add(p->text[l], json_object_new_string(p->said[l].s[k]));
	}
	return slot;
}

/* Says what fn says of arg in every language, then gives the slot of each
 * of its strings: out[k] for the k-th (at most max). */
typedef void say_fn(struct said *w, const void *arg);

static size_t say_all(struct page *p, say_fn *fn, const void *arg, int *out, size_t max)
{
	for (size_t l = 0; l < p->langs.n; l++) {
		i18n_switch(p->langs.code[l]);
		said_clear(&p->said[l]);
		fn(&p->said[l], arg);
	}
	size_t n = p->said[0].n;
	for (size_t k = 0; k < n && k < max; k++)
		out[k] = slot_of(p, k);
	return n < max ? n : max;
}

/* ---- a moment ---------------------------------------------------------- */

struct moment_arg {
	const struct moment *m;
	const struct scene_row *rows;
	size_t nrows;
	const struct scenario *sc;
	bool started;          /* scene_started(m) */
};

static const struct scene_opts page_opts = { .ascii = false, .threads = false };

/* In this order: the tree's title, the caption, then each row's name,
 * state and fork() label, then each queue's name, words and holders. */
static void say_moment(struct said *w, const void *arg)
{
	const struct moment_arg *a = arg;
	const struct moment *m = a->m;
	char buf[1200], pid[32], name[PROC_CMD_MAX + 16];

	scene_tree_title(m, a->nrows, buf, sizeof(buf));
	said_add(w, buf);
	scene_caption(m, a->sc, a->started, buf, sizeof(buf));
	said_add(w, buf);
	for (size_t i = 0; i < a->nrows; i++) {
		scene_row_names(&a->rows[i], pid, sizeof(pid), name, sizeof(name));
		said_add(w, name);
		scene_row_state(m, &page_opts, &a->rows[i], buf, sizeof(buf));
		said_add(w, buf);
		scene_fork_label(m, false, &a->rows[i], buf, sizeof(buf));
		said_add(w, buf);
	}
	for (size_t i = 0; i < m->frame->nchannels; i++) {
		const struct channel *c = &m->frame->channels[i];
		if (c->internal)
			continue;
		scene_channel_name(c, buf, sizeof(buf));
		said_add(w, buf);
		scene_fill_words(c, buf, sizeof(buf));
		said_add(w, buf);
		scene_holders(c, -1, buf, sizeof(buf));
		said_add(w, c->nholders ? buf : "");
	}
}

/* The number of row (taken) in the table of rows: a row that stays the
 * same from moment to moment (most of them) is written once. */
static int row_number(struct page *p, json_object *row)
{
	const char *key = json_object_to_json_string_ext(row, JSON_C_TO_STRING_PLAIN);
	json_object *v;

	if (json_object_object_get_ex(p->row_index, key, &v)) {
		json_object_put(row);
		return json_object_get_int(v);
	}
	int n = (int)json_object_array_length(p->rows);
	json_object_object_add(p->row_index, key, json_object_new_int(n));
	json_object_array_add(p->rows, row);
	return n;
}

static json_object *moment_json(struct page *p, const struct moment *m, size_t log)
{
	struct scene_row *rows = p->rowbuf;
	size_t nrows = scene_rows(m, &page_opts, rows, PAGE_ROWS_MAX);
	size_t nch = 0;
	for (size_t i = 0; i < m->frame->nchannels; i++)
		nch += !m->frame->channels[i].internal;
	size_t max = 2 + 3 * nrows + 3 * nch;
	int *slot = xcalloc(max, sizeof(*slot));
	struct moment_arg arg = { .m = m, .rows = rows, .nrows = nrows, .sc = p->sc,
	                         .started = scene_started(m) };

	say_all(p, say_moment, &arg, slot, max);

	json_object *o = json_object_new_object();
	json_object_object_add(o, "log", json_object_new_int64((int64_t)log));
	json_object_object_add(o, "caption", json_object_new_int(slot[1]));
	json_object_object_add(o, "title", json_object_new_int(slot[0]));
	json_object *jr = json_object_new_array();
	size_t k = 2;
	for (size_t i = 0; i < nrows; i++, k += 3) {
		const struct scene_row *r = &rows[i];
		char pid[32], name[PROC_CMD_MAX + 16];
		scene_row_names(r, pid, sizeof(pid), name, sizeof(name));
		int flags = (scene_fresh(m, r->rec) ? 1 : 0) | (r->kernel ? 2 : 0) |
		            (r->rec->is_root ? 4 : 0);
		json_object *row = json_object_new_array();
		json_object_array_add(row, json_object_new_string(r->prefix));
		json_object_array_add(row, json_object_new_string(pid));
		json_object_array_add(row, json_object_new_int(slot[k]));
		json_object_array_add(row, json_object_new_int(slot[k + 1]));
		json_object_array_add(row, json_object_new_int((int)describe_look(r->rec)));
		json_object_array_add(row, json_object_new_int(flags));
		json_object_array_add(row, json_object_new_int(slot[k + 2]));
		json_object_array_add(jr, json_object_new_int(row_number(p, row)));
	}
	json_object_object_add(o, "rows", jr);
	json_object *jq = json_object_new_array();
	for (size_t i = 0; i < m->frame->nchannels; i++) {
		const struct channel *c = &m->frame->channels[i];
		if (c->internal)
			continue;
		json_object *q = json_object_new_array();
		json_object_array_add(q, json_object_new_int(slot[k]));
		json_object_array_add(q, json_object_new_int64(c->fill));
		json_object_array_add(q, json_object_new_int64(c->capacity > 0 ? c->capacity : 0));
		json_object_array_add(q, json_object_new_int(slot[k + 1]));
		json_object_array_add(q, json_object_new_int(slot[k + 2]));
		json_object_array_add(q, json_object_new_int(scene_fill_level(c)));
		json_object_array_add(jq, q);
		k += 3;
	}
	json_object_object_add(o, "queues", jq);
	free(slot);
	return o;
}

/* A moment's rows as their change from the last moment written: each
 * element is a row's number, or [from, count], that many rows of the last
 * moment from its row from.  A tree of a thousand processes changes a row
 * or two at a time (a fork: the parent's label, the new child, its
 * brother's tree line); written whole, each moment would repeat the
 * thousand.  A row's number is unique within a moment (it holds the PID). */
static void rows_as_change(struct page *p, json_object *mo)
{
	json_object *full;
	json_object_object_get_ex(mo, "rows", &full);
	size_t n = json_object_array_length(full);
	int *ids = xcalloc(n ? n : 1, sizeof(*ids));
	for (size_t i = 0; i < n; i++)
		ids[i] = json_object_get_int(json_object_array_get_idx(full, i));

	/* where each row of the last moment was */
	struct intmap at = { 0 };
	for (size_t j = 0; j < p->nshown; j++)
		intmap_put(&at, (unsigned long long)p->shown[j] + 1, (long)j);
	json_object *change = json_object_new_array();
	for (size_t i = 0; i < n;) {
		long found = intmap_get(&at, (unsigned long long)ids[i] + 1);
		if (found < 0) {
			json_object_array_add(change, json_object_new_int(ids[i++]));
			continue;
		}
		size_t j = (size_t)found;
		size_t k = 0;
		while (i + k < n && j + k < p->nshown && ids[i + k] == p->shown[j + k])
			k++;
		json_object *run = json_object_new_array();
		json_object_array_add(run, json_object_new_int64((int64_t)j));
		json_object_array_add(run, json_object_new_int64((int64_t)k));
		json_object_array_add(change, run);
		i += k;
	}
	intmap_free(&at);
	json_object_object_add(mo, "rows", change);
	free(p->shown);
	p->shown = ids;
	p->nshown = n;
}

/* ---- events ------------------------------------------------------------ */

static const char *event_kind(const struct event *ev)
{
	switch (ev->type) {
	case EV_SPAWN: return "fork";
	case EV_EXEC: return "exec";
	case EV_EXIT: return ev->zombie ? "zombie" : "exit";
	case EV_REAP: return "reap";
	case EV_REPARENT: return ev->orphan ? "orphan" : "other";
	case EV_QUEUE: return ev->capacity > 0 && ev->fill >= ev->capacity ? "full" : "other";
	default: return "other";
	}
}

/* The log's word, the rest of its line, and the sentence a step to it
 * shows (the caption of a moment rewound to it). */
static void say_event(struct said *w, const void *arg)
{
	const struct event *ev = arg;
	char buf[1200];

	said_add(w, explain_label(ev));
	explain_short(ev, buf, sizeof(buf));
	said_add(w, buf);
	explain_event(ev, buf, sizeof(buf));
	said_add(w, buf);
}

/* ---- the page's own words ---------------------------------------------- */

static const struct {
	const char *key, *text;
} ui_words[] = {
	/* TRANSLATORS: the exported page's buttons and titles (a recording
	 * replayed in a browser) */
	{ "play", N_("Play") },
	{ "pause", N_("Pause") },
	{ "prev", N_("Previous event") },
	{ "next", N_("Next event") },
	{ "speed", N_("Speed") },
	{ "start", N_("Start") },
	{ "end", N_("End") },
	/* TRANSLATORS: the exported page's time slider */
	{ "time", N_("Time") },
	{ "tree", N_("Processes") },
	{ "events", N_("Events (newest last)") },
	{ "output", N_("Program output") },
	{ "queues", N_("Queues and pipes") },
	{ "lifelines", N_("Lifelines") },
	{ "legend", N_("Legend") },
	/* TRANSLATORS: the exported page's keys, as the terminal's */
	{ "keys", N_("space: play or pause · ← →: previous or next event · [ ]: one second back "
	             "or on · Home End: start or end") },
	{ "link", N_("Link to this moment") },
	{ "language", N_("Language") },
	{ "waiting", N_("Waiting for the first event.") },
	{ "none", N_("No queues or pipes yet.") },
	{ "none_now", N_("No queues or pipes now.") },
	{ "new", N_("new") },
	/* TRANSLATORS: %s is the date and time the run was recorded */
	{ "recorded", N_("Recorded %s") },
	/* TRANSLATORS: a time on the exported page: seconds into the run */
	{ "seconds", N_("%.1f s") },
	{ "ended", N_("The run is over.") },
	/* TRANSLATORS: the exported page, when it left out some of a flood of
	 * output; %d is how many lines */
	{ "output_cut", N_("%d more lines of output are not in this page.") },
};

static json_object *ui_json(const struct langs *L)
{
	json_object *ui = json_object_new_object();

	for (size_t l = 0; l < L->n; l++) {
		i18n_switch(L->code[l]);
		json_object *d = json_object_new_object();
		for (size_t i = 0; i < sizeof(ui_words) / sizeof(ui_words[0]); i++)
			json_object_object_add(d, ui_words[i].key,
			                       json_object_new_string(_(ui_words[i].text)));
		json_object_object_add(ui, L->code[l], d);
	}
	return ui;
}

static const char *const look_keys[LOOK_COUNT] = {
	[LOOK_RUNNING] = "running", [LOOK_SLEEPING] = "sleeping", [LOOK_DISK] = "disk",
	[LOOK_STOPPED] = "stopped", [LOOK_ZOMBIE] = "zombie", [LOOK_ORPHAN] = "orphan",
	[LOOK_REAPED] = "reaped", [LOOK_SELF] = "self",
};

static void say_looks(struct said *w, const void *arg)
{
	(void)arg;
	for (int k = 0; k < LOOK_COUNT; k++) {
		said_add(w, describe_word((enum look)k));
		/* the terminal's says space pauses the tree: on the page space
		 * pauses the replay */
		said_add(w, k == LOOK_STOPPED ? _("frozen by SIGSTOP: it runs again on SIGCONT")
		                              : describe_meaning((enum look)k));
	}
}

static json_object *looks_json(struct page *p)
{
	int slot[2 * LOOK_COUNT];
	json_object *a = json_object_new_array();

	say_all(p, say_looks, NULL, slot, 2 * LOOK_COUNT);
	for (int k = 0; k < LOOK_COUNT; k++) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "key", json_object_new_string(look_keys[k]));
		json_object_object_add(o, "symbol", json_object_new_string(describe_symbol((enum look)k,
		                                                                           false)));
		json_object_object_add(o, "word", json_object_new_int(slot[2 * k]));
		json_object_object_add(o, "meaning", json_object_new_int(slot[2 * k + 1]));
		json_object_array_add(a, o);
	}
	return a;
}

/* ---- lifelines ---------------------------------------------------------- */

/* The lines of the processes of the run: not forkscope's own. */
static bool drawn_line(const struct lifeline *l)
{
	return !l->is_self && l->born >= 0;
}

static void say_label(struct said *w, const void *arg)
{
	said_add(w, arg);
}

static json_object *lifelines_json(struct page *p, const struct timeline *tl)
{
	size_t n;
	const struct lifeline *lines = timeline_lines(tl, &n);
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < n; i++) {
		const struct lifeline *l = &lines[i];
		if (!drawn_line(l))
			continue;
		int label = 0;
		say_all(p, say_label, l->label, &label, 1);
		json_object *o = json_object_new_object();
		json_object_object_add(o, "pid", json_object_new_int(l->pid));
		json_object_object_add(o, "label", json_object_new_int(label));
		json_object_object_add(o, "parent", json_object_new_int(l->parent));
		json_object_object_add(o, "born", json_secs(l->born));
		json_object_object_add(o, "died", json_secs(l->died));
		json_object_object_add(o, "reaped", json_secs(l->reaped));
		json_object *seg = json_object_new_array();
		for (size_t k = 0; k < l->nseg; k++) {
			char st[2] = { l->seg[k].state, '\0' };
			json_object *s = json_object_new_array();
			json_object_array_add(s, json_secs(l->seg[k].t));
			json_object_array_add(s, json_object_new_string(st));
			json_object_array_add(seg, s);
		}
		json_object_object_add(o, "seg", seg);
		json_object_array_add(a, o);
	}
	return a;
}

/* ---- playing the recording ------------------------------------------------ */

/* Everything the page holds, from the recording played to its end. */
static json_object *page_data(struct page *p, struct session *s)
{
	const struct rec_header *h = session_header(s);
	json_object *moments = json_object_new_array(), *events = json_object_new_array();
	json_object *output = json_object_new_array();
	char *last = NULL;
	size_t next_ev = 0, logged = 0, nmoments = 0;
	unsigned long output_cut = 0;
	struct moment m;

	enum obs_type type;
	while (session_replay_one(s, &type)) {
		session_moment(s, &m);
		const struct history *hist = m.history;
		if (next_ev < history_first(hist))
			next_ev = history_first(hist);
		size_t count = history_count(hist);
		/* the events this observation brought: the log's, and output */
		for (; next_ev < count; next_ev++) {
			const struct event *ev = history_at(hist, next_ev);
			if (ev->type == EV_OUTPUT) {
				if (json_object_array_length(output) >= PAGE_OUTPUT_MAX) {
					output_cut++;
					continue;
				}
				char *text = text_clean_dup(ev->text, TEXT_TERMINAL);
				json_object *o = json_object_new_array();
				json_object_array_add(o, json_secs(ev->t));
				json_object_array_add(o, json_object_new_int(ev->pid));
				json_object_array_add(o, json_object_new_string(text));
				json_object_array_add(output, o);
				free(text);
				continue;
			}
			if (!scene_tellable(ev))
				continue;
			int slot[3];
			say_all(p, say_event, ev, slot, 3);
			json_object *e = json_object_new_array();
			json_object_array_add(e, json_secs(ev->t));
			json_object_array_add(e, json_object_new_string(event_kind(ev)));
			json_object_array_add(e, json_object_new_int(slot[0]));
			json_object_array_add(e, json_object_new_int(slot[1]));
			json_object_array_add(e, json_object_new_int(slot[2]));
			/* the moment after this observation: filled in below */
			json_object_array_add(e, json_object_new_int64(-1));
			json_object_array_add(events, e);
			logged++;
		}
		/* a line of output changes no row, gauge or caption (but a
		 * scenario's cue): a flood is read through, not drawn line by
		 * line */
		if (type == OBS_OUTPUT && !(p->sc && p->sc->cue))
			continue;
		json_object *mo = moment_json(p, &m, logged);
		const char *same = json_object_to_json_string_ext(mo, JSON_C_TO_STRING_PLAIN);
		if (!last || strcmp(last, same) != 0) {
			free(last);
			last = xstrdup(same);
			rows_as_change(p, mo);
			json_object_object_add(mo, "t", json_secs(m.t));
			json_object_array_add(moments, mo);
			nmoments++;
		} else {
			json_object_put(mo);
		}
		/* the events of this observation show the moment after it */
		for (size_t i = json_object_array_length(events); i-- > 0;) {
			json_object *e = json_object_array_get_idx(events, i);
			json_object *at = json_object_array_get_idx(e, 5);
			if (json_object_get_int64(at) >= 0)
				break;
			json_object_array_put_idx(e, 5, json_object_new_int64((int64_t)nmoments - 1));
		}
	}
	free(last);
	session_moment(s, &m);

	json_object *d = json_object_new_object();
	json_object_object_add(d, "forkscope", json_object_new_string("page"));
	json_object_object_add(d, "version", json_object_new_int(PAGE_VERSION));
	json_object_object_add(d, "program", json_object_new_string(h->program));
	struct buf tb;
	FILE *tf = buf_open(&tb);
	if (h->scenario[0])
		fputs(h->scenario, tf);
	for (char **a = h->command; !h->scenario[0] && a && *a; a++)
		fprintf(tf, "%s%s", a != h->command ? " " : "", *a);
	char *title = buf_done(&tb);
	char *clean = text_clean_dup(title, TEXT_TERMINAL);
	json_object_object_add(d, "title", json_object_new_string(clean));
	free(clean);
	free(title);
	json_object_object_add(d, "scenario", h->scenario[0] ? json_object_new_string(h->scenario)
	                                                     : NULL);
	json_object_object_add(d, "started", json_secs(h->started));
	json_object_object_add(d, "end", json_secs(m.t));
	json_object_object_add(d, "lang", json_object_new_string(p->langs.code[p->langs.home]));
	json_object *langs = json_object_new_array();
	for (size_t l = 0; l < p->langs.n; l++)
		json_object_array_add(langs, json_object_new_string(p->langs.code[l]));
	json_object_object_add(d, "langs", langs);
	json_object_object_add(d, "ui", ui_json(&p->langs));
	json_object_object_add(d, "looks", looks_json(p));
	json_object_object_add(d, "lifelines", lifelines_json(p, m.timeline));
	json_object_object_add(d, "rows", json_object_get(p->rows));
	json_object_object_add(d, "moments", moments);
	json_object_object_add(d, "events", events);
	json_object_object_add(d, "output", output);
	json_object_object_add(d, "output_cut", json_object_new_int64((int64_t)output_cut));
	/* the strings last: every slot is known by now */
	json_object *text = json_object_new_object();
	for (size_t l = 0; l < p->langs.n; l++)
		json_object_object_add(text, p->langs.code[l], json_object_get(p->text[l]));
	json_object_object_add(d, "text", text);
	return d;
}

/* ---- the page ----------------------------------------------------------------- */

/* Replaces the template's markers: each exactly once, in this order. */
static bool fill_template(FILE *out, const char *tpl, const char *const *marks,
                          const char *const *values, size_t n)
{
	const char *p = tpl;

	for (size_t i = 0; i < n; i++) {
		const char *at = strstr(p, marks[i]);
		if (!at)
			return false;
		fwrite(p, 1, (size_t)(at - p), out);
		fputs(values[i], out);
		p = at + strlen(marks[i]);
	}
	fputs(p, out);
	return true;
}

static bool build_page(struct page *p, struct session *s, FILE *out, char *err,
                       size_t errlen)
{
	json_object *data = page_data(p, s);
	const char *json = json_object_to_json_string_ext(data, JSON_C_TO_STRING_PLAIN);
	/* inside <script>: no "</script>" or "<!--" can be in it, so no '<' */
	struct buf sb;
	FILE *sf = buf_open(&sb);
	for (const char *c = json; *c; c++) {
		if (*c == '<')
			fputs("\\u003c", sf);
		else
			fputc(*c, sf);
	}
	char *safe = buf_done(&sb);
	json_object_put(data);

	const struct rec_header *h = session_header(s);
	struct buf tb;
	FILE *tf = buf_open(&tb);
	char *name = text_clean_dup(h->scenario[0] ? h->scenario : h->command && h->command[0]
	                            ? h->command[0] : "", TEXT_TERMINAL);
	fputs("forkscope: ", tf);
	put_escaped(tf, name);
	free(name);
	char *title = buf_done(&tb);
	char lang[16];
	str_copy(lang, sizeof(lang), p->langs.code[p->langs.home]);
	for (char *c = lang; *c; c++)
		if (*c == '_')
			*c = '-';

	static const char *const marks[] = { "@FORKSCOPE_LANG@", "@FORKSCOPE_TITLE@",
	                                     "@FORKSCOPE_STYLE@", "@FORKSCOPE_DATA@",
	                                     "@FORKSCOPE_SCRIPT@" };
	const char *values[] = { lang, title, player_css, safe, player_js };
	bool ok = fill_template(out, player_html, marks, values, 5);
	free(title);
	free(safe);
	if (!ok)
		snprintf(err, errlen, "%s", _("internal error: the page's template lacks a marker "
		         "(rebuild forkscope)"));
	return ok;
}

/* ---- the drawing --------------------------------------------------------- */

/* How each state is drawn: a line's weight and dashes tell it without
 * colour; the colour is the screen's light theme's. */
struct stroke {
	const char *colour;
	double width;
	const char *dash;        /* "" solid */
};

static struct stroke stroke_for(char state)
{
	switch (state) {
	case 'R': return (struct stroke){ "#008700", 9, "" };
	case 'D': return (struct stroke){ "#444444", 5, "1.5 4" };
	case 'T':
	case 't': return (struct stroke){ "#af5f00", 5, "10 5" };
	case 'Z': return (struct stroke){ "#af0000", 11, "" };     /* hollow: see below */
	default: return (struct stroke){ "#444444", 2, "" };
	}
}

/* The look whose word the legend gives a state. */
static enum look state_look(char state)
{
	switch (state) {
	case 'R': return LOOK_RUNNING;
	case 'D': return LOOK_DISK;
	case 'T':
	case 't': return LOOK_STOPPED;
	case 'Z': return LOOK_ZOMBIE;
	default: return LOOK_SLEEPING;
	}
}

static void svg_segment(FILE *f, double x1, double x2, double y, char state)
{
	struct stroke st = stroke_for(state);

	fprintf(f, "<line class=\"seg s-%c\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
	        "stroke=\"%s\" stroke-width=\"%g\"", state, x1, y, x2, y, st.colour, st.width);
	if (st.dash[0])
		fprintf(f, " stroke-dasharray=\"%s\"", st.dash);
	fputs("/>\n", f);
	/* a zombie is a hollow band: an outline with nothing inside, as it
	 * holds nothing but its exit status */
	if (state == 'Z')
		fprintf(f, "<line class=\"hollow\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
		        "stroke=\"#ffffff\" stroke-width=\"5\"/>\n", x1, y, x2, y);
}

/* A tick step of 1, 2 or 5 times a power of ten, for about eight ticks. */
static double tick_step(double span)
{
	double raw = span / 8, p = pow(10, floor(log10(raw > 0 ? raw : 1)));

	return raw <= p ? p : raw <= 2 * p ? 2 * p : raw <= 5 * p ? 5 * p : 10 * p;
}

/* One line per process of the run, in birth order, from its birth (a dot,
 * and a line from its parent's line where it was forked) to its reap. */
/* A line's label on a slide: the process's role.  A title "ROLE: WHAT IT
 * DOES NOW" (the demos' pool workers, "worker 1: task 3", "工作进程 1：任务 3")
 * says its role before the colon; its last activity is no label for a
 * whole life.  Any other name is its own label. */
static char *role_label(const char *name)
{
	static const char *const colons[] = { ": ", "\xEF\xBC\x9A" };   /* and U+FF1A */
	size_t cut = strlen(name);

	for (size_t i = 0; i < sizeof(colons) / sizeof(colons[0]); i++) {
		const char *c = strstr(name, colons[i]);
		if (c && c > name && (size_t)(c - name) < cut)
			cut = (size_t)(c - name);
	}
	char *role = xstrdup(name);
	role[cut] = '\0';
	char *label = text_clean_dup(role, TEXT_TERMINAL);
	free(role);
	return label;
}

static void svg_lines(FILE *f, const struct lifeline *lines, size_t n, double top, double row,
                      double left, double width, double end)
{
	double *row_y = xcalloc(n ? n : 1, sizeof(*row_y));
	size_t k = 0;
#define X(t) (left + (t) / end * width)

	for (size_t i = 0; i < n; i++) {
		const struct lifeline *l = &lines[i];
		if (!drawn_line(l))
			continue;
		double y = top + row * (double)k++;
		row_y[i] = y;
		char *label = role_label(l->label);
		fprintf(f, "<g class=\"lifeline\" data-pid=\"%d\">\n<text x=\"%.0f\" y=\"%.1f\" "
		        "text-anchor=\"end\"><tspan font-weight=\"bold\">%d</tspan> ",
		        (int)l->pid, left - 12, y + 5, (int)l->pid);
		put_escaped(f, label);
		free(label);
		if (l->orphan) {
			fputs(" (", f);
			put_escaped(f, describe_word(LOOK_ORPHAN));
			fputs(")", f);
		}
		fputs("</text>\n", f);
		double stop = l->reaped >= 0 ? l->reaped : end;
		for (size_t j = 0; j < l->nseg; j++) {
			double from = l->seg[j].t, to = j + 1 < l->nseg ? l->seg[j + 1].t : stop;
			if (l->seg[j].state != 'X' && to > from)
				svg_segment(f, X(from), X(to), y, l->seg[j].state);
		}
		fprintf(f, "<circle class=\"born\" cx=\"%.1f\" cy=\"%.1f\" r=\"5\" "
		        "fill=\"#000000\"/>\n", X(l->born), y);
		if (l->reaped >= 0)
			fprintf(f, "<text class=\"reaped\" x=\"%.1f\" y=\"%.1f\" "
			        "text-anchor=\"middle\" font-size=\"20\">✝</text>\n", X(l->reaped), y + 7);
		fputs("</g>\n", f);
	}
	/* forks: from the parent's line down (or up) to the child's birth */
	for (size_t i = 0; i < n; i++) {
		const struct lifeline *l = &lines[i];
		if (!drawn_line(l) || l->parent <= 0)
			continue;
		for (size_t j = 0; j < n; j++) {
			const struct lifeline *pl = &lines[j];
			if (j == i || !drawn_line(pl) || pl->pid != l->parent || pl->born > l->born ||
			    (pl->reaped >= 0 && pl->reaped < l->born))
				continue;
			fprintf(f, "<line class=\"fork\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
			        "y2=\"%.1f\" stroke=\"#000000\" stroke-width=\"1.5\"/>\n", X(l->born),
			        row_y[j], X(l->born), row_y[i]);
			break;
		}
	}
#undef X
	free(row_y);
}

/* The legend at y: each state as it is drawn, and the marks. */
static void svg_legend(FILE *f, double y)
{
	static const char states[] = "RSDTZ";

	fprintf(f, "<g class=\"legend\"><text x=\"20\" y=\"%.0f\" font-weight=\"bold\">", y);
	put_escaped(f, _("Legend"));
	fputs("</text>\n", f);
	for (int i = 0; i < 5; i++) {
		double lx = 20 + (i % 3) * 330, ly = y + 28 + (i / 3) * 30;
		svg_segment(f, lx, lx + 60, ly - 5, states[i]);
		fprintf(f, "<text x=\"%.0f\" y=\"%.0f\">", lx + 72, ly);
		put_escaped(f, describe_word(state_look(states[i])));
		fputs("</text>\n", f);
	}
	double ly = y + 28 + 2 * 30;
	fprintf(f, "<circle cx=\"50\" cy=\"%.0f\" r=\"5\" fill=\"#000000\"/><text x=\"92\" "
	        "y=\"%.0f\">", ly - 5, ly);
	/* TRANSLATORS: the drawing's legend: the dot where a line begins */
	put_escaped(f, _("born (fork)"));
	fprintf(f, "</text>\n<text x=\"380\" y=\"%.0f\" text-anchor=\"middle\" "
	        "font-size=\"20\">✝</text><text x=\"422\" y=\"%.0f\">", ly + 2, ly);
	put_escaped(f, describe_word(LOOK_REAPED));
	fputs("</text>\n", f);
	fprintf(f, "<line x1=\"710\" y1=\"%.0f\" x2=\"710\" y2=\"%.0f\" stroke=\"#000000\" "
	        "stroke-width=\"1.5\"/><text x=\"752\" y=\"%.0f\">", ly - 16, ly + 4, ly);
	/* TRANSLATORS: the drawing's legend: the line from a parent to its
	 * child where it forked it */
	put_escaped(f, _("fork: parent to child"));
	fputs("</text>\n</g>\n", f);
}

static void build_svg(struct page *p, struct session *s, FILE *f)
{
	struct moment m;
	const struct rec_header *h = session_header(s);
	enum obs_type type;

	while (session_replay_one(s, &type))
		;
	session_moment(s, &m);
	i18n_switch(p->langs.code[p->langs.home]);

	size_t n, shown = 0;
	const struct lifeline *lines = timeline_lines(m.timeline, &n);
	for (size_t i = 0; i < n; i++)
		shown += drawn_line(&lines[i]);
	double end = m.t > 0 ? m.t : 1;
	const double left = 230, width = 760, top = 70, row = 34;
	double axis_y = top + row * (double)shown + 10, legend_y = axis_y + 40;
	double height = legend_y + 130;

	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1020\" height=\"%.0f\" "
	        "viewBox=\"0 0 1020 %.0f\" font-family=\"DejaVu Sans, Noto Sans CJK SC, "
	        "WenQuanYi Micro Hei, sans-serif\" font-size=\"16\">\n", height, height);
	fputs("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n", f);
	char *name = text_clean_dup(h->scenario[0] ? h->scenario
	                            : h->command && h->command[0] ? h->command[0] : "",
	                            TEXT_TERMINAL);
	char title[512];
	/* TRANSLATORS: the title of the lifelines drawing (--export FILE.svg);
	 * %s is the scenario or the command */
	snprintf(title, sizeof(title), _("Lifelines: %s"), name);
	free(name);
	fputs("<title>", f);
	put_escaped(f, title);
	fputs("</title>\n<text x=\"20\" y=\"34\" font-size=\"22\" font-weight=\"bold\">", f);
	put_escaped(f, title);
	fputs("</text>\n", f);

	/* the time axis, in seconds, with a grid */
	double step = tick_step(end);
	fprintf(f, "<g class=\"axis\" stroke=\"#000000\"><line x1=\"%.0f\" y1=\"%.1f\" "
	        "x2=\"%.1f\" y2=\"%.1f\" stroke-width=\"1\"/></g>\n", left, axis_y, left + width,
	        axis_y);
	for (double t = 0; t <= end + 1e-9; t += step) {
		double x = left + t / end * width;
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" y2=\"%.1f\" "
		        "stroke=\"#d0d0d0\" stroke-width=\"1\"/>\n<text x=\"%.1f\" y=\"%.0f\" "
		        "text-anchor=\"middle\">%.*f</text>\n", x, top - 20, x, axis_y, x, axis_y + 22,
		        step < 1 ? 1 : 0, t);
	}
	fprintf(f, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">", left + width,
	        axis_y + 42);
	/* TRANSLATORS: the unit under the lifelines drawing's time axis */
	put_escaped(f, _("seconds"));
	fputs("</text>\n", f);

	svg_lines(f, lines, n, top, row, left, width, end);
	svg_legend(f, legend_y);
	fputs("</svg>\n", f);
}

/* ---- writing ----------------------------------------------------------------- */

static bool write_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		s += w;
		n -= (size_t)w;
	}
	return true;
}

bool export_write(struct export_out *out, const char *rec, size_t *bytes, char *err,
                  size_t errlen)
{
	struct session_opts so;
	session_opts_init(&so, 0, 0, 0);
	so.fast = true;
	struct session *s = session_replay(rec, &so, err, errlen);
	if (!s) {
		export_abandon(out);
		return false;
	}

	struct page p;
	struct i18n_saved saved;
	memset(&p, 0, sizeof(p));
	i18n_save(&saved);
	/* numbers with a point, in the data and the drawing, whatever the
	 * user's LC_NUMERIC (the sentences' too: en and zh_CN write a point) */
	const char *numeric = setlocale(LC_NUMERIC, NULL);
	char *numeric_was = xstrdup(numeric ? numeric : "C");
	setlocale(LC_NUMERIC, "C");
	find_langs(&p.langs);
	p.slots = json_object_new_object();
	p.rows = json_object_new_array();
	p.row_index = json_object_new_object();
	p.rowbuf = xcalloc(PAGE_ROWS_MAX, sizeof(*p.rowbuf));
	for (size_t l = 0; l < p.langs.n; l++)
		p.text[l] = json_object_new_array();
	const struct rec_header *h = session_header(s);
	p.sc = h->scenario[0] ? scenario_find(h->scenario) : NULL;

	struct buf b;
	FILE *f = buf_open(&b);
	bool ok = true;
	if (out->kind == EXPORT_HTML)
		ok = build_page(&p, s, f, err, errlen);
	else
		build_svg(&p, s, f);
	char *text = buf_done(&b);
	i18n_restore(&saved);
	session_free(s);
	for (size_t l = 0; l < p.langs.n; l++) {
		json_object_put(p.text[l]);
		said_clear(&p.said[l]);
		free(p.said[l].s);
	}
	json_object_put(p.slots);
	json_object_put(p.rows);
	json_object_put(p.row_index);
	free(p.shown);
	free(p.rowbuf);
	free(p.key);
	setlocale(LC_NUMERIC, numeric_was);
	free(numeric_was);

	if (ok && (ftruncate(out->fd, 0) != 0 || !write_all(out->fd, text, b.len) ||
	           fsync(out->fd) != 0)) {
		int e = errno;
		if (e == ENOSPC || e == EDQUOT || e == EFBIG)
			snprintf(err, errlen, _("cannot write %s: %s (free some space, or export "
			         "elsewhere)"), out->name, strerror(e));
		else
			snprintf(err, errlen, _("cannot write %s: %s"), out->name, strerror(e));
		ok = false;
	}
	if (bytes)
		*bytes = b.len;
	free(text);
	if (!ok) {
		export_abandon(out);
		return false;
	}
	close(out->fd);
	free(out->path);
	free(out->name);
	free(out);
	return true;
}
