/*
 * test_views.c - the real program's views given hostile program text: the
 * text view and the full screen must not pass escapes to the terminal but
 * show them as ^[ and \x9b, and every JSON line must be valid UTF-8
 * (checked with text.c's own strict decoder).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"
#include "tmux.h"
#include "procfs.h"
#include "text.h"

TestSuite(views, .timeout = 60, .fini = helpers_cleanup);

/* Runs forkscope with argv and checks that it ended well. */
static void run_ok(struct run *r, const char *const *argv)
{
	run_forkscope(r, 30, argv);
	cr_assert_eq(r->status, 0, "exit code %d, stderr:\n%s", r->status, r->err);
}

static void assert_no_byte(const struct run *r, unsigned char b, const char *name)
{
	const char *at = memchr(r->out, b, r->olen);

	cr_assert_null(at, "a raw %s reached stdout at byte %td:\n%s", name,
	               at ? at - r->out : 0, r->out);
}

/* Every line of stdout is valid UTF-8 and one JSON object. */
static void assert_json_lines(const struct run *r)
{
	size_t lines = 0;

	for (const char *p = r->out; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *line = strndup(p, len);
		cr_assert(text_is_utf8(line, len), "line %zu is not valid UTF-8: %s", lines + 1, line);
		struct json_object *o = json_tokener_parse(line);
		cr_assert(o && json_object_is_type(o, json_type_object), "line %zu is not JSON: %s",
		          lines + 1, line);
		json_object_put(o);
		free(line);
		lines++;
		p += len + (nl != NULL);
	}
	cr_assert_gt(lines, 0, "some JSON lines");
	cr_assert_eq(lines, r->nev, "every line parsed");
}

CASE(views, text_view_shows_escapes_instead_of_sending_them)
{
	struct run r;
	const char *argv[] = { "--headless", "--", "sh", "-c",
	                       "printf '\\033]52;c;cHduZWQ=\\a\\033]0;OUTTITLE\\a\\033[2J\\n'; "
	                       "printf 'c1 \\302\\233 bad \\377\\n'", NULL };
	run_ok(&r, argv);
	assert_no_byte(&r, 0x1B, "ESC");
	assert_no_byte(&r, 0x07, "BEL");
	assert_no_byte(&r, 0x9B, "CSI (0x9b)");
	cr_assert(strstr(r.out, "| ^[]52;c;cHduZWQ=^G^[]0;OUTTITLE^G^[[2J\n"),
	          "the output line, controls made visible:\n%s", r.out);
	/* the test's own locale decides between U+FFFD and '?': either way,
	 * the C1 control is spelt out */
	cr_assert(strstr(r.out, "| c1 \\x9b bad "), "%s", r.out);
	run_free(&r);
}

CASE(views, text_view_is_plain_ascii_when_the_locale_is_not_utf8)
{
	struct run r;
	const char *argv[] = { "--headless", "--", "sh", "-c",
	                       "printf '\\303\\251\\344\\270\\255 \\033[2J \\377\\n'", NULL };
	cr_assert_eq(setenv("LC_ALL", "C", 1), 0);
	run_ok(&r, argv);
	for (size_t i = 0; i < r.olen; i++)
		cr_assert_lt((unsigned char)r.out[i], 0x80, "only ASCII, got byte %zu:\n%s", i, r.out);
	cr_assert(strstr(r.out, "| ?? ^[[2J ?\n"), "%s", r.out);
	run_free(&r);
}

CASE(views, json_lines_stay_valid_utf8_with_invalid_output)
{
	struct run r;
	const char *argv[] = { "--json", "--", "sh", "-c", "printf '\\377\\376bad\\n'", NULL };
	run_ok(&r, argv);
	assert_json_lines(&r);
	struct json_object *out = run_output(&r, "bad");
	cr_assert_not_null(out, "the output line is there:\n%s", r.out);
	cr_assert_str_eq(jstr(out, "text"), "\xEF\xBF\xBD\xEF\xBF\xBD" "bad",
	                 "each invalid byte is U+FFFD");
	run_free(&r);
}

CASE(views, json_lines_stay_valid_utf8_with_a_long_line_of_e_acute)
{
	struct run r;
	const char *argv[] = { "--json", "--", "python3", "-c", "print('\xC3\xA9' * 3000)", NULL };
	run_ok(&r, argv);
	assert_json_lines(&r);
	cr_assert_not_null(run_output(&r, "\xC3\xA9\xC3\xA9\xC3\xA9"), "the é line is there:\n%s",
	                   r.out);
	run_free(&r);
}

CASE(views, json_keeps_controls_escaped_by_json_c)
{
	struct run r;
	const char *argv[] = { "--json", "--", "sh", "-c", "printf 'a\\033[2Jb\\n'", NULL };
	run_ok(&r, argv);
	assert_json_lines(&r);
	assert_no_byte(&r, 0x1B, "ESC");
	struct json_object *out = run_output(&r, "[2J");
	cr_assert_not_null(out, "%s", r.out);
	cr_assert_str_eq(jstr(out, "text"), "a\x1b[2Jb", "the text itself is unchanged");
	run_free(&r);
}

CASE(views, full_screen_shows_controls_as_the_text_view_does)
{
	struct tmux tm;

	start(&tm, 120, 30, (const char *const[]){ "--", "sh", "-c",
		"printf '\\033]0;OUTTITLE\\a\\033[2Jafter \\302\\233x \\377\\n'; sleep 60",
		NULL });
	char *scr = wait_screen(&tm, "^[[2Jafter", 10);
	char *title = tmux_run(&tm, NULL, (const char *const[]){ "display", "-p", "-t", "main",
	                                                          "#{pane_title}", NULL });
	finish(&tm);
	cr_assert(strstr(scr, "^[]0;OUTTITLE^G^[[2Jafter \\x9bx \xEF\xBF\xBD"),
	          "the output panel shows the controls; the screen:\n%s", scr);
	cr_assert_null(strstr(title, "OUTTITLE"), "the window title was set: %s", title);
	free(title);
	free(scr);
}
