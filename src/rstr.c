/*
 * rstr.c - a count and the bytes, in one allocation; the field points at
 * the bytes.
 */
#include "rstr.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

const char rstr_empty[] = "";

struct rstr {
	size_t refs;
	size_t len;
	char s[];
};

static struct rstr *head(const char *s)
{
	/* through an integer: the string was made here, writable (const is
	 * only the holders' view of it) */
	return (struct rstr *)(uintptr_t)(s - offsetof(struct rstr, s));
}

static bool counted(const char *s)
{
	return s && s != rstr_empty;
}

static void unref(const char *s)
{
	if (!counted(s))
		return;
	struct rstr *r = head(s);
	if (--r->refs == 0)
		free(r);
}

void rstr_set(const char **field, const char *src, size_t max)
{
	size_t n = src ? strlen(src) : 0;

	if (max == 0)
		n = 0;
	else if (n >= max) {
		n = max - 1;
		while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
			n--;
	}
	const char *old = *field;
	if (old && strlen(old) == n && memcmp(old, src ? src : "", n) == 0)
		return;
	if (n == 0) {
		unref(old);
		*field = rstr_empty;
		return;
	}
	struct rstr *r = xcalloc(1, sizeof(*r) + n + 1);
	r->refs = 1;
	r->len = n;
	memcpy(r->s, src, n);
	/* src may be old itself, or inside it: copied before it goes */
	unref(old);
	*field = r->s;
}

void rstr_share(const char **field, const char *s)
{
	if (*field == s)
		return;
	const char *old = *field;
	*field = rstr_ref(s);
	unref(old);
}

const char *rstr_ref(const char *s)
{
	if (!counted(s))
		return rstr_empty;
	head(s)->refs++;
	return s;
}

void rstr_drop(const char **field)
{
	unref(*field);
	*field = rstr_empty;
}

size_t rstr_cost(const char *s)
{
	if (!counted(s))
		return 0;
	const struct rstr *r = head(s);
	/* malloc's own word and rounding, about */
	return (sizeof(*r) + r->len + 1 + 16) / r->refs;
}
