/*
 * moment.c - what a moment shows.
 */
#include "moment.h"

bool moment_shows(const struct moment *m, const struct proc_record *r)
{
	/* attached (-p), forkscope is no part of the tree it watches */
	if (r->is_self && tracker_attached(m->tracker))
		return false;
	if (r->phase != PHASE_REAPED || m->final)
		return true;
	return m->t - r->reaped <= m->tombstone_secs;
}
