// acp-workbook previews: reload the page when the content changes on disk.
//
// The page carries the content version it was drawn at (data-content-version); the
// server's stream /preview/events says the current one at once and after every save.
// When they differ the page reloads, which keeps its address (the professions and the
// scenes walked are in the query) and the browser keeps the scroll position.
(() => {
  'use strict';
  const drawn = document.body.dataset.contentVersion;
  if (!drawn || !window.EventSource) return;
  const stream = new EventSource('/preview/events');
  stream.addEventListener('content', (event) => {
    if (event.data !== drawn) {
      stream.close();
      window.location.reload();
    }
  });
})();
