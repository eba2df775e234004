/*
 * test_export.c - handouts: a recording as one HTML page that replays it in
 * a browser, and its lifelines as one SVG drawing.
 *
 * The page is opened in headless Chromium (Debian's), which runs its player
 * under a virtual time budget and dumps the DOM; the DOM is read with
 * libxml2's HTML parser and XPath, the drawing with its XML parser.  Any
 * message on the browser's console (an error, or a log the player must not
 * write) fails the case.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "helpers.h"

TestSuite(export, .timeout = 240, .fini = helpers_cleanup);

/* A string for libxml2, which calls its characters xmlChar. */
static const xmlChar *X(const char *s)
{
	return (const xmlChar *)s;
}

/* ---- files and commands ------------------------------------------------- */

static bool exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

static bool no_children(void *arg)
{
	pid_t kids[64];
	int status;

	(void)arg;
	while (waitpid(-1, &status, WNOHANG) > 0)
		;
	return children_of(getpid(), 0, kids, 64) == 0;
}

/* Runs argv (a program in PATH, env changes to its environment) to its
 * end, its stdout and stderr in r (the caller frees it), killed and failed
 * after timeout seconds.  What it left behind (a browser's helpers) is
 * waited for: they end by themselves once it has. */
static void run_cmd(struct run *r, const char *const *argv, const char *const *env,
                    double timeout)
{
	run_program(r, argv, &(struct run_how){ .env = env, .text = true });
	run_finish(r, timeout);
	cr_assert(wait_until(no_children, NULL, 20), "%s left processes behind", argv[0]);
}

/* ---- making recordings and exports --------------------------------------- */

/* Records scenario (with its tempo) into dir/NAME.jsonl, headless, and
 * returns the run's JSON events (the caller frees r). */
static void record(struct run *r, const char *dir, const char *scenario, const char *tempo,
                   char *rec, size_t len)
{
	snprintf(rec, len, "%s/%s.jsonl", dir, scenario);
	const char *argv[] = { "--json", "--tempo", tempo, "--record", rec, scenario, NULL };
	run_forkscope(r, 60, argv);
	cr_assert_eq(r->status, 0, "recording %s: %s", scenario, r->err);
}

static void export(const char *rec, const char *out)
{
	struct run r;
	const char *argv[] = { "--export", out, "--replay", rec, NULL };
	run_forkscope(&r, 60, argv);
	cr_assert_eq(r.status, 0, "export to %s: exit %d: %s", out, r.status, r.err);
	cr_assert(strstr(r.err, out), "the export does not say where it went: %s", r.err);
	run_free(&r);
}

/* A case's folder with scenario recorded at tempo (r: the run's events)
 * and exported as dir/SCENARIO.html into page. */
static void recorded_page(struct run *r, char *dir, size_t dirlen, const char *scenario,
                          const char *tempo, char *page, size_t pagelen)
{
	char rec[256];

	temp_dir(dir, dirlen);
	record(r, dir, scenario, tempo, rec, sizeof(rec));
	snprintf(page, pagelen, "%s/%s.html", dir, scenario);
	export(rec, page);
}

/* The page's data, parsed (json-c). */
static struct json_object *page_data(const char *page)
{
	char *html = slurp(page, NULL);
	const char *open = "<script type=\"application/json\" id=\"forkscope-data\">";
	char *start = strstr(html, open);
	cr_assert_not_null(start, "no data in %s", page);
	start += strlen(open);
	char *end = strstr(start, "</script>");
	cr_assert_not_null(end);
	*end = '\0';
	struct json_object *d = json_tokener_parse(start);
	cr_assert_not_null(d, "the page's data is not JSON");
	free(html);
	return d;
}

/* ---- the browser --------------------------------------------------------- */

struct dom {
	htmlDocPtr doc;
	xmlXPathContextPtr xp;
	char *html;
};

/* Opens url (a file:// URL, with its #) in headless Chromium, lets the
 * player run for budget ms of virtual time, and parses the DOM it dumps.
 * lang: the browser's language (NULL: its default).  No console message
 * may have been written. */
static void open_page(struct dom *d, const char *dir, const char *url, int budget,
                      const char *lang)
{
	char vt[64], lflag[64], profile[600];
	/* a profile of the case's own: two browsers sharing the user's default
	 * one (the suite runs two cases at once) hand pages to each other */
	snprintf(profile, sizeof(profile), "--user-data-dir=%s/chromium-profile", dir);
	snprintf(vt, sizeof(vt), "--virtual-time-budget=%d", budget);
	/* what navigator.languages says in headless Chromium */
	snprintf(lflag, sizeof(lflag), "--accept-lang=%s", lang ? lang : "en-US");
	const char *argv[] = { "chromium", "--headless", "--no-sandbox", "--disable-gpu",
	                       "--no-first-run", "--enable-logging=stderr", "--log-level=0",
	                       profile, lflag, vt, "--dump-dom", url, NULL };
	struct run r;
	run_cmd(&r, argv, NULL, 90);
	cr_assert_eq(r.status, 0, "chromium exit %d: %.2000s", r.status, r.err);
	/* the player writes nothing to the console: any line is an error */
	char *console = strstr(r.err, ":CONSOLE");
	cr_assert_null(console, "the console says: %.400s", console);
	d->html = r.out;
	r.out = NULL;
	run_free(&r);
	d->doc = htmlReadMemory(d->html, (int)strlen(d->html), url, "UTF-8",
	                        HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
	cr_assert_not_null(d->doc, "the DOM does not parse");
	d->xp = xmlXPathNewContext(d->doc);
	/* errors the player caught on the page itself */
	xmlXPathObjectPtr e = xmlXPathEvalExpression(X("string(/html/@data-errors)"), d->xp);
	cr_assert_str_empty((const char *)e->stringval, "the page caught errors: %s",
	                    (const char *)e->stringval);
	xmlXPathFreeObject(e);
	xmlXPathObjectPtr ready = xmlXPathEvalExpression(X("string(//body/@data-ready)"),
	                                                 d->xp);
	cr_assert_str_eq((const char *)ready->stringval, "1", "the player did not render");
	xmlXPathFreeObject(ready);
}

static void close_page(struct dom *d)
{
	xmlXPathFreeContext(d->xp);
	xmlFreeDoc(d->doc);
	free(d->html);
}

/* The string value of an XPath expression (the caller frees it). */
static char *xstr(struct dom *d, const char *expr)
{
	char full[1024];
	snprintf(full, sizeof(full), "string(%s)", expr);
	xmlXPathObjectPtr o = xmlXPathEvalExpression(X(full), d->xp);
	cr_assert_not_null(o, "bad XPath %s", expr);
	char *s = strdup(o->stringval ? (const char *)o->stringval : "");
	xmlXPathFreeObject(o);
	return s;
}

static double xnum(struct dom *d, const char *expr)
{
	xmlXPathObjectPtr o = xmlXPathEvalExpression(X(expr), d->xp);
	cr_assert_not_null(o, "bad XPath %s", expr);
	double v = o->floatval;
	xmlXPathFreeObject(o);
	return v;
}

/* A tree row's XPath by its PID. */
static void row_path(char *buf, size_t len, long pid, const char *then)
{
	snprintf(buf, len, "//*[@id='tree']//*[contains(concat(' ', @class, ' '), ' row ') and "
	         "@data-pid='%ld']%s", pid, then);
}

/* Every process row of the tree at the moment shown is reaped, but PID 0's
 * (forkscope in a namespace) and forkscope's own. */
static void assert_all_reaped(struct dom *d)
{
	double rows = xnum(d, "count(//*[@id='tree']//*[contains(concat(' ', @class, ' '), ' row ')"
	                      " and not(@data-pid='0') and not(contains(@class, 'look-self'))])");
	double reaped = xnum(d, "count(//*[@id='tree']//*[contains(concat(' ', @class, ' '), "
	                        "' row ') and contains(@class, 'look-reaped')])");
	cr_assert_gt(rows, 1, "no rows at the end");
	cr_assert_eq(rows, reaped, "%g rows, %g of them reaped, at the end", rows, reaped);
}

/* ---- the zombie ------------------------------------------------------------ */

CASE(export, the_zombie_page_shows_the_zombie_and_its_caption_then_all_reaped)
{
	char dir[64], rec[256], page[256], url[512], path[512];
	struct run r;
	struct dom d;

	temp_dir(dir, sizeof(dir));
	record(&r, dir, "zombie", "1", rec, sizeof(rec));
	struct json_object *ex = NULL;
	for (size_t i = 0; (ex = run_event(&r, "exit", i)); i++)
		if (jbool(ex, "zombie"))
			break;
	cr_assert_not_null(ex, "the run had no zombie");
	long zpid = jint(ex, "pid");
	double zt = jnum(ex, "t");
	struct json_object *reap = run_find(&r, "reap", "pid", zpid);
	cr_assert_not_null(reap);
	cr_assert_gt(jnum(reap, "t") - zt, 0.2, "the zombie lived too short to look at");

	snprintf(page, sizeof(page), "%s/zombie.html", dir);
	export(rec, page);
	size_t size;
	free(slurp(page, &size));
	cr_assert_lt(size, 1 << 20, "the page is %zu bytes", size);

	/* at the zombie's moment: its row says zombie, the caption says why */
	snprintf(url, sizeof(url), "file://%s#t=%.3f", page, zt + 0.05);
	open_page(&d, dir, url, 3000, NULL);
	row_path(path, sizeof(path), zpid, "/@class");
	char *cls = xstr(&d, path);
	cr_assert(strstr(cls, "look-zombie"), "row %ld is '%s' at the zombie's moment", zpid, cls);
	row_path(path, sizeof(path), zpid, "//*[contains(@class, 'state')]");
	char *state = xstr(&d, path);
	cr_assert(strstr(state, "zombie"), "the zombie's state says '%s'", state);
	char *caption = xstr(&d, "//*[@id='caption']");
	cr_assert(strstr(caption, "zombie") && strstr(caption, "wait()"),
	          "the caption at the zombie's moment: '%s'", caption);
	char *t = xstr(&d, "string(//body/@data-t)");
	cr_assert_float_eq(atof(t), zt + 0.05, 0.0015, "the page opened at %s", t);
	free(cls);
	free(state);
	free(caption);
	free(t);
	close_page(&d);

	/* a link to the zombie's event (#e=, what "Link to this moment" gives
	 * while stepping): that event is the current one, its sentence the
	 * caption */
	struct json_object *data = page_data(page), *events;
	cr_assert(json_object_object_get_ex(data, "events", &events));
	size_t k = 0;
	while (k < json_object_array_length(events) &&
	       strcmp(json_object_get_string(json_object_array_get_idx(
	                      json_object_array_get_idx(events, k), 1)), "zombie") != 0)
		k++;
	cr_assert_lt(k, json_object_array_length(events), "no zombie in the page's log");
	snprintf(url, sizeof(url), "file://%s#e=%zu", page, k);
	open_page(&d, dir, url, 3000, NULL);
	snprintf(path, sizeof(path), "//*[@id='log']/*[contains(@class, 'current')]/@data-k");
	char *cur = xstr(&d, path);
	cr_assert_eq(atol(cur), (long)k, "the current event is '%s', not %zu", cur, k);
	caption = xstr(&d, "//*[@id='caption']");
	cr_assert(strstr(caption, "zombie"), "the caption at the zombie's event: '%s'", caption);
	free(cur);
	free(caption);
	close_page(&d);
	json_object_put(data);

	/* at the end every process is reaped */
	snprintf(url, sizeof(url), "file://%s#t=end", page);
	open_page(&d, dir, url, 3000, NULL);
	assert_all_reaped(&d);
	close_page(&d);
	run_free(&r);
	remove_dir(dir);
}

CASE(export, the_page_plays_to_the_end_by_itself)
{
	char dir[64], page[256], url[512];
	struct run r;
	struct dom d;

	recorded_page(&r, dir, sizeof(dir), "zombie", "0.5", page, sizeof(page));
	struct json_object *data = page_data(page);
	double end = jnum(data, "end");
	cr_assert_gt(end, 0.5);

	/* played from the start at 4x: the virtual clock takes it to the end */
	snprintf(url, sizeof(url), "file://%s#t=0&play", page);
	open_page(&d, dir, url, (int)(end * 1000) + 10000, NULL);
	char *t = xstr(&d, "string(//body/@data-t)");
	char *playing = xstr(&d, "string(//body/@data-playing)");
	cr_assert_float_eq(atof(t), end, 0.0015, "played to %s of %.3f", t, end);
	cr_assert_str_eq(playing, "0", "still playing at the end");
	assert_all_reaped(&d);
	/* the log holds every event by then */
	double logged = xnum(&d, "count(//*[@id='log']//*[contains(concat(' ', @class, ' '), "
	                         "' ev ')])");
	struct json_object *events;
	cr_assert(json_object_object_get_ex(data, "events", &events));
	cr_assert_eq((size_t)logged, json_object_array_length(events));
	free(t);
	free(playing);
	close_page(&d);
	json_object_put(data);
	run_free(&r);
	remove_dir(dir);
}

/* ---- the pool ------------------------------------------------------------ */

CASE(export, the_pool_page_shows_its_queue_then_all_reaped)
{
	char dir[64], page[256], url[512], path[512];
	struct run r;
	struct dom d;

	recorded_page(&r, dir, sizeof(dir), "pool", "0.3", page, sizeof(page));
	size_t size;
	free(slurp(page, &size));
	cr_assert_lt(size, 1 << 20, "the page is %zu bytes", size);

	/* a moment with tasks waiting in the queue */
	struct json_object *data = page_data(page), *moments, *mo = NULL;
	cr_assert(json_object_object_get_ex(data, "moments", &moments));
	long fill = 0;
	for (size_t i = 0; i < json_object_array_length(moments) && !fill; i++) {
		struct json_object *queues;
		mo = json_object_array_get_idx(moments, i);
		json_object_object_get_ex(mo, "queues", &queues);
		for (size_t k = 0; k < json_object_array_length(queues); k++) {
			long f = json_object_get_int64(json_object_array_get_idx(
			        json_object_array_get_idx(queues, k), 1));
			if (f > 0)
				fill = f;
		}
	}
	cr_assert_gt(fill, 0, "no moment of the pool had a task waiting");
	double t = jnum(mo, "t");
	snprintf(url, sizeof(url), "file://%s#t=%.3f", page, t);
	open_page(&d, dir, url, 3000, NULL);
	snprintf(path, sizeof(path), "count(//*[@id='queues']//*[contains(concat(' ', @class, ' '), "
	         "' queue ') and @data-fill='%ld'])", fill);
	cr_assert_geq(xnum(&d, path), 1, "no gauge with %ld at %.3f", fill, t);
	/* the workers' rows are there, each named */
	cr_assert_geq(xnum(&d, "count(//*[@id='tree']//*[contains(concat(' ', @class, ' '), "
	                       "' row ')])"), 4);
	close_page(&d);

	snprintf(url, sizeof(url), "file://%s#t=end", page);
	open_page(&d, dir, url, 3000, NULL);
	assert_all_reaped(&d);
	close_page(&d);
	json_object_put(data);
	run_free(&r);
	remove_dir(dir);
}

/* ---- the page's language ------------------------------------------------- */

CASE(export, the_page_follows_the_readers_language)
{
	char dir[64], page[256], url[512];
	struct run r;
	struct dom d;

	recorded_page(&r, dir, sizeof(dir), "zombie", "0.3", page, sizeof(page));

	/* a browser in Chinese: the page in Chinese, from the same catalogue */
	snprintf(url, sizeof(url), "file://%s#t=end", page);
	open_page(&d, dir, url, 3000, "zh-CN");
	char *lang = xstr(&d, "string(//body/@data-lang)");
	cr_assert_str_eq(lang, "zh_CN");
	char *caption = xstr(&d, "//*[@id='caption']");
	cr_assert(strstr(caption, "运行结束"), "the caption in Chinese: '%s'", caption);
	free(lang);
	free(caption);
	close_page(&d);

	/* #lang= says otherwise */
	snprintf(url, sizeof(url), "file://%s#t=end&lang=en", page);
	open_page(&d, dir, url, 3000, "zh-CN");
	lang = xstr(&d, "string(//body/@data-lang)");
	cr_assert_str_eq(lang, "en");
	caption = xstr(&d, "//*[@id='caption']");
	cr_assert(strstr(caption, "The run is over"), "the caption in English: '%s'", caption);
	free(lang);
	free(caption);
	close_page(&d);
	run_free(&r);
	remove_dir(dir);
}

/* ---- self-contained --------------------------------------------------------- */

CASE(export, the_page_needs_no_network_and_a_live_run_exports_when_it_ends)
{
	char dir[64], page[256], tmp[256];
	struct run r;

	temp_dir(dir, sizeof(dir));
	/* a live run: recorded aside (in TMPDIR), exported once it ends */
	snprintf(page, sizeof(page), "%s/orphan.html", dir);
	snprintf(tmp, sizeof(tmp), "%s/tmp", dir);
	cr_assert_eq(mkdir(tmp, 0700), 0);
	char env_tmp[300];
	snprintf(env_tmp, sizeof(env_tmp), "TMPDIR=%s", tmp);
	const char *argv[] = { "--headless", "--tempo", "0.3", "--export", page, "orphan", NULL };
	const char *env[] = { env_tmp, NULL };
	run_forkscope_env(&r, 60, argv, env);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(exists(page));
	char cmd[400];
	snprintf(cmd, sizeof(cmd), "test -z \"$(ls -A '%s')\"", tmp);
	cr_assert_eq(system(cmd), 0, "the run's recording was left in TMPDIR");

	char *html = slurp(page, NULL);
	/* nothing fetched: no external script, style, font or image */
	static const char *const fetchers[] = { "<link", " src=", "@import", "fetch(",
	                                        "XMLHttpRequest", "https://", "//cdn" };
	for (size_t i = 0; i < sizeof(fetchers) / sizeof(fetchers[0]); i++)
		cr_assert_null(strstr(html, fetchers[i]), "the page holds '%s'", fetchers[i]);
	/* url() only for a part of the page itself (an SVG pattern's #id) */
	for (char *p = strstr(html, "url("); p; p = strstr(p + 1, "url("))
		cr_assert_eq(p[4], '#', "the page holds %.40s", p);
	/* the only http:// is SVG's namespace, a name and not an address */
	for (char *p = strstr(html, "http://"); p; p = strstr(p + 1, "http://"))
		cr_assert(strncmp(p, "http://www.w3.org/", 18) == 0, "the page holds %.40s", p);
	/* the player is the one in the tree */
	char js[512];
	snprintf(js, sizeof(js), "%s/player/player.js", SOURCE_DIR);
	char *player = slurp(js, NULL);
	cr_assert_gt(strlen(player), 1000);
	cr_assert_not_null(strstr(html, player), "the page's player is not player/player.js");
	free(player);
	free(html);
	run_free(&r);
	remove_dir(dir);
}

CASE(export, the_programs_words_stay_text_on_the_page)
{
	char dir[64], page[256], url[512];
	struct run r;
	struct dom d;
	const char *hostile = "</script><b>bold</b> @FORKSCOPE_SCRIPT@ <!--";

	temp_dir(dir, sizeof(dir));
	snprintf(page, sizeof(page), "%s/printf.html", dir);
	char line[128];
	snprintf(line, sizeof(line), "%s\\n", hostile);
	const char *argv[] = { "--headless", "--export", page, "--", "printf", line, NULL };
	run_forkscope(&r, 60, argv);
	cr_assert_eq(r.status, 0, "%s", r.err);
	snprintf(url, sizeof(url), "file://%s#t=end", page);
	open_page(&d, dir, url, 3000, NULL);
	char *shown = xstr(&d, "//*[@id='output']/*[contains(concat(' ', @class, ' '), ' line ')]");
	cr_assert_str_eq(shown, hostile, "the output shows '%s'", shown);
	cr_assert_eq(xnum(&d, "count(//*[@id='output']//b)"), 0, "the program's text became HTML");
	free(shown);
	close_page(&d);
	run_free(&r);
	remove_dir(dir);
}

/* ---- the drawing ------------------------------------------------------------- */

/* workers: how many lines are labelled "worker N", the pool's workers by
 * their role (not their last task). */
static void assert_svg(const char *dir, const char *scenario, const char *tempo, int workers)
{
	char rec[256], svg[256];
	struct run r;

	record(&r, dir, scenario, tempo, rec, sizeof(rec));
	snprintf(svg, sizeof(svg), "%s/%s.svg", dir, scenario);
	export(rec, svg);
	/* the processes of the run: every PID a spawn named */
	long pids[256];
	size_t npids = 0;
	struct json_object *sp;
	for (size_t i = 0; (sp = run_event(&r, "spawn", i)); i++) {
		long pid = jint(sp, "pid");
		bool seen = false;
		for (size_t k = 0; k < npids; k++)
			seen |= pids[k] == pid;
		if (!seen && npids < 256)
			pids[npids++] = pid;
	}
	cr_assert_gt(npids, 1);

	xmlDocPtr doc = xmlReadFile(svg, NULL, XML_PARSE_NONET);
	cr_assert_not_null(doc, "%s is not well-formed XML", svg);
	xmlNodePtr root = xmlDocGetRootElement(doc);
	cr_assert_str_eq((const char *)root->name, "svg");
	xmlXPathContextPtr xp = xmlXPathNewContext(doc);
	xmlXPathRegisterNs(xp, X("s"), X("http://www.w3.org/2000/svg"));
	xmlXPathObjectPtr lines = xmlXPathEvalExpression(X("//s:g[@class='lifeline']"), xp);
	int n = lines->nodesetval ? lines->nodesetval->nodeNr : 0;
	cr_assert_eq((size_t)n, npids, "%s: %d lifelines for %zu processes", scenario, n, npids);
	for (size_t k = 0; k < npids; k++) {
		char expr[128];
		snprintf(expr, sizeof(expr), "count(//s:g[@class='lifeline' and @data-pid='%ld'])",
		         pids[k]);
		xmlXPathObjectPtr c = xmlXPathEvalExpression(X(expr), xp);
		cr_assert_eq(c->floatval, 1, "%s: process %ld has %g lifelines", scenario, pids[k],
		             c->floatval);
		xmlXPathFreeObject(c);
	}
	/* each line labelled with its role: no "worker 1: idle" */
	xmlXPathObjectPtr roles = xmlXPathEvalExpression(
		X("count(//s:g[@class='lifeline']/s:text[starts-with(substring-after(., ' '), "
		  "'worker ')])"), xp);
	cr_assert_eq(roles->floatval, workers, "%s: %g lines labelled worker N", scenario,
	             roles->floatval);
	xmlXPathFreeObject(roles);
	xmlXPathObjectPtr doing = xmlXPathEvalExpression(
		X("count(//s:g[@class='lifeline']/s:text[contains(., ': ')])"), xp);
	cr_assert_eq(doing->floatval, 0, "%s: a label says what its process did last", scenario);
	xmlXPathFreeObject(doing);
	/* a legend, and an axis in seconds */
	xmlXPathObjectPtr legend = xmlXPathEvalExpression(X("count(//s:g[@class='legend'])"),
	                                                  xp);
	cr_assert_eq(legend->floatval, 1);
	xmlXPathFreeObject(legend);
	xmlXPathFreeObject(lines);
	xmlXPathFreeContext(xp);
	xmlFreeDoc(doc);
	run_free(&r);
}

CASE(export, the_drawing_is_xml_with_one_lifeline_per_process)
{
	char dir[64];

	temp_dir(dir, sizeof(dir));
	assert_svg(dir, "zombie", "0.3", 0);
	assert_svg(dir, "pool", "0.3", 3);
	remove_dir(dir);
}

/* ---- bad input ---------------------------------------------------------------- */

/* forkscope with argv exits 2 with one line on stderr holding want, and
 * nothing is made at path. */
static void refused(const char *const *argv, const char *want, const char *path)
{
	struct run r;

	run_forkscope(&r, 30, argv);
	cr_assert_eq(r.status, 2, "exit %d: %s", r.status, r.err);
	cr_assert(strstr(r.err, want), "stderr '%s' lacks '%s'", r.err, want);
	cr_assert_eq(strchr(r.err, '\n'), r.err + strlen(r.err) - 1, "more than one line: %s",
	             r.err);
	cr_assert_eq(r.nev, 0);
	if (path)
		cr_assert(!exists(path), "%s was made", path);
	run_free(&r);
}

CASE(export, bad_input_is_one_line_and_exit_2)
{
	char dir[64], rec[256], broken[256], page[256], nofolder[256], png[256], made[256];
	struct run r;

	temp_dir(dir, sizeof(dir));
	record(&r, dir, "zombie", "0.3", rec, sizeof(rec));
	run_free(&r);
	snprintf(page, sizeof(page), "%s/out.html", dir);

	/* an unreadable recording, a broken one */
	char missing[300];
	snprintf(missing, sizeof(missing), "%s/none.jsonl", dir);
	const char *a1[] = { "--export", page, "--replay", missing, NULL };
	refused(a1, "none.jsonl", page);
	snprintf(broken, sizeof(broken), "%s/broken.jsonl", dir);
	FILE *f = fopen(broken, "w");
	cr_assert_not_null(f);
	fputs("{\"forkscope\":\"recording\",\"version\":5,\n", f);
	fclose(f);
	const char *a2[] = { "--export", page, "--replay", broken, NULL };
	refused(a2, "broken.jsonl", page);

	/* a path that cannot be written: no such folder, an existing file,
	 * a name that says neither page nor drawing */
	snprintf(nofolder, sizeof(nofolder), "%s/no/such/out.html", dir);
	const char *a3[] = { "--export", nofolder, "--replay", rec, NULL };
	refused(a3, "no such folder", NULL);
	snprintf(made, sizeof(made), "%s/there.svg", dir);
	f = fopen(made, "w");
	cr_assert_not_null(f);
	fputs("mine", f);
	fclose(f);
	const char *a4[] = { "--export", made, "--replay", rec, NULL };
	refused(a4, "--force", NULL);
	char *kept = slurp(made, NULL);
	cr_assert_str_eq(kept, "mine", "an existing file was changed");
	free(kept);
	snprintf(png, sizeof(png), "%s/out.png", dir);
	const char *a5[] = { "--export", png, "--replay", rec, NULL };
	refused(a5, "FILE.html", png);
	/* a live run to a bad path: refused before it starts */
	const char *a6[] = { "--headless", "--export", nofolder, "zombie", NULL };
	refused(a6, "no such folder", NULL);
	/* nothing to export */
	const char *a7[] = { "--export", page, NULL };
	refused(a7, "--export needs a run", page);
	const char *a8[] = { "--export", page, "--export", page, "zombie", NULL };
	refused(a8, "twice", page);

	/* --force replaces */
	struct run ok;
	const char *a9[] = { "--force", "--export", made, "--replay", rec, NULL };
	run_forkscope(&ok, 60, a9);
	cr_assert_eq(ok.status, 0, "%s", ok.err);
	kept = slurp(made, NULL);
	cr_assert(strstr(kept, "<svg"), "--force did not replace it");
	free(kept);
	run_free(&ok);
	remove_dir(dir);
}

/* ---- the player's source ---------------------------------------------------- */

CASE(export, the_player_passes_eslint)
{
	/* eslint takes the files below its working folder only */
	cr_assert_eq(chdir(SOURCE_DIR), 0, "%s: %s", SOURCE_DIR, strerror(errno));
	/* Debian's eslint finds its modules in /usr/share/nodejs, where
	 * Debian's node looks by itself and another build of node (NodeSource's)
	 * looks when told */
	const char *was = getenv("NODE_PATH");
	char node_path[1024];
	snprintf(node_path, sizeof(node_path), "NODE_PATH=/usr/share/nodejs:/usr/lib/nodejs%s%s",
	         was && was[0] ? ":" : "", was ? was : "");
	/* the unix formatter: the default one (stylish) needs chalk, which
	 * Debian's eslint does not depend on (a fresh machine lacks it) */
	const char *argv[] = { "eslint", "--no-eslintrc", "-c", "player/eslintrc.json", "--format",
	                       "unix", "--max-warnings", "0", "player/player.js", NULL };
	struct run r;
	run_cmd(&r, argv, (const char *const[]){ node_path, NULL }, 120);
	cr_assert_eq(r.status, 0, "eslint (exit %d):\n%.3000s%.1000s", r.status, r.out, r.err);
	run_free(&r);
}
