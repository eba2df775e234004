/*
 * util.h - the few helpers every module shares: allocation that never
 * returns NULL, bounded string copies, and the monotonic clock.
 */
#ifndef FORKSCOPE_UTIL_H
#define FORKSCOPE_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Out of memory is not recoverable here: these print one line and exit(1)
 * after the exit handlers (which kill the watched tree and restore the
 * terminal) have run. */
void *xcalloc(size_t n, size_t size);
void *xreallocarray(void *p, size_t n, size_t size);
/* A copy of str, or exit with a message when memory is out. */
char *xstrdup(const char *str);
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Sets what die() calls before it prints (the screen restores the terminal
 * there, so the message is seen); NULL for nothing. */
void util_on_die(void (*cleanup)(void));

/* Copies src into dst[size], cut at size-1 bytes (never in the middle of a
 * UTF-8 sequence), always NUL-terminated. */
void str_copy(char *dst, size_t size, const char *src);

/* Seconds on the monotonic clock. */
double now_seconds(void);

/* pidfd_open() and pidfd_send_signal() through syscall() (glibc 2.36
 * wraps them, older ones do not): -1 with errno (ENOSYS on a kernel or a
 * libc without them).  flags: 0, or PIDFD_SIGNAL_PROCESS_GROUP (Linux
 * 6.9) for the process's whole group. */
int util_pidfd_open(pid_t pid);
int util_pidfd_signal(int pidfd, int sig, unsigned flags);
#ifndef PIDFD_SIGNAL_PROCESS_GROUP
#define PIDFD_SIGNAL_PROCESS_GROUP (1U << 2)
#endif

/* Where a file forkscope ships is, when access(path, mode) allows it:
 * beside the program as built (DIR/built, for build/forkscope), beside it
 * as installed (DIR/../libexec/forkscope/installed, whatever PREFIX was),
 * or under libexec (libexec/installed, the configured place).  Writes the
 * last place tried into out when none is. */
bool util_shipped(const char *built, const char *installed, const char *libexec, int mode,
                  char *out, size_t outlen);

/* Replaces every from in s with to, which must be no longer (else s is
 * left as it is): for the ASCII forms of glyphs. */
void replace_all(char *s, const char *from, const char *to);

#endif
