/*
 * helpers.h - what the test suites share: running forkscope as a child,
 * reading its JSON lines, and checking that no process of ours is left.
 *
 * Each Criterion test runs in its own process.  CASE() makes that process a
 * child subreaper first, so anything forkscope (or a test) failed to kill is
 * re-parented to the test process, and checks after the body that the test
 * process has no child left: a survivor fails the case.  Options such as a
 * timeout go on the suite: TestSuite(name, .timeout = 60,
 * .fini = helpers_cleanup).
 */
#ifndef FORKSCOPE_TEST_HELPERS_H
#define FORKSCOPE_TEST_HELPERS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <criterion/criterion.h>
#include <json-c/json.h>

/* The children of every thread of pid (of the main thread only when
 * threads is 1), up to max; 0 when it is gone. */
size_t children_of(pid_t pid, int threads, pid_t *kids, size_t max);

/* fork() with the PID want (clone3() with set_tid: root only): 0 in the
 * child, want in the parent; the test fails when that PID cannot be had. */
pid_t fork_with_pid(pid_t want);

/* Makes the calling process a child subreaper. */
void helpers_subreaper(void);

/* Kills and reaps every descendant of the test process: the suites' .fini,
 * so that a failed assertion, which ends a test early, leaves nothing. */
void helpers_cleanup(void);

/* Reaps exited children, then fails the test when any child is left,
 * naming it. */
void helpers_assert_nothing_left(void);

#define CASE(suite, name)                                        \
	static void suite##_##name##_body(void);                 \
	Test(suite, name)                                        \
	{                                                        \
		helpers_subreaper();                             \
		suite##_##name##_body();                         \
		helpers_assert_nothing_left();                   \
	}                                                        \
	static void suite##_##name##_body(void)

/* What one run of forkscope left. */
struct run {
	int status;            /* exit code, or 128 + signal */
	char *out;             /* everything on stdout */
	char *err;             /* everything on stderr */
	struct json_object **ev;   /* stdout's lines parsed as JSON (NULL when not JSON) */
	size_t nev;
	pid_t pid;             /* forkscope's PID */
	int fd_out, fd_err;    /* while it runs */
	size_t olen, elen;
	size_t ocap, ecap;     /* what out and err have room for */
	bool skip_output;      /* set before run_finish(): output lines are not
	                        * parsed into ev (a flood of them) */
	bool text;             /* stdout is not parsed at all (run_how) */
	char what[64];         /* the program's name, for messages */
};

/* How run_program() starts a program, beyond its words. */
struct run_how {
	const char *const *env;    /* changes to the environment, as env_with() */
	/* run in the child after its stdout and stderr are the run's and
	 * before exec; false: it failed (the child exits 126).  It must not
	 * allocate, nor call what does (a Criterion worker has threads: see
	 * env_with()). */
	bool (*before)(const void *arg);
	const void *arg;
	bool text;                 /* stdout is not JSON: not parsed into ev */
	bool merged;               /* stderr goes with stdout, in order, into out */
	bool tty;                  /* stdin and stdout are a new pty of 80x24, its
	                            * controlling terminal: out is its screen */
};

/* Starts argv[0] (looked up in PATH when it has no '/') with argv
 * (NULL-terminated), its stdout and stderr read into r; how may be NULL.
 * Then run_read_until() and run_finish(), as for forkscope; r->pid is
 * the program's. */
void run_program(struct run *r, const char *const *argv, const struct run_how *how);

/* Runs build/forkscope with argv (NULL-terminated, without argv[0]); fails
 * the test when it runs longer than timeout seconds (it is killed first). */
void run_forkscope(struct run *r, double timeout, const char *const *argv);

/* The same in steps: start it; read its stdout until needle has appeared
 * count times (false after timeout seconds); read the rest and wait for it
 * to exit (killed and failed after timeout seconds). */
void run_start(struct run *r, const char *const *argv);
/* run_start() with the environment changed first: each of env
 * (NULL-terminated) is "NAME=VALUE" to set, or "NAME" to unset. */
void run_start_env(struct run *r, const char *const *argv, const char *const *env);
/* run_start() as run_program() starts a program (forkscope is argv[0]). */
void run_start_how(struct run *r, const char *const *argv, const struct run_how *how);
/* The environment with changes ("NAME=VALUE" sets NAME, "NAME" unsets it),
 * as a new array for execve(), to be made before a fork(): the child of a
 * threaded process (a Criterion worker is one) must not allocate, and
 * setenv() does (under ASan, whose allocator is not fork-safe, it can hang
 * there).  env_free() frees it. */
char **env_with(const char *const *changes);
void env_free(char **env);
/* run_forkscope() so. */
void run_forkscope_env(struct run *r, double timeout, const char *const *argv,
                       const char *const *env);
bool run_read_until(struct run *r, const char *needle, int count, double timeout);
void run_finish(struct run *r, double timeout);
void run_free(struct run *r);

/* The i-th event of the given type ("spawn", "exit"...), or NULL. */
struct json_object *run_event(const struct run *r, const char *type, size_t i);
size_t run_count(const struct run *r, const char *type);
/* The first event of type whose integer field key equals value, or NULL. */
struct json_object *run_find(const struct run *r, const char *type, const char *key, long value);
/* The first output event whose text contains needle, or NULL. */
struct json_object *run_output(const struct run *r, const char *needle);

long jint(struct json_object *o, const char *key);        /* -1 when absent or null */
double jnum(struct json_object *o, const char *key);      /* -1 when absent */
bool jbool(struct json_object *o, const char *key);
const char *jstr(struct json_object *o, const char *key); /* "" when absent */

/* Polls cond(arg) every 10 ms up to timeout seconds; true once it holds. */
bool wait_until(bool (*cond)(void *arg), void *arg, double timeout);

/* The state letter of pid in /proc/PID/stat, or 0 when it is gone. */
char proc_state(pid_t pid);

/* A fresh folder for a case's files (/tmp/forkscope-test-XXXXXX), and its
 * removal with all it holds. */
void temp_dir(char *dir, size_t len);
void remove_dir(const char *dir);
/* The whole file at path, NUL-terminated (the caller frees it); *len (may
 * be NULL) gets its size.  An empty file is "". */
char *slurp(const char *path, size_t *len);

#endif
