// Init script (every frame, before the page's own scripts): notes the browser calls that fingerprint a
// visitor or record a session, each attributed to the calling script's URL from a stack trace. It must not
// change what the page does: every wrapper calls the original with the same arguments and returns its
// result unchanged, our own bookkeeping never throws into page code, and the wrappers look native
// (Function.prototype.toString shows the original's source; name and length come through the Proxy).
// The log is read by privacyscan.crawl.behaviour through a non-enumerable reader on window.
(() => {
  const READER = "__privacyscanBehaviour";
  if (Object.prototype.hasOwnProperty.call(window, READER)) return;
  const MAX_ENTRIES = 400;
  const MAX_FONTS = 300;
  const entries = new Map();  // kind|script|detail -> {kind, script, detail, count, at}
  const fontsByScript = new Map();  // script -> Set of font settings measured
  const textCanvases = new WeakSet();  // canvases something drew text on
  const originals = new WeakMap();  // wrapper -> original, for toString
  const t0 = performance.now();
  const URL_AT_END = /(https?:\/\/[^\s()]+?):\d+:\d+\)?\s*$/;
  const DOC_TARGETS = () => [window, document, document.documentElement, document.body];
  const INPUT_EVENTS = new Set(["mousemove", "pointermove", "keydown", "keyup", "keypress", "input"]);

  function callingScript() {
    const limit = Error.stackTraceLimit;
    try {
      Error.stackTraceLimit = 30;  // a page may have lowered it; the caller is below our own frames
      const lines = String(new Error().stack || "").split("\n");
      for (let i = 1; i < lines.length; i++) {
        const m = URL_AT_END.exec(lines[i]);
        if (m) return m[1];
      }
      return null;
    } finally {
      Error.stackTraceLimit = limit;
    }
  }

  function note(kind, detail, script) {
    try {
      const from = script === undefined ? callingScript() : script;
      const key = kind + "|" + from + "|" + detail;
      const entry = entries.get(key);
      if (entry) { entry.count++; return; }
      if (entries.size >= MAX_ENTRIES) return;
      entries.set(key, { kind, detail, script: from, count: 1, at: Math.round(performance.now() - t0) });
    } catch (_) { /* bookkeeping never reaches page code */ }
  }

  function noteFont(font) {
    try {
      if (!font) return;
      const script = callingScript();
      let fonts = fontsByScript.get(script);
      if (!fonts) { fonts = new Set(); fontsByScript.set(script, fonts); }
      if (fonts.size < MAX_FONTS) fonts.add(String(font));
    } catch (_) { /* never into page code */ }
  }

  // A native error thrown through a wrapper would show our frames in its stack (the Proxy's trap, invoke):
  // it is taken out, so the page sees the same error object with the same stack as without us.
  const OUR_FRAME = /\n\s+at (?:Object\.apply|invoke) \(<anonymous>:\d+:\d+\)/g;
  function invoke(target, thisArg, args) {
    try {
      return Reflect.apply(target, thisArg, args);
    } catch (error) {
      try {
        if (error && typeof error.stack === "string") error.stack = error.stack.replace(OUR_FRAME, "");
      } catch (_) { /* a frozen error keeps its stack */ }
      throw error;
    }
  }

  // Wrap owner[name] (a method) so `before(thisArg, args)` runs first; the original runs exactly as it
  // would have, its exceptions and return value untouched.
  function wrapMethod(owner, name, before) {
    if (!owner) return;
    const descriptor = Object.getOwnPropertyDescriptor(owner, name);
    if (!descriptor || typeof descriptor.value !== "function") return;
    const original = descriptor.value;
    const wrapper = new Proxy(original, {
      apply(target, thisArg, args) {
        try { before(thisArg, args); } catch (_) { /* never into page code */ }
        return invoke(target, thisArg, args);
      },
    });
    originals.set(wrapper, original);
    Object.defineProperty(owner, name, { ...descriptor, value: wrapper });
  }

  function wrapGetter(owner, name, before) {
    if (!owner) return;
    const descriptor = Object.getOwnPropertyDescriptor(owner, name);
    if (!descriptor || typeof descriptor.get !== "function") return;
    const original = descriptor.get;
    const wrapper = new Proxy(original, {
      apply(target, thisArg, args) {
        try { before(thisArg); } catch (_) { /* never into page code */ }
        return invoke(target, thisArg, args);
      },
    });
    originals.set(wrapper, original);
    Object.defineProperty(owner, name, { ...descriptor, get: wrapper });
  }

  // toString of a wrapper prints the original's native source; toString itself stays native-looking.
  const nativeToString = Function.prototype.toString;
  const toStringWrapper = new Proxy(nativeToString, {
    apply(target, thisArg, args) {
      const original = typeof thisArg === "function" ? originals.get(thisArg) : undefined;
      return invoke(target, original || thisArg, args);
    },
  });
  originals.set(toStringWrapper, nativeToString);
  Object.defineProperty(Function.prototype, "toString", {
    ...Object.getOwnPropertyDescriptor(Function.prototype, "toString"), value: toStringWrapper,
  });

  // Canvas: reading pixels back from a canvas something wrote text on is the fingerprint; drawing is not.
  const C2D = window.CanvasRenderingContext2D && CanvasRenderingContext2D.prototype;
  const markText = (ctx) => { if (ctx && ctx.canvas) textCanvases.add(ctx.canvas); };
  wrapMethod(C2D, "fillText", markText);
  wrapMethod(C2D, "strokeText", markText);
  wrapMethod(C2D, "getImageData", (ctx) => {
    if (ctx && textCanvases.has(ctx.canvas)) note("canvas", "getImageData after drawing text");
  });
  wrapMethod(C2D, "measureText", (ctx) => noteFont(ctx && ctx.font));
  const CANVAS = window.HTMLCanvasElement && HTMLCanvasElement.prototype;
  wrapMethod(CANVAS, "toDataURL", (canvas) => {
    if (textCanvases.has(canvas)) note("canvas", "toDataURL after drawing text");
  });
  wrapMethod(CANVAS, "toBlob", (canvas) => {
    if (textCanvases.has(canvas)) note("canvas", "toBlob after drawing text");
  });

  // WebGL: the unmasked renderer and vendor name the graphics hardware.
  const UNMASKED = { 0x9245: "UNMASKED_VENDOR_WEBGL", 0x9246: "UNMASKED_RENDERER_WEBGL" };
  for (const gl of [window.WebGLRenderingContext, window.WebGL2RenderingContext]) {
    wrapMethod(gl && gl.prototype, "getParameter", (_ctx, args) => {
      const name = UNMASKED[args[0]];
      if (name) note("webgl", "getParameter(" + name + ")");
    });
  }

  // Audio: rendering a signal offline (or reading an analyser) to hash how this machine processes it.
  wrapMethod(window.OfflineAudioContext && OfflineAudioContext.prototype, "startRendering",
    () => note("audio", "OfflineAudioContext.startRendering"));
  wrapMethod(window.AnalyserNode && AnalyserNode.prototype, "getFloatFrequencyData",
    () => note("audio", "AnalyserNode.getFloatFrequencyData"));

  // Font enumeration: many elements measured, each in another font family set on the element itself.
  const measured = (el) => { if (el && el.style && el.style.fontFamily) noteFont(el.style.fontFamily); };
  const HTML_ELEMENT = window.HTMLElement && HTMLElement.prototype;
  wrapGetter(HTML_ELEMENT, "offsetWidth", measured);
  wrapGetter(HTML_ELEMENT, "offsetHeight", measured);

  // Session recording: watching the whole document for changes, and every move and key at document level.
  wrapMethod(window.MutationObserver && MutationObserver.prototype, "observe", (_observer, args) => {
    const [target, options] = args;
    if (options && options.subtree && DOC_TARGETS().includes(target)) note("dom_observer", "subtree of the document");
  });
  wrapMethod(window.EventTarget && EventTarget.prototype, "addEventListener", (target, args) => {
    const type = String(args[0]);
    if (INPUT_EVENTS.has(type) && DOC_TARGETS().includes(target)) note("input_listener", type);
  });

  Object.defineProperty(window, READER, {
    enumerable: false, configurable: false, writable: false,
    value: () => {
      const out = Array.from(entries.values(), (e) => ({ ...e }));
      for (const [script, fonts] of fontsByScript) {
        out.push({ kind: "font_probe", script, detail: Array.from(fonts).slice(0, 5).join(" | "),
                   count: fonts.size, at: null });
      }
      return out;
    },
  });
})();
