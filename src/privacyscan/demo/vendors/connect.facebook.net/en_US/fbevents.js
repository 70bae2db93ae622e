// Imitation of the Meta Pixel base code: sets _fbp on the site and sends PageView to www.facebook.com/tr/.
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
  var pixelId = window.DEMO_META_PIXEL_ID || '1234567890';
  var fbp = readCookie('_fbp') || ('fb.1.' + Date.now() + '.' + Math.floor(Math.random() * 2147483647));
  setRootCookie('_fbp', fbp, 7776000);
  window.fbq = window.fbq || function () { (window.fbq.queue = window.fbq.queue || []).push(arguments); };
  new Image().src = 'https://www.facebook.com/tr/?id=' + pixelId + '&ev=PageView&fbp=' + encodeURIComponent(fbp) +
    '&dl=' + encodeURIComponent(location.href) + '&rl=' + encodeURIComponent(document.referrer);
})();
