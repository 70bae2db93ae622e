// Imitation of the Hotjar tracking code for site 123: a user cookie for a year, a session cookie, a visit post.
(function () {
function setRootCookie(name, value, maxAge) {
  var parts = location.hostname.split('.');
  for (var i = parts.length - 2; i >= 0; i--) {
    var domain = parts.slice(i).join('.');
    document.cookie = name + '=' + value + '; domain=' + domain + '; path=/; max-age=' + maxAge + '; SameSite=Lax';
    if (document.cookie.indexOf(name + '=' + value) >= 0) return;
  }
  document.cookie = name + '=' + value + '; path=/; max-age=' + maxAge + '; SameSite=Lax';
}
function readCookie(name) {
  var m = document.cookie.match(new RegExp('(?:^|; )' + name.replace(/[.$]/g, '\\$&') + '=([^;]*)'));
  return m ? m[1] : null;
}
  var user = readCookie('_hjSessionUser_123');
  var id = user ? JSON.parse(decodeURIComponent(user)).id : (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2));
  setRootCookie('_hjSessionUser_123', encodeURIComponent(JSON.stringify({id: id, created: Date.now(), existing: !!user})), 31536000);
  setRootCookie('_hjSession_123', encodeURIComponent(JSON.stringify({id: String(Math.random()).slice(2), c: Date.now()})), 1800);
  navigator.sendBeacon('https://in.hotjar.com/api/v2/client/sites/123/visit-data?sv=7',
    JSON.stringify({user_id: id, page: location.href}));
})();
