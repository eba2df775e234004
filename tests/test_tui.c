/*
 * test_tui.c - the real full-screen program, driven in tmux.
 *
 * Each test runs its own tmux server (a private socket), starts forkscope
 * in a detached session of a fixed size, types keys with send-keys and
 * reads the screen with capture-pane.  Conditions are polled, never slept
 * on.  At the end the server is killed; since the test process is a
 * subreaper, the server and anything it left are adopted by it, so the
 * survivors check sees them.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <locale.h>
#include <wchar.h>

#include "helpers.h"
#include "procfs.h"
#include "tmux.h"

TestSuite(tui, .timeout = 90, .fini = tmux_fini);


static int text_cols(const char *line);

/* Whether screen s is one whole frame of the tree view at cols x rows: the
 * tree, the events panel and the status bar, no line wider than cols. */
static bool whole_view(char *s, int cols, int rows)
{
	int lines = 0;
	bool fits = true;

	for (char *line = s, *nl; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl)
			break;
		*nl = '\0';
		fits = fits && text_cols(line) <= cols;
		lines++;
		*nl = '\n';
	}
	return fits && lines <= rows && strstr(s, "grandchild  ") && strstr(s, "Events") &&
	       strstr(s, "LIVE");
}

/* The screen once forkscope has drawn a whole frame at the new size. */
static char *wait_redrawn(const struct tmux *tm, int cols, int rows, double timeout)
{
	double deadline = now() + timeout;
	char *s = screen(tm);

	while (!whole_view(s, cols, rows) && now() < deadline) {
		free(s);
		nap();
		s = screen(tm);
	}
	return s;      /* the caller's checks say what is missing */
}

/* Every descendant of pid, as listed in /proc. */
static size_t descendants(pid_t pid, pid_t *out, size_t max)
{
	size_t n = children_of(pid, 0, out, max);
	for (size_t i = 0; i < n && n < max; i++)
		n += children_of(out[i], 0, out + n, max - n);
	return n;
}

/* Display columns of a UTF-8 line. */
static int text_cols(const char *line)
{
	wchar_t w[1024];
	size_t n = mbstowcs(w, line, 1023);
	if (n == (size_t)-1)
		return (int)strlen(line);
	w[n] = 0;
	return wcswidth(w, n);
}

/* The first line of scr holding both a and b, copied into buf. */
static bool line_with_both(const char *scr, const char *a, const char *b, char *buf, size_t len)
{
	for (const char *line = scr; *line;) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);
		snprintf(buf, len, "%.*s", (int)n, line);
		if (strstr(buf, a) && strstr(buf, b))
			return true;
		if (!nl)
			break;
		line = nl + 1;
	}
	buf[0] = '\0';
	return false;
}

struct row_wanted {
	const char *a, *b;
	char *line;
	size_t len;
};

static bool has_row(const char *scr, const void *arg)
{
	const struct row_wanted *w = arg;
	return line_with_both(scr, w->a, w->b, w->line, w->len);
}

/* The screen once one of its lines holds both a and b, copied into line;
 * fails after timeout seconds. */
static char *wait_row(const struct tmux *tm, const char *a, const char *b, char *line, size_t len,
                      double timeout)
{
	bool ok;
	char *s = screen_until(tm, has_row, &(struct row_wanted){ a, b, line, len }, timeout, &ok);

	if (!ok)
		cr_assert_fail("no line with both '%s' and '%s'; the screen:\n%s", a, b, s);
	return s;
}

CASE(tui, menu_lists_every_scenario)
{
	struct tmux tm;
	start(&tm, 100, 30, (const char *const[]){ NULL });
	/* the last one drawn: the whole list is there */
	char *s = wait_screen(&tm, "file-copy", 10);
	const char *names[] = { "fork ", "getpid", "fork-data", "fork-twice", "fork-nested",
	                        "fork-bomb", "zombie", "orphan", "threads", "run-order",
	                        "process-join", "process-terminate", "process-class", "pool ",
	                        "pool-blocking", "queue ", "writer-reader", "manager-queue" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		cr_assert(strstr(s, names[i]), "'%s' is in the menu:\n%s", names[i], s);
	free(s);
	/* a first letter picks one: its introduction shows */
	TMUX(&tm, "send-keys", "-t", "main", "z");
	free(wait_screen(&tm, "A child that has exited stays", 5));
	/* q is a letter here (queue): Esc quits the menu, as its bar says */
	char *bar = wait_screen(&tm, "Esc: quit", 5);
	free(bar);
	TMUX(&tm, "send-keys", "-t", "main", "Escape");
	wait_exit(&tm, 0, 10);
	finish(&tm);
}

CASE(tui, menu_letters_and_enter_start_a_scenario)
{
	struct tmux tm;
	start(&tm, 100, 30, (const char *const[]){ "--tempo", "0.3", NULL });
	free(wait_screen(&tm, "Choose a demo", 10));
	TMUX(&tm, "send-keys", "-t", "main", "o", "r", "Enter");
	char *s = wait_screen(&tm, "orphan: the parent exits first", 10);
	free(s);
	free(wait_screen(&tm, "LIVE", 5));
	/* m goes back to the menu and kills the run */
	TMUX(&tm, "send-keys", "-t", "main", "m");
	free(wait_screen(&tm, "Choose a demo", 5));
	pid_t kids[64];
	cr_assert_eq(descendants(forkscope_pid(&tm), kids, 64), 0, "the demo was stopped");
	TMUX(&tm, "send-keys", "-t", "main", "Escape");
	wait_exit(&tm, 0, 10);
	finish(&tm);
}

/* The trial's stumble: m, then "qu" to reach queue, quit forkscope.  In
 * the menu every letter is a name's: typing a name never quits. */
CASE(tui, menu_typing_queue_opens_queue)
{
	struct tmux tm;
	start(&tm, 100, 30, (const char *const[]){ "--tempo", "0.3", NULL });
	free(wait_screen(&tm, "Choose a demo", 10));
	TMUX(&tm, "send-keys", "-t", "main", "m", "q", "u", "e", "u", "e", "Enter");
	free(wait_screen(&tm, "queue: Queue(3)", 10));
	free(wait_screen(&tm, "LIVE", 5));
	/* in the view q quits, as ever */
	quit(&tm, 10);
}

CASE(tui, menu_type_ahead_takes_h_and_hyphens)
{
	struct tmux tm;
	start(&tm, 100, 30, (const char *const[]){ "--tempo", "0.3", NULL });
	free(wait_screen(&tm, "Choose a demo", 10));
	/* "th" is threads, not help; "fork-n" is fork-nested, not a tempo change */
	TMUX(&tm, "send-keys", "-t", "main", "t", "h");
	free(wait_screen(&tm, "Threads share their process's memory", 5));
	TMUX(&tm, "send-keys", "-t", "main", "f", "o", "r", "k", "-", "n", "Enter");
	char *s = wait_screen(&tm, "fork-nested: the second fork()", 10);
	cr_assert(strstr(s, "tempo 0.3"), "the tempo did not change:\n%s", s);
	free(s);
	finish(&tm);
}

CASE(tui, zombie_row_then_tombstone)
{
	struct tmux tm;
	/* forkscope as the subreaper at the top (--pid1: test_pidns.c) */
	start(&tm, 100, 30, (const char *const[]){ "--tempo", "0.5", "--no-pid1", "zombie", NULL });
	/* the child exits after 1 s and stays a zombie for 1.5 s; the screen
	 * with the caption that explains it (a capture may catch tmux half-way
	 * through a redraw: the row first, the caption a moment later) */
	char *s = wait_screen_both(&tm, "a zombie until its parent", "☠ zombie (exit 3, parent", 15);
	char line[512];
	cr_assert(line_with(s, "☠ zombie (exit 3, parent", line, sizeof(line)), "%s", s);
	cr_assert(strstr(line, "child"), "the zombie row is the child's: %s", line);
	free(s);
	s = wait_screen(&tm, "✝ reaped", 10);
	cr_assert(line_with(s, "✝ reaped", line, sizeof(line)));
	cr_assert(strstr(line, "child") && strstr(line, "exit 3"), "the tombstone: %s", line);
	free(s);
	/* the run is over 1.5 s after the reap: its tree keeps every process
	 * with how it ended, the child's tombstone included */
	s = wait_screen(&tm, "ENDED", 15);
	cr_assert(strstr(s, "Processes: 2 in the run, each as it ended"), "the title:\n%s", s);
	cr_assert(line_with(s, "child  ", line, sizeof(line)), "the child stays:\n%s", s);
	cr_assert(strstr(line, "✝ reaped at") && strstr(line, "(exit 3)"), "the child's end: %s", line);
	cr_assert(line_with(s, "parent  ", line, sizeof(line)), "the parent stays:\n%s", s);
	cr_assert(strstr(line, "✝ reaped at") && strstr(line, "by forkscope"), "the parent's end: %s",
	          line);
	free(s);
	finish(&tm);
}

/* While the run goes on, a reaped process leaves the tree a few seconds
 * after its reap; once the run is over, it is back, with how it ended. */
CASE(tui, a_tombstone_leaves_while_the_run_goes_on)
{
	struct tmux tm;
	/* tempo 1: the parent exits at 5.5 s, the orphan 5.5 s later */
	start(&tm, 100, 30, (const char *const[]){ "--tempo", "1", "orphan", NULL });
	char *s = wait_screen(&tm, "✝ reaped", 15);
	char line[512];
	cr_assert(line_with(s, "✝ reaped", line, sizeof(line)));
	cr_assert(strstr(line, "parent"), "the parent's tombstone: %s", line);
	free(s);
	wait_gone(&tm, "✝ reaped", 10);
	s = screen(&tm);
	cr_assert(strstr(s, "⇡ orphan") && strstr(s, "LIVE"), "the run goes on:\n%s", s);
	free(s);
	s = wait_screen(&tm, "ENDED", 15);
	cr_assert(line_with(s, "parent  ", line, sizeof(line)), "the parent is back:\n%s", s);
	cr_assert(strstr(line, "✝ reaped at"), "with its end: %s", line);
	free(s);
	finish(&tm);
}

CASE(tui, orphan_hangs_under_forkscope)
{
	struct tmux tm;
	/* the subreaper's story (PID 1's, with --pid1: test_pidns.c) */
	start(&tm, 100, 30, (const char *const[]){ "--tempo", "0.5", "--no-pid1", "orphan", NULL });
	char *s = wait_screen(&tm, "⇡ orphan (adopted, was child of", 15);
	char line[512];
	cr_assert(line_with(s, "⇡ orphan", line, sizeof(line)));
	/* at depth 1: directly under forkscope, the adopter */
	cr_assert(strncmp(line, "├─ ", strlen("├─ ")) == 0 || strncmp(line, "└─ ", strlen("└─ ")) == 0,
	          "the orphan hangs right under forkscope: '%s'\n%s", line, s);
	cr_assert(strstr(line, "child"), "%s", line);
	/* the adoption is told (the caption may have moved on to the parent's
	 * reap, which comes right after it) */
	cr_assert(strstr(s, "forkscope") && (strstr(s, "adopted it") || strstr(s, " adopted by ")),
	          "%s", s);
	free(s);
	finish(&tm);
}

static bool all_stopped(pid_t fs, size_t *count)
{
	pid_t kids[128];
	size_t n = descendants(fs, kids, 128);
	*count = n;
	for (size_t i = 0; i < n; i++) {
		char st = proc_state(kids[i]);
		if (st != 'T' && st != 0)
			return false;
	}
	return n > 0;
}

CASE(tui, pause_stops_the_tree_and_resume_lets_it_finish)
{
	struct tmux tm;
	start(&tm, 100, 30, (const char *const[]){ "--tempo", "0.5", "fork-twice", NULL });
	free(wait_screen(&tm, "grandchild  ", 15));
	pid_t fs = forkscope_pid(&tm);
	TMUX(&tm, "send-keys", "-t", "main", "Space");
	free(wait_screen(&tm, "PAUSED", 5));
	/* (the rows keep what each was doing when stopped: test_tracker) */
	size_t n = 0;
	double deadline = now() + 5;
	while (!all_stopped(fs, &n) && now() < deadline)
		nap();
	cr_assert(all_stopped(fs, &n), "every process of the tree is stopped (T)");
	cr_assert_eq(n, 4, "4 processes frozen, found %zu", n);
	/* frozen: nothing moves while paused */
	char *before = screen(&tm);
	struct timespec ts = { 1, 0 };
	nanosleep(&ts, NULL);   /* a real second of pause: the condition is the stillness */
	cr_assert(all_stopped(fs, &n), "still stopped after a second");
	free(before);
	TMUX(&tm, "send-keys", "-t", "main", "Space");
	free(wait_screen(&tm, "LIVE", 5));
	cr_assert_not(all_stopped(fs, &n), "running again");
	free(wait_screen(&tm, "ENDED", 20));
	cr_assert_eq(descendants(fs, (pid_t[8]){ 0 }, 8), 0, "the demo finished");
	finish(&tm);
}

/* After a step: paused, and no longer stepping. */
static bool paused_again(const char *scr, const void *arg)
{
	(void)arg;
	return strstr(scr, "PAUSED") && !strstr(scr, "STEP");
}

CASE(tui, step_runs_to_the_next_event)
{
	struct tmux tm;
	start(&tm, 100, 30, (const char *const[]){ "--tempo", "0.5", "fork-nested", NULL });
	free(wait_screen(&tm, "LIVE", 10));
	TMUX(&tm, "send-keys", "-t", "main", "Space");
	free(wait_screen(&tm, "PAUSED", 5));
	char *s = screen(&tm);
	int forks_before = 0;
	for (const char *p = s; (p = strstr(p, " fork ")); p++)
		forks_before++;
	free(s);
	TMUX(&tm, "send-keys", "-t", "main", "n");
	/* the step ends paused again, one event further */
	bool paused;
	s = screen_until(&tm, paused_again, NULL, 10, &paused);
	cr_assert(paused, "the step never paused again:\n%s", s);
	free(s);
	pid_t fs = forkscope_pid(&tm);
	size_t n;
	double until = now() + 5;
	while (!all_stopped(fs, &n) && now() < until)
		nap();
	cr_assert(all_stopped(fs, &n), "frozen after the step");
	TMUX(&tm, "send-keys", "-t", "main", "q");
	wait_exit(&tm, 0, 10);
	(void)forks_before;
	finish(&tm);
}

CASE(tui, resize_keeps_a_readable_tree_and_recovers_from_too_small)
{
	struct tmux tm;
	start(&tm, 100, 30, (const char *const[]){ "--tempo", "1", "fork-twice", NULL });
	free(wait_screen(&tm, "grandchild  ", 15));
	TMUX(&tm, "resize-window", "-t", "main", "-x", "80", "-y", "24");
	/* the old screen stays in the pane until forkscope redraws it: wait
	 * for the whole new one, status bar included */
	char *s = wait_redrawn(&tm, 80, 24, 5);
	/* every line fits 80 columns and the tree is all there */
	int lines = 0;
	for (char *line = s, *nl; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl)
			break;
		*nl = '\0';
		cr_assert_leq(text_cols(line), 80, "a line wider than 80: '%s'", line);
		lines++;
		*nl = '\n';
	}
	cr_assert_leq(lines, 24);
	cr_assert(strstr(s, "parent") && strstr(s, "child 1") && strstr(s, "child 2"), "%s", s);
	cr_assert(strstr(s, "Events") && strstr(s, "LIVE"), "%s", s);
	free(s);
	TMUX(&tm, "resize-window", "-t", "main", "-x", "60", "-y", "20");
	s = wait_screen(&tm, "needs at least 80x24", 5);
	cr_assert(strstr(s, "60x20"), "it says the size it has: %s", s);
	free(s);
	TMUX(&tm, "resize-window", "-t", "main", "-x", "100", "-y", "30");
	free(wait_screen(&tm, "grandchild  ", 5));
	wait_gone(&tm, "needs at least", 5);
	finish(&tm);
}

/* An interactive shell in the pane, as a user has; returns its PID. */
static pid_t start_shell(struct tmux *tm)
{
	tmux_init(tm);
	free(tmux_run(tm, NULL, (const char *const[]){ "-f", tm->conf, "new-session", "-d",
	              "-s", "main", "-x", "100", "-y", "30", "sh", NULL }));
	return pane_pid(tm);
}

/* Waits until nothing but the shell is left, then checks the terminal works
 * again: echo, canonical mode, the normal screen. */
static void assert_shell_sane(struct tmux *tm, pid_t shell, const char *why)
{
	pid_t kids[256];
	double deadline = now() + 10;
	while (descendants(shell, kids, 256) > 0 && now() < deadline)
		nap();
	cr_assert_eq(descendants(shell, kids, 256), 0, "nothing of forkscope's survives %s", why);
	TMUX(tm, "send-keys", "-t", "main", "clear; echo works-$((40+2)); "
	     "stty -a | grep -q ' icanon' && echo canonical-on; "
	     "stty -a | grep -q ' echo ' && echo echo-on; echo done-$((1+1))", "Enter");
	char *s = wait_screen(tm, "done-2", 10);
	cr_assert(strstr(s, "works-42"), "%s", s);
	cr_assert(strstr(s, "canonical-on"), "canonical mode is back after %s:\n%s", why, s);
	cr_assert(strstr(s, "echo-on"), "echo is back after %s:\n%s", why, s);
	cr_assert_null(strstr(s, "Processes:"), "the screen is the shell's again:\n%s", s);
	free(s);
}

CASE(tui, q_leaves_a_working_shell_and_nothing_behind)
{
	struct tmux tm;
	pid_t shell = start_shell(&tm);
	TMUX(&tm, "send-keys", "-t", "main", FORKSCOPE_BIN " --tempo 1 fork-bomb", "Enter");
	free(wait_screen(&tm, "gen 1", 15));
	TMUX(&tm, "send-keys", "-t", "main", "q");
	assert_shell_sane(&tm, shell, "q");
	finish(&tm);
}

CASE(tui, ctrl_c_and_sigterm_restore_and_kill)
{
	struct tmux tm;
	start(&tm, 100, 30, (const char *const[]){ "--tempo", "1", "fork-bomb", NULL });
	free(wait_screen(&tm, "gen 2", 15));
	pid_t fs = forkscope_pid(&tm);
	TMUX(&tm, "send-keys", "-t", "main", "C-c");
	wait_exit(&tm, 128 + SIGINT, 10);
	pid_t kids[256];
	cr_assert_eq(descendants(fs, kids, 256), 0);
	finish(&tm);

	start(&tm, 100, 30, (const char *const[]){ "--tempo", "1", "fork-bomb", NULL });
	free(wait_screen(&tm, "gen 2", 15));
	kill(forkscope_pid(&tm), SIGTERM);
	wait_exit(&tm, 128 + SIGTERM, 10);
	finish(&tm);
}

CASE(tui, help_and_lifelines)
{
	struct tmux tm;
	start(&tm, 100, 30, (const char *const[]){ "--tempo", "0.5", "zombie", NULL });
	free(wait_screen(&tm, "LIVE", 10));
	TMUX(&tm, "send-keys", "-t", "main", "?");
	char *s = wait_screen(&tm, "What the symbols mean", 5);
	cr_assert(strstr(s, "☠ zombie") && strstr(s, "⇡ orphan") && strstr(s, "✝ reaped"), "%s", s);
	cr_assert(strstr(s, "space") && strstr(s, "pause"), "%s", s);
	cr_assert(strstr(s, "PgUp/PgDn"), "the keys name PgDn:\n%s", s);
	free(s);
	/* the second page: the gauges and the event log's words */
	TMUX(&tm, "send-keys", "-t", "main", "NPage");
	s = wait_screen(&tm, "Event words", 5);
	cr_assert(strstr(s, "FULL") && strstr(s, "held by"), "the gauge explained:\n%s", s);
	const char *words[] = { "fork ", "exec ", "exit ", "reap ", "orphan ", "queue ", "blocked " };
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		cr_assert(strstr(s, words[i]), "'%s' explained:\n%s", words[i], s);
	free(s);
	TMUX(&tm, "send-keys", "-t", "main", "PPage");
	free(wait_screen(&tm, "What the symbols mean", 5));
	TMUX(&tm, "send-keys", "-t", "main", "x");
	free(wait_screen(&tm, "Processes:", 5));
	wait_gone(&tm, "What the symbols mean", 5);
	TMUX(&tm, "send-keys", "-t", "main", "l");
	s = wait_screen(&tm, "Lifelines", 5);
	cr_assert(strstr(s, "█ running"), "the legend:\n%s", s);
	free(s);
	/* the child's lifeline shows its zombie time once it has one */
	s = wait_screen(&tm, "░", 15);
	free(s);
	finish(&tm);
}

CASE(tui, iterations_end_the_real_ui_by_itself)
{
	struct tmux tm;
	start(&tm, 80, 24, (const char *const[]){ "--iterations", "40", "--tempo", "0.2",
	                                        "--theme", "light", "--projector", "fork-bomb", NULL });
	wait_exit(&tm, 0, 20);
	finish(&tm);
	start(&tm, 80, 24, (const char *const[]){ "--iterations", "40", "--ascii", "--theme", "mono",
	                                        NULL });
	wait_exit(&tm, 0, 20);
	finish(&tm);
}

CASE(tui, details_of_the_selected_process)
{
	struct tmux tm;
	start(&tm, 120, 30, (const char *const[]){ "--tempo", "1", "fork-nested", NULL });
	free(wait_screen(&tm, "parent", 10));
	TMUX(&tm, "send-keys", "-t", "main", "Down", "Down");
	char *s = wait_screen(&tm, "group ", 5);
	cr_assert(strstr(s, "Details"), "%s", s);
	cr_assert(strstr(s, "session"), "%s", s);
	cr_assert(strstr(s, "command:"), "%s", s);
	free(s);
	finish(&tm);
}

CASE(tui, everything_fits_at_80x24)
{
	struct tmux tm;
	/* the projector menu lists every scenario */
	start(&tm, 80, 24, (const char *const[]){ "--projector", "--theme", "light", NULL });
	char *s = wait_screen(&tm, "▼ more", 10);
	/* every description whole, the intro wrapped, the bar's short form */
	cr_assert_null(strstr(s, "…"), "nothing cut at 80 columns:\n%s", s);
	cr_assert(strstr(s, "Esc: quit"), "%s", s);
	free(s);
	/* the list scrolls to the chosen one: the last is reachable */
	TMUX(&tm, "send-keys", "-t", "main", "End");
	s = wait_screen(&tm, "▶ py-manager-queue", 5);
	cr_assert_null(strstr(s, "…"), "nothing cut at 80 columns:\n%s", s);
	free(s);
	/* help shows every symbol */
	TMUX(&tm, "send-keys", "-t", "main", "?");
	s = wait_screen(&tm, "What the symbols mean", 5);
	cr_assert(strstr(s, "forkscope itself") && strstr(s, "new"), "the last lines:\n%s", s);
	free(s);
	TMUX(&tm, "send-keys", "-t", "main", "x", "Escape");
	wait_exit(&tm, 0, 10);
	finish(&tm);
	/* the details of a process, all of them */
	start(&tm, 80, 24, (const char *const[]){ "--tempo", "1", "fork-nested", NULL });
	free(wait_screen(&tm, "child 2  ", 15));
	TMUX(&tm, "send-keys", "-t", "main", "Down", "Down");
	s = wait_screen(&tm, "command:", 5);
	cr_assert(strstr(s, "group ") && strstr(s, "alive for "), "%s", s);
	free(s);
	finish(&tm);
}

/* A left click at (x, y), as a terminal reports it (X10 mouse protocol):
 * tmux writes it to forkscope's input as typed bytes. */
static void click(const struct tmux *tm, int x, int y)
{
	char seq[8] = { 033, '[', 'M', (char)(32 + 0), (char)(32 + x + 1), (char)(32 + y + 1), 0 };
	TMUX(tm, "send-keys", "-t", "main", "-l", seq);
}

CASE(tui, a_click_selects_a_process)
{
	struct tmux tm;
	start(&tm, 100, 30, (const char *const[]){ "--tempo", "1", "fork-nested", NULL });
	char *s = wait_screen(&tm, "child 1  ", 15);
	free(s);
	/* row 3: the parent, under forkscope (row 2) and the panel title (row 1) */
	click(&tm, 10, 3);
	s = wait_screen(&tm, "Details", 5);
	char line[512];
	cr_assert(line_with(s, "│ PID ", line, sizeof(line)), "%s", s);
	cr_assert(strstr(line, "parent"), "the parent was clicked: %s", line);
	free(s);
	finish(&tm);
}

/* A crash must restore the terminal and leave nothing running. */
CASE(tui, a_crash_restores_the_terminal_and_kills_the_tree)
{
	struct tmux tm;
	pid_t shell = start_shell(&tm);
	TMUX(&tm, "send-keys", "-t", "main", FORKSCOPE_BIN " --tempo 1 fork-bomb", "Enter");
	free(wait_screen(&tm, "gen 1", 15));
	pid_t kids[4];
	cr_assert_gt(children_of(shell, 1, kids, 1), 0);
	kill(kids[0], SIGSEGV);
	assert_shell_sane(&tm, shell, "a crash");
	finish(&tm);
}

CASE(tui, the_queue_panel_shows_a_full_queue_and_who_waits)
{
	struct tmux tm;
	start(&tm, 100, 30, (const char *const[]){ "--tempo", "1", "queue", NULL });
	char *s = wait_screen(&tm, "3/3 messages  FULL", 15);
	char line[512];
	cr_assert(line_with(s, "3/3 messages", line, sizeof(line)));
	cr_assert(strstr(line, "/fs-queue") && strstr(line, "█"), "a full gauge: %s", line);
	free(s);
	/* the timed put: the parent's row says what it waits for */
	s = wait_screen(&tm, "put: /fs-queue", 10);
	cr_assert(line_with(s, "put: /fs-queue", line, sizeof(line)));
	cr_assert(strstr(line, "parent") && strstr(line, "is full"), "%s", line);
	free(s);
	/* and the caption tells it: the demo forks nothing, yet filling its
	 * queue is doing something of its own, so the introduction gives way */
	free(wait_screen(&tm, "(parent) is blocked", 10));
	finish(&tm);
}

static bool differs(const char *scr, const void *before)
{
	return strcmp(scr, before) != 0;
}

/* Sends key and waits until the screen is another than before (the
 * caller frees the new one). */
static char *key_then_change(const struct tmux *tm, const char *key, double timeout)
{
	char *before = screen(tm);
	bool changed;

	TMUX(tm, "send-keys", "-t", "main", key);
	char *s = screen_until(tm, differs, before, timeout, &changed);
	free(before);
	if (!changed)
		cr_assert_fail("the screen did not change after %s:\n%s", key, s);
	return s;
}

CASE(tui, rewind_steps_back_to_the_zombie_and_end_returns_to_now)
{
	struct tmux tm;
	/* (no init between forkscope and the parent: --no-pid1) */
	start(&tm, 100, 30, (const char *const[]){ "--tempo", "0.5", "--no-pid1", "zombie", NULL });
	free(wait_screen(&tm, "✝ reaped", 20));
	TMUX(&tm, "send-keys", "-t", "main", "Space");
	free(wait_screen(&tm, "PAUSED", 5));
	/* back one lifecycle event at a time, until the exit: the child is a
	 * zombie again on the screen */
	char *s = NULL, line[512];
	for (int i = 0; i < 8; i++) {
		free(s);
		s = key_then_change(&tm, "Left", 5);
		if (strstr(s, "☠ zombie (exit 3"))
			break;
	}
	cr_assert(line_with(s, "☠ zombie (exit 3", line, sizeof(line)), "the zombie row:\n%s", s);
	cr_assert(strstr(line, "child"), "the child's row: %s", line);
	cr_assert(strstr(s, "REWIND -"), "the marker says how far back:\n%s", s);
	cr_assert(strstr(s, "a zombie until its parent"), "that moment's caption:\n%s", s);
	/* the world stays frozen in /proc: rewinding only looks */
	pid_t kids[8];
	cr_assert_eq(descendants(forkscope_pid(&tm), kids, 8), 1, "the parent alone, reaped child");
	cr_assert_eq(proc_state(kids[0]), 'T', "the parent is still stopped");
	free(s);
	/* forward to the reap, then End: the paused present again */
	s = key_then_change(&tm, "Right", 5);
	free(s);
	s = key_then_change(&tm, "End", 5);
	cr_assert_null(strstr(s, "REWIND"), "back to now:\n%s", s);
	cr_assert(strstr(s, "PAUSED") && strstr(s, "✝ reaped"), "the paused present:\n%s", s);
	free(s);
	/* space resumes from now; the run ends by itself */
	TMUX(&tm, "send-keys", "-t", "main", "Space");
	free(wait_screen(&tm, "ENDED", 20));
	quit(&tm, 10);
}

CASE(tui, a_recording_replays_on_the_screen_and_walks_back)
{
	char dir[] = "/tmp/forkscope-test-XXXXXX", file[64];
	cr_assert_not_null(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/zombie.jsonl", dir);
	struct run rec;
	run_forkscope(&rec, 30, (const char *const[]){ "--headless", "--tempo", "0.3", "--record",
	                                                file, "zombie", NULL });
	cr_assert_eq(rec.status, 0, "%s", rec.err);
	run_free(&rec);

	struct tmux tm;
	start(&tm, 100, 30, (const char *const[]){ "--replay", file, NULL });
	free(wait_screen(&tm, "REPLAY 1x", 10));
	/* the zombie comes, as it did live */
	char *s = wait_screen(&tm, "☠ zombie (exit 3", 15);
	free(s);
	/* a replay ends, holds its end, and walks back like a live run */
	free(wait_screen(&tm, "ENDED", 15));
	s = key_then_change(&tm, "Left", 5);
	/* a replay's past moment is told by the time of day it was recorded at */
	cr_assert(strstr(s, "REWIND ") && !strstr(s, "REWIND -"), "REWIND hh:mm:ss:\n%s", s);
	free(s);
	for (int i = 0; i < 10; i++) {
		s = key_then_change(&tm, "Left", 5);
		bool zombie = strstr(s, "☠ zombie (exit 3") != NULL;
		free(s);
		if (zombie)
			break;
		cr_assert_lt(i, 9, "never walked back to the zombie");
	}
	/* nothing was started: forkscope has no child in a replay */
	cr_assert_eq(descendants(forkscope_pid(&tm), (pid_t[8]){ 0 }, 8), 0);
	quit(&tm, 10);
	unlink(file);
	rmdir(dir);
}

CASE(tui, a_recorded_run_says_so_and_q_records_its_end)
{
	char dir[] = "/tmp/forkscope-test-XXXXXX", file[64];
	cr_assert_not_null(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/run.jsonl", dir);
	struct tmux tm;
	/* (no init, whose "wait-child" would be taken for the child's row) */
	start(&tm, 100, 30, (const char *const[]){ "--record", file, "--tempo", "1", "--no-pid1",
	                                           "zombie", NULL });
	free(wait_screen(&tm, "● REC", 10));
	free(wait_screen(&tm, "child  ", 15));
	TMUX(&tm, "send-keys", "-t", "main", "q");
	wait_exit(&tm, 0, 10);
	/* the file ends with the run's end: two processes killed by the q */
	FILE *f = fopen(file, "r");
	cr_assert_not_null(f);
	char line[4096], last[4096] = "";
	while (fgets(line, sizeof(line), f))
		memcpy(last, line, sizeof(line));
	fclose(f);
	cr_assert(strstr(last, "\"o\":\"end\"") && strstr(last, "\"killed\":2"), "last line: %s",
	          last);
	/* the message after the screen (wrapped at 100 columns): where it went */
	char *s = wait_screen(&tm, "run.jsonl)", 5);
	free(s);
	finish(&tm);
	unlink(file);
	rmdir(dir);
}

CASE(tui, slow_motion_holds_the_tree_and_s_lets_it_run)
{
	struct tmux tm;
	/* short pauses of its own: without slow motion it is over in a moment
	 * (at --tempo 0 it would be over before the first news is read) */
	start(&tm, 100, 30, (const char *const[]){ "--slow", "1500", "--tempo", "0.1", "fork-twice",
	                                            NULL });
	char *s = wait_screen(&tm, "SLOW 1500 ms ❚❚", 10);
	free(s);
	/* held: the tree is stopped in /proc while the screen shows it as the
	 * event left it */
	pid_t fs = forkscope_pid(&tm);
	size_t n = 0;
	double deadline = now() + 5;
	while (!all_stopped(fs, &n) && now() < deadline)
		nap();
	cr_assert(all_stopped(fs, &n) && n > 0, "the tree is held still (%zu stopped)", n);
	s = screen(&tm);
	cr_assert_null(strstr(s, "■ stopped"), "the held tree is shown as it was:\n%s", s);
	cr_assert_null(strstr(s, "ENDED"), "not over while held:\n%s", s);
	free(s);
	/* s: slow motion off, the tree goes on and the demo ends */
	TMUX(&tm, "send-keys", "-t", "main", "s");
	s = wait_screen(&tm, "ENDED", 15);
	cr_assert_null(strstr(s, "SLOW"), "slow motion is off:\n%s", s);
	free(s);
	quit(&tm, 10);
}

CASE(tui, q_in_the_middle_of_a_hold_leaves_nothing_stopped)
{
	struct tmux tm;
	start(&tm, 100, 30, (const char *const[]){ "--slow", "5000", "--tempo", "0.1", "fork-twice",
	                                            NULL });
	free(wait_screen(&tm, "SLOW 5000 ms ❚❚", 10));
	pid_t fs = forkscope_pid(&tm);
	size_t n = 0;
	double deadline = now() + 5;
	while (!all_stopped(fs, &n) && now() < deadline)
		nap();
	cr_assert(all_stopped(fs, &n) && n > 0, "held (%zu stopped)", n);
	TMUX(&tm, "send-keys", "-t", "main", "q");
	wait_exit(&tm, 0, 10);
	/* (CASE fails when any process of the tree is left, stopped or not) */
	finish(&tm);
}

CASE(tui, polling_says_so_on_the_status_bar)
{
	struct tmux tm;
	start(&tm, 100, 30, (const char *const[]){ "--events", "poll", "--tempo", "0.5", "zombie",
	                                            NULL });
	char *s = wait_screen(&tm, "POLLING", 10);
	free(s);
	s = wait_screen(&tm, "ENDED", 20);
	cr_assert(strstr(s, "POLLING"), "still said at the end:\n%s", s);
	free(s);
	quit(&tm, 10);
}

/* forkscope -p on a tree the test started: the title says so, space asks
 * before it stops anything (n: nothing is stopped; y: the tree is), and q
 * leaves the tree running, continued.  The test ends its tree itself. */
static bool tree_state_is(pid_t pid, char want)
{
	return proc_state(pid) == want;
}

struct state_wait {
	pid_t pid;
	char want;
};

static bool state_reached(void *arg)
{
	struct state_wait *w = arg;
	return tree_state_is(w->pid, w->want);
}

static bool state_left(void *arg)
{
	struct state_wait *w = arg;
	char st = proc_state(w->pid);
	return st && st != w->want;
}

CASE(tui, attach_asks_before_pausing_and_q_leaves_the_tree_running)
{
	struct tmux tm;
	char pidstr[16], title[64];
	pid_t tree = fork();
	cr_assert_geq(tree, 0);
	if (tree == 0) {
		int null = open("/dev/null", O_RDWR);
		dup2(null, 0);
		dup2(null, 1);
		execl("/bin/sh", "sh", "-c", "while :; do sleep 0.2; done", (char *)NULL);
		_exit(127);
	}
	snprintf(pidstr, sizeof(pidstr), "%d", (int)tree);
	snprintf(title, sizeof(title), "attached to %d (sh)", (int)tree);
	start(&tm, 80, 24, (const char *const[]){ "-p", pidstr, NULL });
	free(wait_screen(&tm, title, 10));
	free(wait_screen(&tm, "orphans go to the system's reaper", 5));
	/* forkscope is no part of the tree it watches */
	char *s = screen(&tm);
	cr_assert_null(strstr(s, "forkscope  "), "forkscope's own row is shown:\n%s", s);
	free(s);

	TMUX(&tm, "send-keys", "-t", "main", " ");
	free(wait_screen(&tm, "did not start (SIGSTOP). y/n", 5));
	TMUX(&tm, "send-keys", "-t", "main", "n");
	free(wait_screen(&tm, "Not paused", 5));
	cr_assert_neq(proc_state(tree), 'T', "n stopped the tree");

	TMUX(&tm, "send-keys", "-t", "main", " ");
	free(wait_screen(&tm, "y/n", 5));
	TMUX(&tm, "send-keys", "-t", "main", "y");
	free(wait_screen(&tm, "PAUSED", 5));
	struct state_wait w = { tree, 'T' };
	cr_assert(wait_until(state_reached, &w, 5), "y did not stop the tree");

	TMUX(&tm, "send-keys", "-t", "main", "q");
	wait_exit(&tm, 0, 10);
	/* what the pause stopped is continued; nothing else was signalled */
	cr_assert(wait_until(state_left, &w, 5), "the tree was left stopped");
	cr_assert_neq(proc_state(tree), 0, "the tree was ended");

	kill(tree, SIGKILL);
	int st;
	while (waitpid(tree, &st, 0) < 0 && errno == EINTR)
		;
	finish(&tm);
}

/* ---- in Chinese (issue 12) ----------------------------------------------- */

/* The display column where needle starts on line (-1: not there). */
static int col_of(const char *line, const char *needle)
{
	const char *p = strstr(line, needle);
	if (!p)
		return -1;
	char head[1024];
	snprintf(head, sizeof(head), "%.*s", (int)(p - line), line);
	return text_cols(head);
}

/* Screen s fits cols x rows, with no glyph the terminal could not show
 * whole ('?' for a character, U+FFFD) and no line wider than the pane. */
static void assert_fits(const char *s, int cols, int rows, const char *what)
{
	int lines = 0;
	cr_assert_null(strstr(s, "\xef\xbf\xbd"), "%s: a replacement character:\n%s", what, s);
	for (const char *line = s, *nl; (nl = strchr(line, '\n')); line = nl + 1) {
		char buf[2048];
		snprintf(buf, sizeof(buf), "%.*s", (int)(nl - line), line);
		cr_assert_leq(text_cols(buf), cols, "%s: a line wider than %d:\n%s", what, cols, buf);
		lines++;
	}
	cr_assert_leq(lines, rows, "%s", what);
}

/* Every line of s holding one of the marks has it at the same column:
 * the tree's state column, the help's legend. */
static void assert_aligned(const char *s, const char *const *marks, const char *what)
{
	int col = -1;
	for (const char *line = s, *nl; (nl = strchr(line, '\n')); line = nl + 1) {
		char buf[2048];
		snprintf(buf, sizeof(buf), "%.*s", (int)(nl - line), line);
		for (size_t i = 0; marks[i]; i++) {
			int c = col_of(buf, marks[i]);
			if (c < 0)
				continue;
			if (col < 0)
				col = c;
			cr_assert_eq(c, col, "%s: '%s' at column %d, not %d:\n%s", what, marks[i], c, col,
			             s);
			break;
		}
	}
	cr_assert_geq(col, 0, "%s: none of the marks is there:\n%s", what, s);
}

/* zombie and pool in Chinese at one size: the menu, the tree with its
 * state column, the captions, help with its legend, lifelines and
 * details, each within the pane, aligned, nothing cut. */
static void chinese_at(int cols, int rows)
{
	static const char *const states[] = { "◆ ", "○ ", "● ", "☠ ", "✝ ", NULL };
	struct tmux tm;
	char what[64];

	start_in(&tm, cols, rows, (const char *const[]){ NULL }, "zh_CN.UTF-8");
	char *s = wait_screen(&tm, "选择一个演示", 10);
	snprintf(what, sizeof(what), "menu %dx%d", cols, rows);
	assert_fits(s, cols, rows, what);
	free(s);
	finish(&tm);

	start_in(&tm, cols, rows, (const char *const[]){ "--tempo", "0.5", "zombie", NULL },
	         "zh_CN.UTF-8");
	s = wait_screen(&tm, "☠ 僵尸进程", 15);
	snprintf(what, sizeof(what), "zombie %dx%d", cols, rows);
	assert_fits(s, cols, rows, what);
	assert_aligned(s, states, what);
	free(s);
	TMUX(&tm, "send-keys", "-t", "main", "?");
	s = wait_screen(&tm, "各符号的含义", 5);
	snprintf(what, sizeof(what), "help %dx%d", cols, rows);
	assert_fits(s, cols, rows, what);
	/* the legend's words, then its meanings, each in one column */
	assert_aligned(s, (const char *const[]){ "● ", "○ ", "☠ ", "⇡ ", "✝ ", NULL }, what);
	free(s);
	TMUX(&tm, "send-keys", "-t", "main", "x");
	wait_gone(&tm, "各符号的含义", 5);
	TMUX(&tm, "send-keys", "-t", "main", "l");
	s = wait_screen(&tm, "█", 5);
	snprintf(what, sizeof(what), "lifelines %dx%d", cols, rows);
	assert_fits(s, cols, rows, what);
	free(s);
	TMUX(&tm, "send-keys", "-t", "main", "l", "Down", "Down");
	s = wait_screen(&tm, "详情", 5);
	snprintf(what, sizeof(what), "details %dx%d", cols, rows);
	assert_fits(s, cols, rows, what);
	free(s);
	finish(&tm);

	start_in(&tm, cols, rows, (const char *const[]){ "--tempo", "0.5", "pool", NULL },
	         "zh_CN.UTF-8");
	s = wait_screen(&tm, "条消息", 15);
	snprintf(what, sizeof(what), "pool %dx%d", cols, rows);
	assert_fits(s, cols, rows, what);
	assert_aligned(s, states, what);
	free(s);
	finish(&tm);
}

CASE(tui, chinese_fits_and_aligns_at_80x24)
{
	chinese_at(80, 24);
}

CASE(tui, chinese_fits_and_aligns_at_100x30)
{
	chinese_at(100, 30);
}

/* ---- the compact tree, and what fork() returned ------------------------ */

/* The tree panel of screen s: its lines from the title down to the events
 * panel's, copied into out. */
static void tree_panel(const char *s, char *out, size_t len)
{
	const char *from = strstr(s, "Processes:");
	const char *to = from ? strstr(from, "─ Events") : NULL;
	size_t n = from ? (size_t)((to ? to : from + strlen(from)) - from) : 0;

	snprintf(out, len, "%.*s", (int)(n < len ? n : len - 1), from ? from : "");
}

/* Whether pid is in text as a number of its own (not inside a longer one). */
static bool has_pid(const char *text, pid_t pid)
{
	char num[16];
	snprintf(num, sizeof(num), "%d", (int)pid);
	size_t len = strlen(num);
	for (const char *p = text; (p = strstr(p, num)); p++) {
		bool before = p > text && p[-1] >= '0' && p[-1] <= '9';
		bool after = p[len] >= '0' && p[len] <= '9';
		if (!before && !after)
			return true;
	}
	return false;
}

/* fork-bomb's 32 processes all on the screen at once, in the compact
 * layout, at its fullest moment (all 32 alive). */
static void whole_bomb_at(int cols, int rows)
{
	struct tmux tm;
	char what[64], panel[8192];
	pid_t kids[64];

	snprintf(what, sizeof(what), "fork-bomb %dx%d", cols, rows);
	start(&tm, cols, rows, (const char *const[]){ "--tempo", "1", "fork-bomb", NULL });
	free(wait_screen(&tm, "gen 0", 15));
	pid_t fs = forkscope_pid(&tm);
	double deadline = now() + 30;
	char *s = NULL;
	size_t missing = 0, n = 0;
	for (;;) {
		n = descendants(fs, kids, 64);
		if (n == 32) {
			free(s);
			s = screen(&tm);
			tree_panel(s, panel, sizeof(panel));
			missing = 0;
			for (size_t i = 0; i < n; i++)
				missing += !has_pid(panel, kids[i]);
			/* the screen may lag the last fork by a reading */
			if (!missing && n == descendants(fs, kids, 64))
				break;
		}
		if (now() > deadline)
			cr_assert_fail("%s: never all 32 on the screen (%zu alive, %zu missing):\n%s", what,
			               n, missing, s ? s : "");
		nap();
	}
	assert_fits(s, cols, rows, what);
	cr_assert(strstr(panel, "compact (g)"), "%s: the compact layout says so:\n%s", what, s);
	cr_assert_null(strstr(panel, "more below"), "%s: nothing out of view:\n%s", what, s);
	cr_assert(strstr(panel, "○") || strstr(panel, "●"), "%s: state symbols:\n%s", what, s);
	free(s);
	quit(&tm, 10);
}

CASE(tui, the_whole_fork_bomb_at_80x24)
{
	whole_bomb_at(80, 24);
}

CASE(tui, the_whole_fork_bomb_at_100x30)
{
	whole_bomb_at(100, 30);
}

/* A tree that fits keeps one row a process; g switches to compact and back. */
CASE(tui, a_small_tree_keeps_its_rows_and_g_switches)
{
	struct tmux tm;
	char line[512];
	start(&tm, 100, 30, (const char *const[]){ "--tempo", "1", "zombie", NULL });
	/* the child's tree row, once it is forked and has named itself: it
	 * is "parent" from its fork to its demo_title() (the log's
	 * "wait-child" and init's "waits for a child" are no child's row) */
	char *s = wait_row(&tm, "└─ ", " child  ", line, sizeof(line), 15);
	cr_assert(strstr(line, "○ sleeping") || strstr(line, "● running") || strstr(line, "☠ zombie"),
	          "a whole row, with its state in words: %s", line);
	cr_assert_null(strstr(s, "compact (g)"), "not compact:\n%s", s);
	free(s);
	TMUX(&tm, "send-keys", "-t", "main", "g");
	s = wait_screen(&tm, "compact (g)", 5);
	char panel[4096];
	tree_panel(s, panel, sizeof(panel));
	cr_assert(strstr(panel, "○ child") || strstr(panel, "● child") || strstr(panel, "☠ child"),
	          "compact: PID, symbol, name:\n%s", s);
	cr_assert_null(strstr(panel, "sleeping"), "compact: no state words:\n%s", s);
	cr_assert_null(strstr(panel, "zombie ("), "compact: no state words:\n%s", s);
	free(s);
	TMUX(&tm, "send-keys", "-t", "main", "g");
	wait_gone(&tm, "compact (g)", 5);
	finish(&tm);
}

/* The first number on line after column from: a PID on the tree. */
static pid_t pid_after(const char *line, const char *from)
{
	const char *p = strstr(line, from);
	cr_assert_not_null(p, "'%s' in '%s'", from, line);
	p += strlen(from);
	while (*p && (*p < '0' || *p > '9'))
		p++;
	return (pid_t)atoi(p);
}

/* In the compact layout the selection, its details, a click and a rewind
 * work as on the rows. */
CASE(tui, selection_click_and_rewind_in_the_compact_tree)
{
	struct tmux tm;
	char line[512], want[64];
	start(&tm, 80, 24, (const char *const[]){ "--tempo", "1", "fork-bomb", NULL });
	free(wait_screen(&tm, "compact (g)", 20));
	/* Down from nothing: forkscope, then gen 0, its child */
	pid_t gen0[1];
	cr_assert_eq(children_of(forkscope_pid(&tm), 0, gen0, 1), 1);
	TMUX(&tm, "send-keys", "-t", "main", "Down", "Down");
	snprintf(want, sizeof(want), "PID %d ", (int)gen0[0]);
	char *s = wait_screen(&tm, want, 5);
	cr_assert(strstr(s, "Details"), "%s", s);
	free(s);
	/* a click on the first process of the second column selects it: on
	 * the panel's first row (screen row 2), the number after forkscope's */
	double deadline = now() + 15;
	int x = -1;
	while (x < 0) {
		s = screen(&tm);
		const char *l = s;
		for (int row = 0; row < 2 && l; row++)
			l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL;
		if (l) {
			snprintf(line, sizeof(line), "%.*s", (int)strcspn(l, "\n"), l);
			const char *p = line + strspn(line, "0123456789");
			p += strcspn(p, "0123456789");
			if (p > line + 1 && *p && has_pid(s, (pid_t)atoi(p))) {
				snprintf(want, sizeof(want), "PID %d ", atoi(p));
				char head[512];
				snprintf(head, sizeof(head), "%.*s", (int)(p - line), line);
				x = text_cols(head);
			}
		}
		free(s);
		cr_assert_lt(now(), deadline, "no second column");
		if (x < 0)
			nap();
	}
	click(&tm, x, 2);
	free(wait_screen(&tm, want, 5));
	/* one event back: the run pauses, the tree stays compact, the
	 * selection and its details stay */
	s = key_then_change(&tm, "Left", 5);
	free(s);
	s = wait_screen(&tm, "REWIND -", 5);
	cr_assert(strstr(s, "compact (g)") && strstr(s, "Details") && strstr(s, "PID "),
	          "rewound, compact, details:\n%s", s);
	free(s);
	quit(&tm, 10);
}

/* fork() returns twice: right after the fork, the child's row says 0 and
 * the parent's the child's PID; a few seconds later, while both live on,
 * neither says it any more.  forkscope's own start of the parent is no
 * fork of the tree: the parent's row never says it then. */
static void fork_returns_twice_at(int cols, int rows)
{
	struct tmux tm;
	char line[512], want[64], row[32];
	pid_t root[1], kids[4];
	start(&tm, cols, rows, (const char *const[]){ "--tempo", "1", "fork", NULL });
	char *s = wait_screen(&tm, "parent  ", 15);
	cr_assert_eq(children_of(forkscope_pid(&tm), 0, root, 1), 1);
	snprintf(row, sizeof(row), "└─ %d ", (int)root[0]);
	cr_assert(line_with(s, row, line, sizeof(line)), "the parent's row:\n%s", s);
	cr_assert_null(strstr(line, "fork()"), "forkscope started the parent: %s", line);
	free(s);
	/* (the child's row may still bear its parent's name, until it renames
	 * itself: rows are told by their PIDs) */
	s = wait_screen(&tm, "fork() → 0", 15);
	cr_assert(line_with(s, "fork() → 0", line, sizeof(line)));
	pid_t child = pid_after(line, "└─");
	size_t n = children_of(root[0], 0, kids, 4);
	cr_assert(n == 1 && kids[0] == child, "0 on the row of the parent's child %d: %s\n%s",
	          n ? (int)kids[0] : -1, line, s);
	snprintf(want, sizeof(want), "fork() → %d", (int)child);
	cr_assert(line_with(s, row, line, sizeof(line)));
	cr_assert(strstr(line, want), "'%s' on the parent's row: %s\n%s", want, line, s);
	assert_fits(s, cols, rows, "fork");
	free(s);
	wait_gone(&tm, "fork() →", 10);
	s = screen(&tm);
	snprintf(row, sizeof(row), "└─ %d ", (int)child);
	cr_assert(line_with(s, row, line, sizeof(line)), "the child lives on:\n%s", s);
	cr_assert(strstr(line, "child") && !strstr(line, "✝"), "the same child, alive: %s", line);
	free(s);
	quit(&tm, 10);
}

CASE(tui, fork_returns_twice_on_the_tree_at_100x30)
{
	fork_returns_twice_at(100, 30);
}

CASE(tui, fork_returns_twice_on_the_tree_at_80x24)
{
	fork_returns_twice_at(80, 24);
}

/* + stops at tempo 0.1: at 0 a zombie lives no time at all, and the
 * screen would show "0 zombies" with no word why.  Tempo 0, from
 * --tempo 0, says what it costs. */
CASE(tui, plus_stops_short_of_tempo_0_and_tempo_0_warns)
{
	struct tmux tm;
	start(&tm, 100, 30, (const char *const[]){ "--tempo", "0.2", NULL });
	free(wait_screen(&tm, "(tempo 0.2)", 10));
	TMUX(&tm, "send-keys", "-t", "main", "+", "+", "+");
	char *s = wait_screen(&tm, "(tempo 0.1)", 5);
	cr_assert_not(strstr(s, "(tempo 0)"), "%s", s);
	free(s);
	TMUX(&tm, "send-keys", "-t", "main", "Escape");
	wait_exit(&tm, 0, 10);
	finish(&tm);

	start(&tm, 80, 24, (const char *const[]){ "--tempo", "0", "--", "sleep", "30", NULL });
	s = wait_screen(&tm, "LIVE", 10);
	char bar[512];
	cr_assert(line_with(s, "LIVE", bar, sizeof(bar)));
	cr_assert_not(strstr(bar, "tempo"), "a command has no tempo: %s", bar);
	free(s);
	quit(&tm, 10);

	start(&tm, 100, 30, (const char *const[]){ "--tempo", "0", "fork-bomb", NULL });
	free(wait_screen(&tm, "tempo 0: no pauses, too fast to watch", 10));
	quit(&tm, 10);
}

/* ---- no word cut where program output wraps, at 80x24 ------------------- */

/* Whether word (a token of a screen row) has a letter: PIDs, sizes and
 * marks are not words a wrap could cut in a way a reader would trip on. */
static bool has_letter(const char *word)
{
	for (const char *p = word; *p; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
			return true;
	return false;
}

/* Every space-separated word of the program's output, from the run's
 * recording (its "output" lines), one string with a space on each side of
 * each word, for strstr(" word "). */
static char *output_words(const char *recording)
{
	FILE *f = fopen(recording, "r");
	cr_assert_not_null(f, "the recording %s", recording);
	size_t cap = 1 << 16, len = 1;
	char *words = malloc(cap), line[8192];
	strcpy(words, " ");
	while (fgets(line, sizeof(line), f)) {
		struct json_object *o = json_tokener_parse(line);
		if (!o)
			continue;
		if (strcmp(jstr(o, "o"), "output") == 0) {
			const char *text = jstr(o, "text");
			size_t n = strlen(text);
			if (len + n + 2 >= cap)
				words = realloc(words, cap = 2 * (cap + n));
			for (const char *p = text; *p; p++)
				words[len++] = *p == '\t' ? ' ' : *p;
			words[len++] = ' ';
			words[len] = '\0';
		}
		json_object_put(o);
	}
	fclose(f);
	return words;
}

/* The output panel's rows of screen s (right of the events panel's "│"),
 * into rows[max] (each malloc'ed); returns how many. */
static int output_rows(const char *s, char **rows, int max)
{
	const char *at = strstr(s, "Program output");
	int n = 0;

	if (!at)
		return 0;
	at = strchr(at, '\n');
	for (const char *line = at ? at + 1 : NULL; line && *line && n < max;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		const char *bar = memmem(line, len, "│", strlen("│"));
		if (!bar)
			break;          /* the caption: the panel is over */
		bar += strlen("│");
		size_t rest = len - (size_t)(bar - line);
		while (rest > 0 && bar[rest - 1] == ' ')
			rest--;
		rows[n++] = strndup(bar, rest);
		line = nl ? nl + 1 : NULL;
	}
	return n;
}

/* The first and last words of row: into first and last (empty when the
 * row is empty). */
static void edge_words(const char *row, char *first, char *last, size_t len)
{
	const char *p = row;
	while (*p == ' ')
		p++;
	size_t n = strcspn(p, " ");
	snprintf(first, len, "%.*s", (int)n, p);
	const char *end = row + strlen(row), *q = end;
	while (q > row && q[-1] != ' ')
		q--;
	snprintf(last, len, "%.*s", (int)(end - q), q);
}

/* Runs a scenario at 80x24, recorded, and checks every screen it showed:
 * where one output row ends and the next begins, both words are whole
 * words of what the program printed ("par" | "ent" is not). */
static void output_wraps_whole_words(const char *scenario)
{
	char rec[128];
	snprintf(rec, sizeof(rec), "/tmp/fs-wrap-%d-%s.jsonl", (int)getpid(), scenario);
	unlink(rec);
	struct tmux tm;
	start(&tm, 80, 24, (const char *const[]){ "--tempo", "0.3", "--record", rec, scenario, NULL });
	char *screens[256];
	int nscreens = 0;
	double deadline = now() + 40;
	for (;;) {
		char *s = screen(&tm);
		bool over = strstr(s, "ENDED") != NULL;
		if (nscreens < 256)
			screens[nscreens++] = s;
		else
			free(s);
		if (over)
			break;
		cr_assert_lt(now(), deadline, "%s did not end", scenario);
		nap();
	}
	quit(&tm, 10);
	char *words = output_words(rec);
	unlink(rec);
	int checked = 0;
	for (int i = 0; i < nscreens; i++) {
		char *rows[32], first[256], last[256], prev_last[256] = "", key[260];
		int n = output_rows(screens[i], rows, 32);
		for (int k = 0; k < n; k++) {
			edge_words(rows[k], first, last, sizeof(first));
			/* the seam between row k-1 and row k */
			if (k > 0 && prev_last[0] && first[0] && has_letter(prev_last) &&
			    has_letter(first)) {
				snprintf(key, sizeof(key), " %s ", prev_last);
				cr_assert(strstr(words, key), "%s: '%s' ends a row but is no word the program "
				          "printed:\n%s", scenario, prev_last, screens[i]);
				snprintf(key, sizeof(key), " %s ", first);
				cr_assert(strstr(words, key), "%s: '%s' begins a row but is no word the "
				          "program printed:\n%s", scenario, first, screens[i]);
				checked++;
			}
			snprintf(prev_last, sizeof(prev_last), "%s", last);
			free(rows[k]);
		}
		free(screens[i]);
	}
	cr_assert_gt(checked, 0, "%s: no seam was seen", scenario);
	free(words);
}

CASE(tui, no_word_cut_where_output_wraps_at_80x24_forks)
{
	output_wraps_whole_words("fork");
	output_wraps_whole_words("getpid");
	output_wraps_whole_words("fork-data");
}

CASE(tui, no_word_cut_where_output_wraps_at_80x24_zombies)
{
	output_wraps_whole_words("zombie");
	output_wraps_whole_words("orphan");
	output_wraps_whole_words("process-join");
}

CASE(tui, no_word_cut_where_output_wraps_at_80x24_queues)
{
	output_wraps_whole_words("pool");
	output_wraps_whole_words("writer-reader");
	output_wraps_whole_words("file-copy");
}

CASE(tui, no_word_cut_where_output_wraps_at_80x24_more)
{
	output_wraps_whole_words("fork-twice");
	output_wraps_whole_words("fork-nested");
	output_wraps_whole_words("threads");
}

CASE(tui, no_word_cut_where_output_wraps_at_80x24_processes)
{
	output_wraps_whole_words("process-terminate");
	output_wraps_whole_words("process-class");
	output_wraps_whole_words("queue");
}

CASE(tui, no_word_cut_where_output_wraps_at_80x24_pools)
{
	output_wraps_whole_words("pool-blocking");
	output_wraps_whole_words("manager-queue");
	output_wraps_whole_words("run-order");
}

/* After m and another demo, forkscope's own row does not show the
 * command line it was started with (the first demo's), and t says on the
 * tree's title that threads are shown, across r. */
CASE(tui, the_root_row_and_the_threads_toggle_say_what_holds_now)
{
	struct tmux tm;
	start(&tm, 100, 30, (const char *const[]){ "--tempo", "0.5", "fork-twice", NULL });
	free(wait_screen(&tm, "child 1", 15));
	TMUX(&tm, "send-keys", "-t", "main", "m");
	free(wait_screen(&tm, "Choose a demo", 5));
	TMUX(&tm, "send-keys", "-t", "main", "t", "h", "Enter");
	char *s = wait_screen(&tm, "child 3", 15);
	char line[512];
	cr_assert(line_with(s, "◆", line, sizeof(line)), "forkscope's row:\n%s", s);
	cr_assert_null(strstr(line, "fork-twice"), "the first demo's command: %s", line);
	cr_assert_null(strstr(s, "threads shown"), "%s", s);
	free(s);
	TMUX(&tm, "send-keys", "-t", "main", "t");
	free(wait_screen(&tm, "threads shown (t hides)", 5));
	TMUX(&tm, "send-keys", "-t", "main", "r");
	/* a new run (its children not forked yet, then forked): the threads
	 * are still shown, and the title says so */
	wait_gone(&tm, "child 3", 10);
	s = wait_screen(&tm, "child 3", 15);
	cr_assert(strstr(s, "threads shown (t hides)"), "%s", s);
	free(s);
	quit(&tm, 10);
}

/* The trial's stumbles at 80x24: a burst of output pushes lines out of the
 * panel before anyone reads them (the title says how many, and ← gets
 * them); the child's rename right after its fork does not take the fork's
 * caption away; Enter after an arrow keeps the details. */
CASE(tui, what_a_class_would_miss_at_80x24_is_said)
{
	struct tmux tm;
	start(&tm, 80, 24, (const char *const[]){ "--tempo", "1", "getpid", NULL });
	/* the child named itself "child" right after the fork: the caption
	 * still tells the fork */
	char *s = wait_screen_both(&tm, "Program output (+", "called fork()", 15);
	free(s);
	TMUX(&tm, "send-keys", "-t", "main", "Down");
	free(wait_screen(&tm, "command:", 5));
	/* Enter, then help and back (keys are taken in order): the details
	 * are still there */
	TMUX(&tm, "send-keys", "-t", "main", "Enter", "?");
	free(wait_screen(&tm, "What the symbols mean", 5));
	TMUX(&tm, "send-keys", "-t", "main", "x");
	wait_gone(&tm, "What the symbols mean", 5);
	s = screen(&tm);
	cr_assert(strstr(s, "command:"), "Enter kept the details:\n%s", s);
	free(s);
	TMUX(&tm, "send-keys", "-t", "main", "Escape");
	wait_gone(&tm, "command:", 5);
	quit(&tm, 10);
}

/* The bomb's wall has no kernel event (a fork() that failed is no process
 * of the tree): the caption tells it from the demo's own EAGAIN line, and
 * what a real bomb does to a machine. */
CASE(tui, the_wall_of_the_bomb_is_in_the_caption_at_80x24)
{
	struct tmux tm;
	start(&tm, 80, 24, (const char *const[]){ "--tempo", "0.5", "fork-wall", NULL });
	char *s = wait_screen_both(&tm, "the bomb hit its wall", "not even a shell to kill it", 30);
	free(s);
	quit(&tm, 10);
}
