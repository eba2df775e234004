/*
 * i18n.h - forkscope's own words in the user's language (GNU gettext).
 *
 * Every sentence, word and label forkscope shows goes through one of:
 *   _("...")            translated now (gettext);
 *   N_("...")           only marked, in a table: translated where it is
 *                       shown, with _(entry);
 *   P_("one", "many", n) the form for n (ngettext): Chinese has one form,
 *                       English two; never "process(es)" glued by hand.
 * A sentence with numbers or names is one whole format string.  Where the
 * order of its parts differs between languages, the translation numbers
 * them ("%2$s ... %1$d"): printf() takes either form, as long as every
 * argument is numbered in that one string.
 *
 * What is a contract and never translated: the JSON lines and recordings
 * (their keys and values: "event":"exit", "on":"queue-get"), the names of
 * scenarios, options and keys, system call names (wait4, fork), and what
 * the watched program itself prints or is called.
 *
 * The catalogue is po/zh_CN.po, built into LOCALE/zh_CN/LC_MESSAGES/
 * forkscope.mo (make); xgettext extracts po/forkscope.pot from the sources
 * with the keywords above (make pot).  tests/run-suites checks that every
 * string of the sources is translated.
 *
 * No curses; no mutable state of its own (gettext keeps its own).
 */
#ifndef FORKSCOPE_I18N_H
#define FORKSCOPE_I18N_H

#include <libintl.h>
#include <stdbool.h>

#define I18N_DOMAIN "forkscope"

#define _(s) gettext(s)
#define N_(s) (s)
#define P_(one, many, n) ngettext((one), (many), (unsigned long)(n))

/* Whether lang can name a language for --lang: letters, digits and
 * "_-.@", 1 to 32 of them (zh_CN, zh_CN.UTF-8, en, sr@latin).  One that
 * has no catalogue is not an error: forkscope speaks English then. */
bool i18n_lang_ok(const char *lang);

/* The language for this run: after setlocale(LC_ALL, ""), before any word
 * is shown.  lang NULL follows the environment as every program does
 * (LANGUAGE, then LC_ALL, LC_MESSAGES, LANG); otherwise it is that
 * language for this run only (--lang), whatever the environment says: a
 * Chinese one in an English or "C" environment too, when the machine has
 * a UTF-8 locale to write it in (zh_CN.UTF-8, else C.UTF-8).
 * The catalogue is looked for beside the program as built
 * (build/locale, for build/forkscope), then as installed
 * (BINDIR/../share/locale), then in the configured FORKSCOPE_LOCALEDIR. */
void i18n_init(const char *lang);

/* For a view that speaks several languages in one run (an exported page
 * holds each sentence in every language there is a catalogue for): from
 * now on gettext() answers in lang ("en": the sources' English), whatever
 * the environment says, with the character set UTF-8.  The caller keeps
 * what i18n_save() gave and gives it back to i18n_restore() when done. */
struct i18n_saved {
	char language[64];     /* LANGUAGE, "" when not set */
	bool had_language;
	char ctype[64], messages[64];
};
void i18n_save(struct i18n_saved *s);
void i18n_switch(const char *lang);
void i18n_restore(const struct i18n_saved *s);
/* Whether gettext() has a catalogue for the language in use now (English
 * needs none). */
bool i18n_have_catalogue(void);

/* The --lang value in argv (--lang X or --lang=X, before "--"), or NULL:
 * read before the options are, so that their errors are in that
 * language too. */
const char *i18n_lang_arg(int argc, char **argv);

#endif
