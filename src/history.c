/*
 * history.c - an append-only array of events.
 */
#include "history.h"

#include <stdlib.h>

#include "util.h"

struct history {
	struct event *ev;
	size_t n, cap;
};

struct history *history_new(void)
{
	return xcalloc(1, sizeof(struct history));
}

void history_free(struct history *h)
{
	if (!h)
		return;
	free(h->ev);
	free(h);
}

struct event *history_append(struct history *h, const struct event *ev)
{
	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 256;
		h->ev = xreallocarray(h->ev, h->cap, sizeof(*h->ev));
	}
	h->ev[h->n] = *ev;
	return &h->ev[h->n++];
}

void history_clear(struct history *h)
{
	h->n = 0;
}

size_t history_count(const struct history *h)
{
	return h->n;
}

const struct event *history_at(const struct history *h, size_t i)
{
	return &h->ev[i];
}
