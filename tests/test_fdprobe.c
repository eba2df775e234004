/*
 * test_fdprobe.c - which descriptors of a watched process forkscope opens
 * through /proc/PID/fd, and that the frame's indexes find what the probe
 * put in.
 *
 * Opening someone's descriptor is not looking: opening a FIFO counts as a
 * reader or writer, opening a device runs its driver.  So a child holds a
 * named FIFO, a device node or a plain file at the root of the file system
 * (where a message queue's name looks the same), an inotify watch listens
 * for any open or read of it, and the probe must cause none.  Queues and
 * pipes are still probed, with the right fill and capacity.  The tests run
 * as root (mknod, files at /); the files are removed even when a case fails.
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "channels.h"
#include "frame.h"
#include "helpers.h"
#include "sampler.h"

/* The paths a case makes at /, by the test process's PID, so that the
 * suite's end removes them whatever happened. */
static void path_of(char *buf, size_t len, const char *what)
{
	snprintf(buf, len, "/fs-test-%s-%d", what, (int)getpid());
}

static void cleanup(void)
{
	static const char *const made[] = { "fifo", "null", "file", NULL };
	char path[64];

	helpers_cleanup();
	for (size_t i = 0; made[i]; i++) {
		path_of(path, sizeof(path), made[i]);
		unlink(path);
	}
	path_of(path, sizeof(path), "q");
	mq_unlink(path);
}

/* Not the plain helpers_cleanup: a case that fails must not leave a FIFO
 * or a device node at / for the next run to trip over. */
TestSuite(fdprobe, .timeout = 30, .fini = cleanup);

/* A child that opens path (O_RDWR: a FIFO open never waits then), says so,
 * and waits to be killed. */
static pid_t holding(const char *path)
{
	int ready[2];
	cr_assert_eq(pipe(ready), 0);
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(ready[0]);
		char ok = open(path, O_RDWR | O_NONBLOCK) >= 0 ? 'y' : 'n';
		if (write(ready[1], &ok, 1) != 1)
			_exit(1);
		close(ready[1]);
		for (;;)
			pause();
	}
	close(ready[1]);
	char ok = 'n';
	cr_assert_eq(read(ready[0], &ok, 1), 1);
	close(ready[0]);
	cr_assert_eq(ok, 'y', "the child could not open %s", path);
	return pid;
}

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

static void stop(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* One tick as the sampler makes it: the test process's tree, probed. */
static void scan(struct frame *f)
{
	char err[128];
	struct sampler *s = sampler_new(getpid(), err, sizeof(err));
	cr_assert_not_null(s, "%s", err);
	sampler_scan(s, f);
	sampler_free(s);
}

/* How many inotify events are waiting on in (non-blocking). */
static int events(int in)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	int n = 0;
	ssize_t got;

	while ((got = read(in, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + got;) {
			const struct inotify_event *ev = (const struct inotify_event *)(void *)p;
			p += sizeof(*ev) + ev->len;
			n++;
		}
	}
	return n;
}

/* The heart of the "never opened" cases: a child holds path open; a probe
 * of the tree must neither open nor read it, nor report it as a channel.
 * Then the watch is shown to work, by opening path here. */
static void assert_never_opened(const char *path)
{
	pid_t child = holding(path);
	int in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	cr_assert_geq(in, 0);
	cr_assert_geq(inotify_add_watch(in, path, IN_OPEN | IN_ACCESS | IN_CLOSE), 0);

	struct frame f;
	frame_init(&f);
	scan(&f);
	cr_assert_not_null(frame_find(&f, child), "the child is in the frame");
	int seen = events(in);
	cr_assert_eq(seen, 0, "the probe opened %s (%d inotify events)", path, seen);
	for (size_t i = 0; i < f.nchannels; i++)
		cr_assert(strncmp(f.channels[i].name, path, strlen(path)) != 0,
		          "%s is reported as a channel", path);

	/* the watch does see an open: the silence above means something */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
	cr_assert_geq(fd, 0);
	close(fd);
	cr_assert_gt(events(in), 0, "the inotify watch on %s sees nothing at all", path);

	close(in);
	stop(child);
	frame_release(&f);
}

CASE(fdprobe, a_named_fifo_at_the_root_is_never_opened)
{
	char path[64];
	path_of(path, sizeof(path), "fifo");
	unlink(path);
	cr_assert_eq(mkfifo(path, 0600), 0, "mkfifo %s: the tests run as root", path);
	assert_never_opened(path);
	unlink(path);
}

CASE(fdprobe, a_device_at_the_root_is_never_opened)
{
	char path[64];
	path_of(path, sizeof(path), "null");
	unlink(path);
	/* the suite runs as root, as CI does: a device node can be made */
	cr_assert_eq(mknod(path, S_IFCHR | 0600, makedev(1, 3)), 0,
	             "cannot make a device node at / (%s): run the tests as root", strerror(errno));
	assert_never_opened(path);
	unlink(path);
}

CASE(fdprobe, a_plain_file_at_the_root_is_never_opened)
{
	char path[64];
	path_of(path, sizeof(path), "file");
	int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0600);
	cr_assert_geq(fd, 0, "cannot create %s: the tests run as root", path);
	close(fd);
	assert_never_opened(path);
	unlink(path);
}

CASE(fdprobe, a_queue_and_a_pipe_are_still_probed)
{
	char name[64];
	path_of(name, sizeof(name), "q");
	mq_unlink(name);
	struct mq_attr attr = { .mq_maxmsg = 4, .mq_msgsize = 32 };
	mqd_t q = mq_open(name, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600, &attr);
	cr_assert_neq(q, (mqd_t)-1, "mq_open: is /dev/mqueue usable?");
	for (int i = 0; i < 3; i++)
		cr_assert_eq(mq_send(q, "m", 1, 0), 0);
	int p[2];
	cr_assert_eq(pipe(p), 0);
	cr_assert_eq(write(p[1], "1234567", 7), 7);
	struct stat pst, qst;
	cr_assert_eq(fstat(p[0], &pst), 0);
	cr_assert_eq(fstat((int)q, &qst), 0);
	/* the child has q and p[0] and p[1], at the same numbers as here; but
	 * not O_CLOEXEC's q: it inherits through fork anyway */
	pid_t child = holder();

	struct frame f;
	frame_init(&f);
	scan(&f);
	const struct channel *cq = frame_fd_channel(&f, child, (int)q);
	cr_assert_not_null(cq, "the child's queue descriptor is a channel");
	cr_assert_eq(cq->kind, CHAN_MQUEUE);
	cr_assert_str_eq(cq->name, name);
	cr_assert_eq(cq->id, (unsigned long)qst.st_ino);
	cr_assert_eq(cq->fill, 3);
	cr_assert_eq(cq->capacity, 4);
	cr_assert_not(cq->bytes);

	const struct channel *cr = frame_fd_channel(&f, child, p[0]);
	const struct channel *cw = frame_fd_channel(&f, child, p[1]);
	cr_assert_not_null(cr, "the child's read end is a channel");
	cr_assert_eq(cr, cw, "both ends are one pipe");
	cr_assert_eq(cr->kind, CHAN_PIPE);
	cr_assert_eq(cr->id, (unsigned long)pst.st_ino);
	cr_assert_eq(cr->fill, 7, "7 bytes wait: %ld", cr->fill);
	cr_assert_geq(cr->capacity, 4096);
	cr_assert(cr->bytes);
	bool child_both = false;
	for (int i = 0; i < cr->nholders; i++)
		child_both |= cr->holders[i] == child && cr->ends[i] == 'b';
	cr_assert(child_both, "the child holds both ends");

	/* looking took nothing */
	struct mq_attr now;
	mq_getattr(q, &now);
	cr_assert_eq(now.mq_curmsgs, 3);
	char buf[8];
	cr_assert_eq(read(p[0], buf, sizeof(buf)), 7);

	stop(child);
	mq_close(q);
	mq_unlink(name);
	close(p[0]);
	close(p[1]);
	frame_release(&f);
}

/* A PID whose start time is not the sample's is another process (the
 * number was reused): its descriptors are none of our business. */
CASE(fdprobe, a_pid_with_another_start_time_is_not_probed)
{
	int p[2];
	cr_assert_eq(pipe(p), 0);
	pid_t child = holder();
	struct frame f;
	frame_init(&f);
	scan(&f);
	cr_assert_not_null(frame_fd_channel(&f, child, p[0]), "probed when it is the one sampled");
	struct proc_sample sample = *frame_find(&f, child);
	frame_clear(&f);
	f.self = getpid();
	sample.start += 1;
	*frame_add_proc(&f) = sample;
	frame_sort(&f);
	channels_probe(&f, NULL, NULL, NULL, NULL);
	cr_assert_null(frame_fd_channel(&f, child, p[0]), "probed though the start time differs");
	stop(child);
	close(p[0]);
	close(p[1]);
	frame_release(&f);
}

/* Many pipes in one process: every descriptor maps back to its own pipe
 * after the probe has put the channels in order. */
CASE(fdprobe, many_pipes_each_descriptor_finds_its_own)
{
	enum { N = 300 };
	int ends[N][2];
	unsigned long ino[N];
	for (int i = 0; i < N; i++) {
		cr_assert_eq(pipe(ends[i]), 0);
		struct stat st;
		cr_assert_eq(fstat(ends[i][0], &st), 0);
		ino[i] = (unsigned long)st.st_ino;
		if (i % 3 == 0)
			cr_assert_eq(write(ends[i][1], "ab", 2), 2);
	}
	pid_t child = holder();
	struct frame f;
	frame_init(&f);
	scan(&f);
	for (int i = 0; i < N; i++) {
		for (int e = 0; e < 2; e++) {
			const struct channel *c = frame_fd_channel(&f, child, ends[i][e]);
			cr_assert_not_null(c, "pipe %d end %d is found", i, e);
			cr_assert_eq(c->kind, CHAN_PIPE);
			cr_assert_eq(c->id, ino[i], "pipe %d end %d: inode %lu, not %lu", i, e, c->id,
			             ino[i]);
			cr_assert_eq(c->fill, i % 3 == 0 ? 2 : 0);
		}
	}
	/* the views' order: by kind, then name */
	for (size_t i = 1; i < f.nchannels; i++) {
		const struct channel *a = &f.channels[i - 1], *b = &f.channels[i];
		cr_assert(a->kind < b->kind || (a->kind == b->kind && strcmp(a->name, b->name) <= 0),
		          "channels %zu and %zu out of order", i - 1, i);
	}
	stop(child);
	for (int i = 0; i < N; i++) {
		close(ends[i][0]);
		close(ends[i][1]);
	}
	frame_release(&f);
}

/* The frame's lookups on a frame built by hand, as the tracker's tests and
 * a replay build them: found after ordering, after more is added, and not
 * found once cleared. */
CASE(fdprobe, the_frame_finds_by_pid_channel_and_descriptor)
{
	enum { N = 2000 };
	struct frame f;
	frame_init(&f);
	for (int round = 0; round < 2; round++) {
		frame_clear(&f);
		for (int i = 0; i < N; i++) {
			struct proc_sample *p = frame_add_proc(&f);
			p->pid = 100000 + (i * 7919) % N;    /* not in start order */
			p->start = (unsigned long long)(N - i);
			p->state = 'S';
		}
		frame_sort(&f);
		/* added after the sort: still found */
		frame_add_proc(&f)->pid = 99;
		for (int i = 0; i < N; i++) {
			const struct proc_sample *p = frame_find(&f, 100000 + i);
			cr_assert_not_null(p, "pid %d", 100000 + i);
			cr_assert_eq(p->pid, 100000 + i);
		}
		cr_assert_not_null(frame_find(&f, 99));
		cr_assert_null(frame_find(&f, 98));
		cr_assert_null(frame_find(&f, 100000 + N));

		for (int i = 0; i < N; i++) {
			unsigned long id = 5000000UL + (unsigned long)((i * 7919) % N);
			struct channel *c = frame_channel(&f, CHAN_PIPE, id);
			snprintf(c->name, sizeof(c->name), "pipe:[%lu]", id);
			frame_add_chan_fd(&f, 100000 + i, 3, (size_t)(c - f.channels));
			/* the same channel asked for again is the same one */
			cr_assert_eq(frame_channel(&f, CHAN_PIPE, id), c);
		}
		cr_assert_eq(f.nchannels, (size_t)N);
		/* no process to probe: this only orders the channels */
		frame_clear(&f);
		for (int i = 0; i < N; i++) {
			unsigned long id = 5000000UL + (unsigned long)((i * 7919) % N);
			struct channel *c = frame_channel(&f, CHAN_PIPE, id);
			snprintf(c->name, sizeof(c->name), "pipe:[%lu]", id);
			frame_add_chan_fd(&f, 100000 + i, 3, (size_t)(c - f.channels));
		}
		channels_probe(&f, NULL, NULL, NULL, NULL);
		for (int i = 0; i < N; i++) {
			const struct channel *c = frame_fd_channel(&f, 100000 + i, 3);
			cr_assert_not_null(c);
			cr_assert_eq(c->id, 5000000UL + (unsigned long)((i * 7919) % N),
			             "descriptor of %d: channel %lu", 100000 + i, c->id);
			cr_assert_null(frame_fd_channel(&f, 100000 + i, 4));
		}
		/* after the ordering, asking again finds, it does not add */
		for (int i = 0; i < N; i++) {
			const struct channel *c = frame_channel(&f, CHAN_PIPE, 5000000UL + (unsigned long)i);
			cr_assert_eq(c->id, 5000000UL + (unsigned long)i);
		}
		cr_assert_eq(f.nchannels, (size_t)N);
	}
	frame_clear(&f);
	cr_assert_null(frame_find(&f, 100000));
	cr_assert_null(frame_fd_channel(&f, 100000, 3));
	frame_release(&f);
}
