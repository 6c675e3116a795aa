// The wsauth demo page: one WebSocket per authentication method, each with its own fresh token.
// Every method element has data-method="<id>" and data-status="pending" | "ok" | "failed".
'use strict';

const user = new URLSearchParams(location.search).get('user');
if (!user) {
  location.replace('/');
}

const LABELS = {
  'first-message': 'First message',
  'query-param': 'Query parameter ?token=',
  'cookie': 'Cookie (set through the cookie-bridge iframe)',
  'user-info': 'URI user info ws://token@host/ (Basic)',
  'subprotocol': 'Sec-WebSocket-Protocol: hello, authorization.bearer.<token>'
};

// A fresh single-use token from the app, {token, expires_in}. A real app issues it for its logged-in user.
async function fetchToken(kind) {
  const body = new URLSearchParams({ user });
  if (kind) {
    body.set('kind', kind);
  }
  const res = await fetch('/api/token', { method: 'POST', body });
  if (!res.ok) {
    throw new Error('token endpoint answered HTTP ' + res.status);
  }
  return res.json();
}

// What the server decided, for a refused handshake: the WebSocket API only says 1006, the server knows more.
async function serverSide(method) {
  try {
    const res = await fetch('/api/events?method=' + encodeURIComponent(method), { cache: 'no-store' });
    const e = await res.json();
    if (e.stage === 'HANDSHAKE' && !e.accepted) {
      return 'the server answered HTTP ' + e.code + ' (' + e.reason + ')';
    }
    if (e.stage === 'FIRST_MESSAGE' && !e.accepted) {
      return 'the server closed with ' + e.code + ' (' + e.reason + ')';
    }
  } catch (err) {
    // fall through
  }
  return 'the browser does not tell why';
}

// Runs the protocol on an opening socket and resolves with a line describing the outcome, or rejects.
function converse(method, ws, onOpen) {
  return new Promise((resolve, reject) => {
    let opened = false;
    let greeted = false;
    ws.onopen = () => {
      opened = true;
      if (onOpen) {
        onOpen(ws);
      }
    };
    ws.onmessage = (ev) => {
      if (ev.data === 'Hello ' + user + '!') {
        greeted = true;
        ws.send('Goodbye ' + user + '.');
      } else {
        ws.close(1000);
        reject(new Error('unexpected message from the server'));
      }
    };
    ws.onclose = async (ev) => {
      if (greeted && ev.code === 1000) {
        resolve('server said "Hello ' + user + '!", page said goodbye, server closed with 1000'
            + (ws.protocol ? ' (subprotocol "' + ws.protocol + '")' : ''));
      } else if (!opened) {
        reject(new Error('handshake refused (close ' + ev.code + '): ' + await serverSide(method)));
      } else {
        reject(new Error('closed with ' + ev.code + (ev.reason ? ': ' + ev.reason : '')));
      }
    };
  });
}

// Each method opens its socket with wsauth's browser helper (wsauth.js, shipped in wsauth-core) where it has one.
function runners(config) {
  const url = (id) => config.servers[id];
  return {
    'first-message': async () => {
      const t = await fetchToken();
      return converse('first-message', wsauth.connectWithFirstMessage(url('first-message'), t.token,
          { format: 'json' }));
    },
    'query-param': async () => {
      const t = await fetchToken();
      return converse('query-param', wsauth.connectWithQueryParameter(url('query-param'), t.token));
    },
    'cookie': async () => {
      // The cookie bridge: a hidden iframe served by the WebSocket server's own origin receives the token
      // through postMessage and has that server set it as an HttpOnly; SameSite=Strict cookie.
      const t = await fetchToken();
      return converse('cookie', await wsauth.connectWithCookie(url('cookie'), t.token, t.expires_in,
          { bridgeUrl: config.cookieBridge.url }));
    },
    'user-info': async () => {
      // ws://<token>@host/: the token is the user name (a new one each time), so no browser reuses a cached,
      // used-up token; the server takes the user from the token.
      const t = await fetchToken();
      return converse('user-info', wsauth.connectWithUserInfo(url('user-info'), t.token));
    },
    'subprotocol': async () => {
      const t = await fetchToken();
      return converse('subprotocol', wsauth.connectWithSubprotocol(url('subprotocol'), t.token, ['hello']));
    }
  };
}

function render(config) {
  const list = document.getElementById('methods');
  list.textContent = '';
  for (const id of config.browserMethods) {
    const li = document.createElement('li');
    li.dataset.method = id;
    li.dataset.status = 'pending';
    li.innerHTML = '<span class="status"></span><span class="name"></span><span class="where"></span>'
        + '<span class="line"></span>';
    li.querySelector('.status').textContent = 'pending';
    li.querySelector('.name').textContent = LABELS[id] || id;
    li.querySelector('.where').textContent = config.servers[id] + ' (' + config.frameworks[id] + ')';
    li.querySelector('.line').textContent = 'connecting…';
    list.appendChild(li);
  }
}

function report(id, status, line) {
  const li = document.querySelector('li[data-method="' + id + '"]');
  li.dataset.status = status;
  li.querySelector('.status').textContent = status;
  li.querySelector('.line').textContent = line;
}

async function runAll(config) {
  document.body.dataset.done = 'false';
  render(config);
  const run = runners(config);
  await Promise.all(config.browserMethods.map(async (id) => {
    try {
      report(id, 'ok', await run[id]());
    } catch (err) {
      report(id, 'failed', err.message);
    }
  }));
  document.body.dataset.done = 'true';
}

async function main() {
  document.getElementById('user').textContent = user;
  const config = await (await fetch('/config.json', { cache: 'no-store' })).json();
  document.getElementById('lifetime').textContent = 'Tokens are ' + (config.singleUse ? 'single-use and ' : '')
      + 'live ' + config.tokenLifetimeSeconds + ' seconds (plus ' + config.clockSkewSeconds
      + ' seconds of allowed clock skew); each method gets its own.';
  document.getElementById('again').onclick = () => runAll(config);
  await runAll(config);
}

if (user) {
  main();
}
