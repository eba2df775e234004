/*
 * tui.c - the screen's loop: terminal set-up and restore, the session it
 * drives, and the dispatch between menu, view and help.
 */
#include "tui.h"

#include <errno.h>
#include <locale.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <term.h>

#include "i18n.h"
#include "tui_ctx.h"
#include "util.h"

/* The terminal as it was before curses touched it, for the crash path.
 * The style's one exception besides signal flags: a fatal-signal handler
 * has no other way to reach it.  Written once, before curses starts. */
static struct termios saved_tty;
static volatile sig_atomic_t tty_saved;
static volatile sig_atomic_t curses_on;

void tui_emergency_restore(void)
{
	static const char reset[] =
		"\033[?1000l\033[?1002l\033[?1006l"   /* mouse off */
		"\033[?1l\033>"                        /* keypad off */
		"\033[0m\033[?25h"                     /* colours off, cursor on */
		"\033[?1049l\r\n";                     /* back to the normal screen */

	if (!curses_on)
		return;
	ssize_t ignored = write(STDOUT_FILENO, reset, sizeof(reset) - 1);
	(void)ignored;
	if (tty_saved)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tty);
	curses_on = 0;
}

static void restore_at_exit(void)
{
	if (curses_on) {
		endwin();
		curses_on = 0;
	}
	util_on_die(NULL);
}

void tui_stop(struct tui *t)
{
	char left[sizeof(t->left)];
	session_stop(t->session);
	/* the run's end, told and recorded, however it ended (q, r, m, a signal) */
	if (t->session)
		session_end(t->session);
	/* a later clean run must not blank what an earlier one could not end */
	if (t->session && session_survivors(t->session, left, sizeof(left)) > 0) {
		memcpy(t->left, left, sizeof(left));
		t->left_any = true;
	}
	char err[256];
	if (t->session && !session_close_record(t->session, err, sizeof(err)))
		snprintf(t->record_error, sizeof(t->record_error), "%s", err);
	session_free(t->session);
	t->session = NULL;
}

/* The session's options for a run started now: the same set-up as the
 * headless view's, the program's width aside (start_live()). */
static struct session_opts start_opts(const struct tui *t)
{
	struct session_opts so;

	session_opts_init(&so, t->opts.interval, t->opts.memory, t->opts.history_secs);
	so.events = t->opts.events;
	so.slow = t->slow;
	so.connector_buffer = t->opts.connector_buffer;
	so.python_hook = t->opts.python_hook;
	so.limit = scenario_limit(t->scenario, t->opts.limit);
	so.pid1 = t->opts.pid1;
	return so;
}

/* The program prints into the output panel: its width. */
static int output_cols(void)
{
	int rows, cols;

	getmaxyx(stdscr, rows, cols);
	(void)rows;
	return cols - cols / 2 - 1 > 20 ? cols - cols / 2 - 1 : 40;
}

/* "python3 -c print(1)": a recorded command as its title. */
static void join_command(char *const *argv, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; argv && argv[i] && used + 1 < len; i++) {
		int w = snprintf(buf + used, len - used, "%s%s", i ? " " : "", argv[i]);
		used += w > 0 ? (size_t)w : 0;
	}
}

/* Opens the recording: what it shows (a scenario known here, or the command
 * it ran), its tempo and interval come from its header. */
static struct session *start_replay(struct tui *t, const struct session_opts *so, char *err,
                                    size_t errlen)
{
	struct session *s = session_replay(t->opts.replay, so, err, errlen);

	if (!s)
		return NULL;
	const struct rec_header *h = session_header(s);
	t->scenario = h->scenario[0] ? scenario_find(h->scenario) : NULL;
	if (t->scenario)
		str_copy(t->title, sizeof(t->title), t->scenario->name);
	else
		join_command(h->command, t->title, sizeof(t->title));
	t->tempo = h->tempo;
	t->interval = h->interval;
	return s;
}

/* Starts the chosen scenario or command.  The first run started takes the
 * recording writer, if there is one; later ones are not recorded. */
static struct session *start_live(struct tui *t, struct session_opts *so, char *err,
                                  size_t errlen)
{
	struct launch launch;
	char **argv;

	if (t->opts.nattach) {
		argv = NULL;
	} else if (t->scenario) {
		if (!scenario_launch(t->scenario, t->tempo, t->opts.generations, &launch, err,
		                     errlen))
			return NULL;
		argv = launch.argv;
		str_copy(t->title, sizeof(t->title), t->scenario->name);
	} else {
		argv = t->opts.command;
		/* the whole command: for an interpreter, its script is the point */
		join_command(argv, t->title, sizeof(t->title));
	}
	so->cols = output_cols();
	so->record = t->opts.record;
	if (t->opts.nattach) {
		/* the title follows the tree's names (view_draw()) */
		/* TRANSLATORS: the title of a run watching processes forkscope did
		 * not start (-p), until their names are known */
		snprintf(t->title, sizeof(t->title), "%s", _("attached"));
		so->scenario = NULL;
		t->opts.record = NULL;
		t->interval = so->interval;
		return session_attach(t->opts.attach, t->opts.nattach, so, err, errlen);
	}
	so->scenario = t->scenario ? t->scenario->name : NULL;
	so->tempo = t->tempo;
	t->opts.record = NULL;     /* the session's now, even if it fails to start */
	t->interval = so->interval;
	return session_start(argv, so, err, errlen);
}

void tui_start(struct tui *t)
{
	char err[256];
	struct moment m;
	double speed = 1;

	/* a replay started again keeps the speed the teacher chose */
	if (t->session && session_is_replay(t->session)) {
		session_moment(t->session, &m);
		speed = m.speed;
	}
	tui_stop(t);
	t->error[0] = '\0';
	t->tempo = t->next_tempo;
	struct session_opts so = start_opts(t);
	t->session = t->opts.replay ? start_replay(t, &so, err, sizeof(err))
	                            : start_live(t, &so, err, sizeof(err));
	if (!t->session) {
		snprintf(t->error, sizeof(t->error), "%s", err);
		return;
	}
	session_set_threads(t->session, t->threads);
	/* no PID namespace where this run would have had one: the screen says
	 * so (the line on stderr went before the screen) */
	const char *late = NULL;
	bool would = t->scenario ? scenario_pid1(t->scenario->name) : false;
	if (!session_pid1(t->session, &late) && late && late[0])
		snprintf(t->notice, sizeof(t->notice), _("no PID namespace of its own: %s; orphans go "
		         "to forkscope, a subreaper, instead of PID 1 (--no-pid1 skips this check)"),
		         late);
	else if (t->opts.pid1_refused && would)
		snprintf(t->notice, sizeof(t->notice), _("no PID namespace of its own: %s; orphans go "
		         "to forkscope, a subreaper, instead of PID 1 (--no-pid1 skips this check)"),
		         t->opts.pid1_refused);
	for (int i = 0; i < 4 && speed > 1; i++, speed /= 2)
		session_speed(t->session, +1);
	for (int i = 0; i < 4 && speed < 1; i++, speed *= 2)
		session_speed(t->session, -1);
	t->details = false;
	t->selected = 0;
	t->scroll = 0;
	t->ended = false;
	t->dirty = true;
}

static void draw_too_small(int rows, int cols)
{
	char msg[2][192];

	erase();
	/* TRANSLATORS: two lines on a terminal too small for the screen: the
	 * least columns x rows, then the columns x rows it has */
	snprintf(msg[0], sizeof(msg[0]), _("forkscope needs at least %dx%d;"), MIN_COLS, MIN_ROWS);
	snprintf(msg[1], sizeof(msg[1]), _("this terminal is %dx%d: make it larger"), cols, rows);
	for (int i = 0; i < 2; i++) {
		int len = text_width(msg[i]);
		int x = cols > len ? (cols - len) / 2 : 0;
		put_clipped(rows / 2 - 1 + i, x, msg[i], cols - x, A_BOLD);
	}
}

static void draw(struct tui *t)
{
	int rows, cols;

	getmaxyx(stdscr, rows, cols);
	if (t->dirty) {
		clear();
		t->dirty = false;
	} else {
		erase();
	}
	if (rows < MIN_ROWS || cols < MIN_COLS) {
		draw_too_small(rows, cols);
	} else {
		switch (t->screen) {
		case SCREEN_MENU: menu_draw(t); break;
		case SCREEN_VIEW: view_draw(t); break;
		case SCREEN_HELP: help_draw(t); break;
		}
	}
	refresh();
}

/* FNV-1a over the bytes of v, into h. */
static unsigned long long mix(unsigned long long h, const void *v, size_t n)
{
	const unsigned char *b = v;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ULL;
	return h;
}

#define MIX(h, x) ((h) = mix((h), &(x), sizeof(x)))

static unsigned long long mix_str(unsigned long long h, const char *str)
{
	return mix(h, str, strlen(str) + 1);
}

/* What the screen would show, in one number: drawn again only when it
 * changes (or a key, a resize), so a still tree costs no drawing.  The
 * clock of a live run counts whole seconds (tui_bars.c), so it changes
 * once a second. */
static unsigned long long screen_signature(struct tui *t)
{
	unsigned long long h = 1469598103934665603ULL;
	int rows, cols;

	getmaxyx(stdscr, rows, cols);
	MIX(h, rows);
	MIX(h, cols);
	MIX(h, t->screen);
	if (!t->session) {
		long sec = (long)now_seconds();
		return MIX(h, sec);
	}
	struct moment m;
	session_moment(t->session, &m);
	bool live = m.mode == MODE_LIVE || m.mode == MODE_STEP;
	double shown = live ? (double)(long)m.t : m.t;
	MIX(h, shown);
	MIX(h, m.mode);
	MIX(h, m.upto);
	MIX(h, m.cursor);
	MIX(h, m.final);
	MIX(h, m.holding);
	MIX(h, m.speed);
	MIX(h, m.slow);
	MIX(h, m.news);
	MIX(h, m.recording);
	MIX(h, m.dropped_events);
	MIX(h, m.dropped_output);
	MIX(h, m.dropped_lifelines);
	MIX(h, m.reach);
	size_t n, count = history_count(m.history);
	MIX(h, count);
	const struct proc_record *r = tracker_records(m.tracker, &n);
	MIX(h, n);
	for (size_t i = 0; i < n; i++) {
		long left = (long)(r[i].blocked.timeout_left * 10.0);
		MIX(h, r[i].pid);
		MIX(h, r[i].state);
		MIX(h, r[i].phase);
		MIX(h, r[i].ppid);
		MIX(h, r[i].orphan);
		MIX(h, r[i].nlwp);
		MIX(h, r[i].pgrp);
		MIX(h, r[i].sid);
		MIX(h, r[i].blocked.on);
		MIX(h, r[i].blocked.child);
		MIX(h, left);
		h = mix_str(h, r[i].blocked.channel);
		h = mix_str(h, r[i].blocked.syscall);
		h = mix_str(h, r[i].blocked.call);
		h = mix_str(h, r[i].comm);
		h = mix_str(h, r[i].cmd);
		h = mix_str(h, r[i].title);
	}
	if (m.frame) {
		MIX(h, m.frame->nchannels);
		MIX(h, m.frame->nthreads);
		for (size_t i = 0; i < m.frame->nchannels; i++) {
			const struct channel *c = &m.frame->channels[i];
			MIX(h, c->id);
			MIX(h, c->kind);
			MIX(h, c->fill);
			MIX(h, c->capacity);
			MIX(h, c->internal);
			h = mix_str(h, c->name);
			h = mix_str(h, c->what);
			h = mix(h, c->holders, sizeof(c->holders[0]) * (size_t)c->nholders);
			h = mix(h, c->ends, (size_t)c->nholders);
		}
		for (size_t i = 0; i < m.frame->nthreads; i++) {
			MIX(h, m.frame->threads[i].tid);
			MIX(h, m.frame->threads[i].state);
		}
	}
	return h;
}

static void on_mouse(struct tui *t)
{
	MEVENT me;

	if (getmouse(&me) != OK)
		return;
	/* a press is the click: with mouseinterval(0) the release comes as a
	 * second event, which must not count as a second click */
	if (!(me.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)))
		return;
	if (t->screen == SCREEN_MENU)
		menu_click(t, me.y, me.x);
	else if (t->screen == SCREEN_VIEW)
		view_click(t, me.y, me.x);
}

static void on_key(struct tui *t, int ch)
{
	if (ch == KEY_RESIZE) {
		t->dirty = true;
		return;
	}
	if (ch == KEY_MOUSE) {
		on_mouse(t);
		return;
	}
	if (t->screen == SCREEN_HELP) {
		help_key(t, ch);
		return;
	}
	/* in the menu, letters choose a scenario: help is F1 or ? there */
	if (ch == KEY_F(1) || ch == '?' || (ch == 'h' && t->screen != SCREEN_MENU)) {
		t->back = t->screen;
		t->screen = SCREEN_HELP;
		t->help_page = 0;
		return;
	}
	/* in the menu, q is a letter of a name (queue): Esc quits there */
	if ((ch == 'q' || ch == 'Q') && t->screen != SCREEN_MENU) {
		t->quit = true;
		return;
	}
	if (t->screen == SCREEN_MENU)
		menu_key(t, ch);
	else
		view_key(t, ch);
}

/* Asks terminfo, before newterm() writes anything, whether TERM names a
 * terminal that can move its cursor: without that (a printing terminal,
 * TERM=dumb) curses would draw the status line and nothing else. */
static bool terminal_can_draw(void)
{
	const char *term = getenv("TERM") ? getenv("TERM") : "";
	int found;

	if (setupterm(NULL, STDOUT_FILENO, &found) != OK) {
		if (found == 1)
			fprintf(stderr, _("forkscope: the full-screen view cannot draw on TERM=%.40s, a "
			                  "printing terminal (use a terminal such as TERM=xterm-256color, "
			                  "or --headless)\n"), term);
		else if (found == 0)
			fprintf(stderr, _("forkscope: the full-screen view does not know TERM=%.40s: it "
			                  "has no terminfo entry (use a terminal such as "
			                  "TERM=xterm-256color, or --headless)\n"), term);
		else
			fprintf(stderr, "%s", _("forkscope: the full-screen view found no terminfo "
			                        "database (install ncurses-base, or use --headless)\n"));
		return false;
	}
	const char *cup = tigetstr("cup");
	bool can_move = cup && cup != (const char *)-1;
	del_curterm(cur_term);
	if (!can_move)
		fprintf(stderr, _("forkscope: the full-screen view cannot draw on TERM=%.40s: it "
		                  "cannot move the cursor (use a terminal such as "
		                  "TERM=xterm-256color, or --headless)\n"), term);
	return can_move;
}

static bool open_terminal(struct tui *t)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "%s", _("forkscope: the full-screen view needs a terminal "
		                        "(use --headless or --json to print events instead)\n"));
		return false;
	}
	if (tcgetattr(STDIN_FILENO, &saved_tty) == 0)
		tty_saved = 1;
	if (!getenv("ESCDELAY"))
		set_escdelay(25);
	if (!terminal_can_draw())
		return false;
	if (!newterm(NULL, stdout, stdin)) {
		fprintf(stderr, _("forkscope: cannot use this terminal (TERM=%s): try "
		                  "TERM=xterm-256color or --headless\n"),
		        /* TRANSLATORS: the value of TERM when it has none */
		        getenv("TERM") ? getenv("TERM") : _("unset"));
		return false;
	}
	curses_on = 1;
	atexit(restore_at_exit);
	util_on_die(restore_at_exit);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED, NULL);
	mouseinterval(0);
	theme_init(t);
	return true;
}

/* A broken recording is refused before the screen changes, like any bad
 * input: nothing runs in a replay, so it can be opened first. */
static bool open_replay(struct tui *t)
{
	char err[256];
	struct session_opts so = start_opts(t);

	t->session = start_replay(t, &so, err, sizeof(err));
	if (!t->session)
		fprintf(stderr, "forkscope: %s\n", err);
	return t->session != NULL;
}

int tui_run(const struct tui_opts *o, volatile sig_atomic_t *stop)
{
	struct tui t;

	memset(&t, 0, sizeof(t));
	t.opts = *o;
	t.tempo = t.next_tempo = o->tempo;
	t.slow = o->slow;
	t.all_channels = o->all_channels;
	t.interval = o->interval;
	if (o->replay && !open_replay(&t))
		return 2;
	if (!open_terminal(&t)) {
		session_free(t.session);
		rec_close(t.opts.record, NULL, 0);   /* never begun: nothing is left */
		return 2;
	}
	if (o->replay) {
		t.screen = SCREEN_VIEW;
	} else if (o->scenario) {
		t.scenario = scenario_find(o->scenario);
		t.screen = SCREEN_VIEW;
		tui_start(&t);
	} else if (o->command || o->nattach) {
		t.screen = SCREEN_VIEW;
		tui_start(&t);
	} else {
		t.screen = SCREEN_MENU;
	}

	long iterations = 0;
	bool keyed = true;
	unsigned long long shown = 0;
	while (!t.quit && !*stop) {
		if (t.session && session_finished(t.session) && !t.ended) {
			session_end(t.session);
			t.ended = true;
		}
		/* drawn when what it shows changed: nothing to do for a still tree */
		unsigned long long now = screen_signature(&t);
		if (keyed || t.dirty || now != shown)
			draw(&t);
		shown = now;
		keyed = false;
		if (o->iterations && ++iterations >= o->iterations)
			break;
		if (t.session) {
			session_step(t.session, 0.1, STDIN_FILENO);
		} else {
			struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
			poll(&p, 1, 100);
		}
		int ch;
		while ((ch = getch()) != ERR && !t.quit) {
			on_key(&t, ch);
			keyed = true;
		}
	}
	tui_stop(&t);
	/* a run asked to be recorded that never started: its file stays empty */
	rec_close(t.opts.record, NULL, 0);
	restore_at_exit();
	if (t.record_error[0]) {
		/* TRANSLATORS: %s says why the recording could not be finished */
		fprintf(stderr, _("forkscope: the recording is incomplete: %s\n"), t.record_error);
		if (!t.left_any)
			return 1;
	}
	if (t.left_any) {
		/* after the screen is gone, so the line stays readable */
		/* TRANSLATORS: %s lists the processes a stop could not end, and why */
		fprintf(stderr, _("forkscope: could not end %s\n"), t.left);
		return 1;
	}
	return 0;
}
