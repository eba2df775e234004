/*
 * retitle.c - writes a new title over its own command line in place,
 * without renaming itself (no prctl: nothing the kernel tells), as
 * servers do; then lives 300 ms.  Run it with a long argv[0] (the title
 * must fit in the room the arguments take).
 */
#include <string.h>
#include <time.h>

int main(int argc, char **argv)
{
	static const char title[] = "worker-title";
	size_t room = strlen(argv[0]);

	(void)argc;
	if (room >= sizeof(title)) {
		memset(argv[0], 0, room);
		memcpy(argv[0], title, sizeof(title) - 1);
	}
	struct timespec ts = { 0, 300 * 1000 * 1000 };
	nanosleep(&ts, NULL);
	return 0;
}
