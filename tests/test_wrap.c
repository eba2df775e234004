/*
 * test_wrap.c - where the screen wraps a caption (wrap_line_end() in
 * src/tui_draw.c): at spaces in English, between any two characters in
 * Chinese, never inside a character, never with a closing mark (，。：)
 * first on a line or an opening one (（「) last, and every line within
 * its width in display columns.
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "tui_ctx.h"

TestSuite(wrap, .timeout = 30, .fini = helpers_cleanup);

/* text wrapped at width, lines joined with '|' (the spaces at each break
 * skipped, as the caption does). */
static char *wrap(const char *text, int width)
{
	size_t cap = strlen(text) * 2 + 64, len = 0;
	char *out = calloc(1, cap);
	const char *p = text;

	cr_assert_not_null(setlocale(LC_ALL, "C.UTF-8"), "the C.UTF-8 locale is missing");
	for (int lines = 0; *p; lines++) {
		cr_assert_lt(lines, 200, "wrapping ends");
		const char *end = wrap_line_end(p, width);
		cr_assert_gt(end, p, "a line takes at least one character");
		char line[512];
		snprintf(line, sizeof(line), "%.*s", (int)(end - p), p);
		/* spaces at the end of a line are not drawn */
		size_t n = strlen(line);
		while (n && line[n - 1] == ' ')
			line[--n] = '\0';
		cr_assert_leq(text_width(line), width, "'%s' is within %d columns", line, width);
		len += (size_t)snprintf(out + len, cap - len, "%s%s", len ? "|" : "", line);
		p = end;
		while (*p == ' ')
			p++;
	}
	return out;
}

CASE(wrap, english_breaks_at_spaces)
{
	char *s = wrap("the parent calls wait() and reaps its child", 16);
	cr_assert_str_eq(s, "the parent calls|wait() and reaps|its child");
	free(s);
	/* a word wider than the line is cut where the line ends */
	s = wrap("/fs-pool-blocking-tasks", 10);
	cr_assert_str_eq(s, "/fs-pool-b|locking-ta|sks");
	free(s);
}

CASE(wrap, chinese_breaks_between_characters_never_inside_one)
{
	/* 5 columns: two Chinese characters (4 columns) a line, never 2.5 */
	char *s = wrap("僵尸进程等待回收", 5);
	cr_assert_str_eq(s, "僵尸|进程|等待|回收");
	free(s);
}

CASE(wrap, no_closing_mark_starts_a_line)
{
	/* at 12 columns the comma would start the second line: the
	 * character before it goes down with it */
	char *s = wrap("子进程已退出，父进程还没有回收它。", 12);
	cr_assert_str_eq(s, "子进程已退|出，父进程还|没有回收它。");
	free(s);
	/* nor does the full stop, nor a closing bracket */
	s = wrap("进程（PID 1234）退出。", 8);
	for (const char *p = s; (p = strchr(p, '|')); p++) {
		cr_assert_neq(strncmp(p + 1, "。", strlen("。")), 0, "%s", s);
		cr_assert_neq(strncmp(p + 1, "）", strlen("）")), 0, "%s", s);
	}
	free(s);
}

CASE(wrap, no_opening_mark_ends_a_line)
{
	char *s = wrap("父进程调用了「wait」函数", 14);
	for (const char *p = s; (p = strchr(p, '|')); p++)
		cr_assert_neq(strncmp(p - strlen("「"), "「", strlen("「")), 0, "%s", s);
	free(s);
}

CASE(wrap, mixed_text_keeps_numbers_whole)
{
	/* a PID is a word: it moves whole to the next line */
	char *s = wrap("子进程 12345 退出了", 10);
	cr_assert_str_eq(s, "子进程|12345 退出|了");
	free(s);
}
