// The deploy page while a deploy is in flight: one EventSource on /api/v1/deploys/{id}/events, starting after the
// evidence the page already shows (data-cursor). Evidence rows are appended as text; the state pill follows the
// deploy; when it ends, or an approval appears or goes, the page reloads so the forms and times come from the server.
// The browser reconnects by itself and sends the last event id, so no line is lost or shown twice.
(function () {
  'use strict';
  var root = document.getElementById('deploy');
  if (!root || !window.EventSource) return;
  var id = root.dataset.deploy;
  var indicator = document.getElementById('deploy-live');
  var state = document.getElementById('deploy-state');
  var rows = document.getElementById('evidence-rows');
  var approvalShown = root.dataset.approval === 'true';
  var startMs = root.dataset.start ? Number(root.dataset.start) : null;

  function show(s, text) {
    if (!indicator) return;
    indicator.dataset.state = s;
    indicator.textContent = text;
  }

  // as DeployModels.pill
  function pill(s) {
    if (s === 'succeeded') return 'pill-up';
    if (['pending', 'running', 'verifying', 'cancelled', 'rolled_back'].indexOf(s) >= 0) return 'pill-degraded';
    return 'pill-down';
  }

  // as Format.ms: 850 ms, 1.5 s, 2.0 min
  function ms(v) {
    if (v < 1000) return v + ' ms';
    if (v < 60000) return (v / 1000).toFixed(1) + ' s';
    return (v / 60000).toFixed(1) + ' min';
  }

  function cell(tr, text, className) {
    var td = document.createElement('td');
    if (className) td.className = className;
    td.textContent = text;
    tr.appendChild(td);
    return td;
  }

  function evidence(e) {
    if (rows.querySelector('tr[data-seq="' + e.seq + '"]')) return;
    var at = Date.parse(e.at);
    var tr = document.createElement('tr');
    tr.dataset.seq = e.seq;
    tr.dataset.phase = e.phase;
    tr.dataset.passed = e.passed ? 'passed' : 'failed';
    cell(tr, String(e.seq));
    cell(tr, new Date(at).toISOString().substring(11, 19), 'mono');
    cell(tr, startMs === null ? '' : '+' + ms(Math.max(0, at - startMs)), 'mono');
    cell(tr, e.phase);
    cell(tr, e.name, 'mono');
    var result = cell(tr, '');
    var p = document.createElement('span');
    p.className = 'pill ' + (e.passed ? 'pill-up' : 'pill-down');
    p.textContent = e.passed ? 'passed' : 'failed';
    result.appendChild(p);
    var detail = cell(tr, e.detail || '', 'detail');
    if (e.body) {
      var details = document.createElement('details');
      details.className = 'body';
      var summary = document.createElement('summary');
      summary.textContent = 'response body' + (e.body.length >= 4096 ? ' (cut at 4096 characters)' : '');
      var pre = document.createElement('pre');
      pre.className = 'output';
      pre.textContent = e.body;
      details.appendChild(summary);
      details.appendChild(pre);
      detail.appendChild(details);
    }
    rows.appendChild(tr);
    var empty = document.getElementById('evidence-empty');
    if (empty) empty.remove();
  }

  function connect() {
    var source = new EventSource('/api/v1/deploys/' + encodeURIComponent(id) + '/events?after=' +
        encodeURIComponent(root.dataset.cursor));
    source.addEventListener('open', function () { show('live', 'live'); });
    source.addEventListener('evidence', function (e) { evidence(JSON.parse(e.data)); });
    source.addEventListener('deploy', function (e) {
      var d = JSON.parse(e.data);
      var started = d.started_at || d.requested_at;
      startMs = started ? Date.parse(started) : null;
      if (!!d.awaiting_approval !== approvalShown) {
        source.close();
        window.location.reload();
        return;
      }
      if (d.state !== root.dataset.state) {
        root.dataset.state = d.state;
        state.textContent = d.state;
        state.className = 'pill ' + pill(d.state);
      }
    });
    source.addEventListener('end', function () {
      source.close();
      window.location.reload();
    });
    source.addEventListener('error', function () {
      // the browser retries by itself (sending the last event id) unless the server refused the stream
      if (source.readyState === EventSource.CLOSED) show('polling', 'disconnected: reload the page');
      else show('polling', 'reconnecting…');
    });
  }

  connect();
})();
