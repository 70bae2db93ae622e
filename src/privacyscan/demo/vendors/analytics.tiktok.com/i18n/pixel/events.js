// Imitation of the TikTok Pixel: _ttp on the site for 13 months and a Pageview post carrying it.
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
  var ttp = readCookie('_ttp') || (Math.random().toString(36).slice(2) + Date.now().toString(36) + 'AbCdEf12');
  setRootCookie('_ttp', ttp, 34128000);
  navigator.sendBeacon('https://analytics.tiktok.com/api/v2/pixel',
    JSON.stringify({event: 'Pageview', context: {page: {url: location.href}, user: {ttp: ttp}}}));
})();
