/*
 * i18n.c - see i18n.h.
 */
#include "i18n.h"

#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef FORKSCOPE_LOCALEDIR
#define FORKSCOPE_LOCALEDIR "/usr/local/share/locale"
#endif

bool i18n_lang_ok(const char *lang)
{
	size_t n = lang ? strlen(lang) : 0;

	if (n == 0 || n > 32)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = lang[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-' || c == '.' || c == '@'))
			return false;
	}
	return true;
}

const char *i18n_lang_arg(int argc, char **argv)
{
	const char *lang = NULL;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
			lang = argv[++i];
		else if (strncmp(argv[i], "--lang=", 7) == 0)
			lang = argv[i] + 7;
	}
	return lang;
}

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Where the catalogues are: beside the program as built, as installed, or
 * the configured place. */
static void catalogue_dir(char *out, size_t len)
{
	char exe[PATH_MAX - 32];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(out, len, "%s/locale", exe);
			if (is_dir(out))
				return;
			snprintf(out, len, "%s/../share/locale", exe);
			if (is_dir(out))
				return;
		}
	}
	snprintf(out, len, "%s", FORKSCOPE_LOCALEDIR);
}

/* Whether the locale set for category is the plain "C" (or "POSIX") one,
 * where gettext() never translates. */
static bool plain_c(int category)
{
	const char *name = setlocale(category, NULL);

	return !name || strcmp(name, "C") == 0 || strcmp(name, "POSIX") == 0;
}

void i18n_init(const char *lang)
{
	char dir[PATH_MAX];

	catalogue_dir(dir, sizeof(dir));
	bindtextdomain(I18N_DOMAIN, dir);
	textdomain(I18N_DOMAIN);
	if (!lang)
		return;
	/* LANGUAGE comes first for gettext(): the language for this run, and
	 * for the demos it runs */
	setenv("LANGUAGE", lang, 1);
	bool english = strcmp(lang, "en") == 0 || strncmp(lang, "en_", 3) == 0 ||
	               strcmp(lang, "C") == 0 || strcmp(lang, "POSIX") == 0;
	if (english)
		return;
	/* gettext() ignores LANGUAGE in the "C" locale, and another language
	 * is written in UTF-8 only where the character set is UTF-8: the
	 * language's own UTF-8 locale, else C.UTF-8 */
	bool utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	if (!utf8 || plain_c(LC_MESSAGES)) {
		char name[64];
		snprintf(name, sizeof(name), "%.*s.UTF-8", (int)strcspn(lang, ".@"), lang);
		const char *ok = setlocale(LC_CTYPE, name) ? name
		                 : setlocale(LC_CTYPE, "C.UTF-8") ? "C.UTF-8" : NULL;
		if (ok)
			setlocale(LC_MESSAGES, ok);
	}
}

/* glibc's count of catalogue changes: raising it makes gettext() look up
 * its translations again (the gettext manual's way to change LANGUAGE in
 * a running program) */
extern int _nl_msg_cat_cntr;

void i18n_save(struct i18n_saved *s)
{
	const char *lang = getenv("LANGUAGE");
	const char *ctype = setlocale(LC_CTYPE, NULL), *msgs = setlocale(LC_MESSAGES, NULL);

	memset(s, 0, sizeof(*s));
	s->had_language = lang != NULL;
	snprintf(s->language, sizeof(s->language), "%s", lang ? lang : "");
	snprintf(s->ctype, sizeof(s->ctype), "%s", ctype ? ctype : "C");
	snprintf(s->messages, sizeof(s->messages), "%s", msgs ? msgs : "C");
}

void i18n_switch(const char *lang)
{
	/* a UTF-8 locale for both: the words are written as UTF-8, and
	 * gettext() ignores LANGUAGE in the "C" locale */
	char name[64], cur[64];
	const char *ctype = setlocale(LC_CTYPE, NULL);
	snprintf(cur, sizeof(cur), "%s", ctype ? ctype : "C");
	snprintf(name, sizeof(name), "%.*s.UTF-8", (int)strcspn(lang, ".@"), lang);
	const char *ok = strcmp(nl_langinfo(CODESET), "UTF-8") == 0 ? cur
	                 : setlocale(LC_CTYPE, name) ? name
	                 : setlocale(LC_CTYPE, "C.UTF-8") ? "C.UTF-8" : NULL;
	if (ok && plain_c(LC_MESSAGES))
		setlocale(LC_MESSAGES, strcmp(ok, "C") == 0 ? "C.UTF-8" : ok);
	setenv("LANGUAGE", lang, 1);
	++_nl_msg_cat_cntr;
}

void i18n_restore(const struct i18n_saved *s)
{
	if (s->had_language)
		setenv("LANGUAGE", s->language, 1);
	else
		unsetenv("LANGUAGE");
	setlocale(LC_CTYPE, s->ctype);
	setlocale(LC_MESSAGES, s->messages);
	++_nl_msg_cat_cntr;
}

bool i18n_have_catalogue(void)
{
	/* the empty msgid is a catalogue's header, when there is a catalogue */
	const char *header = gettext("");
	return header && header[0];
}
