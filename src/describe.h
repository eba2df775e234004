/*
 * describe.h - a process's state in words and symbols, readable without
 * colour: "☠ zombie (exit 3, parent 1233 has not waited)".
 *
 * Views use it for tree rows, the details pane and the help screen; tests
 * use it without a terminal.  Its words are in the user's language
 * (i18n.h): for display only, never for JSON.  Every symbol has an ASCII twin for terminals
 * whose locale is not UTF-8.
 */
#ifndef FORKSCOPE_DESCRIBE_H
#define FORKSCOPE_DESCRIBE_H

#include <stdbool.h>
#include <stddef.h>

#include "tracker.h"

/* What a row is, in the order the help screen explains them. */
enum look {
	LOOK_RUNNING,
	LOOK_SLEEPING,
	LOOK_DISK,
	LOOK_STOPPED,
	LOOK_ZOMBIE,
	LOOK_ORPHAN,
	LOOK_REAPED,
	LOOK_SELF,
	LOOK_COUNT
};

/* The look of a record: zombie and reaped before orphan, orphan before the
 * scheduler state. */
enum look describe_look(const struct proc_record *r);

/* The symbol for a look, UTF-8 or ASCII. */
const char *describe_symbol(enum look look, bool ascii);

/* The word for a look ("zombie"), and one line on what it means, for help. */
const char *describe_word(enum look look);
const char *describe_meaning(enum look look);

/* Writes "SYMBOL word (detail)" for r at time now into buf[len]; tr names
 * the parent (may be NULL). */
void describe_state(const struct proc_record *r, const struct tracker *tr, double now,
                    bool ascii, char *buf, size_t len);

/* What a sleeping process waits for, in a few words ("join: waits for a
 * child (wait4)"); "" when it only sleeps or is not blocked. */
void describe_blocked(const struct blocked *b, char *buf, size_t len);

/* What a process waiting in a system call other than forkscope's known
 * waits (a child, a queue, a pipe, a sleep) waits for, in a few plain
 * words: futex "a lock or another thread", poll "input on its files"; NULL
 * for a call it cannot say more of than its name. */
const char *describe_call(const char *syscall);

/* A channel's name as the screen shows it.  The names forkscope's Python
 * hook gives a pool's two queues, the pool's name and the queue's part
 * ("po tasks", "po results"), say the part in the user's language; every
 * other name is the program's own and is shown as it is.  Returns name,
 * or buf[len] holding the translated name. */
const char *describe_channel(const char *name, char *buf, size_t len);

/* What a Python interpreter's row is called: the script it runs
 * ("pool.py"), "-m module" or "-c", from its command line; false when r
 * does not run Python or its command line says no more than that. */
bool describe_python_script(const struct proc_record *r, char *buf, size_t len);

/* A signal's name: "SIGKILL", or "signal 64" when it has none. */
void describe_signal(int sig, char *buf, size_t len);

/* How r ended: "exit 3", "killed by SIGKILL", or "" while it lives. */
void describe_exit(const struct proc_record *r, char *buf, size_t len);

/* Tree glyphs: branch ("├─ "), last branch ("└─ "), pipe ("│  "), blank. */
struct tree_glyphs {
	const char *branch, *last, *pipe, *blank;
};
const struct tree_glyphs *describe_tree_glyphs(bool ascii);

#endif
