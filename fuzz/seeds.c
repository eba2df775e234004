/*
 * seeds.c - writes the valid recordings of fuzz/corpus with forkscope's own
 * writer, so the fuzzer starts from lines the reader accepts.  Not built by
 * make; after a change of the format, from the top of the tree:
 *
 *   cc -std=c11 -D_GNU_SOURCE -Isrc fuzz/seeds.c src/recording.c src/obs.c \
 *      src/frame.c src/util.c $(pkg-config --cflags --libs json-c) -lm \
 *      -o /tmp/seeds && /tmp/seeds fuzz/corpus
 *
 * It writes the current version.  The v1-* seeds are what it wrote for
 * version 1, kept by hand so the fuzzer goes on reading that version too;
 * the broken-* ones are written by hand.
 */
#include <stdio.h>
#include <string.h>

#include "recording.h"
#include "util.h"

static struct proc_sample *proc(struct frame *f, pid_t pid, pid_t ppid,
                                unsigned long long start, const char *comm)
{
	struct proc_sample *p = frame_add_proc(f);
	p->pid = pid;
	p->ppid = ppid;
	p->pgrp = ppid;
	p->sid = 1;
	p->start = start;
	p->state = 'S';
	p->nlwp = 1;
	str_copy(p->comm, sizeof(p->comm), comm);
	str_copy(p->cmd, sizeof(p->cmd), comm);
	p->syscall = -1;
	p->timeout_left = -1;
	return p;
}

static void channels(struct frame *f, long fill)
{
	struct channel *c = frame_channel(f, CHAN_PIPE, 4321);
	str_copy(c->name, sizeof(c->name), "pipe:[4321]");
	c->fill = fill;
	c->capacity = 65536;
	c->bytes = true;
	c->nholders = 2;
	c->holders[0] = 11;
	c->ends[0] = 'r';
	c->holders[1] = 12;
	c->ends[1] = 'w';
	c = frame_channel(f, CHAN_MQUEUE, 7);
	str_copy(c->name, sizeof(c->name), "/q");
	c->capacity = 3;
	c = frame_channel(f, CHAN_SYSV, 0);
	str_copy(c->name, sizeof(c->name), "sysv:0x2a");
	frame_add_chan_fd(f, 11, 3, 0);
	frame_add_chan_fd(f, 12, 4, 0);
	struct thread_sample *th = frame_add_thread(f);
	th->pid = th->tid = 11;
	th->state = 'S';
	str_copy(th->comm, sizeof(th->comm), "t");
}

/* The tree at step n of a short run: a child is born, blocks on a pipe,
 * becomes a zombie, is reaped; its PID comes back with another start. */
static void step(struct frame *f, int n)
{
	frame_clear(f);
	f->t = 0.1 * n;
	proc(f, 10, 1, 5, "forkscope");
	proc(f, 11, 10, 6, "zombie \x1b[1m\x01\xff\"\\");
	if (n >= 1 && n <= 2) {
		struct proc_sample *p = proc(f, 12, 11, 7, "child");
		p->syscall = n == 1 ? 0 : -1;
		p->args[0] = 3;
		p->timeout_left = n == 1 ? 1.5 : -1;
		if (n == 2) {
			p->state = 'Z';
			p->exit_code = 768;
		}
	}
	if (n == 3)
		frame_add_reap(f, 12, 768);
	if (n >= 4)
		proc(f, 12, 11, 9, "again");
	if (n == 2)
		f->incomplete = true;
	if (n >= 1 && n <= 2)
		channels(f, n * 100);
	frame_sort(f);
	frame_sort_channels(f);
}

/* Writes what the kernel told at step n of the same run: 12 is forked and
 * exits; forked again, it runs another program and renames itself; some
 * messages were lost in between. */
static bool news(struct rec_writer *w, double t, int n, char *err, size_t errlen)
{
	struct news born = { .kind = NEWS_FORK, .pid = 12, .ppid = 11 };
	struct news ran = { .kind = NEWS_EXEC, .pid = 12, .code = 94371 };
	struct news ended = { .kind = NEWS_EXIT, .pid = 12, .status = 768 };
	struct news renamed = { .kind = NEWS_COMM, .pid = 12 };
	struct obs o = { .type = OBS_PROC, .t = t };
	bool ok = true;

	str_copy(born.comm, sizeof(born.comm), "child");
	str_copy(born.cmd, sizeof(born.cmd), "zombie \x1b[1m\x01\xff\"\\");
	str_copy(born.exe, sizeof(born.exe), "/usr/libexec/forkscope/zombie");
	str_copy(ran.comm, sizeof(ran.comm), "again");
	str_copy(ran.cmd, sizeof(ran.cmd), "again --tempo 1");
	str_copy(ran.exe, sizeof(ran.exe), "/usr/bin/again");
	str_copy(renamed.comm, sizeof(renamed.comm), "renamed \xfe");
	if (n == 1 || n == 4) {
		born.start = n == 1 ? 7 : 9;
		o.news = &born;
		ok = rec_write(w, &o, err, errlen);
	}
	if (n == 2) {
		o.news = &ended;
		ok = rec_write(w, &o, err, errlen);
	}
	if (n == 4) {
		o.news = &ran;
		ok = ok && rec_write(w, &o, err, errlen);
		o.news = &renamed;
		ok = ok && rec_write(w, &o, err, errlen);
	}
	if (n == 3) {
		struct obs lost = { .type = OBS_LOST, .t = t, .lost = -1 };
		ok = rec_write(w, &lost, err, errlen);
		lost.lost = 3;
		ok = ok && rec_write(w, &lost, err, errlen);
	}
	return ok;
}

static int seed(const char *dir, const char *name, int steps, bool output)
{
	static char a0[] = "/bin/sh", a1[] = "-c", a2[] = "echo hi";
	static char *argv[] = { a0, a1, a2, NULL };
	struct rec_header h = { .version = RECORDING_VERSION, .started = 1795000000.25,
	                        .command = argv, .tempo = 1, .interval = 0.1, .cols = 80,
	                        .rows = 24, .memory = 1 << 20, .self = 10, .root = 11 };
	char path[512], err[512];
	struct frame f;

	str_copy(h.program, sizeof(h.program), "forkscope 0.9");
	str_copy(h.kernel, sizeof(h.kernel), "6.1.0");
	str_copy(h.arch, sizeof(h.arch), "x86_64");
	str_copy(h.scenario, sizeof(h.scenario), output ? "zombie" : "");
	/* the run followed the kernel's news; the readings are polling alone */
	h.news = output;
	str_copy(h.polling, sizeof(h.polling), output ? "" : "asked with --events poll");
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	struct rec_writer *w = rec_create(path, true, err, sizeof(err));
	if (!w || !rec_write_header(w, &h, err, sizeof(err)))
		goto failed;
	frame_init(&f);
	for (int n = 0; n < steps; n++) {
		step(&f, n);
		struct obs o = { .type = OBS_READING, .t = f.t, .frame = &f };
		struct obs out = { .type = OBS_OUTPUT, .t = f.t, .text = "hi \x1b[31m\x01\xfe",
		                   .cut = (unsigned long long)n, .partial = n % 2 };
		if (!rec_write(w, &o, err, sizeof(err)) ||
		    (output && !rec_write(w, &out, err, sizeof(err))) ||
		    (output && !news(w, f.t, n, err, sizeof(err))))
			goto failed;
	}
	frame_release(&f);
	struct obs kill = { .type = OBS_KILL, .t = 1 };
	struct obs end = { .type = OBS_END, .t = 1.5, .killed = 1 };
	if (steps && (!rec_write(w, &kill, err, sizeof(err)) || !rec_write(w, &end, err, sizeof(err))))
		goto failed;
	if (!rec_close(w, err, sizeof(err)))
		goto failed_closed;
	return 0;
failed:
	rec_close(w, err, sizeof(err));
failed_closed:
	fprintf(stderr, "seeds: %s\n", err);
	return 1;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: seeds FOLDER (fuzz/corpus)\n");
		return 2;
	}
	return seed(argv[1], "run", 5, true) | seed(argv[1], "readings", 5, false) |
	       seed(argv[1], "header-only", 0, false);
}
