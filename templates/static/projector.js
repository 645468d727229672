// acp-workbook projector: fits the step's content to the room's screen.
//
// The projector has no one to scroll it, so the content column must never be cut off:
// the type of [data-fit] is shrunk step by step (down to a floor) until it fits the
// height it has, and grown back when there is room (another step, a larger screen).
// live.js swaps the region when the step, the spotlight or a tally changes; a
// MutationObserver re-fits after each swap. Without this script the page still shows
// everything, with a scroll bar.
(() => {
  'use strict';
  // Spotlighted answers must stay readable from the back of a hall, so they shrink less.
  const FLOOR = 0.5;
  const SPOT_FLOOR = 0.8;
  let busy = false;

  function fit() {
    const box = document.querySelector('[data-fit]');
    if (!box) return;
    busy = true;
    const floor = box.querySelector('[data-spotlight-card]') ? SPOT_FLOOR : FLOOR;
    let scale = 1;
    box.style.setProperty('--fit', '1');
    // Each pass costs a layout; 20 passes of 2.5% reach the floor from 1.
    while (box.scrollHeight > box.clientHeight + 1 && scale > floor) {
      scale = Math.max(floor, scale - 0.025);
      box.style.setProperty('--fit', String(scale));
    }
    box.classList.toggle('fit-overflow', box.scrollHeight > box.clientHeight + 1);
    busy = false;
  }

  let pending = 0;
  function fitSoon() {
    if (busy) return;
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(fit);
  }

  function start() {
    fit();
    window.addEventListener('resize', fitSoon);
    const main = document.querySelector('main');
    if (main && window.MutationObserver) {
      new MutationObserver(fitSoon).observe(main, { childList: true, subtree: true });
    }
    // Fonts arrive after the first layout on a cold start.
    if (document.fonts && document.fonts.ready) document.fonts.ready.then(fitSoon);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
