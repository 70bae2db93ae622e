// Quiet evidence for the crawl (crawl/quiet.py): installed before any page script, in every frame.
// Records when the page last changed its DOM, wrote a cookie or web storage, and which short timers it
// scheduled that have not fired yet. Only timers scheduled by the page's own code or by one such timer
// (chain depth <= 1) count: a self-rescheduling poller or carousel would otherwise never let the wait end.
(() => {
  if (window.__psQuiet) return;
  const HORIZON_MS = 5000;
  const now = () => performance.now();
  const state = { lastChange: now(), pending: new Map(), depth: 0, next: 1 };
  const touch = () => { state.lastChange = now(); };
  const wrapTimer = (name, clear, delayOf, repeating) => {
    const original = window[name];
    if (typeof original !== 'function') return;
    window[name] = function (callback, ...rest) {
      const delay = Number(delayOf(rest)) || 0;
      const depth = state.depth;
      let token = 0;
      if (typeof callback === 'function' && delay <= HORIZON_MS && depth <= 1) {
        token = state.next++;
        state.pending.set(token, now() + delay);
      }
      const wrapped = typeof callback !== 'function' ? callback : function (...args) {
        if (token) state.pending.delete(token);
        if (repeating) token = 0;  // an interval counts until its first tick
        const outer = state.depth;
        state.depth = depth + 1;
        try { return callback.apply(this, args); } finally { state.depth = outer; }
      };
      const id = original.call(this, wrapped, ...rest);
      if (token) state.ids = (state.ids || new Map()).set(id + ':' + name, token);
      return id;
    };
    if (clear && typeof window[clear] === 'function') {
      const originalClear = window[clear];
      window[clear] = function (id) {
        const key = id + ':' + name;
        if (state.ids && state.ids.has(key)) { state.pending.delete(state.ids.get(key)); state.ids.delete(key); }
        return originalClear.call(this, id);
      };
    }
  };
  wrapTimer('setTimeout', 'clearTimeout', rest => rest[0], false);
  wrapTimer('setInterval', 'clearInterval', rest => rest[0], true);
  wrapTimer('requestIdleCallback', 'cancelIdleCallback', rest => (rest[0] && rest[0].timeout) || 50, false);
  try {
    const cookie = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
    Object.defineProperty(Document.prototype, 'cookie', {
      configurable: true, enumerable: cookie.enumerable, get: cookie.get,
      set(value) { touch(); return cookie.set.call(this, value); },
    });
  } catch (e) { /* a locked-down document: DOM and network evidence remain */ }
  try {
    for (const method of ['setItem', 'removeItem', 'clear']) {
      const original = Storage.prototype[method];
      Storage.prototype[method] = function (...args) { touch(); return original.apply(this, args); };
    }
  } catch (e) { /* as above */ }
  try {  // the document node exists before its first element: observe it from the start
    new MutationObserver(touch).observe(document, { subtree: true, childList: true, attributes: true,
                                                    characterData: true });
  } catch (e) { /* DOM changes then do not count; network, timers and writes still do */ }
  Object.defineProperty(window, '__psQuiet', {
    enumerable: false,
    value: () => {
      const t = now();
      let due = 0;
      for (const [token, at] of state.pending) {
        if (at < t - HORIZON_MS) state.pending.delete(token);  // a throttled or dropped timer: stop waiting
        else due = Math.max(due, at - t);
      }
      return { changedAgoMs: t - state.lastChange, pending: state.pending.size, dueInMs: Math.max(0, due) };
    },
  });
})();
