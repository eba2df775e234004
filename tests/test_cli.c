/*
 * test_cli.c - forkscope's command line: listing, help, bad input, the
 * terminal it needs, exit codes, signals.
 *
 * Bad input (options, options that do not go together, a terminal the
 * screen cannot use) must give one line on stderr and exit code 2 with
 * nothing started; a failure of the system once started gives exit code 1;
 * every way out must leave no process behind (checked by CASE).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"

TestSuite(cli, .timeout = 60, .fini = helpers_cleanup);

static size_t count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

CASE(cli, list_names_every_scenario)
{
	struct run r;
	const char *argv[] = { "--list", NULL };
	run_forkscope(&r, 10, argv);
	cr_assert_eq(r.status, 0);
	const char *names[] = { "fork", "getpid", "fork-data", "fork-twice", "fork-nested",
	                        "fork-bomb", "fork-wall", "zombie", "orphan", "threads", "run-order",
	                        "process-join", "process-terminate", "process-class", "pool",
	                        "pool-blocking", "queue", "writer-reader", "manager-queue",
	                        "file-copy", "py-process-join", "py-pool", "py-queue",
	                        "py-writer-reader", "py-manager-queue" };
	size_t n = sizeof(names) / sizeof(names[0]);
	cr_assert_eq(count_lines(r.out), n, "one line per scenario:\n%s", r.out);
	for (size_t i = 0; i < n; i++) {
		char line[64];
		snprintf(line, sizeof(line), "\n%s ", names[i]);
		char *with_nl = NULL;
		cr_assert_gt(asprintf(&with_nl, "\n%s", r.out), 0);
		cr_assert(strstr(with_nl, line), "'%s' is listed", names[i]);
		free(with_nl);
	}
	run_free(&r);
}

CASE(cli, help_and_version)
{
	struct run r;
	const char *help[] = { "--help", NULL };
	run_forkscope(&r, 10, help);
	cr_assert_eq(r.status, 0);
	cr_assert(strstr(r.out, "usage: forkscope"));
	cr_assert(strstr(r.out, "--tempo"));
	run_free(&r);
	const char *version[] = { "--version", NULL };
	run_forkscope(&r, 10, version);
	cr_assert_eq(r.status, 0);
	cr_assert_eq(strncmp(r.out, "forkscope ", 10), 0, "%s", r.out);
	run_free(&r);
	const char *h[] = { "-h", NULL };
	run_forkscope(&r, 10, h);
	cr_assert_eq(r.status, 0);
	cr_assert(strstr(r.out, "usage: forkscope"));
	run_free(&r);
}

/* After one bad invocation: exit 2, one line on stderr holding want,
 * nothing on stdout, nothing started.  Frees r. */
static void check_refused(struct run *r, const char *want)
{
	cr_assert_eq(r->status, 2, "exit code %d; stderr: %s", r->status, r->err);
	cr_assert_eq(count_lines(r->err), 1, "one line on stderr, got:\n%s", r->err);
	cr_assert(strncmp(r->err, "forkscope: ", 11) == 0, "%s", r->err);
	cr_assert(strstr(r->err, want), "stderr '%s' should say '%s'", r->err, want);
	cr_assert_str_eq(r->out, "", "nothing ran, nothing printed");
	run_free(r);
}

static void expect_refused(const char *want, const char *const *argv)
{
	struct run r;
	run_forkscope(&r, 10, argv);
	check_refused(&r, want);
}

/* A new file in /tmp holding text, with mode: the caller unlinks and frees
 * the name. */
static char *temp_file(const char *text, mode_t mode)
{
	char *path = strdup("/tmp/forkscope-test-XXXXXX");
	int fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	chmod(path, mode);
	return path;
}

CASE(cli, the_screen_needs_a_terminal)
{
	/* stdout is a pipe here: the full-screen view refuses, nothing starts */
	const char *argv[] = { "fork", NULL };
	expect_refused("the full-screen view needs a terminal", argv);
}

CASE(cli, unknown_scenario)
{
	const char *argv[] = { "--headless", "forkk", NULL };
	expect_refused("unknown scenario 'forkk' (try: forkscope --list)", argv);
}

CASE(cli, unknown_option)
{
	const char *argv[] = { "--frobnicate", "fork", NULL };
	expect_refused("unknown option '--frobnicate'", argv);
	/* a bundle: getopt is still inside "-xh", not past it */
	const char *a[] = { "-xh", NULL };
	expect_refused("unknown option '-x' (see forkscope --help)", a);
	const char *b[] = { "-x", NULL };
	expect_refused("unknown option '-x' (see forkscope --help)", b);
	const char *c[] = { "--bogus=3", "fork", NULL };
	expect_refused("unknown option '--bogus' (see", c);
	const char *d[] = { "--json=1", "fork", NULL };
	expect_refused("option '--json' takes no value", d);
	const char *e[] = { "--i", "5", "fork", NULL };
	expect_refused("option '--i' could be --interval or --iterations", e);
}

/* Each option alone is fine; together one of them would be ignored. */
CASE(cli, options_that_do_not_go_together)
{
	const char *a[] = { "--json", "--iterations", "5", "fork", NULL };
	expect_refused("--iterations is for the full-screen view, so it does not go with --json", a);
	const char *b[] = { "--headless", "--theme", "light", "fork", NULL };
	expect_refused("--theme is for the full-screen view, so it does not go with --headless", b);
	const char *c[] = { "--projector", "--json", "fork", NULL };
	expect_refused("--projector is for the full-screen view, so it does not go with --json", c);
	const char *d[] = { "--headless", "--ascii", "fork", NULL };
	expect_refused("--ascii is for the full-screen view, so it does not go with --headless", d);
	const char *e[] = { "--list", "zombie", NULL };
	expect_refused("--list takes no scenario or command, but 'zombie' was given", e);
	const char *f[] = { "--list", "--", "sleep", "1", NULL };
	expect_refused("--list takes no scenario or command, but 'sleep' was given", f);
	const char *g[] = { "--list", "--json", NULL };
	expect_refused("--list prints a plain list of the scenarios, so it does not go with --json", g);
}

CASE(cli, bad_numbers)
{
	const char *a[] = { "--tempo", "fast", "fork", NULL };
	expect_refused("--tempo needs a number", a);
	const char *b[] = { "--tempo", "-1", "fork", NULL };
	expect_refused("--tempo needs a number", b);
	const char *c[] = { "--tempo", "nan", "fork", NULL };
	expect_refused("--tempo needs a number", c);
	const char *d[] = { "--interval", "5", "fork", NULL };
	expect_refused("--interval needs whole milliseconds", d);
	const char *e[] = { "--interval", "100ms", "fork", NULL };
	expect_refused("--interval needs whole milliseconds", e);
	const char *f[] = { "--generations", "10", "fork-bomb", NULL };
	expect_refused("--generations needs a whole number from 1 to 9", f);
	const char *g[] = { "--generations", "0", "fork-bomb", NULL };
	expect_refused("--generations needs a whole number from 1 to 9", g);
	const char *h[] = { "--generations", "3", "zombie", NULL };
	expect_refused("--generations is for the fork-bomb scenario", h);
	const char *i[] = { "fork", "--tempo", NULL };
	expect_refused("unexpected '--tempo'", i);
	const char *j[] = { "--tempo", NULL };
	expect_refused("option '--tempo' needs a value", j);
	const char *k[] = { "--tempo", "0x1", "fork", NULL };
	expect_refused("--tempo needs a number", k);
	const char *l[] = { "--generations", " 3", "fork-bomb", NULL };
	expect_refused("--generations needs a whole number", l);
	const char *m[] = { "--theme", "pink", "fork", NULL };
	expect_refused("--theme is dark, light or mono", m);
	const char *n[] = { "--iterations", "0", "fork", NULL };
	expect_refused("--iterations needs a whole number", n);
}

/* --slow and --events, wrong or given to a replay: refused before anything
 * starts.  The command would leave a file behind if it ran. */
CASE(cli, news_options_are_checked_before_anything_starts)
{
	char dir[] = "/tmp/forkscope-test-XXXXXX", marker[64];
	cr_assert_not_null(mkdtemp(dir));
	snprintf(marker, sizeof(marker), "%s/started", dir);
	struct run r[5];
	run_forkscope(&r[0], 10, (const char *const[]){ "--headless", "--json", "--slow", "5", "--",
	              "touch", marker, NULL });
	run_forkscope(&r[1], 10, (const char *const[]){ "--headless", "--json", "--slow", "abc",
	              "--", "touch", marker, NULL });
	run_forkscope(&r[2], 10, (const char *const[]){ "--headless", "--json", "--events", "maybe",
	              "--", "touch", marker, NULL });
	run_forkscope(&r[3], 10, (const char *const[]){ "--headless", "--json", "--replay",
	              "tests/data/zombie.jsonl", "--slow", "300", NULL });
	run_forkscope(&r[4], 10, (const char *const[]){ "--headless", "--json", "--replay",
	              "tests/data/zombie.jsonl", "--events", "poll", NULL });
	bool started = access(marker, F_OK) == 0;
	unlink(marker);
	rmdir(dir);
	check_refused(&r[0], "--slow needs whole milliseconds from 10 to 10000, not '5'");
	check_refused(&r[1], "--slow needs whole milliseconds from 10 to 10000, not 'abc'");
	check_refused(&r[2], "--events is auto, connector or poll, not 'maybe'");
	check_refused(&r[3], "--slow is about a live run");
	check_refused(&r[4], "--events is about a live run");
	cr_assert(!started, "a refused command ran");
}

/* What exec would refuse is found before anything starts, even before the
 * screen is asked for.  The files go before the checks, so a failed check
 * leaves none behind. */
CASE(cli, programs_exec_would_refuse)
{
	char *plain = temp_file("echo hi\n", 0755);
	char *blank = temp_file("#!\necho hi\n", 0755);
	char *text = temp_file("", 0644);
	char line[64];
	snprintf(line, sizeof(line), "#!%s\n", text);
	char *bad_interp = temp_file(line, 0755);
	struct run r[3];
	run_forkscope(&r[0], 10, (const char *const[]){ "--", plain, NULL });
	run_forkscope(&r[1], 10, (const char *const[]){ "--headless", "--", blank, NULL });
	run_forkscope(&r[2], 10, (const char *const[]){ "--json", "--", bad_interp, NULL });
	char *files[] = { plain, blank, text, bad_interp };
	for (size_t i = 0; i < 4; i++) {
		unlink(files[i]);
		free(files[i]);
	}
	/* no --headless: refused for the program, not for the missing terminal */
	check_refused(&r[0], "it is not a program (a script needs a #! line)");
	check_refused(&r[1], "its #! line names no interpreter");
	check_refused(&r[2], "is not a program it can run (fix the line)");
}

CASE(cli, command_that_cannot_run)
{
	const char *a[] = { "--headless", "--", "no-such-command-here", NULL };
	expect_refused("cannot run 'no-such-command-here'", a);
	/* executable, but not a program: no shell may step in */
	char path[] = "/tmp/forkscope-test-XXXXXX";
	int fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, "echo hi\n", 8), 8);
	close(fd);
	chmod(path, 0755);
	const char *b[] = { "--headless", "--", path, NULL };
	expect_refused("it is not a program", b);
	unlink(path);
	const char *e[] = { "--headless", "--", "/tmp", NULL };
	expect_refused("cannot run '/tmp': is a directory", e);
	char script[] = "/tmp/forkscope-test-XXXXXX";
	fd = mkstemp(script);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, "#!/no/such/interpreter\n", 23), 23);
	close(fd);
	chmod(script, 0644);
	const char *f[] = { "--headless", "--", script, NULL };
	expect_refused("is not executable", f);
	chmod(script, 0755);
	expect_refused("the interpreter on its #! line is missing", f);
	unlink(script);
	const char *c[] = { "--headless", "--", NULL };
	expect_refused("nothing to run after '--'", c);
	const char *d[] = { "--headless", NULL };
	expect_refused("no scenario given", d);
	const char *g[] = { NULL };
	expect_refused("the full-screen view needs a terminal", g);
}

/* How to start forkscope where the shared helpers cannot: on a terminal of
 * its own with a chosen TERM, or with few file descriptors. */
struct setup {
	bool tty;              /* stdin and stdout on a new 80x24 pty; stderr stays a pipe */
	const char *term;      /* TERM, or NULL: as inherited */
	bool no_term;          /* TERM removed from the environment */
	const char *terminfo;  /* TERMINFO, or NULL: as inherited */
	rlim_t nofile;         /* the soft RLIMIT_NOFILE, or 0: as inherited */
};

/* The child's descriptors and limits, as su says (run_how's before()). */
static bool set_up(const void *arg)
{
	const struct setup *su = arg;

	/* only 0, 1 and 2: what the runner left open would change the count
	 * of free descriptors */
	close_range(3, ~0U, 0);
	if (su->nofile) {
		struct rlimit rl;
		if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
			return false;
		rl.rlim_cur = su->nofile;
		return setrlimit(RLIMIT_NOFILE, &rl) == 0;
	}
	return true;
}

/* Like run_forkscope(): r->out is what it wrote on stdout (the pty's
 * screen, with tty), r->err its stderr; no JSON is parsed. */
static void run_set_up(struct run *r, const struct setup *su, double timeout,
                       const char *const *argv)
{
	char term[256] = "TERM", terminfo[300] = "TERMINFO";
	if (su->term && !su->no_term)
		snprintf(term, sizeof(term), "TERM=%s", su->term);
	if (su->terminfo)
		snprintf(terminfo, sizeof(terminfo), "TERMINFO=%s", su->terminfo);
	const char *changes[3] = { NULL };
	size_t nc = 0;
	if (su->no_term || su->term)
		changes[nc++] = term;
	if (su->terminfo)
		changes[nc++] = terminfo;
	run_start_how(r, argv, &(struct run_how){ .env = changes, .before = set_up,
	                                          .arg = su, .text = true, .tty = su->tty });
	run_finish(r, timeout);
}

static const char *const on_a_terminal[] = { "--iterations", "3", "fork", NULL };

/* After a run on a terminal that cannot draw the screen: exit 2, one line
 * on stderr holding want and naming --headless, nothing drawn on it. */
static void check_terminal_refused(struct run *r, const char *want)
{
	cr_assert_eq(r->status, 2, "exit code %d; stderr: %s", r->status, r->err);
	cr_assert_eq(count_lines(r->err), 1, "one line on stderr, got:\n%s", r->err);
	cr_assert(strncmp(r->err, "forkscope: ", 11) == 0, "%s", r->err);
	cr_assert(strstr(r->err, want), "stderr '%s' should say '%s'", r->err, want);
	cr_assert(strstr(r->err, "--headless"), "it points to --headless: %s", r->err);
	cr_assert_str_eq(r->out, "", "nothing is drawn on the terminal");
	run_free(r);
}

static void expect_terminal_refused(const struct setup *su, const char *want)
{
	struct run r;
	run_set_up(&r, su, 20, on_a_terminal);
	check_terminal_refused(&r, want);
}

CASE(cli, a_terminal_that_cannot_draw_is_refused)
{
	/* the same run on a terminal that can: the screen is drawn */
	struct setup su = { .tty = true, .term = "xterm-256color" };
	struct run r;
	run_set_up(&r, &su, 20, on_a_terminal);
	cr_assert_eq(r.status, 0, "exit code %d; stderr: %s", r.status, r.err);
	cr_assert(strstr(r.out, "fork"), "the screen is drawn");
	run_free(&r);

	su.term = "dumb";
	expect_terminal_refused(&su, "the full-screen view cannot draw on TERM=dumb "
	                        "(use a terminal such as TERM=xterm-256color, or --headless)");
	su.term = "";
	expect_terminal_refused(&su, "TERM is empty");
	su.term = NULL;
	su.no_term = true;
	expect_terminal_refused(&su, "TERM is not set");
	su.no_term = false;
	su.term = "no-such-terminal-here";
	expect_terminal_refused(&su, "does not know TERM=no-such-terminal-here");
}

/* Not only TERM=dumb: any terminal whose terminfo entry has no cursor
 * addressing (cup), here one made for the test. */
CASE(cli, a_terminal_without_cursor_addressing_is_refused)
{
	char dir[] = "/tmp/forkscope-terminfo-XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	char src[96], cmd[256];
	snprintf(src, sizeof(src), "%s/nocup.ti", dir);
	FILE *f = fopen(src, "w");
	cr_assert_not_null(f);
	fputs("fs-nocup|a terminal that can clear but not move its cursor,\n"
	      "\tam,\n\tcols#80,\n\tlines#24,\n\tbel=^G,\n\tclear=\\E[H\\E[J,\n"
	      "\tcr=\\r,\n\tcud1=\\n,\n\tind=\\n,\n", f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "tic -o %s %s", dir, src);
	int rc = system(cmd);
	if (rc != 0) {
		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		cr_assert_eq(system(cmd), 0);
		cr_assert_fail("tic (ncurses-bin) is needed to make a terminfo entry");
	}
	struct setup su = { .tty = true, .term = "fs-nocup", .terminfo = dir };
	struct run r;
	run_set_up(&r, &su, 20, on_a_terminal);
	/* removed before checking, so a failed check leaves no directory */
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
	check_terminal_refused(&r, "cannot draw on TERM=fs-nocup: it cannot move the cursor");
}

/* Failing to set up the program's terminal is the system's doing, not bad
 * input: exit code 1.  Few descriptors make it fail for real; the lowest
 * limits fail at other steps (each of them must be exit 1 too), until one
 * is enough and the run ends with 0. */
CASE(cli, a_failure_of_the_system_exits_1)
{
	struct setup su = { .nofile = 4 };
	const char *argv[] = { "--json", "--", "/bin/true", NULL };
	bool terminal_failed = false;
	for (; su.nofile <= 64; su.nofile++) {
		struct run r;
		run_set_up(&r, &su, 20, argv);
		if (r.status == 0) {
			run_free(&r);
			break;
		}
		/* not forkscope's: the dynamic loader or a sanitizer's runtime
		 * could not even start it */
		if (strncmp(r.err, "forkscope: ", 11) != 0) {
			run_free(&r);
			continue;
		}
		cr_assert_eq(r.status, 1, "with %d descriptors, exit code %d: %s", (int)su.nofile,
		             r.status, r.err);
		cr_assert_eq(count_lines(r.err), 1, "one line on stderr, got:\n%s", r.err);
		if (strstr(r.err, "terminal (Too many open files)")) {
			terminal_failed = true;
			cr_assert(strstr(r.err, "raise the limit (ulimit -n)"), "it says what to do: %s",
			          r.err);
		}
		run_free(&r);
	}
	cr_assert_leq(su.nofile, 64, "forkscope never ran with up to 64 descriptors");
	cr_assert(terminal_failed, "with few descriptors, opening the program's terminal failed");
}

/* A long demo, interrupted once its tree is up: forkscope must kill and reap
 * all of it, say so in the end event, and exit with 128 + the signal. */
static void interrupt_with(int sig)
{
	struct run r;
	const char *argv[] = { "--json", "--tempo", "1", "fork-bomb", NULL };
	run_start(&r, argv);
	cr_assert(run_read_until(&r, "\"event\":\"spawn\"", 8, 30), "the bomb did not grow:\n%s",
	          r.out);
	kill(r.pid, sig);
	run_finish(&r, 20);
	cr_assert_eq(r.status, 128 + sig, "exit code %d after signal %d", r.status, sig);
	struct json_object *end = r.ev[r.nev - 1];
	cr_assert_str_eq(jstr(end, "event"), "end");
	/* every death was recorded: each spawned process was reaped */
	cr_assert_eq(run_count(&r, "reap"), run_count(&r, "spawn"));
	cr_assert_lt(jnum(end, "seconds"), 12, "stopped early, not at the demo's end");
	cr_assert_geq(jint(end, "killed"), 1, "it says it killed what was still running");
	cr_assert_eq(jint(end, "orphans"), 0, "its own killing makes no orphans");
	run_free(&r);
}

CASE(cli, sigterm_kills_the_whole_tree)
{
	interrupt_with(SIGTERM);
}

CASE(cli, sigint_kills_the_whole_tree)
{
	interrupt_with(SIGINT);
}

CASE(cli, sighup_kills_the_whole_tree)
{
	interrupt_with(SIGHUP);
}

CASE(cli, sigquit_kills_the_whole_tree)
{
	interrupt_with(SIGQUIT);
}

/* Hundreds of children: forkscope's children list is longer than one read
 * of /proc, and all of them must go, no other process touched. */
CASE(cli, a_wide_tree_is_killed_whole)
{
	struct run r;
	const char *argv[] = { "--json", "--", "sh", "-c",
	                       "i=0; while [ $i -lt 700 ]; do sleep 60 & i=$((i+1)); done; "
	                       "echo all-started; wait", NULL };
	run_start(&r, argv);
	/* once forkscope has seen them all */
	cr_assert(run_read_until(&r, "\"event\":\"spawn\"", 701, 60),
	          "the children were not all seen");
	kill(r.pid, SIGTERM);
	run_finish(&r, 60);
	cr_assert_eq(r.status, 128 + SIGTERM);
	struct json_object *end = r.ev[r.nev - 1];
	cr_assert_gt(jint(end, "processes"), 690, "the sleeps were all seen: %ld",
	             jint(end, "processes"));
	run_free(&r);
}

/* Orphans re-parented to forkscope are killed too, not just the root's tree. */
CASE(cli, sigterm_kills_adopted_orphans)
{
	struct run r;
	const char *argv[] = { "--json", "--tempo", "1", "orphan", NULL };
	run_start(&r, argv);
	cr_assert(run_read_until(&r, "\"orphan\":true", 1, 30), "no orphan:\n%s", r.out);
	kill(r.pid, SIGTERM);
	run_finish(&r, 20);
	cr_assert_eq(r.status, 128 + SIGTERM);
	run_free(&r);
}
