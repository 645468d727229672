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
  if (role === 'phone' && window.fetch) return phonePage();
  if (!role || !window.EventSource || !window.fetch) return;

  const T = {
    ja: {
      offline: '接続が切れています。入力はこの端末に保存されています。つながると自動で送ります。',
      offlineIdle: '接続が切れています。つながり直すのを待っています…',
      notSentShort: '未送信',
      lastSaved: '最後の保存 {0}',
      lockedShort: '時間のため送れません（この端末に残っています）',
      lockedUnsent: '時間になりました。入力した内容はこの端末に残っています（未送信）。ファシリテーターが記入を再開すると送信されます。',
      lockedSaved: '時間になりました。このステップの記入は締め切られました。入力した内容は締め切りまでに保存されています。',
      endedUnsent: '未送信：研修会が終了したため送れませんでした（この端末に残っています）',
      endedStaff: '研修会は終了しました。',
      gone: 'この画面は使えなくなりました。ファシリテーターに確かめてください。',
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
      offlineIdle: 'Connection lost. Waiting to reconnect…',
      notSentShort: 'Not sent',
      lastSaved: 'last saved {0}',
      lockedShort: 'Time is up: not sent (kept on this device)',
      lockedUnsent: 'Time is up. What you typed is kept on this device (not sent). It will be sent when the facilitator reopens answers.',
      lockedSaved: 'Time is up: answers for this step are closed. What you typed was saved before the close.',
      endedUnsent: 'Not sent: the session has ended (kept on this device)',
      endedStaff: 'The session has ended.',
      gone: 'This screen is no longer available. Ask the facilitator.',
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
  // The page never reloads itself: every change arrives as an event and updates the page
  // in place, and the form someone is typing in is never replaced under them.
  const token = body.dataset.table;
  const answerForms = () => (role === 'table' ? [...document.querySelectorAll('form.answer-form')] : []);
  const draftKey = (form) => 'acp-draft:' + token + ':' + form.dataset.key;
  const fieldsOf = (form) => [...new FormData(form).entries()].filter(([k]) => k !== 'base' && k !== 'prompt');
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  const lineOf = (form) => form.querySelector('[data-save-line]');
  // Save rhythm: after a pause of DEBOUNCE ms, and at the latest MAX_WAIT ms after the
  // first unsent keystroke, so steady typing still reaches the facilitator every few
  // seconds (well inside the server's 20-burst, 5-a-second limit per table).
  const DEBOUNCE = 1000;
  const MAX_WAIT = 2500;
  let ended = false;
  let locked = false;
  let online = navigator.onLine !== false;
  // The save line always says 「未送信」 while there is unsent text, with the last save time.
  function setLine(form, text, kind) {
    const line = lineOf(form);
    if (!line) return;
    const at = line.dataset.savedAt;
    let shown = text;
    if (dirty.has(form)) {
      shown = T.notSentShort + (text ? ' · ' + text : '') + (at ? ' · ' + T.lastSaved.replace('{0}', at) : '');
    }
    line.textContent = shown;
    line.className = 'saved ' + (kind || (dirty.has(form) ? 'pending' : ''));
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
  function markDirty(form) {
    if (!dirty.has(form)) form._firstUnsent = Date.now();
    dirty.add(form);
    form.dataset.dirty = '1';
  }
  function markClean(form) { dirty.delete(form); delete form.dataset.dirty; form._firstUnsent = 0; }

  function schedule(form, delay) {
    clearTimeout(form._timer);
    if (delay === undefined) {
      const left = (form._firstUnsent || Date.now()) + MAX_WAIT - Date.now();
      delay = Math.max(0, Math.min(DEBOUNCE, left));
    }
    form._timer = setTimeout(() => send(form), delay);
  }

  async function send(form) {
    if (form._inflight) { form._again = true; return form._inflight; }
    clearTimeout(form._timer);
    if (ended || !form.isConnected) return;
    if (locked) { setLine(form, T.lockedShort, 'warn'); return; }
    const sent = fieldsOf(form);
    let done;
    form._inflight = new Promise((resolve) => { done = resolve; });
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
      form._inflight = null;
      done();
      setLine(form, T.notSent, 'warn');
      showOffline();
      retrySoon();
      return;
    }
    form._inflight = null;
    if (res.ok) {
      form.elements.base.value = data.version;
      const line = lineOf(form);
      if (line && data.saved_at) line.dataset.savedAt = hm(data.saved_at);
      dropDraft(form, sent);
      if (same(fieldsOf(form), sent)) markClean(form); else schedule(form);
      setLine(form, dirty.has(form) ? '' : (data.short || data.label || ''), '');
      if (!dirty.size && online && !streamDown) hideStatus();
    } else if (res.status === 409 && data.conflict) {
      showConflict(form, data);
    } else if (res.status === 429) {
      setLine(form, T.slowDown, 'warn');
      schedule(form, 3000);
    } else if (res.status === 423) {
      // Time is up on the server: the text stays here and goes when answers reopen.
      setLocked(true);
    } else {
      // Refused (another step, too long…): say why; the draft stays on this device.
      setLine(form, data.message || (res.status + ''), 'warn');
    }
    done();
    if (form._again) { form._again = false; if (dirty.has(form)) schedule(form, 300); }
  }

  let retryTimer = 0;
  function retrySoon() {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(flush, 4000);
  }
  // Sends every unsent form now and resolves when the replies are in.
  function flush() {
    return Promise.all([...dirty].map((form) => form._inflight || send(form)));
  }

  // ---------- the lock: a banner in view, read-only boxes, honest words ----------
  function setLocked(value) {
    locked = value;
    const banner = document.querySelector('[data-lock-banner]');
    for (const form of answerForms()) {
      for (const el of form.elements) {
        if (el.type === 'hidden') continue;
        if (el.tagName === 'TEXTAREA' || (el.tagName === 'INPUT' && el.type === 'text')) el.readOnly = value;
        else if (el.tagName === 'SELECT' || el.type === 'radio' || el.type === 'checkbox' || el.tagName === 'BUTTON') el.disabled = value;
      }
      if (value) form.dataset.locked = ''; else delete form.dataset.locked;
    }
    if (banner) {
      const text = banner.querySelector('[data-lock-text]');
      if (text && value) text.textContent = dirty.size ? T.lockedUnsent : T.lockedSaved;
      banner.hidden = !value || ended;
    }
    for (const form of dirty) setLine(form, value ? T.lockedShort : '', value ? 'warn' : 'pending');
    if (!value) flush();
  }

  // ---------- three-field reports: headings of the table's own ----------
  // The page carries the table's own headings and one empty slot; 「見出しを追加」 copies
  // the last slot, numbered after it, up to the page's limit. A slot left empty is not
  // saved, so adding one changes nothing until someone types in it.
  const ownIndex = (slot) => {
    const input = slot.querySelector('input[name^="lists."]');
    const m = input && input.name.match(/^lists\.(\d+)\./);
    return m ? Number(m[1]) : -1;
  };
  function ownSlots(form) { return [...form.querySelectorAll('[data-own-slot]')]; }
  function showAddButton(form) {
    const box = form.querySelector('[data-own-headings]');
    const button = form.querySelector('[data-add-heading]');
    if (box && button) button.hidden = ownSlots(form).length >= Number(box.dataset.ownMax);
  }
  function addOwnSlot(form) {
    const box = form.querySelector('[data-own-headings]');
    const slots = ownSlots(form);
    if (!box || !slots.length || slots.length >= Number(box.dataset.ownMax)) return null;
    const last = slots[slots.length - 1];
    const n = ownIndex(last) + 1;
    const slot = last.cloneNode(true);
    for (const el of slot.querySelectorAll('[name]')) {
      el.name = el.name.replace(/^lists\.\d+\./, 'lists.' + n + '.');
      el.value = '';
    }
    for (const el of slot.querySelectorAll('[id]')) el.id = el.id.replace(/\d+$/, String(n));
    for (const el of slot.querySelectorAll('label[for]')) el.htmlFor = el.htmlFor.replace(/\d+$/, String(n));
    last.after(slot);
    showAddButton(form);
    return slot;
  }
  function wireOwnHeadings(form) {
    const button = form.querySelector('[data-add-heading]');
    if (!button) return;
    showAddButton(form);
    button.addEventListener('click', () => {
      const slot = addOwnSlot(form);
      if (slot) slot.querySelector('input').focus();
    });
  }
  // A draft may hold headings in slots this page does not have yet: add them first.
  function ownSlotsFor(form, fields) {
    for (const [name] of fields) {
      if (!/^lists\.\d+\.heading$/.test(name)) continue;
      while (!form.querySelector('[name="' + name + '"]') && addOwnSlot(form)) { /* next slot */ }
    }
  }

  function wireForm(form) {
    if (form._wired) return;
    form._wired = true;
    wireOwnHeadings(form);
    form.addEventListener('input', () => { if (locked) return; markDirty(form); writeDraft(form); setLine(form, '', 'pending'); schedule(form); });
    form.addEventListener('change', () => { if (locked) return; markDirty(form); writeDraft(form); schedule(form, 400); });
    form.addEventListener('submit', (e) => { e.preventDefault(); if (locked) return; markDirty(form); writeDraft(form); send(form); });
    // Input kept on this device from before a crash, a reload or a lost connection.
    const draft = readDraft(form);
    if (draft && !same(draft.fields, fieldsOf(form))) {
      ownSlotsFor(form, draft.fields);
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
  function wireForms() {
    for (const form of answerForms()) wireForm(form);
    for (const form of document.querySelectorAll('form.walk-form')) {
      if (form._wired) continue;
      form._wired = true;
      form.addEventListener('submit', (e) => { e.preventDefault(); walk(form); });
    }
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
    // What the table typed, without the hidden fields that only name a heading or a row.
    const hidden = (k) => form.querySelector('input[type=hidden][name="' + CSS.escape(k) + '"]');
    mineText.textContent = textarea ? textarea.value : fieldsOf(form).filter(([k, v]) => v && !hidden(k)).map(([, v]) => v).join(' / ');
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
      form.dataset.replace = '1';
      updateTable();
    }));
    box.append(h, lead, grid, buttons);
    form.before(box);
    setLine(form, T.conflictTitle, 'warn');
  }

  // ---------- in-place updates of the table screen ----------
  // A region is left as it is while someone is in it or it holds unsent text; otherwise
  // it is replaced by the server's fresh copy. Regions are placed without moving the
  // ones that stay, so the focused box, its caret and an IME composition are untouched.
  function busy(el) {
    const active = document.activeElement;
    if (active && active !== body && el.contains(active) && active.closest('form.answer-form')) return true;
    return [...el.querySelectorAll('form.answer-form')].some((f) => dirty.has(f) && !f.dataset.replace);
  }
  function swapInside(old, fresh) {
    // A busy region: refresh only its prompts nobody is using.
    for (const section of fresh.querySelectorAll('section.prompt[id]')) {
      const mine = old.querySelector('#' + CSS.escape(section.id));
      if (!mine || busy(mine)) continue;
      if (!mine.isEqualNode(section)) mine.replaceWith(document.importNode(section, true));
    }
  }
  let updating = null;
  let updateAgain = false;
  function updateTable() {
    if (updating) { updateAgain = true; return updating; }
    updating = (async () => {
      do {
        updateAgain = false;
        await updateOnce();
      } while (updateAgain);
      updating = null;
    })();
    return updating;
  }
  async function updateOnce() {
    let html;
    try {
      const res = await fetch(location.pathname, { headers: { Accept: 'text/html' }, cache: 'no-store' });
      if (!res.ok) { if (res.status === 404 || res.status === 410) gone(); return; }
      html = await res.text();
    } catch (_) {
      showOffline();
      return;
    }
    if (ended) return;
    const doc = new DOMParser().parseFromString(html, 'text/html');
    const fresh = doc.getElementById('table-content');
    const content = document.getElementById('table-content');
    if (!fresh || !content) return;
    const oldStep = body.dataset.step;
    if (doc.body.dataset.step !== undefined) body.dataset.step = doc.body.dataset.step;
    const wanted = [...fresh.children].map((n) => {
      const old = n.id ? document.getElementById(n.id) : null;
      if (old && old.parentNode === content) {
        if (old.isEqualNode(n)) return old;
        if (busy(old)) { swapInside(old, n); return old; }
      }
      return document.importNode(n, true);
    });
    const keep = new Set(wanted);
    for (const child of [...content.children]) {
      if (keep.has(child)) continue;
      // Forms of a step that is over: their unsent text stays in this device's storage.
      for (const f of child.querySelectorAll('form.answer-form')) { if (dirty.has(f)) { writeDraft(f); markClean(f); } }
      child.remove();
    }
    let prev = null;
    for (const node of wanted) {
      const inPlace = node.parentNode === content && node.previousElementSibling === prev;
      if (!inPlace) { if (prev) prev.after(node); else content.prepend(node); }
      prev = node;
    }
    for (const el of content.querySelectorAll('[data-no-script]')) el.hidden = true;
    armTimers();
    tick();
    wireForms();
    const timer = document.querySelector('.timer');
    setLocked(Boolean(timer && timer.dataset.locked === 'true'));
    if (oldStep !== body.dataset.step) scrollToStart(document.getElementById('step-card'));
  }
  const reducedMotion = () => window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  function scrollToStart(el) {
    if (!el) return;
    const heading = el.querySelector('h1, h2') || el;
    heading.scrollIntoView({ block: 'start', behavior: reducedMotion() ? 'auto' : 'smooth' });
  }
  async function scrollToScene(seq) {
    const scene = document.getElementById('scene-' + seq);
    scrollToStart(scene);
  }
  // Moving to the next scene with the script: what was typed goes first, then the move,
  // then the new scene is added to the page and brought into view.
  async function walk(form) {
    const button = form.querySelector('button[type=submit]');
    if (button) button.disabled = true;
    await flush();
    const seq = form.elements.seq ? Number(form.elements.seq.value) : 0;
    try {
      const res = await fetch(form.action, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(new FormData(form)),
      });
      if (!res.ok) {
        const text = await res.text();
        const doc = new DOMParser().parseFromString(text, 'text/html');
        const msg = doc.querySelector('.message');
        showStatus(msg ? msg.textContent : String(res.status), 'warn', 6000);
      }
    } catch (_) {
      showOffline();
    }
    if (button) button.disabled = false;
    await updateTable();
    scrollToScene(seq);
  }

  function otherDeviceSaved(d) {
    const form = answerForms().find((f) => f.dataset.key === d.key);
    if (!form || Number(d.version) <= Number(form.elements.base.value) || dirty.has(form)) return;
    const textarea = form.querySelector('textarea[name="text"]');
    if (textarea && d.answer && d.answer.kind === 'text') {
      textarea.value = d.answer.text;
      form.elements.base.value = d.version;
    } else {
      updateTable();
    }
  }

  // ---------- the end of the session, and pages that are gone ----------
  function endSession(data) {
    ended = true;
    for (const form of dirty) writeDraft(form);
    const notice = document.querySelector('[data-ended]');
    if (notice) {
      const link = notice.querySelector('[data-record-pdf]');
      if (link && data && typeof data.record_pdf === 'string' && data.record_pdf.startsWith('/t/')) link.href = data.record_pdf;
      notice.hidden = false;
    }
    const banner = document.querySelector('[data-lock-banner]');
    if (banner) banner.hidden = true;
    // The final screen stays readable; nothing more can be saved or moved.
    for (const form of document.querySelectorAll('form.answer-form, form.walk-form')) {
      for (const el of form.elements) {
        if (el.tagName === 'TEXTAREA' || (el.tagName === 'INPUT' && el.type === 'text')) el.readOnly = true;
        else if (el.type !== 'hidden') el.disabled = true;
      }
    }
    for (const line of document.querySelectorAll('[data-save-line]')) {
      const form = line.closest('form');
      if (form && dirty.has(form)) line.textContent = T.endedUnsent;
    }
    hideStatus();
  }
  function gone() {
    ended = true;
    showStatus(T.gone, 'warn');
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
  let streamDown = false;
  function showOffline() {
    if (ended) return;
    showStatus(dirty.size ? T.offline : T.offlineIdle, 'warn');
  }
  function staffEnded() {
    ended = true;
    showStatus(T.endedStaff, 'ok');
    // The server draws the end state (the projector's closing screen, the facilitator's
    // closed controls): fetch it once, in place.
    swapRegionsSoon(0);
  }
  let es = null;
  let backoff = 2000;
  function connect() {
    if (ended) return;
    es = new EventSource(body.dataset.events);
    es.addEventListener('hello', (e) => {
      const s = JSON.parse(e.data);
      if (streamDown) showStatus(T.reconnected, 'ok', 3000);
      else if (role === 'table' && online && !dirty.size) hideStatus();
      streamDown = false;
      backoff = 2000;
      if (s.closed) return; // `ended` follows
      if (role !== 'table') {
        if (s.clock) applyClock(s.clock);
        // Anything saved between drawing this page and subscribing would be missed: redraw once.
        swapRegionsSoon(0);
        return;
      }
      const t = document.querySelector('.timer');
      const lockNow = Boolean(s.clock && s.clock.locked);
      if (s.clock) applyClock(s.clock);
      if (String(s.step) !== body.dataset.step || Boolean(t) !== Boolean(s.clock)) updateTable();
      else if (lockNow !== locked) setLocked(lockNow);
      if (dirty.size && !locked) { showStatus(T.pending, 'warn', 4000); flush(); }
    });
    es.addEventListener('ended', (e) => {
      es.close();
      let data = {};
      try { data = JSON.parse(e.data); } catch (_) { /* keep {} */ }
      if (role === 'table') endSession(data); else staffEnded();
      // The facilitator's wall shows its own banner (wall.js).
      document.dispatchEvent(new CustomEvent('acp:ended', { detail: e.data }));
    });
    es.addEventListener('step', () => {
      if (role !== 'table') return swapRegionsSoon(0);
      // What was typed goes first (if the server still takes it), then the new step.
      flush().then(updateTable);
    });
    es.addEventListener('timer', (e) => {
      const clock = JSON.parse(e.data);
      const t = document.querySelector('.timer');
      applyClock(clock);
      if (role !== 'table') return swapRegionsSoon(200);
      if (!t) updateTable();
      else if (Boolean(clock.locked) !== locked) setLocked(Boolean(clock.locked));
    });
    es.addEventListener('walk', (e) => {
      if (role !== 'table') return swapRegionsSoon(300);
      let seq = null;
      try { seq = JSON.parse(e.data).seq; } catch (_) { /* no scroll */ }
      updateTable().then(() => { if (seq !== null) scrollToScene(seq); });
    });
    for (const name of ['pace', 'roster', 'spotlight', 'resync', 'devices']) {
      es.addEventListener(name, () => (role === 'table' ? updateTable() : swapRegionsSoon(name === 'resync' ? 0 : 300)));
    }
    // A table's pairing code changed (used, or too many wrong tries): show the new one.
    es.addEventListener('pairing', (e) => {
      const code = JSON.parse(e.data).code;
      for (const el of document.querySelectorAll('[data-pairing-code]')) el.textContent = code;
    });
    es.addEventListener('survey', () => { if (role !== 'table') swapRegionsAtMost(1500); });
    es.addEventListener('saved', (e) => {
      const d = JSON.parse(e.data);
      if (role === 'table') otherDeviceSaved(d); else staffSaved(d);
    });
    es.onerror = () => {
      if (ended) return;
      streamDown = true;
      showOffline();
      if (es.readyState === EventSource.CLOSED) {
        // The server refused the stream (restarted mid-request, too many, gone…): look
        // at the page once; a page that is gone is said plainly, never retried in a loop.
        setTimeout(async () => {
          try {
            const res = await fetch(location.pathname, { method: 'HEAD', cache: 'no-store' });
            if (res.status === 404 || res.status === 410) return role === 'table' ? gone() : staffGone();
          } catch (_) { /* still offline: try again */ }
          backoff = Math.min(backoff * 2, 30000);
          connect();
        }, backoff);
      }
    };
  }
  function staffGone() {
    ended = true;
    showStatus(T.gone, 'warn');
  }
  window.addEventListener('offline', () => { online = false; showOffline(); });
  window.addEventListener('online', () => {
    online = true;
    if (!streamDown) hideStatus();
    if (role === 'table') flush();
  });
  if (role === 'table') {
    wireForms();
    const timer = document.querySelector('.timer');
    if (timer && timer.dataset.locked === 'true') setLocked(true);
    if (body.dataset.closed === 'true') ended = true;
  }
  if (!ended || role !== 'table') connect();
  // ---------- the phone page: wait for the survey without reloading ----------
  // Every 20 s the page asks for itself and swaps the parts that changed, but only
  // while nobody is typing: a half-typed seat number or answer is never lost.
  function phonePage() {
    const url = body.dataset.poll;
    if (!url) return;
    const typing = () => {
      const a = document.activeElement;
      if (a && a !== body && (a.tagName === 'INPUT' || a.tagName === 'TEXTAREA' || a.tagName === 'SELECT')) return true;
      return [...document.querySelectorAll('main input:not([type=hidden]), main textarea')].some((el) =>
        (el.type === 'radio' || el.type === 'checkbox') ? el.checked && !el.defaultChecked : el.value !== el.defaultValue);
    };
    setInterval(async () => {
      if (typing() || document.hidden) return;
      let html;
      try {
        const res = await fetch(url, { headers: { Accept: 'text/html' }, cache: 'no-store' });
        if (!res.ok) return;
        html = await res.text();
      } catch (_) { return; }
      if (typing()) return;
      const doc = new DOMParser().parseFromString(html, 'text/html');
      for (const fresh of doc.querySelectorAll('[data-region][id]')) {
        const old = document.getElementById(fresh.id);
        if (old && !old.isEqualNode(fresh)) old.replaceWith(document.importNode(fresh, true));
      }
    }, 20000);
  }
})();
