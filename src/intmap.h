/*
 * intmap.h - a map from non-zero 64-bit keys to long values.
 *
 * Open addressing with linear probing, grown as needed: no fixed limit, and
 * every lookup is O(1) on average, so the per-tick work of whoever uses it
 * stays linear in what is watched.  Keys are never removed one by one: a
 * caller marks a gone key with a value of its own (say -1) or clears the
 * whole map and fills it again.  A zeroed struct intmap is an empty map.
 */
#ifndef FORKSCOPE_INTMAP_H
#define FORKSCOPE_INTMAP_H

#include <stddef.h>

struct intmap {
	unsigned long long *key;    /* 0: an empty slot */
	long *val;
	size_t n, cap;
};

/* Sets key (never 0) to val, adding it when new. */
void intmap_put(struct intmap *m, unsigned long long key, long val);
/* The value of key, or -1 when it is not there. */
long intmap_get(const struct intmap *m, unsigned long long key);
/* Empties m, keeping its memory. */
void intmap_clear(struct intmap *m);
/* Frees what m holds; m is then an empty map again. */
void intmap_free(struct intmap *m);

#endif
