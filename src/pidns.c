/*
 * pidns.c - the host's PIDs rewritten into a namespace's (pidns.h).
 */
#include "pidns.h"

#include <stdlib.h>

#include "intmap.h"
#include "util.h"

struct pidns_map {
	pid_t self;
	struct intmap ns;          /* host PID -> namespace PID */
};

struct pidns_map *pidns_map_new(pid_t self)
{
	struct pidns_map *m = xcalloc(1, sizeof(*m));

	m->self = self;
	return m;
}

void pidns_map_free(struct pidns_map *m)
{
	if (!m)
		return;
	intmap_free(&m->ns);
	free(m);
}

void pidns_map_learn(struct pidns_map *m, pid_t host, pid_t nspid)
{
	/* forkscope's own number stays forkscope's (pidns.h) */
	if (host <= 0 || nspid <= 0 || nspid == m->self || host == m->self)
		return;
	intmap_put(&m->ns, (unsigned long long)host, (long)nspid);
}

pid_t pidns_map_ns(const struct pidns_map *m, pid_t host)
{
	if (host <= 0)
		return host;
	long v = intmap_get(&m->ns, (unsigned long long)host);
	return v > 0 ? (pid_t)v : host;
}

void pidns_map_frame(struct pidns_map *m, const struct frame *in, struct frame *out)
{
	/* rewritten in a copy, then copied again: frame_copy() builds the
	 * copy's indexes (by PID, by descriptor) from the new numbers */
	struct frame scratch;
	struct frame *dst = &scratch;

	frame_init(dst);
	frame_copy(dst, in);
	for (size_t i = 0; i < dst->nprocs; i++)
		pidns_map_learn(m, dst->procs[i].pid, dst->procs[i].nspid);
	for (size_t i = 0; i < dst->nprocs; i++) {
		struct proc_sample *p = &dst->procs[i];
		pid_t ns = pidns_map_ns(m, p->pid);
		p->host = ns != p->pid ? p->pid : 0;
		p->pid = ns;
		p->nspid = 0;   /* the host's side: a recording has no need of it */
		p->ppid = pidns_map_ns(m, p->ppid);
		p->pgrp = pidns_map_ns(m, p->pgrp);
		p->sid = pidns_map_ns(m, p->sid);
	}
	for (size_t i = 0; i < dst->nreaped; i++)
		dst->reaped[i].pid = pidns_map_ns(m, dst->reaped[i].pid);
	for (size_t i = 0; i < dst->nthreads; i++) {
		struct thread_sample *th = &dst->threads[i];
		if (th->tid == th->pid)
			th->tid = pidns_map_ns(m, th->tid);
		th->pid = pidns_map_ns(m, th->pid);
	}
	for (size_t i = 0; i < dst->nchannels; i++)
		for (int k = 0; k < dst->channels[i].nholders; k++)
			dst->channels[i].holders[k] = pidns_map_ns(m, dst->channels[i].holders[k]);
	for (size_t i = 0; i < dst->nchan_fds; i++)
		dst->chan_fds[i].pid = pidns_map_ns(m, dst->chan_fds[i].pid);
	dst->root = pidns_map_ns(m, dst->root);
	frame_copy(out, dst);
	frame_release(dst);
}

void pidns_map_news(const struct pidns_map *m, struct news *n)
{
	pid_t ns = pidns_map_ns(m, n->pid);

	n->host = ns != n->pid ? n->pid : 0;
	n->pid = ns;
	n->ppid = pidns_map_ns(m, n->ppid);
}
