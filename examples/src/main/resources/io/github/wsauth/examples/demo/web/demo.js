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

// The long session (data-method="refresh"): one first-message connection kept authenticated by in-band
// refreshes (wsauth.keepAuthenticated) for config.longSessionSeconds, then the normal goodbye and 1000.
// data-status: pending, connected, then ok, revoked (logged out everywhere) or failed.
let longSession = null;

function reportSession(status, line) {
  let li = document.querySelector('#sessions li[data-method="refresh"]');
  if (!li) {
    li = document.createElement('li');
    li.dataset.method = 'refresh';
    li.innerHTML = '<span class="status"></span><span class="name"></span><span class="where"></span>'
        + '<span class="line"></span>';
    li.querySelector('.name').textContent = 'Long session (in-band token refresh)';
    document.getElementById('sessions').appendChild(li);
  }
  li.dataset.status = status;
  li.querySelector('.status').textContent = status;
  li.querySelector('.line').textContent = line;
  return li;
}

async function startLongSession(config) {
  if (longSession) {
    return;
  }
  const seconds = config.longSessionSeconds;
  const url = config.servers['first-message'];
  longSession = 'starting';
  reportSession('pending', 'connecting…').querySelector('.where').textContent = url + ' ('
      + config.frameworks['first-message'] + ')';
  let t;
  try {
    t = await fetchToken();
  } catch (err) {
    longSession = null;
    reportSession('failed', err.message);
    return;
  }
  const ws = wsauth.connectWithFirstMessage(url, t.token, { format: 'json' });
  longSession = ws;
  let keeper = null;
  let started = 0;
  let saidGoodbye = false;
  let goodbye;
  let tick;
  const elapsed = () => Math.round((Date.now() - started) / 1000);
  const refreshes = () => (keeper ? keeper.count() : 0);
  const progress = () => reportSession('connected', 'connected for ' + elapsed() + ' of ' + seconds + ' s on '
      + config.tokenLifetimeSeconds + '-second tokens; ' + refreshes() + ' in-band refreshes so far');
  ws.onmessage = (ev) => {
    if (!keeper && ev.data === 'Hello ' + user + '!') {
      started = Date.now();
      keeper = wsauth.keepAuthenticated(ws, fetchToken, t.expires_in, { onRefresh: progress });
      progress();
      tick = setInterval(progress, 1000);
      goodbye = setTimeout(() => {
        saidGoodbye = true;
        ws.send('Goodbye ' + user + '.');
      }, seconds * 1000);
    } else {
      ws.close(1000);
    }
  };
  ws.onclose = (ev) => {
    clearInterval(tick);
    clearTimeout(goodbye);
    longSession = null;
    const after = started ? ' after ' + elapsed() + ' s and ' + refreshes() + ' in-band refreshes' : '';
    if (saidGoodbye && ev.code === 1000) {
      reportSession('ok', 'stayed connected ' + elapsed() + ' s on ' + config.tokenLifetimeSeconds
          + '-second tokens with ' + refreshes() + ' in-band refreshes; page said goodbye, server closed with 1000');
    } else if (ev.code === config.closeCodes.revoked) {
      reportSession('revoked', 'closed with ' + ev.code + ': ' + ev.reason + after + ' (logged out everywhere)');
    } else {
      reportSession('failed', 'closed with ' + ev.code + (ev.reason ? ': ' + ev.reason : '') + after);
    }
  };
}

// "Log out everywhere": the app revokes the user's tokens and the servers close the user's live connections.
async function logOutEverywhere(config) {
  const out = document.getElementById('logout-result');
  out.dataset.closed = '';
  out.textContent = 'logging out…';
  try {
    const res = await fetch('/api/logout', { method: 'POST', body: new URLSearchParams({ user }) });
    if (!res.ok) {
      throw new Error('the app answered HTTP ' + res.status);
    }
    const body = await res.json();
    out.dataset.closed = String(body.closed);
    out.textContent = 'Logged out everywhere: tokens revoked, ' + body.closed + ' live connection'
        + (body.closed === 1 ? '' : 's') + ' closed with ' + config.closeCodes.revoked
        + ' "authentication revoked".';
  } catch (err) {
    out.textContent = 'log out failed: ' + err.message;
  }
}

async function main() {
  document.getElementById('user').textContent = user;
  const config = await (await fetch('/config.json', { cache: 'no-store' })).json();
  document.getElementById('lifetime').textContent = 'Tokens are ' + (config.singleUse ? 'single-use and ' : '')
      + 'live ' + config.tokenLifetimeSeconds + ' seconds (plus ' + config.clockSkewSeconds
      + ' seconds of allowed clock skew); each method gets its own.';
  document.getElementById('again').onclick = () => runAll(config);
  document.getElementById('again').addEventListener('click', () => startLongSession(config));
  document.getElementById('logout').onclick = () => logOutEverywhere(config);
  startLongSession(config);
  await runAll(config);
}

if (user) {
  main();
}
