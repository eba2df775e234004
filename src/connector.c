/*
 * connector.c - the kernel's process events, filtered to the tree
 * (connector.h).
 *
 * Messages come one per datagram: a netlink header, a connector header
 * (cn_msg, with a sequence number per CPU) and a struct proc_event.  The
 * sequence numbers tell how many messages an overflow cost.
 */
#include "connector.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>

#include "i18n.h"
#include "intmap.h"
#include "procfs.h"
#include "util.h"

/* The socket's buffer when the caller does not say: room for tens of
 * thousands of messages between two drains. */
enum { RCVBUF_DEFAULT = 8 << 20 };
/* How long the kernel has to answer the request to listen. */
#define ACK_WAIT 1.0
/* Messages read by one drain at most: the kernel tells of every process on
 * the machine, and a storm elsewhere must not keep the loop from the keys
 * and the screen; the rest waits in the socket for the next drain. */
enum { DRAIN_MAX = 20000 };
/* CPUs whose sequence numbers are kept (past it, losses are not counted). */
enum { MAX_CPUS = 4096 };

/* A process followed: its PID, its start when known, its threads. */
struct follow {
	pid_t pid;
	unsigned long long start;   /* 0: not known */
	int threads;                /* live threads, -1 when not known */
	bool leader_gone;           /* its main thread has exited */
	double since;               /* followed since (CLOCK_MONOTONIC) */
};

struct connector {
	int fd;
	pid_t top;
	long hz;
	struct follow *f;
	size_t n, cap;
	size_t dead;                /* entries of f no longer followed */
	struct intmap at;           /* pid -> index in f, -1 once not followed */
	struct connector_news *out;
	size_t nout, out_cap;
	uint32_t *seq;              /* the last sequence number seen per CPU, + 1 */
	long ncpus;
	/* An overflow not told yet.  The socket says it overflowed (ENOBUFS)
	 * when its queue is read empty, and the messages lost show as gaps in
	 * the CPUs' sequences as the next ones are read, before or after: it is
	 * told one drain later, with the gaps counted until then. */
	bool overflowed;
	double boot_offset;         /* CLOCK_BOOTTIME - CLOCK_MONOTONIC at the last
	                             * drain (start times count time suspended) */
	int waited;                 /* drains since the overflow */
	long gaps;                  /* messages the sequences skipped since */
	long room;                  /* about how many messages the socket holds */
	long last_read;             /* messages the last drain read (all of the
	                             * machine's, not only the tree's) */
	char *slots;                /* where recvmmsg() puts them */
	double drained_at;          /* when the last drain was (CLOCK_MONOTONIC) */
	double rate;                /* messages a second, as the drains found them */
};

/* How long the news may wait in the socket between two reads of it. */
#define BUSY_SECS 0.5

/* What one message takes of the socket's buffer, about (the kernel counts
 * a buffer's true size, not the bytes of the message). */
enum { MSG_TRUESIZE = 1024 };

/* The connector's request: listen or stop listening.  The kernel answers
 * with ack + 1 (its sequence number is its own). */
static bool send_op(int fd, enum proc_cn_mcast_op op, uint32_t ack)
{
	struct __attribute__((packed)) {
		struct nlmsghdr nl;
		struct cn_msg cn;
		enum proc_cn_mcast_op op;
	} req;

	memset(&req, 0, sizeof(req));
	req.nl.nlmsg_len = sizeof(req);
	req.nl.nlmsg_type = NLMSG_DONE;
	req.nl.nlmsg_pid = 0;
	req.cn.id.idx = CN_IDX_PROC;
	req.cn.id.val = CN_VAL_PROC;
	req.cn.ack = ack;
	req.cn.len = sizeof(op);
	req.op = op;
	return send(fd, &req, sizeof(req), 0) == (ssize_t)sizeof(req);
}

/* Whether forkscope runs in a PID namespace below the first one, where the
 * kernel's PIDs are not the ones /proc shows. */
static bool nested_pid_namespace(void)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[256];
	bool nested = false;

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "NSpid:", 6) != 0)
			continue;
		int fields = 0;
		for (char *p = strtok(line + 6, " \t\n"); p; p = strtok(NULL, " \t\n"))
			fields++;
		nested = fields > 1;
	}
	fclose(f);
	return nested;
}

/* The event a message carries, copied out: it sits 4 bytes past an 8-byte
 * boundary in the datagram, and its timestamp needs 8. */
static void event_at(const struct cn_msg *m, struct proc_event *ev)
{
	memcpy(ev, m->data, sizeof(*ev));
}

/* Waits for the kernel's answer to the request marked ack: 0 when it
 * agreed, an errno when it refused, ETIMEDOUT when it said nothing. */
static int await_ack(int fd, uint32_t ack)
{
	char buf[4096] __attribute__((aligned(NLMSG_ALIGNTO)));
	double until = now_seconds() + ACK_WAIT;

	for (;;) {
		double left = until - now_seconds();
		if (left <= 0)
			return ETIMEDOUT;
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, (int)(left * 1000) + 1) < 0 && errno != EINTR)
			return errno;
		ssize_t got = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (got < 0) {
			if (errno == EAGAIN || errno == EINTR || errno == ENOBUFS)
				continue;
			return errno;
		}
		size_t len = (size_t)got;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, len);
		     h = NLMSG_NEXT(h, len)) {
			const struct cn_msg *m = NLMSG_DATA(h);
			if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*m) + sizeof(struct proc_event)))
				continue;
			struct proc_event ev;
			event_at(m, &ev);
			if (ev.what == PROC_EVENT_NONE && m->ack == ack + 1)
				return (int)ev.event_data.ack.err;
		}
	}
}

static long follow_find(const struct connector *c, pid_t pid)
{
	return pid > 0 ? intmap_get(&c->at, (unsigned long long)pid) : -1;
}

static struct follow *follow_add(struct connector *c, pid_t pid, unsigned long long start,
                                 int threads, double since)
{
	long i = follow_find(c, pid);

	if (i < 0) {
		if (c->n == c->cap) {
			c->cap = c->cap ? c->cap * 2 : 64;
			c->f = xreallocarray(c->f, c->cap, sizeof(*c->f));
		}
		i = (long)c->n++;
		intmap_put(&c->at, (unsigned long long)pid, i);
	}
	c->f[i] = (struct follow){ pid, start, threads, false, since };
	return &c->f[i];
}

/* Rebuilds the array without the processes no longer followed, once they
 * are as many as the rest: the memory follows the tree. */
static void compact(struct connector *c)
{
	if (c->dead < 64 || c->dead < c->n / 2)
		return;
	size_t k = 0;
	intmap_clear(&c->at);
	for (size_t i = 0; i < c->n; i++) {
		if (c->f[i].pid <= 0)
			continue;
		c->f[k] = c->f[i];
		intmap_put(&c->at, (unsigned long long)c->f[k].pid, (long)k);
		k++;
	}
	c->n = k;
	c->dead = 0;
}

static void unfollow(struct connector *c, long i)
{
	intmap_put(&c->at, (unsigned long long)c->f[i].pid, -1);
	c->f[i].pid = 0;
	c->dead++;
}

/* The kernel's refusal, e its errno, in words; admin: it is the want of
 * CAP_NET_ADMIN. */
static void refused(char *err, size_t errlen, int e, bool admin)
{
	if (admin)
		snprintf(err, errlen, _("the kernel refused it (%s): this kernel lets only an "
		         "administrator listen (CAP_NET_ADMIN)"), strerror(e));
	else
		snprintf(err, errlen, _("the kernel refused it (%s)"), strerror(e));
}

struct connector *connector_open(pid_t top, int rcvbuf, char *err, size_t errlen)
{
	if (getenv("FORKSCOPE_TEST_NO_CONNECTOR")) {
		snprintf(err, errlen, "%s",
		         /* TRANSLATORS: why the kernel's process connector cannot be
		          * used, the end of a sentence such as "the kernel's process
		          * events cannot be followed here: REASON (use --events poll
		          * or auto)" (as the reasons below) */
		         _("it is turned off for a test (FORKSCOPE_TEST_NO_CONNECTOR)"));
		return NULL;
	}
	if (nested_pid_namespace()) {
		snprintf(err, errlen, "%s", _("forkscope runs in a PID namespace of its own, and "
		         "the kernel's events name the PIDs of the first one"));
		return NULL;
	}
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_CONNECTOR);
	if (fd < 0) {
		snprintf(err, errlen, _("the kernel has none here (%s: a network namespace of its "
		         "own, or a kernel built without it)"), strerror(errno));
		return NULL;
	}
	int size = rcvbuf > 0 ? rcvbuf : RCVBUF_DEFAULT;
	/* past net.core.rmem_max only with CAP_NET_ADMIN; else as large as allowed */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) != 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	int got = 0;
	socklen_t glen = sizeof(got);
	if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &got, &glen) != 0 || got <= 0)
		got = 212992;
	long room = got / MSG_TRUESIZE;
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK, .nl_groups = CN_IDX_PROC };
	uint32_t seq = (uint32_t)getpid() ^ 0x5eed0000u;
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0 ||
	    !send_op(fd, PROC_CN_MCAST_LISTEN, seq)) {
		refused(err, errlen, errno, errno == EPERM || errno == EACCES);
		close(fd);
		return NULL;
	}
	int e = await_ack(fd, seq);
	if (e) {
		if (e == ETIMEDOUT)
			snprintf(err, errlen, "%s", _("the kernel refused it (no answer)"));
		else
			refused(err, errlen, e, e == EPERM);
		send_op(fd, PROC_CN_MCAST_IGNORE, seq + 1);
		close(fd);
		return NULL;
	}
	struct connector *c = xcalloc(1, sizeof(*c));
	c->fd = fd;
	c->room = room > 1 ? room : 1;
	c->top = top;
	c->hz = sysconf(_SC_CLK_TCK);
	if (c->hz <= 0)
		c->hz = 100;
	c->ncpus = sysconf(_SC_NPROCESSORS_CONF);
	if (c->ncpus <= 0 || c->ncpus > MAX_CPUS)
		c->ncpus = MAX_CPUS;
	c->seq = xcalloc((size_t)c->ncpus, sizeof(*c->seq));
	follow_add(c, top, 0, -1, now_seconds());
	return c;
}

void connector_free(struct connector *c)
{
	if (!c)
		return;
	/* the kernel makes the messages only while someone listens */
	send_op(c->fd, PROC_CN_MCAST_IGNORE, 0);
	close(c->fd);
	free(c->f);
	intmap_free(&c->at);
	free(c->out);
	free(c->slots);
	free(c->seq);
	free(c);
}

int connector_fd(const struct connector *c)
{
	return c->fd;
}

bool connector_busy(const struct connector *c)
{
	/* at the rate of the last drains, a quarter of the socket would fill
	 * in BUSY_SECS */
	return c->rate * BUSY_SECS * 4 >= (double)c->room;
}

size_t connector_following(const struct connector *c)
{
	return c->n - c->dead;
}

static struct news *put_news(struct connector *c, enum news_kind kind, pid_t pid, double mono)
{
	if (c->nout == c->out_cap) {
		c->out_cap = c->out_cap ? c->out_cap * 2 : 256;
		c->out = xreallocarray(c->out, c->out_cap, sizeof(*c->out));
	}
	struct connector_news *n = &c->out[c->nout++];
	memset(n, 0, sizeof(*n));
	n->news.kind = kind;
	n->news.pid = pid;
	n->mono = mono;
	return &n->news;
}

/* The start time of a process forked at mono (CLOCK_MONOTONIC, s), read as
 * the news came; 0 when it is gone, or when the process now under its PID
 * started after the fork (a later one: never taken for it). */
static unsigned long long start_of(const struct connector *c, pid_t pid, double mono)
{
	unsigned long long start = 0;
	int dir = procfs_open(pid, &start, NULL);

	if (dir < 0)
		return 0;
	close(dir);
	return connector_started_by(c, start, mono) ? start : 0;
}

static void on_fork(struct connector *c, const struct proc_event *ev, double mono)
{
	pid_t parent = ev->event_data.fork.parent_tgid;
	pid_t child = ev->event_data.fork.child_pid, group = ev->event_data.fork.child_tgid;

	if (child != group) {
		/* a new thread of a process followed */
		long i = follow_find(c, group);
		if (i >= 0 && c->f[i].threads >= 0)
			c->f[i].threads++;
		return;
	}
	if (follow_find(c, parent) < 0)
		return;
	unsigned long long start = start_of(c, child, mono);
	follow_add(c, child, start, 1, mono);
	struct news *n = put_news(c, NEWS_FORK, child, mono);
	n->ppid = parent;
	n->start = start;
}

static void on_exit_news(struct connector *c, const struct proc_event *ev, double mono)
{
	pid_t tid = ev->event_data.exit.process_pid, pid = ev->event_data.exit.process_tgid;
	long i = follow_find(c, pid);

	if (i < 0 || pid == c->top)
		return;
	struct follow *f = &c->f[i];
	if (f->threads > 0)
		f->threads--;
	if (tid == pid)
		f->leader_gone = true;
	if (!f->leader_gone || f->threads > 0)
		return;
	/* the last thread: the process is a zombie now, with this status */
	struct news *n = put_news(c, NEWS_EXIT, pid, mono);
	n->status = (int)ev->event_data.exit.exit_code;
	n->start = f->start;
	unfollow(c, i);
}

static void on_event(struct connector *c, const struct proc_event *ev, double mono)
{
	long i;

	switch (ev->what) {
	case PROC_EVENT_FORK:
		on_fork(c, ev, mono);
		break;
	case PROC_EVENT_EXEC:
		i = follow_find(c, ev->event_data.exec.process_tgid);
		if (i < 0 || c->f[i].pid == c->top)
			break;
		/* an exec leaves one thread */
		c->f[i].threads = 1;
		c->f[i].leader_gone = false;
		put_news(c, NEWS_EXEC, c->f[i].pid, mono)->start = c->f[i].start;
		break;
	case PROC_EVENT_COMM: {
		pid_t pid = ev->event_data.comm.process_tgid;
		/* a thread's own name is not the process's */
		if (ev->event_data.comm.process_pid != pid || pid == c->top ||
		    follow_find(c, pid) < 0)
			break;
		struct news *n = put_news(c, NEWS_COMM, pid, mono);
		n->start = c->f[follow_find(c, pid)].start;
		char comm[sizeof(ev->event_data.comm.comm) + 1];
		memcpy(comm, ev->event_data.comm.comm, sizeof(ev->event_data.comm.comm));
		comm[sizeof(comm) - 1] = '\0';
		str_copy(n->comm, sizeof(n->comm), comm);
		break;
	}
	case PROC_EVENT_EXIT:
		on_exit_news(c, ev, mono);
		break;
	default:
		break;
	}
}

/* Counts the messages a CPU's sequence skipped. */
static long count_gap(struct connector *c, uint32_t cpu, uint32_t seq)
{
	long gap = 0;

	if (cpu >= (uint32_t)c->ncpus)
		return 0;
	if (c->seq[cpu] && seq >= c->seq[cpu])
		gap = (long)(seq - c->seq[cpu]);
	c->seq[cpu] = seq + 1;
	return gap;
}

static double clock_of(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Messages taken by one recvmmsg() at most, and the room for each (one
 * connector message is a hundred bytes or so). */
enum { RECV_BATCH = 64, RECV_SLOT = 512 };

/* One message, as received. */
static void on_message(struct connector *c, const char *buf, size_t len)
{
	for (const struct nlmsghdr *h = (const struct nlmsghdr *)buf; NLMSG_OK(h, len);
	     h = NLMSG_NEXT(h, len)) {
		if (h->nlmsg_type == NLMSG_ERROR || h->nlmsg_type == NLMSG_NOOP)
			continue;
		const struct cn_msg *m = NLMSG_DATA(h);
		c->last_read++;
		if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*m) + sizeof(struct proc_event)) ||
		    m->id.idx != CN_IDX_PROC || m->id.val != CN_VAL_PROC)
			continue;
		struct proc_event ev;
		event_at(m, &ev);
		if (ev.what == PROC_EVENT_NONE)
			continue;       /* someone's answer to a request */
		c->gaps += count_gap(c, ev.cpu, m->seq);
		on_event(c, &ev, (double)ev.timestamp_ns / 1e9);
	}
}

void connector_drain(struct connector *c, struct connector_batch *out)
{
	/* start times count from boot, the events' clock from... not quite:
	 * CLOCK_BOOTTIME also counts time suspended */
	c->boot_offset = clock_of(CLOCK_BOOTTIME) - clock_of(CLOCK_MONOTONIC);

	memset(out, 0, sizeof(*out));
	c->nout = 0;
	c->last_read = 0;
	out->more = true;
	if (!c->slots)
		c->slots = xcalloc(RECV_BATCH, RECV_SLOT);
	/* many messages a system call: under a storm elsewhere on the machine
	 * the kernel sends thousands a second, every one of them read */
	struct mmsghdr msgs[RECV_BATCH];
	struct iovec iov[RECV_BATCH];
	for (int taken = 0; taken < DRAIN_MAX;) {
		memset(msgs, 0, sizeof(msgs));
		for (int i = 0; i < RECV_BATCH; i++) {
			iov[i] = (struct iovec){ c->slots + (size_t)i * RECV_SLOT, RECV_SLOT };
			msgs[i].msg_hdr.msg_iov = &iov[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
		}
		int got = recvmmsg(c->fd, msgs, RECV_BATCH, MSG_DONTWAIT, NULL);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				c->overflowed = true;
				c->waited = 0;
				continue;
			}
			out->more = false;
			break;      /* EAGAIN: all read */
		}
		taken += got > 0 ? got : 1;
		for (int i = 0; i < got; i++)
			if (!(msgs[i].msg_hdr.msg_flags & MSG_TRUNC))
				on_message(c, (const char *)iov[i].iov_base, msgs[i].msg_len);
	}
	/* the rate, over the time since the drain before (a drain that
	 * comes milliseconds after another says little alone) */
	double now = clock_of(CLOCK_MONOTONIC), since = now - c->drained_at;
	if (c->drained_at > 0 && since > 0) {
		double rate = (double)c->last_read / since;
		/* smoothed: the busy spell lasts a while */
		c->rate = since >= 1.0 ? rate : c->rate + (rate - c->rate) * since;
	}
	c->drained_at = now;
	out->news = c->out;
	out->n = c->nout;
	if (c->overflowed && c->waited++ >= 1) {
		out->overflow = true;
		out->lost = c->gaps > 0 ? c->gaps : -1;
		c->overflowed = false;
		c->gaps = 0;
	}
	compact(c);
}

bool connector_started_by(const struct connector *c, unsigned long long start, double mono)
{
	return (double)start <= (mono + c->boot_offset) * (double)c->hz + 1.0;
}

void connector_sync(struct connector *c, const struct frame *f, double mono)
{
	for (size_t i = 0; i < f->nprocs; i++) {
		const struct proc_sample *p = &f->procs[i];
		/* a zombie forks nothing and its end was told */
		if (p->state == 'Z')
			continue;
		long k = follow_find(c, p->pid);
		if (k >= 0 && (c->f[k].start == p->start || !c->f[k].start)) {
			c->f[k].start = p->start;
			continue;
		}
		/* new to the connector, or its PID is another process's now */
		follow_add(c, p->pid, p->start, -1, mono);
	}
	/* what a reading could not read proves nothing gone */
	for (size_t k = 0; k < c->n && !f->incomplete; k++) {
		const struct follow *w = &c->f[k];
		if (w->pid <= 0 || w->pid == c->top || w->since >= mono)
			continue;
		const struct proc_sample *p = frame_find(f, w->pid);
		if (!p || (w->start && p->start != w->start))
			unfollow(c, (long)k);
	}
	compact(c);
}
