// Imitation of reCAPTCHA's api.js: defines grecaptcha and loads the anchor frame from www.google.com.
(function () {
  var src = (document.currentScript && document.currentScript.src) || '';
  var key = (src.match(/[?&]render=([^&]+)/) || [])[1] || '6LcDemoSiteKey';
  window.grecaptcha = {ready: function (f) { f(); }, execute: function () { return Promise.resolve('demo-token'); }};
  var frame = document.createElement('iframe');
  frame.src = 'https://www.google.com/recaptcha/api2/anchor?ar=1&k=' + key + '&co=' + btoa(location.origin) + '&size=invisible';
  frame.style.display = 'none';
  (document.body || document.documentElement).appendChild(frame);
})();
