/*
 * procfs.c - the few /proc files that libproc2 does not read for us: the
 * children lists and a zombie's exit code.  A missing file means the process
 * is gone, which is ordinary.
 */
#include "procfs.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Appends the PIDs listed in one children file; returns the new count. */
size_t procfs_children_file(const char *path, pid_t *kids, size_t n, size_t max)
{
	char buf[4096];
	ssize_t len;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return n;
	/* The list can be longer than one buffer for a wide fork bomb: read it all,
	 * carrying a number cut at the buffer's end over to the next read. */
	long cur = -1;
	while ((len = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < len; i++) {
			if (buf[i] >= '0' && buf[i] <= '9') {
				cur = (cur < 0 ? 0 : cur * 10) + (buf[i] - '0');
			} else if (cur >= 0) {
				if (n < max)
					kids[n++] = (pid_t)cur;
				cur = -1;
			}
		}
	}
	if (cur >= 0 && n < max)
		kids[n++] = (pid_t)cur;
	close(fd);
	return n;
}

size_t procfs_children(pid_t pid, int threads, pid_t *kids, size_t max)
{
	char path[64];
	size_t n = 0;

	if (threads == 1) {
		snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)pid, (int)pid);
		return procfs_children_file(path, kids, 0, max);
	}
	/* Children belong to the thread that forked them: read every thread's list. */
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	DIR *d = opendir(path);
	if (!d)
		return 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%.16s/children", (int)pid, de->d_name);
		n = procfs_children_file(path, kids, n, max);
	}
	closedir(d);
	return n;
}

int procfs_exit_code(pid_t pid)
{
	char path[64], buf[1024];
	ssize_t len;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return -1;
	buf[len] = '\0';
	/* comm may hold spaces and parentheses: fields are counted after the last ')'. */
	char *p = strrchr(buf, ')');
	if (!p)
		return -1;
	int field = 2;
	for (; *p && field < 52; p++)
		if (*p == ' ')
			field++;
	if (field != 52)
		return -1;
	return atoi(p);
}


long procfs_syscall(pid_t pid, unsigned long args[6])
{
	char path[64], buf[256];

	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0 || buf[0] < '0' || buf[0] > '9')
		return -1;    /* "running", or "-1 ..." outside a system call */
	buf[n] = '\0';
	char *p = buf;
	long nr = strtol(p, &p, 10);
	for (int i = 0; i < 6; i++)
		args[i] = strtoul(p, &p, 16);
	return nr;
}

double procfs_deadline_left(pid_t pid, unsigned long addr)
{
	char path[64];
	struct timespec at, now;

	if (!addr)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = pread(fd, &at, sizeof(at), (off_t)addr);
	close(fd);
	if (n != (ssize_t)sizeof(at) || at.tv_nsec < 0 || at.tv_nsec >= 1000000000L)
		return -1;
	clock_gettime(CLOCK_REALTIME, &now);
	double left = (double)(at.tv_sec - now.tv_sec) + (double)(at.tv_nsec - now.tv_nsec) / 1e9;
	return left < 0 ? 0 : left;
}
