/*
 * describe.c - states as symbols and words.
 */
#include "describe.h"

#include <stdio.h>
#include <string.h>

#include "i18n.h"

/* The words and meanings are marked (N_) and translated where they are
 * shown; "forkscope" is a name. */
static const struct {
	const char *utf8, *ascii, *word, *meaning;
} looks[LOOK_COUNT] = {
	/* TRANSLATORS: the state words are the help screen's, in a column
	 * 10 wide, and a tree row's state when nothing more is known */
	[LOOK_RUNNING] = { "●", "*", N_("running"), N_("on a CPU, or ready to run") },
	[LOOK_SLEEPING] = { "○", "o", N_("sleeping"),
	                    N_("waiting for something: a timer, a child, input") },
	[LOOK_DISK] = { "◐", "d", N_("waiting"), N_("in an uninterruptible wait, usually for the disk") },
	[LOOK_STOPPED] = { "■", "#", N_("stopped"),
	                   N_("frozen by SIGSTOP (space pauses the whole tree)") },
	[LOOK_ZOMBIE] = { "☠", "Z", N_("zombie"), N_("exited; stays until its parent calls wait()") },
	[LOOK_ORPHAN] = { "⇡", "^", N_("orphan"),
	                  N_("its parent exited first; adopted by a subreaper") },
	[LOOK_REAPED] = { "✝", "x", N_("reaped"), N_("gone: its parent collected the exit status") },
	[LOOK_SELF] = { "◆", "@", "forkscope", N_("forkscope itself: it adopts and reaps orphans") },
};

enum look describe_look(const struct proc_record *r)
{
	if (r->is_self)
		return LOOK_SELF;
	if (r->phase == PHASE_REAPED)
		return LOOK_REAPED;
	if (r->phase == PHASE_ZOMBIE)
		return LOOK_ZOMBIE;
	if (r->orphan)
		return LOOK_ORPHAN;
	switch (r->state) {
	case 'R': return LOOK_RUNNING;
	case 'D': return LOOK_DISK;
	case 'T':
	case 't': return LOOK_STOPPED;
	default: return LOOK_SLEEPING;
	}
}

const char *describe_symbol(enum look look, bool ascii)
{
	return ascii ? looks[look].ascii : looks[look].utf8;
}

const char *describe_word(enum look look)
{
	return _(looks[look].word);
}

const char *describe_meaning(enum look look)
{
	return _(looks[look].meaning);
}

void describe_blocked(const struct blocked *b, char *buf, size_t len)
{
	/* the system call it waits in, or NULL; the channel, or NULL */
	const char *call = b->syscall[0] ? b->syscall : NULL;
	char shown[CHAN_NAME_MAX + 32];
	const char *ch = b->channel[0] ? describe_channel(b->channel, shown, sizeof(shown)) : NULL;

	switch (b->on) {
	case ON_WAIT_CHILD:
		/* "join" is Python's word; a shell or a C program waits */
		if (strcmp(b->call, "join") == 0 && b->child > 0)
			/* TRANSLATORS: the words of a tree row for what a sleeping
			 * process waits for: short (the row is narrow); "join",
			 * "acquire", "wait", "get" and "put" are the calls' names */
			snprintf(buf, len, _("join: waits for %d"), (int)b->child);
		else if (strcmp(b->call, "join") == 0)
			snprintf(buf, len, "%s", _("join: waits for a child"));
		else if (b->child > 0 && call)
			/* TRANSLATORS: "waits for its child 1236 (wait4)": the system
			 * call in brackets */
			snprintf(buf, len, _("waits for its child %d (%s)"), (int)b->child, call);
		else if (b->child > 0)
			snprintf(buf, len, _("waits for its child %d"), (int)b->child);
		else if (call)
			snprintf(buf, len, _("waits for a child (%s)"), call);
		else
			snprintf(buf, len, "%s", _("waits for a child"));
		break;
	case ON_LOCK: snprintf(buf, len, _("acquire: waits for Lock %s"), b->channel); break;
	case ON_SEMAPHORE:
		snprintf(buf, len, _("acquire: waits for Semaphore %s"), b->channel);
		break;
	case ON_EVENT: snprintf(buf, len, _("wait: Event %s not set"), b->channel); break;
	case ON_CONDITION: snprintf(buf, len, _("wait: on Condition %s"), b->channel); break;
	case ON_BARRIER: snprintf(buf, len, _("wait: at Barrier %s"), b->channel); break;
	case ON_POOL_JOIN: snprintf(buf, len, _("join: waits for %s's workers"), b->channel); break;
	case ON_RESULT: snprintf(buf, len, _("waits for a result from %s"), b->channel); break;
	case ON_MANAGER:
		if (b->call[0])
			/* TRANSLATORS: "waits for manager SyncManager-1: qsize()" */
			snprintf(buf, len, _("waits for manager %s: %s()"), b->channel, b->call);
		else
			snprintf(buf, len, _("waits for manager %s"), b->channel);
		break;
	case ON_SERVE: snprintf(buf, len, "%s", _("serves: waits for requests")); break;
	/* the queue's name says enough on a row; the caption names the call */
	case ON_QUEUE_GET:
		if (b->call[0] && ch)
			/* TRANSLATORS: a get through a proxy: the queue is the
			 * manager's */
			snprintf(buf, len, _("get: waits on %s (manager)"), ch);
		else if (b->call[0])
			snprintf(buf, len, "%s", _("get: waits on a queue (manager)"));
		else if (ch)
			snprintf(buf, len, _("get: waits on %s"), ch);
		else
			snprintf(buf, len, "%s", _("get: waits on a queue"));
		break;
	case ON_QUEUE_PUT:
		if (b->timeout_left >= 0 && ch)
			snprintf(buf, len, _("put: %s is full, %.1f s left"), ch, b->timeout_left);
		else if (b->timeout_left >= 0)
			snprintf(buf, len, _("put: a queue is full, %.1f s left"), b->timeout_left);
		else if (ch)
			snprintf(buf, len, _("put: %s is full"), ch);
		else
			snprintf(buf, len, "%s", _("put: a queue is full"));
		break;
	case ON_PIPE_READ:
		if (call)
			/* TRANSLATORS: "reads empty pipe:[1234] (read)": the pipe, and
			 * the system call in brackets */
			snprintf(buf, len, _("reads empty %s (%s)"), b->channel, call);
		else
			snprintf(buf, len, _("reads empty %s"), b->channel);
		break;
	case ON_PIPE_WRITE:
		if (call)
			snprintf(buf, len, _("writes full %s (%s)"), b->channel, call);
		else
			snprintf(buf, len, _("writes full %s"), b->channel);
		break;
	case ON_OTHER:
		if (call && describe_call(call))
			/* TRANSLATORS: "waits in futex(): a lock or another thread" */
			snprintf(buf, len, _("waits in %s(): %s"), call, describe_call(call));
		else if (call)
			snprintf(buf, len, _("waits in %s()"), call);
		else
			buf[0] = '\0';
		break;
	default: buf[0] = '\0'; break;
	}
}

const char *describe_call(const char *syscall)
{
	static const struct {
		const char *calls;    /* the calls, each between spaces */
		const char *words;
	} glosses[] = {
		/* TRANSLATORS: what a process waiting in a system call waits for,
		 * after "waits in futex():"; short, a tree row is narrow */
		{ " futex ", N_("a lock or another thread") },
		{ " poll ppoll select pselect6 epoll_wait epoll_pwait epoll_pwait2 ",
		  N_("input on its files") },
		{ " read readv pread64 recvfrom recvmsg recvmmsg ", N_("data to read") },
		{ " write writev pwrite64 sendto sendmsg ", N_("room to write") },
		{ " accept accept4 ", N_("a connection") },
		{ " pause sigsuspend rt_sigsuspend rt_sigtimedwait sigwaitinfo ", N_("a signal") },
		{ " flock fcntl ", N_("a file lock") },
	};
	char key[64];

	if (!syscall || !syscall[0] || strlen(syscall) + 3 > sizeof(key))
		return NULL;
	snprintf(key, sizeof(key), " %s ", syscall);
	for (size_t i = 0; i < sizeof(glosses) / sizeof(glosses[0]); i++)
		if (strstr(glosses[i].calls, key))
			return _(glosses[i].words);
	return NULL;
}

const char *describe_channel(const char *name, char *buf, size_t len)
{
	const char *space = strrchr(name, ' ');

	/* the hook's pool names have no space: a variable's name or "Pool-1" */
	if (!space || space == name || memchr(name, ' ', (size_t)(space - name)))
		return name;
	int pool = (int)(space - name);
	if (strcmp(space + 1, "tasks") == 0)
		/* TRANSLATORS: the name of a Python pool's task queue: %.*s is
		 * the pool's name in the program ("po tasks") */
		snprintf(buf, len, _("%.*s tasks"), pool, name);
	else if (strcmp(space + 1, "results") == 0)
		/* TRANSLATORS: the name of a Python pool's result queue ("po
		 * results") */
		snprintf(buf, len, _("%.*s results"), pool, name);
	else
		return name;
	return buf;
}

bool describe_python_script(const struct proc_record *r, char *buf, size_t len)
{
	const char *base = strrchr(r->exe, '/');
	base = base ? base + 1 : r->comm;
	if (strncmp(base, "python", 6) != 0 || !r->cmd[0])
		return false;
	/* the words after the interpreter (the command line is read with
	 * spaces for NULs: a script with a space in its path is cut there) */
	const char *at = strchr(r->cmd, ' ');
	while (at) {
		at += strspn(at, " ");
		size_t n = strcspn(at, " ");
		if (n == 0)
			return false;
		if (at[0] != '-') {
			/* the script: its file name */
			const char *end = at + n, *file = at;
			for (const char *c = at; c < end; c++)
				if (*c == '/')
					file = c + 1;
			snprintf(buf, len, "%.*s", (int)(end - file), file);
			return true;
		}
		if (strncmp(at, "-c", n) == 0 && n == 2) {
			snprintf(buf, len, "%s -c", base);
			return true;
		}
		/* -m module; -X, -W and -Q take a word */
		bool module = n == 2 && at[1] == 'm';
		bool takes = n == 2 && strchr("mXWQ", at[1]);
		at = strchr(at, ' ');
		if (takes && at) {
			at += strspn(at, " ");
			n = strcspn(at, " ");
			if (module) {
				snprintf(buf, len, "-m %.*s", (int)n, at);
				return true;
			}
			at = strchr(at, ' ');
		}
	}
	return false;
}

void describe_signal(int sig, char *buf, size_t len)
{
	const char *abbrev = sigabbrev_np(sig);

	if (abbrev)
		snprintf(buf, len, "SIG%s", abbrev);
	else
		/* TRANSLATORS: a signal that has no name */
		snprintf(buf, len, _("signal %d"), sig);
}

void describe_exit(const struct proc_record *r, char *buf, size_t len)
{
	if (r->exit_signal > 0) {
		char name[32];
		describe_signal(r->exit_signal, name, sizeof(name));
		/* TRANSLATORS: how a process ended, as a few words put in a
		 * sentence or a row: "killed by SIGKILL" */
		snprintf(buf, len, _("killed by %s"), name);
	} else if (r->exit_status >= 0) {
		/* TRANSLATORS: how a process ended: "exit 3" is exit status 3 */
		snprintf(buf, len, _("exit %d"), r->exit_status);
	} else if (r->phase != PHASE_ALIVE) {
		snprintf(buf, len, "%s", _("exit status unknown"));
	} else {
		buf[0] = '\0';
	}
}

void describe_state(const struct proc_record *r, const struct tracker *tr, double now,
                    bool ascii, char *buf, size_t len)
{
	enum look look = describe_look(r);
	const char *sym = describe_symbol(look, ascii);
	char sig[32] = "";

	if (r->exit_signal > 0)
		describe_signal(r->exit_signal, sig, sizeof(sig));
	switch (look) {
	case LOOK_REAPED: {
		double ago = now - r->reaped;
		ago = ago < 0 ? 0 : ago;
		/* an unknown status (reaped between two readings) is not said */
		if (r->exit_signal > 0)
			/* TRANSLATORS: a tree row's state, after its symbol (the
			 * first %s): the row is narrow, keep it short */
			snprintf(buf, len, _("%s reaped %.0f s ago (killed by %s)"), sym, ago, sig);
		else if (r->exit_status >= 0)
			snprintf(buf, len, _("%s reaped %.0f s ago (exit %d)"), sym, ago, r->exit_status);
		else
			snprintf(buf, len, _("%s reaped %.0f s ago"), sym, ago);
		break;
	}
	case LOOK_ZOMBIE: {
		const struct proc_record *parent = tr ? tracker_find(tr, r->ppid) : NULL;
		int ppid = (int)r->ppid;
		if (parent && parent->is_self) {
			if (r->exit_signal > 0)
				snprintf(buf, len, _("%s zombie (killed by %s, forkscope reaps it)"), sym, sig);
			else if (r->exit_status >= 0)
				snprintf(buf, len, _("%s zombie (exit %d, forkscope reaps it)"), sym,
				         r->exit_status);
			else
				snprintf(buf, len, _("%s zombie (exit status unknown, forkscope reaps it)"),
				         sym);
		} else {
			if (r->exit_signal > 0)
				snprintf(buf, len, _("%s zombie (killed by %s, parent %d has not waited)"), sym,
				         sig, ppid);
			else if (r->exit_status >= 0)
				snprintf(buf, len, _("%s zombie (exit %d, parent %d has not waited)"), sym,
				         r->exit_status, ppid);
			else
				snprintf(buf, len, _("%s zombie (exit status unknown, parent %d has not "
				                     "waited)"), sym, ppid);
		}
		break;
	}
	case LOOK_ORPHAN: {
		/* an attached tree's orphans go to the system's reaper, which is
		 * not in the model: named by its PID */
		const struct proc_record *by = tr ? tracker_find(tr, r->ppid) : NULL;
		if (tr && !by && r->ppid > 0 && r->orig_ppid > 0)
			snprintf(buf, len, _("%s orphan (adopted by %d, was child of %d)"), sym,
			         (int)r->ppid, (int)r->orig_ppid);
		else if (r->orig_ppid > 0)
			snprintf(buf, len, _("%s orphan (adopted, was child of %d)"), sym,
			         (int)r->orig_ppid);
		else
			snprintf(buf, len, _("%s orphan (adopted before it was seen)"), sym);
		break;
	}
	case LOOK_SELF:
		/* attached (-p), forkscope only watches: orphans go elsewhere */
		if (tr && tracker_attached(tr))
			/* TRANSLATORS: forkscope's own row when it watches a tree it
			 * attached to (-p) */
			snprintf(buf, len, _("%s watches (attached)"), sym);
		else
			/* TRANSLATORS: forkscope's own row: it adopts orphans */
			snprintf(buf, len, _("%s adopts orphans"), sym);
		break;
	default: {
		char waits[CHAN_NAME_MAX + 64];
		describe_blocked(&r->blocked, waits, sizeof(waits));
		if ((look == LOOK_SLEEPING || look == LOOK_DISK) && waits[0])
			snprintf(buf, len, "%s %s", sym, waits);
		else
			snprintf(buf, len, "%s %s", sym, describe_word(look));
		break;
	}
	}
}

const struct tree_glyphs *describe_tree_glyphs(bool ascii)
{
	static const struct tree_glyphs utf8 = { "├─ ", "└─ ", "│  ", "   " };
	static const struct tree_glyphs plain = { "|- ", "`- ", "|  ", "   " };

	return ascii ? &plain : &utf8;
}
