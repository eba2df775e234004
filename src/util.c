/*
 * util.c - allocation, strings and time shared by every module.
 */
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <limits.h>
#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "i18n.h"

/* The one hook die() runs first.  A mutable global, against the style, for
 * the same reason as a signal flag: die() is reached from anywhere, with no
 * context to pass.  Set once, by the screen, before anything can fail. */
static void (*die_cleanup)(void);

void util_on_die(void (*cleanup)(void))
{
	die_cleanup = cleanup;
}

void die(const char *fmt, ...)
{
	va_list ap;

	if (die_cleanup)
		die_cleanup();
	fputs("forkscope: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		die(_("out of memory (close other programs and try again)"));
	return p;
}

char *xstrdup(const char *str)
{
	char *p = strdup(str);

	if (!p)
		die(_("out of memory (close other programs and try again)"));
	return p;
}

void *xreallocarray(void *p, size_t n, size_t size)
{
	void *q = reallocarray(p, n ? n : 1, size ? size : 1);

	if (!q)
		die(_("out of memory (close other programs and try again)"));
	return q;
}

void str_copy(char *dst, size_t size, const char *src)
{
	size_t n;

	if (size == 0)
		return;
	n = src ? strlen(src) : 0;
	if (n >= size) {
		n = size - 1;
		/* step back over UTF-8 continuation bytes so no glyph is cut in half */
		while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
			n--;
	}
	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

bool util_shipped(const char *built, const char *installed, const char *libexec, int mode,
                  char *out, size_t outlen)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(out, outlen, "%s/%s", exe, built);
			if (access(out, mode) == 0)
				return true;
			snprintf(out, outlen, "%s/../libexec/forkscope/%s", exe, installed);
			if (access(out, mode) == 0)
				return true;
		}
	}
	snprintf(out, outlen, "%s/%s", libexec, installed);
	return access(out, mode) == 0;
}

int util_pidfd_open(pid_t pid)
{
#ifdef SYS_pidfd_open
	return (int)syscall(SYS_pidfd_open, pid, 0);
#else
	(void)pid;
	errno = ENOSYS;
	return -1;
#endif
}

int util_pidfd_signal(int pidfd, int sig, unsigned flags)
{
#ifdef SYS_pidfd_send_signal
	return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, flags);
#else
	(void)pidfd;
	(void)sig;
	(void)flags;
	errno = ENOSYS;
	return -1;
#endif
}

void replace_all(char *s, const char *from, const char *to)
{
	size_t nf = strlen(from), nt = strlen(to);

	if (nt > nf)
		return;     /* s has no room to grow */
	for (char *p = strstr(s, from); p; p = strstr(p + nt, from)) {
		memmove(p + nt, p + nf, strlen(p + nf) + 1);
		memcpy(p, to, nt);
	}
}
