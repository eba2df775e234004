/*
 * demo.c - the shared helper of the forkscope demos; see demo.h for the
 * contract.
 */
#include "demo.h"

#include <errno.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef FORKSCOPE_LOCALEDIR
#define FORKSCOPE_LOCALEDIR "/usr/local/share/locale"
#endif

/*
 * The helper keeps the tempo and the argv area in a static struct.  The
 * demos are tiny programs with one job each, so this is simpler than
 * handing a context to every demo_sleep() and demo_title() call.  After
 * fork() each process has its own copy of it, like of everything else.
 */
static struct {
	double tempo;       /* pause multiplier */
	char *area;         /* start of the argv strings (argv[0]) */
	size_t area_len;    /* bytes from argv[0] to the last argument's NUL */
	const char *prog;   /* program name for error messages */
} state = { .tempo = 1.0, .prog = "demo" };

/* Print one error line to stderr and exit 2: the usual code for bad usage. */
static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", state.prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static void usage(void)
{
	printf(_("usage: %s [--tempo X] [--generations G]\n"
	       "  --tempo X        pause multiplier from 0 to 10 (default 1):\n"
	       "                   1 = classroom pace, 0.2 = five times faster,\n"
	       "                   0 = no pauses\n"
	       "  --generations G  rounds of forking, 1..%d (default 5);\n"
	       "                   only fork-bomb uses it\n"
	       "  --help           show this text\n"),
	       state.prog, DEMO_MAX_GENERATIONS);
	exit(0);
}

/*
 * If argv[*i] is the option `name`, return its value: either the text after
 * "name=" or the next argument (then *i moves past it).  Return NULL if
 * argv[*i] is some other option.
 */
static const char *option_value(const char *name, int argc, char **argv, int *i)
{
	const char *arg = argv[*i];
	size_t n = strlen(name);

	if (strncmp(arg, name, n) != 0)
		return NULL;
	if (arg[n] == '=')
		return arg + n + 1;
	if (arg[n] != '\0')
		return NULL;            /* e.g. "--tempox": not this option */
	if (*i + 1 >= argc)
		fail(_("%s needs a value"), name);
	*i += 1;
	return argv[*i];
}

static double parse_tempo(const char *s)
{
	char *end;
	double t;

	errno = 0;
	t = strtod(s, &end);
	/* The same range as forkscope's own --tempo.
	 * !(t >= 0 && t <= 10) also refuses NaN. */
	if (end == s || *end != '\0' || errno != 0 || !(t >= 0 && t <= 10))
		fail(_("--tempo must be a number from 0 to 10 (got '%s')"), s);
	return t;
}

static int parse_generations(const char *s)
{
	char *end;
	long g;

	errno = 0;
	g = strtol(s, &end, 10);
	if (end == s || *end != '\0' || errno != 0 ||
	    g < 1 || g > DEMO_MAX_GENERATIONS)
		fail(_("--generations must be 1..%d (got '%s')"),
		     DEMO_MAX_GENERATIONS, s);
	return (int)g;
}

/*
 * forkscope --lang zh_CN runs the demos with LANGUAGE=zh_CN, whatever the
 * locale.  gettext() ignores LANGUAGE in the "C" locale, and Chinese is
 * written in UTF-8 only where the character set is UTF-8: then take the
 * language's own UTF-8 locale, else C.UTF-8, as forkscope does for itself
 * (src/i18n.c).  English needs neither.
 */
static void use_language_variable(void)
{
	const char *lang = getenv("LANGUAGE");
	const char *messages = setlocale(LC_MESSAGES, NULL);
	char name[64], chosen[64];

	if (lang == NULL || *lang == '\0' || strncmp(lang, "en", 2) == 0 ||
	    strcmp(lang, "C") == 0 || strcmp(lang, "POSIX") == 0)
		return;
	if (strcmp(nl_langinfo(CODESET), "UTF-8") == 0 && messages != NULL &&
	    strcmp(messages, "C") != 0 && strcmp(messages, "POSIX") != 0)
		return;
	/* the first language of the list, "zh_CN" of "zh_CN:en" */
	snprintf(name, sizeof(name), "%.*s.UTF-8", (int)strcspn(lang, ".@:"), lang);
	if (setlocale(LC_CTYPE, name) != NULL || setlocale(LC_CTYPE, "C.UTF-8") != NULL) {
		/* a copy: the next setlocale() may overwrite the name it gave */
		snprintf(chosen, sizeof(chosen), "%s", setlocale(LC_CTYPE, NULL));
		setlocale(LC_MESSAGES, chosen);
	}
}

/* forkscope's catalogue: build/locale beside build/demos as built, else
 * where make install put it. */
static void demo_language(void)
{
	char exe[PATH_MAX], dir[PATH_MAX + 16];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	struct stat st;

	/* the language only: numbers keep their "1.5" whatever the locale */
	setlocale(LC_CTYPE, "");
	setlocale(LC_MESSAGES, "");
	use_language_variable();
	snprintf(dir, sizeof(dir), "%s", FORKSCOPE_LOCALEDIR);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(dir, sizeof(dir), "%s/../locale", exe);
			if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
				snprintf(dir, sizeof(dir), "%s", FORKSCOPE_LOCALEDIR);
		}
	}
	bindtextdomain("forkscope", dir);
	textdomain("forkscope");
}

void demo_init(int argc, char **argv, struct demo_opts *o)
{
	const char *value;

	demo_language();

	o->tempo = 1.0;
	o->generations = 5;

	if (argc > 0 && argv[0] != NULL) {
		const char *slash = strrchr(argv[0], '/');
		char *end;

		state.prog = slash != NULL ? slash + 1 : argv[0];

		/*
		 * The kernel lays the argv strings out one after another, each
		 * ending in NUL.  Measure that area, stopping early should a
		 * string not follow the previous one (then the rest is not
		 * ours to overwrite).
		 */
		end = argv[0] + strlen(argv[0]) + 1;
		for (int i = 1; i < argc && argv[i] == end; i++)
			end = argv[i] + strlen(argv[i]) + 1;
		state.area = argv[0];
		state.area_len = (size_t)(end - argv[0]);
	}

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0)
			usage();
		else if ((value = option_value("--tempo", argc, argv, &i)) != NULL)
			o->tempo = parse_tempo(value);
		else if ((value = option_value("--generations", argc, argv, &i)) != NULL)
			o->generations = parse_generations(value);
		else
			fail(_("unknown option '%s' (try --help)"), argv[i]);
	}
	state.tempo = o->tempo;

	/*
	 * When stdout is a pipe (forkscope reads the demos' output through
	 * one) stdio would keep whole blocks of text before writing them.
	 * Line buffering writes each line as soon as it ends, so the output
	 * appears live and in the order the processes printed it.
	 */
	setvbuf(stdout, NULL, _IOLBF, 0);
}

double demo_seconds(double seconds)
{
	return seconds * state.tempo;
}

void demo_sleep(double seconds)
{
	/* Sleep in short slices rather than in one go.  A stopped process's
	 * nanosleep() keeps counting wall time, so after forkscope pauses the
	 * demo (SIGSTOP) for a minute, one long sleep would be over the moment
	 * it resumes, and everything due during the pause would happen at once.
	 * With slices, a pause freezes the demo's own clock too: at most one
	 * slice runs on while stopped. */
	const double slice = 0.05;
	double left = demo_seconds(seconds);

	while (left > 0) {
		double s = left < slice ? left : slice;
		struct timespec ts;
		ts.tv_sec = (time_t)s;
		ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
		/* A signal can cut nanosleep short; it then leaves the time still
		 * to sleep in ts, so sleep again for just that. */
		while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
			continue;
		left -= s;
	}
}

/* How many bytes of s, at most max, hold whole UTF-8 characters. */
static size_t whole_chars(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return n;
	n = max;
	/* back over the continuation bytes (10xxxxxx) of a cut character,
	 * and its lead byte */
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return n;
}

void demo_title(const char *fmt, ...)
{
	char title[64];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(title, sizeof title, fmt, ap);
	va_end(ap);

	/*
	 * /proc/PID/cmdline: the kernel reads it straight from the argv area
	 * of our memory, so writing there changes what ps and forkscope see.
	 * The area cannot grow, so cut the title to fit, and fill the rest
	 * with NUL so no piece of the old arguments shows.  It is written
	 * first: the kernel tells watchers of the rename below the moment it
	 * happens, and the whole title is in place by then.
	 */
	if (state.area != NULL && state.area_len > 0) {
		n = whole_chars(title, state.area_len - 1);
		memcpy(state.area, title, n);
		memset(state.area + n, 0, state.area_len - n);
	}

	/* /proc/PID/comm: the kernel keeps 15 bytes.  Cut where a character
	 * ends ("工作进程 1" is 14 bytes, not 15 and a third of "："), so
	 * that comm is the title's start, whole, as forkscope expects. */
	char comm[16];
	n = whole_chars(title, sizeof comm - 1);
	memcpy(comm, title, n);
	comm[n] = '\0';
	prctl(PR_SET_NAME, comm, 0, 0, 0);
}
