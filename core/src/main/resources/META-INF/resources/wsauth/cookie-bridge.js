/*
 * wsauth cookie bridge, the script of cookie-bridge.html (runs on the WebSocket server's origin, inside an
 * iframe of the application page).
 *
 * Protocol (all messages are plain objects):
 *   bridge -> parent  {type: "wsauth-bridge-ready"}                     once loaded
 *   parent -> bridge  {type: "wsauth-set-cookie", id, token, maxAge}    maxAge: the token's remaining seconds
 *   bridge -> parent  {type: "wsauth-cookie-set", id}                   the cookie is set
 *   bridge -> parent  {type: "wsauth-cookie-error", id, status}         it is not (HTTP status, 0 = network)
 *
 * Security: the parent origin comes from the "parent" query parameter, which the server only serves the page
 * for when it is on its allow-list (and pins with frame-ancestors); messages are accepted only from that exact
 * origin and from the embedding window, and answers are posted to that exact origin, never to a wildcard. The cookie is
 * set by the server's answer to a same-origin POST, so it is HttpOnly: page scripts can never read it.
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

  function reply(message) {
    window.parent.postMessage(message, parentOrigin);
  }

  window.addEventListener('message', function (event) {
    if (event.origin !== parentOrigin || event.source !== window.parent) {
      return;
    }
    var data = event.data;
    if (!data || data.type !== 'wsauth-set-cookie' || typeof data.token !== 'string') {
      return;
    }
    var id = data.id;
    var maxAge = Math.floor(Number(data.maxAge));
    if (!(maxAge > 0)) {
      reply({type: 'wsauth-cookie-error', id: id, status: 400});
      return;
    }
    fetch(endpoint, {
      method: 'POST',
      credentials: 'same-origin',
      cache: 'no-store',
      redirect: 'error',
      referrerPolicy: 'no-referrer',
      headers: {'Content-Type': 'text/plain;charset=UTF-8', 'X-WsAuth-Max-Age': String(maxAge)},
      body: data.token
    }).then(function (response) {
      reply(response.status === 204
          ? {type: 'wsauth-cookie-set', id: id}
          : {type: 'wsauth-cookie-error', id: id, status: response.status});
    }, function () {
      reply({type: 'wsauth-cookie-error', id: id, status: 0});
    });
  });

  reply({type: 'wsauth-bridge-ready'});
})();
