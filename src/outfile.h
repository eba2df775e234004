/*
 * outfile.h - a file forkscope writes for the user: a recording, an
 * exported page or drawing.
 *
 * Made before anything starts, so a bad path is refused first: never
 * through a symbolic link (O_NOFOLLOW), never a FIFO or a device, an
 * existing file only when the user said --force (and then only emptied
 * once there is something to write), with the user's umask.  Every
 * failure is one line saying what is wrong and what to do.
 */
#ifndef FORKSCOPE_OUTFILE_H
#define FORKSCOPE_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>

/* What the file is for, which the messages name. */
enum outfile_for { OUTFILE_RECORDING, OUTFILE_EXPORT };

/* Opens path for writing, blocking, close-on-exec: a new file, or with
 * force an existing regular one (left as it is: the caller truncates it
 * when it begins).  *created says which.  -1, with one line in err ("cannot
 * record to FILE: it exists; use --force to replace it", "cannot export
 * to FILE: no such folder"), when it cannot. */
int outfile_create(const char *path, bool force, enum outfile_for what, bool *created, char *err,
                   size_t errlen);

/* path for a message: control characters as '?', so the message stays one
 * line.  The caller frees it. */
char *outfile_shown(const char *path);

#endif
