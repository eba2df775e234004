/*
 * rstr.h - shared strings, counted: one copy of a name for every record
 * that holds it.
 *
 * The tracker's records name their process (comm, command line,
 * executable...), and a run keeps many records (tombstones) and copies of
 * them all (the journal's checkpoints, tracker_clone()).  Kept as fixed
 * arrays, each record's names took over a kilobyte, mostly empty; a field
 * is now a pointer to a string made once and shared by every record and
 * copy that holds the same one (a child holds its parent's names until it
 * execs).  A string is never changed: setting a field points it at
 * another.  It is freed when its last holder lets go.
 *
 * A field is never NULL: it starts as rstr_empty (""), which is not
 * counted.  Single-threaded, like the engine.  No /proc, no terminal.
 */
#ifndef FORKSCOPE_RSTR_H
#define FORKSCOPE_RSTR_H

#include <stddef.h>

/* The empty string every field starts as. */
extern const char rstr_empty[];

/* Points *field at a copy of src cut at max-1 bytes as str_copy() cuts it
 * (never inside a UTF-8 sequence), letting go of what it held; nothing is
 * made when the field holds that string already. */
void rstr_set(const char **field, const char *src, size_t max);
/* Points *field at s, a string held by another field: shared, not copied. */
void rstr_share(const char **field, const char *s);
/* One more holder of s (a copied record): returns s. */
const char *rstr_ref(const char *s);
/* Lets go of *field, which becomes rstr_empty. */
void rstr_drop(const char **field);
/* About the memory s costs each of its holders: its size over their number
 * (0 for rstr_empty), so summing over all holders counts it once. */
size_t rstr_cost(const char *s);

#endif
