// The run page while a run goes: one EventSource on /api/v1/runs/{id}/events, starting after the output the page
// already shows (data-cursor). Output lines are appended as text, step rows are added or updated in place; when the
// run's status changes (an approval to give, the end) the page reloads, so the forms come from the server. The
// browser reconnects by itself and sends the last event id, so no line is lost or shown twice.
(function () {
  'use strict';
  var root = document.getElementById('run');
  if (!root || !window.EventSource) return;
  var id = root.dataset.run;
  var indicator = document.getElementById('run-live');
  var statusShown = document.getElementById('run-status').textContent;
  var approvalShown = !!document.getElementById('approval');
  var rows = document.getElementById('step-rows');
  var outputs = document.getElementById('outputs');

  function show(state, text) {
    if (!indicator) return;
    indicator.dataset.state = state;
    indicator.textContent = text;
  }

  // the server's duration words (config.Units): 850ms, 1.5s, 2m, 1.2h
  function duration(ms) {
    if (ms === null || ms === undefined) return '—';
    function trim(v) { var s = v.toFixed(1); return s.slice(-2) === '.0' ? s.slice(0, -2) : s; }
    if (ms < 1000) return ms + 'ms';
    if (ms < 60000) return trim(ms / 1000) + 's';
    if (ms < 3600000) return trim(ms / 60000) + 'm';
    if (ms < 86400000) return trim(ms / 3600000) + 'h';
    return trim(ms / 86400000) + 'd';
  }

  function pill(status) {
    if (status === 'succeeded') return 'pill-up';
    if (status === 'failed' || status === 'interrupted') return 'pill-down';
    if (status === 'running' || status === 'waiting') return 'pill-degraded';
    return 'pill-unknown';
  }

  function cell(tr, text, className) {
    var td = document.createElement('td');
    if (className) td.className = className;
    td.textContent = text;
    tr.appendChild(td);
    return td;
  }

  function outputOf(seq, step, type) {
    var pre = document.getElementById('output-' + seq);
    if (pre) return pre;
    var section = document.createElement('section');
    section.className = 'step-output';
    section.dataset.seq = seq;
    var h3 = document.createElement('h3');
    var name = document.createElement('span');
    name.className = 'mono';
    name.textContent = seq + '. ' + step;
    var kind = document.createElement('span');
    kind.className = 'muted';
    kind.textContent = ' ' + type;
    h3.appendChild(name);
    h3.appendChild(kind);
    pre = document.createElement('pre');
    pre.className = 'output';
    pre.id = 'output-' + seq;
    section.appendChild(h3);
    section.appendChild(pre);
    outputs.appendChild(section);
    return pre;
  }

  function step(s) {
    var tr = rows.querySelector('tr[data-seq="' + s.seq + '"]');
    if (!tr) {
      tr = document.createElement('tr');
      tr.dataset.seq = s.seq;
      rows.appendChild(tr);
    }
    tr.dataset.status = s.status;
    tr.textContent = '';
    var running = s.status === 'running' || s.status === 'waiting';
    var met = s.met === null || s.met === undefined ? '' : (s.met ? 'yes' : 'no');
    cell(tr, String(s.seq));
    cell(tr, s.step + (s.phase === 'rollback' ? ' (rollback)' : ''), 'mono');
    cell(tr, s.type);
    var status = cell(tr, '');
    var p = document.createElement('span');
    p.className = 'pill ' + pill(s.status);
    p.textContent = s.status_text || s.status;
    status.appendChild(p);
    cell(tr, duration(s.target_ms));
    cell(tr, running ? 'running' : duration(s.duration_ms), 'actual');
    cell(tr, met, 'met met-' + met);
    cell(tr, s.exit_code === null ? '' : String(s.exit_code));
    var decision = s.wait_ms === null || s.wait_ms === undefined ? (s.decided_by ? ' (by ' + s.decided_by + ')' : '')
        : s.confirmed_by ? ' (confirmed by ' + s.confirmed_by + ' after ' + duration(s.wait_ms) + ')'
        : ' (waited ' + duration(s.wait_ms) + ' for a confirmation)';
    cell(tr, (s.message || '') + decision);
    outputOf(s.seq, s.step, s.type);
  }

  function connect() {
    var source = new EventSource('/api/v1/runs/' + encodeURIComponent(id) + '/events?after=' + encodeURIComponent(root.dataset.cursor));
    source.addEventListener('open', function () { show('live', 'live'); });
    source.addEventListener('run', function (e) {
      var run = JSON.parse(e.data);
      if (run.status !== statusShown || !!run.pending_approval !== approvalShown) {
        source.close();
        window.location.reload();
      }
    });
    source.addEventListener('step', function (e) { step(JSON.parse(e.data)); });
    source.addEventListener('output', function (e) {
      var o = JSON.parse(e.data);
      outputOf(o.seq, o.step, '').appendChild(document.createTextNode(o.text));
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
