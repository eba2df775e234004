/*
 * procfs.c - the few /proc files that libproc2 does not read for us, each
 * through a /proc/PID descriptor whose process was confirmed first.
 */
#include "procfs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

void pidvec_push(struct pidvec *pv, pid_t pid)
{
	if (pv->n == pv->cap) {
		pv->cap = pv->cap ? pv->cap * 2 : 64;
		pv->v = xreallocarray(pv->v, pv->cap, sizeof(*pv->v));
	}
	pv->v[pv->n++] = pid;
}

void pidvec_free(struct pidvec *pv)
{
	free(pv->v);
	memset(pv, 0, sizeof(*pv));
}

/* Reads a small file below dir into buf (NUL-terminated); its length, or
 * -1. */
static ssize_t read_at(int dir, const char *name, char *buf, size_t len)
{
	int fd = openat(dir, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return n;
}

bool procfs_parse_stat(const char *line, size_t len, struct procfs_stat *st)
{
	enum { FIELDS = 52 };
	/* fields 4 to 52 as numbers (some are signed: their bits as unsigned) */
	unsigned long long f[FIELDS + 1] = { 0 };
	const char *end = line + len;
	const char *open = memchr(line, '(', len), *close = NULL;

	for (const char *p = end; p > line && !close; p--)
		if (p[-1] == ')')
			close = p - 1;
	if (!open || !close || close < open || close + 3 >= end || close[1] != ' ')
		return false;
	memset(st, 0, sizeof(*st));
	st->pid = (pid_t)strtol(line, NULL, 10);
	size_t n = (size_t)(close - open - 1);
	if (n >= sizeof(st->comm))
		n = sizeof(st->comm) - 1;
	memcpy(st->comm, open + 1, n);
	st->comm[n] = '\0';
	st->state = close[2];
	int field = 4;
	for (const char *p = close + 3; p < end && field <= FIELDS; field++) {
		while (p < end && *p == ' ')
			p++;
		bool neg = p < end && *p == '-';
		p += neg;
		unsigned long long v = 0;
		if (p >= end || *p < '0' || *p > '9')
			break;
		while (p < end && *p >= '0' && *p <= '9')
			v = v * 10 + (unsigned long long)(*p++ - '0');
		f[field] = neg ? (unsigned long long)-(long long)v : v;
	}
	/* the fields up to the start time are in every kernel forkscope runs
	 * on; the exit code (52) came with 3.5 */
	if (field <= 22 || st->pid <= 0)
		return false;
	st->ppid = (pid_t)f[4];
	st->pgrp = (pid_t)f[5];
	st->sid = (pid_t)f[6];
	st->nlwp = (int)f[20];
	st->start = f[22];
	st->code_start = (unsigned long)f[26];
	st->code_end = (unsigned long)f[27];
	st->stack_start = (unsigned long)f[28];
	st->exit_code = field > 52 ? (int)f[52] : -1;
	return true;
}

bool procfs_stat_at(int dir, struct procfs_stat *st)
{
	char buf[1024];
	ssize_t n = read_at(dir, "stat", buf, sizeof(buf));

	return n > 0 && procfs_parse_stat(buf, (size_t)n, st);
}

bool procfs_stat_fd(int statfd, struct procfs_stat *st)
{
	char buf[1024];
	ssize_t n = pread(statfd, buf, sizeof(buf), 0);

	return n > 0 && procfs_parse_stat(buf, (size_t)n, st);
}

bool procfs_names_at(int dir, char *comm, size_t commlen, char *cmd, size_t cmdlen, char *exe,
                     size_t exelen)
{
	char buf[4096];
	ssize_t n = read_at(dir, "comm", buf, sizeof(buf));

	if (n <= 0)
		return false;
	buf[strcspn(buf, "\n")] = '\0';
	str_copy(comm, commlen, buf);
	n = read_at(dir, "cmdline", buf, sizeof(buf));
	for (ssize_t i = 0; i < n; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	while (n > 0 && buf[n - 1] == ' ')
		buf[--n] = '\0';
	str_copy(cmd, cmdlen, n > 0 ? buf : "");
	n = readlinkat(dir, "exe", buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	str_copy(exe, exelen, buf[0] == '/' ? buf : "");
	return true;
}

bool procfs_stop_pending_at(int dir)
{
	char buf[4096];
	const unsigned long long bit = 1ULL << (SIGSTOP - 1);

	if (read_at(dir, "status", buf, sizeof(buf)) <= 0)
		return false;
	/* the thread's own pending set, then the whole process's */
	static const char *const keys[] = { "\nSigPnd:", "\nShdPnd:" };
	for (size_t k = 0; k < 2; k++) {
		const char *p = strstr(buf, keys[k]);
		if (p && strtoull(p + strlen(keys[k]), NULL, 16) & bit)
			return true;
	}
	return false;
}

pid_t procfs_nspid_at(int dir, int *levels)
{
	char buf[4096];
	long last = 0;
	int n = 0;

	if (levels)
		*levels = 0;
	if (read_at(dir, "status", buf, sizeof(buf)) <= 0)
		return 0;
	const char *p = strstr(buf, "\nNSpid:");
	if (!p)
		return 0;
	p += strlen("\nNSpid:");
	for (;;) {
		char *end;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p < '0' || *p > '9')
			break;      /* the line's end */
		long v = strtol(p, &end, 10);
		last = v;
		n++;
		p = end;
	}
	if (levels)
		*levels = n;
	return last > 0 && last <= INT_MAX ? (pid_t)last : 0;
}

int procfs_open(pid_t pid, unsigned long long *start, struct procfs_stat *out)
{
	char path[32];
	struct procfs_stat st;

	if (pid <= 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	int dir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return -1;
	/* read through the descriptor, after opening it: what it says is about
	 * the process the descriptor is bound to */
	if (!procfs_stat_at(dir, &st) || (*start && st.start != *start)) {
		close(dir);
		return -1;
	}
	*start = st.start;
	if (out)
		*out = st;
	return dir;
}

/* Parses one children file's whole content: into grow when it is not NULL
 * (no limit), else into kids[n..max) (no allocation: safe in a signal
 * handler).  Returns the new count of kids. */
static size_t put_child(struct pidvec *grow, pid_t *kids, size_t n, size_t max, long pid)
{
	if (grow)
		pidvec_push(grow, (pid_t)pid);
	else if (n < max)
		kids[n++] = (pid_t)pid;
	return n;
}

static size_t parse_children(int fd, struct pidvec *grow, pid_t *kids, size_t n, size_t max)
{
	char buf[4096];
	ssize_t len;
	long cur = -1;

	/* A wide fork bomb's list is longer than one buffer: read it all,
	 * carrying a number cut at the buffer's end over to the next read. */
	while ((len = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < len; i++) {
			if (buf[i] >= '0' && buf[i] <= '9') {
				cur = (cur < 0 ? 0 : cur * 10) + (buf[i] - '0');
			} else if (cur >= 0) {
				n = put_child(grow, kids, n, max, cur);
				cur = -1;
			}
		}
	}
	if (cur >= 0)
		n = put_child(grow, kids, n, max, cur);
	return n;
}

void procfs_children_at(int dir, pid_t pid, int threads, struct pidvec *kids)
{
	char path[64];

	if (threads == 1) {
		snprintf(path, sizeof(path), "task/%d/children", (int)pid);
		int fd = openat(dir, path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			parse_children(fd, kids, NULL, 0, 0);
			close(fd);
		}
		return;
	}
	/* Children belong to the thread that forked them: read every thread's list. */
	int task = openat(dir, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (task < 0)
		return;
	DIR *d = fdopendir(task);
	if (!d) {
		close(task);
		return;
	}
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "%.16s/children", de->d_name);
		int fd = openat(task, path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			parse_children(fd, kids, NULL, 0, 0);
			close(fd);
		}
	}
	closedir(d);
}

long procfs_syscall_at(int dir, int *fd, unsigned long args[6])
{
	char buf[256];
	ssize_t n;

	if (fd) {
		if (*fd < 0)
			*fd = openat(dir, "syscall", O_RDONLY | O_CLOEXEC | O_NOCTTY);
		n = *fd >= 0 ? pread(*fd, buf, sizeof(buf) - 1, 0) : -1;
		buf[n > 0 ? n : 0] = '\0';
	} else {
		n = read_at(dir, "syscall", buf, sizeof(buf));
	}
	if (n <= 0 || buf[0] < '0' || buf[0] > '9')
		return -1;    /* "running", or "-1 ..." outside a system call */
	char *p = buf;
	long nr = strtol(p, &p, 10);
	for (int i = 0; i < 6; i++)
		args[i] = strtoul(p, &p, 16);
	return nr;
}

bool procfs_runs_at(int dir, int *fd, unsigned long long *runs)
{
	char buf[128];

	if (*fd < 0)
		*fd = openat(dir, "schedstat", O_RDONLY | O_CLOEXEC | O_NOCTTY);
	ssize_t n = *fd >= 0 ? pread(*fd, buf, sizeof(buf) - 1, 0) : -1;
	if (n <= 0)
		return false;
	buf[n] = '\0';
	/* "time on the CPU (ns) time waiting for one (ns) times run" */
	char *p = buf, *end;
	for (int field = 0; field < 3; field++) {
		unsigned long long v = strtoull(p, &end, 10);
		if (end == p)
			return false;
		*runs = v;
		p = end;
	}
	return true;
}

void procfs_wchan_at(int dir, char *buf, size_t len)
{
	char w[128];

	/* "0" or "-" when it is not asleep in the kernel */
	if (read_at(dir, "wchan", w, sizeof(w)) <= 0 || strcmp(w, "0") == 0 || strcmp(w, "-") == 0)
		w[0] = '\0';
	str_copy(buf, len, w);
}

double procfs_deadline_left_at(int dir, unsigned long addr, bool realtime)
{
	struct timespec at, now;

	if (!addr)
		return -1;
	int fd = openat(dir, "mem", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = pread(fd, &at, sizeof(at), (off_t)addr);
	close(fd);
	if (n != (ssize_t)sizeof(at) || at.tv_nsec < 0 || at.tv_nsec >= 1000000000L)
		return -1;
	clock_gettime(realtime ? CLOCK_REALTIME : CLOCK_MONOTONIC, &now);
	double left = (double)(at.tv_sec - now.tv_sec) + (double)(at.tv_nsec - now.tv_nsec) / 1e9;
	return left < 0 ? 0 : left;
}

size_t procfs_children_file(const char *path, pid_t *kids, size_t n, size_t max)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return n;
	n = parse_children(fd, NULL, kids, n, max);
	close(fd);
	return n;
}

bool procfs_first_poll_fd_at(int dir, unsigned long addr, int *fd)
{
	struct pollfd first;

	if (!addr)
		return false;
	int mem = openat(dir, "mem", O_RDONLY | O_CLOEXEC);
	if (mem < 0)
		return false;
	ssize_t n = pread(mem, &first, sizeof(first), (off_t)addr);
	close(mem);
	if (n != (ssize_t)sizeof(first) || first.fd < 0)
		return false;
	*fd = first.fd;
	return true;
}

bool procfs_sem_value_at(int dir, unsigned long addr, long *value)
{
	/* glibc's sem_t (struct new_sem): with 64-bit atomics, a 64-bit word
	 * whose low half is the value; else a 32-bit word holding the value
	 * shifted left by one (the low bit says there are waiters) */
#if __SIZEOF_POINTER__ == 8
	uint64_t data;
#else
	uint32_t data;
#endif
	if (!addr)
		return false;
	int mem = openat(dir, "mem", O_RDONLY | O_CLOEXEC);
	if (mem < 0)
		return false;
	ssize_t n = pread(mem, &data, sizeof(data), (off_t)addr);
	close(mem);
	if (n != (ssize_t)sizeof(data))
		return false;
#if __SIZEOF_POINTER__ == 8
	*value = (long)(uint32_t)(data & 0xffffffffu);
#else
	*value = (long)(data >> 1);
#endif
	return true;
}
