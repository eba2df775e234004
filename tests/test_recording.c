/*
 * test_recording.c - the recording format (src/recording.c).
 *
 * Synthetic frames go through the codec and come back equal, field by
 * field; whole files go through the writer and the reader; every broken
 * file is refused with the exact message, naming the file and the line;
 * and a recording is created only where it should be.  No process is
 * watched here; the temporary folders are /tmp/forkscope-test-*.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "recording.h"
#include "util.h"

TestSuite(recording, .timeout = 10, .fini = helpers_cleanup);

/* Bytes a program may print, that JSON must carry through unchanged: an
 * escape sequence, a control character, invalid UTF-8, quotes and a
 * backslash. */
#define ODD "\x1b[31mred\x01 \xff\xfe\xc3 \"q\" back\\slash\ttab\x7f"

/* ---- frames ---------------------------------------------------------- */

static struct proc_sample *add_proc(struct frame *f, pid_t pid, pid_t ppid,
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
	p->code_start = 0x555500000000UL + (unsigned long)pid;
	str_copy(p->comm, sizeof(p->comm), comm);
	snprintf(p->cmd, sizeof(p->cmd), "%s --pid %d", comm, pid);
	snprintf(p->exe, sizeof(p->exe), "/usr/libexec/forkscope/%d", pid);
	str_copy(p->wchan, sizeof(p->wchan), "do_wait");
	p->syscall = 61;
	for (int k = 0; k < 6; k++)
		p->args[k] = (unsigned long)pid * 10 + (unsigned long)k;
	p->args[5] = ~0UL;          /* the largest an unsigned long holds */
	p->timeout_left = -1;
	return p;
}

static struct channel *add_channel(struct frame *f, enum chan_kind kind, unsigned long id,
                                   const char *name, long fill, long cap, bool bytes)
{
	struct channel *c = frame_channel(f, kind, id);
	str_copy(c->name, sizeof(c->name), name);
	c->fill = fill;
	c->capacity = cap;
	c->bytes = bytes;
	return c;
}

static void hold(struct channel *c, pid_t pid, char end)
{
	c->holders[c->nholders] = pid;
	c->ends[c->nholders] = end;
	c->nholders++;
}

/* Channels of every kind; fill says how full the pipe is. */
static void add_channels(struct frame *f, long fill)
{
	struct channel *c = add_channel(f, CHAN_PIPE, 4321, "pipe:[4321]", fill, 65536, true);
	hold(c, 101, 'r');
	hold(c, 102, 'w');
	c = add_channel(f, CHAN_MQUEUE, 77, "/fs-queue-" ODD, 3, 10, false);
	hold(c, 101, 'b');
	hold(c, 102, 'b');
	c = add_channel(f, CHAN_SYSV, 0, "sysv:0x2a", 1, 16384, true);
	hold(c, 102, 'w');
	frame_add_chan_fd(f, 101, 3, 0);
	frame_add_chan_fd(f, 102, 4, 0);
	frame_add_chan_fd(f, 101, 5, 1);
	frame_add_chan_fd(f, 102, 6, 2);
}

static void add_threads(struct frame *f)
{
	struct thread_sample *th = frame_add_thread(f);
	th->pid = 101;
	th->tid = 101;
	th->state = 'S';
	str_copy(th->comm, sizeof(th->comm), "root");
	th = frame_add_thread(f);
	th->pid = 101;
	th->tid = 105;
	th->state = 'R';
	str_copy(th->comm, sizeof(th->comm), "worker" ODD);
}

enum { STEPS = 6 };
static const double step_t[STEPS] = { 0.1, 0.2, 0.30000000000000004, 1.0 / 3, 2.5, 1234.5678901234567 };

/* The tree at each step of a small run, sorted as the sampler leaves it:
 * 0 forkscope and its program; 1 a child is born, the program changes, the
 * channels and threads appear; 2 the child is a zombie, a reading is
 * incomplete, a pipe fills; 3 the child is reaped and gone, 103 is born;
 * 4 PID 103 comes back with another start time, channels and threads are
 * gone; 5 nothing changed. */
static void build(struct frame *f, int step)
{
	frame_clear(f);
	f->t = step_t[step];
	f->self = 100;
	f->root = 101;
	/* added out of order: frame_sort() puts them right */
	if (step >= 1 && step <= 2) {
		struct proc_sample *child = add_proc(f, 102, 101, 70, "child " ODD);
		if (step == 2) {
			child->state = 'Z';
			child->exit_code = 3 << 8;
			child->cmd[0] = '\0';
			child->syscall = -1;
			child->timeout_left = 0.1 + 0.2;
		}
	}
	if (step == 3)
		add_proc(f, 103, 101, 80, "sleeper");
	if (step >= 4) {
		struct proc_sample *p = add_proc(f, 103, 101, 99, "reborn");
		p->timeout_left = 1e-300;
	}
	add_proc(f, 100, 1, 50, "forkscope");
	struct proc_sample *root = add_proc(f, 101, 100, 60, ODD);
	str_copy(root->cmd, sizeof(root->cmd), "python3 -c \"print('\\x01')\" " ODD);
	if (step >= 1) {
		root->state = 'R';
		root->timeout_left = 1.25;
		root->nlwp = 2;
	}
	if (step == 2)
		f->incomplete = true;
	if (step == 3)
		frame_add_reap(f, 102, 3 << 8);
	if (step >= 1 && step <= 3) {
		add_channels(f, step == 1 ? 12 : 65536);
		add_threads(f);
	}
	frame_sort(f);
	frame_sort_channels(f);
}

static void assert_proc_eq(const struct proc_sample *w, const struct proc_sample *g)
{
	pid_t pid = w->pid;
	cr_assert_eq(g->pid, w->pid);
	cr_assert_eq(g->ppid, w->ppid, "process %d: ppid", pid);
	cr_assert_eq(g->pgrp, w->pgrp, "process %d: pgrp", pid);
	cr_assert_eq(g->sid, w->sid, "process %d: sid", pid);
	cr_assert_eq(g->start, w->start, "process %d: start", pid);
	cr_assert_eq(g->state, w->state, "process %d: state", pid);
	cr_assert_eq(g->nlwp, w->nlwp, "process %d: nlwp", pid);
	cr_assert_eq(g->exit_code, w->exit_code, "process %d: exit_code", pid);
	cr_assert_eq(g->code_start, w->code_start, "process %d: code_start", pid);
	cr_assert_str_eq(g->comm, w->comm, "process %d: comm", pid);
	cr_assert_str_eq(g->cmd, w->cmd, "process %d: cmd", pid);
	cr_assert_str_eq(g->exe, w->exe, "process %d: exe", pid);
	cr_assert_str_eq(g->wchan, w->wchan, "process %d: wchan", pid);
	cr_assert_eq(g->syscall, w->syscall, "process %d: syscall", pid);
	for (int k = 0; k < 6; k++)
		cr_assert_eq(g->args[k], w->args[k], "process %d: args[%d]", pid, k);
	cr_assert_eq(memcmp(&g->timeout_left, &w->timeout_left, sizeof(double)), 0,
	             "process %d: timeout_left %.17g, not %.17g", pid, g->timeout_left,
	             w->timeout_left);
}

static void assert_channel_eq(const struct channel *w, const struct channel *g, size_t i)
{
	cr_assert_eq(g->kind, w->kind, "channel %zu: kind", i);
	cr_assert_eq(g->id, w->id, "channel %zu: id", i);
	cr_assert_str_eq(g->name, w->name, "channel %zu: name", i);
	cr_assert_eq(g->fill, w->fill, "channel %zu: fill", i);
	cr_assert_eq(g->capacity, w->capacity, "channel %zu: capacity", i);
	cr_assert_eq(g->bytes, w->bytes, "channel %zu: bytes", i);
	cr_assert_eq(g->nholders, w->nholders, "channel %zu: nholders", i);
	for (int k = 0; k < w->nholders; k++) {
		cr_assert_eq(g->holders[k], w->holders[k], "channel %zu: holder %d", i, k);
		cr_assert_eq(g->ends[k], w->ends[k], "channel %zu: end %d", i, k);
	}
}

/* Everything a reading carries; self and root are the header's, not its. */
static void assert_frame_eq(const struct frame *w, const struct frame *g)
{
	cr_assert_eq(memcmp(&g->t, &w->t, sizeof(double)), 0, "t %.17g, not %.17g", g->t, w->t);
	cr_assert_eq(g->self, 0);
	cr_assert_eq(g->root, 0);
	cr_assert_eq(g->nprocs, w->nprocs, "%zu processes, not %zu", g->nprocs, w->nprocs);
	for (size_t i = 0; i < w->nprocs; i++)
		assert_proc_eq(&w->procs[i], &g->procs[i]);
	for (size_t i = 0; i < w->nprocs; i++)
		cr_assert_eq(frame_find(g, w->procs[i].pid), &g->procs[i], "indexed by pid");
	cr_assert_eq(g->nreaped, w->nreaped);
	for (size_t i = 0; i < w->nreaped; i++) {
		cr_assert_eq(g->reaped[i].pid, w->reaped[i].pid);
		cr_assert_eq(g->reaped[i].status, w->reaped[i].status);
	}
	cr_assert_eq(g->incomplete, w->incomplete);
	cr_assert_eq(g->nchannels, w->nchannels);
	for (size_t i = 0; i < w->nchannels; i++)
		assert_channel_eq(&w->channels[i], &g->channels[i], i);
	cr_assert_eq(g->nchan_fds, w->nchan_fds);
	for (size_t i = 0; i < w->nchan_fds; i++) {
		cr_assert_eq(g->chan_fds[i].pid, w->chan_fds[i].pid, "descriptor %zu", i);
		cr_assert_eq(g->chan_fds[i].fd, w->chan_fds[i].fd, "descriptor %zu", i);
		cr_assert_eq(g->chan_fds[i].channel, w->chan_fds[i].channel, "descriptor %zu", i);
		cr_assert_eq(frame_fd_channel(g, w->chan_fds[i].pid, w->chan_fds[i].fd),
		             &g->channels[w->chan_fds[i].channel]);
	}
	/* every lookup indexed, not a walk through the arrays */
	cr_assert_geq(g->by_pid.covered, g->nprocs);
	cr_assert_geq(g->by_channel.covered, g->nchannels);
	cr_assert_geq(g->by_fd.covered, g->nchan_fds);
	cr_assert_eq(g->nthreads, w->nthreads);
	for (size_t i = 0; i < w->nthreads; i++) {
		cr_assert_eq(g->threads[i].pid, w->threads[i].pid);
		cr_assert_eq(g->threads[i].tid, w->threads[i].tid);
		cr_assert_eq(g->threads[i].state, w->threads[i].state);
		cr_assert_str_eq(g->threads[i].comm, w->threads[i].comm);
	}
}

static struct obs reading_of(const struct frame *f)
{
	return (struct obs){ .type = OBS_READING, .t = f->t, .frame = f };
}

static char *encode_step(struct rec_codec *enc, struct frame *f, int step, size_t *len)
{
	build(f, step);
	struct obs o = reading_of(f);
	return rec_encode(enc, &o, len);
}

static void decode_ok(struct rec_codec *dec, const char *line, size_t len, struct obs *o)
{
	char err[256] = "";
	cr_assert(rec_decode(dec, line, len, o, err, sizeof(err)), "%s in %s", err, line);
}

/* ---- temporary folders and files ------------------------------------ */

static void write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(text, 1, len, f), len);
	cr_assert_eq(fclose(f), 0);
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	char *buf = xcalloc(1 << 20, 1);
	size_t n = fread(buf, 1, (1 << 20) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* ---- the codec ------------------------------------------------------- */

CASE(recording, a_run_goes_through_the_codec_field_by_field)
{
	struct rec_codec *enc = rec_codec_new(), *dec = rec_codec_new();
	struct frame f;
	struct obs o;
	size_t len;
	frame_init(&f);

	for (int step = 0; step < STEPS; step++) {
		char *line = encode_step(enc, &f, step, &len);
		cr_assert_eq(strlen(line), len);
		cr_assert_null(strchr(line, '\n'), "one line");
		decode_ok(dec, line, len, &o);
		cr_assert_eq(o.type, OBS_READING);
		cr_assert_eq(o.t, step_t[step]);
		assert_frame_eq(&f, o.frame);
		free(line);

		/* output with odd bytes between the readings */
		struct obs out = { .type = OBS_OUTPUT, .t = step_t[step], .text = "said " ODD,
		                   .cut = 12345678901234ULL, .partial = step % 2 };
		line = rec_encode(enc, &out, &len);
		decode_ok(dec, line, len, &o);
		cr_assert_eq(o.type, OBS_OUTPUT);
		cr_assert_str_eq(o.text, "said " ODD);
		cr_assert_eq(o.cut, 12345678901234ULL);
		cr_assert_eq(o.partial, step % 2);
		cr_assert_eq(o.t, step_t[step]);
		free(line);
	}
	struct obs kill = { .type = OBS_KILL, .t = 2000 };
	struct obs end = { .type = OBS_END, .t = 2000.5, .killed = 2, .unkillable = 1 };
	char *line = rec_encode(enc, &kill, &len);
	cr_assert_str_eq(line, "{\"o\":\"kill\",\"t\":2000}");
	decode_ok(dec, line, len, &o);
	cr_assert_eq(o.type, OBS_KILL);
	cr_assert_eq(o.t, 2000);
	free(line);
	line = rec_encode(enc, &end, &len);
	cr_assert_str_eq(line, "{\"o\":\"end\",\"t\":2000.5,\"killed\":2,\"unkillable\":1}");
	decode_ok(dec, line, len, &o);
	cr_assert_eq(o.type, OBS_END);
	cr_assert_eq(o.killed, 2);
	cr_assert_eq(o.unkillable, 1);
	free(line);

	frame_release(&f);
	rec_codec_free(enc);
	rec_codec_free(dec);
}

CASE(recording, a_reading_is_written_as_its_difference)
{
	struct rec_codec *enc = rec_codec_new();
	struct frame f;
	size_t len;
	frame_init(&f);

	char *line = encode_step(enc, &f, 0, &len);
	cr_assert(strstr(line, "\"t\":0.1,"), "the fewest digits: %s", line);
	cr_assert(strstr(line, "\"start\":60"), "new: every field: %s", line);
	cr_assert_null(strstr(line, "\"channels\""), "none yet: %s", line);
	free(line);
	line = encode_step(enc, &f, 1, &len);
	/* 101 changed in three fields: written with its pid and those only */
	cr_assert(strstr(line, "{\"pid\":101,\"state\":\"R\",\"nlwp\":2,\"tleft\":1.25}"), "%s", line);
	cr_assert(strstr(line, "\"kind\":\"pipe\""), "%s", line);
	cr_assert(strstr(line, "\"holders\":[[101,\"r\"],[102,\"w\"]]"), "%s", line);
	free(line);
	line = encode_step(enc, &f, 3, &len);
	cr_assert(strstr(line, "\"gone\":[102]"), "%s", line);
	cr_assert(strstr(line, "\"reaped\":[[102,768]]"), "%s", line);
	free(line);
	line = encode_step(enc, &f, 4, &len);
	/* 103 again with another start: new, not gone */
	cr_assert(strstr(line, "{\"pid\":103,\"start\":99,"), "%s", line);
	cr_assert_null(strstr(line, "\"gone\""), "%s", line);
	cr_assert(strstr(line, "\"channels\":[],\"chan_fds\":[],\"threads\":[]"), "%s", line);
	free(line);

	/* nothing changed: a short line */
	line = encode_step(enc, &f, 5, &len);
	cr_assert_str_eq(line, "{\"o\":\"reading\",\"t\":1234.5678901234567}");
	free(line);
	frame_release(&f);
	rec_codec_free(enc);
}

CASE(recording, a_copied_codec_goes_on_where_the_first_is)
{
	struct rec_codec *enc = rec_codec_new(), *dec = rec_codec_new();
	struct rec_codec *enc2 = rec_codec_new(), *dec2 = rec_codec_new();
	struct frame f;
	struct obs o, o2;
	char err[256];
	size_t len;
	frame_init(&f);

	for (int step = 0; step < 3; step++) {
		char *line = encode_step(enc, &f, step, &len);
		decode_ok(dec, line, len, &o);
		free(line);
	}
	rec_codec_copy(enc2, enc);
	rec_codec_copy(dec2, dec);
	for (int step = 3; step < STEPS; step++) {
		char *line = encode_step(enc, &f, step, &len);
		char *line2 = encode_step(enc2, &f, step, &len);
		cr_assert_str_eq(line2, line, "the copied encoder writes the same difference");
		decode_ok(dec, line, len, &o);
		decode_ok(dec2, line, len, &o2);
		assert_frame_eq(&f, o.frame);
		assert_frame_eq(&f, o2.frame);
		cr_assert_neq(o.frame, o2.frame, "each codec its own frame");
		free(line);
		free(line2);
	}
	/* the copy knows the time too */
	const char *early = "{\"o\":\"kill\",\"t\":2}";
	cr_assert_not(rec_decode(dec2, early, strlen(early), &o, err, sizeof(err)));
	cr_assert_str_eq(err, "time goes backwards: \"t\" is 2 after 1234.5678901234567");
	frame_release(&f);
	rec_codec_free(enc);
	rec_codec_free(dec);
	rec_codec_free(enc2);
	rec_codec_free(dec2);
}

CASE(recording, numbers_are_json_whatever_the_locale)
{
	char dir[64], path[128], cmd[512];
	struct rec_codec *enc = rec_codec_new(), *dec = rec_codec_new();
	struct frame f;
	struct obs o;
	size_t len;
	frame_init(&f);
	temp_dir(dir, sizeof(dir));

	/* a locale of our own whose decimal point is a comma, as in de_DE:
	 * the machine may have none installed */
	static const char comma[] = "LC_NUMERIC\ndecimal_point \"<U002C>\"\nthousands_sep \"\"\n"
	                            "grouping -1\nEND LC_NUMERIC\n";
	snprintf(path, sizeof(path), "%s/comma", dir);
	write_file(path, comma, sizeof(comma) - 1);
	snprintf(cmd, sizeof(cmd), "localedef -c -i %s -f ANSI_X3.4-1968 %s/xx_XX >/dev/null 2>&1",
	         path, dir);
	cr_assert_neq(system(cmd), -1);
	setenv("LOCPATH", dir, 1);
	cr_assert_not_null(setlocale(LC_NUMERIC, "xx_XX"), "localedef made no locale with a decimal "
	                   "comma (is the locales package there? scripts/install-deps brings it)");
	cr_assert_str_eq(localeconv()->decimal_point, ",");

	for (int step = 0; step < 2; step++) {
		char *line = encode_step(enc, &f, step, &len);
		cr_assert(strstr(line, step ? "\"t\":0.2," : "\"t\":0.1,"), "%s", line);
		decode_ok(dec, line, len, &o);
		assert_frame_eq(&f, o.frame);
		free(line);
	}
	setlocale(LC_NUMERIC, "C");
	frame_release(&f);
	rec_codec_free(enc);
	rec_codec_free(dec);
	remove_dir(dir);
}

struct bad {
	const char *line;
	const char *err;
};

/* Broken lines, each after steps 0 and 1 (processes 100, 101, 102; t 0.2). */
static const struct bad bad_lines[] = {
	{ "not json", "not JSON (null expected at byte 2)" },
	{ "[1,2]", "not a JSON object" },
	{ "{\"o\":\"kill\",\"t\":1} x", "not JSON (unexpected character at byte 20)" },
	{ "{\"o\":\"kill\",\"t\":1", "not JSON (it ends in the middle of a value)" },
	{ "{\"o\":[[[[[[[[[[1]]]]]]]]]]}", "not JSON (nesting too deep at byte 13)" },
	{ "{\"t\":1}", "no \"o\" (what the line observed)" },
	{ "{\"o\":7,\"t\":1}", "\"o\" is not a string" },
	{ "{\"o\":\"fork\",\"t\":1}", "unknown observation \"fork\"" },
	{ "{\"o\":\"\\u001b[2J\",\"t\":1}", "unknown observation \"?[2J\"" },
	{ "{\"o\":\"reading\"}", "no \"t\"" },
	{ "{\"o\":\"reading\",\"t\":\"soon\"}", "\"t\" is not a number" },
	{ "{\"o\":\"kill\",\"t\":null}", "\"t\" is not a number" },
	{ "{\"o\":\"kill\",\"t\":NaN}", "\"t\" is not a finite number" },
	{ "{\"o\":\"kill\",\"t\":1e999}", "\"t\" is not a finite number" },
	{ "{\"o\":\"kill\",\"t\":-1}", "\"t\" is negative (-1)" },
	{ "{\"o\":\"kill\",\"t\":0.1}", "time goes backwards: \"t\" is 0.1 after 0.2" },
	{ "{\"o\":\"kill\",\"t\":1,\"x\":1}", "a kill: unknown key \"x\"" },
	{ "{\"o\":\"reading\",\"t\":1,\"procs\":{}}", "\"procs\" is not an array" },
	{ "{\"o\":\"reading\",\"t\":1,\"procs\":[5]}", "an element of \"procs\" is not an object" },
	{ "{\"o\":\"reading\",\"t\":1,\"procs\":[{\"state\":\"R\"}]}", "a process: no \"pid\"" },
	{ "{\"o\":\"reading\",\"t\":1,\"procs\":[{\"pid\":0}]}",
	  "a process: \"pid\" is not a PID (a whole number above 0)" },
	{ "{\"o\":\"reading\",\"t\":1,\"procs\":[{\"pid\":-5}]}",
	  "a process: \"pid\" is not a PID (a whole number above 0)" },
	{ "{\"o\":\"reading\",\"t\":1,\"procs\":[{\"pid\":1.5}]}",
	  "a process: \"pid\" is not a PID (a whole number above 0)" },
	{ "{\"o\":\"reading\",\"t\":1,\"procs\":[{\"pid\":555,\"state\":\"R\"}]}",
	  "process 555 changed, but the previous reading did not have it (a new process has "
	  "\"start\")" },
	/* a good change first: it must not stay when the line is refused */
	{ "{\"o\":\"reading\",\"t\":1,\"procs\":[{\"pid\":101,\"state\":\"T\"},{\"pid\":102,"
	  "\"state\":\"1\"}]}",
	  "process 102: \"state\" is not a letter (R, S, D, Z, T...)" },
	{ "{\"o\":\"reading\",\"t\":1,\"procs\":[{\"pid\":101,\"state\":\"RS\"}]}",
	  "process 101: \"state\" is not a letter (R, S, D, Z, T...)" },
	{ "{\"o\":\"reading\",\"t\":1,\"procs\":[{\"pid\":101,\"state\":\"T\"},{\"pid\":101,"
	  "\"nlwp\":2}]}",
	  "process 101 is named twice" },
	{ "{\"o\":\"reading\",\"t\":1,\"gone\":[101],\"procs\":[{\"pid\":101,\"nlwp\":2}]}",
	  "process 101 is named twice" },
	{ "{\"o\":\"reading\",\"t\":1,\"procs\":[{\"pid\":101,\"comm\":"
	  "\"0123456789012345678901234567890123456789012345678901234567890123\"}]}",
	  "process 101: \"comm\" is longer than 63 bytes" },
	{ "{\"o\":\"reading\",\"t\":1,\"procs\":[{\"pid\":101,\"comm\":\"a\\u0000b\"}]}",
	  "process 101: \"comm\" holds a NUL byte" },
	{ "{\"o\":\"reading\",\"t\":1,\"procs\":[{\"pid\":101,\"colour\":1}]}",
	  "process 101: unknown key \"colour\"" },
	{ "{\"o\":\"reading\",\"t\":1,\"procs\":[{\"pid\":101,\"nlwp\":3000000000}]}",
	  "process 101: \"nlwp\" is not a whole number from -2147483648 to 2147483647" },
	{ "{\"o\":\"reading\",\"t\":1,\"procs\":[{\"pid\":101,\"code\":-1}]}",
	  "process 101: \"code\" is not a whole number from 0 to 18446744073709551615" },
	{ "{\"o\":\"reading\",\"t\":1,\"procs\":[{\"pid\":101,\"args\":[1,2,3]}]}",
	  "process 101: \"args\" is not an array of 6 whole numbers" },
	{ "{\"o\":\"reading\",\"t\":1,\"procs\":[{\"pid\":101,\"tleft\":\"1\"}]}",
	  "process 101: \"tleft\" is not a number" },
	{ "{\"o\":\"reading\",\"t\":1,\"procs\":[{\"pid\":200,\"start\":5}]}",
	  "process 200: new, but has no \"ppid\"" },
	{ "{\"o\":\"reading\",\"t\":1,\"gone\":[999]}",
	  "\"gone\" has process 999, which the previous reading did not have" },
	{ "{\"o\":\"reading\",\"t\":1,\"gone\":[\"101\"]}",
	  "\"gone\" is not a PID (a whole number above 0)" },
	{ "{\"o\":\"reading\",\"t\":1,\"reaped\":[[102]]}",
	  "an element of \"reaped\" is not a pair [PID, ...]" },
	{ "{\"o\":\"reading\",\"t\":1,\"incomplete\":1}", "\"incomplete\" is not true or false" },
	{ "{\"o\":\"reading\",\"t\":1,\"threads\":[]}",
	  "\"channels\", \"chan_fds\" and \"threads\" come together" },
	{ "{\"o\":\"reading\",\"t\":1,\"channels\":[],\"chan_fds\":[{\"pid\":101,\"fd\":3,"
	  "\"chan\":0}],\"threads\":[]}",
	  "descriptor 0: \"chan\" is 0, past the 0 channels" },
	{ "{\"o\":\"reading\",\"t\":1,\"channels\":[{\"kind\":\"socket\",\"id\":1,\"name\":\"\","
	  "\"fill\":0,\"cap\":0,\"bytes\":true,\"holders\":[]}],\"chan_fds\":[],\"threads\":[]}",
	  "channel 0: unknown kind \"socket\" (mqueue, pipe, sysv or manager)" },
	{ "{\"o\":\"reading\",\"t\":1,\"channels\":[{\"kind\":\"pipe\",\"id\":1,\"name\":\"\","
	  "\"fill\":0,\"cap\":0,\"bytes\":true,\"holders\":[[5,\"x\"]]}],\"chan_fds\":[],"
	  "\"threads\":[]}",
	  "channel 0: a holder's end is not \"r\", \"w\" or \"b\"" },
	{ "{\"o\":\"reading\",\"t\":1,\"channels\":[{\"kind\":\"pipe\",\"id\":1,\"name\":\"\","
	  "\"fill\":0,\"cap\":0,\"bytes\":true}],\"chan_fds\":[],\"threads\":[]}",
	  "channel 0: no \"holders\"" },
	{ "{\"o\":\"reading\",\"t\":1,\"channels\":[{\"kind\":\"pipe\",\"id\":1,\"name\":\"\","
	  "\"fill\":0,\"cap\":0,\"bytes\":true,\"holders\":[]},{\"kind\":\"pipe\",\"id\":1,"
	  "\"name\":\"b\",\"fill\":0,\"cap\":0,\"bytes\":true,\"holders\":[]}],\"chan_fds\":[],"
	  "\"threads\":[]}",
	  "channel pipe 1 is there twice" },
	{ "{\"o\":\"reading\",\"t\":1,\"channels\":[],\"chan_fds\":[],\"threads\":[{\"pid\":101,"
	  "\"tid\":0,\"state\":\"S\",\"comm\":\"\"}]}",
	  "thread 0: \"tid\" is not a PID (a whole number above 0)" },
	{ "{\"o\":\"output\",\"t\":1,\"text\":5,\"cut\":0,\"partial\":false}",
	  "\"text\" is not a string" },
	{ "{\"o\":\"output\",\"t\":1,\"text\":\"\",\"partial\":false}", "an output: no \"cut\"" },
	{ "{\"o\":\"end\",\"t\":1,\"killed\":-1,\"unkillable\":0}",
	  "\"killed\" is not a whole number from 0 to 2147483647" },
	/* news from the kernel */
	{ "{\"o\":\"proc\",\"t\":1,\"pid\":7,\"status\":0}", "a proc: no \"news\"" },
	{ "{\"o\":\"proc\",\"t\":1,\"news\":1,\"pid\":7,\"status\":0}", "\"news\" is not a string" },
	{ "{\"o\":\"proc\",\"t\":1,\"news\":\"forks\",\"pid\":7}",
	  "unknown news \"forks\" (fork, exec, exit, comm or reap)" },
	{ "{\"o\":\"proc\",\"t\":1,\"news\":\"exit\",\"pid\":7}", "news \"exit\": no \"status\"" },
	{ "{\"o\":\"proc\",\"t\":1,\"news\":\"comm\",\"comm\":\"x\"}", "news \"comm\": no \"pid\"" },
	{ "{\"o\":\"proc\",\"t\":1,\"news\":\"fork\",\"pid\":7,\"ppid\":6,\"start\":1,\"comm\":\"sh\","
	  "\"cmd\":\"sh\"}",
	  "news \"fork\": no \"exe\"" },
	{ "{\"o\":\"proc\",\"t\":1,\"news\":\"exec\",\"pid\":7,\"comm\":\"a\",\"cmd\":\"a\","
	  "\"exe\":\"/a\"}",
	  "news \"exec\": no \"code\"" },
	/* a key of another kind of news */
	{ "{\"o\":\"proc\",\"t\":1,\"news\":\"exit\",\"pid\":7,\"status\":0,\"comm\":\"x\"}",
	  "news \"exit\": unknown key \"comm\"" },
	{ "{\"o\":\"proc\",\"t\":1,\"news\":\"comm\",\"pid\":7,\"comm\":\"x\",\"cmd\":\"x\","
	  "\"colour\":1}",
	  "news \"comm\": unknown key \"colour\"" },
	{ "{\"o\":\"proc\",\"t\":1,\"news\":\"exit\",\"pid\":0,\"status\":0}",
	  "\"pid\" is not a PID (a whole number above 0)" },
	{ "{\"o\":\"proc\",\"t\":1,\"news\":\"exit\",\"pid\":2147483648,\"status\":0}",
	  "\"pid\" is not a PID (a whole number above 0)" },
	{ "{\"o\":\"proc\",\"t\":1,\"news\":\"exit\",\"pid\":\"7\",\"status\":0}",
	  "\"pid\" is not a PID (a whole number above 0)" },
	{ "{\"o\":\"proc\",\"t\":1,\"news\":\"exit\",\"pid\":7,\"status\":\"0\"}",
	  "\"status\" is not a whole number from -2147483648 to 2147483647" },
	{ "{\"o\":\"proc\",\"t\":1,\"news\":\"exit\",\"pid\":7,\"status\":2147483648}",
	  "\"status\" is not a whole number from -2147483648 to 2147483647" },
	{ "{\"o\":\"proc\",\"t\":1,\"news\":\"fork\",\"pid\":7,\"ppid\":-1,\"start\":1,\"comm\":\"sh\","
	  "\"cmd\":\"sh\",\"exe\":\"\"}",
	  "\"ppid\" is not a PID (a whole number, 0 or more)" },
	{ "{\"o\":\"proc\",\"t\":1,\"news\":\"fork\",\"pid\":7,\"ppid\":6,\"start\":-1,\"comm\":\"sh\","
	  "\"cmd\":\"sh\",\"exe\":\"\"}",
	  "\"start\" is not a whole number from 0 to 18446744073709551615" },
	{ "{\"o\":\"proc\",\"t\":1,\"news\":\"exec\",\"pid\":7,\"comm\":\"a\",\"cmd\":\"a\","
	  "\"exe\":\"/a\",\"code\":1.5}",
	  "\"code\" is not a whole number from 0 to 18446744073709551615" },
	{ "{\"o\":\"proc\",\"t\":1,\"news\":\"comm\",\"pid\":7,\"comm\":"
	  "\"0123456789012345678901234567890123456789012345678901234567890123\"}",
	  "\"comm\" is longer than 63 bytes" },
	{ "{\"o\":\"proc\",\"t\":1,\"news\":\"exec\",\"pid\":7,\"comm\":\"a\",\"cmd\":\"a\\u0000b\","
	  "\"exe\":\"/a\",\"code\":0}",
	  "\"cmd\" holds a NUL byte" },
	{ "{\"o\":\"proc\",\"t\":1,\"news\":\"comm\",\"pid\":7,\"comm\":null}",
	  "\"comm\" is not a string" },
	{ "{\"o\":\"proc\",\"t\":0.1,\"news\":\"comm\",\"pid\":7,\"comm\":\"x\"}",
	  "time goes backwards: \"t\" is 0.1 after 0.2" },
	{ "{\"o\":\"lost\",\"t\":1}", "a loss: no \"count\"" },
	{ "{\"o\":\"lost\",\"t\":1,\"count\":-1}",
	  "\"count\" is not a whole number from 0 to 9223372036854775807, or null (not known)" },
	{ "{\"o\":\"lost\",\"t\":1,\"count\":\"12\"}",
	  "\"count\" is not a whole number from 0 to 9223372036854775807, or null (not known)" },
	{ "{\"o\":\"lost\",\"t\":1,\"count\":1,\"pid\":7}", "a loss: unknown key \"pid\"" },
};

CASE(recording, a_broken_line_is_refused_and_changes_nothing)
{
	struct rec_codec *enc = rec_codec_new(), *dec = rec_codec_new();
	struct frame f;
	struct obs o;
	char err[256];
	size_t len;
	frame_init(&f);

	for (int step = 0; step < 2; step++) {
		char *line = encode_step(enc, &f, step, &len);
		decode_ok(dec, line, len, &o);
		free(line);
	}
	for (size_t i = 0; i < sizeof(bad_lines) / sizeof(bad_lines[0]); i++) {
		const struct bad *b = &bad_lines[i];
		err[0] = '\0';
		cr_assert_not(rec_decode(dec, b->line, strlen(b->line), &o, err, sizeof(err)),
		              "accepted: %s", b->line);
		cr_assert_str_eq(err, b->err, "for %s", b->line);
	}
	/* nothing at all, with no buffer (found by the fuzzer) */
	cr_assert_not(rec_decode(dec, NULL, 0, &o, err, sizeof(err)));
	cr_assert_str_eq(err, "not JSON (an empty line)");
	/* a NUL byte inside the line */
	static const char nul[] = "{\"o\":\"kill\",\"t\":1}\0";
	cr_assert_not(rec_decode(dec, nul, sizeof(nul), &o, err, sizeof(err)));
	cr_assert_str_eq(err, "not JSON (it holds a NUL byte)");

	/* the previous reading is still step 1's: step 2's difference applies */
	char *line = encode_step(enc, &f, 2, &len);
	decode_ok(dec, line, len, &o);
	assert_frame_eq(&f, o.frame);
	free(line);
	frame_release(&f);
	rec_codec_free(enc);
	rec_codec_free(dec);
}

CASE(recording, an_absurd_array_is_refused)
{
	struct rec_codec *dec = rec_codec_new();
	size_t n = 1000001;
	char *line = xcalloc(64 + 2 * n, 1);
	struct obs o;
	char err[256];

	int at = sprintf(line, "{\"o\":\"reading\",\"t\":1,\"gone\":[");
	for (size_t i = 0; i < n; i++)
		memcpy(line + at + 2 * i, i + 1 < n ? "1," : "1]", 2);
	strcat(line, "}");
	cr_assert_not(rec_decode(dec, line, strlen(line), &o, err, sizeof(err)));
	cr_assert_str_eq(err, "\"gone\" has 1000001 elements, more than 1000000");
	free(line);
	rec_codec_free(dec);
}

/* ---- news from the kernel ------------------------------------------- */

/* The keys of kind equal; the others as a decoder leaves them, 0 and "". */
static void assert_news_eq(const struct news *w, const struct news *g)
{
	bool fork = w->kind == NEWS_FORK, exec = w->kind == NEWS_EXEC;
	const char *kind = news_kind_name(w->kind);

	cr_assert_eq(g->kind, w->kind, "%s: kind %d", kind, (int)g->kind);
	cr_assert_eq(g->pid, w->pid, "%s: pid", kind);
	cr_assert_eq(g->ppid, fork ? w->ppid : 0, "%s: ppid", kind);
	cr_assert_eq(g->start, fork ? w->start : 0, "%s: start", kind);
	cr_assert_eq(g->status, w->kind == NEWS_EXIT ? w->status : 0, "%s: status", kind);
	cr_assert_eq(g->code, exec ? w->code : 0, "%s: code", kind);
	cr_assert_str_eq(g->comm, w->kind != NEWS_EXIT ? w->comm : "", "%s: comm", kind);
	cr_assert_str_eq(g->cmd, w->kind != NEWS_EXIT ? w->cmd : "", "%s: cmd", kind);
	cr_assert_str_eq(g->exe, fork || exec ? w->exe : "", "%s: exe", kind);
}

/* Each kind of news, with keys of other kinds set too: they are not
 * written. */
static const struct {
	double t;
	struct news n;
	const char *line;       /* what rec_encode() writes, or NULL */
} news_cases[] = {
	{ 1.25,
	  { .kind = NEWS_FORK, .pid = 7, .ppid = 6, .start = 9901, .status = 9, .code = 9,
	    .comm = "sh", .cmd = "sh -c x", .exe = "/usr/bin/dash" },
	  "{\"o\":\"proc\",\"t\":1.25,\"news\":\"fork\",\"pid\":7,\"ppid\":6,\"start\":9901,"
	  "\"comm\":\"sh\",\"cmd\":\"sh -c x\",\"exe\":\"/usr/bin/dash\"}" },
	{ 1.3,
	  { .kind = NEWS_EXEC, .pid = 7, .ppid = 6, .start = 9901, .status = 9, .code = 94371,
	    .comm = "true", .cmd = "/bin/true", .exe = "/usr/bin/true" },
	  "{\"o\":\"proc\",\"t\":1.3,\"news\":\"exec\",\"pid\":7,\"comm\":\"true\","
	  "\"cmd\":\"/bin/true\",\"exe\":\"/usr/bin/true\",\"code\":94371}" },
	{ 1.31,
	  { .kind = NEWS_EXIT, .pid = 7, .ppid = 6, .start = 9901, .status = 0, .code = 9,
	    .comm = "true", .cmd = "/bin/true", .exe = "/usr/bin/true" },
	  "{\"o\":\"proc\",\"t\":1.31,\"news\":\"exit\",\"pid\":7,\"status\":0}" },
	{ 1.32,
	  { .kind = NEWS_COMM, .pid = 7, .ppid = 6, .start = 9901, .status = 9, .code = 9,
	    .comm = "worker", .cmd = "worker 1: task 7", .exe = "/usr/bin/true" },
	  "{\"o\":\"proc\",\"t\":1.32,\"news\":\"comm\",\"pid\":7,\"comm\":\"worker\","
	  "\"cmd\":\"worker 1: task 7\"}" },
	/* the ends of every range, and a program's odd bytes */
	{ 1.5,
	  { .kind = NEWS_FORK, .pid = INT_MAX, .ppid = 0, .start = ULLONG_MAX,
	    .comm = "child " ODD, .cmd = "python3 -c \"print('\\x01')\" " ODD, .exe = "" },
	  NULL },
	{ 1.5,
	  { .kind = NEWS_FORK, .pid = 1, .ppid = INT_MAX, .start = 0, .comm = "", .cmd = "",
	    .exe = "/" ODD },
	  NULL },
	{ 1.5, { .kind = NEWS_EXEC, .pid = 1, .code = ULONG_MAX, .exe = ODD }, NULL },
	{ 1.5, { .kind = NEWS_EXIT, .pid = 2, .status = INT_MIN }, NULL },
	{ 1.5, { .kind = NEWS_EXIT, .pid = 3, .status = INT_MAX }, NULL },
	{ 1.5, { .kind = NEWS_EXIT, .pid = 4, .status = 139 }, NULL },
	{ 1.5, { .kind = NEWS_COMM, .pid = 5, .comm = "" }, NULL },
};

CASE(recording, news_and_losses_go_through_the_codec)
{
	struct rec_codec *enc = rec_codec_new(), *dec = rec_codec_new();
	struct news full = { .kind = NEWS_EXEC, .pid = 8 };
	struct obs o, kept;
	char err[256];
	size_t len;

	for (size_t i = 0; i < sizeof(news_cases) / sizeof(news_cases[0]); i++) {
		struct obs in = { .type = OBS_PROC, .t = news_cases[i].t, .news = &news_cases[i].n };
		char *line = rec_encode(enc, &in, &len);
		cr_assert_eq(strlen(line), len);
		if (news_cases[i].line)
			cr_assert_str_eq(line, news_cases[i].line);
		decode_ok(dec, line, len, &o);
		cr_assert_eq(o.type, OBS_PROC);
		cr_assert_eq(o.t, news_cases[i].t);
		cr_assert_not_null(o.news);
		cr_assert_neq(o.news, &news_cases[i].n, "the codec's own copy");
		assert_news_eq(&news_cases[i].n, o.news);
		free(line);
	}

	/* every text as long as its field holds */
	memset(full.comm, 'c', sizeof(full.comm) - 1);
	memset(full.cmd, 'm', sizeof(full.cmd) - 1);
	memset(full.exe, 'e', sizeof(full.exe) - 1);
	struct obs in = { .type = OBS_PROC, .t = 1.5, .news = &full };
	char *line = rec_encode(enc, &in, &len);
	decode_ok(dec, line, len, &o);
	assert_news_eq(&full, o.news);
	free(line);

	/* a broken line leaves the last news as it was */
	kept = o;
	static const char bad[] = "{\"o\":\"proc\",\"t\":1.5,\"news\":\"comm\",\"pid\":9,\"comm\":5}";
	cr_assert_not(rec_decode(dec, bad, strlen(bad), &o, err, sizeof(err)));
	cr_assert_str_eq(err, "\"comm\" is not a string");
	assert_news_eq(&full, kept.news);

	/* losses: how many, and not known (null) */
	static const struct {
		long lost;
		const char *line;
	} losses[] = {
		{ 12, "{\"o\":\"lost\",\"t\":2,\"count\":12}" },
		{ 0, "{\"o\":\"lost\",\"t\":2,\"count\":0}" },
		{ LONG_MAX, "{\"o\":\"lost\",\"t\":2,\"count\":9223372036854775807}" },
		{ -1, "{\"o\":\"lost\",\"t\":2,\"count\":null}" },
	};
	for (size_t i = 0; i < sizeof(losses) / sizeof(losses[0]); i++) {
		struct obs lost = { .type = OBS_LOST, .t = 2, .lost = losses[i].lost };
		line = rec_encode(enc, &lost, &len);
		cr_assert_str_eq(line, losses[i].line);
		decode_ok(dec, line, len, &o);
		cr_assert_eq(o.type, OBS_LOST);
		cr_assert_eq(o.t, 2);
		cr_assert_eq(o.lost, losses[i].lost);
		free(line);
	}
	/* as a person would write it */
	static const char lost[] = "{\"o\":\"lost\",\"t\":2.0,\"count\":12}";
	decode_ok(dec, lost, strlen(lost), &o);
	cr_assert_eq(o.type, OBS_LOST);
	cr_assert_eq(o.lost, 12);
	rec_codec_free(enc);
	rec_codec_free(dec);
}

/* ---- files ----------------------------------------------------------- */

static char arg0[] = "/bin/sh", arg1[] = "-c", arg2[] = "echo \"hi\" \\ " ODD;
static char *command[] = { arg0, arg1, arg2, NULL };

static void header_of(struct rec_header *h, const char *scenario)
{
	memset(h, 0, sizeof(*h));
	h->version = RECORDING_VERSION;
	str_copy(h->program, sizeof(h->program), "forkscope 0.9");
	str_copy(h->kernel, sizeof(h->kernel), "6.1.0-13-amd64");
	str_copy(h->arch, sizeof(h->arch), "x86_64");
	h->started = 1795000000.25;
	str_copy(h->scenario, sizeof(h->scenario), scenario);
	h->command = command;     /* not freed: the header is only written */
	h->tempo = 0.5;
	h->interval = 0.1;
	h->cols = 80;
	h->rows = 24;
	h->memory = 33554432;
	h->self = 4100;
	h->root = 4101;
	h->news = true;
}

/* Records steps 0..5 with an output line, a kill and the end into path. */
static void record(const char *path, const char *scenario)
{
	struct rec_header h;
	struct frame f;
	char err[512];
	frame_init(&f);
	header_of(&h, scenario);

	struct rec_writer *w = rec_create(path, false, err, sizeof(err));
	cr_assert_not_null(w, "%s", err);
	cr_assert(rec_write_header(w, &h, err, sizeof(err)), "%s", err);
	for (int step = 0; step < STEPS; step++) {
		build(&f, step);
		struct obs o = reading_of(&f);
		cr_assert(rec_write(w, &o, err, sizeof(err)), "%s", err);
		if (step == 2) {
			struct obs out = { .type = OBS_OUTPUT, .t = f.t, .text = ODD, .partial = true };
			cr_assert(rec_write(w, &out, err, sizeof(err)), "%s", err);
		}
		if (step == 4) {
			struct obs news = { .type = OBS_PROC, .t = f.t, .news = &news_cases[0].n };
			struct obs lost = { .type = OBS_LOST, .t = f.t, .lost = -1 };
			cr_assert(rec_write(w, &news, err, sizeof(err)), "%s", err);
			cr_assert(rec_write(w, &lost, err, sizeof(err)), "%s", err);
		}
	}
	struct obs kill = { .type = OBS_KILL, .t = 2000 };
	struct obs end = { .type = OBS_END, .t = 2001, .killed = 3 };
	cr_assert(rec_write(w, &kill, err, sizeof(err)), "%s", err);
	cr_assert(rec_write(w, &end, err, sizeof(err)), "%s", err);
	cr_assert(rec_close(w, err, sizeof(err)), "%s", err);
	frame_release(&f);
}

CASE(recording, a_file_round_trip)
{
	char dir[64], path[128], err[512];
	struct rec_header h;
	struct frame f;
	struct obs o;
	temp_dir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/run.jsonl", dir);
	frame_init(&f);

	record(path, "zombie");
	struct rec_reader *r = rec_open(path, &h, err, sizeof(err));
	cr_assert_not_null(r, "%s", err);
	cr_assert_eq(h.version, RECORDING_VERSION);
	cr_assert_str_eq(h.program, "forkscope 0.9");
	cr_assert_str_eq(h.kernel, "6.1.0-13-amd64");
	cr_assert_str_eq(h.arch, "x86_64");
	cr_assert_eq(h.started, 1795000000.25);
	cr_assert_str_eq(h.scenario, "zombie");
	for (int i = 0; i < 3; i++)
		cr_assert_str_eq(h.command[i], command[i]);
	cr_assert_null(h.command[3]);
	cr_assert_eq(h.tempo, 0.5);
	cr_assert_eq(h.interval, 0.1);
	cr_assert_eq(h.cols, 80);
	cr_assert_eq(h.rows, 24);
	cr_assert_eq(h.memory, 33554432);
	cr_assert_eq(h.self, 4100);
	cr_assert_eq(h.root, 4101);
	cr_assert(h.news);
	cr_assert_str_eq(h.polling, "");
	for (int step = 0; step < STEPS; step++) {
		cr_assert_eq(rec_read(r, &o, err, sizeof(err)), 1, "%s", err);
		cr_assert_eq(o.type, OBS_READING);
		build(&f, step);
		assert_frame_eq(&f, o.frame);
		if (step == 2) {
			cr_assert_eq(rec_read(r, &o, err, sizeof(err)), 1, "%s", err);
			cr_assert_eq(o.type, OBS_OUTPUT);
			cr_assert_str_eq(o.text, ODD);
			cr_assert(o.partial);
		}
		if (step == 4) {
			cr_assert_eq(rec_read(r, &o, err, sizeof(err)), 1, "%s", err);
			cr_assert_eq(o.type, OBS_PROC);
			assert_news_eq(&news_cases[0].n, o.news);
			cr_assert_eq(rec_read(r, &o, err, sizeof(err)), 1, "%s", err);
			cr_assert_eq(o.type, OBS_LOST);
			cr_assert_eq(o.lost, -1);
		}
	}
	cr_assert_eq(rec_read(r, &o, err, sizeof(err)), 1, "%s", err);
	cr_assert_eq(o.type, OBS_KILL);
	cr_assert_eq(rec_read(r, &o, err, sizeof(err)), 1, "%s", err);
	cr_assert_eq(o.type, OBS_END);
	cr_assert_eq(o.killed, 3);
	cr_assert_eq(rec_read(r, &o, err, sizeof(err)), 0, "the end");
	cr_assert_eq(rec_read(r, &o, err, sizeof(err)), 0, "still the end");
	rec_reader_free(r);
	rec_header_free(&h);

	/* a command, not a scenario: null, read back as "" */
	snprintf(path, sizeof(path), "%s/command.jsonl", dir);
	record(path, "");
	char *text = read_file(path);
	cr_assert(strstr(text, "\"scenario\":null"), "%s", text);
	free(text);
	r = rec_open(path, &h, err, sizeof(err));
	cr_assert_not_null(r, "%s", err);
	cr_assert_str_eq(h.scenario, "");
	rec_reader_free(r);
	rec_header_free(&h);
	cr_assert(rec_close(NULL, err, sizeof(err)));
	frame_release(&f);
	remove_dir(dir);
}

/* The first lines of a good recording, up to and with its second reading. */
static char *good_start(const char *dir)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/good.jsonl", dir);
	record(path, "zombie");
	char *text = read_file(path);
	char *cut = text;
	for (int i = 0; i < 3; i++)
		cut = strchr(cut, '\n') + 1;
	*cut = '\0';
	return text;
}

/* Writes text as dir/name and checks that reading it fails at line, after
 * line - 2 good observations, with exactly "PATH: line LINE: what"; for
 * line 1, rec_open() fails with "PATH: what" (the header's messages say
 * "line 1" themselves, or are about the whole file). */
static void assert_broken(const char *dir, const char *name, const char *text, size_t len,
                          int line, const char *what)
{
	char path[128], want[512], err[512];
	struct rec_header h;
	struct obs o;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	write_file(path, text, len);
	if (line > 1)
		snprintf(want, sizeof(want), "%s: line %d: %s", path, line, what);
	else
		snprintf(want, sizeof(want), "%s: %s", path, what);

	struct rec_reader *r = rec_open(path, &h, err, sizeof(err));
	if (line <= 1) {
		cr_assert_null(r, "%s opened", name);
		cr_assert_str_eq(err, want);
		cr_assert_null(h.command, "nothing to free");
		rec_header_free(&h);
		return;
	}
	cr_assert_not_null(r, "%s", err);
	for (int i = 2; i < line; i++)
		cr_assert_eq(rec_read(r, &o, err, sizeof(err)), 1, "%s: %s", name, err);
	cr_assert_eq(rec_read(r, &o, err, sizeof(err)), -1, "%s: line %d read", name, line);
	cr_assert_str_eq(err, want);
	/* broken from here on */
	cr_assert_eq(rec_read(r, &o, err, sizeof(err)), -1);
	cr_assert_str_eq(err, want);
	rec_reader_free(r);
	rec_header_free(&h);
}

CASE(recording, a_broken_file_names_itself_and_the_line)
{
	char dir[64], buf[4096];
	temp_dir(dir, sizeof(dir));
	char *good = good_start(dir);
	size_t n = strlen(good);

	/* cut in the middle of line 3 */
	assert_broken(dir, "cut.jsonl", good, n - 7, 3, "truncated (the recording was cut short)");
	/* the last line whole but for its newline */
	assert_broken(dir, "no-newline.jsonl", good, n - 1, 3,
	              "truncated (the recording was cut short)");
	snprintf(buf, sizeof(buf), "%shello\n", good);
	assert_broken(dir, "not-json.jsonl", buf, strlen(buf), 4,
	              "not JSON (unexpected character at byte 1)");
	snprintf(buf, sizeof(buf), "%s{\"o\":\"kill\",\"t\":\"late\"}\n", good);
	assert_broken(dir, "type.jsonl", buf, strlen(buf), 4, "\"t\" is not a number");
	snprintf(buf, sizeof(buf), "%s{\"o\":\"fork\",\"t\":5}\n", good);
	assert_broken(dir, "fork.jsonl", buf, strlen(buf), 4, "unknown observation \"fork\"");
	snprintf(buf, sizeof(buf), "%s{\"o\":\"kill\",\"t\":0.15}\n", good);
	assert_broken(dir, "backwards.jsonl", buf, strlen(buf), 4,
	              "time goes backwards: \"t\" is 0.15 after 0.2");

	/* line 1 */
	assert_broken(dir, "empty.jsonl", "", 0, 1, "empty (not a forkscope recording)");
	snprintf(buf, sizeof(buf), "%s\n{\"o\":\"kill\",\"t\":5}\n", good);
	assert_broken(dir, "empty-line.jsonl", buf, strlen(buf), 4, "not JSON (an empty line)");
	/* an empty first line, before anything was read into the buffer
	 * (found by the fuzzer) */
	assert_broken(dir, "newline.jsonl", "\n", 1, 1, "line 1: not a forkscope recording");
	const char newer[] = "{\"forkscope\":\"recording\",\"version\":6,\"future\":true}\n";
	assert_broken(dir, "newer.jsonl", newer, strlen(newer), 1,
	              "line 1: format version 6 is newer than this forkscope reads (5); update "
	              "forkscope");
	const char other[] = "{\"name\":\"not us\"}\n";
	assert_broken(dir, "other.jsonl", other, strlen(other), 1,
	              "line 1: not a forkscope recording");
	const char text[] = "hello, world\n";
	assert_broken(dir, "text.txt", text, strlen(text), 1, "line 1: not a forkscope recording");
	const char elf[] = "\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0\x01\0\0\0";
	assert_broken(dir, "binary", elf, sizeof(elf), 1, "line 1: not a forkscope recording");
	const char nul[] = "{\"forkscope\":\"recording\",\"version\":1}\0\n";
	assert_broken(dir, "nul.jsonl", nul, sizeof(nul) - 1, 1, "line 1: not a forkscope recording");
	assert_broken(dir, "cut-header.jsonl", good, 40, 1,
	              "line 1: truncated (the recording was cut short)");
	const char bad_header[] = "{\"forkscope\":\"recording\",\"version\":1,\"program\":5}\n";
	assert_broken(dir, "bad-header.jsonl", bad_header, strlen(bad_header), 1,
	              "line 1: \"program\" is not a string");

	/* a folder, by path and as a stream */
	char path[128], err[512];
	struct rec_header h;
	snprintf(path, sizeof(path), "%s/folder", dir);
	cr_assert_eq(mkdir(path, 0755), 0);
	cr_assert_null(rec_open(path, &h, err, sizeof(err)));
	cr_assert_str_eq(err, strcat(strcpy(buf, path), ": is a folder, not a recording"));
	FILE *f = fopen(path, "r");
	cr_assert_not_null(f);
	cr_assert_null(rec_open_stream(f, "folder", &h, err, sizeof(err)));
	cr_assert_str_eq(err, "folder: is a folder, not a recording");
	fclose(f);
	snprintf(path, sizeof(path), "%s/missing", dir);
	cr_assert_null(rec_open(path, &h, err, sizeof(err)));
	cr_assert_str_eq(err, strcat(strcpy(buf, path), ": no such file (check the name)"));
	free(good);
	remove_dir(dir);
}

/* A header's keys after "version", as version 1 wrote them (no "news",
 * no "polling"), without the closing brace. */
#define HEADER_KEYS                                                                   \
	"\"program\":\"forkscope 0.9\",\"kernel\":\"6.1.0\",\"arch\":\"x86_64\","     \
	"\"started\":1795000000.25,\"scenario\":\"zombie\",\"command\":[\"/bin/sh\"]," \
	"\"tempo\":1,\"interval\":0.1,\"cols\":80,\"rows\":24,\"memory\":1048576,"    \
	"\"self\":10,\"root\":11"
#define V1_HEADER "{\"forkscope\":\"recording\",\"version\":1," HEADER_KEYS "}\n"
#define V2_START "{\"forkscope\":\"recording\",\"version\":2," HEADER_KEYS

/* Writes a header with news and polling alone into path; reads it back
 * into h (the caller frees it). */
static void header_round_trip(const char *path, bool news, const char *polling,
                              struct rec_header *h)
{
	char err[512];
	struct rec_header w;
	header_of(&w, "zombie");
	w.news = news;
	str_copy(w.polling, sizeof(w.polling), polling);
	struct rec_writer *wr = rec_create(path, true, err, sizeof(err));
	cr_assert_not_null(wr, "%s", err);
	cr_assert(rec_write_header(wr, &w, err, sizeof(err)), "%s", err);
	cr_assert(rec_close(wr, err, sizeof(err)), "%s", err);
	struct rec_reader *r = rec_open(path, h, err, sizeof(err));
	cr_assert_not_null(r, "%s", err);
	cr_assert_eq(h->version, RECORDING_VERSION);
	rec_reader_free(r);
}

CASE(recording, a_header_says_where_the_lifecycle_came_from)
{
	char dir[64], path[128], polling[160];
	struct rec_header h;
	temp_dir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/run.jsonl", dir);

	header_round_trip(path, true, "", &h);
	char *text = read_file(path);
	cr_assert(strstr(text, ",\"news\":true,\"polling\":\"\",\"attached\":[],\"pidns\":false}\n"), "%s", text);
	free(text);
	cr_assert(h.news);
	cr_assert_str_eq(h.polling, "");
	rec_header_free(&h);

	header_round_trip(path, false, "the kernel refused it: " ODD, &h);
	text = read_file(path);
	cr_assert(strstr(text, ",\"news\":false,\"polling\":\"the kernel refused it: "), "%s", text);
	free(text);
	cr_assert_not(h.news);
	cr_assert_str_eq(h.polling, "the kernel refused it: " ODD);
	rec_header_free(&h);

	/* as long as the field holds */
	memset(polling, 'p', sizeof(polling) - 1);
	polling[sizeof(polling) - 1] = '\0';
	header_round_trip(path, false, polling, &h);
	cr_assert_str_eq(h.polling, polling);
	rec_header_free(&h);
	remove_dir(dir);
}

CASE(recording, a_version_1_header_is_still_read)
{
	static const char v1[] = V1_HEADER "{\"o\":\"kill\",\"t\":1}\n"
	                         "{\"o\":\"end\",\"t\":2,\"killed\":0,\"unkillable\":0}\n";
	char dir[64], path[128], err[512];
	struct rec_header h;
	struct obs o;
	temp_dir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/v1.jsonl", dir);
	write_file(path, v1, strlen(v1));

	struct rec_reader *r = rec_open(path, &h, err, sizeof(err));
	cr_assert_not_null(r, "%s", err);
	cr_assert_eq(h.version, 1);
	cr_assert_str_eq(h.program, "forkscope 0.9");
	cr_assert_eq(h.root, 11);
	/* polling alone, and nobody said why */
	cr_assert_not(h.news);
	cr_assert_str_eq(h.polling, "");
	cr_assert_eq(rec_read(r, &o, err, sizeof(err)), 1, "%s", err);
	cr_assert_eq(o.type, OBS_KILL);
	cr_assert_eq(rec_read(r, &o, err, sizeof(err)), 1, "%s", err);
	cr_assert_eq(o.type, OBS_END);
	cr_assert_eq(rec_read(r, &o, err, sizeof(err)), 0, "%s", err);
	rec_reader_free(r);
	rec_header_free(&h);
	remove_dir(dir);
}

/* The recording the replay tests use, made by version 1: read to its end. */
CASE(recording, the_version_1_test_recording_reads_to_its_end)
{
	char err[512];
	struct rec_header h;
	struct obs o;
	int got, n = 0;

	struct rec_reader *r = rec_open("tests/data/zombie.jsonl", &h, err, sizeof(err));
	cr_assert_not_null(r, "%s", err);
	cr_assert_eq(h.version, 1);
	cr_assert_not(h.news);
	enum obs_type last = OBS_COUNT;
	while ((got = rec_read(r, &o, err, sizeof(err))) == 1) {
		last = o.type;
		n++;
	}
	cr_assert_eq(got, 0, "%s", err);
	cr_assert_gt(n, 10);
	cr_assert_eq(last, OBS_END);
	rec_reader_free(r);
	rec_header_free(&h);
}

CASE(recording, a_version_2_header_needs_news_and_polling)
{
	char dir[64], buf[1024];
	temp_dir(dir, sizeof(dir));

	snprintf(buf, sizeof(buf), "%s,\"polling\":\"\"}\n", V2_START);
	assert_broken(dir, "no-news.jsonl", buf, strlen(buf), 1, "line 1: no \"news\"");
	snprintf(buf, sizeof(buf), "%s,\"news\":\"yes\",\"polling\":\"\"}\n", V2_START);
	assert_broken(dir, "news-text.jsonl", buf, strlen(buf), 1,
	              "line 1: \"news\" is not true or false");
	snprintf(buf, sizeof(buf), "%s,\"news\":true}\n", V2_START);
	assert_broken(dir, "no-polling.jsonl", buf, strlen(buf), 1, "line 1: no \"polling\"");
	snprintf(buf, sizeof(buf), "%s,\"news\":false,\"polling\":null}\n", V2_START);
	assert_broken(dir, "polling-null.jsonl", buf, strlen(buf), 1,
	              "line 1: \"polling\" is not a string");
	int at = snprintf(buf, sizeof(buf), "%s,\"news\":false,\"polling\":\"", V2_START);
	memset(buf + at, 'p', 160);
	snprintf(buf + at + 160, sizeof(buf) - (size_t)at - 160, "\"}\n");
	assert_broken(dir, "polling-long.jsonl", buf, strlen(buf), 1,
	              "line 1: \"polling\" is longer than 159 bytes");
	remove_dir(dir);
}

/* Version 4: the PIDs an attached run watched, required, each a PID; a
 * version 3 header has none (read as []). */
CASE(recording, a_version_4_header_names_what_was_attached)
{
	char dir[64], buf[1024], path[128], err[512];
	struct rec_header h;
	temp_dir(dir, sizeof(dir));

	snprintf(path, sizeof(path), "%s/v4.jsonl", dir);
	snprintf(buf, sizeof(buf), "{\"forkscope\":\"recording\",\"version\":4," HEADER_KEYS
	         ",\"news\":true,\"polling\":\"\",\"attached\":[12,34]}\n");
	write_file(path, buf, strlen(buf));
	struct rec_reader *r = rec_open(path, &h, err, sizeof(err));
	cr_assert_not_null(r, "%s", err);
	cr_assert_eq(h.nattached, 2);
	cr_assert_eq(h.attached[0], 12);
	cr_assert_eq(h.attached[1], 34);
	rec_reader_free(r);
	rec_header_free(&h);

	snprintf(path, sizeof(path), "%s/v3.jsonl", dir);
	snprintf(buf, sizeof(buf), "{\"forkscope\":\"recording\",\"version\":3," HEADER_KEYS
	         ",\"news\":true,\"polling\":\"\"}\n");
	write_file(path, buf, strlen(buf));
	r = rec_open(path, &h, err, sizeof(err));
	cr_assert_not_null(r, "%s", err);
	cr_assert_eq(h.nattached, 0);
	rec_reader_free(r);
	rec_header_free(&h);

	snprintf(buf, sizeof(buf), "{\"forkscope\":\"recording\",\"version\":4," HEADER_KEYS
	         ",\"news\":true,\"polling\":\"\"}\n");
	assert_broken(dir, "no-attached.jsonl", buf, strlen(buf), 1, "line 1: no \"attached\"");
	snprintf(buf, sizeof(buf), "{\"forkscope\":\"recording\",\"version\":4," HEADER_KEYS
	         ",\"news\":true,\"polling\":\"\",\"attached\":[0]}\n");
	assert_broken(dir, "attached-0.jsonl", buf, strlen(buf), 1,
	              "line 1: \"attached\" is not a whole number from 1 to 2147483647");
	remove_dir(dir);
}

CASE(recording, a_version_1_recording_has_no_news)
{
	char dir[64];
	temp_dir(dir, sizeof(dir));
	static const char proc[] = V1_HEADER
	        "{\"o\":\"proc\",\"t\":1,\"news\":\"exit\",\"pid\":7,\"status\":0}\n";
	assert_broken(dir, "proc.jsonl", proc, strlen(proc), 2,
	              "a \"proc\" line in a version 1 recording");
	static const char lost[] = V1_HEADER "{\"o\":\"kill\",\"t\":1}\n"
	                           "{\"o\":\"lost\",\"t\":1,\"count\":null}\n";
	assert_broken(dir, "lost.jsonl", lost, strlen(lost), 3,
	              "a \"lost\" line in a version 1 recording");
	/* the same lines in version 2 */
	static const char v2[] = V2_START ",\"news\":true,\"polling\":\"\"}\n"
	        "{\"o\":\"proc\",\"t\":1,\"news\":\"exit\",\"pid\":7,\"status\":0}\n"
	        "{\"o\":\"lost\",\"t\":1,\"count\":null}\n";
	char path[128], err[512];
	struct rec_header h;
	struct obs o;
	snprintf(path, sizeof(path), "%s/v2.jsonl", dir);
	write_file(path, v2, strlen(v2));
	struct rec_reader *r = rec_open(path, &h, err, sizeof(err));
	cr_assert_not_null(r, "%s", err);
	cr_assert(h.news);
	cr_assert_eq(rec_read(r, &o, err, sizeof(err)), 1, "%s", err);
	cr_assert_eq(o.type, OBS_PROC);
	cr_assert_eq(o.news->kind, NEWS_EXIT);
	cr_assert_eq(rec_read(r, &o, err, sizeof(err)), 1, "%s", err);
	cr_assert_eq(o.type, OBS_LOST);
	cr_assert_eq(o.lost, -1);
	cr_assert_eq(rec_read(r, &o, err, sizeof(err)), 0, "%s", err);
	rec_reader_free(r);
	rec_header_free(&h);
	remove_dir(dir);
}

CASE(recording, a_version_2_recording_has_no_hook_and_its_processes_no_pollfd)
{
	char dir[64], path[128], err[512];
	struct rec_header h;
	struct obs o;
	temp_dir(dir, sizeof(dir));
	static const char hook[] = V2_START ",\"news\":true,\"polling\":\"\"}\n"
	        "{\"o\":\"hook\",\"t\":1,\"pid\":7,\"msg\":\"{}\"}\n";
	assert_broken(dir, "hook.jsonl", hook, strlen(hook), 2,
	              "a \"hook\" line in a version 2 recording");
	/* a version 2 process, without "pollfd": read as in no poll() */
	static const char v2[] = V2_START ",\"news\":false,\"polling\":\"\"}\n"
	        "{\"o\":\"reading\",\"t\":1,\"procs\":[{\"pid\":7,\"start\":9,\"ppid\":1,"
	        "\"pgrp\":7,\"sid\":7,\"state\":\"S\",\"nlwp\":1,\"exit\":-1,\"code\":1,"
	        "\"comm\":\"a\",\"cmd\":\"a\",\"exe\":\"\",\"wchan\":\"\",\"sys\":7,"
	        "\"args\":[5,1,0,0,0,0],\"tleft\":-1}]}\n";
	snprintf(path, sizeof(path), "%s/v2.jsonl", dir);
	write_file(path, v2, strlen(v2));
	struct rec_reader *r = rec_open(path, &h, err, sizeof(err));
	cr_assert_not_null(r, "%s", err);
	cr_assert_eq(rec_read(r, &o, err, sizeof(err)), 1, "%s", err);
	cr_assert_eq(o.type, OBS_READING);
	cr_assert_eq(o.frame->nprocs, 1);
	cr_assert_eq(o.frame->procs[0].poll_fd, -1);
	rec_reader_free(r);
	rec_header_free(&h);
	remove_dir(dir);
}

/* A stream of a header line, then 'x' forever: a line that never ends. */
struct flood {
	const char *head;
	size_t len, at;
};

static ssize_t flood_read(void *cookie, char *buf, size_t size)
{
	struct flood *fl = cookie;
	size_t n = 0;
	while (n < size && fl->at < fl->len)
		buf[n++] = fl->head[fl->at++];
	memset(buf + n, 'x', size - n);
	return (ssize_t)size;
}

CASE(recording, a_line_past_64_mib_is_refused)
{
	char dir[64], err[512];
	struct rec_header h;
	struct obs o;
	temp_dir(dir, sizeof(dir));
	char *good = good_start(dir);
	struct flood fl = { good, (size_t)(strchr(good, '\n') + 1 - good), 0 };
	FILE *f = fopencookie(&fl, "r", (cookie_io_functions_t){ .read = flood_read });
	cr_assert_not_null(f);

	struct rec_reader *r = rec_open_stream(f, "flood", &h, err, sizeof(err));
	cr_assert_not_null(r, "%s", err);
	cr_assert_eq(rec_read(r, &o, err, sizeof(err)), -1);
	cr_assert_str_eq(err, "flood: line 2: longer than 64 MiB");
	rec_reader_free(r);
	rec_header_free(&h);
	fclose(f);
	free(good);
	remove_dir(dir);
}

/* ---- where a recording may be created --------------------------------- */

static void assert_refused(const char *path, bool force, const char *why)
{
	char err[512], want[512];
	snprintf(want, sizeof(want), "cannot record to %s: %s", path, why);
	struct rec_writer *w = rec_create(path, force, err, sizeof(err));
	cr_assert_null(w, "%s created%s", path, force ? " with force" : "");
	cr_assert_str_eq(err, want);
}

/* Creates path, writes a header and closes it. */
static void create_ok(const char *path, bool force)
{
	char err[512];
	struct rec_header h;
	header_of(&h, "zombie");
	struct rec_writer *w = rec_create(path, force, err, sizeof(err));
	cr_assert_not_null(w, "%s", err);
	cr_assert(rec_write_header(w, &h, err, sizeof(err)), "%s", err);
	cr_assert(rec_close(w, err, sizeof(err)), "%s", err);
}

CASE(recording, a_recording_replaces_nothing_without_force)
{
	char dir[64], path[128], target[128], link[128];
	struct stat st;
	temp_dir(dir, sizeof(dir));

	snprintf(path, sizeof(path), "%s/no/such/run.jsonl", dir);
	assert_refused(path, false, "no such folder");
	assert_refused(path, true, "no such folder");

	snprintf(path, sizeof(path), "%s/run.jsonl", dir);
	write_file(path, "keep me\n", 8);
	assert_refused(path, false, "it exists; use --force to replace it");
	char *text = read_file(path);
	cr_assert_str_eq(text, "keep me\n", "unchanged");
	free(text);
	create_ok(path, true);
	text = read_file(path);
	cr_assert_eq(strncmp(text, "{\"forkscope\":\"recording\",\"version\":5,", 37), 0,
	             "replaced: %s", text);
	free(text);

	/* a symlink: never followed, not even with force */
	snprintf(target, sizeof(target), "%s/target", dir);
	snprintf(link, sizeof(link), "%s/link.jsonl", dir);
	write_file(target, "target\n", 7);
	cr_assert_eq(symlink(target, link), 0);
	assert_refused(link, false, "it is a symbolic link (forkscope does not follow one)");
	assert_refused(link, true, "it is a symbolic link (forkscope does not follow one)");
	text = read_file(target);
	cr_assert_str_eq(text, "target\n", "the target untouched");
	free(text);
	snprintf(link, sizeof(link), "%s/dangling.jsonl", dir);
	snprintf(target, sizeof(target), "%s/nothing", dir);
	cr_assert_eq(symlink(target, link), 0);
	assert_refused(link, true, "it is a symbolic link (forkscope does not follow one)");
	cr_assert_neq(lstat(target, &st), 0, "nothing made at the link's target");

	/* a named pipe: refused at once, not waited on, with a reader or not */
	snprintf(path, sizeof(path), "%s/fifo", dir);
	cr_assert_eq(mkfifo(path, 0644), 0);
	assert_refused(path, false, "it exists; use --force to replace it");
	assert_refused(path, true, "it is not a regular file (a named pipe, a device); give a "
	                           "file's name");
	int reader = open(path, O_RDONLY | O_NONBLOCK);
	cr_assert_geq(reader, 0);
	assert_refused(path, true, "it is not a regular file (a named pipe, a device); give a "
	                           "file's name");
	close(reader);
	assert_refused("/dev/null", true, "it is not a regular file (a named pipe, a device); "
	                                  "give a file's name");

	snprintf(path, sizeof(path), "%s/folder", dir);
	cr_assert_eq(mkdir(path, 0755), 0);
	assert_refused(path, false, "it is a folder");
	assert_refused(path, true, "it is a folder");
	remove_dir(dir);
}

CASE(recording, a_recording_gets_the_umask)
{
	char dir[64], path[128];
	struct stat st;
	temp_dir(dir, sizeof(dir));
	/* each test is its own process: the umask is this test's */
	umask(027);
	snprintf(path, sizeof(path), "%s/a.jsonl", dir);
	create_ok(path, false);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 07777, 0640, "mode %o", st.st_mode & 07777);
	umask(0);
	snprintf(path, sizeof(path), "%s/b.jsonl", dir);
	create_ok(path, false);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 07777, 0666, "mode %o", st.st_mode & 07777);
	remove_dir(dir);
}

CASE(recording, a_folder_not_writable_is_refused)
{
	char dir[64], path[128];
	if (getuid() != 0)
		cr_skip_test("needs root, to become another user");
	temp_dir(dir, sizeof(dir));
	cr_assert_eq(chmod(dir, 0755), 0);
	snprintf(path, sizeof(path), "%s/run.jsonl", dir);

	/* nobody, for the call (only the effective IDs: root again after):
	 * may look into the folder, not write in it.  Not in a forked child,
	 * which must not allocate (a Criterion worker has threads) */
	char err[512], want[512];
	cr_assert_eq(setegid(65534), 0);
	cr_assert_eq(seteuid(65534), 0);
	struct rec_writer *w = rec_create(path, false, err, sizeof(err));
	cr_assert_eq(seteuid(0), 0);
	cr_assert_eq(setegid(0), 0);
	cr_assert_null(w, "nobody may record in a folder of root's (0755)");
	snprintf(want, sizeof(want), "cannot record to %s: not allowed to write there", path);
	cr_assert_str_eq(err, want);
	struct stat st;
	cr_assert_neq(lstat(path, &st), 0, "nothing left behind");
	remove_dir(dir);
}

CASE(recording, a_failed_write_is_reported)
{
	char dir[64], path[128], err[512], want[512];
	struct rec_header h;
	header_of(&h, "zombie");
	temp_dir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/run.jsonl", dir);
	/* files may not grow past 16 bytes here: the header's write fails (a
	 * full disk, as far as forkscope can tell) */
	signal(SIGXFSZ, SIG_IGN);
	struct rlimit small = { 16, 16 };
	cr_assert_eq(setrlimit(RLIMIT_FSIZE, &small), 0);
	struct rec_writer *w = rec_create(path, false, err, sizeof(err));
	cr_assert_not_null(w, "%s", err);
	cr_assert_not(rec_write_header(w, &h, err, sizeof(err)));
	snprintf(want, sizeof(want), "cannot write the recording %s: File too large "
	         "(free some space, or record elsewhere)", path);
	cr_assert_str_eq(err, want);
	cr_assert_not(rec_close(w, err, sizeof(err)));
	cr_assert_str_eq(err, want);
	remove_dir(dir);
}

CASE(recording, a_run_that_never_began_leaves_nothing_behind)
{
	char dir[64], path[128], err[512];
	temp_dir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/new.jsonl", dir);
	/* made, then closed before its header: removed */
	struct rec_writer *w = rec_create(path, false, err, sizeof(err));
	cr_assert_not_null(w, "%s", err);
	cr_assert(rec_close(w, err, sizeof(err)), "%s", err);
	struct stat st;
	cr_assert_neq(lstat(path, &st), 0, "a file made for nothing is removed");
	/* --force over an existing recording: left whole until the run begins */
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("an older recording\n", f);
	fclose(f);
	w = rec_create(path, true, err, sizeof(err));
	cr_assert_not_null(w, "%s", err);
	cr_assert(rec_close(w, err, sizeof(err)), "%s", err);
	char *text = read_file(path);
	cr_assert_str_eq(text, "an older recording\n", "not truncated by a run that never began");
	free(text);
	remove_dir(dir);
}

CASE(recording, lines_are_flushed_once_a_second)
{
	char dir[64], path[128], err[512];
	struct rec_header h;
	temp_dir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/run.jsonl", dir);
	header_of(&h, "zombie");
	struct rec_writer *w = rec_create(path, false, err, sizeof(err));
	cr_assert_not_null(w, "%s", err);
	cr_assert(rec_write_header(w, &h, err, sizeof(err)), "%s", err);
	struct obs kill = { .type = OBS_KILL, .t = 1 };
	cr_assert(rec_write(w, &kill, err, sizeof(err)), "%s", err);
	char *text = read_file(path);
	cr_assert_null(strstr(text, "kill"), "not flushed yet: %s", text);
	free(text);
	usleep(1050 * 1000);
	struct obs end = { .type = OBS_END, .t = 2 };
	cr_assert(rec_write(w, &end, err, sizeof(err)), "%s", err);
	text = read_file(path);
	cr_assert(strstr(text, "\"kill\"") && strstr(text, "\"end\""), "flushed: %s", text);
	free(text);
	cr_assert(rec_close(w, err, sizeof(err)), "%s", err);
	remove_dir(dir);
}

/* The channels read again alone, at the exit of a process that held one:
 * the flag goes through the codec, and the reading says nothing of the
 * processes (it was read with the previous one's). */
CASE(recording, a_reading_of_the_channels_alone_says_so)
{
	struct rec_codec *enc = rec_codec_new(), *dec = rec_codec_new();
	struct frame f;
	struct obs o;
	size_t len;
	frame_init(&f);

	char *line = encode_step(enc, &f, 1, &len);
	decode_ok(dec, line, len, &o);
	cr_assert_not(o.frame->channels_only);
	free(line);
	f.channels_only = true;
	f.t += 0.01;
	struct obs again = reading_of(&f);
	line = rec_encode(enc, &again, &len);
	cr_assert(strstr(line, "\"channels_only\":true"), "%s", line);
	cr_assert_null(strstr(line, "\"procs\""), "the processes as before: %s", line);
	decode_ok(dec, line, len, &o);
	cr_assert(o.frame->channels_only);
	cr_assert_eq(o.frame->nprocs, f.nprocs);
	free(line);
	frame_release(&f);
	rec_codec_free(enc);
	rec_codec_free(dec);
}
