// acp-workbook live screens: follow the session, count timers down, autosave answers.
//
// Every page works without this script. With it:
// - table screens, the facilitator view and the projector follow the session through a
//   Server-Sent Events stream and reconnect by themselves after a drop or a server restart;
// - what a table types is kept in this device's storage until the server confirms it,
//   sent automatically (debounced), and sent again when the connection returns;
// - a save based on an older version is shown side by side with the saved one to merge.
// No text from the server or from answers is ever inserted as HTML, except the answer
// cells the server renders (and escapes) for the facilitator view.
(() => {
  'use strict';
  const body = document.body;
  const role = body.dataset.role;
  if (!role || !window.EventSource || !window.fetch) return;

  const T = {
    ja: {
      offline: '接続が切れています。入力はこの端末に保存されています。つながると自動で送ります。',
      reconnected: '再接続しました。',
      pending: '未送信の入力があります（この端末に保存済み）。',
      saving: '保存中…',
      unsaved: '入力中（自動で保存します）',
      notSent: '未送信：接続が戻ったら自動で送ります',
      restored: 'この端末に残っていた入力を戻しました。送信します…',
      conflictTitle: '別の端末が先に保存しました',
      conflictLead: '同じテーブルの別の端末が、この問いに新しい内容を保存しています。どちらも失われていません。',
      mine: 'この端末の入力',
      mergeText: '二つをまとめて編集する',
      keepMine: 'この端末の内容で保存する',
      takeTheirs: '保存されている内容にする',
      slowDown: '保存が続いたため少し待っています…',
      timer: { ready: '開始前', running: '進行中', paused: '一時停止', ended: '時間です' },
      locked: '締め切り',
    },
    en: {
      offline: 'Connection lost. What you type is kept on this device and sent when the connection returns.',
      reconnected: 'Reconnected.',
      pending: 'Some input has not been sent yet (kept on this device).',
      saving: 'Saving…',
      unsaved: 'Typing (saves automatically)',
      notSent: 'Not sent: will be sent when the connection returns',
      restored: 'Restored input kept on this device. Sending…',
      conflictTitle: 'Another device saved first',
      conflictLead: 'Another device of this table saved a newer answer to this question. Nothing is lost.',
      mine: 'What this device has',
      mergeText: 'Edit both together',
      keepMine: 'Save this device\'s answer',
      takeTheirs: 'Use the saved answer',
      slowDown: 'Many saves in a row; waiting a moment…',
      timer: { ready: 'Not started', running: 'Running', paused: 'Paused', ended: 'Time is up' },
      locked: 'Closed for answers',
    },
  }[body.dataset.lang === 'en' ? 'en' : 'ja'];

  for (const el of document.querySelectorAll('[data-no-script]')) el.hidden = true;

  // ---------- status line ----------
  const statusBox = () => document.querySelector('[data-live-status]');
  let statusTimer = 0;
  function showStatus(text, kind, ms) {
    const box = statusBox();
    if (!box) return;
    clearTimeout(statusTimer);
    box.textContent = text;
    box.className = 'live-status ' + (kind || '');
    box.hidden = false;
    if (ms) statusTimer = setTimeout(() => { box.hidden = true; }, ms);
  }
  function hideStatus() { const box = statusBox(); if (box) box.hidden = true; }

  const hm = (ms) => {
    const d = new Date(ms);
    return String(d.getHours()).padStart(2, '0') + ':' + String(d.getMinutes()).padStart(2, '0');
  };

  // ---------- timers: the server's remaining time, counted on this device's monotonic clock ----------
  function armTimers() {
    for (const el of document.querySelectorAll('.timer')) {
      if (el._deadline === undefined) {
        el._deadline = performance.now() + Number(el.dataset.remaining || 0);
      }
    }
  }
  function applyClock(clock) {
    if (!clock) return;
    for (const el of document.querySelectorAll('.timer')) {
      el._deadline = performance.now() + clock.remaining_ms;
      el.dataset.remaining = clock.remaining_ms;
      el.dataset.state = clock.state;
      el.dataset.locked = String(clock.locked);
      el.className = 'timer state-' + clock.state + (clock.locked ? ' locked' : '');
      const state = el.querySelector('.timer-state');
      if (state) state.textContent = T.timer[clock.state] + (clock.locked ? ' · ' + T.locked : '');
    }
    tick();
  }
  function tick() {
    for (const el of document.querySelectorAll('.timer')) {
      const running = el.dataset.state === 'running';
      const left = running ? Math.max(0, el._deadline - performance.now()) : Number(el.dataset.remaining || 0);
      const seconds = Math.ceil(left / 1000);
      const text = Math.floor(seconds / 60) + ':' + String(seconds % 60).padStart(2, '0');
      const out = el.querySelector('.timer-time');
      if (out && out.textContent !== text) out.textContent = text;
      el.classList.toggle('last-minute', running && left > 0 && left <= 60000);
    }
  }
  armTimers();
  setInterval(tick, 250);

  // ---------- region refresh (facilitator, projector): fetch the page, swap marked parts ----------
  let swapTimer = 0;
  function swapRegionsSoon(delay) {
    clearTimeout(swapTimer);
    swapTimer = setTimeout(() => { swapTimer = 0; swapRegions(); }, delay === undefined ? 300 : delay);
  }
  // For a stream of events (a room answering the survey): refresh at most every `delay`
  // ms while they keep coming, rather than only after they stop.
  function swapRegionsAtMost(delay) {
    if (!swapTimer) swapTimer = setTimeout(() => { swapTimer = 0; swapRegions(); }, delay);
  }
  async function swapRegions() {
    let html;
    try {
      const res = await fetch(location.href, { headers: { Accept: 'text/html' }, cache: 'no-store' });
      if (!res.ok) return;
      html = await res.text();
    } catch (_) {
      return; // keep what is on screen: never a blank projector
    }
    const doc = new DOMParser().parseFromString(html, 'text/html');
    const newStep = doc.body.dataset.step;
    for (const fresh of doc.querySelectorAll('[data-region][id]')) {
      const old = document.getElementById(fresh.id);
      if (!old) continue;
      // Leave alone a part the facilitator is using right now.
      if (old.contains(document.activeElement) && document.activeElement !== document.body) continue;
      if (old.querySelector('form[data-dirty]')) continue;
      const open = [...old.querySelectorAll('details')].map((d) => d.open);
      const replacement = document.importNode(fresh, true);
      [...replacement.querySelectorAll('details')].forEach((d, i) => { if (i < open.length) d.open = open[i]; });
      old.replaceWith(replacement);
    }
    if (newStep !== undefined) body.dataset.step = newStep;
    armTimers();
    tick();
    watchSpotlightForms();
  }
  function watchSpotlightForms() {
    for (const form of document.querySelectorAll('form')) {
      if (form._watched) continue;
      form._watched = true;
      form.addEventListener('change', () => { form.dataset.dirty = '1'; });
    }
  }
  watchSpotlightForms();

  // ---------- table screens: drafts, autosave, conflicts ----------
  const token = body.dataset.table;
  const forms = role === 'table' ? [...document.querySelectorAll('form.answer-form')] : [];
  const draftKey = (form) => 'acp-draft:' + token + ':' + form.dataset.key;
  const fieldsOf = (form) => [...new FormData(form).entries()].filter(([k]) => k !== 'base' && k !== 'prompt');
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  const lineOf = (form) => form.querySelector('[data-saved-line]');
  function setLine(form, text, kind) {
    const line = lineOf(form);
    if (!line) return;
    line.textContent = text;
    line.className = 'saved ' + (kind || '');
  }
  function readDraft(form) {
    try { return JSON.parse(localStorage.getItem(draftKey(form)) || 'null'); } catch (_) { return null; }
  }
  function writeDraft(form) {
    try {
      localStorage.setItem(draftKey(form), JSON.stringify({ fields: fieldsOf(form), base: form.elements.base.value, at: Date.now() }));
    } catch (_) { /* storage full or disabled: the server copy is all we have */ }
  }
  function dropDraft(form, sent) {
    const draft = readDraft(form);
    if (draft && same(draft.fields, sent)) localStorage.removeItem(draftKey(form));
  }
  function applyFields(form, fields) {
    const byName = new Map();
    for (const [k, v] of fields) { if (!byName.has(k)) byName.set(k, []); byName.get(k).push(v); }
    const used = new Map();
    for (const el of form.elements) {
      if (!el.name || el.type === 'hidden' || el.name === 'base' || el.name === 'prompt') continue;
      const values = byName.get(el.name) || [];
      if (el.type === 'checkbox' || el.type === 'radio') {
        el.checked = values.includes(el.value);
      } else if ('value' in el && el.tagName !== 'BUTTON') {
        const i = used.get(el.name) || 0;
        used.set(el.name, i + 1);
        el.value = values[i] !== undefined ? values[i] : '';
      }
    }
  }

  const dirty = new Set();
  function markDirty(form) { dirty.add(form); form.dataset.dirty = '1'; }
  function markClean(form) { dirty.delete(form); delete form.dataset.dirty; }

  function schedule(form, delay) {
    clearTimeout(form._timer);
    form._timer = setTimeout(() => send(form), delay === undefined ? 1200 : delay);
  }

  async function send(form) {
    if (form._inflight) { form._again = true; return; }
    clearTimeout(form._timer);
    const sent = fieldsOf(form);
    form._inflight = true;
    setLine(form, T.saving, 'pending');
    let res;
    let data = {};
    try {
      res = await fetch(form.action, {
        method: 'POST',
        headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(new FormData(form)),
      });
      data = await res.json().catch(() => ({}));
    } catch (_) {
      form._inflight = false;
      setLine(form, T.notSent, 'warn');
      showStatus(T.offline, 'warn');
      retrySoon();
      return;
    }
    form._inflight = false;
    if (res.ok) {
      form.elements.base.value = data.version;
      setLine(form, data.label || '', '');
      dropDraft(form, sent);
      if (same(fieldsOf(form), sent)) markClean(form); else schedule(form);
      if (!dirty.size) hideStatus();
    } else if (res.status === 409 && data.conflict) {
      showConflict(form, data);
    } else if (res.status === 429) {
      setLine(form, T.slowDown, 'warn');
      schedule(form, 3000);
    } else {
      // Refused (time is up, another step, too long…): say why; the draft stays on this device.
      setLine(form, data.message || (res.status + ''), 'warn');
    }
    if (form._again) { form._again = false; if (dirty.has(form)) schedule(form, 300); }
  }

  let retryTimer = 0;
  function retrySoon() {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(flush, 4000);
  }
  function flush() {
    for (const form of dirty) if (!form._inflight) send(form);
  }

  function showConflict(form, data) {
    const section = form.closest('.prompt') || form.parentNode;
    const old = section.querySelector('.conflict-box');
    if (old) old.remove();
    const box = document.createElement('div');
    box.className = 'conflict-box';
    box.setAttribute('role', 'alert');
    const h = document.createElement('p');
    h.className = 'conflict-title';
    h.textContent = T.conflictTitle;
    const lead = document.createElement('p');
    lead.textContent = T.conflictLead;
    const grid = document.createElement('div');
    grid.className = 'compare';
    const theirs = document.createElement('div');
    const theirsHead = document.createElement('h4');
    theirsHead.textContent = data.label;
    const theirsText = document.createElement('div');
    theirsText.className = 'answer-text';
    theirsText.textContent = data.theirs;
    theirs.append(theirsHead, theirsText);
    const mine = document.createElement('div');
    const mineHead = document.createElement('h4');
    mineHead.textContent = T.mine;
    const mineText = document.createElement('div');
    mineText.className = 'answer-text';
    const textarea = form.querySelector('textarea[name="text"]');
    mineText.textContent = textarea ? textarea.value : fieldsOf(form).map(([, v]) => v).join(' / ');
    mine.append(mineHead, mineText);
    grid.append(theirs, mine);
    const buttons = document.createElement('div');
    buttons.className = 'form-row';
    const button = (label, cls, onClick) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = label;
      if (cls) b.className = cls;
      b.addEventListener('click', () => { onClick(); box.remove(); });
      return b;
    };
    if (textarea) {
      buttons.append(button(T.mergeText, 'primary', () => {
        textarea.value = data.theirs + '\n\n' + textarea.value;
        form.elements.base.value = data.version;
        markDirty(form);
        writeDraft(form);
        textarea.focus();
        schedule(form, 4000);
      }));
    }
    buttons.append(button(T.keepMine, textarea ? '' : 'primary', () => {
      form.elements.base.value = data.version;
      markDirty(form);
      writeDraft(form);
      send(form);
    }));
    buttons.append(button(T.takeTheirs, '', () => {
      localStorage.removeItem(draftKey(form));
      markClean(form);
      location.reload();
    }));
    box.append(h, lead, grid, buttons);
    form.before(box);
    setLine(form, T.conflictTitle, 'warn');
  }

  for (const form of forms) {
    form.addEventListener('input', () => { markDirty(form); writeDraft(form); setLine(form, T.unsaved, 'pending'); schedule(form); });
    form.addEventListener('change', () => { markDirty(form); writeDraft(form); schedule(form, 400); });
    form.addEventListener('submit', (e) => { e.preventDefault(); markDirty(form); writeDraft(form); send(form); });
    // Input kept on this device from before a crash, a reload or a lost connection.
    const draft = readDraft(form);
    if (draft && !same(draft.fields, fieldsOf(form))) {
      applyFields(form, draft.fields);
      if (draft.base !== undefined && Number(draft.base) < Number(form.elements.base.value)) {
        // The saved answer moved on meanwhile: send against the old base so the merge view shows both.
        form.elements.base.value = draft.base;
      }
      markDirty(form);
      setLine(form, T.restored, 'pending');
      schedule(form, 500);
    } else if (draft) {
      localStorage.removeItem(draftKey(form));
    }
  }
  window.addEventListener('online', flush);

  function refresh() {
    // Anything unsent is already in this device's storage; the reloaded page restores it.
    for (const form of dirty) writeDraft(form);
    location.reload();
  }

  function otherDeviceSaved(d) {
    const form = forms.find((f) => f.dataset.key === d.key);
    if (!form || Number(d.version) <= Number(form.elements.base.value) || dirty.has(form)) return;
    const textarea = form.querySelector('textarea[name="text"]');
    if (textarea && d.answer && d.answer.kind === 'text') {
      textarea.value = d.answer.text;
      form.elements.base.value = d.version;
    } else {
      refresh();
    }
  }

  function staffSaved(d) {
    const id = d.table + '|' + d.key;
    for (const cell of document.querySelectorAll('[data-cell]')) {
      if (cell.dataset.cell !== id) continue;
      // Rendered and escaped by the server, in this page's language.
      cell.innerHTML = body.dataset.lang === 'en' && d.html_en ? d.html_en : d.html;
      const box = cell.closest('.cell');
      if (box) box.classList.remove('empty');
    }
    const template = body.dataset.savedTemplate || '{0} ({1})';
    for (const meta of document.querySelectorAll('[data-saved-for]')) {
      if (meta.dataset.savedFor === id) meta.textContent = template.replace('{0}', hm(Date.now())).replace('{1}', d.version);
    }
    const row = document.querySelector('.tables-list [data-table="' + d.table + '"] [data-status]');
    if (row) { row.className = 'tag open'; }
    // Facilitator: wall.js redraws just that table's tile (no whole-page refetch per save).
    document.dispatchEvent(new CustomEvent('acp:saved', { detail: d }));
    if (role !== 'facilitator') swapRegionsSoon(role === 'projector' ? 300 : 5000);
  }

  // ---------- the stream ----------
  let wasOffline = false;
  function connect() {
    const es = new EventSource(body.dataset.events);
    es.addEventListener('hello', (e) => {
      const s = JSON.parse(e.data);
      if (wasOffline) showStatus(T.reconnected, 'ok', 3000);
      wasOffline = false;
      if (role === 'table' && String(s.step) !== body.dataset.step) return refresh();
      if (role !== 'table') {
        if (s.clock) applyClock(s.clock);
        // Anything saved between drawing this page and subscribing would be missed: redraw once.
        swapRegionsSoon(0);
      }
      if (role === 'table') {
        const t = document.querySelector('.timer');
        if (t && s.clock && String(s.clock.locked) !== t.dataset.locked) return refresh();
        if (s.clock) applyClock(s.clock);
      }
      if (dirty.size) { showStatus(T.pending, 'warn', 4000); flush(); }
    });
    es.addEventListener('step', () => (role === 'table' ? refresh() : swapRegionsSoon(0)));
    es.addEventListener('closed', () => location.reload());
    // The session ended: stop the stream; the facilitator's wall shows its banner (wall.js).
    es.addEventListener('ended', (e) => { es.close(); document.dispatchEvent(new CustomEvent('acp:ended', { detail: e.data })); });
    es.addEventListener('timer', (e) => {
      const clock = JSON.parse(e.data);
      const t = document.querySelector('.timer');
      const lockChanged = t && String(clock.locked) !== t.dataset.locked;
      applyClock(clock);
      if (role === 'table' && lockChanged) refresh();
      if (role !== 'table') swapRegionsSoon(200);
    });
    for (const name of ['pace', 'walk', 'roster', 'spotlight', 'resync']) {
      es.addEventListener(name, () => (role === 'table' ? refresh() : swapRegionsSoon(name === 'resync' ? 0 : 300)));
    }
    es.addEventListener('survey', () => { if (role !== 'table') swapRegionsAtMost(1500); });
    es.addEventListener('saved', (e) => {
      const d = JSON.parse(e.data);
      if (role === 'table') otherDeviceSaved(d); else staffSaved(d);
    });
    es.onerror = () => {
      wasOffline = true;
      showStatus(T.offline, 'warn');
      if (es.readyState === EventSource.CLOSED) {
        // The server answered with an error (ended, restarted mid-request…): try again shortly.
        setTimeout(() => { if (role === 'table') refresh(); else connect(); }, 5000);
      }
    };
  }
  connect();
})();
