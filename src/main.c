/*
 * main.c - options, checks, signals; then hands over to a view.
 *
 * Every check on the user's input happens here, before anything is started:
 * a bad option, scenario, number or command, options that do not go
 * together, or a terminal the full-screen view cannot draw on get one line
 * on stderr and exit code 2, with no process left behind.  What fails once
 * the run has begun (no pty, no fork) is the system's doing: exit code 1.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <malloc.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "connector.h"
#include "export.h"
#include "headless.h"
#include "i18n.h"
#include "launcher.h"
#include "limit.h"
#include "pysource.h"
#include "scenarios.h"
#include "session.h"
#include "tui.h"

#ifndef FORKSCOPE_VERSION
#define FORKSCOPE_VERSION "0.1.0"
#endif

enum { EXIT_USAGE = 2 };

/* Set by the signal handlers; the one kind of global the style allows. */
static volatile sig_atomic_t stop_signal;

struct options {
	bool headless, json, list;
	bool projector, ascii;
	enum tui_theme theme;
	long iterations;
	double tempo;
	double interval_ms;
	int generations;                 /* 0: not given */
	int limit;                       /* --limit: 0 not given */
	long memory_mib;                 /* 0: the default */
	long history_secs;               /* 0: as far as memory allows */
	const char *record;              /* --record FILE */
	bool force;
	const char *replay;              /* --replay FILE */
	const char *export;              /* --export FILE.html or FILE.svg */
	const char *live_only;           /* the first option a replay has no use for */
	const char *scenario;
	char **command;                  /* after "--" */
	const char *screen_only;         /* the first full-screen option given, or NULL */
	enum session_events events;      /* --events */
	long slow_ms;                    /* --slow: 0 off */
	bool no_python_hook;             /* --no-python-hook */
	const char *pid1;                /* --pid1 or --no-pid1, as given; NULL */
	bool all_channels;               /* --all-channels */
	pid_t *attach;                   /* -p PID (repeatable, or a comma list) */
	size_t nattach;
};

/* --help's options, in order: the option as it is typed (never translated)
 * and what it does, its lines broken with "\n" where the language wants
 * them; each line goes after the column of the options. */
enum { HELP_COLUMN = 21 };
static const struct {
	const char *option;
	const char *text;
} help_options[] = {
	/* TRANSLATORS: --help: what an option does, printed after a column of
	 * 21 (the option's name).  Break its lines with \n so that each stays
	 * within 59 columns (a Chinese character takes 2: 29 of them); the
	 * same holds for every option's text below. */
	{ "--theme T", N_("dark (default), light (best on most projectors) or mono") },
	{ "--projector", N_("bold, high contrast, essential columns, larger gaps") },
	{ "--ascii", N_("ASCII symbols only (automatic when the locale is not UTF-8)") },
	{ "--iterations N", N_("end after N screen refreshes (for tests)") },
	/* TRANSLATORS: --help: a line of its own under the four options above
	 * (--theme, --projector, --ascii, --iterations) */
	{ "", N_("(these four are for the full-screen view only)") },
	{ "--headless", N_("print one line per event instead of drawing the screen") },
	{ "--json", N_("print one JSON object per event (implies --headless)") },
	{ "--tempo X", N_("pace of the demo: 1 classroom (default), 0.2 five times\n"
	                  "faster, 0 no pauses (0..10)") },
	{ "--interval MS", N_("how often /proc is read, in milliseconds (10..10000,\n"
	                      "default 100)") },
	{ "--generations G", N_("rounds of the fork-bomb demo: 2^G processes (1..9,\n"
	                        "default 5)") },
	{ "--limit N", N_("fork-bomb unbounded, inside a limit of N processes:\n"
	                  "fork() fails with EAGAIN at N (2..512, default 64)") },
	{ "--memory MIB", N_("keep at most about MIB mebibytes of the run's past\n"
	                     "(events, output, lifelines); the oldest go first\n"
	                     "(4..4096, default 32)") },
	{ "--history SECONDS", N_("how far back a run can be rewound (1..86400; default: as\n"
	                          "far as --memory allows)") },
	{ "--events HOW", N_("how forks, execs and exits are learnt: auto (default: the\n"
	                     "kernel's process connector where it can be opened, else\n"
	                     "polling), connector (or refuse to start), poll (/proc alone)") },
	{ "--slow MS", N_("slow motion: hold the whole tree still for MS milliseconds\n"
	                  "(10..10000) after every fork, exec, exit and rename") },
	{ "--no-python-hook", N_("start Python programs untouched: no multiprocessing\n"
	                         "names, queues counted in bytes (see README)") },
	{ "--all-channels", N_("show multiprocessing's own pipes too (key c; full screen)") },
	{ "--pid1", N_("run the program in a PID namespace of its own, under\n"
	               "forkscope's init: PID 1 adopts and reaps the orphans, and\n"
	               "PIDs are small (default: orphan, zombie, fork-wall)") },
	{ "--no-pid1", N_("no PID namespace: forkscope adopts the orphans itself") },
	{ "--record FILE", N_("write the run to FILE (JSON lines) to replay it later") },
	{ "--force", N_("let --record or --export replace an existing FILE") },
	{ "--replay FILE", N_("play a recording: nothing is started, no signal sent") },
	{ "--export FILE", N_("write the run as FILE.html, a page that replays it in a\n"
	                      "browser, or FILE.svg, its lifelines for slides: from\n"
	                      "--replay REC at once, or when a run ends") },
	{ "-p PID[,PID...]", N_("attach: watch running processes and their descendants\n"
	                        "instead of starting one (repeatable); quitting leaves\n"
	                        "them running") },
	{ "--lang LANG", N_("speak LANG for this run (zh_CN, en...), whatever the\n"
	                    "environment says (LANGUAGE, LC_ALL, LC_MESSAGES, LANG)") },
	{ "--list", N_("list the scenarios and exit") },
	{ "-h, --help", N_("show this help and exit") },
	{ "-V, --version", N_("show the version and exit") },
};

static void usage(FILE *out)
{
	/* TRANSLATORS: --help's first lines.  OPTIONS, SCENARIO, COMMAND and
	 * ARGS stand for what the user writes there: they may be translated;
	 * keep the second line's "forkscope" under the first's. */
	fputs(_("usage: forkscope [OPTIONS] [SCENARIO]\n"
	        "       forkscope [OPTIONS] -- COMMAND [ARGS...]\n"), out);
	fputc('\n', out);
	/* TRANSLATORS: --help: lines of at most 80 columns (a Chinese
	 * character takes 2) */
	fputs(_("Launches a teaching demo of Unix processes (or any command) and shows its\n"
	        "process tree live: forks, exits, zombies, orphans, and who reaps whom.\n"
	        "With no scenario, a menu of them opens.\n"), out);
	fputc('\n', out);
	for (size_t i = 0; i < sizeof(help_options) / sizeof(help_options[0]); i++) {
		/* the options are ASCII: bytes are columns here */
		fprintf(out, "  %-*s", HELP_COLUMN - 2, help_options[i].option);
		for (const char *p = _(help_options[i].text); *p; p++) {
			fputc(*p, out);
			if (*p == '\n')
				fprintf(out, "%*s", HELP_COLUMN, "");
		}
		fputc('\n', out);
	}
	fputc('\n', out);
	/* TRANSLATORS: --help's last lines: the commands stay as they are;
	 * keep them under one another */
	fputs(_("Examples: forkscope --headless --tempo 0.5 zombie\n"
	        "          forkscope -p $(pgrep -o bash)\n"
	        "          forkscope --record zombie.jsonl zombie; "
	        "forkscope --replay zombie.jsonl\n"), out);
}

/* One line on stderr, after "forkscope: ". */
__attribute__((format(printf, 1, 0)))
static void vsay(const char *fmt, va_list ap)
{
	fputs("forkscope: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

__attribute__((format(printf, 1, 2)))
static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
}

/* One line on stderr for bad input; returns the exit code for it. */
__attribute__((format(printf, 1, 2)))
static int bad(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
	return EXIT_USAGE;
}

/* Plain decimals only: strtod() would also take " 1", "0x1" and "1e0". */
static bool parse_double(const char *s, double lo, double hi, double *out)
{
	char *end;

	if (!s[0] || strspn(s, "0123456789.") != strlen(s))
		return false;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

static bool parse_int(const char *s, long lo, long hi, long *out);

/* -p's value: one PID or a comma list of them, added to o->attach (each
 * once).  False for anything else. */
static bool parse_pids(const char *arg, struct options *o)
{
	const char *p = arg;

	for (;;) {
		char word[32];
		size_t len = strcspn(p, ",");
		long n;
		if (!len || len >= sizeof(word))
			return false;
		memcpy(word, p, len);
		word[len] = '\0';
		if (!parse_int(word, 1, INT_MAX, &n))
			return false;
		bool known = false;
		for (size_t i = 0; i < o->nattach && !known; i++)
			known = o->attach[i] == (pid_t)n;
		if (!known) {
			pid_t *grown = realloc(o->attach, (o->nattach + 1) * sizeof(*o->attach));
			if (!grown)
				return false;
			o->attach = grown;
			o->attach[o->nattach++] = (pid_t)n;
		}
		if (!p[len])
			return true;
		p += len + 1;
	}
}

static bool parse_int(const char *s, long lo, long hi, long *out)
{
	char *end;

	if (!s[0] || strspn(s, "0123456789") != strlen(s))
		return false;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

static const struct option longopts[] = {
	{ "headless", no_argument, NULL, 'H' },
	{ "json", no_argument, NULL, 'j' },
	{ "tempo", required_argument, NULL, 't' },
	{ "interval", required_argument, NULL, 'i' },
	{ "generations", required_argument, NULL, 'g' },
	{ "limit", required_argument, NULL, 'N' },
	{ "memory", required_argument, NULL, 'M' },
	{ "list", no_argument, NULL, 'l' },
	{ "history", required_argument, NULL, 'S' },
	{ "events", required_argument, NULL, 'E' },
	{ "slow", required_argument, NULL, 'W' },
	{ "no-python-hook", no_argument, NULL, 'Q' },
	{ "pid1", no_argument, NULL, '1' },
	{ "no-pid1", no_argument, NULL, '0' },
	{ "all-channels", no_argument, NULL, 'C' },
	{ "record", required_argument, NULL, 'R' },
	{ "force", no_argument, NULL, 'F' },
	{ "replay", required_argument, NULL, 'Y' },
	{ "export", required_argument, NULL, 'X' },
	{ "theme", required_argument, NULL, 'T' },
	{ "projector", no_argument, NULL, 'P' },
	{ "ascii", no_argument, NULL, 'A' },
	{ "iterations", required_argument, NULL, 'I' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "lang", required_argument, NULL, 'L' },
	{ NULL, 0, NULL, 0 },
};

/* getopt's error, told in words.  word is the argument getopt was reading:
 * a bundle such as "-xh" leaves optind on it, so argv[optind - 1] would be
 * the word before (even argv[0]). */
static int bad_option(int c, const char *word)
{
	if (strncmp(word, "--", 2) != 0) {
		if (!isprint(optopt))
			return bad(_("unknown option in '%s' (see forkscope --help)"), word);
		if (c == ':')
			return bad(_("option '-%c' needs a value (see forkscope --help)"), optopt);
		return bad(_("unknown option '-%c' (see forkscope --help)"), optopt);
	}
	/* the name without its "=value" */
	size_t len = strcspn(word + 2, "=");
	int shown = len ? (int)len + 2 : (int)strlen(word);
	if (c == ':')
		return bad(_("option '%.*s' needs a value (see forkscope --help)"), shown, word);
	/* getopt names the option in optopt only when it was known but given
	 * a value it does not take ("--json=1") */
	if (optopt)
		return bad(_("option '%.*s' takes no value (see forkscope --help)"), shown, word);
	const char *first = NULL, *second = NULL;
	for (const struct option *lo = longopts; lo->name && len; lo++)
		if (strncmp(lo->name, word + 2, len) == 0) {
			if (!first)
				first = lo->name;
			else if (!second)
				second = lo->name;
		}
	if (second)
		return bad(_("option '%.*s' could be --%s or --%s (write more of its name)"),
		           shown, word, first, second);
	return bad(_("unknown option '%.*s' (see forkscope --help)"), shown, word);
}

/* Remembers the first option given that only the full-screen view uses. */
static void screen_option(struct options *o, const char *name)
{
	if (!o->screen_only)
		o->screen_only = name;
}

/* Options that each make sense alone but not together. */
static int check_conflicts(int argc, char **argv, const struct options *o)
{
	if (o->list && optind < argc)
		return bad(_("--list takes no scenario or command, but '%s' was given (run "
		           "forkscope --list alone, then forkscope SCENARIO)"), argv[optind]);
	if (o->list && (o->replay || o->record || o->export))
		return bad(_("--list prints the scenarios, so it does not go with %s (run "
		           "forkscope --list alone)"),
		           o->replay ? "--replay" : o->record ? "--record" : "--export");
	if (o->list && o->headless)
		return bad(_("--list prints a plain list of the scenarios, so it does not go with "
		           "%s (run forkscope --list alone)"), o->json ? "--json" : "--headless");
	if (o->headless && o->screen_only)
		return bad(_("%s is for the full-screen view, so it does not go with %s (drop one "
		           "of them)"), o->screen_only, o->json ? "--json" : "--headless");
	if (o->replay && o->record)
		return bad("%s", _("--replay plays a recording and --record makes one: use one of "
		           "them (to copy a recording, copy the file)"));
	if (o->replay && optind < argc)
		return bad(_("--replay plays what the recording holds, so '%s' is not run "
		           "(drop it, or drop --replay)"), argv[optind]);
	if (o->replay && o->live_only)
		return bad(_("%s is about a live run, and a replay keeps "
		           "the recording's (drop it)"),
		           o->live_only);
	if (o->nattach && o->replay)
		return bad("%s", _("-p watches running processes and --replay plays a "
		           "recording: use one of them"));
	if (o->nattach && optind < argc)
		return bad(_("-p watches running processes, so '%s' is not started (drop it to "
		           "attach, or drop -p to start it)"), argv[optind]);
	if (o->nattach && o->slow_ms)
		return bad("%s", _("--slow stops the tree after every event, and processes "
		           "attached with -p are not forkscope's to stop: drop --slow "
		           "(space pauses, after asking)"));
	if (o->nattach && o->pid1)
		return bad(_("%s is about a program forkscope starts, and -p watches running "
		           "processes: drop %s"), o->pid1, o->pid1);
	if (o->nattach && o->generations)
		return bad("%s", _("--generations is for the fork-bomb scenario, not for -p"));
	if (o->limit && o->nattach)
		return bad("%s", _("--limit is for the fork-bomb scenario, not for -p"));
	if (o->limit && o->generations)
		return bad("%s", _("--generations counts the bounded bomb's rounds and --limit "
		           "runs it unbounded against a wall: use one of them"));
	if (o->limit && optind >= argc && !o->replay && !o->list)
		return bad("%s", _("--limit is for the fork-bomb scenario: name it (forkscope "
		           "--limit 64 fork-bomb)"));
	if (o->force && !o->record && !o->export)
		return bad("%s", _("--force only lets --record or --export replace a "
		           "file: give --record FILE or --export FILE too"));
	if (o->export && optind >= argc && !o->nattach && !o->replay)
		return bad("%s", _("--export needs a run: a recording (forkscope --export "
		           "zombie.html --replay zombie.jsonl), or a scenario or a command "
		           "(forkscope --export zombie.html zombie)"));
	if (o->export && o->replay && (o->headless || o->screen_only))
		return bad(_("--export with --replay writes the file and shows nothing, so %s "
		           "does not go with it (drop it)"),
		           o->screen_only ? o->screen_only : o->json ? "--json" : "--headless");
	if (o->export && o->record && strcmp(o->export, o->record) == 0)
		return bad("%s", _("--record and --export name the same file: give each its "
		           "own"));
	if (o->record && optind >= argc && !o->nattach)
		return bad("%s", _("--record needs a scenario or a command to record (e.g. "
		           "forkscope --record zombie.jsonl zombie)"));
	return -1;
}

/* Returns -1 when the run should go on, else the exit code. */
static int parse_options(int argc, char **argv, struct options *o)
{
	int c;
	long n;

	o->tempo = 1.0;
	o->interval_ms = 100;
	opterr = 0;
	/* "+": options end at the first word that is not one, so a command's
	 * own options are left alone */
	for (int word = optind; (c = getopt_long(argc, argv, "+:hVp:", longopts, NULL)) != -1;
	     word = optind) {
		switch (c) {
		case 'H': o->headless = true; break;
		case 'j': o->json = o->headless = true; break;
		case 'l': o->list = true; break;
		case 'P':
			o->projector = true;
			screen_option(o, "--projector");
			break;
		case 'A':
			o->ascii = true;
			screen_option(o, "--ascii");
			break;
		case 'T':
			screen_option(o, "--theme");
			if (strcmp(optarg, "dark") == 0)
				o->theme = THEME_DARK;
			else if (strcmp(optarg, "light") == 0)
				o->theme = THEME_LIGHT;
			else if (strcmp(optarg, "mono") == 0)
				o->theme = THEME_MONO;
			else
				return bad(_("--theme is dark, light or mono, not '%s'"), optarg);
			break;
		case 'I':
			screen_option(o, "--iterations");
			if (!parse_int(optarg, 1, 100000000, &n))
				return bad(_("--iterations needs a whole number of "
				           "refreshes, at least 1, not '%s'"), optarg);
			o->iterations = n;
			break;
		case 'E':
			if (!o->live_only)
				o->live_only = "--events";
			if (strcmp(optarg, "auto") == 0)
				o->events = EVENTS_AUTO;
			else if (strcmp(optarg, "connector") == 0)
				o->events = EVENTS_CONNECTOR;
			else if (strcmp(optarg, "poll") == 0)
				o->events = EVENTS_POLL;
			else
				return bad(_("--events is auto, connector or poll, not '%s'"),
				           optarg);
			break;
		case 'W':
			if (!o->live_only)
				o->live_only = "--slow";
			if (!parse_int(optarg, 10, 10000, &n))
				return bad(_("--slow needs whole milliseconds from 10 to 10000, "
				           "not '%s' (500 lets a class follow each step)"), optarg);
			o->slow_ms = n;
			break;
		case 'Q':
			if (!o->live_only)
				o->live_only = "--no-python-hook";
			o->no_python_hook = true;
			break;
		case '1':
		case '0':
			if (!o->live_only)
				o->live_only = c == '1' ? "--pid1" : "--no-pid1";
			if (o->pid1 && strcmp(o->pid1, c == '1' ? "--pid1" : "--no-pid1") != 0)
				return bad("%s", _("--pid1 and --no-pid1 say opposite things: "
				           "give one of them"));
			o->pid1 = c == '1' ? "--pid1" : "--no-pid1";
			break;
		case 'C':
			/* the screen's: the events never tell multiprocessing's own pipes */
			screen_option(o, "--all-channels");
			o->all_channels = true;
			break;
		case 'S':
			if (!parse_int(optarg, 1, 86400, &n))
				return bad(_("--history needs whole seconds "
				           "from 1 to 86400, not '%s'"), optarg);
			o->history_secs = n;
			break;
		case 'R':
			if (o->record)
				return bad(_("--record is given twice ('%s' and "
				           "'%s'): record to one file"),
				           o->record, optarg);
			if (!optarg[0])
				return bad("%s", _("--record needs a file name"));
			o->record = optarg;
			break;
		case 'F':
			o->force = true;
			break;
		case 'X':
			if (o->export)
				return bad(_("--export is given twice ('%s' and "
				           "'%s'): export to one file"),
				           o->export, optarg);
			if (!optarg[0])
				return bad("%s", _("--export needs a file name (FILE.html or FILE.svg)"));
			o->export = optarg;
			break;
		case 'Y':
			if (o->replay)
				return bad(_("--replay is given twice ('%s' and "
				           "'%s'): play one recording"),
				           o->replay, optarg);
			if (!optarg[0])
				return bad("%s", _("--replay needs a recording's file name"));
			o->replay = optarg;
			break;
		case 't':
			if (!o->live_only)
				o->live_only = "--tempo";
			if (!parse_double(optarg, 0, 10, &o->tempo))
				return bad(_("--tempo needs a number from 0 to 10, not '%s' "
				           "(1 is classroom pace, 0.2 five times faster)"), optarg);
			break;
		case 'i':
			if (!o->live_only)
				o->live_only = "--interval";
			if (!parse_int(optarg, 10, 10000, &n))
				return bad(_("--interval needs whole milliseconds "
				           "from 10 to 10000, not '%s'"), optarg);
			o->interval_ms = (double)n;
			break;
		case 'g':
			if (!o->live_only)
				o->live_only = "--generations";
			if (!parse_int(optarg, 1, 9, &n))
				return bad(_("--generations needs a whole number from 1 to 9, not "
				           "'%s' (9 already makes 512 processes)"), optarg);
			o->generations = (int)n;
			break;
		case 'N':
			if (!o->live_only)
				o->live_only = "--limit";
			if (!parse_int(optarg, LIMIT_MIN, LIMIT_MAX, &n))
				return bad(_("--limit needs a whole number of processes from %d to "
				           "%d, not '%s' (64 shows the wall well)"),
				           LIMIT_MIN, LIMIT_MAX, optarg);
			o->limit = (int)n;
			break;
		case 'M':
			if (!o->live_only)
				o->live_only = "--memory";
			if (!parse_int(optarg, 4, 4096, &n))
				return bad(_("--memory needs whole mebibytes from 4 to 4096, not "
				           "'%s' (32 keeps any classroom demo whole)"), optarg);
			o->memory_mib = n;
			break;
		case 'p':
			if (!parse_pids(optarg, o))
				return bad(_("-p needs process IDs, one or a comma list (e.g. -p "
				           "1234 or -p 12,34), not '%s'"), optarg);
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("forkscope %s\n", FORKSCOPE_VERSION);
			return 0;
		case 'L':
			/* i18n_init() has taken it already (i18n_lang_arg()) */
			if (!i18n_lang_ok(optarg))
				return bad(_("--lang needs a language such "
				           "as zh_CN or en, not '%s'"),
				           optarg);
			break;
		default:   /* '?' and ':' */
			return bad_option(c, argv[word]);
		}
	}
	int rc = check_conflicts(argc, argv, o);
	if (rc >= 0 || o->list)
		return rc;
	if (optind > 1 && strcmp(argv[optind - 1], "--") == 0) {
		if (optind >= argc)
			return bad("%s", _("nothing to run after '--' "
			           "(e.g. forkscope -- sleep 3)"));
		o->command = &argv[optind];
		if (o->generations)
			return bad("%s", _("--generations is for the "
			           "fork-bomb scenario, not a command"));
		if (o->limit)
			return bad("%s", _("--limit is for the fork-bomb "
			           "scenario, not a command"));
		return -1;
	}
	if (optind >= argc) {
		if (o->replay || o->nattach)
			return -1;
		if (o->headless)
			return bad("%s", _("no scenario given (try: forkscope --list, "
			           "or forkscope -- COMMAND)"));
		return -1;   /* the menu */
	}
	if (optind + 1 < argc)
		return bad(_("unexpected '%s' after the scenario (to run a command: "
		           "forkscope -- COMMAND ARGS)"), argv[optind + 1]);
	o->scenario = argv[optind];
	return -1;
}

/* What exec would refuse in path, found before anything starts, so that
 * it is bad input (exit code 2) like a name that is not found.  The kernel
 * runs an ELF file or a script whose #! line names an interpreter; nothing
 * else, since no shell steps in here (launcher.h).  The wording follows
 * launcher.c's for the same failures at exec time.  A file that may be
 * executed but not read is left to exec. */
static bool check_program(const char *path, char *why, size_t whylen)
{
	/* BINPRM_BUF_SIZE: all of a #! line the kernel reads */
	char head[256], interp[sizeof(head)];
	ssize_t n;

	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return true;
	do
		n = read(fd, head, sizeof(head));
	while (n < 0 && errno == EINTR);
	close(fd);
	if (n < 0)
		return true;
	if (n >= 4 && memcmp(head, "\177ELF", 4) == 0)
		return true;
	if (n < 2 || head[0] != '#' || head[1] != '!') {
		/* TRANSLATORS: why a program cannot be run, said after "cannot
		 * run 'NAME': " (as the reasons below) */
		snprintf(why, whylen, "%s", _("it is not a program (a script needs a #! line)"));
		return false;
	}
	/* as the kernel parses it: blanks, then the interpreter up to a blank
	 * or the end of the line */
	ssize_t i = 2;
	while (i < n && (head[i] == ' ' || head[i] == '\t'))
		i++;
	ssize_t start = i;
	while (i < n && head[i] != ' ' && head[i] != '\t' && head[i] != '\n' && head[i] != '\0')
		i++;
	if (i == start) {
		snprintf(why, whylen, "%s",
		         _("its #! line names no interpreter (write one, e.g. #!/bin/sh)"));
		return false;
	}
	if (i == n && n == (ssize_t)sizeof(head)) {
		snprintf(why, whylen, _("the interpreter on its #! line is longer than the %zu "
		         "bytes the kernel reads (use a shorter path)"), sizeof(head));
		return false;
	}
	memcpy(interp, head + start, (size_t)(i - start));
	interp[i - start] = '\0';
	struct stat st;
	if (stat(interp, &st) != 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			snprintf(why, whylen, _("the interpreter on its #! line is missing "
			         "(%.100s: install it, or fix the line)"), interp);
		else
			snprintf(why, whylen, _("the interpreter on its #! line, %.100s, cannot be "
			         "reached (%s)"), interp, strerror(errno));
		return false;
	}
	if (!S_ISREG(st.st_mode) || access(interp, X_OK) != 0) {
		snprintf(why, whylen, _("the interpreter on its #! line, %.100s, is not a program "
		         "it can run (fix the line)"), interp);
		return false;
	}
	return true;
}

static void on_stop(int sig)
{
	stop_signal = sig;
}

/* A crash must not leave the demo running: kill the tree, then die of the
 * same signal. */
static void on_fatal(int sig)
{
	/* the terminal first: killing may block on a process stuck in the kernel */
	tui_emergency_restore();
	launcher_kill_all();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;    /* no SA_RESTART: the wait in poll() ends early */
	sigemptyset(&sa.sa_mask);
	/* every signal whose default would end forkscope on the spot ends it
	 * the orderly way instead: tree killed, terminal restored */
	static const int stops[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2,
	                             SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU, SIGXFSZ };
	for (size_t i = 0; i < sizeof(stops) / sizeof(stops[0]); i++)
		sigaction(stops[i], &sa, NULL);
	sa.sa_handler = on_fatal;
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
	sigaction(SIGILL, &sa, NULL);
	sigaction(SIGABRT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* forkscope reaps with waitpid(): an inherited "ignore" would make the
	 * kernel reap its children for it, status and all */
	signal(SIGCHLD, SIG_DFL);
}

static void list_scenarios(void)
{
	size_t n;
	const struct scenario *sc = scenario_all(&n);

	int width = 0;
	for (size_t i = 0; i < n; i++)
		if ((int)strlen(sc[i].name) > width)
			width = (int)strlen(sc[i].name);
	for (size_t i = 0; i < n; i++)
		printf("%-*s  %s\n", width, sc[i].name, _(sc[i].description));
}

/* The connector's socket buffer, in bytes, when a test asks for a small
 * one to overflow it (FORKSCOPE_TEST_CONNECTOR_BUFFER); 0: forkscope's. */
static int test_connector_buffer(void)
{
	const char *v = getenv("FORKSCOPE_TEST_CONNECTOR_BUFFER");
	long n;

	return v && parse_int(v, 1, 1 << 30, &n) ? (int)n : 0;
}

/* Writes the export of the recording rec and says where it went; exit
 * code 0, or 1 when it could not be written (out is gone either way). */
static int write_export(struct export_out *out, const char *path, const char *rec)
{
	char err[1024];
	size_t bytes = 0;
	enum export_kind kind = EXPORT_HTML;

	export_kind_of(path, &kind);
	if (!export_write(out, rec, &bytes, err, sizeof(err))) {
		fprintf(stderr, "forkscope: %s\n", err);
		return 1;
	}
	if (kind == EXPORT_HTML)
		/* TRANSLATORS: after --export FILE.html; %zu is its size in KiB */
		say(_("the run is in %s (%zu KiB): open it in a browser, no network needed"), path,
		    (bytes + 1023) / 1024);
	else
		/* TRANSLATORS: after --export FILE.svg */
		say(_("the run's lifelines are in %s: a drawing for slides"), path);
	return 0;
}

/* A live run to export and not recorded by the user's --record is
 * recorded to a file of its own in a new temporary folder, removed once the
 * export is written.  False, with one line in err, when the folder cannot
 * be made. */
static bool temp_recording(char *dir, size_t dirlen, char *file, size_t filelen, char *err,
                           size_t errlen)
{
	const char *tmp = getenv("TMPDIR") && getenv("TMPDIR")[0] ? getenv("TMPDIR") : "/tmp";

	snprintf(dir, dirlen, "%s/forkscope-export-XXXXXX", tmp);
	if (!mkdtemp(dir)) {
		snprintf(err, errlen, _("cannot make a folder in %s for the run to export: %s (set "
		         "TMPDIR to a folder you may write to)"), tmp, strerror(errno));
		dir[0] = '\0';
		return false;
	}
	snprintf(file, filelen, "%s/run.jsonl", dir);
	return true;
}

static void remove_temp_recording(const char *dir, const char *file)
{
	if (file[0])
		unlink(file);
	if (dir[0])
		rmdir(dir);
}

/* The run the options ask for; its exit code.  o's memory is main()'s. */
static int run(const struct options *given)
{
	struct options o = *given;
	char err[512], program[PATH_MAX];
	struct launch launch;
	char **run_argv;
	int rc;

	if (o.list) {
		list_scenarios();
		return 0;
	}

	/* every PID to attach to is there and may be watched, before anything */
	for (size_t i = 0; i < o.nattach; i++)
		if (!session_attach_check(o.attach[i], err, sizeof(err)))
			return bad("%s", err);

	if (o.scenario) {
		const struct scenario *sc = scenario_find(o.scenario);
		if (!sc)
			return bad(_("unknown scenario '%s' (try: forkscope --list)"), o.scenario);
		if (o.generations && !sc->generations)
			return bad(_("--generations is for the fork-bomb scenario, not '%s'"),
			           sc->name);
		if (o.limit && !scenario_with_limit(sc))
			return bad(_("--limit is for the fork-bomb scenario, not '%s'"), sc->name);
		/* --limit N fork-bomb is the unbounded bomb, fork-wall */
		if (o.limit)
			sc = scenario_with_limit(sc);
		o.scenario = sc->name;
		/* a wall that cannot be built is refused before anything starts */
		char why[1024];
		if (scenario_limit(sc, o.limit) && !limit_check(why, sizeof(why)))
			return bad("%s", why);
		if (!scenario_launch(sc, o.tempo, o.generations, &launch, err, sizeof(err))) {
			fprintf(stderr, "forkscope: %s\n", err);
			return 1;
		}
		run_argv = launch.argv;
	} else if (o.command) {
		char why[512];
		if (!launcher_resolve(o.command[0], program, sizeof(program), why, sizeof(why)) ||
		    !check_program(program, why, sizeof(why)))
			return bad(_("cannot run '%s': %s"), o.command[0], why);
		run_argv = o.command;
	} else {
		run_argv = NULL;   /* the menu, or a replay */
	}
	struct session_opts so;
	session_opts_init(&so, o.interval_ms / 1000.0, (size_t)o.memory_mib << 20,
	                  (double)o.history_secs);
	so.scenario = o.scenario;
	so.tempo = o.tempo;
	so.fast = o.headless;
	so.events = o.events;
	so.slow = (double)o.slow_ms / 1000.0;
	so.python_hook = !o.no_python_hook;
	so.limit = scenario_limit(o.scenario ? scenario_find(o.scenario) : NULL, o.limit);
	so.pid1 = !o.pid1 ? PID1_AUTO : strcmp(o.pid1, "--pid1") == 0 ? PID1_ON : PID1_OFF;
	/* A PID namespace the kernel will not give (no user namespaces in a
	 * container): one line, before the screen, and the run goes on with
	 * forkscope as the subreaper, as without --pid1 */
	bool may_pid1 = so.pid1 == PID1_ON ||
	                (so.pid1 == PID1_AUTO && (!o.scenario || scenario_pid1(o.scenario)) &&
	                 !o.command);
	char why[320] = "";
	if (!o.replay && !o.nattach && may_pid1) {
		if (!launcher_pid1_possible(why, sizeof(why))) {
			say(_("no PID namespace of its own: %s; orphans go to forkscope, a "
			      "subreaper, instead of PID 1 (--no-pid1 skips this check)"), why);
			so.pid1 = PID1_OFF;
		} else {
			why[0] = '\0';
		}
	}
	/* forkscope without its hook (a copied binary, a partial install):
	 * Python programs run unnamed, and the user is told (after the
	 * screen, which would hide it) */
	char hook_dir[PATH_MAX], no_hook[PATH_MAX + 400] = "";
	if (so.python_hook && !o.replay && !o.nattach &&
	    !pysource_hook_dir(FORKSCOPE_DEMODIR, hook_dir, sizeof(hook_dir))) {
		so.python_hook = false;
		snprintf(no_hook, sizeof(no_hook), _("the Python hook is not installed "
		         "(%s/sitecustomize.py): Python programs ran without their multiprocessing "
		         "names (make, or make install, puts it there)"), hook_dir);
		if (o.headless)
			fprintf(stderr, "forkscope: %s\n", no_hook);
	}
	so.connector_buffer = test_connector_buffer();
	/* a connector that cannot be had is refused before anything starts */
	if (!o.replay && o.events == EVENTS_CONNECTOR) {
		struct connector *probe = connector_open(getpid(), so.connector_buffer, err, 320);
		if (!probe)
			return bad(_("--events connector: the kernel's process events cannot be "
			           "followed here: %s (use --events poll or auto)"), err);
		connector_free(probe);
	}
	if (o.replay) {
		/* the whole recording is read and checked before anything is shown */
		struct session *check = session_replay(o.replay, &so, err, sizeof(err));
		if (!check)
			return bad("%s", err);
		if (o.export) {
			session_free(check);
			struct export_out *out = export_create(o.export, o.force, err, sizeof(err));
			if (!out)
				return bad("%s", err);
			return write_export(out, o.export, o.replay);
		}
		if (o.headless) {
			install_signals();
			rc = headless_run(check, o.json, &stop_signal);
			session_free(check);
			return rc ? rc : stop_signal ? 128 + stop_signal : 0;
		}
		session_free(check);
	}
	if (!o.headless) {
		if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
			return bad("%s", _("the full-screen view needs a terminal (use --headless "
			           "or --json to print events)"));
		/* A terminal that cannot move its cursor would show a status line
		 * and nothing else.  The cheap cases here; tui_run() asks terminfo
		 * for the rest before it starts anything. */
		const char *term = getenv("TERM");
		if (!term)
			return bad("%s", _("the full-screen view needs TERM to name the "
			           "terminal, and TERM is not set (set it, e.g. "
			           "TERM=xterm-256color, or use --headless)"));
		if (!term[0])
			return bad("%s", _("the full-screen view needs TERM to name the "
			           "terminal, and TERM is empty (set it, e.g. "
			           "TERM=xterm-256color, or use --headless)"));
		if (strcmp(term, "dumb") == 0)
			return bad("%s", _("the full-screen view cannot draw on TERM=dumb (use a "
			           "terminal such as TERM=xterm-256color, or --headless)"));
	}

	/* the last check of the user's input: where the recording goes.  The
	 * file is made now, so a bad path is refused before anything starts. */
	struct rec_writer *writer = NULL;
	struct export_out *exp = NULL;
	char tmpdir[PATH_MAX] = "", tmprec[PATH_MAX + 16] = "";
	if (o.export && !(exp = export_create(o.export, o.force, err, sizeof(err))))
		return bad("%s", err);
	if (exp && !o.record && !temp_recording(tmpdir, sizeof(tmpdir), tmprec, sizeof(tmprec), err,
	                                        sizeof(err))) {
		export_abandon(exp);
		fprintf(stderr, "forkscope: %s\n", err);
		return 1;
	}
	const char *record = o.record ? o.record : tmprec[0] ? tmprec : NULL;
	if (record && !(writer = rec_create(record, o.force && o.record, err, sizeof(err)))) {
		export_abandon(exp);
		remove_temp_recording(tmpdir, "");
		return bad("%s", err);
	}
	so.record = writer;

	/* An attached run starts nothing and adopts nothing: forkscope is no
	 * subreaper then, and has no tree of its own to kill on the way out. */
	if (!o.nattach && !launcher_become_subreaper(err, sizeof(err))) {
		fprintf(stderr, "forkscope: %s\n", err);
		rec_close(writer, NULL, 0);    /* before its header: nothing is left */
		export_abandon(exp);
		remove_temp_recording(tmpdir, "");
		return 1;
	}
	/* An error exit, or die() after out of memory, still kills the tree. */
	if (!o.nattach)
		atexit(launcher_kill_all);
	install_signals();

	if (!o.headless) {
		struct tui_opts to = {
			.scenario = o.scenario,
			.command = o.command,
			.tempo = o.tempo,
			.interval = o.interval_ms / 1000.0,
			.generations = o.generations,
			.limit = o.limit,
			.theme = getenv("NO_COLOR") && getenv("NO_COLOR")[0] ? THEME_MONO : o.theme,
			.projector = o.projector,
			.ascii = o.ascii || strcmp(nl_langinfo(CODESET), "UTF-8") != 0,
			.iterations = o.iterations,
			.memory = (size_t)o.memory_mib << 20,
			.history_secs = (double)o.history_secs,
			.replay = o.replay,
			.record = writer,
			.events = so.events,
			.slow = so.slow,
			.connector_buffer = so.connector_buffer,
			.python_hook = so.python_hook,
			.pid1 = so.pid1,
			.pid1_refused = why[0] ? why : NULL,
			.all_channels = o.all_channels,
			.attach = o.attach,
			.nattach = o.nattach,
		};
		rc = tui_run(&to, &stop_signal);
		if (no_hook[0] && rc != 2)
			fprintf(stderr, "forkscope: %s\n", no_hook);
		/* where the run went, once the screen is gone */
		if (o.record && rc != 2)
			say(_("the run is recorded in %s (replay it with: forkscope --replay %s)"),
			    o.record, o.record);
		/* the run has ended: its export, from the whole recording */
		if (exp && rc != 2) {
			int erc = write_export(exp, o.export, record);
			rc = rc ? rc : erc;
		} else {
			export_abandon(exp);
		}
		remove_temp_recording(tmpdir, tmprec);
		/* 2: a terminal it cannot use, found before anything started (bad
		 * input, like TERM=dumb above); 1: a process it could not end */
		if (rc != 0)
			return rc;
		if (stop_signal)
			return 128 + stop_signal;
		return 0;
	}

	/* The user's command was checked above; what fails now (no pty, no
	 * fork) is the system's doing, not bad input. */
	struct session *s = o.nattach ? session_attach(o.attach, o.nattach, &so, err, sizeof(err))
	                              : session_start(run_argv, &so, err, sizeof(err));
	if (!s) {
		fprintf(stderr, "forkscope: %s\n", err);
		export_abandon(exp);
		remove_temp_recording(tmpdir, tmprec);
		return 1;
	}
	/* the kernel gave a namespace to the check above, not to the run */
	const char *refused = NULL;
	if (!session_pid1(s, &refused) && refused && refused[0])
		say(_("no PID namespace of its own: %s; orphans go to forkscope, a "
		      "subreaper, instead of PID 1 (--no-pid1 skips this check)"), refused);
	rc = headless_run(s, o.json, &stop_signal);
	char left[1024];
	if (session_survivors(s, left, sizeof(left)) > 0) {
		say(_("could not end %s"), left);
		rc = 1;
	}
	bool recorded = session_close_record(s, err, sizeof(err));
	if (!recorded) {
		fprintf(stderr, "forkscope: %s: %s\n", record, err);
		rc = 1;
	}
	session_free(s);
	if (exp && recorded) {
		int erc = write_export(exp, o.export, record);
		rc = rc ? rc : erc;
	} else {
		export_abandon(exp);
	}
	remove_temp_recording(tmpdir, tmprec);
	if (rc == 1)
		return 1;
	if (stop_signal)
		return 128 + stop_signal;
	return rc;
}

int main(int argc, char **argv)
{
	struct options o;

	memset(&o, 0, sizeof(o));
	/* Large blocks (the journal's lines and checkpoints, the records, the
	 * history's blocks) straight from the system and back to it when freed.
	 * glibc would otherwise raise this threshold the first time such a block
	 * is freed and take the next ones from the heap, where what they leave
	 * when freed lies idle among smaller ones: after bench_cost's storm with
	 * --memory 4, 1.9 MiB idle there and a peak 1.3 MiB higher (measured).
	 * And what is freed at the top of the heap goes back to the system past
	 * 64 KiB, with no padding kept for the next growth (glibc keeps 128 KiB
	 * and pads 128 KiB): after the same storm, 0.75 MiB less at the peak. */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	mallopt(M_TRIM_THRESHOLD, 64 * 1024);
	mallopt(M_TOP_PAD, 0);
	setlocale(LC_ALL, "");
	const char *lang = i18n_lang_arg(argc, argv);
	i18n_init(i18n_lang_ok(lang) ? lang : NULL);
	int rc = parse_options(argc, argv, &o);
	if (rc < 0)
		rc = run(&o);
	free(o.attach);     /* the PIDs of -p, on every way out */
	return rc;
}
