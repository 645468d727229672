// acp-workbook facilitator wall: one table's answers beside the wall, tiles that follow
// saves one at a time, a filter by state, "N min ago", and the session's end.
//
// The page works without this script: tiles are links to a table's own page, the
// filter buttons are links with ?show=, times are shown as HH:MM. live.js owns the
// stream; it hands this script the staff `saved` event and the `ended` event as DOM
// events (`acp:saved`, `acp:ended`) on document. HTML inserted here is only what the
// server rendered (and escaped) for this facilitator link.
(() => {
  'use strict';
  const body = document.body;
  const area = document.querySelector('.wall-area');
  const panel = document.querySelector('[data-table-detail]');
  if (!area || !panel || !window.fetch) return;
  const base = (body.dataset.events || '').replace(/\/events$/, '');
  if (!base) return;
  const en = body.dataset.lang === 'en';
  let openTable = null;

  // ---------- "N min ago" next to each tile's last save ----------
  const hm = (ms) => {
    const d = new Date(ms);
    return String(d.getHours()).padStart(2, '0') + ':' + String(d.getMinutes()).padStart(2, '0');
  };
  function ago(ms) {
    const min = Math.floor((Date.now() - ms) / 60000);
    if (min < 1) return en ? 'Saved now' : '保存 今';
    if (min < 60) return en ? 'Saved ' + min + ' min ago' : '保存 ' + min + '分前';
    return en ? 'Saved ' + hm(ms) : '保存 ' + hm(ms);
  }
  function relativeTimes() {
    for (const el of document.querySelectorAll('[data-last-save][data-at]')) {
      const at = Number(el.dataset.at);
      if (!at) continue;
      const text = ago(at);
      if (el.textContent !== text) el.textContent = text;
      el.title = hm(at);
    }
  }

  // ---------- counts per state, and the filter ----------
  function recount() {
    const tiles = [...document.querySelectorAll('[data-wall] [data-tile]')];
    for (const c of document.querySelectorAll('[data-count]')) {
      const s = c.dataset.count;
      const n = s === 'all' ? tiles.length : tiles.filter((t) => t.dataset.state === s).length;
      if (c.textContent !== String(n)) c.textContent = String(n);
    }
    const show = area.dataset.show || 'all';
    for (const f of document.querySelectorAll('[data-wall-filter]')) {
      if (f.dataset.wallFilter === show) f.setAttribute('aria-current', 'true');
      else f.removeAttribute('aria-current');
    }
    for (const t of tiles) {
      if (t.dataset.tile === openTable) t.setAttribute('aria-current', 'true');
      else t.removeAttribute('aria-current');
    }
  }

  // ---------- one table's answers in the panel ----------
  async function openDetail(number, focus) {
    let html;
    try {
      const res = await fetch(base + '/tables/' + encodeURIComponent(number) + '?fragment=1', { cache: 'no-store' });
      if (!res.ok) return false;
      html = await res.text();
    } catch (_) {
      return false;
    }
    openTable = String(number);
    panel.innerHTML = html; // rendered and escaped by the server
    panel.hidden = false;
    area.classList.add('has-detail');
    const close = panel.querySelector('[data-detail-close]');
    if (close) close.hidden = false;
    if (focus) {
      const h = panel.querySelector('h2');
      if (h) { h.tabIndex = -1; h.focus(); }
    }
    recount();
    return true;
  }
  function closeDetail() {
    const was = openTable;
    openTable = null;
    panel.hidden = true;
    panel.textContent = '';
    area.classList.remove('has-detail');
    recount();
    const tile = was && document.querySelector('[data-tile="' + was + '"]');
    if (tile) tile.focus();
  }

  document.addEventListener('click', (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    const filter = e.target.closest('[data-wall-filter]');
    if (filter) {
      e.preventDefault();
      area.dataset.show = filter.dataset.wallFilter;
      recount();
      return;
    }
    if (e.target.closest('[data-detail-close]')) { e.preventDefault(); closeDetail(); return; }
    const tile = e.target.closest('[data-wall] [data-tile]');
    if (tile) {
      e.preventDefault();
      if (openTable === tile.dataset.tile) closeDetail();
      else openDetail(tile.dataset.tile, true).then((ok) => { if (!ok) location.href = tile.href; });
    }
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && openTable) closeDetail();
  });

  // ---------- live: after a save, redraw that one tile (and the open panel) ----------
  const pending = new Map(); // table number -> { timer, redraw }: a burst of saves fetches once
  async function refreshTile(number) {
    let html;
    try {
      const res = await fetch(base + '/tiles/' + encodeURIComponent(number), { cache: 'no-store' });
      if (!res.ok) return;
      html = await res.text();
    } catch (_) {
      return; // keep what is on screen
    }
    const old = document.querySelector('[data-wall] [data-tile="' + number + '"]');
    if (!old) return;
    const holder = document.createElement('div');
    holder.innerHTML = html.trim(); // rendered and escaped by the server
    const fresh = holder.querySelector('[data-tile]');
    if (!fresh) return;
    const hadFocus = old === document.activeElement;
    old.replaceWith(fresh);
    if (hadFocus) fresh.focus();
    relativeTimes();
    recount();
  }
  // Whether a save can change what the tile shows beyond its save time: a new answer to
  // a prompt whose tick is empty or flagged, an answer emptied, a tile that is not
  // simply working (idle, behind, absent…) or a prompt the tile has no tick for. A table
  // typing on in an answer it already has changes nothing but the time, and that is
  // most saves: those cost the server no redraw of the wall.
  function changesTile(tile, d) {
    if (!tile || !d.has_text) return true;
    const state = tile.dataset.state;
    if (state !== 'working' && state !== 'done') return true;
    const key = String(d.key || '');
    const tick = Array.from(tile.querySelectorAll('[data-tick]')).find((k) => k.dataset.tick === key);
    return !tick || !tick.classList.contains('on') || tick.classList.contains('stale');
  }
  document.addEventListener('acp:saved', (e) => {
    const d = e.detail || {};
    const n = String(d.table || '');
    if (!/^\d+$/.test(n)) return;
    // Show the save time at once; the tile's ticks and state follow from the server.
    const tile = document.querySelector('[data-wall] [data-tile="' + n + '"]');
    const save = tile && tile.querySelector('[data-last-save]');
    if (save && d.saved_at) { save.dataset.at = d.saved_at; relativeTimes(); }
    // A burst of saves fetches once, 150 ms after the last; a redraw asked for by any
    // save of the burst is kept.
    const before = pending.get(n);
    const redraw = changesTile(tile, d) || Boolean(before && before.redraw);
    if (before) clearTimeout(before.timer);
    if (!redraw && openTable !== n) { pending.delete(n); return; }
    pending.set(n, {
      redraw,
      timer: setTimeout(() => {
        pending.delete(n);
        if (redraw) refreshTile(n);
        if (openTable === n) openDetail(n, false);
      }, 150),
    });
  });

  // ---------- the session ended: a calm banner; the wall stays as it is ----------
  document.addEventListener('acp:ended', () => {
    const banner = document.querySelector('[data-wall-ended]');
    if (banner) banner.hidden = false;
    const status = document.querySelector('[data-live-status]');
    if (status) status.hidden = true;
  });

  // live.js redraws the wall's region after step, timer and pace events: keep the marks.
  const redrawn = () => {
    for (const el of document.querySelectorAll('[data-no-script]')) el.hidden = true;
    relativeTimes();
    recount();
  };
  const watch = new MutationObserver(redrawn);
  watch.observe(area, { childList: true });
  if (area.parentNode) watch.observe(area.parentNode, { childList: true });
  relativeTimes();
  recount();
  setInterval(relativeTimes, 15000);
})();
