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
}

void frame_release(struct frame *f)
{
	free(f->procs);
	free(f->reaped);
	free(f->threads);
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
