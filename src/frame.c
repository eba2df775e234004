/*
 * frame.c - growing, searching and ordering the arrays of a frame.
 *
 * The indexes are open-addressing hashes from a key to a place in an
 * array.  Each knows how much of its array it covers, so an element added
 * behind its back (a test or a replay filling an array by hand) is still
 * found, by a look through the part not covered; and every hit is checked
 * against the array itself, so a stale slot can only miss, never lie.
 */
#include "frame.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct frame_slot {
	unsigned long long a, b;    /* the key */
	size_t at1;                 /* the place + 1; 0: empty */
};

static size_t slot_hash(unsigned long long a, unsigned long long b)
{
	/* the keys are small and dense (pids, descriptor numbers, inodes):
	 * mixed, so that neighbours do not pile up in one run of slots */
	unsigned long long h = a * 0x9e3779b97f4a7c15ULL ^ b;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return (size_t)h;
}

static void index_reset(struct frame_index *ix)
{
	if (ix->used)
		memset(ix->slots, 0, ix->cap * sizeof(*ix->slots));
	ix->used = 0;
	ix->covered = 0;
}

static void index_free(struct frame_index *ix)
{
	free(ix->slots);
	memset(ix, 0, sizeof(*ix));
}

/* The place stored for the key, or SIZE_MAX. */
static size_t index_get(const struct frame_index *ix, unsigned long long a, unsigned long long b)
{
	if (!ix->used)
		return SIZE_MAX;
	for (size_t i = slot_hash(a, b) & (ix->cap - 1);; i = (i + 1) & (ix->cap - 1)) {
		const struct frame_slot *s = &ix->slots[i];
		if (!s->at1)
			return SIZE_MAX;
		if (s->a == a && s->b == b)
			return s->at1 - 1;
	}
}

static void index_put(struct frame_index *ix, unsigned long long a, unsigned long long b, size_t at);

static void index_grow(struct frame_index *ix)
{
	struct frame_index old = *ix;

	ix->cap = old.cap ? old.cap * 2 : 64;
	ix->slots = xcalloc(ix->cap, sizeof(*ix->slots));
	ix->used = 0;
	for (size_t i = 0; i < old.cap; i++)
		if (old.slots[i].at1)
			index_put(ix, old.slots[i].a, old.slots[i].b, old.slots[i].at1 - 1);
	free(old.slots);
}

/* Stores the key's place; a key already there keeps its first place, as a
 * search from the front of the array would find it. */
static void index_put(struct frame_index *ix, unsigned long long a, unsigned long long b, size_t at)
{
	/* at most three quarters full: probes stay short */
	if ((ix->used + 1) * 4 > ix->cap * 3)
		index_grow(ix);
	for (size_t i = slot_hash(a, b) & (ix->cap - 1);; i = (i + 1) & (ix->cap - 1)) {
		struct frame_slot *s = &ix->slots[i];
		if (!s->at1) {
			s->a = a;
			s->b = b;
			s->at1 = at + 1;
			ix->used++;
			return;
		}
		if (s->a == a && s->b == b)
			return;
	}
}

/* Where a look one by one starts: the array may have shrunk below what the
 * index once covered. */
static size_t uncovered(const struct frame_index *ix, size_t n)
{
	return ix->covered < n ? ix->covered : n;
}

static unsigned long long pid_key(pid_t pid)
{
	return (unsigned long long)(long long)pid;
}

static void index_channels(struct frame *f)
{
	struct frame_index *ix = &f->by_channel;

	if (ix->covered > f->nchannels)
		index_reset(ix);
	for (; ix->covered < f->nchannels; ix->covered++) {
		const struct channel *c = &f->channels[ix->covered];
		index_put(ix, c->id, (unsigned long long)c->kind, ix->covered);
	}
}

static void index_chan_fds(struct frame *f)
{
	struct frame_index *ix = &f->by_fd;

	if (ix->covered > f->nchan_fds)
		index_reset(ix);
	for (; ix->covered < f->nchan_fds; ix->covered++) {
		const struct chan_fd *d = &f->chan_fds[ix->covered];
		index_put(ix, pid_key(d->pid), (unsigned long long)(long long)d->fd, ix->covered);
	}
}

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
	f->held = false;
	f->channels_only = false;
	f->begun = 0;
	f->nchannels = 0;
	f->nchan_fds = 0;
	index_reset(&f->by_pid);
	index_reset(&f->by_channel);
	index_reset(&f->by_fd);
}

void frame_clear_channels(struct frame *f)
{
	f->nchannels = 0;
	f->nchan_fds = 0;
	index_reset(&f->by_channel);
	index_reset(&f->by_fd);
}

void frame_release(struct frame *f)
{
	free(f->procs);
	free(f->reaped);
	free(f->threads);
	free(f->channels);
	free(f->chan_fds);
	index_free(&f->by_pid);
	index_free(&f->by_channel);
	index_free(&f->by_fd);
	frame_init(f);
}

/* Grows dst to hold n elements of src and copies them; returns dst. */
static void *copy_array(void *dst, size_t *cap, const void *src, size_t n, size_t size)
{
	if (n > *cap) {
		dst = xreallocarray(dst, n, size);
		*cap = n;
	}
	if (n)
		memcpy(dst, src, n * size);
	return dst;
}

void frame_copy(struct frame *dst, const struct frame *src)
{
	frame_clear(dst);
	dst->procs = copy_array(dst->procs, &dst->procs_cap, src->procs, src->nprocs,
	                        sizeof(*src->procs));
	dst->reaped = copy_array(dst->reaped, &dst->reaped_cap, src->reaped, src->nreaped,
	                         sizeof(*src->reaped));
	dst->threads = copy_array(dst->threads, &dst->threads_cap, src->threads, src->nthreads,
	                          sizeof(*src->threads));
	dst->channels = copy_array(dst->channels, &dst->channels_cap, src->channels,
	                           src->nchannels, sizeof(*src->channels));
	dst->chan_fds = copy_array(dst->chan_fds, &dst->chan_fds_cap, src->chan_fds,
	                           src->nchan_fds, sizeof(*src->chan_fds));
	dst->nprocs = src->nprocs;
	dst->nreaped = src->nreaped;
	dst->nthreads = src->nthreads;
	dst->nchannels = src->nchannels;
	dst->nchan_fds = src->nchan_fds;
	dst->t = src->t;
	dst->self = src->self;
	dst->root = src->root;
	dst->incomplete = src->incomplete;
	dst->held = src->held;
	dst->channels_only = src->channels_only;
	dst->begun = src->begun;
	/* the indexes are dst's own, for its own arrays */
	for (size_t i = 0; i < dst->nprocs; i++)
		index_put(&dst->by_pid, pid_key(dst->procs[i].pid), 0, i);
	dst->by_pid.covered = dst->nprocs;
	index_channels(dst);
	index_chan_fds(dst);
}

struct proc_sample *frame_add_proc(struct frame *f)
{
	/* a place the index still names may be refilled (the sampler drops a
	 * process by taking back nprocs): from here on, look one by one */
	if (f->by_pid.covered > f->nprocs)
		f->by_pid.covered = f->nprocs;
	if (f->nprocs == f->procs_cap) {
		f->procs_cap = f->procs_cap ? f->procs_cap * 2 : 64;
		f->procs = xreallocarray(f->procs, f->procs_cap, sizeof(*f->procs));
	}
	memset(&f->procs[f->nprocs], 0, sizeof(f->procs[0]));
	f->procs[f->nprocs].poll_fd = -1;
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

const struct reap_note *frame_find_reap(const struct frame *f, pid_t pid)
{
	for (size_t i = 0; i < f->nreaped; i++)
		if (f->reaped[i].pid == pid)
			return &f->reaped[i];
	return NULL;
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
	index_channels(f);
	size_t at = index_get(&f->by_channel, id, (unsigned long long)kind);
	if (at < f->nchannels && f->channels[at].kind == kind && f->channels[at].id == id)
		return &f->channels[at];
	if (f->nchannels == f->channels_cap) {
		f->channels_cap = f->channels_cap ? f->channels_cap * 2 : 8;
		f->channels = xreallocarray(f->channels, f->channels_cap, sizeof(*f->channels));
	}
	struct channel *c = &f->channels[f->nchannels++];
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	c->id = id;
	index_channels(f);
	return c;
}

const struct channel *frame_find_channel(const struct frame *f, enum chan_kind kind,
                                         unsigned long id)
{
	size_t at = index_get(&f->by_channel, id, (unsigned long long)kind);
	if (at < f->nchannels && f->channels[at].kind == kind && f->channels[at].id == id)
		return &f->channels[at];
	for (size_t i = uncovered(&f->by_channel, f->nchannels); i < f->nchannels; i++)
		if (f->channels[i].kind == kind && f->channels[i].id == id)
			return &f->channels[i];
	return NULL;
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
	index_chan_fds(f);
}

const struct channel *frame_fd_channel(const struct frame *f, pid_t pid, int fd)
{
	size_t at = index_get(&f->by_fd, pid_key(pid), (unsigned long long)(long long)fd);
	if (at < f->nchan_fds && f->chan_fds[at].pid == pid && f->chan_fds[at].fd == fd)
		return &f->channels[f->chan_fds[at].channel];
	for (size_t i = uncovered(&f->by_fd, f->nchan_fds); i < f->nchan_fds; i++)
		if (f->chan_fds[i].pid == pid && f->chan_fds[i].fd == fd)
			return &f->channels[f->chan_fds[i].channel];
	return NULL;
}

struct channel_place {
	const struct channel *c;
	size_t old;
};

static int by_kind_name_id(const void *a, const void *b)
{
	const struct channel *x = ((const struct channel_place *)a)->c;
	const struct channel *y = ((const struct channel_place *)b)->c;

	if (x->kind != y->kind)
		return (int)x->kind - (int)y->kind;
	int by_name = strcmp(x->name, y->name);
	if (by_name)
		return by_name;
	/* two System V queues of key IPC_PRIVATE share a name: the id keeps
	 * their order the same from tick to tick */
	return (x->id > y->id) - (x->id < y->id);
}

void frame_sort_channels(struct frame *f)
{
	size_t n = f->nchannels;

	if (n > 1) {
		/* sorted by place, so each channel's old place is known and the
		 * descriptors can follow in one pass */
		struct channel_place *order = xcalloc(n, sizeof(*order));
		size_t *old_to_new = xcalloc(n, sizeof(*old_to_new));
		struct channel *sorted = xreallocarray(NULL, f->channels_cap, sizeof(*sorted));
		for (size_t i = 0; i < n; i++) {
			order[i].c = &f->channels[i];
			order[i].old = i;
		}
		qsort(order, n, sizeof(*order), by_kind_name_id);
		for (size_t k = 0; k < n; k++) {
			sorted[k] = *order[k].c;
			old_to_new[order[k].old] = k;
		}
		free(f->channels);
		f->channels = sorted;
		for (size_t i = 0; i < f->nchan_fds; i++)
			if (f->chan_fds[i].channel < n)
				f->chan_fds[i].channel = old_to_new[f->chan_fds[i].channel];
		free(order);
		free(old_to_new);
	}
	index_reset(&f->by_channel);
	index_channels(f);
}

const struct proc_sample *frame_find(const struct frame *f, pid_t pid)
{
	size_t at = index_get(&f->by_pid, pid_key(pid), 0);
	if (at < f->nprocs && f->procs[at].pid == pid)
		return &f->procs[at];
	for (size_t i = uncovered(&f->by_pid, f->nprocs); i < f->nprocs; i++)
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
	index_reset(&f->by_pid);
	for (size_t i = 0; i < f->nprocs; i++)
		index_put(&f->by_pid, pid_key(f->procs[i].pid), 0, i);
	f->by_pid.covered = f->nprocs;
}
