/*
 * frame.c - growing, searching and ordering the arrays of a frame.
 */
#include "frame.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

void frame_init(struct frame *f)
{
	memset(f, 0, sizeof(*f));
}

void frame_clear(struct frame *f)
{
	f->nprocs = 0;
	f->nreaped = 0;
	f->nthreads = 0;
	f->incomplete = false;
	f->nchannels = 0;
	f->nchan_fds = 0;
}

void frame_release(struct frame *f)
{
	free(f->procs);
	free(f->reaped);
	free(f->threads);
	free(f->channels);
	free(f->chan_fds);
	frame_init(f);
}

struct proc_sample *frame_add_proc(struct frame *f)
{
	if (f->nprocs == f->procs_cap) {
		f->procs_cap = f->procs_cap ? f->procs_cap * 2 : 64;
		f->procs = xreallocarray(f->procs, f->procs_cap, sizeof(*f->procs));
	}
	memset(&f->procs[f->nprocs], 0, sizeof(f->procs[0]));
	return &f->procs[f->nprocs++];
}

void frame_add_reap(struct frame *f, pid_t pid, int status)
{
	if (f->nreaped == f->reaped_cap) {
		f->reaped_cap = f->reaped_cap ? f->reaped_cap * 2 : 16;
		f->reaped = xreallocarray(f->reaped, f->reaped_cap, sizeof(*f->reaped));
	}
	f->reaped[f->nreaped].pid = pid;
	f->reaped[f->nreaped].status = status;
	f->nreaped++;
}

struct thread_sample *frame_add_thread(struct frame *f)
{
	if (f->nthreads == f->threads_cap) {
		f->threads_cap = f->threads_cap ? f->threads_cap * 2 : 32;
		f->threads = xreallocarray(f->threads, f->threads_cap, sizeof(*f->threads));
	}
	memset(&f->threads[f->nthreads], 0, sizeof(f->threads[0]));
	return &f->threads[f->nthreads++];
}

struct channel *frame_channel(struct frame *f, enum chan_kind kind, unsigned long id)
{
	for (size_t i = 0; i < f->nchannels; i++)
		if (f->channels[i].kind == kind && f->channels[i].id == id)
			return &f->channels[i];
	if (f->nchannels == f->channels_cap) {
		f->channels_cap = f->channels_cap ? f->channels_cap * 2 : 8;
		f->channels = xreallocarray(f->channels, f->channels_cap, sizeof(*f->channels));
	}
	struct channel *c = &f->channels[f->nchannels++];
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	c->id = id;
	return c;
}

void frame_add_chan_fd(struct frame *f, pid_t pid, int fd, size_t channel)
{
	if (f->nchan_fds == f->chan_fds_cap) {
		f->chan_fds_cap = f->chan_fds_cap ? f->chan_fds_cap * 2 : 16;
		f->chan_fds = xreallocarray(f->chan_fds, f->chan_fds_cap, sizeof(*f->chan_fds));
	}
	f->chan_fds[f->nchan_fds].pid = pid;
	f->chan_fds[f->nchan_fds].fd = fd;
	f->chan_fds[f->nchan_fds].channel = channel;
	f->nchan_fds++;
}

const struct channel *frame_fd_channel(const struct frame *f, pid_t pid, int fd)
{
	for (size_t i = 0; i < f->nchan_fds; i++)
		if (f->chan_fds[i].pid == pid && f->chan_fds[i].fd == fd)
			return &f->channels[f->chan_fds[i].channel];
	return NULL;
}

const struct proc_sample *frame_find(const struct frame *f, pid_t pid)
{
	for (size_t i = 0; i < f->nprocs; i++)
		if (f->procs[i].pid == pid)
			return &f->procs[i];
	return NULL;
}

static int by_start(const void *a, const void *b)
{
	const struct proc_sample *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

void frame_sort(struct frame *f)
{
	if (f->nprocs > 1)
		qsort(f->procs, f->nprocs, sizeof(*f->procs), by_start);
}
