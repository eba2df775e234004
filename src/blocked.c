/*
 * blocked.c - system call and wchan -> what the process waits for.
 */
#include "blocked.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <limits.h>
#include <seccomp.h>

#include "i18n.h"
#include "util.h"

const char *blocked_name(enum block_on on)
{
	static const char *const names[ON_COUNT] = {
		[ON_NONE] = "none", [ON_WAIT_CHILD] = "wait-child", [ON_QUEUE_GET] = "queue-get",
		[ON_QUEUE_PUT] = "queue-put", [ON_SLEEP] = "sleep", [ON_PIPE_READ] = "pipe-read",
		[ON_PIPE_WRITE] = "pipe-write", [ON_OTHER] = "other", [ON_LOCK] = "lock",
		[ON_SEMAPHORE] = "semaphore", [ON_EVENT] = "event", [ON_CONDITION] = "condition",
		[ON_BARRIER] = "barrier", [ON_POOL_JOIN] = "pool-join", [ON_RESULT] = "result",
		[ON_MANAGER] = "manager", [ON_SERVE] = "serve",
	};
	return on < ON_COUNT ? names[on] : "other";
}

const char *blocked_word(enum block_on on)
{
	static const char *const words[ON_COUNT] = {
		/* TRANSLATORS: these words say what a process waits on, short,
		 * after its PID in the event log ("1234 queue-get q1"); the
		 * English is the JSON word */
		[ON_NONE] = N_("none"), [ON_WAIT_CHILD] = N_("wait-child"),
		[ON_QUEUE_GET] = N_("queue-get"), [ON_QUEUE_PUT] = N_("queue-put"),
		[ON_SLEEP] = N_("sleep"), [ON_PIPE_READ] = N_("pipe-read"),
		[ON_PIPE_WRITE] = N_("pipe-write"), [ON_OTHER] = N_("waits"), [ON_LOCK] = N_("lock"),
		[ON_SEMAPHORE] = N_("semaphore"), [ON_EVENT] = N_("event"),
		[ON_CONDITION] = N_("condition"), [ON_BARRIER] = N_("barrier"),
		[ON_POOL_JOIN] = N_("pool-join"), [ON_RESULT] = N_("result"),
		[ON_MANAGER] = N_("manager"), [ON_SERVE] = N_("serve"),
	};
	return _(on < ON_COUNT ? words[on] : words[ON_OTHER]);
}

const char *blocked_syscall_name(unsigned arch, long nr, char *buf, size_t len)
{
	char *name = nr >= 0 && nr <= INT_MAX
	             ? seccomp_syscall_resolve_num_arch(arch ? arch : SCMP_ARCH_NATIVE, (int)nr)
	             : NULL;

	if (name) {
		str_copy(buf, len, name);
		free(name);
	} else {
		snprintf(buf, len, "syscall %ld", nr);
	}
	return buf;
}

static bool is(const char *name, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(name, *list) == 0)
			return true;
	return false;
}

/* From the kernel function the process sleeps in, when the system call
 * cannot be read. */
static enum block_on from_wchan(const char *wchan)
{
	if (strstr(wchan, "do_wait") || strstr(wchan, "wait_consider"))
		return ON_WAIT_CHILD;
	if (strstr(wchan, "nanosleep") || strstr(wchan, "hrtimer"))
		return ON_SLEEP;
	if (strstr(wchan, "pipe_read"))
		return ON_PIPE_READ;
	if (strstr(wchan, "pipe_write"))
		return ON_PIPE_WRITE;
	return wchan[0] ? ON_OTHER : ON_NONE;
}

/* A wait on a multiprocessing object: what its kind is called. */
static enum block_on sync_on(const char *kind)
{
	static const struct {
		const char *kind;
		enum block_on on;
	} kinds[] = {
		{ "Lock", ON_LOCK }, { "RLock", ON_LOCK }, { "Semaphore", ON_SEMAPHORE },
		{ "BoundedSemaphore", ON_SEMAPHORE }, { "Event", ON_EVENT },
		{ "Condition", ON_CONDITION }, { "Barrier", ON_BARRIER },
	};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kind, kinds[i].kind) == 0)
			return kinds[i].on;
	return ON_LOCK;
}

/* What the Python hook knows of the wait out was classified as from the
 * system call alone: a futex that is a queue's or a lock's, a get on a
 * queue's pipe, a call to a manager, a join it said it is in. */
static void python_wait(const struct proc_sample *p, const struct pymodel *py,
                        const struct channel *c, struct blocked *out)
{
	const char *name = out->syscall;
	struct py_futex fx;

	if (strcmp(name, "futex") == 0 && pymodel_futex(py, p->pid, p->args[0], &fx)) {
		str_copy(out->channel, sizeof(out->channel), fx.name);
		if (fx.queue) {
			/* a put waits for a free slot (the semaphore); a get waits
			 * its turn at the queue's lock */
			out->on = fx.put ? ON_QUEUE_PUT : ON_QUEUE_GET;
			out->timeout_left = p->timeout_left;
		} else {
			out->on = sync_on(fx.kind);
			out->timeout_left = p->timeout_left;
		}
		return;
	}
	/* a queue's pipe (the channel probe named it): a get */
	if (c && c->kind == CHAN_PIPE && c->what[0] &&
	    (out->on == ON_PIPE_READ || out->on == ON_OTHER))
		out->on = ON_QUEUE_GET;
	if (c && c->kind == CHAN_PIPE && c->what[0] && out->on == ON_PIPE_WRITE)
		out->on = ON_QUEUE_PUT;
	/* a read, a receive or a poll on a manager's connection: a call */
	if (c && c->kind == CHAN_MANAGER) {
		unsigned long ref = 0;
		const char *call = pymodel_call(py, p->pid, &ref);
		const struct py_mqueue *q = call ? pymodel_mqueue(py, ref) : NULL;
		out->on = ON_MANAGER;
		out->timeout_left = -1;
		if (call)
			str_copy(out->call, sizeof(out->call), call);
		if (q && (strcmp(call, "get") == 0 || strcmp(call, "put") == 0)) {
			out->on = strcmp(call, "get") == 0 ? ON_QUEUE_GET : ON_QUEUE_PUT;
			str_copy(out->channel, sizeof(out->channel), q->name);
		}
		return;
	}
	/* what the hook said the process is in, where the call says no more
	 * than a futex or a poll */
	const struct py_wait *w = pymodel_wait(py, p->pid);
	if (w && out->on != ON_QUEUE_GET && out->on != ON_QUEUE_PUT && out->on != ON_SLEEP) {
		if (strcmp(w->what, "join") == 0) {
			out->on = ON_WAIT_CHILD;
			out->child = w->child;
			out->channel[0] = '\0';
			str_copy(out->call, sizeof(out->call), "join");
		} else if (strcmp(w->what, "pool-join") == 0 || strcmp(w->what, "result") == 0) {
			out->on = w->what[0] == 'p' ? ON_POOL_JOIN : ON_RESULT;
			str_copy(out->channel, sizeof(out->channel), w->name);
		}
		return;
	}
	/* a server of multiprocessing's (a manager's, the forkserver, the
	 * resource tracker), between requests */
	const char *who = NULL;
	enum py_role role = pymodel_role(py, p->pid, &who);
	if ((role == PY_ROLE_MANAGER || role == PY_ROLE_FORKSERVER ||
	     role == PY_ROLE_RESOURCE_TRACKER) &&
	    (out->on == ON_OTHER || out->on == ON_PIPE_READ)) {
		out->on = ON_SERVE;
		str_copy(out->channel, sizeof(out->channel), who);
		out->syscall[0] = '\0';
		return;
	}
	/* Any other futex of a Python process is the interpreter's own (its
	 * lock, a thread's), and a read of a pipe of multiprocessing's own is
	 * its business: no word of the program's, only a sleep */
	if (pymodel_hooked(py, p->pid) &&
	    ((out->on == ON_OTHER && strcmp(name, "futex") == 0) ||
	     (c && c->internal && (out->on == ON_PIPE_READ || out->on == ON_PIPE_WRITE ||
	                           out->on == ON_OTHER)))) {
		out->on = ON_NONE;
		out->channel[0] = '\0';
	}
}

void blocked_classify(const struct proc_sample *p, const struct frame *f, unsigned arch,
                      const struct pymodel *py, struct blocked *out)
{
	static const char *const waits[] = { "wait4", "waitid", "waitpid", NULL };
	static const char *const sleeps[] = { "nanosleep", "clock_nanosleep", "pause", NULL };
	static const char *const reads[] = { "read", "readv", "pread64", NULL };
	static const char *const writes[] = { "write", "writev", "pwrite64", NULL };

	memset(out, 0, sizeof(*out));
	out->timeout_left = -1;
	if (p->state != 'S' && p->state != 'D')
		return;
	if (p->syscall < 0) {
		out->on = from_wchan(p->wchan);
		return;
	}
	blocked_syscall_name(arch, p->syscall, out->syscall, sizeof(out->syscall));
	const char *name = out->syscall;
	const struct channel *c = NULL;
	if (strcmp(name, "msgrcv") == 0 || strcmp(name, "msgsnd") == 0) {
		/* System V: the first argument is the queue's id, not a descriptor */
		c = frame_find_channel(f, CHAN_SYSV, p->args[0]);
	} else {
		/* a poll's first descriptor (the sampler read it), or the
		 * descriptor the call is given */
		c = frame_fd_channel(f, p->pid, p->poll_fd >= 0 ? p->poll_fd : (int)p->args[0]);
	}
	if (c)
		str_copy(out->channel, sizeof(out->channel), c->name);
	if (is(name, waits)) {
		out->on = ON_WAIT_CHILD;
		/* wait4(pid, ...) and waitid(P_PID, pid, ...) name the child */
		if (strcmp(name, "waitid") == 0)
			out->child = p->args[0] == 1 ? (pid_t)p->args[1] : 0;
		else
			out->child = (int)p->args[0] > 0 ? (pid_t)(int)p->args[0] : 0;
		out->channel[0] = '\0';
	} else if (is(name, sleeps))
		out->on = ON_SLEEP;
	else if (strcmp(name, "mq_timedreceive") == 0)
		out->on = ON_QUEUE_GET;
	else if (strcmp(name, "mq_timedsend") == 0)
		out->on = ON_QUEUE_PUT;
	else if (c && c->kind == CHAN_PIPE && is(name, reads))
		out->on = ON_PIPE_READ;
	else if (c && c->kind == CHAN_PIPE && is(name, writes))
		out->on = ON_PIPE_WRITE;
	else if (strcmp(name, "msgrcv") == 0)
		out->on = ON_QUEUE_GET;
	else if (strcmp(name, "msgsnd") == 0)
		out->on = ON_QUEUE_PUT;
	else
		out->on = ON_OTHER;
	if (out->on == ON_QUEUE_GET || out->on == ON_QUEUE_PUT)
		out->timeout_left = p->timeout_left;
	if (py)
		python_wait(p, py, c, out);
}

unsigned blocked_arch(const char *name)
{
	return name && name[0] ? seccomp_arch_resolve_name(name) : 0;
}

const char *blocked_native_arch(void)
{
	/* libseccomp names an arch by token only one way round: find the name
	 * whose token is the native one */
	static const char *const names[] = {
		"x86_64", "x86", "x32", "aarch64", "arm", "riscv64", "ppc64le", "ppc64",
		"s390x", "s390", "mips", "mipsel", "mips64", "mipsel64", "loongarch64",
	};
	uint32_t native = seccomp_arch_native();
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (seccomp_arch_resolve_name(names[i]) == native)
			return names[i];
	return "";
}
