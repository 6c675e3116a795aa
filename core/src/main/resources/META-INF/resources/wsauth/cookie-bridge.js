/*
 * wsauth cookie bridge, the script of cookie-bridge.html (runs on the WebSocket server's origin, inside an
 * iframe of the application page).
 *
 * Protocol (all messages are plain objects):
 *   bridge -> parent  {type: "wsauth-bridge-ready"}                     once loaded
 *   parent -> bridge  {type: "wsauth-set-cookie", id, token, maxAge, probe}  maxAge: the token's remaining
 *                                                                      seconds; probe: a random value per call
 *   bridge -> parent  {type: "wsauth-cookie-set", id}                   the server set the cookie and the probe
 *   bridge -> parent  {type: "wsauth-cookie-error", id, status}         it is not (HTTP status, 0 = network)
 *
 * Security: the parent origin comes from the "parent" query parameter, which the server only serves the page
 * for when it is on its allow-list (and pins with frame-ancestors); messages are accepted only from that exact
 * origin and from the embedding window, and answers are posted to that exact origin, never to a wildcard. The cookie is
 * set by the server's answer to a same-origin POST, so it is HttpOnly: page scripts can never read it.
 * After the cookie, a second POST (./probe) has the server set a probe cookie with the same attributes for ./check,
 * which the parent then asks from its own page (wsauth.js): whether the browser stores the cookie and sends it
 * from that page is only known there.
 */
(function () {
  'use strict';
  var parentOrigin = new URLSearchParams(window.location.search).get('parent');
  if (!parentOrigin || window.parent === window) {
    return;
  }
  try {
    if (new URL(parentOrigin).origin !== parentOrigin) {
      return; // only a bare serialised origin: no path, no credentials
    }
  } catch (e) {
    return;
  }
  var endpoint = new URL('cookie', window.location.href).href;
  var probe = new URL('probe', window.location.href).href;

  function reply(message) {
    window.parent.postMessage(message, parentOrigin);
  }

  window.addEventListener('message', function (event) {
    if (event.origin !== parentOrigin || event.source !== window.parent) {
      return;
    }
    var data = event.data;
    if (!data || data.type !== 'wsauth-set-cookie' || typeof data.token !== 'string'
        || typeof data.probe !== 'string') {
      return;
    }
    var id = data.id;
    var maxAge = Math.floor(Number(data.maxAge));
    if (!(maxAge > 0)) {
      reply({type: 'wsauth-cookie-error', id: id, status: 400});
      return;
    }
    function post(url, body) {
      return fetch(url, {
        method: 'POST',
        credentials: 'same-origin',
        cache: 'no-store',
        redirect: 'error',
        referrerPolicy: 'no-referrer',
        headers: {'Content-Type': 'text/plain;charset=UTF-8', 'X-WsAuth-Max-Age': String(maxAge)},
        body: body
      }).then(function (response) {
        return response.status;
      }, function () {
        return 0;
      });
    }
    post(endpoint, data.token).then(function (status) {
      return status === 204 ? post(probe, data.probe) : status;
    }).then(function (status) {
      reply(status === 204
          ? {type: 'wsauth-cookie-set', id: id}
          : {type: 'wsauth-cookie-error', id: id, status: status});
    });
  });

  reply({type: 'wsauth-bridge-ready'});
})();
