/*
 * scenarios.c - the demo table, in the order of the course notes.
 */
#include "scenarios.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "util.h"

#ifndef FORKSCOPE_DEMODIR
#define FORKSCOPE_DEMODIR "/usr/local/libexec/forkscope"
#endif

/* The descriptions and introductions are marked (N_) and translated where
 * they are shown (_(sc->description)); the names and programs are not
 * words: they stay as they are. */
static const struct scenario table[] = {
	{ "fork", "fork", N_("fork() returns twice: 0 to the child, a PID to the parent"),
	  { N_("fork() copies the running process: afterwards two processes run the same code."),
	    N_("Watch one process become two, and what fork() returned to each.") }, false, false, NULL, NULL },
	{ "getpid", "getpid", N_("getpid(), getppid(): each prints its PID and its parent's"),
	  { N_("Every process has a PID, and knows its parent's PID with getppid()."),
	    N_("Compare the numbers each one prints with the tree.") }, false, false, NULL, NULL },
	{ "fork-data", "fork-data", N_("a global num: after fork, each changes its own copy"),
	  { N_("After fork() each process has its own copy of every variable."),
	    N_("Both add one to num = 0, and both print 1: see num in their titles.") }, false, false, NULL, NULL },
	{ "fork-twice", "fork-twice", N_("two fork() calls in a row: 4 processes"),
	  { N_("Both processes run the second fork(), so there are four at the end."),
	    N_("Count the generations: parent, two children, one grandchild.") }, false, false, NULL, NULL },
	{ "fork-nested", "fork-nested", N_("the second fork() only in the parent: 3 processes"),
	  { N_("Here only the parent forks a second time, so there are three processes."),
	    N_("Both children hang directly under the parent.") }, false, false, NULL, NULL },
	{ "fork-bomb", "fork-bomb", N_("while True: fork(), bounded: 2^G processes in G rounds"),
	  { N_("Every process forks once per round: the count doubles every round."),
	    N_("It stops after G rounds (--generations, at most 9): a real fork bomb never stops.") }, true, false, NULL, NULL },
	/* forkscope --limit N fork-bomb: the same bomb, unbounded, against a
	 * wall of N processes (64 by default) */
	{ "fork-wall", "fork-wall", N_("while True: fork() unbounded, until fork() fails (EAGAIN)"),
	  { N_("All processes fork in a loop; at the limit, fork() fails with EAGAIN."),
	    N_("A real bomb fills the process table: not even a shell can start to kill it.") },
	  false, false, "EAGAIN",
	  N_("fork() failed (EAGAIN): the bomb hit its wall. A real one fills the whole "
	     "machine's process table: no program can start, not even a shell to kill it.") },
	{ "zombie", "zombie", N_("the child exits first; its parent waits 5 s: a zombie"),
	  { N_("A child that has exited stays in the process table until its parent calls wait()."),
	    N_("Until then it is a zombie: dead, holding only its exit status.") }, false, false, NULL, NULL },
	{ "orphan", "orphan", N_("the parent exits first; the child is adopted and lives on"),
	  { N_("When a parent exits before its child, the child becomes an orphan."),
	    N_("It is adopted by init, PID 1 (with --no-pid1: by forkscope, a subreaper).") }, false, false, NULL, NULL },
	{ "threads", "threads", N_("3 threads share a counter; 3 child processes copy theirs"),
	  { N_("Threads share their process's memory; child processes get copies."),
	    N_("t shows or hides the threads (TIDs) inside their process (PID).") }, false, false, NULL, NULL },
	{ "run-order", "run-order", N_("fork 10 times: does the parent or the child run first?"),
	  { N_("After fork() the scheduler decides who runs first: it is not fixed."),
	    N_("Each round, each side works a set time, then takes a ticket: 0 = ran first.") }, false, false, NULL, NULL },
	{ "process-join", "process-join", N_("Process: two workers; join() waits for one"),
	  { N_("start() forks a worker; join() waits for it: the parent blocks in wait4()."),
	    N_("Process-1 (worker_1) sleeps 2 s, dongGe 1 s: watch the parent wait for Process-1.") }, false, false, NULL, NULL },
	{ "process-terminate", "process-terminate", N_("Process: a worker terminated after 1 s, then joined"),
	  { N_("terminate() sends SIGTERM: the worker dies wherever it is."),
	    N_("Then join() reaps it: watch its exit say it was killed by a signal.") }, false, false, NULL, NULL },
	{ "process-class", "process-class", N_("a Process subclass in C: an object with its own run()"),
	  { N_("A Process subclass overrides run(): start() forks, and the child runs it."),
	    N_("In C, the object carries a pointer to its own run function.") }, false, false, NULL, NULL },
	{ "pool", "pool", N_("Pool(3), apply_async on 10 tasks: 3 workers, reused"),
	  { N_("A pool makes 3 workers once and feeds them 10 tasks through a queue."),
	    N_("Watch the task queue drain and each worker's title say which task it runs.") }, false, false, NULL, NULL },
	{ "pool-blocking", "pool-blocking", N_("Pool(3) with apply: one task at a time"),
	  { N_("apply() waits for each task's result before it sends the next one."),
	    N_("The same 3 workers, but only one busy at a time.") }, false, false, NULL, NULL },
	{ "queue", "queue", N_("Queue(3): fill, a put that times out, put_nowait, drain"),
	  { N_("A queue with room for 3: the fourth put() has to wait, or fail."),
	    N_("Watch the gauge reach 3/3 and the parent block in mq_timedsend().") }, false, false, NULL, NULL },
	{ "writer-reader", "writer-reader", N_("a writer puts A, B, C in a queue; a reader gets them"),
	  { N_("Two processes talk through a queue: one puts, the other gets."),
	    N_("Watch the fill rise to 3, then fall back to 0.") }, false, false, NULL, NULL },
	{ "manager-queue", "manager-queue", N_("Manager().Queue(): a manager process owns the queue"),
	  { N_("A manager process owns the queue; the pool's writer fills it, its reader drains it."),
	    N_("The queue lives as long as the manager, not as long as any worker.") }, false, false, NULL, NULL },
	{ "file-copy", "file-copy", N_("copy a folder with a Pool of 5, progress from the results"),
	  { N_("Five workers copy a folder's files; each reports on a results queue."),
	    N_("The parent counts the results: the progress line is the queue draining.") }, false, false, NULL, NULL },
	/* the notes' own Python, beside the C demos that mirror it */
	{ "py-process-join", "process_join.py",
	  N_("Python: Process, join(), and a Process named dongGe"),
	  { N_("The notes' own Python: multiprocessing names its processes Process-1, dongGe."),
	    N_("join() makes the parent wait for Process-1: see it blocked in join.") }, false, true, NULL, NULL },
	{ "py-pool", "pool.py", N_("Python: Pool(3), apply_async on 10 tasks"),
	  { N_("The notes' own Python: Pool(3) makes ForkPoolWorker-1 to -3 once."),
	    N_("Each worker's row says which task it runs; the task queue drains.") }, false, true, NULL, NULL },
	{ "py-queue", "queue3.py",
	  N_("Python: Queue(3) filled, a put that times out, drained"),
	  { N_("The notes' own Python: a Queue(3) counted in messages, from its semaphore."),
	    N_("Watch it reach 3/3 FULL, and the put() that waits for room.") }, false, true, NULL, NULL },
	{ "py-writer-reader", "writer_reader.py",
	  N_("Python: a writer fills a Queue, a reader drains it"),
	  { N_("The notes' own Python: two Processes talk through one Queue."),
	    N_("The writer puts, then the reader gets: the gauge rises and falls.") }, false, true, NULL, NULL },
	{ "py-manager-queue", "manager_queue.py",
	  N_("Python: Manager().Queue() shared by a Pool's workers"),
	  { N_("The notes' own Python: the manager is a server process; its queue lives there."),
	    N_("Workers reach it through proxies: the manager and they hold the queue.") },
	  false, true, NULL, NULL },
};

const struct scenario *scenario_all(size_t *n)
{
	*n = sizeof(table) / sizeof(table[0]);
	return table;
}

bool scenario_pid1(const char *name)
{
	/* and the bomb with no bound: in a namespace it cannot outlive even a
	 * forkscope killed outright (init dies with it, and the kernel ends
	 * the namespace) */
	return strcmp(name, "orphan") == 0 || strcmp(name, "zombie") == 0 ||
	       strcmp(name, "fork-wall") == 0;
}

const struct scenario *scenario_find(const char *name)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (strcmp(table[i].name, name) == 0)
			return &table[i];
	return NULL;
}

/* The scenarios whose processes run inside a limit (limit.h), and the
 * one --limit turns into each. */
static const struct {
	const char *name;          /* runs inside a limit */
	int limit;                 /* of this many processes, unless --limit says */
	const char *from;          /* --limit with this scenario runs name */
} walled[] = {
	{ "fork-wall", 64, "fork-bomb" },
};

const struct scenario *scenario_with_limit(const struct scenario *sc)
{
	for (size_t i = 0; sc && i < sizeof(walled) / sizeof(walled[0]); i++)
		if (strcmp(sc->name, walled[i].name) == 0 || strcmp(sc->name, walled[i].from) == 0)
			return scenario_find(walled[i].name);
	return NULL;
}

int scenario_limit(const struct scenario *sc, int asked)
{
	for (size_t i = 0; sc && i < sizeof(walled) / sizeof(walled[0]); i++)
		if (strcmp(sc->name, walled[i].name) == 0)
			return asked > 0 ? asked : walled[i].limit;
	return 0;
}

bool scenario_program_path(const struct scenario *sc, char *out, size_t outlen)
{
	/* build/forkscope beside build/demos/, or PREFIX/bin/forkscope beside
	 * PREFIX/libexec/forkscope/; a Python demo is read, not run: it needs
	 * no x bit */
	char built[PATH_MAX], installed[PATH_MAX];
	const char *sub = sc->python ? "python/" : "";
	snprintf(built, sizeof(built), "demos/%s%s", sub, sc->program);
	snprintf(installed, sizeof(installed), "%s%s", sub, sc->program);
	return util_shipped(built, installed, FORKSCOPE_DEMODIR, sc->python ? R_OK : X_OK, out,
	                    outlen);
}

/* Whether path is a program of its own (ELF), not a script. */
static bool is_binary(const char *path)
{
	char magic[4];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	if (fd < 0)
		return false;
	bool elf = read(fd, magic, 4) == 4 && memcmp(magic, "\177ELF", 4) == 0;
	close(fd);
	return elf;
}

bool scenario_python(char *out, size_t outlen)
{
	const char *path = getenv("PATH");

	if (!path || !path[0])
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");
		if (n > 0) {
			snprintf(out, outlen, "%.*s/python3", (int)n, path);
			if (access(out, X_OK) == 0 && is_binary(out))
				return true;
		}
		path += n + (path[n] == ':');
	}
	return false;
}

bool scenario_launch(const struct scenario *sc, double tempo, int generations, struct launch *out,
                     char *why, size_t whylen)
{
	size_t k = 0;

	if (!scenario_program_path(sc, out->program, sizeof(out->program))) {
		snprintf(why, whylen, _("the demo program '%s' is missing (build it with: make)"),
		         sc->program);
		return false;
	}
	if (sc->python) {
		if (!scenario_python(out->interpreter, sizeof(out->interpreter))) {
			snprintf(why, whylen, _("%s needs python3, and there is none in PATH (install "
			                        "it: sudo apt-get install python3)"), sc->name);
			return false;
		}
		out->argv[k++] = out->interpreter;
	}
	snprintf(out->tempo, sizeof(out->tempo), "%g", tempo);
	snprintf(out->opt_tempo, sizeof(out->opt_tempo), "--tempo");
	out->argv[k++] = out->program;
	out->argv[k++] = out->opt_tempo;
	out->argv[k++] = out->tempo;
	if (sc->generations && generations > 0) {
		snprintf(out->generations, sizeof(out->generations), "%d", generations);
		snprintf(out->opt_generations, sizeof(out->opt_generations), "--generations");
		out->argv[k++] = out->opt_generations;
		out->argv[k++] = out->generations;
	}
	out->argv[k] = NULL;
	return true;
}
