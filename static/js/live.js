// The shared live client (protocol v1, docs/protocol.md) and the few DOM helpers every
// page uses. One socket per page: hello with the resume token and the last applied seq,
// an outbox of unacknowledged commands keyed by ref (sent again after every welcome; the
// server answers a repeated ref with the first ack), reconnect with back-off and jitter,
// gap detection, and a connection status the page shows.
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

const BACKOFF_MIN = 500;
const BACKOFF_MAX = 10000;
const CLOSE_NO_WORKSHOP = 4404;

let refCounter = 0;
const refPrefix = Date.now().toString(36) + Math.random().toString(36).slice(2, 6);

/** A ref unique per participant, even across tabs and reloads sharing one token. */
export function newRef() {
  refCounter += 1;
  return `${refPrefix}-${refCounter}`;
}

export function tokenKey(code) {
  return `visioning:${code}:token`;
}

function storage() {
  try {
    return window.localStorage;
  } catch {
    return null; // private mode or storage disabled: the session still works, just not resumes
  }
}

export function readToken(code) {
  const store = storage();
  return store ? store.getItem(tokenKey(code)) : null;
}

function writeToken(code, token) {
  const store = storage();
  if (!store) return;
  if (token) store.setItem(tokenKey(code), token);
  else store.removeItem(tokenKey(code));
}

/** The page's live config, handed over by the template with json_script. */
export function readConfig() {
  const node = document.getElementById("live-config");
  return JSON.parse(node.textContent);
}

export class LiveClient {
  /**
   * @param {object} options
   * @param {object} options.config  {code, ws_path, ...} from readConfig()
   * @param {boolean} [options.resume=true]  keep a resume token in localStorage
   * @param {function} options.onWelcome  (welcome, {fresh}) fresh: welcome carried state
   * @param {function} options.onEvent  (event) for each event applied in order
   * @param {function} [options.onEventsDone]  () after each batch
   * @param {function} [options.onPresence]  (online, joined) people connected, and joined so far
   * @param {object} [options.hello]  more hello fields: {role: "viewer", key} for a screen
   * @param {function} [options.onStatus]  ({state, queued}) state: connecting|connected|reconnecting|offline|gone
   * @param {function} [options.onHelloError]  ({code, message}) hello refused for another reason
   */
  constructor(options) {
    this.options = options;
    this.config = options.config;
    this.code = this.config.code;
    this.resume = options.resume !== false;
    this.name = null;
    this.seq = 0;
    this.you = null;
    this.socket = null;
    this.welcomed = false;
    this.usedToken = false;
    this.attempt = 0;
    this.timer = null;
    this.stopped = false;
    this.gone = false;
    this.everConnected = false;
    this.outbox = new Map(); // ref -> {frame, resolve, reject}
    this.status = "connecting";
    window.addEventListener("online", () => this.reconnectSoon(0));
    // The browser knows before the socket does (a dead socket can look open for 30 s or
    // more): say "Offline" at once, and reconnect, resending the outbox, when back online.
    window.addEventListener("offline", () => this.dropSocket());
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible" && !this.socket) this.reconnectSoon(0);
    });
  }

  get queued() {
    return this.outbox.size;
  }

  get token() {
    return this.resume ? readToken(this.code) : null;
  }

  start(name = null) {
    this.name = name;
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.socket) this.socket.close(1000);
  }

  connect() {
    clearTimeout(this.timer);
    this.timer = null;
    if (this.stopped || this.gone) return;
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    let socket;
    try {
      socket = new WebSocket(`${scheme}://${window.location.host}${this.config.ws_path}`);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    this.welcomed = false;
    this.setStatus();
    socket.addEventListener("open", () => this.sendHello());
    socket.addEventListener("message", (message) => this.receive(socket, message.data));
    socket.addEventListener("close", (closing) => this.closed(socket, closing));
  }

  sendHello() {
    const token = this.token;
    this.usedToken = Boolean(token);
    this.raw({
      type: "hello", name: this.name, token: token || null, since: this.seq, ...this.options.hello,
    });
  }

  raw(frame) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify(frame));
      return true;
    }
    return false;
  }

  /**
   * Send a command. Resolves with the ack ({ref, seq}); rejects with {code, message}.
   * While offline the command waits in the outbox and goes out after the next welcome.
   */
  send(type, fields = {}) {
    const ref = newRef();
    const frame = { type, ref, ...fields };
    return new Promise((resolve, reject) => {
      this.outbox.set(ref, { frame, resolve, reject });
      if (this.welcomed) this.raw(frame);
      this.setStatus();
    });
  }

  receive(socket, text) {
    if (socket !== this.socket) return;
    let frame;
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    switch (frame.type) {
      case "welcome":
        this.onWelcome(frame);
        break;
      case "events":
        this.onEvents(frame.events || []);
        break;
      case "presence":
        if (this.options.onPresence) this.options.onPresence(frame.online, frame.joined);
        break;
      case "ack":
      case "credential": // credential.claim's answer (credentials/services.py claim_answer)
        this.settle(frame.ref, true, frame);
        break;
      case "error":
        this.onError(frame);
        break;
      default:
        break; // a newer server's frame this client does not know: ignore it
    }
  }

  onWelcome(welcome) {
    this.welcomed = true;
    this.everConnected = true;
    this.attempt = 0;
    this.you = welcome.you;
    if (this.resume && welcome.you && welcome.you.role === "participant" && welcome.token) {
      writeToken(this.code, welcome.token);
    }
    const fresh = Boolean(welcome.state);
    if (fresh) this.seq = welcome.seq;
    // Without state, seq stays: the events after `since` follow at once.
    this.options.onWelcome(welcome, { fresh });
    for (const { frame } of this.outbox.values()) this.raw(frame);
    this.setStatus();
  }

  onEvents(events) {
    let applied = false;
    for (const event of events) {
      if (event.seq <= this.seq) continue; // already in the state or applied
      if (event.seq !== this.seq + 1) {
        // A gap: something was lost. Catch up from the log with `since`.
        if (applied && this.options.onEventsDone) this.options.onEventsDone();
        this.resync();
        return;
      }
      this.options.onEvent(event);
      this.seq = event.seq;
      applied = true;
    }
    if (applied && this.options.onEventsDone) this.options.onEventsDone();
  }

  onError(frame) {
    if (frame.ref != null && this.outbox.has(frame.ref)) {
      if (frame.code === "unavailable") {
        // Nothing was stored, for a passing reason (a service restarting): the command
        // stays in the outbox and goes again with the same ref; nobody sees it refused.
        this.resendLater(frame.ref);
        return;
      }
      this.settle(frame.ref, false, { code: frame.code, message: frame.message });
      return;
    }
    if (!this.welcomed && frame.ref == null) {
      if (frame.code === "forbidden" && this.usedToken) {
        // The stored token is no longer valid here: forget it and join afresh.
        writeToken(this.code, null);
        this.sendHello();
        return;
      }
      if (frame.code === "not_found") {
        this.gone = true;
        this.setStatus();
      }
      if (this.options.onHelloError) this.options.onHelloError(frame);
    }
  }

  resendLater(ref) {
    const entry = this.outbox.get(ref);
    entry.tries = (entry.tries || 0) + 1;
    const ceiling = Math.min(BACKOFF_MAX, BACKOFF_MIN * 2 ** (entry.tries - 1));
    clearTimeout(entry.timer);
    entry.timer = setTimeout(
      () => {
        entry.timer = null;
        // Offline meanwhile: the next welcome sends the whole outbox anyway.
        if (this.outbox.get(ref) === entry && this.welcomed) this.raw(entry.frame);
      },
      ceiling / 2 + Math.random() * (ceiling / 2),
    );
    this.setStatus();
  }

  settle(ref, ok, payload) {
    const entry = this.outbox.get(ref);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.outbox.delete(ref);
    if (ok) entry.resolve(payload);
    else entry.reject(payload);
    this.setStatus();
  }

  dropSocket() {
    const socket = this.socket;
    this.socket = null;
    this.welcomed = false;
    if (socket) socket.close(1000);
    this.setStatus();
  }

  resync() {
    const socket = this.socket;
    this.socket = null;
    this.welcomed = false;
    if (socket) socket.close(1000);
    this.connect();
  }

  closed(socket, closing) {
    if (socket !== this.socket) return;
    this.socket = null;
    this.welcomed = false;
    if (closing.code === CLOSE_NO_WORKSHOP) this.gone = true;
    this.scheduleReconnect();
  }

  scheduleReconnect() {
    this.setStatus();
    if (this.stopped || this.gone) return;
    const ceiling = Math.min(BACKOFF_MAX, BACKOFF_MIN * 2 ** this.attempt);
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    this.attempt += 1;
    this.reconnectSoon(delay);
  }

  reconnectSoon(delay) {
    if (this.stopped || this.gone || this.socket) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.connect(), delay);
  }

  setStatus() {
    let state;
    if (this.gone) state = "gone";
    else if (navigator.onLine === false) state = "offline";
    else if (this.welcomed) state = "connected";
    else if (!this.everConnected && this.attempt < 2) state = "connecting";
    else state = "reconnecting";
    this.status = state;
    if (this.options.onStatus) this.options.onStatus({ state, queued: this.outbox.size });
  }
}

// ------------------------------------------------------------------------ DOM helpers

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

/**
 * The server's clock, estimated from the `at` of the events received: a timer ends at a
 * server time, and a phone's clock may be a little off. Live events are the freshest
 * reading (their `at` is a few ms old), so the largest offset seen is the best guess.
 */
export class ServerClock {
  constructor() {
    this.offset = null;
  }

  observe(at) {
    const stamp = Date.parse(at);
    if (Number.isNaN(stamp)) return;
    const offset = stamp - Date.now();
    if (Math.abs(offset) > 10 * 60 * 1000) return; // an old event replayed: no reading
    if (this.offset === null || offset > this.offset) this.offset = offset;
  }

  now() {
    return Date.now() + (this.offset || 0);
  }
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
