/*
 * tui_bars.c - the header (what runs, and the moment's clock) and the
 * status bar (what the controller is doing, the run's facts, the keys that
 * work now).
 *
 * The clock is the moment's world time; in a replay the header also gives
 * the time of day the moment was recorded at.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "tui_ctx.h"
#include "util.h"


static bool replaying(const struct moment *m)
{
	return m && m->replay;
}

/* The time of day of the moment, as it was recorded: "19:17:04". */
static void time_of_day(const struct moment *m, char *buf, size_t len)
{
	time_t wall = (time_t)(m->started + m->t);
	struct tm tm;

	buf[0] = '\0';
	if (localtime_r(&wall, &tm))
		strftime(buf, len, "%H:%M:%S", &tm);
}

/* ---- header ------------------------------------------------------------- */

void header_draw(struct tui *t, const struct moment *m, int cols)
{
	char left[512], right[64], secs[48];
	attr_t a = role_attr(t, ROLE_HEADER);

	fill_row(0, 0, cols, a);
	if (t->scenario)
		snprintf(left, sizeof(left), " forkscope │ %s: %s", t->scenario->name,
		         _(t->scenario->description));
	else
		snprintf(left, sizeof(left), " forkscope │ %s", t->title);
	if (t->opts.ascii)
		replace_all(left, "│", "|");
	double at = m ? m->t : 0;
	if (replaying(m)) {
		/* when it happened, for a class that watches last week's run */
		char tod[16];
		time_of_day(m, tod, sizeof(tod));
		/* TRANSLATORS: seconds, the clock of the run ("3.1 s") */
		snprintf(secs, sizeof(secs), _("%.1f s"), at);
		snprintf(right, sizeof(right), " %s  %s ", tod, secs);
	} else if (m && (m->mode == MODE_LIVE || m->mode == MODE_STEP)) {
		/* a running clock ticks once a second: the screen is drawn again
		 * only when something shown changes (tui.c) */
		/* TRANSLATORS: whole seconds, the clock of a running run ("3 s") */
		snprintf(secs, sizeof(secs), _("%.0f s"), floor(at));
		snprintf(right, sizeof(right), " %s ", secs);
	} else {
		snprintf(secs, sizeof(secs), _("%.1f s"), at);
		snprintf(right, sizeof(right), " %s ", secs);
	}
	int rw = text_width(right);
	/* a description that does not fit whole is not cut: the name alone
	 * (the introduction below says the rest) */
	if (t->scenario && text_width(left) > cols - rw - 1)
		snprintf(left, sizeof(left), " forkscope %s %s", t->opts.ascii ? "|" : "│",
		         t->scenario->name);
	put_ellipsized(t, 0, 0, left, cols - rw - 1, a);
	put_clipped(0, cols - rw, right, rw, a);
}

/* ---- status bar ------------------------------------------------------------- */

/* The controller's mode, in the paused colour whenever what is shown is not
 * the world running as it comes. */
static enum role mode_label(const struct tui *t, const struct moment *m, char *buf, size_t len)
{
	bool a = t->opts.ascii;
	char word[96];
	const char *sym;
	enum role role;

	if (!m) {
		/* TRANSLATORS: the status bar's mode words (NOT RUNNING, PAUSED,
		 * STEP, ENDED, REWIND, REPLAY, LIVE) are capitals in English to
		 * stand out; keep them short */
		snprintf(buf, len, " %s ", _("NOT RUNNING"));
		return ROLE_PAUSED;
	}
	switch (m->mode) {
	case MODE_PAUSED:
		sym = a ? "||" : "❚❚";
		str_copy(word, sizeof(word), _("PAUSED"));
		role = ROLE_PAUSED;
		break;
	case MODE_STEP:
		sym = a ? ">|" : "▶❚";
		/* TRANSLATORS: the mode while one event is stepped to */
		str_copy(word, sizeof(word), _("STEP"));
		role = ROLE_PAUSED;
		break;
	case MODE_ENDED:
		sym = a ? "#" : "■";
		str_copy(word, sizeof(word), _("ENDED"));
		role = ROLE_STATUS;
		break;
	case MODE_REWIND:
		sym = a ? "<<" : "◀◀";
		if (m->replay) {
			/* a replay's moments are told by the time they were recorded at */
			char tod[16];
			time_of_day(m, tod, sizeof(tod));
			/* TRANSLATORS: a rewound replay, at the time of day it was
			 * recorded ("REWIND 19:17:04") */
			snprintf(word, sizeof(word), _("REWIND %s"), tod);
		} else {
			/* TRANSLATORS: a rewound run, seconds before now ("REWIND -2.5 s") */
			snprintf(word, sizeof(word), _("REWIND -%.1f s"), m->now - m->t);
		}
		role = ROLE_PAUSED;
		break;
	case MODE_REPLAY:
		sym = a ? ">" : "▶";
		/* TRANSLATORS: a replay playing at a speed ("REPLAY 2x") */
		snprintf(word, sizeof(word), _("REPLAY %gx"), m->speed);
		role = ROLE_STATUS;
		break;
	case MODE_REPLAY_PAUSED:
		sym = a ? "||" : "❚❚";
		snprintf(word, sizeof(word), _("REPLAY PAUSED %gx"), m->speed);
		role = ROLE_PAUSED;
		break;
	default:
		sym = a ? ">" : "▶";
		/* TRANSLATORS: the mode of a run shown as it happens */
		str_copy(word, sizeof(word), _("LIVE"));
		role = ROLE_STATUS;
		break;
	}
	snprintf(buf, len, " %s %s ", sym, word);
	return role;
}

/* "tempo 0.5 (2x speed)": the number is a pause multiplier, so bigger is
 * slower; the speed says it the way people expect.  Short: "tempo 0.5".
 * Tempo 0 always says what it costs: a demo over before anyone sees it. */
static void tempo_words(double tempo, bool shortly, char *buf, size_t len)
{
	if (tempo <= 0)
		/* TRANSLATORS: --tempo 0: the demos do not pause, so what they
		 * show is over too fast to see */
		snprintf(buf, len, "%s", _("tempo 0: no pauses, too fast to watch"));
	else if (shortly)
		/* TRANSLATORS: the tempo is the demos' pause multiplier (--tempo):
		 * bigger is slower */
		snprintf(buf, len, _("tempo %g"), tempo);
	else if (tempo == 1)
		snprintf(buf, len, "%s", _("tempo 1 (class pace)"));
	else if (tempo < 1)
		/* TRANSLATORS: "tempo 0.5 (2x speed)": the second number is how
		 * many times faster than the class pace */
		snprintf(buf, len, _("tempo %g (%.2gx speed)"), tempo, 1 / tempo);
	else
		/* TRANSLATORS: "tempo 2 (2x slower)": both numbers are the tempo */
		snprintf(buf, len, _("tempo %g (%gx slower)"), tempo, tempo);
}

/* How the run's pace reads: the tempo it was started at, or, in a replay,
 * recorded at (the replay's own speed is in the mode); with the tempo of
 * the next start when +/- changed it. */
static void pace_words(const struct tui *t, const struct moment *m, bool shortly, char *buf,
                       size_t len)
{
	char tempo[96], next[96];

	tempo_words(t->tempo, shortly, tempo, sizeof(tempo));
	if (replaying(m) && !shortly) {
		/* TRANSLATORS: a replay's tempo: "recorded at tempo 1 (class pace)" */
		snprintf(buf, len, _("recorded at %s"), tempo);
	} else if (replaying(m)) {
		snprintf(buf, len, "%s", tempo);
	} else if (t->next_tempo != t->tempo) {
		tempo_words(t->next_tempo, shortly, next, sizeof(next));
		/* TRANSLATORS: the tempo +/- chose for the next start, which the
		 * key r makes: "next: tempo 0.5, r" */
		snprintf(buf, len, _("next: %s, r"), next);
	} else {
		snprintf(buf, len, "%s", tempo);
	}
}

/* The bar's facts about the run, at a level of detail: 2 everything, 1
 * the title and the tempo's number, 0 only how far back the history
 * reaches once the memory cap dropped its start ("" when it did not). */
static void run_facts(const struct tui *t, const struct moment *m, int level, char *buf,
                      size_t len)
{
	char pace[256], reach[96] = "", interval[48] = "";

	if (m && (m->dropped_events || m->reach > 0))
		/* TRANSLATORS: how far back the run's kept history reaches, in
		 * seconds of the run, once the memory cap dropped its start */
		snprintf(reach, sizeof(reach), _("history from %.1f s"), m->reach);
	if (level == 0) {
		snprintf(buf, len, reach[0] ? " %s " : "%s", reach);
		return;
	}
	/* a command has no tempo: only the demos pace themselves */
	bool paced = t->scenario || (replaying(m) && session_header(t->session) &&
	                             session_header(t->session)->scenario[0]);
	pace[0] = '\0';
	if (paced)
		pace_words(t, m, level < 2, pace, sizeof(pace));
	if (level >= 2)
		/* TRANSLATORS: the reading interval in milliseconds ("100 ms") */
		snprintf(interval, sizeof(interval), _("%.0f ms"), t->interval * 1000.0);
	/* the title, then what there is of the rest, " | " between */
	const char *parts[] = { pace, interval, reach };
	size_t used = (size_t)snprintf(buf, len, " %s", t->title);
	for (size_t i = 0; i < 3 && used < len; i++)
		if (parts[i][0])
			used += (size_t)snprintf(buf + used, len - used, " | %s", parts[i]);
	if (used + 1 < len)
		snprintf(buf + used, len - used, " ");
}

/* The keys that do something now; narrow: the few that matter most in
 * this mode. */
static const char *key_hints(const struct tui *t, const struct moment *m, bool narrow)
{
	if (!m)
		/* TRANSLATORS: the status bar's keys, "KEY:what it does" apart by
		 * spaces.  The keys stay as they are (q, r, space, spc, Home/End,
		 * the arrows, [ ], ?); the long forms may be cut at the screen's
		 * edge, the narrow ones (with spc) must stay short */
		return _("r:restart m:menu q:quit ?:help");
	if (m->mode == MODE_REPLAY)
		return narrow ? _("spc:pause +/- speed ←→ step ?help q")
		              : _("?:help q:quit space:pause +/- speed ←→ step [ ] 1 s n:step "
		                  "r:from the start m:menu l:lifelines");
	if (m->mode == MODE_REPLAY_PAUSED || (m->mode == MODE_REWIND && m->replay))
		return narrow ? _("spc:play ←→ step [ ] 1 s +/- speed ?help q")
		              : _("?:help q:quit space:play ←→ step [ ] 1 s Home/End n:step +/- speed "
		                  "r:from the start m:menu l:lifelines");
	bool over = session_finished(t->session);
	if (m->mode == MODE_ENDED || (m->mode == MODE_REWIND && over))
		return narrow ? _("←→ step [ ] 1 s r m q ?help")
		              : _("←→ step [ ] 1 s Home/End r:restart m:menu q:quit ?:help "
		                  "l:lifelines");
	/* a rewound live run is paused */
	if (m->mode == MODE_PAUSED || m->mode == MODE_REWIND)
		return narrow ? _("spc:resume ←→ step [ ] 1 s n ?help q")
		              : _("?:help q:quit space:resume n:step ←→ step [ ] 1 s Home/End "
		                  "r:restart m:menu l:lifelines t:threads +/-:speed");
	return narrow ? _("?help q spc:pause n ← r m l")
	              : _("?:help q:quit space:pause n:step ←:back r:restart m:menu l:lifelines "
	                  "t:threads +/-:speed");
}

/* The status bar's words: the mode's keys at length or narrow, the run's
 * facts at a level of detail (run_facts()). */
static void status_words(const struct tui *t, const struct moment *m, bool narrow, int level,
                         char *keys, size_t keys_len, char *facts, size_t facts_len)
{
	snprintf(keys, keys_len, " %s", key_hints(t, m, narrow));
	if (t->opts.ascii) {
		replace_all(keys, "←→", "<- ->");
		replace_all(keys, "←", "<-");
	}
	run_facts(t, m, level, facts, facts_len);
}

void status_draw(struct tui *t, const struct moment *m, int y, int cols)
{
	/* the most that fits, the keys before the facts: what to press matters
	 * more than the tempo (and the header names the run already) */
	static const struct {
		bool narrow;
		int level;
	} tries[] = { { false, 2 }, { false, 1 }, { true, 2 }, { true, 1 }, { true, 0 } };
	enum { TRIES = sizeof(tries) / sizeof(tries[0]) };
	char mode[128], facts[512], keys[384];
	enum role mode_role = mode_label(t, m, mode, sizeof(mode));
	/* a run being written to a file says so, always; so does slow motion,
	 * and a run that learns of its processes by polling alone */
	char rec[192] = "";
	size_t used = 0;
	if (m && m->recording)
		/* TRANSLATORS: the run is being recorded to a file (--record) */
		used += (size_t)snprintf(rec, sizeof(rec), " %s %s ", t->opts.ascii ? "*" : "●",
		                         _("REC"));
	if (m && !m->news && used < sizeof(rec))
		/* TRANSLATORS: the run learns of its processes by reading /proc
		 * alone (no process events from the kernel) */
		snprintf(rec + used, sizeof(rec) - used, " %s ", _("POLLING"));
	/* (a setting of the live run: not shown once it is over or rewound) */
	if (m && m->slow > 0 && !m->replay &&
	    (m->mode == MODE_LIVE || m->mode == MODE_PAUSED || m->mode == MODE_STEP)) {
		char slow[96];
		/* TRANSLATORS: slow motion is on, holding each step this long */
		snprintf(slow, sizeof(slow), _("SLOW %.0f ms"), m->slow * 1000.0);
		used = strlen(rec);
		snprintf(rec + used, sizeof(rec) - used, " %s%s ", slow,
		         m->holding ? (t->opts.ascii ? " ||" : " ❚❚") : "");
	}
	size_t i = t->opts.projector ? 2 : 0;   /* big letters: the short keys only */

	for (;; i++) {
		status_words(t, m, tries[i].narrow, tries[i].level, keys, sizeof(keys), facts,
		             sizeof(facts));
		if (i == TRIES - 1 || text_width(mode) + text_width(rec) + text_width(facts) +
		                      text_width(keys) <= cols)
			break;
	}
	attr_t a = role_attr(t, ROLE_STATUS);
	fill_row(y, 0, cols, a);
	int x = put_clipped(y, 0, mode, cols, role_attr(t, mode_role));
	x += put_clipped(y, x, rec, cols - x, role_attr(t, ROLE_ZOMBIE) | A_BOLD);
	x += put_clipped(y, x, facts, cols - x, a);
	put_ellipsized(t, y, x, keys, cols - x, a);
}
