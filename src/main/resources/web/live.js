// Live updates for the dashboard. One EventSource on /events; each "update" event asks htmx to
// re-fetch the page's live region (the element listening for "opsdeck:refresh"). The server
// already throttles to about one event per second, so this file does no timing of its own,
// except a 5 s poll while the stream is down so a page never silently goes stale.
(function () {
  'use strict';
  var POLL_MS = 5000;
  var indicator = document.getElementById('live-indicator');
  var streaming = false;
  var source = null;

  function refresh() {
    if (window.htmx) window.htmx.trigger(document.body, 'opsdeck:refresh');
  }

  function show(state, text) {
    if (!indicator) return;
    indicator.dataset.state = state;
    indicator.textContent = text;
  }

  function connect() {
    source = new EventSource('/events');
    source.addEventListener('open', function () {
      // events may have been missed while disconnected: catch up once
      if (indicator && indicator.dataset.state !== 'connecting') refresh();
      streaming = true;
      show('live', 'live');
    });
    source.addEventListener('update', refresh);
    source.addEventListener('error', function () {
      streaming = false;
      show('polling', 'reconnecting · polling every 5 s');
      // the browser retries by itself unless the server refused the stream for good
      if (source.readyState === EventSource.CLOSED) setTimeout(connect, POLL_MS);
    });
  }

  // every htmx request carries the session's CSRF token; the server refuses mutations without it
  var csrf = document.querySelector('meta[name="csrf-token"]');
  document.body.addEventListener('htmx:configRequest', function (e) {
    if (csrf && csrf.content) e.detail.headers['X-CSRF-Token'] = csrf.content;
  });
  // a session that ended (timeout, logout elsewhere) turns the next refresh into 401: go sign in again
  document.body.addEventListener('htmx:responseError', function (e) {
    if (e.detail.xhr && e.detail.xhr.status === 401) window.location.reload();
  });

  setInterval(function () { if (!streaming) refresh(); }, POLL_MS);
  if (window.EventSource) connect(); else show('polling', 'polling every 5 s');
})();
