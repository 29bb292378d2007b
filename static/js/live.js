// The shared live client (protocol v1, docs/protocol.md). One socket per page: hello with
// the resume token and the last applied seq, an outbox of unacknowledged commands keyed
// by ref (sent again after every welcome; the server answers a repeated ref with the
// first ack), reconnect with back-off and jitter, gap detection, and a connection status
// the page shows. It draws nothing: the page shows its status with renderStatus (dom.js).

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
