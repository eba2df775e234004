/*
 * demo.h - the one small helper shared by the forkscope demos.
 *
 * Contract
 * --------
 * demo_init() must be called first thing in main(), with main's own argc
 * and argv.  It:
 *   - opens forkscope's catalogue for _() in the environment's language
 *     (LC_CTYPE and LC_MESSAGES only: numbers stay "1.5");
 *   - parses the command line:
 *       --tempo X        pause multiplier, a number from 0 to 10, the
 *                        same range forkscope accepts (default 1 =
 *                        classroom pace, 0.2 = five times faster, 0 = no
 *                        pauses at all);
 *       --generations G  rounds of forking, an integer 1..9 (default 5);
 *                        only fork-bomb uses it, the other demos ignore it;
 *       --help           prints a usage text to stdout and exits 0.
 *     "--tempo=X" and "--generations=G" are accepted too.  Anything else
 *     (unknown option, missing value, not a number, out of range) prints
 *     exactly one line to stderr, such as
 *       fork-bomb: --generations must be 1..9 (got '10')
 *     and exits with status 2;
 *   - fills *o with the values;
 *   - makes stdout line buffered, so every line shows up at once even
 *     when stdout is a pipe (forkscope reads it live);
 *   - remembers the argv strings area, for demo_title().
 *
 * demo_sleep(s) sleeps s * tempo seconds (nanosleep in 50 ms slices,
 * restarted when a signal interrupts it), so that time spent stopped by
 * SIGSTOP does not count.  It returns at once when tempo is 0.
 *
 * demo_seconds(s) returns s * tempo: how long demo_sleep(s) really pauses.
 * A demo that tells the viewer about a pause prints this scaled value
 * (as "%.1f s"), never the tempo-1 number written in its code, so that
 * what it says stays true at any --tempo (0.0 s at tempo 0).
 *
 * demo_title(fmt, ...) names the calling process, printf style, in two
 * places that forkscope reads:
 *   - /proc/PID/comm, through prctl(PR_SET_NAME); the kernel keeps at
 *     most 15 characters;
 *   - /proc/PID/cmdline, by overwriting the original argv strings (from
 *     argv[0] to the end of the last argument, one contiguous area) with
 *     the title followed by NUL bytes.  The title is cut to fit that area,
 *     so launch the demos by a path of 16 characters or more (for example
 *     build/demos/fork) to keep every title whole.
 * It works in a child after fork(): the child has its own copy of the
 * area.  After the first call the argv strings are gone: do not read argv
 * after it.  In a multithreaded process it names the calling thread's
 * comm only; the demos call it from the main thread.
 */
#ifndef DEMO_H
#define DEMO_H

#include <libintl.h>

/* A demo's lines in the class's language: _("...") looks the line up in
 * forkscope's catalogue (po/zh_CN.po), which demo_init() opens; the
 * language is the environment's (forkscope --lang sets LANGUAGE for the
 * demos it runs).  Titles (demo_title) are translated too: a class reads
 * "父进程" on the tree.  N_("...") marks a line looked up later. */
#define _(s) gettext(s)
#define N_(s) (s)
/* The same with a count: P_("%d round", "%d rounds", n), the form for n in
 * the class's language (Chinese has one form). */
#define P_(one, many, n) ngettext(one, many, n)

/* The hard limit on --generations: fork-bomb never makes more than
 * 2^DEMO_MAX_GENERATIONS = 512 processes. */
#define DEMO_MAX_GENERATIONS 9

struct demo_opts {
	double tempo;     /* pause multiplier, 0..10 */
	int generations;  /* fork-bomb rounds, 1..DEMO_MAX_GENERATIONS */
};

void demo_init(int argc, char **argv, struct demo_opts *o);
void demo_sleep(double seconds);
double demo_seconds(double seconds);
void demo_title(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
