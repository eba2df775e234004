/*
 * intmap.c - open addressing, multiplicative hashing, load at most 1/2.
 */
#include "intmap.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

static size_t slot_of(const struct intmap *m, unsigned long long key)
{
	size_t i = (size_t)((key * 0x9E3779B97F4A7C15ull) >> 17) & (m->cap - 1);

	while (m->key[i] && m->key[i] != key)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static void grow(struct intmap *m)
{
	struct intmap old = *m;

	m->cap = old.cap ? old.cap * 2 : 64;
	m->key = xcalloc(m->cap, sizeof(*m->key));
	m->val = xcalloc(m->cap, sizeof(*m->val));
	m->n = 0;
	for (size_t i = 0; i < old.cap; i++)
		if (old.key[i])
			intmap_put(m, old.key[i], old.val[i]);
	free(old.key);
	free(old.val);
}

void intmap_put(struct intmap *m, unsigned long long key, long val)
{
	if ((m->n + 1) * 2 > m->cap)
		grow(m);
	size_t i = slot_of(m, key);
	if (!m->key[i]) {
		m->key[i] = key;
		m->n++;
	}
	m->val[i] = val;
}

long intmap_get(const struct intmap *m, unsigned long long key)
{
	if (!m->cap)
		return -1;
	size_t i = slot_of(m, key);
	return m->key[i] ? m->val[i] : -1;
}

void intmap_clear(struct intmap *m)
{
	if (m->cap)
		memset(m->key, 0, m->cap * sizeof(*m->key));
	m->n = 0;
}

void intmap_free(struct intmap *m)
{
	free(m->key);
	free(m->val);
	memset(m, 0, sizeof(*m));
}
