/*
 * tui_details.c - the details of the selected process at the moment: PID,
 * parents, state, group and session, how it ended and who reaped it, its
 * command line.  Beside the tree on a wide screen, else in place of the
 * output panel.
 */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "tui_ctx.h"

/* Five lines: what fits under the tree at 80x24. */
enum { DETAIL_LINES = 5 };

/* "PID 1236 child, parent 1233 (was 1230)" */
static void identity_line(const struct moment *m, const struct proc_record *r, char *buf,
                          size_t len)
{
	const struct proc_record *parent = tracker_find(m->tracker, r->ppid);

	if (tracker_pidns(m->tracker) && parent && parent->is_self)
		/* TRANSLATORS: the details of init (PID 1) in a PID namespace
		 * (--pid1): its parent is PID 0 inside; outside, forkscope with
		 * its own PID */
		snprintf(buf, len, _("PID %d %s, parent 0 (here forkscope, %d outside)"), (int)r->pid,
		         tracker_name(r), (int)r->ppid);
	else if (r->orig_ppid > 0 && r->orig_ppid != r->ppid)
		/* TRANSLATORS: the details' first line: the process's PID, its
		 * name, its parent's PID and the parent it had before it was
		 * orphaned */
		snprintf(buf, len, _("PID %d %s, parent %d (was %d)"), (int)r->pid, tracker_name(r),
		         (int)r->ppid, (int)r->orig_ppid);
	else if (r->orphan)
		snprintf(buf, len, _("PID %d %s, parent %d (first parent unknown)"), (int)r->pid,
		         tracker_name(r), (int)r->ppid);
	else
		snprintf(buf, len, _("PID %d %s, parent %d"), (int)r->pid, tracker_name(r),
		         (int)r->ppid);
}

/* "exit 3 after 1.0 s, reaped by 1233", or how long it has lived by now */
static void life_line(const struct proc_record *r, double now, char *buf, size_t len)
{
	char how[128];
	double end = r->reaped >= 0 ? r->reaped : r->died >= 0 ? r->died : now;

	describe_exit(r, how, sizeof(how));
	if (how[0] && r->reaped_by > 0)
		/* TRANSLATORS: %s is how it ended ("exit 3", "killed by
		 * SIGKILL"), then how long it lived in seconds and who reaped it */
		snprintf(buf, len, _("%s after %.1f s, reaped by %d"), how, end - r->born,
		         (int)r->reaped_by);
	else if (how[0])
		snprintf(buf, len, _("%s after %.1f s, not reaped yet"), how, end - r->born);
	else
		snprintf(buf, len, _("alive for %.1f s"), end - r->born);
}

void details_draw(struct tui *t, const struct moment *m, int y, int x, int h, int w)
{
	const struct proc_record *r = t->details ? tree_selected(t, m) : NULL;
	char lines[DETAIL_LINES][320];

	/* TRANSLATORS: the title of the panel on the selected process */
	panel_title(t, y, x, w, _("Details"));
	if (!r) {
		put_clipped(y + 1, x + 1, t->details ? _("That process is gone from view.") :
		            _("Select a process with the arrows or the mouse."), w - 1,
		            role_attr(t, ROLE_DIM));
		return;
	}
	identity_line(m, r, lines[0], sizeof(lines[0]));
	scene_process_state(m, t->opts.ascii, r, lines[1], sizeof(lines[1]));
	snprintf(lines[2], sizeof(lines[2]),
	         /* TRANSLATORS: the process group, the session and how many threads */
	         P_("group %d, session %d, %d thread", "group %d, session %d, %d threads", r->nlwp),
	         (int)r->pgrp, (int)r->sid, r->nlwp);
	if (r->host) {
		/* a PID namespace's process (--pid1): the number outside, the one
		 * ps on the machine shows */
		size_t used = strlen(lines[2]);
		/* TRANSLATORS: after the group line of the details, in a PID
		 * namespace (--pid1): the process's PID on the machine */
		snprintf(lines[2] + used, sizeof(lines[2]) - used, _("; host PID %d"), (int)r->host);
	}
	life_line(r, m->t, lines[3], sizeof(lines[3]));
	/* TRANSLATORS: the process's command line follows */
	snprintf(lines[4], sizeof(lines[4]), _("command: %s"), r->cmd[0] ? r->cmd : r->comm);
	for (int i = 0; i < DETAIL_LINES && 1 + i < h; i++) {
		/* the state in its colour, the rest plain */
		attr_t a = role_attr(t, i == 1 ? look_role(describe_look(r)) : ROLE_NORMAL);
		put_clipped(y + 1 + i, x + 1, lines[i], w - 1, a);
	}
}
