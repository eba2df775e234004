/*
 * pysource.h - the Python hook's messages, as they come: a source.
 *
 * forkscope ships a small Python module (hook/sitecustomize.py) that the
 * programs it starts load through PYTHONPATH; it tells what Python's
 * multiprocessing knows and /proc does not (names, tasks, which pipe is
 * which queue, what a process waits for), one JSON object per line, over
 * a connection each process makes (once it has something to say) to a
 * Unix stream socket forkscope listens on, in a folder of its own (0700,
 * under $TMPDIR or /tmp) that it removes when the run ends.  Each
 * connection comes with the PID of the process that made it, as the
 * kernel gives it (SO_PEERCRED), not as the messages say.  pymodel.h reads
 * what they say.
 *
 * A connection's buffer holds a few hundred kilobytes: a message that does
 * not fit is dropped by the sender, which never waits for forkscope (and
 * closes its connection if one went half).  A line longer than PY_MSG_MAX
 * is dropped here.  Bounded: one connection a process, and at most 1024 (or an eighth of the
 * open-files limit) at once.  No
 * terminal, no model: only the socket.
 */
#ifndef FORKSCOPE_PYSOURCE_H
#define FORKSCOPE_PYSOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct pysource;

/* Binds and listens.  NULL, with why in err, when it cannot. */
struct pysource *pysource_open(char *err, size_t errlen);
/* Closes the socket and removes its folder.  NULL does nothing. */
void pysource_free(struct pysource *ps);
/* The socket's path, for FORKSCOPE_HOOK. */
const char *pysource_path(const struct pysource *ps);
/* The listening descriptor, for poll(): readable when a process connects. */
int pysource_fd(const struct pysource *ps);

/* Takes the new connections, then reads the messages waiting now (about
 * max at most), handing each to got(ctx, pid, text, len) (text is
 * NUL-terminated, borrowed for the call), a connection's in the order
 * sent.  Returns how many were handed over. */
size_t pysource_drain(struct pysource *ps, size_t max,
                      void (*got)(void *ctx, pid_t pid, const char *text, size_t len),
                      void *ctx);

/* The folder holding forkscope's sitecustomize.py: beside the program
 * (build/hook), under PREFIX/libexec/forkscope/hook, or under demodir.
 * False when there is none. */
bool pysource_hook_dir(const char *demodir, char *out, size_t outlen);

/* The environment for a program forkscope starts with the hook: env with
 * PYTHONPATH led by hook_dir (what it held stays after it) and
 * FORKSCOPE_HOOK set to path.  The caller frees it with
 * pysource_env_free(). */
char **pysource_env(char *const env[], const char *hook_dir, const char *path);
void pysource_env_free(char **env);

#endif
