/*
 * journal.c - observation lines in blocks, each after a checkpoint.
 */
#include "journal.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "recording.h"
#include "util.h"

/* A block closes once its lines take this much, or as much as its
 * checkpoint (so checkpoints never cost more than the lines they save
 * decoding) but no more than an eighth of the cap (with a model large for
 * the cap, two blocks are all that is kept: their lines must not double
 * it), or this many lines (a rebuild decodes one block at most). */
#define BLOCK_MIN_BYTES ((size_t)64 << 10)
enum { BLOCK_MAX_LINES = 2048 };

struct line_meta {
	size_t off, len;        /* in the block's text */
	double t;
	size_t events;          /* the history's count once it was applied */
};

struct block {
	struct reducer *checkpoint;     /* the model before the block's first line */
	struct rec_codec *codec;        /* the codec there */
	double t;                       /* the checkpoint's time */
	size_t events;                  /* and the history's count then */
	char *text;
	size_t text_len, text_cap;
	struct line_meta *lines;
	size_t n, cap;
	size_t checkpoint_bytes;
};

struct journal {
	struct block *blocks;           /* the kept blocks, oldest first */
	size_t n, cap;
	size_t first;                   /* the absolute number of blocks[0] */
	struct rec_codec *encoder;      /* the live stream's */
	size_t bytes;
	size_t max_bytes;
	double keep_secs;
	unsigned long dropped;
	double reach;
	/* the last rebuild, continued when the next one is later in its block */
	struct reducer *built;
	struct rec_codec *built_codec;
	struct journal_pos built_at;
	bool have_built;
	struct history *discard;        /* a rebuild's events: not wanted */
};

static size_t block_bytes(const struct block *b)
{
	return b->text_cap + b->cap * sizeof(*b->lines) + b->checkpoint_bytes;
}

static void open_block(struct journal *j, const struct reducer *at, double t, size_t events)
{
	if (j->n == j->cap) {
		j->cap = j->cap ? j->cap * 2 : 8;
		j->blocks = xreallocarray(j->blocks, j->cap, sizeof(*j->blocks));
	}
	struct block *b = &j->blocks[j->n++];
	memset(b, 0, sizeof(*b));
	b->checkpoint = reducer_clone(at);
	b->codec = rec_codec_new();
	rec_codec_copy(b->codec, j->encoder);
	b->t = t;
	b->events = events;
	/* the copy (which holds just what it needs, where the live model has
	 * room to grow), and the codec's copy of the last reading */
	const struct frame *f = reducer_frame(at);
	b->checkpoint_bytes = reducer_bytes(b->checkpoint) + f->nprocs * sizeof(*f->procs) +
	                      f->nchannels * sizeof(*f->channels) +
	                      f->nchan_fds * sizeof(*f->chan_fds) + f->nthreads * sizeof(*f->threads);
	j->bytes += block_bytes(b);
}

static void free_block(struct block *b)
{
	reducer_free(b->checkpoint);
	rec_codec_free(b->codec);
	free(b->text);
	free(b->lines);
}

struct journal *journal_new(const struct reducer *start, size_t max_bytes, double keep_secs)
{
	struct journal *j = xcalloc(1, sizeof(*j));

	j->max_bytes = max_bytes;
	j->keep_secs = keep_secs;
	j->encoder = rec_codec_new();
	j->discard = history_new(0);
	open_block(j, start, 0, 0);
	return j;
}

static void forget_built(struct journal *j)
{
	reducer_free(j->built);
	rec_codec_free(j->built_codec);
	j->built = NULL;
	j->built_codec = NULL;
	j->have_built = false;
}

void journal_free(struct journal *j)
{
	if (!j)
		return;
	for (size_t i = 0; i < j->n; i++)
		free_block(&j->blocks[i]);
	free(j->blocks);
	rec_codec_free(j->encoder);
	forget_built(j);
	history_free(j->discard);
	free(j);
}

/* Drops the oldest block: its moments can no longer be rebuilt. */
static void drop_oldest(struct journal *j)
{
	struct block *b = &j->blocks[0];

	j->bytes -= block_bytes(b);
	j->dropped += b->n;
	j->reach = j->blocks[1].n ? j->blocks[1].lines[0].t : j->blocks[1].t;
	free_block(b);
	memmove(j->blocks, j->blocks + 1, (j->n - 1) * sizeof(*j->blocks));
	j->n--;
	j->first++;
	if (j->have_built && j->built_at.block < j->first)
		forget_built(j);
}

static void bound(struct journal *j, double now)
{
	/* never the two newest: the block being filled, and the one before it,
	 * so there is always something to rewind to */
	while (j->n > 2 && j->max_bytes && j->bytes > j->max_bytes)
		drop_oldest(j);
	while (j->n > 1 && j->keep_secs > 0 && now - j->blocks[1].t > j->keep_secs)
		drop_oldest(j);
}

char *journal_add(struct journal *j, const struct obs *o, const struct reducer *after,
                  size_t events, size_t *line_len)
{
	struct block *b = &j->blocks[j->n - 1];
	size_t len;
	char *line = rec_encode(j->encoder, o, &len);

	size_t before = block_bytes(b);
	if (b->text_len + len > b->text_cap) {
		size_t cap = b->text_cap ? b->text_cap : 4096;
		while (cap < b->text_len + len)
			cap *= 2;
		b->text = xreallocarray(b->text, cap, 1);
		b->text_cap = cap;
	}
	memcpy(b->text + b->text_len, line, len);
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		b->lines = xreallocarray(b->lines, b->cap, sizeof(*b->lines));
	}
	b->lines[b->n++] = (struct line_meta){ b->text_len, len, o->t, events };
	b->text_len += len;
	j->bytes += block_bytes(b) - before;
	size_t limit = b->checkpoint_bytes;
	if (j->max_bytes && limit > j->max_bytes / 8)
		limit = j->max_bytes / 8;
	if (limit < BLOCK_MIN_BYTES)
		limit = BLOCK_MIN_BYTES;
	/* with a time limit, blocks short enough that dropping one keeps
	 * close to it */
	bool long_enough = j->keep_secs > 0 && o->t - b->t > j->keep_secs / 4;
	if (b->text_len >= limit || b->n >= BLOCK_MAX_LINES || long_enough) {
		/* what the new block's checkpoint would put over the cap goes
		 * first, so there are never three checkpoints at once: the
		 * peak is what is kept */
		size_t next = b->checkpoint_bytes;   /* about the new one's */
		while (j->n > 1 && j->max_bytes && j->bytes + next > j->max_bytes)
			drop_oldest(j);
		open_block(j, after, o->t, events);
	}
	bound(j, o->t);
	*line_len = len;
	return line;
}

size_t journal_first_event(const struct journal *j)
{
	return j->blocks[0].events;
}

bool journal_empty(const struct journal *j)
{
	return j->n == 1 && j->blocks[0].n == 0;
}

/* The position of the last line of block index i, or of the block before
 * when it has none. */
static bool last_of(const struct journal *j, size_t i, struct journal_pos *p)
{
	for (;; i--) {
		if (j->blocks[i].n) {
			p->block = j->first + i;
			p->line = j->blocks[i].n - 1;
			return true;
		}
		if (i == 0)
			return false;
	}
}

static bool first_line(const struct journal *j, struct journal_pos *p)
{
	for (size_t i = 0; i < j->n; i++)
		if (j->blocks[i].n) {
			p->block = j->first + i;
			p->line = 0;
			return true;
		}
	return false;
}

bool journal_last(const struct journal *j, struct journal_pos *p)
{
	return last_of(j, j->n - 1, p);
}

bool journal_find_time(const struct journal *j, double t, struct journal_pos *p)
{
	/* the last block whose first line is at or before t */
	size_t lo = 0, hi = j->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct block *b = &j->blocks[mid];
		if (b->n && b->lines[0].t <= t)
			lo = mid + 1;
		else if (!b->n)
			hi = mid;
		else
			hi = mid;
	}
	if (lo == 0)
		return first_line(j, p);
	const struct block *b = &j->blocks[lo - 1];
	size_t k = 0;
	while (k + 1 < b->n && b->lines[k + 1].t <= t)
		k++;
	p->block = j->first + lo - 1;
	p->line = k;
	return true;
}

bool journal_find_event(const struct journal *j, size_t e, struct journal_pos *p)
{
	/* older than the oldest checkpoint: that moment is gone */
	if (e < j->blocks[0].events)
		return false;
	/* the first line whose count passes e */
	for (size_t i = 0; i < j->n; i++) {
		const struct block *b = &j->blocks[i];
		if (!b->n || b->lines[b->n - 1].events <= e)
			continue;
		size_t k = 0;
		while (b->lines[k].events <= e)
			k++;
		p->block = j->first + i;
		p->line = k;
		return true;
	}
	return false;
}

static const struct line_meta *meta(const struct journal *j, const struct journal_pos *p)
{
	if (p->block < j->first || p->block - j->first >= j->n)
		return NULL;
	const struct block *b = &j->blocks[p->block - j->first];
	return p->line < b->n ? &b->lines[p->line] : NULL;
}

double journal_time(const struct journal *j, const struct journal_pos *p)
{
	const struct line_meta *m = meta(j, p);

	return m ? m->t : 0;
}

size_t journal_events(const struct journal *j, const struct journal_pos *p)
{
	const struct line_meta *m = meta(j, p);

	return m ? m->events : 0;
}

const struct reducer *journal_rebuild(struct journal *j, const struct journal_pos *p)
{
	if (!meta(j, p))
		return NULL;
	const struct block *b = &j->blocks[p->block - j->first];
	size_t from = 0;
	/* go on from the last rebuild when it is earlier in the same block */
	if (j->have_built && j->built_at.block == p->block && j->built_at.line <= p->line) {
		from = j->built_at.line + 1;
	} else {
		forget_built(j);
		j->built = reducer_clone(b->checkpoint);
		j->built_codec = rec_codec_new();
		rec_codec_copy(j->built_codec, b->codec);
	}
	for (size_t k = from; k <= p->line; k++) {
		struct obs o;
		char err[256];
		/* lines this journal encoded itself: they decode */
		if (!rec_decode(j->built_codec, b->text + b->lines[k].off, b->lines[k].len, &o, err,
		                sizeof(err)))
			die(_("journal: a kept observation does not decode: %s"), err);
		reducer_apply(j->built, &o, j->discard, NULL);
		history_clear(j->discard);
	}
	j->built_at = *p;
	j->have_built = true;
	return j->built;
}

double journal_reach(const struct journal *j)
{
	struct journal_pos p;
	double reach = j->reach;

	/* never further back than asked, even when a block reaches further */
	if (j->keep_secs > 0 && journal_last(j, &p) && journal_time(j, &p) - j->keep_secs > reach)
		reach = journal_time(j, &p) - j->keep_secs;
	return reach;
}

size_t journal_bytes(const struct journal *j)
{
	return j->bytes;
}

unsigned long journal_dropped(const struct journal *j)
{
	return j->dropped;
}
