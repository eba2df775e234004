/*
 * headless.c - events to stdout as text or JSON lines.
 */
#include "headless.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "explain.h"
#include "i18n.h"
#include "json_out.h"
#include "launcher.h"
#include "text.h"

/* The event's word, padded with spaces to width columns (printf's %-8s
 * pads by bytes: a Chinese word would come out short). */
static void print_word(const char *word, int width)
{
	fputs(word, stdout);
	for (int w = text_columns(word, text_for_terminal()); w < width; w++)
		putchar(' ');
}

static bool print_event(const struct event *ev, bool json)
{
	/* an output line may be long (launcher.h's cap); anything else is short */
	char sentence[LAUNCHER_LINE_KEEP + 512];

	if (json)
		return json_write_event(stdout, ev);
	explain_event(ev, sentence, sizeof(sentence));
	/* the sentence quotes the program's own text: its escapes must not
	 * reach the terminal (text.h) */
	char *shown = text_clean_dup(sentence, text_for_terminal());
	printf("%8.3f  ", ev->t);
	print_word(explain_word(ev->type), 8);
	printf(ev->type == EV_OUTPUT ? " | %s\n" : " %s\n", shown);
	free(shown);
	return fflush(stdout) == 0 && !ferror(stdout);
}

static bool print_new(const struct session *s, size_t *shown, bool json)
{
	const struct history *h = session_history(s);
	bool ok = true;

	/* what was dropped before it could be shown (it never is: the cap is
	 * far above what one step adds) is passed over */
	if (*shown < history_first(h))
		*shown = history_first(h);
	for (; *shown < history_count(h); (*shown)++)
		ok = print_event(history_at(h, *shown), json) && ok;
	return ok;
}

int headless_run(struct session *s, bool json, volatile sig_atomic_t *stop)
{
	size_t shown = 0;
	bool ok = true, killed = false;

	ok = print_new(s, &shown, json);
	while (!session_finished(s)) {
		if (!killed && (*stop || !ok)) {
			session_kill(s);
			killed = true;
		}
		session_step(s, 0.25, -1);
		if (ok)
			ok = print_new(s, &shown, json);
	}
	session_end(s);
	if (ok)
		ok = print_new(s, &shown, json);
	if (!ok)
		fprintf(stderr, "forkscope: %s\n",
		        _("cannot write to standard output (is the reader still there?)"));
	return ok ? 0 : 1;
}
