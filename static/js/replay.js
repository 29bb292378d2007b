// The replay /facilitate/CODE/replay/: the session played back from its event log, as a
// time-lapse on a projector-like view. The log comes from events.json ({state, events});
// the model is the live pages' own reducer (state.js), so the replay shows what the room saw.
//
// Time: real gaps between events are kept but capped (a coffee break becomes a few
// seconds) and floored (a burst stays visible), then divided by the speed.
import { renderOutcome } from "./outcome.js";
import { applyEvent, createModel, currentPhase, principleList, statementGroups, valueGroups } from "./state.js";

const MAX_GAP = 20_000; // ms of session time: longer pauses are cut to this
const MIN_GAP = 250; // ms: events a few ms apart still arrive one by one
const LEAD_IN = 600; // ms before the first event
const CLOUD_LIMIT = 60;
const STATEMENT_LIMIT = 8;
const $ = (id) => document.getElementById(id);

const config = JSON.parse($("replay-config").textContent);
const dom = {
  main: $("main"), phase: $("replay-phase"), prompt: $("replay-prompt"), cloud: $("replay-cloud"),
  empty: $("replay-empty"), statements: $("replay-statements"), principles: $("replay-principles"),
  statementCount: $("replay-statement-count"), principleCount: $("replay-principle-count"),
  forming: $("replay-forming"), outcome: $("replay-outcome"),
  time: $("replay-time"), date: $("replay-date"), play: $("replay-play"),
  scrubber: $("replay-scrubber"), progress: $("replay-progress"),
  speeds: [...document.querySelectorAll(".replay-speed__btn")],
};

let start = null; // the state the session started from
let events = [];
let marks = []; // marks[i]: when event i happens on the compressed timeline (ms)
let model = null;
let applied = 0; // how many events the model holds
let position = 0; // ms on the compressed timeline
let speed = 16;
let playing = false;
let lastFrame = null;
let fresh = new Set(); // keys of items that arrived during this frame, to highlight

/** The compressed timeline: where each event falls, in ms from the start. */
export function timeline(list, { minGap = MIN_GAP, maxGap = MAX_GAP, leadIn = LEAD_IN } = {}) {
  const out = [];
  let clock = leadIn;
  let previous = null;
  for (const event of list) {
    const at = Date.parse(event.at);
    if (previous !== null) {
      const gap = Number.isFinite(at) && Number.isFinite(previous) ? at - previous : minGap;
      clock += Math.min(maxGap, Math.max(minGap, gap));
    }
    previous = at;
    out.push(clock);
  }
  return out;
}

function total() {
  return marks.length ? marks[marks.length - 1] + LEAD_IN : 0;
}

function reset() {
  model = createModel({ state: structuredClone(start), you: { id: null, role: "screen" } });
  applied = 0;
}

function apply(event) {
  const change = applyEvent(model, event);
  const data = event.data || {};
  // Consent rounds are not in the shared reducer: they only decorate principles here.
  if (event.event && event.event.startsWith("consent.")) {
    const principle = model.principles.get(data.principle);
    if (principle) principle.consent = data;
  }
  return change;
}

/** Move the model to `target` ms: forwards by applying, backwards by rebuilding. */
function seek(target, { highlight = false } = {}) {
  position = Math.max(0, Math.min(total(), target));
  let upto = 0;
  while (upto < marks.length && marks[upto] <= position) upto += 1;
  if (upto < applied) reset();
  fresh = new Set();
  while (applied < upto) {
    const event = events[applied];
    const change = apply(event);
    if (highlight && change && change.added) fresh.add(`${change.kind}:${event.data.key ?? event.data.id}`);
    applied += 1;
  }
  render();
}

function frame(now) {
  if (!playing) return;
  if (lastFrame !== null) {
    seek(position + (now - lastFrame) * speed, { highlight: true });
    if (position >= total()) {
      setPlaying(false);
      return;
    }
  }
  lastFrame = now;
  requestAnimationFrame(frame);
}

function setPlaying(on) {
  playing = on;
  lastFrame = null;
  const ended = !on && position >= total() && total() > 0;
  dom.play.setAttribute("aria-pressed", String(on));
  dom.play.dataset.state = on ? "playing" : ended ? "ended" : "paused";
  dom.play.querySelector(".replay-play__label").textContent =
    on ? dom.play.dataset.pause : ended ? dom.play.dataset.again : dom.play.dataset.play;
  if (on) requestAnimationFrame(frame);
}

function setSpeed(value) {
  speed = value;
  for (const button of dom.speeds) {
    button.setAttribute("aria-pressed", String(Number(button.dataset.speed) === value));
  }
}

// ------------------------------------------------------------------ drawing

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text != null) node.textContent = text;
  return node;
}

/** Keep a list's children in step with items, reusing the node of each key. */
function sync(container, items, keyOf, create, update) {
  const old = new Map();
  for (const child of container.children) old.set(child.dataset.key, child);
  let cursor = container.firstElementChild;
  for (const item of items) {
    const key = String(keyOf(item));
    let node = old.get(key);
    if (node) old.delete(key);
    else {
      node = create(item);
      node.dataset.key = key;
    }
    update(node, item);
    if (node !== cursor) container.insertBefore(node, cursor);
    else cursor = cursor.nextElementSibling;
  }
  for (const node of old.values()) node.remove();
}

function flash(node, key) {
  if (!fresh.has(key)) return;
  node.classList.remove("is-new");
  void node.offsetWidth; // restart the animation
  node.classList.add("is-new");
}

const timeFormat = new Intl.DateTimeFormat(document.documentElement.lang || undefined,
  { hour: "2-digit", minute: "2-digit", second: "2-digit" });
const dateFormat = new Intl.DateTimeFormat(document.documentElement.lang || undefined,
  { weekday: "short", day: "numeric", month: "long", year: "numeric" });

function render() {
  if (!model) return;
  // The replay ends where the room ended: on the outcome the facilitator closed with.
  const ended = Boolean(model.workshop.ended);
  const phase = ended ? null : currentPhase(model);
  dom.main.dataset.phase = ended ? "ended" : phase ? phase.kind : "none";
  dom.phase.textContent = ended ? gettext("The session has ended")
    : phase ? phase.title : gettext("Between activities");
  dom.prompt.textContent = ended ? gettext("Thank you for taking part!")
    : phase ? phase.prompt || phase.title
      : applied > 0 ? gettext("The next activity starts soon.") : gettext("The session has not started yet.");
  dom.outcome.hidden = !ended;
  if (ended) renderOutcome(dom.outcome, model, { prefix: "replay" });

  const groups = valueGroups(model);
  const shown = groups.length > CLOUD_LIMIT
    ? [...groups].sort((a, b) => b.count - a.count || a.firstId - b.firstId).slice(0, CLOUD_LIMIT)
      .sort((a, b) => a.firstId - b.firstId)
    : groups;
  const most = shown.reduce((m, g) => Math.max(m, g.count), 1);
  dom.cloud.dataset.density = shown.length <= 12 ? "low" : shown.length <= 30 ? "medium" : "high";
  sync(dom.cloud, shown, (g) => g.key,
    () => {
      const node = el("li", "replay-word");
      node.dataset.testid = "replay-value";
      node.append(el("span", "replay-word__text"), el("span", "replay-word__count"));
      return node;
    },
    (node, group) => {
      node.firstChild.textContent = group.text;
      node.lastChild.textContent = group.count > 1 ? String(group.count) : "";
      node.lastChild.hidden = group.count < 2;
      // Five sizes, by share of the most-named value.
      node.dataset.size = String(Math.max(1, Math.ceil((5 * group.count) / Math.max(most, 3))));
      flash(node, `value:${group.key}`);
    });
  dom.empty.hidden = groups.length > 0 || applied > 0;
  dom.cloud.hidden = ended;

  const statements = statementGroups(model).sort((a, b) => b.firstId - a.firstId);
  dom.statementCount.textContent = String(statements.length);
  sync(dom.statements, statements.slice(0, STATEMENT_LIMIT), (g) => g.key,
    () => {
      const node = el("li", "replay-statement");
      node.dataset.testid = "replay-statement";
      node.append(el("span", "replay-statement__text"), el("span", "replay-statement__meta"));
      return node;
    },
    (node, group) => {
      node.firstChild.textContent = group.text;
      const meta = [];
      if (group.count > 1) meta.push(`×${group.count}`);
      if (group.votes) meta.push(interpolate(ngettext("%(n)s vote", "%(n)s votes", group.votes), { n: group.votes }, true));
      node.lastChild.textContent = meta.join(" · ");
      node.lastChild.hidden = meta.length === 0;
      flash(node, `statement:${group.key}`);
    });

  const principles = principleList(model);
  dom.principleCount.textContent = String(principles.length);
  dom.forming.hidden = principles.length === 0 || ended;
  sync(dom.principles, principles, (p) => p.id,
    () => {
      const node = el("li", "replay-principle");
      node.dataset.testid = "replay-principle";
      node.append(el("span", "replay-principle__title"), el("span", "replay-principle__meta"));
      return node;
    },
    (node, principle) => {
      node.firstChild.textContent = principle.title;
      node.dataset.status = principle.status;
      const sources = (principle.sources || []).length;
      const meta = [principle.status === "final" ? gettext("final") : gettext("draft")];
      if (sources) meta.push(interpolate(ngettext("from %(n)s statement", "from %(n)s statements", sources), { n: sources }, true));
      if (principle.votes) meta.push(interpolate(ngettext("%(n)s vote", "%(n)s votes", principle.votes), { n: principle.votes }, true));
      node.lastChild.textContent = meta.join(" · ");
      flash(node, `principle:${principle.id}`);
    });

  const current = applied > 0 ? events[applied - 1] : events[0];
  const when = current ? new Date(current.at) : null;
  if (when && !Number.isNaN(when.getTime())) {
    dom.time.textContent = timeFormat.format(when);
    dom.time.dateTime = current.at;
    dom.date.textContent = dateFormat.format(when);
  }
  dom.scrubber.value = String(Math.round(position));
  const label = interpolate(gettext("%(time)s, event %(n)s of %(total)s"),
    { time: dom.time.textContent, n: applied, total: events.length }, true);
  dom.scrubber.setAttribute("aria-valuetext", label);
  dom.progress.textContent = `${applied} / ${events.length}`;
  dom.scrubber.style.setProperty("--progress", total() ? `${(100 * position) / total()}%` : "0%");
}

// ------------------------------------------------------------------ wiring

dom.play.addEventListener("click", () => {
  if (playing) {
    setPlaying(false);
    return;
  }
  if (position >= total()) seek(0);
  setPlaying(true);
});

for (const button of dom.speeds) {
  button.addEventListener("click", () => setSpeed(Number(button.dataset.speed)));
}

dom.scrubber.addEventListener("input", () => seek(Number(dom.scrubber.value)));

document.addEventListener("keydown", (event) => {
  if (event.target instanceof HTMLInputElement || event.target instanceof HTMLButtonElement) return;
  if (event.key === " " || event.key === "k") {
    event.preventDefault();
    dom.play.click();
  }
});

async function load() {
  try {
    const response = await fetch(config.events_url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(String(response.status));
    const log = await response.json();
    start = log.state;
    events = log.events || [];
  } catch {
    dom.prompt.textContent = gettext("The session could not be loaded. Reload the page to try again.");
    return;
  }
  marks = timeline(events);
  dom.scrubber.max = String(Math.round(total()));
  dom.scrubber.disabled = events.length === 0;
  dom.play.disabled = events.length === 0;
  reset();
  render();
  dom.main.dataset.ready = "true";
  if (events.length === 0) dom.prompt.textContent = gettext("Nothing happened in this session yet.");
}

setSpeed(speed);
load();
