/*
 * test_views.c - the real program's views given hostile program text: the
 * text view and the full screen must not pass escapes to the terminal but
 * show them as ^[ and \x9b, and every JSON line must be valid UTF-8
 * (checked with text.c's own strict decoder).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"
#include "procfs.h"
#include "text.h"

TestSuite(views, .timeout = 60, .fini = helpers_cleanup);

/* Runs forkscope with argv and checks that it ended well. */
static void run_ok(struct run *r, const char *const *argv)
{
	run_forkscope(r, 30, argv);
	cr_assert_eq(r->status, 0, "exit code %d, stderr:\n%s", r->status, r->err);
}

static void assert_no_byte(const struct run *r, unsigned char b, const char *name)
{
	const char *at = memchr(r->out, b, r->olen);

	cr_assert_null(at, "a raw %s reached stdout at byte %td:\n%s", name,
	               at ? at - r->out : 0, r->out);
}

/* Every line of stdout is valid UTF-8 and one JSON object. */
static void assert_json_lines(const struct run *r)
{
	size_t lines = 0;

	for (const char *p = r->out; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *line = strndup(p, len);
		cr_assert(text_is_utf8(line, len), "line %zu is not valid UTF-8: %s", lines + 1, line);
		struct json_object *o = json_tokener_parse(line);
		cr_assert(o && json_object_is_type(o, json_type_object), "line %zu is not JSON: %s",
		          lines + 1, line);
		json_object_put(o);
		free(line);
		lines++;
		p += len + (nl != NULL);
	}
	cr_assert_gt(lines, 0, "some JSON lines");
	cr_assert_eq(lines, r->nev, "every line parsed");
}

CASE(views, text_view_shows_escapes_instead_of_sending_them)
{
	struct run r;
	const char *argv[] = { "--headless", "--", "sh", "-c",
	                       "printf '\\033]52;c;cHduZWQ=\\a\\033]0;OUTTITLE\\a\\033[2J\\n'; "
	                       "printf 'c1 \\302\\233 bad \\377\\n'", NULL };
	run_ok(&r, argv);
	assert_no_byte(&r, 0x1B, "ESC");
	assert_no_byte(&r, 0x07, "BEL");
	assert_no_byte(&r, 0x9B, "CSI (0x9b)");
	cr_assert(strstr(r.out, "| ^[]52;c;cHduZWQ=^G^[]0;OUTTITLE^G^[[2J\n"),
	          "the output line, controls made visible:\n%s", r.out);
	/* the test's own locale decides between U+FFFD and '?': either way,
	 * the C1 control is spelt out */
	cr_assert(strstr(r.out, "| c1 \\x9b bad "), "%s", r.out);
	run_free(&r);
}

CASE(views, text_view_is_plain_ascii_when_the_locale_is_not_utf8)
{
	struct run r;
	const char *argv[] = { "--headless", "--", "sh", "-c",
	                       "printf '\\303\\251\\344\\270\\255 \\033[2J \\377\\n'", NULL };
	cr_assert_eq(setenv("LC_ALL", "C", 1), 0);
	run_ok(&r, argv);
	for (size_t i = 0; i < r.olen; i++)
		cr_assert_lt((unsigned char)r.out[i], 0x80, "only ASCII, got byte %zu:\n%s", i, r.out);
	cr_assert(strstr(r.out, "| ?? ^[[2J ?\n"), "%s", r.out);
	run_free(&r);
}

CASE(views, json_lines_stay_valid_utf8_with_invalid_output)
{
	struct run r;
	const char *argv[] = { "--json", "--", "sh", "-c", "printf '\\377\\376bad\\n'", NULL };
	run_ok(&r, argv);
	assert_json_lines(&r);
	struct json_object *out = run_output(&r, "bad");
	cr_assert_not_null(out, "the output line is there:\n%s", r.out);
	cr_assert_str_eq(jstr(out, "text"), "\xEF\xBF\xBD\xEF\xBF\xBD" "bad",
	                 "each invalid byte is U+FFFD");
	run_free(&r);
}

CASE(views, json_lines_stay_valid_utf8_with_a_long_line_of_e_acute)
{
	struct run r;
	const char *argv[] = { "--json", "--", "python3", "-c", "print('\xC3\xA9' * 3000)", NULL };
	run_ok(&r, argv);
	assert_json_lines(&r);
	cr_assert_not_null(run_output(&r, "\xC3\xA9\xC3\xA9\xC3\xA9"), "the é line is there:\n%s",
	                   r.out);
	run_free(&r);
}

CASE(views, json_keeps_controls_escaped_by_json_c)
{
	struct run r;
	const char *argv[] = { "--json", "--", "sh", "-c", "printf 'a\\033[2Jb\\n'", NULL };
	run_ok(&r, argv);
	assert_json_lines(&r);
	assert_no_byte(&r, 0x1B, "ESC");
	struct json_object *out = run_output(&r, "[2J");
	cr_assert_not_null(out, "%s", r.out);
	cr_assert_str_eq(jstr(out, "text"), "a\x1b[2Jb", "the text itself is unchanged");
	run_free(&r);
}

/* Runs tmux on the private server sock with args; returns its stdout
 * (caller frees).  test_tui.c has the full harness; this needs only a
 * screen to read. */
static char *tmux(const char *sock, const char *const *args)
{
	const char *argv[32] = { "tmux", "-L", sock };
	size_t n = 3;
	int out[2];

	for (size_t i = 0; args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	cr_assert_eq(pipe2(out, O_CLOEXEC), 0);
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		dup2(out[1], 1);
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 2);
		/* execvp() wants char *const[]; it changes nothing */
		execvp("tmux", (char *const *)(void *)argv);
		_exit(127);
	}
	close(out[1]);
	size_t len = 0, cap = 8192;
	char *buf = malloc(cap);
	ssize_t got;
	while ((got = read(out[0], buf + len, cap - len - 1)) > 0) {
		len += (size_t)got;
		if (cap - len < 4096)
			buf = realloc(buf, cap *= 2);
	}
	buf[len] = '\0';
	close(out[0]);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	return buf;
}

CASE(views, full_screen_shows_controls_as_the_text_view_does)
{
	char sock[64];
	snprintf(sock, sizeof(sock), "fs-views-%d", (int)getpid());
	setenv("LC_ALL", "C.UTF-8", 1);
	setenv("TERM", "xterm-256color", 1);
	free(tmux(sock, (const char *const[]){
		"-f", "/dev/null", "new-session", "-d", "-s", "main", "-x", "120", "-y", "30",
		FORKSCOPE_BIN, "--", "sh", "-c",
		"printf '\\033]0;OUTTITLE\\a\\033[2Jafter \\302\\233x \\377\\n'; sleep 60",
		NULL }));
	char *scr = NULL;
	struct timespec nap = { 0, 50 * 1000 * 1000 };
	for (int i = 0; i < 200; i++) {
		free(scr);
		scr = tmux(sock, (const char *const[]){ "capture-pane", "-p", "-t", "main", NULL });
		if (strstr(scr, "^[[2Jafter"))
			break;
		nanosleep(&nap, NULL);
	}
	char *title = tmux(sock, (const char *const[]){ "display", "-p", "-t", "main",
	                                               "#{pane_title}", NULL });
	char *path = tmux(sock, (const char *const[]){ "display", "-p", "#{socket_path}", NULL });
	free(tmux(sock, (const char *const[]){ "kill-server", NULL }));
	/* the server leaves its socket behind */
	path[strcspn(path, "\n")] = '\0';
	if (*path)
		unlink(path);
	free(path);
	/* the server and forkscope's tree were adopted by this subreaper:
	 * wait for them to go before CASE counts what is left */
	pid_t kids[16];
	for (int i = 0; i < 300 && children_of(getpid(), 0, kids, 16) > 0; i++) {
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		nanosleep(&nap, NULL);
	}
	cr_assert(strstr(scr, "^[]0;OUTTITLE^G^[[2Jafter \\x9bx \xEF\xBF\xBD"),
	          "the output panel shows the controls; the screen:\n%s", scr);
	cr_assert_null(strstr(title, "OUTTITLE"), "the window title was set: %s", title);
	free(title);
	free(scr);
}
