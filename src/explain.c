/*
 * explain.c - events in plain words.
 *
 * Every caption is one whole sentence (a format string) for its case, so
 * that a translation can order its parts as its language does: how a
 * process ended is not a fragment put into a bigger sentence, and a count
 * chooses its form with P_().
 */
#include "explain.h"

#include <stdio.h>
#include <string.h>

#include "blocked.h"
#include "describe.h"
#include "i18n.h"

/* "1234 (child 2)", "forkscope 1233", or "1234" when the name is unknown. */
static void name(pid_t pid, const char *comm, bool self, char *buf, size_t len)
{
	if (pid <= 0)
		/* TRANSLATORS: stands where a process's PID and name go in a
		 * caption, when the PID is not known */
		snprintf(buf, len, "%s", _("an unknown process"));
	else if (self)
		snprintf(buf, len, "forkscope %d", (int)pid);
	else if (comm && comm[0])
		/* TRANSLATORS: a process in a caption: its PID and its name in
		 * brackets ("1234 (child 2)") */
		snprintf(buf, len, _("%d (%s)"), (int)pid, comm);
	else
		snprintf(buf, len, "%d", (int)pid);
}

/* How an exit event says the process ended: each caption has one sentence
 * for each. */
enum ending {
	ENDED_CORE,       /* killed by a signal, and a core was dumped */
	ENDED_SIGNAL,     /* killed by a signal */
	ENDED_STATUS,     /* exited with a status */
	ENDED_UNKNOWN,    /* exited, the status not seen */
};

static enum ending ending(const struct event *ev, char *sig, size_t len)
{
	sig[0] = '\0';
	if (ev->signal > 0) {
		describe_signal(ev->signal, sig, len);
		return ev->core ? ENDED_CORE : ENDED_SIGNAL;
	}
	return ev->status >= 0 ? ENDED_STATUS : ENDED_UNKNOWN;
}

/* An output line as kept, with what was cut said at its end:
 * "text… (312 bytes more)", "text… (9.8 kB more)". */
static void output_line(const struct event *ev, char *buf, size_t len)
{
	unsigned long long n = ev->cut;

	if (!n) {
		snprintf(buf, len, "%s", ev->text);
		return;
	}
	int used = snprintf(buf, len, "%s%s", ev->text, ev->text[0] ? " " : "");
	if (used < 0 || (size_t)used >= len)
		return;
	buf += used;
	len -= (size_t)used;
	if (n < 1000)
		snprintf(buf, len, P_("… (%llu byte more)", "… (%llu bytes more)", n), n);
	else if (n < 1000000)
		snprintf(buf, len, _("… (%.1f kB more)"), (double)n / 1e3);
	else if (n < 1000000000)
		snprintf(buf, len, _("… (%.1f MB more)"), (double)n / 1e6);
	else
		snprintf(buf, len, _("… (%.1f GB more)"), (double)n / 1e9);
}

/* A pipe is read and written, in bytes; a queue is got from and put into,
 * in messages. */
static void explain_pipe(const struct event *ev, char *buf, size_t len)
{
	long fill = ev->fill, cap = ev->capacity;

	if (cap <= 0)
		snprintf(buf, len, P_("Pipe %s holds %ld byte.", "Pipe %s holds %ld bytes.", fill),
		         ev->text, fill);
	else if (fill >= cap)
		snprintf(buf, len, P_("Pipe %s is full: %ld of %ld byte; a write() now has to wait.",
		                      "Pipe %s is full: %ld of %ld bytes; a write() now has to wait.",
		                      cap), ev->text, fill, cap);
	else if (fill == 0)
		snprintf(buf, len, P_("Pipe %s is empty (room for %ld byte); a read() now has to wait.",
		                      "Pipe %s is empty (room for %ld bytes); a read() now has to "
		                      "wait.", cap), ev->text, cap);
	else
		snprintf(buf, len, P_("Pipe %s holds %ld of %ld byte.", "Pipe %s holds %ld of %ld bytes.",
		                      cap), ev->text, fill, cap);
}

static void explain_manager_queue(const struct event *ev, char *buf, size_t len)
{
	long fill = ev->fill, cap = ev->capacity;

	if (cap <= 0)
		snprintf(buf, len, P_("The manager's queue %s holds %ld message.",
		                      "The manager's queue %s holds %ld messages.", fill), ev->text, fill);
	else if (fill >= cap)
		snprintf(buf, len, P_("The manager's queue %s is full: %ld of %ld message; a put() now "
		                      "has to wait.",
		                      "The manager's queue %s is full: %ld of %ld messages; a put() now "
		                      "has to wait.", cap), ev->text, fill, cap);
	else if (fill == 0)
		snprintf(buf, len, P_("The manager's queue %s is empty (room for %ld message); a get() "
		                      "now has to wait.",
		                      "The manager's queue %s is empty (room for %ld messages); a get() "
		                      "now has to wait.", cap), ev->text, cap);
	else
		snprintf(buf, len, P_("The manager's queue %s holds %ld of %ld message.",
		                      "The manager's queue %s holds %ld of %ld messages.", cap),
		         ev->text, fill, cap);
}

static void explain_queue(const struct event *ev, char *buf, size_t len)
{
	long fill = ev->fill, cap = ev->capacity;

	if (strcmp(ev->what, "tasks") == 0)
		snprintf(buf, len, P_("The pool's task queue %s holds %ld task waiting for a free worker.",
		                      "The pool's task queue %s holds %ld tasks waiting for a free "
		                      "worker.", fill), ev->text, fill);
	else if (strcmp(ev->what, "results") == 0)
		snprintf(buf, len, P_("The pool's result queue %s holds %ld result on the way back.",
		                      "The pool's result queue %s holds %ld results on the way back.",
		                      fill), ev->text, fill);
	else if (ev->kind == CHAN_PIPE && !ev->what[0])
		explain_pipe(ev, buf, len);
	else if (strcmp(ev->what, "manager") == 0)
		explain_manager_queue(ev, buf, len);
	else if (cap <= 0)
		snprintf(buf, len, P_("Queue %s holds %ld message.", "Queue %s holds %ld messages.", fill),
		         ev->text, fill);
	else if (fill >= cap)
		snprintf(buf, len, P_("Queue %s is full: %ld of %ld message; a put() now has to wait.",
		                      "Queue %s is full: %ld of %ld messages; a put() now has to wait.",
		                      cap), ev->text, fill, cap);
	else if (fill == 0)
		snprintf(buf, len, P_("Queue %s is empty (room for %ld message); a get() now has to wait.",
		                      "Queue %s is empty (room for %ld messages); a get() now has to "
		                      "wait.", cap), ev->text, cap);
	else
		snprintf(buf, len, P_("Queue %s holds %ld of %ld message.",
		                      "Queue %s holds %ld of %ld messages.", cap), ev->text, fill, cap);
}

/* A wait for a child: Python's join() is a join; anything else waits for
 * its child.  call: the system call it waits in, or NULL. */
static void explain_wait_child(const struct event *ev, const char *me, const char *call,
                               char *buf, size_t len)
{
	bool join = strcmp(ev->what, "join") == 0, known = ev->by > 0 && ev->pcomm[0];
	int child = (int)ev->by;

	if (join && known && call)
		snprintf(buf, len, _("%s is blocked in %s(): join() waits for %d (%s) to exit."), me,
		         call, child, ev->pcomm);
	else if (join && known)
		snprintf(buf, len, _("%s is blocked: join() waits for %d (%s) to exit."), me, child,
		         ev->pcomm);
	else if (join && call)
		snprintf(buf, len, _("%s is blocked in %s(): join() waits for a child to exit."), me,
		         call);
	else if (join)
		snprintf(buf, len, _("%s is blocked: join() waits for a child to exit."), me);
	else if (known && call)
		snprintf(buf, len, _("%s is blocked in %s(): it waits for its child %d (%s) to exit."),
		         me, call, child, ev->pcomm);
	else if (known)
		snprintf(buf, len, _("%s is blocked: it waits for its child %d (%s) to exit."), me,
		         child, ev->pcomm);
	else if (call)
		snprintf(buf, len, _("%s is blocked in %s(): it waits for a child to exit."), me, call);
	else
		snprintf(buf, len, _("%s is blocked: it waits for a child to exit."), me);
}

static void explain_blocked(const struct event *ev, const char *me, char *buf, size_t len)
{
	/* the system call it waits in, where it says more than a futex */
	const char *call = ev->syscall[0] ? ev->syscall : NULL;
	const char *queue_call = call && strcmp(call, "futex") != 0 ? call : NULL;
	/* TRANSLATORS: stands for the name of a queue that is not known, in
	 * "queue %s is full" */
	const char *queue = ev->text[0] ? ev->text : _("(unknown)");

	switch ((enum block_on)ev->on) {
	case ON_WAIT_CHILD:
		explain_wait_child(ev, me, call, buf, len);
		break;
	case ON_LOCK:
		snprintf(buf, len, _("%s is blocked: acquire() waits for the Lock %s, which another "
		                     "process holds."), me, ev->text);
		break;
	case ON_SEMAPHORE:
		snprintf(buf, len, _("%s is blocked: acquire() waits for the Semaphore %s to be "
		                     "released."), me, ev->text);
		break;
	case ON_EVENT:
		snprintf(buf, len, _("%s is blocked: wait() waits for the Event %s to be set."), me,
		         ev->text);
		break;
	case ON_CONDITION:
		snprintf(buf, len, _("%s is blocked: wait() waits for the Condition %s to be "
		                     "notified."), me, ev->text);
		break;
	case ON_BARRIER:
		snprintf(buf, len, _("%s is blocked: wait() waits at the Barrier %s for the others."),
		         me, ev->text);
		break;
	case ON_POOL_JOIN:
		if (ev->text[0])
			snprintf(buf, len, _("%s is blocked: %s.join() waits for the pool's workers to "
			                     "end."), me, ev->text);
		else
			snprintf(buf, len, _("%s is blocked: join() waits for the pool's workers to end."),
			         me);
		break;
	case ON_RESULT:
		if (ev->text[0])
			snprintf(buf, len, _("%s is blocked: it waits for a worker of %s to send back a "
			                     "result."), me, ev->text);
		else
			snprintf(buf, len, _("%s is blocked: it waits for a worker of the pool to send "
			                     "back a result."), me);
		break;
	case ON_MANAGER:
		if (ev->what[0])
			snprintf(buf, len, _("%s is blocked: a proxy's %s() call waits for the manager %s "
			                     "to answer."), me, ev->what, ev->text);
		else
			snprintf(buf, len, _("%s is blocked: a proxy's call waits for the manager %s to "
			                     "answer."), me, ev->text);
		break;
	case ON_SERVE:
		snprintf(buf, len, _("%s, a server of multiprocessing's, waits for requests."), me);
		break;
	case ON_QUEUE_GET:
		if (queue_call)
			snprintf(buf, len, _("%s is blocked in %s(): get() waits for a message in queue "
			                     "%s."), me, queue_call, queue);
		else
			snprintf(buf, len, _("%s is blocked: get() waits for a message in queue %s."), me,
			         queue);
		break;
	case ON_QUEUE_PUT:
		if (queue_call && ev->timeout >= 0)
			snprintf(buf, len, _("%s is blocked in %s(): queue %s is full, and put() waits for "
			                     "room, %.1f s more at most."), me, queue_call, queue,
			         ev->timeout);
		else if (ev->timeout >= 0)
			snprintf(buf, len, _("%s is blocked: queue %s is full, and put() waits for room, "
			                     "%.1f s more at most."), me, queue, ev->timeout);
		else if (queue_call)
			snprintf(buf, len, _("%s is blocked in %s(): queue %s is full, and put() waits for "
			                     "room."), me, queue_call, queue);
		else
			snprintf(buf, len, _("%s is blocked: queue %s is full, and put() waits for room."),
			         me, queue);
		break;
	case ON_SLEEP:
		if (call)
			snprintf(buf, len, _("%s is sleeping in %s()."), me, call);
		else
			snprintf(buf, len, _("%s is sleeping."), me);
		break;
	case ON_PIPE_READ:
		if (call)
			snprintf(buf, len, _("%s is blocked in %s(): pipe %s is empty, and read() waits "
			                     "for data."), me, call, ev->text);
		else
			snprintf(buf, len, _("%s is blocked: pipe %s is empty, and read() waits for "
			                     "data."), me, ev->text);
		break;
	case ON_PIPE_WRITE:
		if (call)
			snprintf(buf, len, _("%s is blocked in %s(): pipe %s is full, and write() waits "
			                     "for room."), me, call, ev->text);
		else
			snprintf(buf, len, _("%s is blocked: pipe %s is full, and write() waits for "
			                     "room."), me, ev->text);
		break;
	default:
		if (call && describe_call(call))
			/* TRANSLATORS: "1234 (python3) is waiting in futex(): for a
			 * lock or another thread." */
			snprintf(buf, len, _("%s is waiting in %s(): for %s."), me, call,
			         describe_call(call));
		else if (call)
			snprintf(buf, len, _("%s is waiting in %s()."), me, call);
		else
			snprintf(buf, len, _("%s is waiting."), me);
		break;
	}
}

/* An exit: how it ended, and who is to reap it. */
static void explain_exit(const struct event *ev, const char *me, char *buf, size_t len)
{
	char other[96], sig[32];
	enum ending how = ending(ev, sig, sizeof(sig));
	int code = ev->signal > 0 ? ev->signal : ev->status;

	name(ev->ppid, ev->pcomm, ev->pself, other, sizeof(other));
	if (ev->zombie && ev->pself && ev->orphan) {
		/* forkscope is its parent now: it adopted it */
		switch (how) {
		case ENDED_CORE:
			snprintf(buf, len, _("%s was killed by signal %d (%s) and dumped core: a zombie "
			                     "until forkscope, its parent now, reaps it."), me, code, sig);
			break;
		case ENDED_SIGNAL:
			snprintf(buf, len, _("%s was killed by signal %d (%s): a zombie until forkscope, "
			                     "its parent now, reaps it."), me, code, sig);
			break;
		case ENDED_STATUS:
			snprintf(buf, len, _("%s exited with status %d: a zombie until forkscope, its "
			                     "parent now, reaps it."), me, code);
			break;
		case ENDED_UNKNOWN:
			snprintf(buf, len, _("%s exited: a zombie until forkscope, its parent now, reaps "
			                     "it."), me);
			break;
		}
	} else if (ev->zombie && ev->pself) {
		switch (how) {
		case ENDED_CORE:
			snprintf(buf, len, _("%s was killed by signal %d (%s) and dumped core: a zombie "
			                     "until forkscope, its parent, reaps it."), me, code, sig);
			break;
		case ENDED_SIGNAL:
			snprintf(buf, len, _("%s was killed by signal %d (%s): a zombie until forkscope, "
			                     "its parent, reaps it."), me, code, sig);
			break;
		case ENDED_STATUS:
			snprintf(buf, len, _("%s exited with status %d: a zombie until forkscope, its "
			                     "parent, reaps it."), me, code);
			break;
		case ENDED_UNKNOWN:
			snprintf(buf, len, _("%s exited: a zombie until forkscope, its parent, reaps it."),
			         me);
			break;
		}
	} else if (ev->kernel) {
		/* told as it happened: whether the parent waits already is not
		 * known yet */
		switch (how) {
		case ENDED_CORE:
			snprintf(buf, len, _("%s was killed by signal %d (%s) and dumped core: a zombie "
			                     "until its parent %s reaps it with wait()."), me, code, sig,
			         other);
			break;
		case ENDED_SIGNAL:
			snprintf(buf, len, _("%s was killed by signal %d (%s): a zombie until its parent "
			                     "%s reaps it with wait()."), me, code, sig, other);
			break;
		case ENDED_STATUS:
			snprintf(buf, len, _("%s exited with status %d: a zombie until its parent %s "
			                     "reaps it with wait()."), me, code, other);
			break;
		case ENDED_UNKNOWN:
			snprintf(buf, len, _("%s exited: a zombie until its parent %s reaps it with "
			                     "wait()."), me, other);
			break;
		}
	} else if (ev->zombie) {
		int pid = (int)ev->pid;
		switch (how) {
		case ENDED_CORE:
			snprintf(buf, len, _("%s was killed by signal %d (%s) and dumped core, but its "
			                     "parent %s has not called wait() yet: %d is a zombie."), me,
			         code, sig, other, pid);
			break;
		case ENDED_SIGNAL:
			snprintf(buf, len, _("%s was killed by signal %d (%s), but its parent %s has not "
			                     "called wait() yet: %d is a zombie."), me, code, sig, other,
			         pid);
			break;
		case ENDED_STATUS:
			snprintf(buf, len, _("%s exited with status %d, but its parent %s has not called "
			                     "wait() yet: %d is a zombie."), me, code, other, pid);
			break;
		case ENDED_UNKNOWN:
			snprintf(buf, len, _("%s exited, but its parent %s has not called wait() yet: %d "
			                     "is a zombie."), me, other, pid);
			break;
		}
	} else {
		switch (how) {
		case ENDED_CORE:
			snprintf(buf, len, _("%s was killed by signal %d (%s) and dumped core and was "
			                     "reaped at once."), me, code, sig);
			break;
		case ENDED_SIGNAL:
			snprintf(buf, len, _("%s was killed by signal %d (%s) and was reaped at once."), me,
			         code, sig);
			break;
		case ENDED_STATUS:
			snprintf(buf, len, _("%s exited with status %d and was reaped at once."), me, code);
			break;
		case ENDED_UNKNOWN:
			snprintf(buf, len, _("%s exited and was reaped at once."), me);
			break;
		}
	}
}

/* The last words of a run: what forkscope had to end, the counts, what
 * its memory let go of; each a sentence of its own. */
static void explain_end(const struct event *ev, char *buf, size_t len)
{
	char stopped[192] = "", left[192] = "", dropped[192] = "", over[384];
	char processes[64], zombies[64], orphans[64];

	if (ev->killed > 0)
		snprintf(stopped, sizeof(stopped),
		         P_("Stopped early: forkscope killed the %d process still running. ",
		            "Stopped early: forkscope killed the %d processes still running. ",
		            ev->killed), ev->killed);
	if (ev->unkillable > 0)
		snprintf(left, sizeof(left),
		         P_("%d process could not be ended and still runs. ",
		            "%d processes could not be ended and still run. ", ev->unkillable),
		         ev->unkillable);
	if (ev->dropped_events > 0)
		snprintf(dropped, sizeof(dropped),
		         P_(" Its memory (--memory) let go of the oldest %lu event once it was shown.",
		            " Its memory (--memory) let go of the oldest %lu events once they were "
		            "shown.", ev->dropped_events), ev->dropped_events);
	/* every process is a zombie a moment: counted are those seen waiting
	 * by a reading.  Three counts, each with its own form: each is said
	 * on its own, then put in the sentence */
	/* TRANSLATORS: a count in "The run is over after %.1f s: %s in all, ..." */
	snprintf(processes, sizeof(processes), P_("%d process", "%d processes", ev->processes),
	         ev->processes);
	/* TRANSLATORS: a count in "..., %s seen waiting, %s." */
	snprintf(zombies, sizeof(zombies), P_("%d zombie", "%d zombies", ev->zombies), ev->zombies);
	/* TRANSLATORS: a count in "..., %s seen waiting, %s." */
	snprintf(orphans, sizeof(orphans), P_("%d orphan", "%d orphans", ev->orphans), ev->orphans);
	/* TRANSLATORS: the counts are "3 processes", "1 zombie" and
	 * "0 orphans": the zombies were seen waiting for their parent's
	 * wait() */
	snprintf(over, sizeof(over), _("The run is over after %.1f s: %s in all, at most %d alive "
	                               "at once, %s seen waiting, %s."), ev->t, processes,
	         ev->max_alive, zombies, orphans);
	snprintf(buf, len, "%s%s%s%s", stopped, left, over, dropped);
}

/* ev, with a queue's or a wait's channel named as the screen names it
 * (describe_channel): copy is ev's copy, name holds the name. */
static const struct event *channel_shown(const struct event *ev, struct event *copy, char *name,
                                         size_t len)
{
	if ((ev->type != EV_QUEUE && ev->type != EV_BLOCKED) || !ev->text[0])
		return ev;
	*copy = *ev;
	copy->text = describe_channel(ev->text, name, len);
	return copy;
}

void explain_event(const struct event *ev, char *buf, size_t len)
{
	char me[96], other[96], channel[CHAN_NAME_MAX + 32];
	struct event copy;

	ev = channel_shown(ev, &copy, channel, sizeof(channel));

	name(ev->pid, ev->comm, false, me, sizeof(me));
	switch (ev->type) {
	case EV_SPAWN:
		name(ev->ppid, ev->pcomm, ev->pself, other, sizeof(other));
		if (ev->existing)
			snprintf(buf, len, _("%s was already running, a child of %s, when forkscope "
			                     "attached: watched from now on, never signalled on quit."), me,
			         other);
		else if (ev->pself && ev->orphan)
			snprintf(buf, len, _("%s appeared already adopted by %s: its parent had exited."),
			         me, other);
		else if (ev->pself && ev->pid == 1 && ev->host > 0)
			/* forkscope's init (--pid1): its command line is
			 * forkscope's own, which says nothing of what it is */
			snprintf(buf, len, _("%s started 1 (init), the first process of a PID "
			                     "namespace of its own: init adopts the orphans and "
			                     "reaps them."), other);
		else if (ev->pself && strcmp(ev->text, ev->comm) == 0)
			snprintf(buf, len, _("%s started %s."), other, me);
		else if (ev->pself)
			snprintf(buf, len, _("%s started %d: %s."), other, (int)ev->pid, ev->text);
		else
			snprintf(buf, len, _("%s called fork(): %d is its new child."), other, (int)ev->pid);
		break;
	case EV_EXEC:
		if (ev->text[0])
			snprintf(buf, len, _("%d called exec(): same process, new program: %s."),
			         (int)ev->pid, ev->text);
		else
			snprintf(buf, len, _("%d called exec(): same process, new program (it was gone "
			                     "before its name could be read)."), (int)ev->pid);
		break;
	case EV_TITLE:
		if (strcmp(ev->what, "name") == 0)
			snprintf(buf, len, _("%d is %s, as Python's multiprocessing names it."),
			         (int)ev->pid, ev->text);
		else if (strcmp(ev->what, "task") == 0 && strstr(ev->text, ": "))
			/* "ForkPoolWorker-3: worker(3)" */
			/* TRANSLATORS: "1240, ForkPoolWorker-3, runs the task
			 * worker(3)."; %.*s is the worker's name */
			snprintf(buf, len, _("%d, %.*s, runs the task %s."), (int)ev->pid,
			         (int)(strstr(ev->text, ": ") - ev->text), ev->text,
			         strstr(ev->text, ": ") + 2);
		else
			snprintf(buf, len, _("%d now calls itself \"%s\"."), (int)ev->pid, ev->text);
		break;
	case EV_EXIT:
		explain_exit(ev, me, buf, len);
		break;
	case EV_REAP:
		name(ev->by, ev->pcomm, ev->pself, other, sizeof(other));
		if (ev->by <= 0)
			snprintf(buf, len, _("%d left the process table."), (int)ev->pid);
		else if (ev->pself && ev->orphan)
			snprintf(buf, len, _("%s adopted %d and reaped it, as init would: it is gone."),
			         other, (int)ev->pid);
		else if (ev->pself)
			snprintf(buf, len, _("%s, its parent, called wait() and reaped %d: it is gone."),
			         other, (int)ev->pid);
		else if (ev->zombie)
			snprintf(buf, len, _("%s called wait() and reaped %d: the zombie is gone."), other,
			         (int)ev->pid);
		else
			snprintf(buf, len, _("%s called wait() and reaped %d: it is gone."), other,
			         (int)ev->pid);
		break;
	case EV_REPARENT:
		name(ev->ppid, ev->pcomm, ev->pself, other, sizeof(other));
		if (ev->orphan && ev->old_ppid > 0)
			snprintf(buf, len, _("%d is an orphan: its parent %d exited first, so %s adopted "
			                     "it."), (int)ev->pid, (int)ev->old_ppid, other);
		else if (ev->orphan)
			snprintf(buf, len, _("%d is an orphan: its parent exited before forkscope first "
			                     "saw it, and %s adopted it."), (int)ev->pid, other);
		else
			snprintf(buf, len, _("%d's parent changed from %d to %s."), (int)ev->pid,
			         (int)ev->old_ppid, other);
		break;
	case EV_OUTPUT:
		output_line(ev, buf, len);
		break;
	case EV_DROPPED:
		snprintf(buf, len, "%s", _("This run's history is at its memory cap: from now on, once "
		                           "shown, its oldest events and output lines make room for new "
		                           "ones (--memory MIB keeps more)."));
		break;
	case EV_QUEUE:
		explain_queue(ev, buf, len);
		break;
	case EV_BLOCKED:
		explain_blocked(ev, me, buf, len);
		break;
	case EV_END:
		explain_end(ev, buf, len);
		break;
	case EV_LOST:
		if (ev->lost > 0)
			snprintf(buf, len, P_("The kernel's news came faster than forkscope read it: %ld "
			                      "message (for the whole machine) was lost. forkscope read "
			                      "/proc again and goes on; what lived and died in between may "
			                      "be missing.",
			                      "The kernel's news came faster than forkscope read it: %ld "
			                      "messages (for the whole machine) were lost. forkscope read "
			                      "/proc again and goes on; what lived and died in between may "
			                      "be missing.", ev->lost), ev->lost);
		else
			snprintf(buf, len, "%s", _("The kernel's news came faster than forkscope read it, "
			                           "and some was lost. forkscope read /proc again and goes "
			                           "on; what lived and died in between may be missing."));
		break;
	case EV_POLLING:
		snprintf(buf, len, _("No news from the kernel (%s): forkscope learns of processes by "
		                     "reading /proc alone, so a process that lives less than one "
		                     "reading may be missed, and an exit found late has no status."),
		         ev->text);
		break;
	case EV_COUNT:
		buf[0] = '\0';
		break;
	}
}

const char *explain_word(enum event_type type)
{
	switch (type) {
	/* TRANSLATORS: the event words of the text view (forkscope
	 * --headless), in a column 8 wide (a Chinese character is 2): a new
	 * process */
	case EV_SPAWN: return _("spawn");
	/* TRANSLATORS: event word: a process ran exec() (a new program) */
	case EV_EXEC: return _("exec");
	/* TRANSLATORS: event word: a process renamed itself */
	case EV_TITLE: return _("title");
	/* TRANSLATORS: event word: a process exited */
	case EV_EXIT: return _("exit");
	/* TRANSLATORS: event word: a process was reaped by wait() */
	case EV_REAP: return _("reap");
	/* TRANSLATORS: event word: a process got a new parent */
	case EV_REPARENT: return _("reparent");
	/* TRANSLATORS: event word: a line the program printed */
	case EV_OUTPUT: return _("output");
	/* TRANSLATORS: event word: a queue's or pipe's fill changed */
	case EV_QUEUE: return _("queue");
	/* TRANSLATORS: event word: a process now waits (blocks) */
	case EV_BLOCKED: return _("blocked");
	/* TRANSLATORS: event word: the memory cap was reached, old events go */
	case EV_DROPPED: return _("dropped");
	/* TRANSLATORS: event word: the run is over */
	case EV_END: return _("end");
	/* TRANSLATORS: event word: the kernel's news was lost */
	case EV_LOST: return _("lost");
	/* TRANSLATORS: event word: no news from the kernel, /proc read alone */
	case EV_POLLING: return _("polling");
	case EV_COUNT: break;
	}
	return "?";
}

const char *explain_label(const struct event *ev)
{
	switch (ev->type) {
	/* TRANSLATORS: the event log's word for a new process (a fork), in a
	 * column 8 wide (a Chinese character is 2) */
	case EV_SPAWN: return _("fork");
	/* TRANSLATORS: the event log's word for a process whose parent
	 * exited first (an orphan), in a column 8 wide; also the help
	 * screen's state word */
	case EV_REPARENT: return ev->orphan ? _("orphan") : _("reparent");
	default: return explain_word(ev->type);
	}
}

/* An exit, short. */
size_t explain_labels(const char **out, size_t max)
{
	struct event ev = { .type = EV_REPARENT, .orphan = true };
	size_t n = 0;

	for (int type = 0; type < EV_COUNT && n < max; type++) {
		ev.type = (enum event_type)type;
		out[n++] = explain_label(&ev);
	}
	ev.type = EV_REPARENT;
	ev.orphan = false;
	if (n < max)
		out[n++] = explain_label(&ev);
	return n;
}

static void exit_short(const struct event *ev, char *buf, size_t len)
{
	char sig[32];
	int pid = (int)ev->pid;

	switch (ending(ev, sig, sizeof(sig))) {
	case ENDED_CORE:
	case ENDED_SIGNAL:
		if (ev->zombie)
			/* TRANSLATORS: short, for the event log: "1236 SIGKILL: zombie" */
			snprintf(buf, len, _("%d %s: zombie"), pid, sig);
		else
			/* TRANSLATORS: short, for the event log: "1236 SIGKILL, reaped" */
			snprintf(buf, len, _("%d %s, reaped"), pid, sig);
		break;
	case ENDED_STATUS:
		if (ev->zombie)
			/* TRANSLATORS: short, for the event log: "1236 status 3: zombie" */
			snprintf(buf, len, _("%d status %d: zombie"), pid, ev->status);
		else
			snprintf(buf, len, _("%d status %d, reaped"), pid, ev->status);
		break;
	case ENDED_UNKNOWN:
		/* reaped before a reading could see its status */
		if (ev->zombie)
			snprintf(buf, len, _("%d exited: zombie at once"), pid);
		else
			snprintf(buf, len, _("%d exited, reaped at once"), pid);
		break;
	}
}

void explain_short(const struct event *ev, char *buf, size_t len)
{
	char channel[CHAN_NAME_MAX + 32];
	struct event copy;

	ev = channel_shown(ev, &copy, channel, sizeof(channel));
	switch (ev->type) {
	case EV_SPAWN:
		/* TRANSLATORS: short, for the event log: "1233 made 1234" (a fork) */
		snprintf(buf, len, _("%d made %d"), (int)ev->ppid, (int)ev->pid);
		break;
	case EV_EXEC:
		/* TRANSLATORS: short, for the event log: "1234 runs sleep 3" */
		snprintf(buf, len, _("%d runs %s"), (int)ev->pid, ev->text[0] ? ev->text : "?");
		break;
	case EV_TITLE:
		snprintf(buf, len, "%d %s", (int)ev->pid, ev->text);
		break;
	case EV_EXIT:
		exit_short(ev, buf, len);
		break;
	case EV_REAP:
		if (ev->by > 0)
			/* TRANSLATORS: short, for the event log: "1236 by 1233": 1236
			 * was reaped by 1233 */
			snprintf(buf, len, _("%d by %d"), (int)ev->pid, (int)ev->by);
		else
			/* TRANSLATORS: short, for the event log: 1236 left the process
			 * table */
			snprintf(buf, len, _("%d gone"), (int)ev->pid);
		break;
	case EV_REPARENT:
		snprintf(buf, len, _("%d adopted by %d"), (int)ev->pid, (int)ev->ppid);
		break;
	case EV_OUTPUT:
		output_line(ev, buf, len);
		break;
	case EV_DROPPED:
		snprintf(buf, len, "%s", _("memory cap: oldest events go"));
		break;
	case EV_QUEUE:
		if (ev->capacity > 0 && ev->fill >= ev->capacity)
			/* TRANSLATORS: short, for the event log: "q1 3/3 full" */
			snprintf(buf, len, _("%s %ld/%ld full"), ev->text, ev->fill, ev->capacity);
		else if (ev->capacity > 0 && ev->fill == 0)
			/* TRANSLATORS: short, for the event log: "q1 0/3 empty" */
			snprintf(buf, len, _("%s %ld/%ld empty"), ev->text, ev->fill, ev->capacity);
		else if (ev->capacity > 0)
			snprintf(buf, len, "%s %ld/%ld", ev->text, ev->fill, ev->capacity);
		else
			snprintf(buf, len, "%s %ld", ev->text, ev->fill);
		break;
	case EV_BLOCKED:
		/* "1234 queue-get q1": the word for what it waits on, and the
		 * channel's name */
		if (ev->text[0])
			snprintf(buf, len, "%d %s %s", (int)ev->pid, blocked_word((enum block_on)ev->on),
			         ev->text);
		else if (ev->on == ON_OTHER && ev->syscall[0])
			/* TRANSLATORS: short, for the event log: "1234 waits in
			 * futex()": a wait forkscope has no word for */
			snprintf(buf, len, _("%d waits in %s()"), (int)ev->pid, ev->syscall);
		else
			snprintf(buf, len, "%d %s", (int)ev->pid, blocked_word((enum block_on)ev->on));
		break;
	case EV_END:
		/* TRANSLATORS: short, for the event log: "5 in all, 2 killed"
		 * (processes) */
		snprintf(buf, len, _("%d in all, %d killed"), ev->processes, ev->killed);
		break;
	case EV_LOST:
		snprintf(buf, len, "%s", _("news lost: /proc read again"));
		break;
	case EV_POLLING:
		snprintf(buf, len, "%s", _("polling /proc alone"));
		break;
	case EV_COUNT:
		buf[0] = '\0';
		break;
	}
}
