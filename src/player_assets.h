/*
 * player_assets.h - the exported page's player, embedded at build time
 * (export.h): player/page.html, player/player.css and player/player.js of
 * the source tree, each as one NUL-terminated string.  scripts/embed makes
 * BUILD/gen/player_assets.c from them; nothing here is written by hand.
 */
#ifndef FORKSCOPE_PLAYER_ASSETS_H
#define FORKSCOPE_PLAYER_ASSETS_H

extern const char player_html[];
extern const char player_css[];
extern const char player_js[];

#endif
