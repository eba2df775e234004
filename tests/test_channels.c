/*
 * test_channels.c - the channel probe and the blocked-on classification,
 * on real channels made by the test: a POSIX queue, a pipe with bytes in
 * it, a System V queue, and children really blocked on them.
 */
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "blocked.h"
#include "channels.h"
#include "helpers.h"
#include "launcher.h"
#include "sampler.h"

TestSuite(channels, .timeout = 30, .fini = helpers_cleanup);

/* A child that keeps every descriptor it inherited and waits to be killed. */
static pid_t holder(void)
{
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (;;)
			pause();
	}
	return pid;
}

static void scan(struct frame *f)
{
	char err[128];
	struct sampler *s = sampler_new(getpid(), err, sizeof(err));
	cr_assert_not_null(s, "%s", err);
	sampler_scan(s, f);
	sampler_free(s);
}

static const struct channel *find_channel(const struct frame *f, const char *name)
{
	for (size_t i = 0; i < f->nchannels; i++)
		if (strcmp(f->channels[i].name, name) == 0)
			return &f->channels[i];
	return NULL;
}

static void stop(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

CASE(channels, a_posix_queue_is_read_without_taking_a_message)
{
	char name[64];
	snprintf(name, sizeof(name), "/fs-test-q-%d", (int)getpid());
	struct mq_attr attr = { .mq_maxmsg = 5, .mq_msgsize = 64 };
	mqd_t q = mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, &attr);
	cr_assert_neq(q, (mqd_t)-1, "mq_open: is /dev/mqueue usable?");
	cr_assert_eq(mq_send(q, "a", 1, 0), 0);
	cr_assert_eq(mq_send(q, "b", 1, 0), 0);
	pid_t child = holder();
	struct frame f;
	frame_init(&f);
	scan(&f);
	const struct channel *c = find_channel(&f, name);
	cr_assert_not_null(c, "the queue held by the child is found");
	cr_assert_eq(c->kind, CHAN_MQUEUE);
	cr_assert_eq(c->fill, 2);
	cr_assert_eq(c->capacity, 5);
	cr_assert_not(c->bytes);
	cr_assert_eq(c->nholders, 1);
	cr_assert_eq(c->holders[0], child);
	cr_assert_eq(c->ends[0], 'b');
	/* looking did not take anything */
	struct mq_attr now;
	mq_getattr(q, &now);
	cr_assert_eq(now.mq_curmsgs, 2);
	stop(child);
	mq_close(q);
	mq_unlink(name);
	frame_release(&f);
}

/* The channel id of a pipe is its inode: the one sure way to tell the
 * test's own pipe from the ones every child inherits from the test runner. */
static unsigned long inode_of(int fd)
{
	struct stat st;
	cr_assert_eq(fstat(fd, &st), 0);
	return (unsigned long)st.st_ino;
}

static const struct channel *find_by_id(const struct frame *f, enum chan_kind kind,
                                        unsigned long id)
{
	for (size_t i = 0; i < f->nchannels; i++)
		if (f->channels[i].kind == kind && f->channels[i].id == id)
			return &f->channels[i];
	return NULL;
}

/* Which end pid holds of c ('r', 'w', 'b'), or 0 when it holds none. */
static char end_held_by(const struct channel *c, pid_t pid)
{
	for (int i = 0; i < c->nholders; i++)
		if (c->holders[i] == pid)
			return c->ends[i];
	return 0;
}

CASE(channels, a_pipe_with_bytes_and_its_two_ends)
{
	int p[2];
	cr_assert_eq(pipe(p), 0);
	unsigned long p_ino = inode_of(p[0]);
	cr_assert_eq(write(p[1], "0123456789", 10), 10);
	/* one child keeps only the read end, the other only the write end */
	close(p[1]);
	pid_t reader = holder();
	close(p[0]);
	int q[2];
	cr_assert_eq(pipe(q), 0);
	unsigned long q_ino = inode_of(q[1]);
	close(q[0]);
	pid_t writer = holder();
	close(q[1]);
	struct frame f;
	frame_init(&f);
	scan(&f);
	const struct channel *c = find_by_id(&f, CHAN_PIPE, p_ino);
	cr_assert_not_null(c, "the reader's pipe is found");
	cr_assert_eq(c->fill, 10, "10 bytes wait in it: %ld", c->fill);
	cr_assert_geq(c->capacity, 4096);
	cr_assert(c->bytes);
	cr_assert_eq(c->nholders, 1, "only the reader holds it");
	cr_assert_eq(end_held_by(c, reader), 'r');
	char name[CHAN_NAME_MAX];
	snprintf(name, sizeof(name), "pipe:[%lu]", p_ino);
	cr_assert_str_eq(c->name, name);
	const struct channel *w = find_by_id(&f, CHAN_PIPE, q_ino);
	cr_assert_not_null(w, "the writer's pipe is found");
	cr_assert_eq(w->nholders, 1, "only the writer holds it");
	cr_assert_eq(end_held_by(w, writer), 'w', "the other pipe's holder has its write end");
	cr_assert_eq(w->fill, 0);
	stop(reader);
	stop(writer);
	frame_release(&f);
}

CASE(channels, a_system_v_queue_of_the_tree)
{
	int id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	cr_assert_geq(id, 0);
	pid_t child = fork();
	cr_assert_geq(child, 0);
	if (child == 0) {
		struct { long type; char text[8]; } m = { 1, "hi" };
		msgsnd(id, &m, sizeof(m.text), 0);
		for (;;)
			pause();
	}
	/* wait until the message is there */
	struct msqid_ds ds;
	for (int i = 0; i < 500; i++) {
		msgctl(id, IPC_STAT, &ds);
		if (ds.msg_qnum == 1)
			break;
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	struct frame f;
	frame_init(&f);
	scan(&f);
	const struct channel *c = NULL;
	for (size_t i = 0; i < f.nchannels; i++)
		if (f.channels[i].kind == CHAN_SYSV && f.channels[i].id == (unsigned long)id)
			c = &f.channels[i];
	cr_assert_not_null(c, "the queue whose last sender is in the tree is found");
	cr_assert_eq(c->fill, 1);
	cr_assert_eq(c->holders[0], child);
	cr_assert_eq(c->ends[0], 'w');
	stop(child);
	msgctl(id, IPC_RMID, NULL);
	frame_release(&f);
}

/* With the descriptors' cache kept from reading to reading (a sampler's),
 * a queue the tree holds is read every reading, whoever ran: here the
 * second message comes from the tree's top, between two readings close
 * together. */
CASE(channels, a_system_v_queue_held_is_read_at_every_reading)
{
	int id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	cr_assert_geq(id, 0);
	struct { long type; char text[8]; } m = { 1, "hi" };
	cr_assert_eq(msgsnd(id, &m, sizeof(m.text), 0), 0);
	pid_t child = holder();
	char err[128];
	struct sampler *s = sampler_new(getpid(), err, sizeof(err));
	cr_assert_not_null(s, "%s", err);
	struct frame f;
	frame_init(&f);
	long fills[2] = { -1, -1 };
	for (int r = 0; r < 2; r++) {
		sampler_scan(s, &f);
		for (size_t i = 0; i < f.nchannels; i++)
			if (f.channels[i].kind == CHAN_SYSV && f.channels[i].id == (unsigned long)id)
				fills[r] = f.channels[i].fill;
		if (r == 0)
			cr_assert_eq(msgsnd(id, &m, sizeof(m.text), 0), 0);
	}
	cr_assert_eq(fills[0], 1, "the first reading finds the queue");
	cr_assert_eq(fills[1], 2, "the next one reads it again (%ld)", fills[1]);
	sampler_free(s);
	frame_release(&f);
	stop(child);
	msgctl(id, IPC_RMID, NULL);
}

static bool blocked_as(pid_t pid, enum block_on want, const char *channel)
{
	struct frame f;
	struct blocked b;
	frame_init(&f);
	scan(&f);
	const struct proc_sample *p = frame_find(&f, pid);
	bool ok = false;
	if (p) {
		blocked_classify(p, &f, 0, NULL, &b);
		ok = b.on == want && (!channel || strcmp(b.channel, channel) == 0);
	}
	frame_release(&f);
	return ok;
}

struct want {
	pid_t pid;
	enum block_on on;
	const char *channel;
};

static bool holds(void *arg)
{
	const struct want *w = arg;
	return blocked_as(w->pid, w->on, w->channel);
}

CASE(channels, what_real_children_are_blocked_on)
{
	/* a put into a full queue, with a timeout */
	char name[64];
	snprintf(name, sizeof(name), "/fs-test-full-%d", (int)getpid());
	struct mq_attr attr = { .mq_maxmsg = 1, .mq_msgsize = 16 };
	mqd_t q = mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, &attr);
	cr_assert_neq(q, (mqd_t)-1);
	cr_assert_eq(mq_send(q, "x", 1, 0), 0);
	pid_t putter = fork();
	cr_assert_geq(putter, 0);
	if (putter == 0) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 20;
		mq_timedsend(q, "y", 1, 0, &until);
		_exit(0);
	}
	struct want w = { putter, ON_QUEUE_PUT, name };
	cr_assert(wait_until(holds, &w, 5), "the putter is seen blocked on queue-put");

	/* a read on an empty pipe */
	int p[2];
	cr_assert_eq(pipe(p), 0);
	pid_t reader = fork();
	cr_assert_geq(reader, 0);
	if (reader == 0) {
		char c;
		close(p[1]);
		if (read(p[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	char pipe_name[CHAN_NAME_MAX];
	snprintf(pipe_name, sizeof(pipe_name), "pipe:[%lu]", inode_of(p[0]));
	w = (struct want){ reader, ON_PIPE_READ, pipe_name };
	cr_assert(wait_until(holds, &w, 5), "the reader is seen blocked on pipe-read");

	/* join: a parent waiting for its child */
	pid_t joiner = fork();
	cr_assert_geq(joiner, 0);
	if (joiner == 0) {
		pid_t kid = fork();
		if (kid == 0) {
			pause();
			_exit(0);
		}
		waitpid(kid, NULL, 0);
		_exit(0);
	}
	w = (struct want){ joiner, ON_WAIT_CHILD, NULL };
	cr_assert(wait_until(holds, &w, 5), "the joiner is seen blocked on wait-child");

	/* a sleeper */
	pid_t sleeper = fork();
	cr_assert_geq(sleeper, 0);
	if (sleeper == 0) {
		sleep(20);
		_exit(0);
	}
	w = (struct want){ sleeper, ON_SLEEP, NULL };
	cr_assert(wait_until(holds, &w, 5), "the sleeper is seen sleeping");

	stop(putter);
	stop(reader);
	stop(sleeper);
	kill(joiner, SIGKILL);
	waitpid(joiner, NULL, 0);
	/* the joiner's child is ours now (subreaper): end it too */
	launcher_kill_all();
	close(p[0]);
	close(p[1]);
	mq_close(q);
	mq_unlink(name);
}

/* A writer puts its last message and exits in the same microsecond, 1.2 s
 * in, between two readings 0.5 s apart: its 3 is told at its exit, before
 * it (it could not change the fill after), not at the next reading after
 * it.  (tests/progs/lastput) */
CASE(channels, the_last_put_before_an_exit_is_told_before_it)
{
	struct run r;
	const char *argv[] = { "--json", "--interval", "500", "--", TEST_PROGS "/lastput", NULL };
	run_forkscope(&r, 30, argv);
	cr_assert_eq(r.status, 0, "%s", r.err);
	long program = -1, writer = -1, last_fill = -1;
	bool exited = false;
	for (size_t i = 0; i < r.nev && !exited; i++) {
		struct json_object *e = r.ev[i];
		const char *ev = jstr(e, "event");
		if (strcmp(ev, "spawn") == 0 && program < 0)
			program = jint(e, "pid");
		else if (strcmp(ev, "spawn") == 0 && jint(e, "ppid") == program)
			writer = jint(e, "pid");
		else if (strcmp(ev, "queue") == 0 && strstr(jstr(e, "name"), "/fs-lastput-"))
			last_fill = jint(e, "fill");
		else if (strcmp(ev, "exit") == 0 && writer > 0 && jint(e, "pid") == writer)
			exited = true;
	}
	cr_assert(writer > 0 && exited, "the writer was seen to fork and exit");
	cr_assert_eq(last_fill, 3, "the fill told last before the writer's exit: %ld", last_fill);
	run_free(&r);
}
