/*
 * text.h - the one place where text from the watched program is made safe
 * to show, for every view: the text view, the full screen and JSON.
 *
 * Whatever the program controls is untrusted: its output lines, its titles
 * (comm), command lines, exe paths, queue names.  Printed raw, such text
 * could set the window title, write the clipboard (OSC 52) or clear the
 * screen, and bytes that are not UTF-8 would make the JSON invalid.
 *
 * Input is always read as UTF-8, whatever the locale, and decoded strictly:
 * overlong forms, surrogates (U+D800..U+DFFF) and anything above U+10FFFF
 * are invalid.  Each maximal invalid subpart (a lead byte and the
 * continuation bytes that still fitted it, or one stray byte) is one bad
 * character, as in the Unicode standard's "substitution of maximal
 * subparts", which Python's errors="replace" and browsers also follow.
 *
 * The modes:
 *   TEXT_TERMINAL        C0 controls and DEL in caret notation ("^@".."^_",
 *                        ESC as "^[", DEL as "^?"), C1 controls (U+0080..
 *                        U+009F) as "\x80".."\x9f", a bad character as
 *                        U+FFFD, and a TAB as one space (a tab's width
 *                        depends on the column it lands in, which would
 *                        throw off every view's column counting).  Every
 *                        other character, Chinese, "é" or an emoji, passes
 *                        unchanged.
 *   TEXT_TERMINAL_ASCII  the same for a locale that is not UTF-8: a bad
 *                        character and every other non-ASCII character
 *                        become '?', so the result is plain ASCII.
 *   TEXT_JSON            only bad characters change, to U+FFFD: the result
 *                        is valid UTF-8, and the JSON writer (json-c)
 *                        escapes the controls itself.
 * A visible form such as "^[" is never backslash-escaped: a program that
 * prints the two characters '^' '[' looks the same as one that prints ESC.
 * That is the price of a readable view; the JSON lines keep them apart.
 *
 * No curses; only text_for_terminal() reads the locale.
 */
#ifndef FORKSCOPE_TEXT_H
#define FORKSCOPE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <uchar.h>

enum text_for { TEXT_TERMINAL, TEXT_TERMINAL_ASCII, TEXT_JSON };

enum {
	/* the longest form of one character, "\x9b" or a 4-byte UTF-8
	 * sequence, and its NUL */
	TEXT_GLYPH_MAX = 5,
	/* what text_decode() gives for a bad character: not a code point */
	TEXT_INVALID = 0x110000
};

/* Writes src cleaned for mode into dst[dstlen], always NUL-terminated when
 * dstlen > 0.  When the result does not fit, dst holds its longest prefix
 * that ends between two characters: never in the middle of a UTF-8
 * sequence nor of a visible form such as "^[".  Returns the length the
 * whole result needs, without its NUL, as snprintf does: the result was cut
 * when that is >= dstlen, and text_clean(NULL, 0, src, mode) sizes dst.
 * One byte of src never takes more than three (U+FFFD), so
 * 3 * strlen(src) + 1 bytes always suffice.  src NULL is taken as "". */
size_t text_clean(char *dst, size_t dstlen, const char *src, enum text_for mode);

/* src cleaned for mode, in a new string the caller frees; never NULL (out
 * of memory ends the program, see util.h). */
char *text_clean_dup(const char *src, enum text_for mode);

/* The one character at s, of which len bytes may be read: writes its
 * cleaned form for mode into out, NUL-terminated, and returns how many
 * bytes of s it took (1 to 4; 0 only when len is 0).  text_clean() is this
 * in a loop; a view that measures or cuts text character by character
 * calls it to follow the same rules. */
size_t text_glyph(const char *s, size_t len, enum text_for mode, char out[TEXT_GLYPH_MAX]);

/* Decodes the UTF-8 character at s, of which len bytes may be read (a NUL
 * byte is U+0000): sets *cp to its code point, or to TEXT_INVALID for a bad
 * character, and returns how many bytes it took (1 to 4; 0 only when len is
 * 0). */
size_t text_decode(const char *s, size_t len, char32_t *cp);

/* Whether the len bytes at s are valid UTF-8 by the strict rules above. */
bool text_is_utf8(const char *s, size_t len);

/* The columns s takes on a terminal once cleaned for mode, by wcwidth():
 * a Chinese character two, a visible form such as "^[" two, a character
 * the locale cannot show ('?') one.  The screen and the text view both
 * measure with it, so their columns agree. */
int text_columns(const char *s, enum text_for mode);

/* The mode for the terminal we write to: TEXT_TERMINAL when the current
 * locale's character set (nl_langinfo(CODESET)) is UTF-8, else
 * TEXT_TERMINAL_ASCII.  Call it after setlocale(). */
enum text_for text_for_terminal(void);

#endif
