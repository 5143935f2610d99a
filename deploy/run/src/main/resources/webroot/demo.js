// The demo page: opens a session from GET /session, connects with mqtt.js over the presigned WebSocket URL, waits
// for the responder's "ready", then sends each request and shows its answer and round-trip time.
(function () {
  'use strict';

  const el = (id) => document.getElementById(id);
  const state = el('state');
  const pending = new Map();
  // end: responder-lost is the responder's will, published the moment its connection drops, even when it comes
  // back on its persistent session a moment later; so wait this long for its ready before taking the end as final.
  const RESPONDER_LOST_GRACE_MS = 10000;
  let client = null;
  let session = null;
  let lostTimer = null;

  function show(text, name) {
    state.textContent = text;
    state.dataset.state = name;
  }

  function fail(message) {
    el('error').textContent = message;
    el('error').hidden = false;
  }

  function setSending(enabled) {
    el('message').disabled = !enabled;
    el('submit').disabled = !enabled;
  }

  function requestId() {
    const bytes = new Uint8Array(8);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  function addRow(id, sent) {
    const row = document.createElement('tr');
    row.dataset.id = id;
    row.innerHTML = '<td class="sent"></td><td class="answer">…</td><td class="rtt"></td>';
    row.querySelector('.sent').textContent = sent;
    el('answers').querySelector('tbody').appendChild(row);
    return row;
  }

  function onResponse(payload) {
    let message;
    try {
      message = JSON.parse(payload.toString());
    } catch (e) {
      fail('the responder sent something that is not JSON');
      return;
    }
    if (message.type === 'ready') {
      clearTimeout(lostTimer);
      lostTimer = null;
      show('ready: channel ' + session.channelId.slice(0, 12) + '…', 'ready');
      setSending(true);
      el('message').focus();
    } else if (message.type === 'end' && message.reason === 'responder-lost') {
      if (lostTimer === null) {
        show('responder lost, waiting for it to come back…', 'waiting');
        lostTimer = setTimeout(() => end(message.reason), RESPONDER_LOST_GRACE_MS);
      }
    } else if (message.type === 'end') {
      end(message.reason);
    } else if (message.inReplyTo !== undefined) {
      // An answer is the handler's fields with inReplyTo; an error has type "error" and the reason.
      const sent = pending.get(String(message.inReplyTo));
      if (!sent) {
        return;
      }
      pending.delete(String(message.inReplyTo));
      const shown = Object.assign({}, message);
      delete shown.inReplyTo;
      sent.row.querySelector('.answer').textContent = JSON.stringify(shown);
      sent.row.querySelector('.rtt').textContent = (performance.now() - sent.at).toFixed(1) + ' ms';
      sent.row.classList.add(message.type === 'error' ? 'error' : 'answered');
    }
  }

  function end(reason) {
    clearTimeout(lostTimer);
    lostTimer = null;
    setSending(false);
    show('ended', 'ended');
    el('ended').textContent = 'The session ended: ' + reason + '.';
    el('ended').hidden = false;
    el('open').disabled = false;
    client.end(true);
  }

  async function open() {
    el('open').disabled = true;
    el('error').hidden = true;
    el('ended').hidden = true;
    show('opening a session…', 'opening');
    let response;
    try {
      response = await fetch('session', { cache: 'no-store' });
    } catch (e) {
      fail('the session service could not be reached: ' + e.message);
      el('open').disabled = false;
      return;
    }
    if (!response.ok) {
      const body = await response.json().catch(() => ({}));
      fail('the session service answered ' + response.status + ': ' + (body.reason || body.message || ''));
      el('open').disabled = false;
      show('no session', 'closed');
      return;
    }
    session = await response.json();
    show('connecting…', 'connecting');
    client = mqtt.connect(session.endpointUrl, {
      clientId: session.clientId,
      protocolVersion: 4,
      clean: true,
      reconnectPeriod: 0,
      keepalive: 30
    });
    client.on('error', (e) => fail('MQTT: ' + e.message));
    client.on('message', (topic, payload) => onResponse(payload));
    client.on('connect', () => {
      client.subscribe(session.topics.response, { qos: 1 }, (err) => {
        if (err) {
          fail('could not subscribe to the response topic: ' + err.message);
          return;
        }
        show('waiting for the responder…', 'waiting');
        client.publish(session.topics.session, JSON.stringify({ channelId: session.channelId }), { qos: 1 });
      });
    });
  }

  el('open').addEventListener('click', open);
  el('send').addEventListener('submit', (event) => {
    event.preventDefault();
    const text = el('message').value.trim() || '{"message":"PING"}';
    let body;
    try {
      body = JSON.parse(text);
    } catch (e) {
      body = null;
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      body = { message: text };
    }
    const id = requestId();
    pending.set(id, { at: performance.now(), row: addRow(id, JSON.stringify(body)) });
    client.publish(session.topics.request, JSON.stringify(Object.assign({}, body, { id: id })), { qos: 1 });
    el('message').value = '';
  });
}());
