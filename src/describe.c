/*
 * describe.c - states as symbols and words.
 */
#include "describe.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *utf8, *ascii, *word, *meaning;
} looks[LOOK_COUNT] = {
	[LOOK_RUNNING] = { "●", "*", "running", "on a CPU, or ready to run" },
	[LOOK_SLEEPING] = { "○", "o", "sleeping", "waiting for something: a timer, a child, input" },
	[LOOK_DISK] = { "◐", "d", "waiting", "in an uninterruptible wait, usually for the disk" },
	[LOOK_STOPPED] = { "■", "#", "stopped", "frozen by SIGSTOP (space pauses the whole tree)" },
	[LOOK_ZOMBIE] = { "☠", "Z", "zombie", "exited; stays until its parent calls wait()" },
	[LOOK_ORPHAN] = { "⇡", "^", "orphan", "its parent exited first; adopted by a subreaper" },
	[LOOK_REAPED] = { "✝", "x", "reaped", "gone: its parent collected the exit status" },
	[LOOK_SELF] = { "◆", "@", "forkscope", "forkscope itself: it adopts and reaps orphans" },
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
	return looks[look].word;
}

const char *describe_meaning(enum look look)
{
	return looks[look].meaning;
}

void describe_blocked(const struct blocked *b, char *buf, size_t len)
{
	char call[48] = "";

	if (b->syscall[0])
		snprintf(call, sizeof(call), " (%s)", b->syscall);
	const char *ch = b->channel[0] ? b->channel : "a queue";
	switch (b->on) {
	case ON_WAIT_CHILD:
		/* "join" is Python's word; a shell or a C program waits */
		if (strcmp(b->call, "join") == 0 && b->child > 0)
			snprintf(buf, len, "join: waits for %d", (int)b->child);
		else if (strcmp(b->call, "join") == 0)
			snprintf(buf, len, "join: waits for a child");
		else if (b->child > 0)
			snprintf(buf, len, "waits for its child %d%s", (int)b->child, call);
		else
			snprintf(buf, len, "waits for a child%s", call);
		break;
	case ON_LOCK: snprintf(buf, len, "acquire: waits for Lock %s", b->channel); break;
	case ON_SEMAPHORE: snprintf(buf, len, "acquire: waits for Semaphore %s", b->channel); break;
	case ON_EVENT: snprintf(buf, len, "wait: Event %s not set", b->channel); break;
	case ON_CONDITION: snprintf(buf, len, "wait: on Condition %s", b->channel); break;
	case ON_BARRIER: snprintf(buf, len, "wait: at Barrier %s", b->channel); break;
	case ON_POOL_JOIN: snprintf(buf, len, "join: waits for %s's workers", b->channel); break;
	case ON_RESULT: snprintf(buf, len, "waits for a result from %s", b->channel); break;
	case ON_MANAGER:
		snprintf(buf, len, "waits for manager %s%s%s%s", b->channel, b->call[0] ? ": " : "",
		         b->call, b->call[0] ? "()" : "");
		break;
	case ON_SERVE: snprintf(buf, len, "serves: waits for requests"); break;
	/* the queue's name says enough on a row; the caption names the call */
	case ON_QUEUE_GET:
		if (b->call[0])
			snprintf(buf, len, "get: waits on %s (manager)", ch);
		else
			snprintf(buf, len, "get: waits on %s", ch);
		break;
	case ON_QUEUE_PUT:
		if (b->timeout_left >= 0)
			snprintf(buf, len, "put: %s is full, %.1f s left", ch, b->timeout_left);
		else
			snprintf(buf, len, "put: %s is full", ch);
		break;
	case ON_PIPE_READ: snprintf(buf, len, "reads empty %s%s", b->channel, call); break;
	case ON_PIPE_WRITE: snprintf(buf, len, "writes full %s%s", b->channel, call); break;
	case ON_OTHER:
		if (b->syscall[0])
			snprintf(buf, len, "waits in %s()", b->syscall);
		else
			buf[0] = '\0';
		break;
	default: buf[0] = '\0'; break;
	}
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
		snprintf(buf, len, "signal %d", sig);
}

void describe_exit(const struct proc_record *r, char *buf, size_t len)
{
	if (r->exit_signal > 0) {
		char name[32];
		describe_signal(r->exit_signal, name, sizeof(name));
		snprintf(buf, len, "killed by %s", name);
	} else if (r->exit_status >= 0) {
		snprintf(buf, len, "exit %d", r->exit_status);
	} else if (r->phase != PHASE_ALIVE) {
		snprintf(buf, len, "exit status unknown");
	} else {
		buf[0] = '\0';
	}
}

void describe_state(const struct proc_record *r, const struct tracker *tr, double now,
                    bool ascii, char *buf, size_t len)
{
	enum look look = describe_look(r);
	const char *sym = describe_symbol(look, ascii);
	char how[48];

	describe_exit(r, how, sizeof(how));
	switch (look) {
	case LOOK_REAPED: {
		double ago = now - r->reaped;
		if (r->exit_status >= 0 || r->exit_signal > 0)
			snprintf(buf, len, "%s reaped %.0f s ago (%s)", sym, ago < 0 ? 0 : ago, how);
		else
			snprintf(buf, len, "%s reaped %.0f s ago", sym, ago < 0 ? 0 : ago);
		break;
	}
	case LOOK_ZOMBIE: {
		const struct proc_record *parent = tr ? tracker_find(tr, r->ppid) : NULL;
		if (parent && parent->is_self)
			snprintf(buf, len, "%s zombie (%s, forkscope reaps it)", sym, how);
		else
			snprintf(buf, len, "%s zombie (%s, parent %d has not waited)", sym, how,
			         (int)r->ppid);
		break;
	}
	case LOOK_ORPHAN: {
		/* an attached tree's orphans go to the system's reaper, which is
		 * not in the model: named by its PID */
		const struct proc_record *by = tr ? tracker_find(tr, r->ppid) : NULL;
		if (tr && !by && r->ppid > 0 && r->orig_ppid > 0)
			snprintf(buf, len, "%s orphan (adopted by %d, was child of %d)", sym, (int)r->ppid,
			         (int)r->orig_ppid);
		else if (r->orig_ppid > 0)
			snprintf(buf, len, "%s orphan (adopted, was child of %d)", sym, (int)r->orig_ppid);
		else
			snprintf(buf, len, "%s orphan (adopted before it was seen)", sym);
		break;
	}
	case LOOK_SELF:
		/* attached (-p), forkscope only watches: orphans go elsewhere */
		snprintf(buf, len, "%s %s", sym, tr && tracker_attached(tr) ? "watches (attached)"
		                                                            : "adopts orphans");
		break;
	default: {
		char waits[CHAN_NAME_MAX + 64];
		describe_blocked(&r->blocked, waits, sizeof(waits));
		if ((look == LOOK_SLEEPING || look == LOOK_DISK) && waits[0])
			snprintf(buf, len, "%s %s", sym, waits);
		else
			snprintf(buf, len, "%s %s", sym, looks[look].word);
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
