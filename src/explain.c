/*
 * explain.c - events in plain words.
 */
#include "explain.h"

#include <stdio.h>
#include <string.h>

#include "blocked.h"
#include "describe.h"

/* "1234 (child 2)", "forkscope 1233", or "1234" when the name is unknown. */
static void name(pid_t pid, const char *comm, bool self, char *buf, size_t len)
{
	if (pid <= 0)
		snprintf(buf, len, "an unknown process");
	else if (self)
		snprintf(buf, len, "forkscope %d", (int)pid);
	else if (comm && comm[0])
		snprintf(buf, len, "%d (%s)", (int)pid, comm);
	else
		snprintf(buf, len, "%d", (int)pid);
}

static void how_it_ended(const struct event *ev, char *buf, size_t len)
{
	if (ev->signal > 0) {
		char name[32];
		describe_signal(ev->signal, name, sizeof(name));
		snprintf(buf, len, "was killed by signal %d (%s)%s", ev->signal, name,
		         ev->core ? " and dumped core" : "");
	} else if (ev->status >= 0) {
		snprintf(buf, len, "exited with status %d", ev->status);
	} else {
		snprintf(buf, len, "exited");
	}
}

/* "312 bytes", "9.8 kB", "10.5 MB" */
static void bytes_in_words(unsigned long long n, char *buf, size_t len)
{
	if (n < 1000)
		snprintf(buf, len, "%llu %s", n, n == 1 ? "byte" : "bytes");
	else if (n < 1000000)
		snprintf(buf, len, "%.1f kB", (double)n / 1e3);
	else if (n < 1000000000)
		snprintf(buf, len, "%.1f MB", (double)n / 1e6);
	else
		snprintf(buf, len, "%.1f GB", (double)n / 1e9);
}

/* An output line as kept, with what was cut said at its end. */
static void output_line(const struct event *ev, char *buf, size_t len)
{
	char more[32];

	if (!ev->cut) {
		snprintf(buf, len, "%s", ev->text);
		return;
	}
	bytes_in_words(ev->cut, more, sizeof(more));
	snprintf(buf, len, "%s%s… (%s more)", ev->text, ev->text[0] ? " " : "", more);
}

static const char *plural(int n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static const char *unit(const struct event *ev, long n)
{
	if (ev->bytes)
		return n == 1 ? "byte" : "bytes";
	return n == 1 ? "message" : "messages";
}

static void explain_queue(const struct event *ev, char *buf, size_t len)
{
	/* a pipe is read and written; a queue is got from and put into */
	bool pipe = ev->kind == CHAN_PIPE && !ev->what[0];
	const char *what = pipe ? "Pipe" : strcmp(ev->what, "manager") == 0 ? "The manager's queue"
	                                                                    : "Queue";
	const char *put = pipe ? "a write()" : "a put()", *get = pipe ? "a read()" : "a get()";

	if (strcmp(ev->what, "tasks") == 0)
		snprintf(buf, len, "The pool's task queue %s holds %ld %s waiting for a free worker.",
		         ev->text, ev->fill, ev->fill == 1 ? "task" : "tasks");
	else if (strcmp(ev->what, "results") == 0)
		snprintf(buf, len, "The pool's result queue %s holds %ld %s on the way back.",
		         ev->text, ev->fill, ev->fill == 1 ? "result" : "results");
	else if (ev->capacity <= 0)
		snprintf(buf, len, "%s %s holds %ld %s.", what, ev->text, ev->fill, unit(ev, ev->fill));
	else if (ev->fill >= ev->capacity)
		snprintf(buf, len, "%s %s is full: %ld of %ld %s; %s now has to wait.", what,
		         ev->text, ev->fill, ev->capacity, unit(ev, ev->capacity), put);
	else if (ev->fill == 0)
		snprintf(buf, len, "%s %s is empty (room for %ld %s); %s now has to wait.", what,
		         ev->text, ev->capacity, unit(ev, ev->capacity), get);
	else
		snprintf(buf, len, "%s %s holds %ld of %ld %s.", what, ev->text, ev->fill,
		         ev->capacity, unit(ev, ev->capacity));
}

static void explain_blocked(const struct event *ev, const char *me, char *buf, size_t len)
{
	char call[48];

	if (ev->syscall[0])
		snprintf(call, sizeof(call), " in %s()", ev->syscall);
	else
		call[0] = '\0';
	switch ((enum block_on)ev->on) {
	case ON_WAIT_CHILD:
		/* Python's join() is a join; anything else waits for its child */
		if (strcmp(ev->what, "join") == 0 && ev->by > 0 && ev->pcomm[0])
			snprintf(buf, len, "%s is blocked%s: join() waits for %d (%s) to exit.", me, call,
			         (int)ev->by, ev->pcomm);
		else if (strcmp(ev->what, "join") == 0)
			snprintf(buf, len, "%s is blocked%s: join() waits for a child to exit.", me, call);
		else if (ev->by > 0 && ev->pcomm[0])
			snprintf(buf, len, "%s is blocked%s: it waits for its child %d (%s) to exit.", me,
			         call, (int)ev->by, ev->pcomm);
		else
			snprintf(buf, len, "%s is blocked%s: it waits for a child to exit.", me, call);
		break;
	case ON_LOCK:
		snprintf(buf, len, "%s is blocked: acquire() waits for the Lock %s, which another "
		         "process holds.", me, ev->text);
		break;
	case ON_SEMAPHORE:
		snprintf(buf, len, "%s is blocked: acquire() waits for the Semaphore %s to be "
		         "released.", me, ev->text);
		break;
	case ON_EVENT:
		snprintf(buf, len, "%s is blocked: wait() waits for the Event %s to be set.", me,
		         ev->text);
		break;
	case ON_CONDITION:
		snprintf(buf, len, "%s is blocked: wait() waits for the Condition %s to be "
		         "notified.", me, ev->text);
		break;
	case ON_BARRIER:
		snprintf(buf, len, "%s is blocked: wait() waits at the Barrier %s for the others.", me,
		         ev->text);
		break;
	case ON_POOL_JOIN:
		snprintf(buf, len, "%s is blocked: %s.join() waits for the pool's workers to end.", me,
		         ev->text[0] ? ev->text : "the pool");
		break;
	case ON_RESULT:
		snprintf(buf, len, "%s is blocked: it waits for a worker of %s to send back a "
		         "result.", me, ev->text[0] ? ev->text : "the pool");
		break;
	case ON_MANAGER:
		snprintf(buf, len, "%s is blocked: a proxy's %s%s call waits for the manager %s "
		         "to answer.", me, ev->what[0] ? ev->what : "", ev->what[0] ? "()" : "",
		         ev->text);
		break;
	case ON_SERVE:
		snprintf(buf, len, "%s, a server of multiprocessing's, waits for requests.", me);
		break;
	case ON_QUEUE_GET:
		snprintf(buf, len, "%s is blocked%s: get() waits for a message in queue %s.", me,
		         ev->syscall[0] && strcmp(ev->syscall, "futex") != 0 ? call : "",
		         ev->text[0] ? ev->text : "(unknown)");
		break;
	case ON_QUEUE_PUT:
		if (ev->timeout >= 0)
			snprintf(buf, len, "%s is blocked%s: queue %s is full, and put() waits for room, "
			         "%.1f s more at most.", me, strcmp(ev->syscall, "futex") ? call : "",
			         ev->text[0] ? ev->text : "(unknown)", ev->timeout);
		else
			snprintf(buf, len, "%s is blocked%s: queue %s is full, and put() waits for room.",
			         me, strcmp(ev->syscall, "futex") ? call : "",
			         ev->text[0] ? ev->text : "(unknown)");
		break;
	case ON_SLEEP:
		snprintf(buf, len, "%s is sleeping%s.", me, call);
		break;
	case ON_PIPE_READ:
		snprintf(buf, len, "%s is blocked%s: pipe %s is empty, and read() waits for data.", me,
		         call, ev->text);
		break;
	case ON_PIPE_WRITE:
		snprintf(buf, len, "%s is blocked%s: pipe %s is full, and write() waits for room.", me,
		         call, ev->text);
		break;
	default:
		snprintf(buf, len, "%s is waiting%s.", me, call);
		break;
	}
}

void explain_event(const struct event *ev, char *buf, size_t len)
{
	char me[96], other[96], how[96];

	name(ev->pid, ev->comm, false, me, sizeof(me));
	switch (ev->type) {
	case EV_SPAWN:
		name(ev->ppid, ev->pcomm, ev->pself, other, sizeof(other));
		if (ev->existing)
			snprintf(buf, len, "%s was already running, a child of %s, when forkscope "
			         "attached: watched from now on, never signalled on quit.", me, other);
		else if (ev->pself && ev->orphan)
			snprintf(buf, len, "%s appeared already adopted by %s: its parent had "
			         "exited.", me, other);
		else if (ev->pself && strcmp(ev->text, ev->comm) == 0)
			snprintf(buf, len, "%s started %s.", other, me);
		else if (ev->pself)
			snprintf(buf, len, "%s started %d: %s.", other, (int)ev->pid, ev->text);
		else
			snprintf(buf, len, "%s called fork(): %d is its new child.", other, (int)ev->pid);
		break;
	case EV_EXEC:
		if (ev->text[0])
			snprintf(buf, len, "%d called exec(): same process, new program: %s.",
			         (int)ev->pid, ev->text);
		else
			snprintf(buf, len, "%d called exec(): same process, new program (it was gone "
			         "before its name could be read).", (int)ev->pid);
		break;
	case EV_TITLE:
		if (strcmp(ev->what, "name") == 0)
			snprintf(buf, len, "%d is %s, as Python's multiprocessing names it.",
			         (int)ev->pid, ev->text);
		else if (strcmp(ev->what, "task") == 0 && strstr(ev->text, ": "))
			/* "ForkPoolWorker-3: worker(3)" */
			snprintf(buf, len, "%d, %.*s, runs the task %s.", (int)ev->pid,
			         (int)(strstr(ev->text, ": ") - ev->text), ev->text,
			         strstr(ev->text, ": ") + 2);
		else
			snprintf(buf, len, "%d now calls itself \"%s\".", (int)ev->pid, ev->text);
		break;
	case EV_EXIT:
		name(ev->ppid, ev->pcomm, ev->pself, other, sizeof(other));
		how_it_ended(ev, how, sizeof(how));
		if (ev->zombie && ev->pself)
			snprintf(buf, len, "%s %s: a zombie until forkscope, its parent%s, reaps it.",
			         me, how, ev->orphan ? " now" : "");
		else if (ev->kernel)
			/* told as it happened: whether the parent waits already is
			 * not known yet */
			snprintf(buf, len, "%s %s: a zombie until its parent %s reaps it with wait().",
			         me, how, other);
		else if (ev->zombie)
			snprintf(buf, len, "%s %s, but its parent %s has not called wait() yet: "
			         "%d is a zombie.", me, how, other, (int)ev->pid);
		else
			snprintf(buf, len, "%s %s and was reaped at once.", me, how);
		break;
	case EV_REAP:
		name(ev->by, ev->pcomm, ev->pself, other, sizeof(other));
		if (ev->by <= 0)
			snprintf(buf, len, "%d left the process table.", (int)ev->pid);
		else if (ev->pself && ev->orphan)
			snprintf(buf, len, "%s adopted %d and reaped it, as init would: it is gone.",
			         other, (int)ev->pid);
		else if (ev->pself)
			snprintf(buf, len, "%s, its parent, called wait() and reaped %d: it is gone.",
			         other, (int)ev->pid);
		else
			snprintf(buf, len, "%s called wait() and reaped %d: %s", other, (int)ev->pid,
			         ev->zombie ? "the zombie is gone." : "it is gone.");
		break;
	case EV_REPARENT:
		name(ev->ppid, ev->pcomm, ev->pself, other, sizeof(other));
		if (ev->orphan && ev->old_ppid > 0)
			snprintf(buf, len, "%d is an orphan: its parent %d exited first, so %s "
			         "adopted it.", (int)ev->pid, (int)ev->old_ppid, other);
		else if (ev->orphan)
			snprintf(buf, len, "%d is an orphan: its parent exited before forkscope first "
			         "saw it, and %s adopted it.", (int)ev->pid, other);
		else
			snprintf(buf, len, "%d's parent changed from %d to %s.", (int)ev->pid,
			         (int)ev->old_ppid, other);
		break;
	case EV_OUTPUT:
		output_line(ev, buf, len);
		break;
	case EV_DROPPED:
		snprintf(buf, len, "This run's history is at its memory cap: from now on, once shown, "
		         "its oldest events and output lines make room for new ones (--memory MIB "
		         "keeps more).");
		break;
	case EV_QUEUE:
		explain_queue(ev, buf, len);
		break;
	case EV_BLOCKED:
		explain_blocked(ev, me, buf, len);
		break;
	case EV_END: {
		char stopped[128] = "", left[128] = "", dropped[128] = "";
		if (ev->killed > 0)
			snprintf(stopped, sizeof(stopped), "Stopped early: forkscope killed the %d "
			         "%s still running. ", ev->killed,
			         plural(ev->killed, "process", "processes"));
		if (ev->unkillable > 0)
			snprintf(left, sizeof(left), "%d %s could not be ended and still %s. ",
			         ev->unkillable, plural(ev->unkillable, "process", "processes"),
			         plural(ev->unkillable, "runs", "run"));
		if (ev->dropped_events > 0)
			snprintf(dropped, sizeof(dropped), " Its memory (--memory) let go of the oldest "
			         "%lu %s once they were shown.", ev->dropped_events,
			         ev->dropped_events == 1 ? "event" : "events");
		/* every process is a zombie a moment: counted are those seen
		 * waiting by a reading */
		snprintf(buf, len, "%s%sThe run is over after %.1f s: %d %s in all, at most %d alive "
		         "at once, %d %s seen waiting, %d %s.%s", stopped, left, ev->t, ev->processes,
		         plural(ev->processes, "process", "processes"), ev->max_alive, ev->zombies,
		         plural(ev->zombies, "zombie", "zombies"), ev->orphans,
		         plural(ev->orphans, "orphan", "orphans"), dropped);
		break;
	}
	case EV_LOST:
		if (ev->lost > 0)
			snprintf(buf, len, "The kernel's news came faster than forkscope read it: %ld "
			         "%s (for the whole machine) %s lost. forkscope read /proc again and goes "
			         "on; what lived and died in between may be missing.", ev->lost,
			         plural((int)(ev->lost > 1 ? 2 : 1), "message", "messages"),
			         ev->lost == 1 ? "was" : "were");
		else
			snprintf(buf, len, "The kernel's news came faster than forkscope read it, and "
			         "some was lost. forkscope read /proc again and goes on; what lived and "
			         "died in between may be missing.");
		break;
	case EV_POLLING:
		snprintf(buf, len, "No news from the kernel (%s): forkscope learns of processes by "
		         "reading /proc alone, so a process that lives less than one reading may be "
		         "missed, and an exit found late has no status.", ev->text);
		break;
	case EV_COUNT:
		buf[0] = '\0';
		break;
	}
}

const char *explain_label(const struct event *ev)
{
	switch (ev->type) {
	case EV_SPAWN: return "fork";
	case EV_REPARENT: return ev->orphan ? "orphan" : "reparent";
	default: return event_type_name(ev->type);
	}
}

void explain_short(const struct event *ev, char *buf, size_t len)
{
	char how[64];

	switch (ev->type) {
	case EV_SPAWN:
		snprintf(buf, len, "%d made %d", (int)ev->ppid, (int)ev->pid);
		break;
	case EV_EXEC:
		snprintf(buf, len, "%d runs %s", (int)ev->pid, ev->text[0] ? ev->text : "?");
		break;
	case EV_TITLE:
		snprintf(buf, len, "%d %s", (int)ev->pid, ev->text);
		break;
	case EV_EXIT: {
		if (ev->signal > 0)
			describe_signal(ev->signal, how, sizeof(how));
		else if (ev->status >= 0)
			snprintf(how, sizeof(how), "status %d", ev->status);
		else
			how[0] = '\0';    /* reaped before a reading could see its status */
		snprintf(buf, len, "%d %s%s%s", (int)ev->pid, how[0] ? how : "exited",
		         ev->zombie ? ": zombie" : ", reaped", how[0] ? "" : " at once");
		break;
	}
	case EV_REAP:
		if (ev->by > 0)
			snprintf(buf, len, "%d by %d", (int)ev->pid, (int)ev->by);
		else
			snprintf(buf, len, "%d gone", (int)ev->pid);
		break;
	case EV_REPARENT:
		snprintf(buf, len, "%d adopted by %d", (int)ev->pid, (int)ev->ppid);
		break;
	case EV_OUTPUT:
		output_line(ev, buf, len);
		break;
	case EV_DROPPED:
		snprintf(buf, len, "memory cap: oldest events go");
		break;
	case EV_QUEUE:
		if (ev->capacity > 0)
			snprintf(buf, len, "%s %ld/%ld%s", ev->text, ev->fill, ev->capacity,
			         ev->fill >= ev->capacity ? " full" : ev->fill == 0 ? " empty" : "");
		else
			snprintf(buf, len, "%s %ld", ev->text, ev->fill);
		break;
	case EV_BLOCKED:
		snprintf(buf, len, "%d %s%s%s", (int)ev->pid, blocked_name((enum block_on)ev->on),
		         ev->text[0] ? " " : "", ev->text);
		break;
	case EV_END:
		snprintf(buf, len, "%d in all, %d killed", ev->processes, ev->killed);
		break;
	case EV_LOST:
		snprintf(buf, len, "news lost: /proc read again");
		break;
	case EV_POLLING:
		snprintf(buf, len, "polling /proc alone");
		break;
	case EV_COUNT:
		buf[0] = '\0';
		break;
	}
}
