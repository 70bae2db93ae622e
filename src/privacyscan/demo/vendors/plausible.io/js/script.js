// Imitation of Plausible's script: no cookies, one pageview event.
(function () {
  fetch('https://plausible.io/api/event', {method: 'POST', keepalive: true, headers: {'Content-Type': 'text/plain'},
    body: JSON.stringify({n: 'pageview', u: location.href, d: location.hostname, r: document.referrer || null})});
})();
