/*
 * wsauth browser helper: open a WebSocket with a token from your HTTP app, in any of the places a browser can
 * put it. Exposes window.wsauth (or self.wsauth); no dependencies.
 *
 *   const ws = wsauth.connectWithFirstMessage('wss://ws.example/ws', token);          // safest
 *   const ws = wsauth.connectWithQueryParameter('wss://ws.example/ws', token);        // ?token=
 *   const ws = wsauth.connectWithSubprotocol('wss://ws.example/ws', token, ['chat']); // Sec-WebSocket-Protocol
 *   const ws = wsauth.connectWithUserInfo('wss://ws.example/ws', token);             // wss://<token>@host (Basic)
 *   const ws = await wsauth.connectWithCookie('wss://ws.example/ws', token, expiresIn, {
 *       bridgeUrl: 'https://ws.example/wsauth/cookie-bridge.html'});                  // cookie via bridge
 *
 * Tokens should be single-use and short-lived: fetch a fresh one for every connection attempt. A long-lived
 * connection stays authenticated by sending fresh tokens in-band, before each one expires:
 *
 *   const keeper = wsauth.keepAuthenticated(ws, fetchToken, expiresIn);   // fetchToken(): {token, expires_in}
 */
(function (root) {
  'use strict';

  var BEARER_PREFIX = 'authorization.bearer.';

  /** Opens the socket and sends the token (raw, or as {"token": ...} with options.format = 'json') first. */
  function connectWithFirstMessage(url, token, options) {
    options = options || {};
    var ws = new WebSocket(url, options.protocols || []);
    ws.addEventListener('open', function () {
      ws.send(options.format === 'json' ? JSON.stringify({token: token}) : token);
    }, {once: true});
    return ws;
  }

  /** Adds the token as a query parameter (default name "token"). URLs end up in logs: single-use tokens only. */
  function connectWithQueryParameter(url, token, options) {
    options = options || {};
    var u = new URL(url);
    u.searchParams.set(options.name || 'token', token);
    return new WebSocket(u.href, options.protocols || []);
  }

  /**
   * Offers the token as the Sec-WebSocket-Protocol entry "authorization.bearer.<token>" next to the application
   * subprotocols; the server selects an application subprotocol and never echoes the token entry.
   */
  function connectWithSubprotocol(url, token, protocols, options) {
    options = options || {};
    var offered = (protocols || []).slice();
    offered.push((options.prefix || BEARER_PREFIX) + token);
    return new WebSocket(url, offered);
  }

  /**
   * Puts the token into the URL's user info as the user name with an empty password, wss://<token>@host/, which
   * browsers send as "Authorization: Basic base64(<token>:)" after the server's 401 Basic challenge (Chromium) or
   * up front (Firefox, from its second connection on). The server must accept the token as the user name
   * (CredentialExtractor.basicHeaderWithTokenAsUserName()). Why not user:token: Firefox caches Basic credentials
   * per user name and, when the user name is the one of the previous connection, sends the old, used-up token and
   * never the new one; a fresh token is a fresh user name every time.
   */
  function connectWithUserInfo(url, token, options) {
    options = options || {};
    var u = new URL(url);
    u.username = encodeURIComponent(token);
    u.password = '';
    return new WebSocket(u.href, options.protocols || []);
  }

  /**
   * Has the WebSocket server set the token as an HttpOnly cookie on its own origin, through the hidden bridge
   * iframe, then checks from this page that the browser will send it: GET <bridge>/check with credentials goes out
   * as the WebSocket handshake will, and the server answers whether the bridge's probe cookie (same attributes)
   * arrived. Resolves when it will; rejects with the reason when the browser dropped or withholds the cookie, on
   * error, or after options.timeoutMs (default 10000). maxAge is the token's remaining lifetime in seconds.
   * The cookie is SameSite=Strict, so the app and the WebSocket server must be same-site (e.g. app.example.com
   * and ws.example.com) unless the server's bridge runs in partitioned (CHIPS) mode for pages on another site.
   */
  function setCookie(bridgeUrl, token, maxAge, options) {
    options = options || {};
    var bridge = new URL(bridgeUrl, window.location.href);
    bridge.searchParams.set('parent', window.location.origin);
    var bridgeOrigin = bridge.origin;
    var id = String(Date.now()) + '-' + Math.random().toString(36).slice(2);
    // The probe cookie's value for this call: an earlier call's probe left in the browser must not count.
    var probe = Array.prototype.map.call(crypto.getRandomValues(new Uint8Array(16)), function (b) {
      return (b + 256).toString(16).slice(1);
    }).join('');
    return new Promise(function (resolve, reject) {
      var frame = document.createElement('iframe');
      var timer;
      function done(error) {
        clearTimeout(timer);
        window.removeEventListener('message', onMessage);
        if (frame.parentNode) {
          frame.parentNode.removeChild(frame);
        }
        if (error) {
          reject(error);
        } else {
          resolve();
        }
      }
      function onMessage(event) {
        if (event.origin !== bridgeOrigin || event.source !== frame.contentWindow || !event.data) {
          return;
        }
        var data = event.data;
        if (data.type === 'wsauth-bridge-ready') {
          frame.contentWindow.postMessage(
              {type: 'wsauth-set-cookie', id: id, token: token, maxAge: maxAge, probe: probe}, bridgeOrigin);
        } else if (data.type === 'wsauth-cookie-set' && data.id === id) {
          var check = new URL('check', bridge.href);
          check.search = '?probe=' + probe;
          confirm(check.href, bridgeOrigin).then(function () {
            done();
          }, done);
        } else if (data.type === 'wsauth-cookie-error' && data.id === id) {
          done(new Error('wsauth cookie bridge failed with status ' + data.status));
        }
      }
      window.addEventListener('message', onMessage);
      timer = setTimeout(function () {
        done(new Error('wsauth cookie bridge timed out'));
      }, options.timeoutMs || 10000);
      frame.style.display = 'none';
      frame.setAttribute('aria-hidden', 'true');
      frame.src = bridge.href;
      document.body.appendChild(frame);
    });
  }

  /** Asks the bridge's check endpoint, from this page and with credentials, whether the probe cookie arrives. */
  function confirm(checkUrl, bridgeOrigin) {
    return fetch(checkUrl, {credentials: 'include', cache: 'no-store', redirect: 'error', referrerPolicy: 'no-referrer'})
        .then(function (response) {
          if (!response.ok) {
            throw new Error('wsauth cookie bridge: the cookie check failed with status ' + response.status);
          }
          return response.text();
        }, function () {
          throw new Error('wsauth cookie bridge: the cookie check could not reach ' + bridgeOrigin);
        })
        .then(function (answer) {
          if (answer.trim() !== 'present') {
            throw new Error('wsauth cookie bridge: the browser will not send the cookie to ' + bridgeOrigin
                + ' from this page (it dropped or withholds it: third-party cookie blocking or SameSite=Strict'
                + ' across sites); for a page on another site use the bridge\'s partitioned (CHIPS) mode');
          }
        });
  }

  /** setCookie(...), then opens the socket; resolves to the WebSocket. */
  function connectWithCookie(url, token, maxAge, options) {
    options = options || {};
    return setCookie(options.bridgeUrl, token, maxAge, options).then(function () {
      return new WebSocket(url, options.protocols || []);
    });
  }

  /**
   * Keeps an open, authenticated socket authenticated without reconnecting: some time before the current token
   * expires, calls fetchToken() (a function returning a Promise of {token, expires_in}, e.g. a POST to your app's
   * token endpoint) and sends the fresh token as the in-band re-authentication message {"token": "..."}; then does
   * the same for that token, until the socket closes or stop() is called. The server must accept that message
   * (wsauth's first-message servers do by default; others call reauthenticate).
   *
   * expiresIn: seconds the current token has left (the token endpoint's expires_in).
   * options.marginSeconds: how long before expiry to refresh (default a third of the lifetime, at most 10 s).
   * options.retrySeconds: delay before retrying a failed fetch (default 1 s; the server closes at expiry anyway).
   * options.onRefresh(count, expiresIn), options.onError(error): notifications.
   *
   * Returns {stop(), refreshNow(), count()}: call refreshNow() when the server warns that the identity expires
   * soon (an application message of your protocol), count() tells how many tokens were sent.
   */
  function keepAuthenticated(ws, fetchToken, expiresIn, options) {
    options = options || {};
    var timer = null;
    var stopped = false;
    var inFlight = false;
    var count = 0;
    function margin(lifetime) {
      if (typeof options.marginSeconds === 'number') {
        return options.marginSeconds;
      }
      return Math.min(10, lifetime / 3);
    }
    function schedule(seconds) {
      clearTimeout(timer);
      if (!stopped) {
        timer = setTimeout(refresh, Math.max(0, seconds) * 1000);
      }
    }
    function refresh() {
      if (stopped || inFlight || ws.readyState !== 1) {
        return;
      }
      inFlight = true;
      clearTimeout(timer);
      Promise.resolve().then(fetchToken).then(function (t) {
        inFlight = false;
        if (stopped || ws.readyState !== 1) {
          return;
        }
        ws.send(JSON.stringify({token: t.token}));
        count++;
        if (options.onRefresh) {
          options.onRefresh(count, t.expires_in);
        }
        schedule(t.expires_in - margin(t.expires_in));
      }, function (error) {
        inFlight = false;
        if (options.onError) {
          options.onError(error);
        }
        schedule(typeof options.retrySeconds === 'number' ? options.retrySeconds : 1);
      });
    }
    function stop() {
      stopped = true;
      clearTimeout(timer);
    }
    ws.addEventListener('close', stop, {once: true});
    schedule(expiresIn - margin(expiresIn));
    return {
      stop: stop,
      refreshNow: refresh,
      count: function () { return count; }
    };
  }

  root.wsauth = {
    keepAuthenticated: keepAuthenticated,
    connectWithFirstMessage: connectWithFirstMessage,
    connectWithQueryParameter: connectWithQueryParameter,
    connectWithSubprotocol: connectWithSubprotocol,
    connectWithUserInfo: connectWithUserInfo,
    setCookie: setCookie,
    connectWithCookie: connectWithCookie
  };
})(typeof self !== 'undefined' ? self : this);
