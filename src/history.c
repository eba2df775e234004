/*
 * history.c - events in blocks of CHUNK, each block with its own arena for
 * the events' text, so that dropping the oldest block frees exactly its
 * memory and nothing else moves: a stored event and its text stay where
 * they are for as long as they are kept.
 */
#include "history.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "util.h"

enum {
	CHUNK = 1024,            /* events per block */
	ARENA_BLOCK = 16384,     /* text memory is taken in pieces of this size */
	KEEP_CHUNKS = 2,         /* never drop below this many blocks */
};

struct arena {
	struct arena *next;
	size_t used, cap;
	char data[];
};

struct chunk {
	struct event ev[CHUNK];
	size_t n;
	size_t base;             /* the number of ev[0] */
	struct arena *text;      /* the newest piece first */
	size_t bytes;            /* the block and its text */
};

struct history {
	size_t max_bytes;
	struct chunk **chunk;    /* oldest first */
	size_t nchunks, chunks_cap;
	size_t first;            /* the number of chunk[0]->ev[0] */
	size_t count;
	size_t bytes;
	unsigned long dropped, dropped_output;
	/* the newest events other than output, copies kept apart from the
	 * blocks, so a flood of output never pushes them out; made at the
	 * first such event (a checkpoint's empty histories never need it) */
	struct recent {
		struct event ev;
		char *mem;          /* its strings and holders, one allocation */
	} *recent;
	size_t nrecent, recent_next;
};

struct history *history_new(size_t max_bytes)
{
	struct history *h = xcalloc(1, sizeof(*h));

	h->max_bytes = max_bytes;
	return h;
}

static void free_text(struct chunk *c)
{
	while (c->text) {
		struct arena *next = c->text->next;
		free(c->text);
		c->text = next;
	}
}

static void chunk_free(struct chunk *c)
{
	free_text(c);
	free(c);
}

void history_free(struct history *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->nchunks; i++)
		chunk_free(h->chunk[i]);
	free(h->chunk);
	for (size_t i = 0; h->recent && i < HISTORY_RECENT; i++)
		free(h->recent[i].mem);
	free(h->recent);
	free(h);
}

/* Room for len bytes in c's text memory. */
static void *arena_take(struct history *h, struct chunk *c, size_t len)
{
	struct arena *a = c->text;

	len = (len + 7) & ~(size_t)7;
	if (!a || a->cap - a->used < len) {
		/* a long line gets a piece of its own, so no piece is mostly empty */
		size_t cap = len > ARENA_BLOCK / 4 ? len : ARENA_BLOCK;
		a = xcalloc(1, sizeof(*a) + cap);
		a->cap = cap;
		if (len > ARENA_BLOCK / 4 && c->text) {
			/* keep filling the current piece after this one */
			a->next = c->text->next;
			c->text->next = a;
		} else {
			a->next = c->text;
			c->text = a;
		}
		c->bytes += sizeof(*a) + cap;
		h->bytes += sizeof(*a) + cap;
	}
	void *p = a->data + a->used;
	a->used += len;
	return p;
}

static const char *copy_str(struct history *h, struct chunk *c, const char *s)
{
	if (!s || !s[0])
		return "";
	size_t n = strlen(s) + 1;
	return memcpy(arena_take(h, c, n), s, n);
}

/* Whether the newest block is full: CHUNK events, or, with a cap, text
 * of an eighth of it (long lines fill a block in bytes long before in
 * count). */
static bool chunk_full(const struct history *h, const struct chunk *c)
{
	return c->n == CHUNK || (h->max_bytes && c->bytes - sizeof(*c) >= h->max_bytes / 8);
}

/* Drops the oldest block while the history is over its cap. */
static void drop_old(struct history *h)
{
	while (h->max_bytes && h->bytes > h->max_bytes && h->nchunks > KEEP_CHUNKS) {
		struct chunk *c = h->chunk[0];
		for (size_t i = 0; i < c->n; i++)
			h->dropped_output += c->ev[i].type == EV_OUTPUT;
		h->dropped += c->n;
		h->first += c->n;
		h->bytes -= c->bytes;
		chunk_free(c);
		memmove(h->chunk, h->chunk + 1, (h->nchunks - 1) * sizeof(*h->chunk));
		h->nchunks--;
	}
}

/* A string of e's into the copy's memory at *at. */
static const char *put_str(char **at, const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = memcpy(*at, s, n);

	*at += n;
	return p;
}

/* Copies e, as stored, into the ring of recent events. */
static void keep_recent(struct history *h, const struct event *e)
{
	if (!h->recent)
		h->recent = xcalloc(HISTORY_RECENT, sizeof(*h->recent));
	struct recent *r = &h->recent[h->recent_next];
	size_t holders = (size_t)e->nholders * sizeof(*e->holders);
	size_t len = holders + strlen(e->comm) + strlen(e->pcomm) + strlen(e->text) +
	             strlen(e->syscall) + strlen(e->what) + 5;

	free(r->mem);
	r->mem = malloc(len);
	if (!r->mem)
		die(_("out of memory (close other programs and try again)"));
	r->ev = *e;
	/* the holders first: pid_t alignment, then the strings */
	char *at = r->mem;
	if (holders) {
		r->ev.holders = memcpy(at, e->holders, holders);
		at += holders;
	}
	r->ev.comm = put_str(&at, e->comm);
	r->ev.pcomm = put_str(&at, e->pcomm);
	r->ev.text = put_str(&at, e->text);
	r->ev.syscall = put_str(&at, e->syscall);
	r->ev.what = put_str(&at, e->what);
	h->recent_next = (h->recent_next + 1) % HISTORY_RECENT;
	if (h->nrecent < HISTORY_RECENT)
		h->nrecent++;
}

const struct event *history_append(struct history *h, const struct event *ev)
{
	struct chunk *c = h->nchunks ? h->chunk[h->nchunks - 1] : NULL;

	if (!c || chunk_full(h, c)) {
		if (h->nchunks == h->chunks_cap) {
			h->chunks_cap = h->chunks_cap ? h->chunks_cap * 2 : 16;
			h->chunk = xreallocarray(h->chunk, h->chunks_cap, sizeof(*h->chunk));
		}
		/* the events themselves are not zeroed: each is written whole */
		c = malloc(sizeof(*c));
		if (!c)
			die(_("out of memory (close other programs and try again)"));
		c->n = 0;
		c->base = h->count;
		c->text = NULL;
		c->bytes = sizeof(*c);
		h->bytes += sizeof(*c);
		h->chunk[h->nchunks++] = c;
	}
	struct event *e = &c->ev[c->n];
	*e = *ev;
	e->comm = copy_str(h, c, ev->comm);
	e->pcomm = copy_str(h, c, ev->pcomm);
	e->text = copy_str(h, c, ev->text);
	e->syscall = copy_str(h, c, ev->syscall);
	e->what = copy_str(h, c, ev->what);
	if (ev->nholders > 0 && ev->holders) {
		size_t n = (size_t)ev->nholders * sizeof(*ev->holders);
		e->holders = memcpy(arena_take(h, c, n), ev->holders, n);
	} else {
		e->holders = NULL;
		e->nholders = 0;
	}
	if (ev->type != EV_OUTPUT)
		keep_recent(h, e);
	c->n++;
	h->count++;
	drop_old(h);
	return e;
}

size_t history_count(const struct history *h)
{
	return h->count;
}

size_t history_first(const struct history *h)
{
	return h->first;
}

const struct event *history_at(const struct history *h, size_t i)
{
	/* blocks hold up to CHUNK events (fewer when long lines filled them
	 * first): the newest block answers most lookups, else a binary search */
	size_t lo = 0, hi = h->nchunks - 1;

	if (i >= h->chunk[hi]->base)
		return &h->chunk[hi]->ev[i - h->chunk[hi]->base];
	while (lo < hi) {
		size_t mid = lo + (hi - lo + 1) / 2;
		if (h->chunk[mid]->base <= i)
			lo = mid;
		else
			hi = mid - 1;
	}
	return &h->chunk[lo]->ev[i - h->chunk[lo]->base];
}

void history_clear(struct history *h)
{
	/* a scratch history is cleared every tick: keep its first block */
	for (size_t i = 1; i < h->nchunks; i++)
		chunk_free(h->chunk[i]);
	h->nchunks = h->nchunks ? 1 : 0;
	h->first = h->count = 0;
	h->nrecent = 0;
	h->bytes = 0;
	if (h->nchunks) {
		struct chunk *c = h->chunk[0];
		free_text(c);
		c->n = 0;
		c->base = 0;
		c->bytes = sizeof(*c);
		h->bytes = c->bytes;
	}
}

const struct event *history_recent(const struct history *h, size_t k)
{
	if (k >= h->nrecent)
		return NULL;
	return &h->recent[(h->recent_next + HISTORY_RECENT - 1 - k) % HISTORY_RECENT].ev;
}

void history_dropped(const struct history *h, unsigned long *events, unsigned long *output)
{
	*events = h->dropped;
	*output = h->dropped_output;
}

size_t history_bytes(const struct history *h)
{
	return h->bytes;
}
