/*
 * channels.c - /proc/PID/fd -> channels with fill levels and holders.
 */
#include "channels.h"

#include <dirent.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "util.h"

#ifndef MQUEUE_MAGIC
#define MQUEUE_MAGIC 0x19800202
#endif

static void add_holder(struct channel *c, pid_t pid, char end)
{
	for (int i = 0; i < c->nholders; i++) {
		if (c->holders[i] == pid) {
			if (c->ends[i] != end)
				c->ends[i] = 'b';
			return;
		}
	}
	if (c->nholders < CHAN_HOLDERS_MAX) {
		c->holders[c->nholders] = pid;
		c->ends[c->nholders] = end;
		c->nholders++;
	}
}

/* 'r', 'w' or 'b' from the access mode in /proc/PID/fdinfo/FD. */
static char fd_end(pid_t pid, int fd)
{
	char path[64], buf[256];
	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", (int)pid, fd);
	int in = open(path, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return 'b';
	ssize_t n = read(in, buf, sizeof(buf) - 1);
	close(in);
	if (n <= 0)
		return 'b';
	buf[n] = '\0';
	char *flags = strstr(buf, "flags:");
	if (!flags)
		return 'b';
	unsigned long mode = strtoul(flags + 6, NULL, 8) & O_ACCMODE;
	return mode == O_RDONLY ? 'r' : mode == O_WRONLY ? 'w' : 'b';
}

static void probe_mqueue(struct frame *f, pid_t pid, int fd, const char *fdpath, const char *target)
{
	/* reopened through /proc: a descriptor of our own on the same queue */
	int q = open(fdpath, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (q < 0)
		return;
	struct statfs sfs;
	struct stat st;
	struct mq_attr attr;
	if (fstatfs(q, &sfs) != 0 || sfs.f_type != MQUEUE_MAGIC || fstat(q, &st) != 0 ||
	    mq_getattr((mqd_t)q, &attr) != 0) {
		close(q);
		return;
	}
	close(q);
	struct channel *c = frame_channel(f, CHAN_MQUEUE, (unsigned long)st.st_ino);
	str_copy(c->name, sizeof(c->name), target);
	c->fill = attr.mq_curmsgs;
	c->capacity = attr.mq_maxmsg;
	c->bytes = false;
	add_holder(c, pid, fd_end(pid, fd));
	frame_add_chan_fd(f, pid, fd, (size_t)(c - f->channels));
}

static void probe_pipe(struct frame *f, pid_t pid, int fd, const char *fdpath, const char *target)
{
	unsigned long ino = strtoul(target + 6, NULL, 10);   /* "pipe:[12345]" */
	struct channel *c = frame_channel(f, CHAN_PIPE, ino);
	size_t index = (size_t)(c - f->channels);

	if (!c->name[0]) {
		str_copy(c->name, sizeof(c->name), target);
		/* O_NONBLOCK: opening a pipe's end never waits for the other side */
		int p = open(fdpath, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (p >= 0) {
			int avail = 0;
			if (ioctl(p, FIONREAD, &avail) == 0)
				c->fill = avail;
			int size = fcntl(p, F_GETPIPE_SZ);
			c->capacity = size > 0 ? size : 0;
			close(p);
		}
		c->bytes = true;
	}
	add_holder(c, pid, fd_end(pid, fd));
	frame_add_chan_fd(f, pid, fd, index);
}

static void probe_fds(struct frame *f, pid_t pid)
{
	char dirpath[64];
	snprintf(dirpath, sizeof(dirpath), "/proc/%d/fd", (int)pid);
	DIR *d = opendir(dirpath);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		int fd = atoi(de->d_name);
		char fdpath[96], target[CHAN_NAME_MAX];
		snprintf(fdpath, sizeof(fdpath), "%s/%d", dirpath, fd);
		ssize_t n = readlink(fdpath, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		if (strncmp(target, "pipe:[", 6) == 0)
			probe_pipe(f, pid, fd, fdpath, target);
		else if (target[0] == '/' && !strchr(target + 1, '/'))
			/* a name at the root of a file system: a message queue's
			 * looks like this; fstatfs() decides */
			probe_mqueue(f, pid, fd, fdpath, target);
	}
	closedir(d);
}

static bool in_frame(const struct frame *f, pid_t pid)
{
	return pid > 0 && frame_find(f, pid) != NULL;
}

static void probe_sysv(struct frame *f)
{
	FILE *in = fopen("/proc/sysvipc/msg", "re");
	if (!in)
		return;
	char line[512];
	if (!fgets(line, sizeof(line), in)) {
		fclose(in);
		return;
	}
	while (fgets(line, sizeof(line), in)) {
		long key, msqid, perms, cbytes, qnum, lspid, lrpid;
		if (sscanf(line, "%ld %ld %lo %ld %ld %ld %ld", &key, &msqid, &perms, &cbytes, &qnum,
		           &lspid, &lrpid) != 7)
			continue;
		if (!in_frame(f, (pid_t)lspid) && !in_frame(f, (pid_t)lrpid))
			continue;
		struct channel *c = frame_channel(f, CHAN_SYSV, (unsigned long)msqid);
		snprintf(c->name, sizeof(c->name), "sysv:0x%lx", (unsigned long)key);
		c->fill = qnum;
		c->bytes = false;
		/* the capacity is counted in bytes (msg_qbytes), the fill in messages:
		 * no common unit, so none is claimed */
		c->capacity = 0;
		if (in_frame(f, (pid_t)lspid))
			add_holder(c, (pid_t)lspid, 'w');
		if (in_frame(f, (pid_t)lrpid))
			add_holder(c, (pid_t)lrpid, 'r');
	}
	fclose(in);
}

size_t channels_probe(struct frame *f)
{
	/* forkscope's own descriptors (the pty) are not the program's channels */
	for (size_t i = 0; i < f->nprocs; i++)
		if (f->procs[i].state != 'Z' && f->procs[i].pid != f->self)
			probe_fds(f, f->procs[i].pid);
	probe_sysv(f);
	/* a stable order for the views; the descriptor map follows */
	frame_sort_channels(f);
	return f->nchannels;
}
