/*
 * file-copy - copy a folder with a Pool of 5, showing the progress.
 *
 * Mirrors this Python from the course notes (### 多进程文件拷贝: copying
 * files with several processes), with its prints in English:
 *
 *     import os
 *     from multiprocessing import Pool, Manager
 *
 *     def copyFile(name, oldFileName, newFileName, queue):
 *         oldFile = open(oldFileName + "/" + name, "rb")
 *         newFile = open(newFileName + "/" + name, "wb")
 *         con = oldFile.read()
 *         newFile.write(con)
 *         oldFile.close()
 *         newFile.close()
 *         queue.put(name)
 *
 *     def main():
 *         oldFileName = input("folder to copy: ")
 *         newFileName = oldFileName + "[copy]"
 *         os.mkdir(newFileName)
 *         fileList = os.listdir(oldFileName)
 *         p = Pool(5)
 *         q = Manager().Queue()
 *         for name in fileList:
 *             p.apply_async(copyFile, args=(name, oldFileName, newFileName, q))
 *         p.close()
 *         p.join()
 *         number = 0
 *         while True:
 *             q.get()
 *             number += 1
 *             over = number / len(fileList)
 *             print("\rdone: %.2f%%" % (over*100), end="")
 *             if number == len(fileList):
 *                 break
 *         print("")
 *         print("copy finished")
 *
 * Instead of asking for a folder, the demo makes one: a temporary folder
 * /tmp/fs-file-copy-XXXXXX (mkdtemp picks the X's) with 12 test files of
 * 0 bytes to 1 MB, and copies it to "<that folder>-copy".  Each pool task
 * copies one file and then puts its name on a results queue,
 * "/fs-file-copy-copied-<pid>" (the parent makes it before the pool, so
 * the workers inherit it; no Manager needed, see manager-queue).  A real
 * copy of these files takes a moment, so each task also sleeps 0.5 to
 * 1.5 s, as if the disk were slow: the progress then shows.
 *
 * The Python reads the queue only after join(), when everything is over;
 * here the parent reads it while the workers copy, and prints a line per
 * file as it comes back, "copied 5/12 (41.67%)", one line each instead
 * of the "\r" trick that rewrites one line.  Then it closes and joins the
 * pool, checks the copy byte for byte against the original, and removes
 * both folders.  Stopped early (SIGTERM from forkscope, or Ctrl-C), the
 * parent still removes both folders, from the library's signal handler.
 *
 * Timeline at --tempo 1: the parent alone for 2 s; with its 12 files for
 * 2 s; 5 idle workers for 2 s; copying, about 3 s; the parent checks and
 * waits 2 s, removes the folders, 2 s more.  About 13 s.
 */
#include "lib/demo.h"
#include "lib/mp.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define NFILES 12
#define PATH_SIZE 128

/* The test files' sizes, in bytes: empty, tiny, around one 4 KiB page,
 * and a few larger ones that take several reads to copy. */
static const long sizes[NFILES] = {
	0, 1, 100, 1000, 4095, 4096, 4097, 20000, 65536, 100000, 300000, 1000000,
};

/*
 * Every path the demo makes, written down before the thing exists, so
 * that remove_all() can run from a signal handler, where it may only use
 * async-signal-safe calls (unlink, rmdir, nanosleep; no malloc, no
 * opendir, no printf).  The pool's workers are forked after these are set,
 * so each has its own copy of them: the copy task reads old_dir and
 * new_dir from there, as Python's copyFile gets them as arguments.
 */
static char old_dir[PATH_SIZE] = "/tmp/fs-file-copy-XXXXXX";
static char new_dir[PATH_SIZE];
static char old_paths[NFILES][PATH_SIZE];
static char new_paths[NFILES][PATH_SIZE];

static struct mp_queue *copied;     /* names of the files copied */

/*
 * Removes both folders and every file in them; async-signal-safe.  Paths
 * not made yet are "" or still end in XXXXXX: removing them fails with
 * ENOENT, harmlessly.
 */
static void remove_all(void)
{
	/* Twice: a worker stopped at the same moment may have been
	 * creating a file while we were deleting. */
	for (int pass = 0; pass < 2; pass++) {
		struct timespec ts = { 0, 100000000L };

		for (int i = 0; i < NFILES; i++) {
			unlink(new_paths[i]);
			unlink(old_paths[i]);
		}
		if ((rmdir(new_dir) == 0 || errno == ENOENT) &&
		    (rmdir(old_dir) == 0 || errno == ENOENT))
			return;
		nanosleep(&ts, NULL);
	}
}

/* The text of file number i: lines "file-03.txt line 17", cut to size. */
static int make_file(int i)
{
	char line[64];
	char *buf;
	long at = 0;
	int fd, ok;

	buf = malloc((size_t)sizes[i] + 1);
	if (buf == NULL)
		return -1;
	for (long n = 0; at < sizes[i]; n++) {
		int len = snprintf(line, sizeof line, "file-%02d.txt line %ld\n", i + 1, n);
		long size = sizes[i] - at < len ? sizes[i] - at : len;

		memcpy(buf + at, line, (size_t)size);
		at += size;
	}
	fd = open(old_paths[i], O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0) {
		free(buf);
		return -1;
	}
	ok = write(fd, buf, (size_t)sizes[i]) == (ssize_t)sizes[i];
	close(fd);
	free(buf);
	return ok ? 0 : -1;
}

/* Copies the file `from` to `to`: read a block, write it, until the end. */
static int copy_bytes(const char *from, const char *to)
{
	char buf[65536];
	ssize_t n;
	int in, out, status = 0;

	in = open(from, O_RDONLY);
	if (in < 0)
		return -1;
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (out < 0) {
		close(in);
		return -1;
	}
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)n) != n) {
			status = -1;
			break;
		}
	if (n < 0)
		status = -1;
	close(in);
	if (close(out) < 0)
		status = -1;
	return status;
}

/* def copyFile(name, ...): a pool task; name is the argument. */
static void copy_file(const char *name)
{
	char from[PATH_SIZE * 2], to[PATH_SIZE * 2];

	snprintf(from, sizeof from, "%s/%s", old_dir, name);
	snprintf(to, sizeof to, "%s/%s", new_dir, name);
	demo_sleep(0.5 + mp_random());      /* a slow disk */
	if (copy_bytes(from, to) < 0)
		printf(_("pid %d: could not copy %s: %s\n"), (int)getpid(), name, strerror(errno));
	/* queue.put(name): the parent counts these, failed or not, so it
	 * never waits for a name that will not come. */
	mp_queue_put(copied, name, true, -1);
}

/* Are the two files the same, byte for byte? */
static bool same_file(const char *a, const char *b)
{
	char x[65536], y[65536];
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	bool same = fa != NULL && fb != NULL;

	while (same) {
		size_t na = fread(x, 1, sizeof x, fa);
		size_t nb = fread(y, 1, sizeof y, fb);

		if (na != nb || memcmp(x, y, na) != 0)
			same = false;
		else if (na == 0)
			break;
	}
	if (fa != NULL)
		fclose(fa);
	if (fb != NULL)
		fclose(fb);
	return same;
}

int main(int argc, char **argv)
{
	struct demo_opts o;
	struct mp_pool *p = NULL;
	char file_list[NFILES][64];
	char name[MP_MSG_SIZE];
	int count = 0, number = 0, differ = 0, status = 0;
	long total = 0;
	DIR *d;
	struct dirent *e;

	demo_init(argc, argv, &o);
	demo_title(_("parent"));
	/* First, so that from now on a SIGTERM also removes the folders. */
	mp_at_stop(remove_all);
	printf(_("parent: pid %d, making a folder of test files\n"), (int)getpid());
	demo_sleep(2);

	/* mkdtemp() replaces the X's in old_dir in place, so remove_all()
	 * finds the folder there as soon as it exists.  Then the other paths,
	 * and only then the files (see remove_all). */
	if (mkdtemp(old_dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(new_dir, sizeof new_dir, "%.*s-copy", PATH_SIZE - 8, old_dir);
	for (int i = 0; i < NFILES; i++) {
		snprintf(old_paths[i], PATH_SIZE, "%.*s/file-%02d.txt", PATH_SIZE - 16, old_dir, i + 1);
		snprintf(new_paths[i], PATH_SIZE, "%.*s/file-%02d.txt", PATH_SIZE - 16, new_dir, i + 1);
	}
	for (int i = 0; i < NFILES; i++) {
		if (make_file(i) < 0) {
			perror(old_paths[i]);
			remove_all();
			return 1;
		}
		total += sizes[i];
	}
	printf(_("parent: made %s: %d files, %ld bytes\n"), old_dir, NFILES, total);
	demo_sleep(2);

	/* os.mkdir(newFileName); fileList = os.listdir(oldFileName) */
	if (mkdir(new_dir, 0755) < 0) {
		perror(new_dir);
		remove_all();
		return 1;
	}
	d = opendir(old_dir);
	if (d == NULL) {
		perror(old_dir);
		remove_all();
		return 1;
	}
	/* Skip "." and ".."; our names are short, so cutting them to 63
	 * characters never happens. */
	while ((e = readdir(d)) != NULL && count < NFILES)
		if (e->d_name[0] != '.')
			snprintf(file_list[count++], sizeof file_list[0], "%.63s", e->d_name);
	closedir(d);

	/* q: made before the pool, so that the workers inherit it. */
	copied = mp_queue_new("copied", 10);
	if (copied == NULL) {
		remove_all();
		return 1;
	}
	/* p = Pool(5): forks the 5 workers (each fork after a flush of
	 * stdout, so that no buffered line is printed twice). */
	p = mp_pool_new(5);
	if (p == NULL) {
		status = 1;
		goto out;
	}
	printf(_("parent: copying to %s with a Pool(5)\n"), new_dir);
	demo_sleep(2);

	for (int i = 0; i < count; i++)
		mp_pool_apply_async(p, copy_file, file_list[i]);

	/* Count the names as they come back: blocked on the queue between. */
	while (number < count) {
		if (mp_queue_get(copied, name, sizeof name, true, -1) != MP_OK) {
			status = 1;
			break;
		}
		number++;
		/* TRANSLATORS: the notes' print("\r已经完成：%.2f%%"), with files
		 * done/all */
		printf(_("copied %d/%d (%.2f%%)\n"), number, count, 100.0 * number / count);
	}
	mp_pool_close(p);
	mp_pool_join(p);
	printf(_("copy finished\n"));

	/* Check the copy, byte for byte. */
	for (int i = 0; i < count; i++) {
		char a[PATH_SIZE * 2], b[PATH_SIZE * 2];

		snprintf(a, sizeof a, "%s/%.63s", old_dir, file_list[i]);
		snprintf(b, sizeof b, "%s/%.63s", new_dir, file_list[i]);
		if (!same_file(a, b)) {
			printf(_("%s differs from the original\n"), file_list[i]);
			differ++;
		}
	}
	if (differ == 0 && count == NFILES)
		printf(_("all %d files identical\n"), count);
	else
		status = 1;
	demo_sleep(2);

out:
	mp_pool_free(p);
	mp_queue_unlink(copied);
	mp_queue_close(copied);
	remove_all();
	printf(_("parent: removed %s and %s\n"), old_dir, new_dir);
	demo_sleep(2);
	printf(_("parent: exiting\n"));
	return status;
}
