/*
 * outfile.c - see outfile.h.
 */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "util.h"

char *outfile_shown(const char *path)
{
	size_t n = strlen(path);
	char *s = xcalloc(n + 1, 1);

	for (size_t i = 0; i < n; i++)
		s[i] = (unsigned char)path[i] < 0x20 || path[i] == 0x7f ? '?' : path[i];
	return s;
}

static void say_cannot(enum outfile_for what, const char *name, const char *why, char *err,
                       size_t errlen)
{
	if (what == OUTFILE_EXPORT)
		/* TRANSLATORS: why an exported page or drawing cannot be made
		 * follows, as for a recording */
		snprintf(err, errlen, _("cannot export to %s: %s"), name, why);
	else
		snprintf(err, errlen, _("cannot record to %s: %s"), name, why);
}

#define NOT_A_FILE N_("it is not a regular file (a named pipe, a device); give a file's name")

/* What to say when path cannot be made: what is wrong, and what to do. */
static void create_error(enum outfile_for what, const char *name, const char *path, int e,
                         char *err, size_t errlen)
{
	struct stat st;
	const char *why;

	/* O_EXCL says "exists" for a folder and a symlink too: say which */
	if (e == EEXIST && lstat(path, &st) == 0) {
		if (S_ISLNK(st.st_mode))
			e = ELOOP;
		else if (S_ISDIR(st.st_mode))
			e = EISDIR;
	}
	switch (e) {
	case ENOENT:
	case ENOTDIR:
		/* TRANSLATORS: why a recording cannot be made, said after
		 * "cannot record to FILE: " (as the reasons below) */
		why = _("no such folder");
		break;
	case EACCES:
	case EPERM:
	case EROFS:
		why = _("not allowed to write there");
		break;
	case EEXIST:
		why = _("it exists; use --force to replace it");
		break;
	case ELOOP:
		why = _("it is a symbolic link (forkscope does not follow one)");
		break;
	case EISDIR:
		why = _("it is a folder");
		break;
	case ENXIO:     /* a FIFO with no reader, or a device not there */
		why = _(NOT_A_FILE);
		break;
	default:
		why = strerror(e);
	}
	say_cannot(what, name, why, err, errlen);
}

int outfile_create(const char *path, bool force, enum outfile_for what, bool *created, char *err,
                   size_t errlen)
{
	/* Never through a symlink; not blocking on a FIFO (a FIFO is refused
	 * below).  0666: the user's umask decides, as for any file a program
	 * makes. */
	int base = O_WRONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY;
	char *name = outfile_shown(path);
	int fd = open(path, base | O_CREAT | O_EXCL, 0666);
	struct stat st;

	*created = true;
	if (fd < 0 && errno == EEXIST && force) {
		*created = false;
		fd = open(path, base);
	}
	if (fd < 0) {
		create_error(what, name, path, errno, err, errlen);
		free(name);
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		say_cannot(what, name, _(NOT_A_FILE), err, errlen);
		free(name);
		return -1;
	}
	free(name);
	/* a regular file: blocking writes from here on */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}
