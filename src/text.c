/*
 * text.c - untrusted text made safe for a terminal or for JSON: a strict
 * UTF-8 decoder and the rules of text.h, with no curses and no locale.
 */
#include "text.h"

#include <langinfo.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "util.h"

size_t text_decode(const char *s, size_t len, char32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned char lo = 0x80, hi = 0xBF;
	size_t need;
	char32_t v;

	if (len == 0)
		return 0;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	/* The second byte's range is what rules out overlong forms (C0, C1,
	 * E0 80..9F, F0 80..8F), surrogates (ED A0..BF) and code points past
	 * U+10FFFF (F4 90..BF, F5..FF): checked byte by byte, a bad sequence
	 * ends at the first byte that cannot belong to it, and that byte
	 * starts the next character. */
	if (u[0] >= 0xC2 && u[0] <= 0xDF) {
		need = 1;
		v = u[0] & 0x1F;
	} else if (u[0] >= 0xE0 && u[0] <= 0xEF) {
		need = 2;
		v = u[0] & 0x0F;
		if (u[0] == 0xE0)
			lo = 0xA0;
		else if (u[0] == 0xED)
			hi = 0x9F;
	} else if (u[0] >= 0xF0 && u[0] <= 0xF4) {
		need = 3;
		v = u[0] & 0x07;
		if (u[0] == 0xF0)
			lo = 0x90;
		else if (u[0] == 0xF4)
			hi = 0x8F;
	} else {
		*cp = TEXT_INVALID;
		return 1;
	}
	for (size_t i = 1; i <= need; i++) {
		if (i >= len || u[i] < lo || u[i] > hi) {
			*cp = TEXT_INVALID;
			return i;
		}
		v = (v << 6) | (u[i] & 0x3F);
		lo = 0x80;
		hi = 0xBF;
	}
	*cp = v;
	return need + 1;
}

bool text_is_utf8(const char *s, size_t len)
{
	char32_t cp;

	for (size_t i = 0; i < len;) {
		i += text_decode(s + i, len - i, &cp);
		if (cp == TEXT_INVALID)
			return false;
	}
	return true;
}

size_t text_glyph(const char *s, size_t len, enum text_for mode, char out[TEXT_GLYPH_MAX])
{
	char32_t cp;
	size_t n = text_decode(s, len, &cp);
	bool terminal = mode != TEXT_JSON, ascii = mode == TEXT_TERMINAL_ASCII;

	if (n == 0) {
		out[0] = '\0';
	} else if (cp == TEXT_INVALID) {
		strcpy(out, ascii ? "?" : "\xEF\xBF\xBD");
	} else if (terminal && cp == '\t') {
		strcpy(out, " ");
	} else if (terminal && (cp < 0x20 || cp == 0x7F)) {
		/* caret notation: ESC (0x1B) is "^[", DEL (0x7F) is "^?" */
		out[0] = '^';
		out[1] = (char)(cp ^ 0x40);
		out[2] = '\0';
	} else if (terminal && cp >= 0x80 && cp < 0xA0) {
		/* C1 has no caret form; 0x9B alone is a CSI on some terminals */
		snprintf(out, TEXT_GLYPH_MAX, "\\x%02x", (unsigned)cp);
	} else if (ascii && cp >= 0x80) {
		strcpy(out, "?");
	} else {
		memcpy(out, s, n);
		out[n] = '\0';
	}
	return n;
}

size_t text_clean(char *dst, size_t dstlen, const char *src, enum text_for mode)
{
	size_t len = src ? strlen(src) : 0, need = 0, written = 0;
	bool cut = false;
	char form[TEXT_GLYPH_MAX];

	for (size_t i = 0; i < len;) {
		i += text_glyph(src + i, len - i, mode, form);
		size_t k = strlen(form);
		/* once one form did not fit, no later (shorter) one may either:
		 * dst must stay a prefix of the whole result */
		if (!cut && written + k < dstlen) {
			memcpy(dst + written, form, k);
			written += k;
		} else {
			cut = true;
		}
		need += k;
	}
	if (dstlen > 0)
		dst[written] = '\0';
	return need;
}

/* Whether s is its own clean form for mode: printable ASCII, and (but
 * in TEXT_TERMINAL_ASCII) valid UTF-8 from U+00A0 up; false may also be
 * said of some that are (TEXT_JSON keeps controls), to be cleaned then. */
static bool clean_already(const char *s, enum text_for mode)
{
	size_t len = strlen(s);

	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7F) {
			i++;
			continue;
		}
		if (c < 0x80 || mode == TEXT_TERMINAL_ASCII)
			return false;
		char32_t cp;
		i += text_decode(s + i, len - i, &cp);
		if (cp == TEXT_INVALID || cp < 0xA0)
			return false;
	}
	return true;
}

char *text_clean_dup(const char *src, enum text_for mode)
{
	/* most strings are clean already: copied at once (an export cleans
	 * millions) */
	if (clean_already(src ? src : "", mode))
		return xstrdup(src ? src : "");
	size_t n = text_clean(NULL, 0, src, mode) + 1;
	char *dst = xcalloc(n, 1);

	text_clean(dst, n, src, mode);
	return dst;
}

enum text_for text_for_terminal(void)
{
	return strcmp(nl_langinfo(CODESET), "UTF-8") == 0 ? TEXT_TERMINAL : TEXT_TERMINAL_ASCII;
}

int text_columns(const char *s, enum text_for mode)
{
	int cols = 0;
	size_t n;
	char form[TEXT_GLYPH_MAX];

	/* no character is longer than 4 bytes: no need to measure all of s */
	while (s && (n = text_glyph(s, strnlen(s, 4), mode, form)) > 0) {
		int glyph = 0;
		for (const char *p = form; *p;) {
			char32_t cp;
			p += text_decode(p, strlen(p), &cp);
			int cw = wcwidth((wchar_t)cp);
			if (cw < 0) {
				glyph = 1;      /* shown as '?' */
				break;
			}
			glyph += cw;
		}
		cols += glyph;
		s += n;
	}
	return cols;
}
