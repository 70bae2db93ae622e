// Imitation of Yandex Metrica (counter 987654): _ym_uid and _ym_d for a year, a hit to /watch.
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
  var uid = readCookie('_ym_uid') || (Math.floor(Date.now() / 1000) + '' + Math.floor(Math.random() * 1e9));
  setRootCookie('_ym_uid', uid, 31536000);
  setRootCookie('_ym_d', String(Math.floor(Date.now() / 1000)), 31536000);
  new Image().src = 'https://mc.yandex.ru/watch/987654?wmode=7&_ym_uid=' + uid + '&page-url=' + encodeURIComponent(location.href);
})();
