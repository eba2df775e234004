/*
 * test_text.c - untrusted program text made safe: controls visible for a
 * terminal, invalid bytes as U+FFFD, JSON always valid UTF-8, and every cut
 * between two characters.
 */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "text.h"

TestSuite(text, .timeout = 30);

#define FFFD "\xEF\xBF\xBD"

/* the modes whose result is UTF-8 */
static const enum text_for utf8_modes[] = { TEXT_TERMINAL, TEXT_JSON };

static void cleans_to(const char *src, enum text_for mode, const char *want)
{
	char buf[256];
	size_t n = text_clean(buf, sizeof(buf), src, mode);

	cr_assert_str_eq(buf, want, "mode %d", (int)mode);
	cr_assert_eq(n, strlen(want), "the returned length is the result's");
}

static bool has_byte(const char *s, unsigned char b)
{
	for (; *s; s++)
		if ((unsigned char)*s == b)
			return true;
	return false;
}

CASE(text, c0_del_and_c1_are_shown_visibly)
{
	cleans_to("a\x01" "b\x1b[c\x7f", TEXT_TERMINAL, "a^Ab^[[c^?");
	cleans_to("\x1f|\x0a|\x0d", TEXT_TERMINAL, "^_|^J|^M");
	cleans_to("x\xC2\x9By\xC2\x80\xC2\x9F", TEXT_TERMINAL, "x\\x9by\\x80\\x9f");
	cleans_to("a\tb", TEXT_TERMINAL, "a b");
	/* U+00A0 is the first character after C1: printable, unchanged */
	cleans_to("\xC2\xA0", TEXT_TERMINAL, "\xC2\xA0");
	cleans_to("plain text, 100% ~ok^", TEXT_TERMINAL, "plain text, 100% ~ok^");
}

CASE(text, osc_52_title_and_clear_screen_reach_no_terminal)
{
	const char *attack = "\033]52;c;cHduZWQ=\a\033]0;OUTTITLE\a\033[2J\xC2\x9B" "31m";
	char buf[256];

	for (int mode = TEXT_TERMINAL; mode <= TEXT_TERMINAL_ASCII; mode++) {
		text_clean(buf, sizeof(buf), attack, (enum text_for)mode);
		cr_assert_not(has_byte(buf, 0x1B), "no ESC in '%s'", buf);
		cr_assert_not(has_byte(buf, 0x07), "no BEL in '%s'", buf);
		cr_assert_not(has_byte(buf, 0x9B), "no CSI byte in '%s'", buf);
		cr_assert_str_eq(buf, "^[]52;c;cHduZWQ=^G^[]0;OUTTITLE^G^[[2J\\x9b31m");
	}
}

CASE(text, invalid_bytes_become_u_fffd)
{
	for (size_t m = 0; m < 2; m++) {
		enum text_for mode = utf8_modes[m];
		cleans_to("\xFF", mode, FFFD);
		cleans_to("a\xC3", mode, "a" FFFD);
		cleans_to("\xC3(", mode, FFFD "(");
		/* an overlong NUL: two stray bytes, not a character */
		cleans_to("\xC0\x80", mode, FFFD FFFD);
		/* a surrogate, U+D800 */
		cleans_to("\xED\xA0\x80", mode, FFFD FFFD FFFD);
		/* past U+10FFFF */
		cleans_to("\xF4\x90\x80\x80", mode, FFFD FFFD FFFD FFFD);
		/* a 3-byte character cut short is one bad character */
		cleans_to("\xE4\xB8z", mode, FFFD "z");
	}
	char buf[64];
	text_clean(buf, sizeof(buf), "\xFF\xFE" "bad\xC0\xAF\xED\xBF\xBF\xF8\x88\x80\x80\x80", TEXT_JSON);
	cr_assert(text_is_utf8(buf, strlen(buf)), "valid UTF-8 after cleaning");
}

CASE(text, json_keeps_controls_for_json_c_to_escape)
{
	cleans_to("a\x1b[1m\tb\x7f\xC2\x9B", TEXT_JSON, "a\x1b[1m\tb\x7f\xC2\x9B");
}

CASE(text, the_decoder_is_strict)
{
	static const char *const bad[] = {
		"\xC0\xAF", "\xC1\xBF", "\xE0\x80\xAF", "\xE0\x9F\xBF", "\xF0\x80\x80\xAF",
		"\xF0\x8F\xBF\xBF", "\xED\xA0\x80", "\xED\xBF\xBF", "\xF4\x90\x80\x80",
		"\xF5\x80\x80\x80", "\xFF", "\x80", "\xE4\xB8", "\xF0\x9F\x98",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_not(text_is_utf8(bad[i], strlen(bad[i])), "bad sequence %zu", i);

	static const struct { const char *s; char32_t cp; } good[] = {
		{ "\x7F", 0x7F }, { "\xC2\x80", 0x80 }, { "\xC3\xA9", 0xE9 }, { "\xE0\xA0\x80", 0x800 },
		{ "\xED\x9F\xBF", 0xD7FF }, { "\xEE\x80\x80", 0xE000 }, { "\xE4\xB8\xAD", 0x4E2D },
		{ "\xF0\x90\x80\x80", 0x10000 }, { "\xF0\x9F\x98\x80", 0x1F600 },
		{ "\xF4\x8F\xBF\xBF", 0x10FFFF },
	};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		char32_t cp = 0;
		size_t n = text_decode(good[i].s, strlen(good[i].s), &cp);
		cr_assert_eq(n, strlen(good[i].s), "good sequence %zu is one character", i);
		cr_assert_eq(cp, good[i].cp, "good sequence %zu decodes to U+%04X", i, (unsigned)good[i].cp);
	}
	char32_t cp = 0;
	cr_assert_eq(text_decode("\0", 1, &cp), 1, "a NUL byte within len is U+0000");
	cr_assert_eq(cp, 0);
	cr_assert_eq(text_decode("a", 0, &cp), 0);
}

CASE(text, printable_utf8_passes_unchanged)
{
	size_t n = 3000 * 2;
	char *e = malloc(n + 1);
	for (size_t i = 0; i < n; i += 2)
		memcpy(e + i, "\xC3\xA9", 2);
	e[n] = '\0';
	for (size_t m = 0; m < 2; m++) {
		enum text_for mode = utf8_modes[m];
		char *got = text_clean_dup(e, mode);
		cr_assert_str_eq(got, e, "é*3000 unchanged");
		free(got);
		cleans_to("中文 naïve café 😀 ∑", mode, "中文 naïve café 😀 ∑");
	}
	free(e);
}

/* text_clean_dup() copies at once what is clean already: the copy is
 * still text_clean()'s result, in each mode, for what is and what is not. */
CASE(text, the_copy_is_the_clean_form)
{
	static const char *const src[] = {
		"", "plain", "\xE2\x97\x8B sleeping", "fork() \xE2\x86\x92 3", "\xE4\xB8\xAD\xE6\x96\x87",
		"\xC2\xA0", "\xC2\x9F", "\xC2\x80x", "a\x1b[1m", "\x7f", "tab\there", "\xFF", "\xC0\x80",
		"\xED\xA0\x80", "\xF0\x9F\x98\x80", "\xE4\xB8", "ok \xE4\xB8", NULL,
	};
	char want[64];

	for (int mode = TEXT_TERMINAL; mode <= TEXT_JSON; mode++) {
		for (size_t i = 0; i < sizeof(src) / sizeof(src[0]); i++) {
			text_clean(want, sizeof(want), src[i], (enum text_for)mode);
			char *got = text_clean_dup(src[i], (enum text_for)mode);
			cr_assert_str_eq(got, want, "string %zu in mode %d", i, mode);
			free(got);
		}
	}
}

CASE(text, ascii_mode_is_plain_ascii)
{
	cleans_to("é中\xFF\x1b\xC2\x9B😀~", TEXT_TERMINAL_ASCII, "???^[\\x9b?~");
	char *got = text_clean_dup("\xF0\x9F\x98\x80\xE4\xB8\xAD\xC3\xA9\xC2\xA0", TEXT_TERMINAL_ASCII);
	for (const char *p = got; *p; p++)
		cr_assert_lt((unsigned char)*p, 0x80, "only ASCII in '%s'", got);
	cr_assert_str_eq(got, "????");
	free(got);
}

/* Every dstlen from 0 up: the result is the longest run of whole forms that
 * fits, NUL-terminated, and a prefix of the whole result. */
static void cuts_between_characters(const char *src, enum text_for mode)
{
	char *whole = text_clean_dup(src, mode);
	size_t need = strlen(whole);
	size_t ends[256], nends = 0, len = strlen(src), at = 0;
	char form[TEXT_GLYPH_MAX];

	ends[nends++] = 0;
	for (size_t i = 0; i < len;) {
		i += text_glyph(src + i, len - i, mode, form);
		at += strlen(form);
		ends[nends++] = at;
	}
	cr_assert_eq(at, need);
	cr_assert_eq(text_clean(NULL, 0, src, mode), need, "sizing with no buffer");
	for (size_t dstlen = 1; dstlen <= need + 2; dstlen++) {
		char buf[512];
		memset(buf, 'Z', sizeof(buf));
		size_t got = text_clean(buf, dstlen, src, mode);
		cr_assert_eq(got, need);
		size_t blen = strnlen(buf, dstlen);
		cr_assert_lt(blen, dstlen, "NUL-terminated within dstlen %zu", dstlen);
		size_t best = 0;
		for (size_t k = 0; k < nends; k++)
			if (ends[k] < dstlen)
				best = ends[k];
		cr_assert_eq(blen, best, "dstlen %zu: %zu bytes, want %zu", dstlen, blen, best);
		cr_assert_eq(memcmp(buf, whole, blen), 0, "a prefix of the whole result");
		cr_assert(text_is_utf8(buf, blen), "dstlen %zu: valid UTF-8", dstlen);
		if (mode != TEXT_JSON && blen > 0)
			cr_assert_neq(buf[blen - 1], '^', "dstlen %zu: an escape cut in half", dstlen);
	}
	free(whole);
}

CASE(text, a_small_dst_never_cuts_a_character_or_an_escape)
{
	const char *src = "a中\x1b[é\xC2\x9B😀\xFF\x7F" "b\xE4\xB8";
	for (int mode = TEXT_TERMINAL; mode <= TEXT_JSON; mode++)
		cuts_between_characters(src, (enum text_for)mode);
	char one[1] = { 'x' };
	cr_assert_eq(text_clean(one, 1, "\x1b", TEXT_TERMINAL), 2);
	cr_assert_eq(one[0], '\0', "dstlen 1 holds only the NUL");
}

CASE(text, three_bytes_per_byte_always_suffice)
{
	char src[101];
	memset(src, 0xFF, 100);
	src[100] = '\0';
	cr_assert_eq(text_clean(NULL, 0, src, TEXT_TERMINAL), 300);
	memset(src, 0x1B, 100);
	cr_assert_eq(text_clean(NULL, 0, src, TEXT_TERMINAL), 200);
	cr_assert_eq(text_clean(NULL, 0, "\xC2\x9B", TEXT_TERMINAL), 4);
	char *empty = text_clean_dup(NULL, TEXT_JSON);
	cr_assert_str_eq(empty, "", "NULL is taken as \"\"");
	free(empty);
}

CASE(text, the_terminal_mode_follows_the_locale)
{
	cr_assert_not_null(setlocale(LC_ALL, "C"));
	cr_assert_eq(text_for_terminal(), TEXT_TERMINAL_ASCII);
	/* C.UTF-8 is built into glibc (2.35 and later, and Debian's before) */
	cr_assert_not_null(setlocale(LC_ALL, "C.UTF-8"), "no C.UTF-8 locale");
	cr_assert_eq(text_for_terminal(), TEXT_TERMINAL);
	setlocale(LC_ALL, "C");
}
