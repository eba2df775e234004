/* forkscope's player: replays a recorded run in the page, offline.
   Plain ES2017, no libraries.  Data strings are only ever set as text
   (textContent, createElement, SVG attributes), never parsed as HTML. */
(function () {
  'use strict';

  const root = document.documentElement;
  window.addEventListener('error', function (e) {
    const where = e.filename ? ' (' + e.filename + ':' + e.lineno + ')' : '';
    const msg = (e.message || String(e.error || 'error')) + where;
    root.dataset.errors = root.dataset.errors ? root.dataset.errors + '\n' + msg : msg;
  });

  const UI_EN = {
    play: 'Play',
    pause: 'Pause',
    prev: 'Previous event',
    next: 'Next event',
    speed: 'Speed',
    start: 'Start',
    end: 'End',
    time: 'Time',
    tree: 'Processes',
    events: 'Events (newest last)',
    output: 'Program output',
    queues: 'Queues and pipes',
    lifelines: 'Lifelines',
    legend: 'Legend',
    keys: 'space: play or pause · ← →: previous or next event · [ ]: one second back or on · Home End: start or end',
    link: 'Link to this moment',
    language: 'Language',
    waiting: 'Waiting for the first event.',
    none: 'No queues or pipes yet.',
    none_now: 'No queues or pipes now.',
    new: 'new',
    recorded: 'Recorded %s',
    seconds: '%.1f s',
    ended: 'The run is over.',
    output_cut: '%d more lines of output are not in this page.'
  };
  const LANG_NAMES = { en: 'English', zh_CN: '中文（简体）', zh_TW: '中文（繁體）' };
  /* lifeline segment state for each look key, for the legend's samples */
  const LOOK_SEG = { running: 'R', sleeping: 'S', disk: 'D', stopped: 'T', zombie: 'Z', reaped: 'X' };
  const SVGNS = 'http://www.w3.org/2000/svg';
  const EPS = 1e-9;
  const MONO = '"DejaVu Sans Mono", "Noto Sans Mono CJK SC", "WenQuanYi Micro Hei Mono", Menlo, Consolas, monospace';

  /* ---- the data ---- */

  let D = {};
  try {
    const node = document.getElementById('forkscope-data');
    const parsed = JSON.parse(node ? node.textContent : '{}');
    if (parsed && typeof parsed === 'object') {
      D = parsed;
    }
  } catch (err) {
    root.dataset.errors = (root.dataset.errors ? root.dataset.errors + '\n' : '') + 'data: ' + err.message;
  }
  function arr(x) {
    return Array.isArray(x) ? x : [];
  }
  function num(x, dflt) {
    const n = Number(x);
    return isFinite(n) ? n : dflt;
  }
  /* a moment's rows are numbers into D.rows: a row that stays the same
   * from moment to moment is written once */
  const rowTable = arr(D.rows);
  const moments = arr(D.moments).filter(function (m) {
    return m && typeof m === 'object';
  });
  /* and each moment's rows are its change from the one before: a row's
   * number, or [from, count], that many of the rows before from row from */
  let before = [];
  moments.forEach(function (m) {
    const ids = [];
    arr(m.rows).forEach(function (op) {
      if (Array.isArray(op)) {
        const from = Math.max(0, Math.floor(num(op[0], 0)));
        const count = Math.max(0, Math.floor(num(op[1], 0)));
        for (let i = from; i < from + count && i < before.length; i++) {
          ids.push(before[i]);
        }
      } else {
        ids.push(op);
      }
    });
    before = ids;
    m.rows = ids.map(function (r) {
      return rowTable[r];
    });
  });
  const events = arr(D.events).filter(Array.isArray);
  const output = arr(D.output).filter(Array.isArray).sort(function (a, b) {
    return num(a[0], 0) - num(b[0], 0);
  });
  const lifelines = arr(D.lifelines).filter(function (l) {
    return l && typeof l === 'object';
  });
  const looks = arr(D.looks);
  const texts = D.text && typeof D.text === 'object' ? D.text : {};
  const uis = D.ui && typeof D.ui === 'object' ? D.ui : {};
  let langs = arr(D.langs).filter(function (l) {
    return typeof l === 'string' && l;
  });
  if (!langs.length) {
    langs = Object.keys(texts);
  }
  if (!langs.length) {
    langs = ['en'];
  }
  const endT = (function () {
    let e = Math.max(0, num(D.end, 0));
    if (moments.length) {
      e = Math.max(e, num(moments[moments.length - 1].t, 0));
    }
    return e;
  }());

  /* ---- the state ---- */

  const st = { t: 0, cursor: -1, playing: false, speed: 1, lang: 'en', started: false };

  /* ---- words ---- */

  function slot(k) {
    const tables = [texts[st.lang], texts[D.lang], texts.en];
    for (let i = 0; i < tables.length; i++) {
      const tbl = tables[i];
      if (Array.isArray(tbl) && typeof tbl[k] === 'string') {
        return tbl[k];
      }
    }
    return '';
  }
  function ui(key) {
    const tables = [uis[st.lang], uis.en, UI_EN];
    for (let i = 0; i < tables.length; i++) {
      const tbl = tables[i];
      if (tbl && typeof tbl[key] === 'string') {
        return tbl[key];
      }
    }
    return key;
  }
  function fmtSeconds(x, decimals) {
    const d = decimals === undefined ? 1 : decimals;
    return ui('seconds').replace(/%\.?\d*[fgs]/, x.toFixed(d));
  }
  function langTag(l) {
    return String(l).replace(/_/g, '-');
  }
  function langName(l) {
    if (LANG_NAMES[l]) {
      return LANG_NAMES[l];
    }
    try {
      const dn = new Intl.DisplayNames([langTag(l)], { type: 'language' });
      return dn.of(langTag(l)) || l;
    } catch (err) {
      return l;
    }
  }

  /* ---- choosing the language ---- */

  function parts(l) {
    return String(l).replace(/_/g, '-').toLowerCase().split('-');
  }
  function region(p) {
    for (let i = 1; i < p.length; i++) {
      if (/^([a-z]{2}|\d{3})$/.test(p[i])) {
        return p[i];
      }
    }
    return '';
  }
  /* the best of data's langs for the first wanted one that has any match */
  function matchLang(wanted) {
    for (let i = 0; i < wanted.length; i++) {
      if (typeof wanted[i] !== 'string' || !wanted[i]) {
        continue;
      }
      const w = parts(wanted[i]);
      let best = null;
      let bestScore = 0;
      langs.forEach(function (l) {
        const p = parts(l);
        let s = 0;
        if (p.join('-') === w.join('-')) {
          s = 3;
        } else if (p[0] === w[0]) {
          s = region(p) && region(p) === region(w) ? 2 : 1;
        }
        if (s > bestScore) {
          best = l;
          bestScore = s;
        }
      });
      if (best) {
        return best;
      }
    }
    return null;
  }
  function defaultLang() {
    const nav = window.navigator || {};
    const wanted = Array.isArray(nav.languages) && nav.languages.length ? nav.languages : [nav.language];
    const m = matchLang(wanted);
    if (m) {
      return m;
    }
    if (langs.indexOf(D.lang) >= 0) {
      return D.lang;
    }
    return langs.indexOf('en') >= 0 ? 'en' : langs[0];
  }

  /* ---- looking things up by time ---- */

  /* the last index i with key(list[i]) <= t, or -1 */
  function lastAtOrBefore(list, t, key) {
    let lo = 0;
    let hi = list.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (num(key(list[mid]), 0) <= t + EPS) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }
  function momentAt(t) {
    return lastAtOrBefore(moments, t, function (m) {
      return m.t;
    });
  }
  function outputCount(t) {
    return lastAtOrBefore(output, t, function (o) {
      return o[0];
    }) + 1;
  }
  function clampT(t) {
    return Math.min(endT, Math.max(0, num(t, 0)));
  }
  function validMoment(i) {
    const n = Math.floor(num(i, -1));
    return n >= 0 && n < moments.length ? n : -1;
  }
  /* what is shown now: the moment, the caption, how many log lines */
  function view() {
    if (st.cursor >= 0 && st.cursor < events.length) {
      const ev = events[st.cursor];
      let mi = validMoment(ev[5]);
      if (mi < 0) {
        mi = momentAt(num(ev[0], 0));
      }
      let caption = slot(ev[4]);
      if (!caption && mi >= 0) {
        caption = slot(moments[mi].caption);
      }
      return { mi: mi, caption: caption, logN: st.cursor + 1 };
    }
    const mi = momentAt(st.t);
    if (mi < 0) {
      return { mi: -1, caption: ui('waiting'), logN: 0 };
    }
    const m = moments[mi];
    return {
      mi: mi,
      caption: slot(m.caption),
      logN: Math.min(events.length, Math.max(0, Math.floor(num(m.log, 0))))
    };
  }

  /* ---- DOM helpers ---- */

  function $(id) {
    return document.getElementById(id);
  }
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) {
      e.className = cls;
    }
    if (text !== undefined && text !== null) {
      e.textContent = text;
    }
    return e;
  }
  function svgEl(tag, attrs, parent) {
    const e = document.createElementNS(SVGNS, tag);
    Object.keys(attrs || {}).forEach(function (k) {
      e.setAttribute(k, String(attrs[k]));
    });
    if (parent) {
      parent.appendChild(e);
    }
    return e;
  }
  function clear(e) {
    while (e.firstChild) {
      e.removeChild(e.firstChild);
    }
  }
  function classWord(s) {
    return String(s).toLowerCase().replace(/[^a-z0-9_-]/g, '-');
  }
  const ICONS = {
    play: 'M7 4L20 12L7 20Z',
    pause: 'M6 4h4v16H6zM14 4h4v16h-4z',
    prev: 'M5 4h3v16H5zM20 4L9 12L20 20Z',
    next: 'M16 4h3v16h-3zM4 4L15 12L4 20Z',
    start: 'M3 4h3v16H3zM14 4L6 12L14 20ZM22 4L14 12L22 20Z',
    end: 'M18 4h3v16h-3zM10 4L18 12L10 20ZM2 4L10 12L2 20Z'
  };
  function icon(name) {
    const s = svgEl('svg', { viewBox: '0 0 24 24', 'aria-hidden': 'true', focusable: 'false' });
    svgEl('path', { d: ICONS[name] }, s);
    return s;
  }

  const E = {
    title: $('title'),
    program: $('program'),
    recorded: $('recorded'),
    caption: $('caption'),
    ended: $('ended'),
    bigplay: $('bigplay'),
    treeTitle: $('tree-title'),
    tree: $('tree'),
    queues: $('queues'),
    log: $('log'),
    output: $('output'),
    lifelines: $('lifelines'),
    legend: $('legend'),
    start: $('b-start'),
    prev: $('b-prev'),
    play: $('b-play'),
    next: $('b-next'),
    end: $('b-end'),
    slider: $('slider'),
    time: $('time'),
    speed: $('speed'),
    lang: $('lang'),
    langLabel: $('lang-label'),
    link: $('link')
  };

  /* the hatching of a zombie's band, shared by the lifelines and the legend */
  (function () {
    const defs = svgEl('svg', { width: 0, height: 0, 'aria-hidden': 'true', focusable: 'false' });
    defs.style.position = 'absolute';
    defs.style.width = '0';
    defs.style.height = '0';
    const d = svgEl('defs', {}, defs);
    const p = svgEl('pattern', {
      id: 'fs-hatch', patternUnits: 'userSpaceOnUse', width: 6, height: 6, patternTransform: 'rotate(45)'
    }, d);
    svgEl('rect', { width: 6, height: 6, fill: '#fff' }, p);
    svgEl('line', { x1: 1, y1: 0, x2: 1, y2: 6, class: 'hatch-line' }, p);
    document.body.insertBefore(defs, document.body.firstChild);
  }());

  /* ---- rendering ---- */

  const cache = { mi: null, lang: null, logN: 0, cur: -1, outN: 0, ll: '', play: null };

  function invalidate() {
    cache.mi = null;
    cache.lang = null;
    cache.ll = '';
    cache.play = null;
  }

  function narrow() {
    return window.matchMedia ? window.matchMedia('(max-width: 899.98px)').matches : false;
  }

  function buildTree(mi) {
    const tree = E.tree;
    clear(tree);
    const m = mi >= 0 ? moments[mi] : null;
    E.treeTitle.textContent = m && slot(m.title) ? slot(m.title) : ui('tree');
    arr(m && m.rows).forEach(function (r) {
      if (!Array.isArray(r)) {
        return;
      }
      const look = looks[r[4]];
      const key = look && look.key ? look.key : 'look' + r[4];
      const flags = Math.floor(num(r[5], 0));
      const row = el('div', 'row look-' + classWord(key) +
        (flags & 1 ? ' is-new' : '') + (flags & 2 ? ' dim' : '') + (flags & 4 ? ' root' : ''));
      row.dataset.pid = String(r[1]);
      row.appendChild(el('span', 'prefix', String(r[0] === undefined ? '' : r[0])));
      row.appendChild(el('span', 'pid', String(r[1])));
      row.appendChild(document.createTextNode(' '));
      row.appendChild(el('span', 'name', slot(r[2])));
      row.appendChild(document.createTextNode(' '));
      row.appendChild(el('span', 'state', slot(r[3])));
      const fork = r[6] ? slot(r[6]) : '';
      if (fork) {
        row.appendChild(document.createTextNode(' '));
        row.appendChild(el('span', 'fork', fork));
      }
      if (flags & 1) {
        row.appendChild(document.createTextNode(' '));
        row.appendChild(el('span', 'new', '✚ ' + ui('new')));
      }
      tree.appendChild(row);
    });
    alignTree();
  }

  /* The states in one column, as on the terminal: --col is where they
     start, each name as wide as it takes to get there.  When the names are
     too long for that (or on a phone), a row that wraps goes on under its
     own name instead. */
  function alignTree() {
    const tree = E.tree;
    const names = tree.querySelectorAll('.row > .name');
    tree.style.removeProperty('--col');
    tree.classList.remove('hang');
    for (let i = 0; i < names.length; i++) {
      names[i].style.minWidth = '';
      names[i].parentNode.style.removeProperty('--col');
    }
    if (!names.length) {
      return;
    }
    let right = 0;
    if (!narrow()) {
      const lefts = [];
      for (let i = 0; i < names.length; i++) {
        lefts.push(names[i].offsetLeft);
        right = Math.max(right, names[i].offsetLeft + names[i].offsetWidth);
      }
      if (right <= tree.clientWidth * 0.6) {
        for (let i = 0; i < names.length; i++) {
          names[i].style.minWidth = Math.ceil(right - lefts[i]) + 'px';
        }
        const state = names[0].parentNode.querySelector('.state');
        if (state) {
          tree.style.setProperty('--col', state.offsetLeft + 'px');
        }
        return;
      }
    }
    tree.classList.add('hang');
    const hang = [];
    for (let i = 0; i < names.length; i++) {
      hang.push(names[i].offsetLeft);
    }
    for (let i = 0; i < names.length; i++) {
      names[i].parentNode.style.setProperty('--col', hang[i] + 'px');
    }
  }

  /* Whether a moment before mi showed a queue or a pipe. */
  function hadQueues(mi) {
    for (let i = 0; i < mi && i < moments.length; i++) {
      if (arr(moments[i].queues).length) {
        return true;
      }
    }
    return false;
  }

  function buildQueues(mi) {
    const box = E.queues;
    clear(box);
    const qs = arr(mi >= 0 ? moments[mi].queues : null).filter(Array.isArray);
    if (!qs.length) {
      box.appendChild(el('p', 'empty', ui(hadQueues(mi) ? 'none_now' : 'none')));
      return;
    }
    qs.forEach(function (q) {
      const fill = Math.max(0, Math.floor(num(q[1], 0)));
      const cap = Math.max(0, Math.floor(num(q[2], 0)));
      const level = Math.floor(num(q[5], 0));
      const div = el('div', 'queue level-' + level);
      div.dataset.fill = String(fill);
      div.dataset.capacity = String(cap);
      div.dataset.level = String(level);
      div.appendChild(el('span', 'qname', slot(q[0])));
      const gauge = el('span', 'gauge');
      gauge.setAttribute('role', 'img');
      gauge.setAttribute('aria-label', cap ? fill + '/' + cap : String(fill));
      if (cap > 24) {
        const bar = el('span', 'bar');
        const inner = el('span');
        inner.style.width = (Math.min(1, fill / cap) * 100).toFixed(1) + '%';
        bar.appendChild(inner);
        gauge.appendChild(bar);
      } else {
        const cells = cap ? cap : Math.min(fill, 10);
        for (let i = 0; i < cells; i++) {
          gauge.appendChild(el('span', i < fill ? 'cell on' : 'cell'));
        }
        if (!cap && fill > 10) {
          gauge.appendChild(el('span', 'more', '…'));
        }
      }
      div.appendChild(gauge);
      div.appendChild(el('span', 'qwords', slot(q[3])));
      const holders = slot(q[4]);
      if (holders) {
        div.appendChild(el('span', 'qholders', holders));
      }
      box.appendChild(div);
    });
  }

  function makeEv(k) {
    const e = events[k];
    const li = el('li', 'ev kind-' + classWord(e[1] || 'other'));
    li.dataset.k = String(k);
    li.appendChild(el('span', 'et', num(e[0], 0).toFixed(1)));
    li.appendChild(el('span', 'el', slot(e[2])));
    li.appendChild(el('span', 'es', slot(e[3])));
    const sentence = slot(e[4]);
    if (sentence) {
      li.title = sentence;
    }
    return li;
  }

  function renderLog(logN, rebuild) {
    const log = E.log;
    if (rebuild) {
      clear(log);
      cache.logN = 0;
      cache.cur = -1;
    }
    const changed = logN !== cache.logN;
    while (cache.logN > logN) {
      log.removeChild(log.lastChild);
      cache.logN--;
    }
    if (cache.logN < logN) {
      const frag = document.createDocumentFragment();
      for (let k = cache.logN; k < logN; k++) {
        frag.appendChild(makeEv(k));
      }
      log.appendChild(frag);
      cache.logN = logN;
    }
    const cur = st.cursor >= 0 && st.cursor < logN ? st.cursor : -1;
    if (cur !== cache.cur) {
      const old = log.querySelector('.ev.current');
      if (old) {
        old.classList.remove('current');
        old.removeAttribute('aria-current');
      }
      if (cur >= 0) {
        log.children[cur].classList.add('current');
        log.children[cur].setAttribute('aria-current', 'step');
      }
    }
    if (cur >= 0 && (cur !== cache.cur || changed)) {
      const li = log.children[cur];
      const top = li.offsetTop;
      const bottom = top + li.offsetHeight;
      if (top < log.scrollTop) {
        log.scrollTop = Math.max(0, top - li.offsetHeight);
      } else if (bottom > log.scrollTop + log.clientHeight) {
        log.scrollTop = bottom - log.clientHeight + li.offsetHeight;
      }
    } else if (cur < 0 && changed) {
      log.scrollTop = log.scrollHeight;
    }
    cache.cur = cur;
  }

  function renderOutput(n) {
    const box = E.output;
    if (n === cache.outN) {
      return;
    }
    while (cache.outN > n) {
      box.removeChild(box.lastChild);
      cache.outN--;
    }
    const frag = document.createDocumentFragment();
    for (let i = cache.outN; i < n; i++) {
      const o = output[i];
      const line = el('div', 'line', String(o[2] === undefined || o[2] === null ? '' : o[2]));
      line.dataset.pid = String(o[1]);
      line.title = fmtSeconds(num(o[0], 0), 2) + ' · PID ' + o[1];
      frag.appendChild(line);
    }
    box.appendChild(frag);
    cache.outN = n;
    box.scrollTop = box.scrollHeight;
  }

  /* ---- lifelines ---- */

  const ll = { labelW: 0, plotW: 1, W: 0, H: 0, labels: [], lang: null };
  let measureCtx = null;

  function textWidth(s, px) {
    if (!measureCtx) {
      measureCtx = document.createElement('canvas').getContext('2d');
    }
    if (!measureCtx) {
      return s.length * px * 0.62;
    }
    measureCtx.font = px + 'px ' + MONO;
    return measureCtx.measureText(s).width;
  }
  function bornAt(l) {
    const b = num(l.born, -1);
    if (b >= 0) {
      return b;
    }
    const seg = arr(l.seg);
    return seg.length && Array.isArray(seg[0]) ? Math.max(0, num(seg[0][0], 0)) : 0;
  }
  function layoutLifelines(W) {
    if (ll.lang !== st.lang) {
      ll.labels = lifelines.map(function (l) {
        return String(l.pid) + ' ' + slot(l.label);
      });
      ll.widths = ll.labels.map(function (s) {
        return textWidth(s, 15);
      });
      /* and every name a process of the lifelines takes on the way
       * (nameLifelines()): a worker's "worker 1: task 9" */
      const lined = {};
      lifelines.forEach(function (l) {
        lined[String(l.pid)] = true;
      });
      const seen = {};
      rowTable.forEach(function (r) {
        if (Array.isArray(r) && lined[String(r[1])]) {
          const s = String(r[1]) + ' ' + slot(r[2]);
          if (!seen[s]) {
            seen[s] = true;
            ll.widths.push(textWidth(s, 15));
          }
        }
      });
      ll.lang = st.lang;
    }
    const maxLabel = Math.max(40, Math.min(W * 0.38, Math.max.apply(null, ll.widths.concat([0])) + 14));
    ll.W = W;
    ll.labelW = maxLabel;
    ll.plotW = Math.max(10, W - maxLabel - 22);
    ll.rowH = lifelines.length > 16 ? 19 : 26;
    ll.top = 12;
    ll.axisY = ll.top + lifelines.length * ll.rowH + 4;
    ll.H = ll.axisY + 26;
  }
  function xOf(t) {
    return ll.labelW + (endT > 0 ? t / endT : 0) * ll.plotW;
  }
  function fitLabel(s, w) {
    if (textWidth(s, 15) <= w) {
      return s;
    }
    let cut = s;
    while (cut.length > 1 && textWidth(cut + '…', 15) > w) {
      cut = cut.slice(0, -1);
    }
    return cut + '…';
  }
  function tickStep() {
    const steps = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600];
    const most = Math.max(2, Math.floor(ll.plotW / 70));
    for (let i = 0; i < steps.length; i++) {
      if (endT / steps[i] <= most) {
        return steps[i];
      }
    }
    return Math.ceil(endT / most);
  }

  function drawSegment(g, state, a, b, y) {
    const x1 = xOf(a);
    const x2 = xOf(b);
    if (state === 'Z') {
      svgEl('rect', { class: 'seg seg-Z', x: x1, y: y - 7, width: Math.max(1, x2 - x1), height: 14 }, g);
      return;
    }
    const cls = /^[RSDT]$/.test(state) ? state : 'S';
    svgEl('line', { class: 'seg seg-' + cls, x1: x1, y1: y, x2: x2, y2: y }, g);
  }

  /* The whole run is drawn once (for a width and a language); then each
     render only moves the clip and the cursor, and puts in the lines of
     the processes born by then. */
  function buildLifelines(W) {
    layoutLifelines(W);
    const s = svgEl('svg', {
      viewBox: '0 0 ' + W + ' ' + ll.H, width: W, height: ll.H, role: 'img',
      'aria-label': ui('lifelines')
    });
    const clip = svgEl('clipPath', { id: 'fs-clip' }, svgEl('defs', {}, s));
    ll.clip = svgEl('rect', { x: 0, y: 0, width: 0, height: ll.H }, clip);
    const yOf = function (i) {
      return ll.top + i * ll.rowH + ll.rowH / 2;
    };
    const index = {};
    ll.labelOf = {};
    ll.named = null;
    lifelines.forEach(function (l, i) {
      index[String(l.pid)] = i;
    });
    ll.lanes = lifelines.map(function (l, i) {
      const start = bornAt(l);
      const y = yOf(i);
      const g = svgEl('g', { class: 'lifeline', 'data-pid': String(l.pid) });
      const label = svgEl('text', { x: ll.labelW - 10, y: y + 5, 'text-anchor': 'end' }, g);
      label.textContent = fitLabel(ll.labels[i], ll.labelW - 14);
      svgEl('title', {}, label).textContent = ll.labels[i];
      ll.labelOf[String(l.pid)] = label;
      const pi = index[String(l.parent)];
      if (num(l.born, -1) >= 0 && pi !== undefined && bornAt(lifelines[pi]) <= start) {
        const x = xOf(start);
        svgEl('line', { class: 'forklink', x1: x, y1: yOf(pi), x2: x, y2: y }, g);
        svgEl('circle', { class: 'forkdot', cx: x, cy: yOf(pi), r: 3.5 }, g);
      }
      const segs = svgEl('g', { 'clip-path': 'url(#fs-clip)' }, g);
      const seg = arr(l.seg).filter(Array.isArray);
      let gone = -1;
      for (let j = 0; j < seg.length; j++) {
        const a0 = Math.max(num(seg[j][0], 0), start);
        const state = String(seg[j][1]);
        if (state === 'X') {
          gone = a0;
          break;
        }
        const b0 = Math.min(j + 1 < seg.length ? num(seg[j + 1][0], endT) : endT, endT);
        if (b0 > a0) {
          drawSegment(segs, state, a0, b0, y);
        }
      }
      if (gone < 0 && num(l.reaped, -1) >= 0) {
        gone = num(l.reaped, -1);
      }
      let tomb = null;
      if (gone >= 0) {
        tomb = svgEl('text', { class: 'tomb', x: xOf(gone) + 1, y: y + 5 }, g);
        tomb.textContent = '✝';
      }
      return { g: g, born: start, tomb: tomb, gone: gone, on: false };
    });
    ll.box = svgEl('g', { class: 'lanes' }, s);
    /* the axis, in seconds */
    const axis = svgEl('g', { class: 'axis' }, s);
    svgEl('line', { x1: ll.labelW, y1: ll.axisY, x2: ll.labelW + ll.plotW, y2: ll.axisY }, axis);
    const step = tickStep();
    for (let v = 0; v <= endT + EPS; v += step) {
      const x = xOf(v);
      svgEl('line', { x1: x, y1: ll.axisY, x2: x, y2: ll.axisY + 5 }, axis);
      const tx = svgEl('text', { x: x, y: ll.axisY + 19, 'text-anchor': 'middle' }, axis);
      tx.textContent = fmtSeconds(v, step < 1 ? 1 : 0);
    }
    /* the time cursor */
    ll.cursor = svgEl('line', { class: 'cursor', y1: ll.top - 6, y2: ll.axisY + 3 }, s);
    ll.head = svgEl('path', { class: 'cursor-head' }, s);
    clear(E.lifelines);
    E.lifelines.appendChild(s);
  }

  function drawLifelines() {
    const W = Math.max(280, Math.floor(E.lifelines.clientWidth || 600));
    const key = W + '|' + st.lang;
    if (key !== cache.ll) {
      buildLifelines(W);
      cache.ll = key;
    }
    const T = st.t;
    const cx = xOf(T);
    ll.clip.setAttribute('width', Math.max(0, cx));
    ll.cursor.setAttribute('x1', cx);
    ll.cursor.setAttribute('x2', cx);
    ll.head.setAttribute('d', 'M' + (cx - 6) + ' 0h12l-6 7z');
    ll.lanes.forEach(function (lane) {
      const on = lane.born <= T + EPS;
      if (on !== lane.on) {
        if (on) {
          ll.box.appendChild(lane.g);
        } else {
          ll.box.removeChild(lane.g);
        }
        lane.on = on;
      }
      if (lane.tomb) {
        lane.tomb.style.display = lane.gone <= T + EPS ? '' : 'none';
      }
    });
  }

  function timeAtX(clientX) {
    const svg = E.lifelines.querySelector('svg');
    if (!svg) {
      return null;
    }
    const rect = svg.getBoundingClientRect();
    if (!rect.width) {
      return null;
    }
    const x = (clientX - rect.left) * ll.W / rect.width;
    return clampT((x - ll.labelW) / ll.plotW * endT);
  }

  /* ---- the legend ---- */

  function sample(seg) {
    const s = svgEl('svg', { width: 44, height: 16, viewBox: '0 0 44 16', 'aria-hidden': 'true', focusable: 'false' });
    if (seg === 'X') {
      svgEl('line', { class: 'seg seg-S', x1: 2, y1: 8, x2: 26, y2: 8 }, s);
      svgEl('text', { class: 'tomb', x: 28, y: 13, 'font-size': 15 }, s).textContent = '✝';
    } else if (seg === 'Z') {
      svgEl('rect', { class: 'seg seg-Z', x: 2, y: 2, width: 40, height: 12 }, s);
    } else {
      svgEl('line', { class: 'seg seg-' + seg, x1: 2, y1: 8, x2: 42, y2: 8 }, s);
    }
    return s;
  }
  function buildLegend() {
    const box = E.legend;
    clear(box);
    looks.forEach(function (lk) {
      if (!lk || typeof lk !== 'object') {
        return;
      }
      const item = el('div', 'lg look-' + classWord(lk.key || ''));
      const seg = LOOK_SEG[lk.key];
      if (seg) {
        item.appendChild(sample(seg));
      } else {
        item.appendChild(svgEl('svg', { width: 44, height: 16, 'aria-hidden': 'true', focusable: 'false' }));
      }
      item.appendChild(el('span', 'sym', String(lk.symbol || '')));
      item.appendChild(el('span', 'word', slot(lk.word)));
      const meaning = slot(lk.meaning);
      if (meaning) {
        item.appendChild(el('span', 'meaning', meaning));
      }
      box.appendChild(item);
    });
  }

  /* ---- words of the page ---- */

  function applyWords() {
    const marked = document.querySelectorAll('[data-ui]');
    for (let i = 0; i < marked.length; i++) {
      marked[i].textContent = ui(marked[i].dataset.ui);
    }
    /* a flood of output: the page keeps its first lines and says so */
    const cut = num(D.output_cut, 0);
    const note = document.getElementById('output-cut');
    if (note && cut > 0) {
      note.textContent = ui('output_cut').replace('%d', String(cut));
      note.hidden = false;
    }
    [['start', E.start], ['prev', E.prev], ['next', E.next], ['end', E.end]].forEach(function (p) {
      clear(p[1]);
      p[1].appendChild(icon(p[0]));
      p[1].title = ui(p[0]);
      p[1].setAttribute('aria-label', ui(p[0]));
    });
    clear(E.bigplay);
    E.bigplay.appendChild(icon('play'));
    E.bigplay.appendChild(document.createTextNode(' ' + ui('play')));
    E.slider.setAttribute('aria-label', ui('time'));
    E.speed.setAttribute('aria-label', ui('speed'));
    E.lang.setAttribute('aria-label', ui('language'));
    E.ended.textContent = ui('ended');
    const started = num(D.started, 0);
    E.recorded.textContent = '';
    if (started > 0) {
      const date = new Date(started * 1000);
      let when;
      try {
        when = date.toLocaleString(langTag(st.lang), { dateStyle: 'medium', timeStyle: 'short' });
      } catch (err) {
        when = date.toISOString().slice(0, 16).replace('T', ' ');
      }
      E.recorded.textContent = '· ' + ui('recorded').replace('%s', when);
    }
    buildLegend();
  }

  function setLang(l) {
    st.lang = l;
    root.lang = langTag(l);
    document.body.dataset.lang = l;
    if (E.lang.value !== l) {
      E.lang.value = l;
    }
    applyWords();
    invalidate();
  }

  /* ---- render ---- */

  /* A lifeline is labelled with the name its process has at the moment
   * (a worker's task of then, not its last), while the tree shows it. */
  function nameLifelines(mi) {
    const m = mi >= 0 ? moments[mi] : null;
    if (!ll.labelOf || ll.named === m) {
      return;
    }
    ll.named = m;
    const names = {};
    arr(m && m.rows).forEach(function (r) {
      if (Array.isArray(r)) {
        names[String(r[1])] = String(r[1]) + ' ' + slot(r[2]);
      }
    });
    lifelines.forEach(function (l, i) {
      const label = ll.labelOf[String(l.pid)];
      const text = names[String(l.pid)] || ll.labels[i];
      if (label && label.firstChild && label.firstChild.nodeValue !== fitLabel(text, ll.labelW - 14)) {
        label.firstChild.nodeValue = fitLabel(text, ll.labelW - 14);
      }
    });
  }

  /* A link that opens this very moment: the event a step is at, the end,
   * or the time to the thousandth (as the data's). */
  function momentLink() {
    if (st.cursor >= 0) {
      return '#e=' + st.cursor;
    }
    if (st.t >= endT - EPS && endT > 0) {
      return '#t=end';
    }
    return '#t=' + String(Number(st.t.toFixed(3)));
  }

  function render() {
    const v = view();
    const body = document.body;
    const langChanged = cache.lang !== st.lang;
    body.dataset.t = st.t.toFixed(3);
    body.dataset.playing = st.playing ? '1' : '0';
    if (E.caption.textContent !== v.caption) {
      E.caption.textContent = v.caption;
    }
    if (v.mi !== cache.mi || langChanged) {
      buildTree(v.mi);
      buildQueues(v.mi);
      cache.mi = v.mi;
    }
    renderLog(v.logN, langChanged);
    renderOutput(outputCount(st.t));
    cache.lang = st.lang;
    drawLifelines();
    nameLifelines(v.mi);
    const atEnd = st.t >= endT - EPS && endT > 0;
    /* (at the end the caption says so itself, unless a step shows an
     * event's own sentence there) */
    E.ended.hidden = !atEnd || st.cursor < 0;
    E.bigplay.hidden = st.started || st.playing;
    const sv = st.t.toFixed(2);
    if (E.slider.value !== sv) {
      E.slider.value = sv;
    }
    E.time.textContent = fmtSeconds(st.t) + ' / ' + fmtSeconds(endT);
    E.link.setAttribute('href', momentLink());
    if (cache.play !== st.playing) {
      clear(E.play);
      E.play.appendChild(icon(st.playing ? 'pause' : 'play'));
      E.play.appendChild(el('span', 'label', ui(st.playing ? 'pause' : 'play')));
      E.play.setAttribute('aria-pressed', st.playing ? 'true' : 'false');
      cache.play = st.playing;
    }
    const atStart = st.t <= EPS && st.cursor < 0;
    E.prev.disabled = atStart;
    E.start.disabled = atStart;
    E.next.disabled = atEnd && st.cursor < 0;
    E.end.disabled = atEnd && st.cursor < 0;
    body.dataset.ready = '1';
  }

  /* ---- playing, seeking, stepping ---- */

  let timer = 0;
  let lastTick = 0;
  function now() {
    return window.performance && performance.now ? performance.now() : Date.now();
  }
  function schedule() {
    if (!timer) {
      timer = setTimeout(tick, 50);
    }
  }
  function tick() {
    timer = 0;
    if (!st.playing) {
      return;
    }
    const n = now();
    /* at most a quarter second a tick: a hidden tab or a machine back from
       sleep goes on from where it was, not at the end */
    const dt = Math.min(0.25, Math.max(0, (n - lastTick) / 1000));
    lastTick = n;
    st.t = Math.min(endT, st.t + dt * st.speed);
    if (st.t >= endT) {
      st.playing = false;
    }
    render();
    if (st.playing) {
      schedule();
    }
  }
  function play() {
    if (st.t >= endT - EPS) {
      st.t = 0;
    }
    st.cursor = -1;
    st.started = true;
    st.playing = endT > 0;
    lastTick = now();
    if (st.playing) {
      schedule();
    }
    render();
  }
  function pause() {
    st.playing = false;
    if (timer) {
      clearTimeout(timer);
      timer = 0;
    }
  }
  function toggle() {
    if (st.playing) {
      pause();
      render();
    } else {
      play();
    }
  }
  function seekTo(t) {
    st.cursor = -1;
    st.t = clampT(t);
    st.started = true;
    lastTick = now();
    if (st.t >= endT) {
      pause();
    }
    render();
  }
  function stepTo(k) {
    pause();
    st.cursor = k;
    st.t = clampT(events[k][0]);
    st.started = true;
    render();
  }
  function stepNext() {
    pause();
    const k = st.cursor >= 0 ? st.cursor + 1 : view().logN;
    if (k < events.length) {
      stepTo(k);
    } else {
      seekTo(endT);
    }
  }
  function stepPrev() {
    pause();
    let k;
    if (st.cursor >= 0) {
      k = st.cursor - 1;
    } else {
      /* the last event shown, as a player's previous chapter: the one
         before it when the time is already that event's */
      k = view().logN - 1;
      if (k >= 0 && num(events[k][0], 0) >= st.t - 0.05) {
        k--;
      }
    }
    if (k >= 0) {
      stepTo(k);
    } else {
      seekTo(0);
    }
  }

  /* ---- the URL's #t=…&play&lang=… ---- */

  function parseHash() {
    const out = { t: null, e: null, play: false, lang: null };
    String(window.location.hash || '').replace(/^#/, '').split('&').forEach(function (part) {
      const eq = part.indexOf('=');
      const k = eq < 0 ? part : part.slice(0, eq);
      let v = eq < 0 ? '' : part.slice(eq + 1);
      try {
        v = decodeURIComponent(v);
      } catch (err) {
        return;
      }
      if (k === 't') {
        if (v === 'end') {
          out.t = endT;
        } else if (v === 'start') {
          out.t = 0;
        } else {
          /* "7,5" and "7.5s" as people write them */
          const x = v.replace(',', '.').replace(/s$/i, '');
          if (x !== '' && isFinite(Number(x))) {
            out.t = clampT(Number(x));
          }
        }
      } else if (k === 'e') {
        const e = Math.floor(Number(v));
        if (v !== '' && e >= 0 && e < events.length) {
          out.e = e;
        }
      } else if (k === 'play') {
        out.play = true;
      } else if (k === 'lang' && v) {
        out.lang = v;
      }
    });
    return out;
  }
  function applyHash() {
    const h = parseHash();
    if (h.lang) {
      const l = langs.indexOf(h.lang) >= 0 ? h.lang : matchLang([h.lang]);
      if (l && l !== st.lang) {
        setLang(l);
      }
    }
    if (h.e !== null) {
      stepTo(h.e);
    } else if (h.t !== null) {
      pause();
      st.cursor = -1;
      st.t = h.t;
      st.started = true;
    }
    if (h.play) {
      play();
    } else {
      render();
    }
  }

  /* ---- wiring ---- */

  E.title.textContent = String(D.title === undefined || D.title === null ? '' : D.title);
  E.program.textContent = String(D.program || 'forkscope');
  langs.forEach(function (l) {
    const o = el('option', null, langName(l));
    o.value = l;
    E.lang.appendChild(o);
  });
  E.langLabel.hidden = langs.length < 2;
  E.slider.max = String(endT);

  E.play.addEventListener('click', toggle);
  E.bigplay.addEventListener('click', function () {
    play();
    E.play.focus();
  });
  E.prev.addEventListener('click', stepPrev);
  E.next.addEventListener('click', stepNext);
  E.start.addEventListener('click', function () {
    pause();
    seekTo(0);
  });
  E.end.addEventListener('click', function () {
    pause();
    seekTo(endT);
  });
  E.slider.addEventListener('input', function () {
    seekTo(Number(E.slider.value));
  });
  /* a menu gives the keys back once chosen: → steps, not the speed */
  E.speed.addEventListener('change', function () {
    st.speed = num(E.speed.value, 1) || 1;
    E.speed.blur();
  });
  E.lang.addEventListener('change', function () {
    if (langs.indexOf(E.lang.value) >= 0) {
      setLang(E.lang.value);
      render();
    }
    E.lang.blur();
  });
  E.log.addEventListener('click', function (e) {
    const li = e.target && e.target.closest ? e.target.closest('.ev') : null;
    if (li) {
      stepTo(Number(li.dataset.k));
    }
  });

  /* the link changes the URL to this moment without moving away from it */
  let ownHash = null;
  E.link.addEventListener('click', function () {
    ownHash = E.link.getAttribute('href');
  });
  window.addEventListener('hashchange', function () {
    if (ownHash !== null && window.location.hash === ownHash) {
      ownHash = null;
      return;
    }
    ownHash = null;
    applyHash();
  });

  let dragging = false;
  E.lifelines.addEventListener('pointerdown', function (e) {
    if (e.button !== undefined && e.button !== 0) {
      return;
    }
    const t = timeAtX(e.clientX);
    if (t === null) {
      return;
    }
    dragging = true;
    if (E.lifelines.setPointerCapture && e.pointerId !== undefined) {
      try {
        E.lifelines.setPointerCapture(e.pointerId);
      } catch (err) {
        /* a synthetic event has no pointer to capture */
      }
    }
    seekTo(t);
  });
  E.lifelines.addEventListener('pointermove', function (e) {
    if (dragging) {
      const t = timeAtX(e.clientX);
      if (t !== null) {
        seekTo(t);
      }
    }
  });
  ['pointerup', 'pointercancel'].forEach(function (type) {
    E.lifelines.addEventListener(type, function () {
      dragging = false;
    });
  });
  E.lifelines.addEventListener('click', function (e) {
    /* for a click without pointer events (old browsers, synthetic clicks) */
    if (!window.PointerEvent) {
      const t = timeAtX(e.clientX);
      if (t !== null) {
        seekTo(t);
      }
    }
  });

  function keyTarget(e) {
    const tg = e.target;
    const tag = tg && tg.tagName ? tg.tagName.toUpperCase() : '';
    if (tag === 'SELECT' || tag === 'TEXTAREA' || (tg && tg.isContentEditable)) {
      return false;
    }
    return !(tag === 'INPUT' && String(tg.type).toLowerCase() !== 'range');
  }
  function isSpace(e) {
    return e.key === ' ' || e.key === 'Spacebar';
  }
  document.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || !keyTarget(e)) {
      return;
    }
    let handled = true;
    if (isSpace(e)) {
      if (!e.repeat) {
        toggle();
      }
    } else if (e.key === 'ArrowLeft' || e.key === 'Left') {
      stepPrev();
    } else if (e.key === 'ArrowRight' || e.key === 'Right') {
      stepNext();
    } else if (e.key === '[') {
      seekTo(st.t - 1);
    } else if (e.key === ']') {
      seekTo(st.t + 1);
    } else if (e.key === 'Home') {
      pause();
      seekTo(0);
    } else if (e.key === 'End') {
      pause();
      seekTo(endT);
    } else {
      handled = false;
    }
    if (handled) {
      e.preventDefault();
    }
  });
  /* a focused button must not also "click" on the space that toggled */
  document.addEventListener('keyup', function (e) {
    if (isSpace(e) && !e.ctrlKey && !e.metaKey && !e.altKey && keyTarget(e)) {
      e.preventDefault();
    }
  });

  let resizeTimer = 0;
  window.addEventListener('resize', function () {
    if (!resizeTimer) {
      resizeTimer = setTimeout(function () {
        resizeTimer = 0;
        cache.ll = '';
        alignTree();
        render();
      }, 100);
    }
  });
  if (document.fonts && document.fonts.ready) {
    document.fonts.ready.then(function () {
      ll.lang = null;
      cache.ll = '';
      alignTree();
      render();
    });
  }

  /* ---- start ---- */

  const first = parseHash();
  let lang0 = null;
  if (first.lang) {
    lang0 = langs.indexOf(first.lang) >= 0 ? first.lang : matchLang([first.lang]);
  }
  setLang(lang0 || defaultLang());
  applyHash();
}());
