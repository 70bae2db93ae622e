// Imitation of Criteo's publisher tag: cto_bundle on the site and a user sync with gum.criteo.com.
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
  var bundle = readCookie('cto_bundle') || Math.random().toString(36).slice(2) + 'Cto' + Date.now().toString(36);
  setRootCookie('cto_bundle', bundle, 33696000);
  new Image().src = 'https://gum.criteo.com/sync?c=42&r=2&j=' + encodeURIComponent(bundle);
})();
