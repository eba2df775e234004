/*
 * test_i18n.c - forkscope in the class's language (issue 12): the
 * catalogue is whole, every string of the sources is in it, the language
 * follows the environment and --lang, and the JSON does not change with it.
 *
 * The catalogue checks run the same tools the build does (msgfmt, and
 * xgettext through `make pot POT=...` so that the keywords are the
 * Makefile's); the runs are of the real program, with the environment
 * set for the one case (tests/run-suites sets LANGUAGE=en for the others).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

TestSuite(i18n, .timeout = 120, .fini = helpers_cleanup);

/* Runs argv (a program on PATH) with stdout and stderr into one string;
 * returns its exit code (or 128 + signal, 127 when it did not start). */
static int run_tool(const char *const *argv, char **text)
{
	struct run r;

	run_program(&r, argv, &(struct run_how){ .text = true, .merged = true });
	run_finish(&r, 120);
	int rc = r.status;
	*text = r.out;
	r.out = NULL;
	run_free(&r);
	return rc;
}

CASE(i18n, the_chinese_catalogue_is_whole_and_valid)
{
	char *out;
	const char *argv[] = { "msgfmt", "-c", "--statistics", "-o", "/dev/null",
	                 SOURCE_DIR "/po/zh_CN.po", NULL };
	int rc = run_tool(argv, &out);
	cr_assert_eq(rc, 0, "msgfmt -c: %s", out);
	cr_assert(strstr(out, "translated message"), "%s", out);
	cr_assert_null(strstr(out, "untranslated"), "untranslated messages: %s", out);
	cr_assert_null(strstr(out, "fuzzy"), "fuzzy messages: %s", out);
	free(out);
}

/* Every string the sources mark is translated: a new one without a
 * translation fails here. */
CASE(i18n, every_string_of_the_sources_is_translated)
{
	char pot[] = "/tmp/forkscope-test-XXXXXX.pot";
	int fd = mkstemps(pot, 4);
	cr_assert_geq(fd, 0);
	close(fd);
	char var[sizeof(pot) + 8];
	snprintf(var, sizeof(var), "POT=%s", pot);
	char *out;
	const char *make[] = { "make", "-s", "--no-print-directory", "-C", SOURCE_DIR, "pot", var, NULL };
	int rc = run_tool(make, &out);
	cr_assert_eq(rc, 0, "make pot: %s", out);
	free(out);
	/* msgcmp: each msgid of the sources (the .pot) must be in the .po,
	 * translated and not fuzzy */
	const char *cmp[] = { "msgcmp", SOURCE_DIR "/po/zh_CN.po", pot, NULL };
	rc = run_tool(cmp, &out);
	unlink(pot);
	cr_assert_eq(rc, 0, "strings of the sources not (or not yet) translated in po/zh_CN.po:\n%s",
	             out);
	free(out);
}

/* Whether s holds a character of the CJK Unified Ideographs block. */
static bool has_chinese(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (p[0] >= 0xe4 && p[0] <= 0xe9 && (p[1] & 0xc0) == 0x80 && (p[2] & 0xc0) == 0x80)
			return true;
	return false;
}

static const char *const zh_env[] = { "LANGUAGE", "LC_ALL", "LC_MESSAGES",
                                      "LANG=zh_CN.UTF-8", NULL };

CASE(i18n, the_language_follows_the_environment)
{
	struct run r;
	const char *argv[] = { "--help", NULL };
	run_forkscope_env(&r, 10, argv, zh_env);
	cr_assert_eq(r.status, 0);
	cr_assert(has_chinese(r.out), "LANG=zh_CN.UTF-8: the help is in Chinese:\n%s", r.out);
	cr_assert(strstr(r.out, "--tempo"), "options keep their names");
	run_free(&r);
	/* LANGUAGE comes first */
	const char *const en_first[] = { "LC_ALL", "LC_MESSAGES", "LANG=zh_CN.UTF-8",
	                                 "LANGUAGE=en", NULL };
	run_forkscope_env(&r, 10, argv, en_first);
	cr_assert_eq(r.status, 0);
	cr_assert_not(has_chinese(r.out), "LANGUAGE=en: English:\n%s", r.out);
	run_free(&r);
}

CASE(i18n, lang_overrides_the_environment)
{
	struct run r;
	const char *en[] = { "--lang", "en", "--help", NULL };
	run_forkscope_env(&r, 10, en, zh_env);
	cr_assert_eq(r.status, 0);
	cr_assert_not(has_chinese(r.out), "--lang en in a Chinese environment:\n%s", r.out);
	run_free(&r);
	/* Chinese asked for in a plain "C" environment */
	const char *const c_env[] = { "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG=C", NULL };
	const char *zh[] = { "--lang=zh_CN", "--help", NULL };
	run_forkscope_env(&r, 10, zh, c_env);
	cr_assert_eq(r.status, 0);
	cr_assert(has_chinese(r.out), "--lang zh_CN with LANG=C:\n%s", r.out);
	run_free(&r);
	/* a language with no catalogue: English, no error */
	const char *xx[] = { "--lang", "xx_YY", "--help", NULL };
	run_forkscope_env(&r, 10, xx, zh_env);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_empty(r.err);
	cr_assert_not(has_chinese(r.out), "an unknown language is English:\n%s", r.out);
	run_free(&r);
	/* not a language name at all: one line, exit 2 */
	const char *bad[] = { "--lang", "../x", "zombie", NULL };
	run_forkscope(&r, 10, bad);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "--lang"), "%s", r.err);
	cr_assert_eq(strchr(r.err, '\n'), r.err + strlen(r.err) - 1, "one line: %s", r.err);
	run_free(&r);
}

/* The headless text of a scenario in Chinese: every line forkscope says
 * (not what the demo prints, "| " after the event word) is Chinese, one
 * of them holds word, and any line word2 (the demo's translated title,
 * whole).  The JSON of the scenario, in the same environment, holds no
 * translated word: only the program's own output and names (its titles)
 * may be Chinese. */
static void scenario_in_chinese(const char *name, const char *word, const char *word2)
{
	struct run r;
	const char *text[] = { "--headless", "--tempo", "0.2", name, NULL };
	run_forkscope_env(&r, 60, text, zh_env);
	cr_assert_eq(r.status, 0, "%s", r.err);
	bool found = false, found2 = false;
	size_t lines = 0;
	for (char *line = r.out, *nl; (nl = strchr(line, '\n')); line = nl + 1) {
		*nl = '\0';
		if (!strstr(line, " | ")) {
			lines++;
			cr_assert(has_chinese(line), "%s: a line in English: %s", name, line);
			found |= strstr(line, word) != NULL;
		}
		found2 |= !word2 || strstr(line, word2);
		*nl = '\n';
	}
	cr_assert_gt(lines, 3);
	cr_assert(found, "%s in Chinese says %s:\n%s", name, word, r.out);
	cr_assert(found2, "%s in Chinese shows %s:\n%s", name, word2, r.out);
	run_free(&r);

	const char *json[] = { "--json", "--tempo", "0", name, NULL };
	run_forkscope_env(&r, 60, json, zh_env);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_gt(r.nev, 2);
	for (size_t i = 0; i < r.nev; i++) {
		const char *ev = jstr(r.ev[i], "event");
		if (strcmp(ev, "output") == 0)
			continue;
		/* the program's own names (a demo's title is in the class's
		 * language) are its words, like its output */
		const char *own[] = { "comm", "cmd", "title" };
		for (size_t k = 0; k < sizeof own / sizeof own[0]; k++)
			json_object_object_del(r.ev[i], own[k]);
		const char *line = json_object_to_json_string_ext(r.ev[i], JSON_C_TO_STRING_NOSLASHESCAPE);
		cr_assert_not(has_chinese(line), "JSON is the same in every language: %s", line);
	}
	cr_assert_str_eq(jstr(r.ev[r.nev - 1], "event"), "end");
	run_free(&r);
}

CASE(i18n, zombie_in_chinese)
{
	scenario_in_chinese("zombie", "僵尸进程", "子进程");
}

CASE(i18n, orphan_in_chinese)
{
	scenario_in_chinese("orphan", "孤儿进程", NULL);
}

CASE(i18n, pool_in_chinese)
{
	scenario_in_chinese("pool", "新创建的子进程", "工作进程 1：任务 ");
}

CASE(i18n, queue_in_chinese)
{
	scenario_in_chinese("queue", "队列", NULL);
}

/* The names the Python hook gives a pool's queues ("po tasks") say their
 * part in Chinese; the JSON keeps the program's name. */
CASE(i18n, python_pool_in_chinese)
{
	scenario_in_chinese("py-pool", "进程池", "等待队列 po 任务");
}
