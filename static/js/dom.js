// The DOM helpers every page uses: `el` and `syncKeyed` to build and keep lists in step,
// the connection status pill, the live region that announces new contributions, the
// render loop, the cloud's word scale and the consent bar. The live client itself is
// live.js.
//
// User text only ever reaches the DOM through textContent (see `el`).

// The translation catalog (/jsi18n/) defines these; keep the pages alive without it.
if (typeof globalThis.gettext !== "function") globalThis.gettext = (s) => s;
if (typeof globalThis.ngettext !== "function") {
  globalThis.ngettext = (singular, plural, n) => (n === 1 ? singular : plural);
}
if (typeof globalThis.interpolate !== "function") {
  globalThis.interpolate = (fmt, obj, named) =>
    named
      ? fmt.replace(/%\(\w+\)s/g, (m) => String(obj[m.slice(2, -2)]))
      : fmt.replace(/%s/g, () => String(obj.shift()));
}

/**
 * Create an element. `props`: className, text (textContent), attrs {name: value},
 * dataset, on {event: handler}, and any other DOM property (type, disabled, ...).
 * Children are nodes or strings (strings become text nodes, never HTML).
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value == null) continue;
    if (name === "className") node.className = value;
    else if (name === "text") node.textContent = value;
    else if (name === "attrs") for (const [a, v] of Object.entries(value)) node.setAttribute(a, v);
    else if (name === "dataset") Object.assign(node.dataset, value);
    else if (name === "on") for (const [e, h] of Object.entries(value)) node.addEventListener(e, h);
    else node[name] = value;
  }
  for (const child of children) {
    if (child == null || child === false) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

/**
 * Keep `container`'s children in step with `items`, reusing the element of each key:
 * create(item) makes one, update(node, item) refreshes it. New nodes get `.is-new`.
 */
export function syncKeyed(container, items, keyOf, create, update) {
  const existing = new Map();
  for (const child of [...container.children]) {
    if (child.dataset.key != null) existing.set(child.dataset.key, child);
    else child.remove(); // a server-rendered placeholder ("Connecting…")
  }
  let previous = null;
  const seen = new Set();
  for (const item of items) {
    const key = String(keyOf(item));
    seen.add(key);
    let node = existing.get(key);
    if (!node) {
      node = create(item);
      node.dataset.key = key;
      if (container.dataset.ready === "1") node.classList.add("is-new");
    }
    update(node, item);
    const expected = previous ? previous.nextElementSibling : container.firstElementChild;
    if (node !== expected) container.insertBefore(node, expected);
    previous = node;
  }
  for (const [key, node] of existing) if (!seen.has(key)) node.remove();
  container.dataset.ready = "1";
}

/** Render the connection status pill. */
export function renderStatus(pill, { state, queued }) {
  if (!pill) return;
  const labels = {
    connecting: gettext("Connecting…"),
    connected: gettext("Connected"),
    reconnecting: gettext("Reconnecting…"),
    offline: gettext("Offline"),
    gone: gettext("Workshop not found"),
  };
  let text = labels[state] || state;
  if (queued > 0) {
    text += " · " + interpolate(
      ngettext("%(n)s waiting to send", "%(n)s waiting to send", queued), { n: queued }, true);
  }
  pill.dataset.state = state;
  const label = pill.querySelector(".status-pill__label") || pill;
  label.textContent = text;
  pill.title = text;
}

/**
 * A polite live region that reports new contributions in groups, at most once every
 * `interval` milliseconds: the words themselves while they are few ("New value: equity",
 * "3 new values: equity, care, trust"), a count beyond (listening to 12 words is no help).
 */
export class Announcer {
  static WORDS_MAX = 3;

  constructor(region, interval = 4000) {
    this.region = region;
    this.interval = interval;
    this.texts = { value: [], statement: [], principle: [] };
    this.timer = null;
    this.last = 0;
  }

  /** Count one new item of `kind`; `text` is what it says, read out while items are few. */
  count(kind, text = "") {
    if (!(kind in this.texts)) return;
    this.texts[kind].push(text || "");
    if (this.timer) return;
    const wait = Math.max(0, this.last + this.interval - Date.now());
    this.timer = setTimeout(() => this.flush(), Math.max(wait, 1000));
  }

  /** Say something now (a phase opened), after what was already counted. */
  say(text) {
    clearTimeout(this.timer);
    this.timer = null;
    this.flush(text);
  }

  flush(extra = "") {
    this.timer = null;
    this.last = Date.now();
    // ngettext with literal strings at each call, so makemessages finds them.
    const parts = [
      describeNew(this.texts.value, gettext("New value: %(words)s"),
        (n) => ngettext("%(n)s new value", "%(n)s new values", n),
        (n) => ngettext("%(n)s new value: %(words)s", "%(n)s new values: %(words)s", n)),
      describeNew(this.texts.statement, gettext("New statement: %(words)s"),
        (n) => ngettext("%(n)s new statement", "%(n)s new statements", n),
        (n) => ngettext("%(n)s new statement: %(words)s", "%(n)s new statements: %(words)s", n)),
      describeNew(this.texts.principle, gettext("New principle: %(words)s"),
        (n) => ngettext("%(n)s new principle", "%(n)s new principles", n),
        (n) => ngettext("%(n)s new principle: %(words)s", "%(n)s new principles: %(words)s", n)),
    ].filter(Boolean);
    this.texts = { value: [], statement: [], principle: [] };
    if (extra) parts.push(extra);
    if (parts.length) this.region.textContent = parts.join(". ");
  }
}

/** "New value: equity", "3 new values: equity, care, trust", or "12 new values". */
function describeNew(texts, one, many, fewWords) {
  const n = texts.length;
  if (!n) return "";
  const words = texts.filter(Boolean);
  if (n > Announcer.WORDS_MAX || words.length < n) return interpolate(many(n), { n }, true);
  if (n === 1) return interpolate(one, { words: words[0] }, true);
  return interpolate(fewWords(n), { n, words: words.join(", ") }, true);
}

/** Batch renders into one per animation frame (or per 100 ms in a background tab). */
export function renderLoop(render) {
  let pending = false;
  let frame = 0;
  let timer = 0;
  const run = () => {
    cancelAnimationFrame(frame);
    clearTimeout(timer);
    if (!pending) return;
    pending = false;
    render();
  };
  return () => {
    if (pending) return;
    pending = true;
    frame = requestAnimationFrame(run);
    timer = setTimeout(run, 100);
  };
}

/** The font scale of a cloud word with `count` mentions, `max` being the largest count. */
export function cloudScale(count, max) {
  if (max <= 1) return 1;
  const t = Math.log(count) / Math.log(Math.max(max, 2));
  return 1 + t * 1.6;
}

/** The four places of the gradient of agreement, in order, with their words. */
export function consentLabels() {
  return {
    full: gettext("Full support"),
    reservations: gettext("Support with reservations"),
    discuss: gettext("Need more discussion"),
    cannot: gettext("Cannot support"),
  };
}

/**
 * Draw a consent distribution into `container` (a `.consent-bar`): one segment per
 * level, as wide as its share, and a legend with the counts.
 * `counts` is consentCounts(...) from state.js: {counts: {full, ...}, total}.
 */
export function renderConsentBar(container, { counts, total }) {
  const labels = consentLabels();
  let bar = container.querySelector(".consent-bar__track");
  let legend = container.querySelector(".consent-bar__legend");
  if (!bar) {
    bar = el("div", { className: "consent-bar__track", attrs: { "aria-hidden": "true" } });
    legend = el("ul", { className: "consent-bar__legend" });
    for (const level of Object.keys(labels)) {
      bar.append(el("span", { className: `consent-bar__seg consent--${level}`, dataset: { level } }));
      legend.append(el("li", { className: `consent-bar__key consent--${level}`, dataset: { level } },
        el("span", { className: "consent-bar__swatch", attrs: { "aria-hidden": "true" } }),
        el("span", { className: "consent-bar__label" }),
        el("strong", { className: "consent-bar__count" })));
    }
    container.append(bar, legend);
  }
  for (const seg of bar.children) {
    const n = counts[seg.dataset.level] || 0;
    seg.style.flexGrow = String(n);
    seg.hidden = n === 0;
  }
  bar.classList.toggle("is-empty", total === 0);
  for (const key of legend.children) {
    key.querySelector(".consent-bar__label").textContent = labels[key.dataset.level];
    key.querySelector(".consent-bar__count").textContent = String(counts[key.dataset.level] || 0);
  }
  container.dataset.total = String(total);
}
