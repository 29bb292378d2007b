// The control room /facilitate/CODE/: design and run the phases (timers, hidden
// results), watch who takes part, moderate (hide, restore, merge), draft principles from
// statements and run consent rounds on them, and read the log of facilitator actions.
import { LiveClient, ServerClock, readConfig } from "./live.js";
import {
  Announcer, consentLabels, el, renderConsentBar, renderLoop, renderStatus, syncKeyed,
} from "./dom.js";
import {
  activityChoices, applyEvent, consentCounts, consentReasons, counts, createModel, currentPhase, formatDuration, hiddenItems,
  pendingItems, principleList, principleSources, pulse, resultsHidden, statementGroups,
  statementRoot, timerRemaining, valueGroupIndex, valueGroups,
} from "./state.js";
import { TablesPanel } from "./tables.js";
import { materialsCard, scheduleForm, scheduleText } from "./after.js";

const VOTING_KINDS = new Set(["statements", "principles", "ideas"]);
const SUGGESTIONS_DELAY = 800; // ms after the last change to the values
const $ = (id) => document.getElementById(id);
const config = readConfig();
const dom = {
  status: $("conn-status"), title: $("control-title"),
  phases: $("phase-list"), phaseError: $("phase-error"), onScreen: $("phase-on-screen"),
  phaseAddForm: $("phase-add-form"), phaseAdd: $("phase-add"),
  online: $("stat-online"), contributors: $("stat-contributors"), values: $("stat-values"),
  distinct: $("stat-distinct"), statements: $("stat-statements"),
  pulseValues: $("pulse-values"), pulseValuesBar: $("pulse-values-bar"),
  pulseStatements: $("pulse-statements"), pulseStatementsBar: $("pulse-statements-bar"),
  pulseNote: $("pulse-note"),
  wordingForm: $("wording-form"), wordingTitle: $("wording-title"),
  wordingTemplate: $("wording-template"), wordingSuggestions: $("wording-suggestions"),
  wordingError: $("wording-error"), wordingSaved: $("wording-saved"),
  valueList: $("control-values"), valuesEmpty: $("control-values-empty"),
  valuesCount: $("values-count"), valuesError: $("values-error"),
  statementList: $("control-statements"), statementsEmpty: $("control-statements-empty"),
  typedActivities: $("typed-activities"), typedActivitiesBlock: $("typed-activities-block"),
  statementsCount: $("statements-count"), statementsError: $("statements-error"),
  announcer: $("announcer"),
  premoderate: $("premoderate-toggle"), pendingList: $("pending-list"),
  pendingEmpty: $("pending-empty"), pendingError: $("pending-error"), pendingCount: $("pending-count"),
  suggestionsList: $("suggestions-list"), suggestionsEmpty: $("suggestions-empty"),
  suggestionsError: $("suggestions-error"), suggestionsCount: $("suggestions-count"),
  hiddenList: $("hidden-list"), hiddenEmpty: $("hidden-empty"), hiddenError: $("hidden-error"),
  hiddenCount: $("hidden-count"),
  proposeForm: $("propose-form"), proposeTitle: $("propose-title"), proposeBody: $("propose-body"),
  proposeSources: $("propose-sources"), proposeError: $("propose-error"),
  principles: $("control-principles"), principlesEmpty: $("control-principles-empty"),
  principlesError: $("principles-error"), principlesCount: $("principles-count"),
  auditList: $("audit-list"), auditEmpty: $("audit-empty"), auditCount: $("audit-count"),
  ideasCard: $("ideas-card"), ideaList: $("control-ideas"), ideasEmpty: $("control-ideas-empty"),
  ideasCount: $("ideas-count"), ideasError: $("ideas-error"),
};

let model = null;
let online = null;
let mergingKey = null; // "value:KEY" or "statement:KEY": the card whose "merge into…" form is open
let editingPhase = null; // the phase key whose settings form is open
let editingPrinciple = null; // the principle id whose edit form is open
let wordingFilled = false;
let historyLoaded = false;
let suggestions = [];
let suggestionsTimer = null;
const pendingPhases = new Map(); // phase key -> "open" | "close" while awaiting the ack
const selected = new Set(); // statement ids ticked as the sources of a new principle
const mySeqs = new Set(); // seqs of the events my own commands caused
const audit = new Map(); // seq -> {seq, at, text, who}: who is the facilitator's name, if known
const clock = new ServerClock();
const announcer = new Announcer(dom.announcer, 6000);
const schedule = renderLoop(render);

const client = new LiveClient({
  config,
  resume: false,
  // A viewer, so the control room is nobody in the counts; its commands are logged under
  // the signed-in facilitator (docs/protocol.md, "Viewers").
  hello: { role: "viewer" },
  onWelcome(welcome, { fresh }) {
    if (fresh || !model) {
      const previous = model;
      model = createModel(welcome);
      for (const principle of (welcome.state && welcome.state.principles) || []) {
        if (principle.consent) recordConsent(principle.consent, "consent.state", welcome.seq || 0);
      }
      // The server never sends hidden text again: keep what this page already knew.
      if (previous) keepHidden(previous, model);
    }
    if (welcome.you && welcome.you.sees !== "facilitator") {
      dom.phaseError.textContent = gettext(
        "This browser is not signed in as a facilitator of this workshop, so its controls will be refused.");
    }
    if (!historyLoaded) {
      historyLoaded = true;
      loadHistory();
    }
    refreshSuggestions();
    schedule();
  },
  onEvent(event) {
    if (!model) return;
    clock.observe(event.at);
    const text = describe(model, event);
    if (text) audit.set(event.seq, auditEntry(event, text));
    recordConsent(event.data, event.event, event.seq);
    const change = applyEvent(model, event);
    if (change && change.added) announcer.count(change.kind, event.data.text || event.data.title);
    if (event.event.startsWith("value.")) refreshSuggestionsSoon();
  },
  onEventsDone: () => schedule(),
  onPresence(count, joined) {
    online = count;
    dom.online.textContent = String(count);
    if (model && joined != null) model.participants = Math.max(model.participants || 0, joined);
    schedule();
  },
  onStatus: (status) => renderStatus(dom.status, status),
  onHelloError(error) {
    dom.phaseError.textContent = error.message;
  },
});
client.start(null);
setInterval(tick, 1000);
const tablesPanel = new TablesPanel(command);

function keepHidden(from, to) {
  for (const [items, into] of [[from.values, to.values], [from.statements, to.statements], [from.ideas, to.ideas]]) {
    for (const item of items.values()) if (item.hidden && !into.has(item.id)) into.set(item.id, item);
  }
}

// ---------------------------------------------------------------------------- commands

function command(type, fields, errorNode) {
  if (errorNode) errorNode.textContent = "";
  return client.send(type, fields).then((ack) => {
    mySeqs.add(ack.seq);
    schedule();
    return ack;
  }, (error) => {
    if (errorNode) errorNode.textContent = error.message;
    throw error;
  });
}

const ignore = () => {};

function togglePhase(phase, action) {
  pendingPhases.set(phase.key, action);
  schedule();
  command(action === "open" ? "phase.open" : "phase.close", { phase: phase.key }, dom.phaseError)
    .catch(ignore)
    .finally(() => {
      pendingPhases.delete(phase.key);
      schedule();
    });
}

/** Hide a whole card (every duplicate in it) with one command: all of it, or nothing. */
function hideGroup(type, ids, errorNode) {
  command(type, { ids }, errorNode).catch(ignore);
}

// ---------------------------------------------------------------------------- history

/**
 * The whole log, replayed once on a scratch model: the facilitation log from before this
 * page was opened, and the text of items hidden before then (to list and restore them).
 */
function loadHistory() {
  fetch(`/facilitate/${encodeURIComponent(config.code)}/events.json`, {
    credentials: "same-origin", headers: { Accept: "application/json" },
  })
    .then((response) => (response.ok ? response.json() : null))
    .then((log) => {
      if (!log || !model) return;
      const scratch = createModel({ state: log.state, you: model.you });
      for (const event of log.events || []) {
        const text = describe(scratch, event);
        if (text && !audit.has(event.seq)) audit.set(event.seq, auditEntry(event, text));
        recordConsent(event.data, event.event, event.seq);
        applyEvent(scratch, event);
      }
      for (const [items, into] of [[scratch.values, model.values], [scratch.statements, model.statements],
        [scratch.ideas, model.ideas]]) {
        for (const item of items.values()) {
          if (item.hidden && !into.has(item.id)) into.set(item.id, { ...item });
        }
      }
      schedule();
    })
    .catch(ignore); // the log is a comfort, not a need: the page works without it
}

function quoted(text) {
  return interpolate(gettext("“%(text)s”"), { text: text ?? "?" }, true);
}

/** “care” for one item or a card of copies, “care”, “caring” for several texts. */
function textsOf(items, ids) {
  const texts = [...new Set((ids || []).map((id) => (items.get(id) || {}).text))];
  return texts.map(quoted).join(", ");
}

function phaseName(m, key) {
  const phase = m.phases.find((p) => p.key === key);
  return quoted(phase ? phase.title : key);
}

function principleName(m, id) {
  const principle = m.principles.get(id);
  return quoted(principle ? principle.title : `#${id}`);
}

/** A line of the log: facilitators' events name who did it (`actor`, docs/protocol.md). */
function auditEntry(event, text) {
  return { seq: event.seq, at: event.at, text, who: (event.actor && event.actor.name) || "" };
}

const dayFormat = new Intl.DateTimeFormat(document.documentElement.lang || undefined,
  { dateStyle: "long", timeZone: "UTC" });

/** "2027-01-31" as the reader writes a day; the text itself if it is not one. */
function dayName(iso) {
  const when = Date.parse(`${iso}T00:00:00Z`);
  return Number.isNaN(when) ? String(iso) : dayFormat.format(new Date(when));
}

/** One line of the facilitation log for a facilitator's event (null for the room's own). */
function describe(m, event) {
  const data = event.data || {};
  const say = (format, values) => interpolate(format, values, true);
  switch (event.event) {
    case "value.hidden":
      return say(gettext("hid the value %(what)s"), { what: quoted((m.values.get(data.id) || {}).text) });
    case "statement.hidden":
      return say(gettext("hid the statement %(what)s"), { what: quoted((m.statements.get(data.id) || {}).text) });
    case "value.restored":
      return say(gettext("restored the value %(what)s"), { what: quoted(data.text) });
    case "statement.restored":
      return say(gettext("restored the statement %(what)s"), { what: quoted(data.text) });
    case "value.added":
    case "statement.added":
    case "idea.added": {
      const known = (event.event === "value.added" ? m.values
        : event.event === "idea.added" ? m.ideas : m.statements).get(data.id);
      if (!known || !known.pending) return null;
      return say(gettext("approved %(what)s"), { what: quoted(data.text) });
    }
    case "value.merged":
      return say(gettext("merged %(what)s into %(into)s"), {
        what: quoted((m.values.get(data.id) || {}).text), into: quoted((m.values.get(data.into) || {}).text) });
    case "values.merged":
      return say(gettext("merged %(what)s into %(into)s"), {
        what: textsOf(m.values, data.ids), into: quoted((m.values.get(data.into) || {}).text) });
    case "statement.merged":
      return say(gettext("merged %(what)s into %(into)s"), {
        what: textsOf(m.statements, data.ids), into: quoted((m.statements.get(data.into) || {}).text) });
    case "values.hidden":
      return say(gettext("hid the value %(what)s"), { what: textsOf(m.values, data.ids) });
    case "statements.hidden":
      return say(gettext("hid the statement %(what)s"), { what: textsOf(m.statements, data.ids) });
    case "idea.hidden":
      return say(gettext("hid the idea %(what)s"), { what: quoted((m.ideas.get(data.id) || {}).text) });
    case "idea.restored":
      return say(gettext("restored the idea %(what)s"), { what: quoted(data.text) });
    case "idea.moved":
      return say(gettext("moved the idea %(what)s to %(column)s"), {
        what: quoted((m.ideas.get(data.id) || {}).text), column: columnName(m, m.ideas.get(data.id), data.column) });
    case "activity.removed":
      return say(gettext("removed the activity %(what)s from the suggestions"), { what: quoted(data.activity) });
    case "phase.opened":
      return say(data.scheduled ? gettext("the phase %(what)s opened on schedule")
        : gettext("opened the phase %(what)s"), { what: phaseName(m, data.phase) });
    case "phase.closed":
      return say(data.scheduled ? gettext("the phase %(what)s closed on schedule")
        : gettext("closed the phase %(what)s"), { what: phaseName(m, data.phase) });
    case "material.added":
      return say(gettext("gave the room the link %(what)s"), { what: quoted(data.title) });
    case "material.removed":
      return gettext("removed a link");
    case "phase.added":
      return say(gettext("added the phase %(what)s"), { what: quoted(data.title) });
    case "phase.removed":
      return say(gettext("removed the phase %(what)s"), { what: phaseName(m, data.phase) });
    case "phase.moved":
      return say(gettext("reordered the phases: %(order)s"), {
        order: (data.order || []).map((key) => (m.phases.find((p) => p.key === key) || { title: key }).title).join(" → ") });
    case "phase.updated":
      return say(gettext("changed the phase %(what)s (vote budget %(n)s)"), { what: quoted(data.title), n: data.vote_budget });
    case "workshop.updated":
      return gettext("changed the workshop's wording");
    case "moderation.changed":
      return data.premoderated ? gettext("turned approval before showing on")
        : gettext("turned approval before showing off");
    case "timer.started":
      return say(gettext("started a %(time)s timer on %(what)s"), {
        time: formatDuration((data.seconds || 0) * 1000), what: phaseName(m, data.phase) });
    case "timer.stopped":
      return say(gettext("stopped the timer on %(what)s"), { what: phaseName(m, data.phase) });
    case "results.hidden":
      return say(gettext("hid the results of %(what)s until reveal"), { what: phaseName(m, data.phase) });
    case "results.revealed":
      return say(gettext("revealed the results of %(what)s"), { what: phaseName(m, data.phase) });
    case "principle.edited":
      return say(gettext("edited the principle %(what)s"), { what: quoted(data.title) });
    case "principle.finalized":
      return say(gettext("finalized the principle %(what)s"), { what: principleName(m, data.id) });
    case "consent.opened":
      return say(gettext("opened a consent round on %(what)s"), { what: principleName(m, data.principle) });
    case "consent.closed": {
      const { counts: c } = consentCounts(data);
      const labels = consentLabels();
      return say(gettext("closed the consent round on %(what)s: %(result)s"), {
        what: principleName(m, data.principle),
        result: Object.keys(labels).map((level) => `${labels[level]} ${c[level]}`).join(", ") });
    }
    case "consent.reasons_shown":
      return say(data.reasons_shown
        ? gettext("showed the consent reasons on %(what)s on the projector")
        : gettext("took the consent reasons on %(what)s off the projector"), { what: principleName(m, data.principle) });
    case "member.added":
      return say(data.role === "organiser" ? gettext("made %(who)s an organiser")
        : gettext("made %(who)s a co-facilitator"), { who: data.username || gettext("someone") });
    case "member.removed":
      return say(data.role === "organiser" ? gettext("removed %(who)s from the organisers")
        : gettext("removed %(who)s from the co-facilitators"), { who: data.username || gettext("someone") });
    case "screen.shared":
      return data.replaced ? gettext("made a new projector link; the previous one stopped working")
        : gettext("made a projector link");
    case "screen.unshared":
      return gettext("revoked the projector link");
    case "report.shared":
      return data.replaced ? gettext("made a new report link; the previous one stopped working")
        : gettext("shared the report by a link");
    case "report.unshared":
      return gettext("revoked the report link");
    case "tables.formed":
      return say(ngettext("formed %(n)s table", "formed %(n)s tables", (data.tables || []).length),
        { n: (data.tables || []).length });
    case "table.changed":
      // A late joiner seated by the server has no facilitator behind it: not logged.
      return event.actor ? say(gettext("moved %(name)s to %(table)s"), {
        name: data.name || gettext("someone"), table: (m.tables.get(data.table) || {}).name || "" }) : null;
    case "table.added":
      return say(gettext("added %(table)s"), { table: data.name });
    case "table.renamed":
      return say(gettext("renamed %(old)s to %(table)s"),
        { old: (m.tables.get(data.table) || {}).name || "", table: data.name });
    case "tables.ended":
      return gettext("ended the tables: everyone is back in the room");
    case "retention.changed":
      return data.delete_after
        ? say(gettext("set the workshop to be deleted on %(day)s"), { day: dayName(data.delete_after) })
        : gettext("cleared the deletion date: the workshop is kept");
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------- render

function render() {
  if (!model) return;
  dom.title.textContent = model.workshop.title || dom.title.textContent;
  renderPhases();
  renderStats();
  renderWording();
  renderValues();
  renderStatements();
  renderIdeas();
  tablesPanel.render(model);
  renderModeration();
  renderSuggestions();
  renderHidden();
  renderPrinciples();
  renderConsentRecord();
  renderAudit();
  renderMaterials(model);
  renderEnding();
  tick();
}

function renderStats() {
  const c = counts(model);
  const authors = new Set();
  for (const item of [...model.values.values(), ...model.statements.values()]) {
    if (item.by && !item.hidden && !item.pending) authors.add(item.by.id);
  }
  dom.values.textContent = String(c.values);
  dom.distinct.textContent = String(c.distinctValues);
  dom.statements.textContent = String(c.statements);
  dom.contributors.textContent = String(authors.size);
  dom.online.textContent = online == null ? "–" : String(online);

  const p = pulse(model);
  const total = Math.max(p.participants, p.valueAuthors, p.statementAuthors);
  const line = (node, bar, n, text) => {
    node.textContent = text;
    bar.style.width = `${total ? Math.round((100 * n) / total) : 0}%`;
  };
  // ngettext with literal strings at each call, so makemessages finds them.
  line(dom.pulseValues, dom.pulseValuesBar, p.valueAuthors, interpolate(ngettext(
    "%(n)s of %(total)s has added a value", "%(n)s of %(total)s have added a value", p.valueAuthors),
  { n: p.valueAuthors, total }, true));
  line(dom.pulseStatements, dom.pulseStatementsBar, p.statementAuthors, interpolate(ngettext(
    "%(n)s of %(total)s has written a statement", "%(n)s of %(total)s have written a statement",
    p.statementAuthors), { n: p.statementAuthors, total }, true));
  dom.pulseNote.textContent = online == null
    ? interpolate(ngettext("%(n)s person has joined.", "%(n)s people have joined.", total), { n: total }, true)
    : interpolate(gettext("%(n)s joined so far, %(online)s connected now."),
      { n: total, online }, true);
}

function statusLabel(status) {
  return {
    open: pgettext("phase status", "Open"),
    closed: pgettext("phase status", "Closed"),
    pending: gettext("Not started"),
  }[status] || status;
}

function kindLabel(kind) {
  return { values: gettext("Values"), statements: gettext("Statements"),
    principles: gettext("Principles"), ideas: gettext("Ideas") }[kind] || kind;
}

function button(text, className, id, onClick) {
  return el("button", { type: "button", className: `btn btn--small ${className}`, id, text,
    on: { click: onClick } });
}

function createPhaseRow(phase) {
  const key = phase.key;
  const node = el("li", { className: "phase-row", dataset: { phase: key } });
  const minutesId = `timer-minutes-${key}`;
  node.append(
    el("div", { className: "phase-row__main" },
      el("p", { className: "phase-row__title" },
        el("span", { className: "phase-row__name" }),
        el("span", { className: "phase-status" }),
        el("span", { className: "phase-kind" }),
        el("span", { className: "phase-timer", id: `phase-timer-${key}` }),
        el("span", { className: "phase-results" })),
      el("p", { className: "phase-row__prompt" }),
      el("p", { className: "phase-row__schedule" })),
    el("div", { className: "phase-row__actions" },
      button("", "btn--primary phase-open", `phase-open-${key}`, () => togglePhase(node.phase, "open")),
      button("", "btn--ghost phase-close", `phase-close-${key}`, () => togglePhase(node.phase, "close"))),
    // The facilitator's script for the step: only facilitators' states carry it.
    el("details", { className: "phase-notes", id: `phase-script-${key}` },
      el("summary", { className: "phase-notes__summary", text: gettext("Your notes") }),
      el("p", { className: "phase-notes__text prewrap" })),
    el("div", { className: "phase-row__tools" },
      el("span", { className: "tool-group timer-tools" },
        el("label", { htmlFor: minutesId, className: "tool-label", text: gettext("Timer (minutes)") }),
        el("input", { type: "number", id: minutesId, className: "timer-minutes", min: "1", max: "240",
          step: "1", value: String(phase.minutes || 5), inputMode: "numeric" }),
        button(gettext("Start"), "btn--secondary timer-start", `timer-start-${key}`, () => startTimer(node.phase)),
        button(gettext("Stop"), "btn--ghost timer-stop", `timer-stop-${key}`,
          () => command("timer.stop", { phase: node.phase.key }, dom.phaseError).catch(ignore))),
      el("span", { className: "tool-group results-tools" },
        button("", "btn--secondary results-toggle", `results-toggle-${key}`, () => toggleResults(node.phase))),
      el("span", { className: "tool-group order-tools" },
        button("↑", "btn--ghost phase-up", `phase-up-${key}`, () => movePhase(node.phase, -1)),
        button("↓", "btn--ghost phase-down", `phase-down-${key}`, () => movePhase(node.phase, 1)),
        button(gettext("Settings"), "btn--ghost phase-settings", `phase-edit-${key}`, () => toggleEditPhase(node.phase)),
        button(gettext("Schedule"), "btn--ghost phase-schedule-toggle", `phase-schedule-${key}`,
          () => toggleSchedule(node.phase)),
        button(gettext("Remove"), "btn--danger phase-remove", `phase-remove-${key}`, () => removePhase(node.phase)))),
  );
  return node;
}

/** Say which phase people see: with two open, phones and the screen show only the later. */
function renderOnScreen(current) {
  const behind = model.phases.filter((p) => p.status === "open" && p !== current);
  dom.onScreen.classList.toggle("is-split", behind.length > 0);
  if (!current) {
    dom.onScreen.textContent = gettext("No phase is open: people see “Between activities”.");
  } else if (behind.length) {
    dom.onScreen.textContent = interpolate(ngettext(
      "People see %(title)s. %(others)s is open too, but not on their screens: close it, or move it after.",
      "People see %(title)s. %(others)s are open too, but not on their screens: close them, or move them after.",
      behind.length), { title: quoted(current.title), others: behind.map((p) => quoted(p.title)).join(", ") }, true);
  } else {
    dom.onScreen.textContent = interpolate(gettext("People see %(title)s."), { title: quoted(current.title) }, true);
  }
}

function renderPhases() {
  const current = currentPhase(model);
  const last = model.phases.length - 1;
  renderOnScreen(current);
  syncKeyed(dom.phases, model.phases, (p) => p.key, createPhaseRow, (node, phase) => {
    node.phase = phase;
    const index = model.phases.indexOf(phase);
    const key = CSS.escape(phase.key);
    node.classList.toggle("is-current", phase === current);
    node.querySelector(".phase-row__name").textContent = phase.title;
    const badge = node.querySelector(".phase-status");
    badge.dataset.status = phase.status;
    const seen = phase.status !== "open" || phase === current;
    badge.dataset.seen = String(seen);
    badge.textContent = phase === current
      ? interpolate(gettext("%(status)s · people see this"), { status: statusLabel(phase.status) }, true)
      : seen ? statusLabel(phase.status)
        : interpolate(gettext("%(status)s · not shown to people"), { status: statusLabel(phase.status) }, true);
    const voting = VOTING_KINDS.has(phase.kind);
    node.querySelector(".phase-kind").textContent = [
      voting && phase.vote_budget
        ? interpolate(ngettext("%(kind)s · %(n)s vote each", "%(kind)s · %(n)s votes each", phase.vote_budget ?? 0),
          { kind: kindLabel(phase.kind), n: phase.vote_budget ?? 0 }, true)
        : kindLabel(phase.kind),
      phase.minutes ? interpolate(gettext("%(n)s min suggested"), { n: phase.minutes }, true) : "",
      phase.tables ? gettext("in tables") : "",
    ].filter(Boolean).join(" · ");
    renderNotes(node, phase, phase === current);
    const results = node.querySelector(".phase-results");
    results.hidden = !phase.results_hidden;
    results.textContent = gettext("Results hidden");
    const prompt = node.querySelector(".phase-row__prompt");
    prompt.textContent = phase.prompt || "";
    prompt.hidden = !phase.prompt;
    const pending = pendingPhases.get(phase.key);
    const open = node.querySelector(`#phase-open-${key}`);
    const close = node.querySelector(`#phase-close-${key}`);
    open.hidden = phase.status === "open";
    close.hidden = phase.status !== "open";
    open.disabled = close.disabled = Boolean(pending);
    open.textContent = pending === "open" ? gettext("Opening…")
      : phase.status === "closed" ? gettext("Reopen") : gettext("Open");
    close.textContent = pending === "close" ? gettext("Closing…") : gettext("Close");
    open.setAttribute("aria-label", interpolate(phase.status === "closed"
      ? gettext("Reopen the phase %(title)s") : gettext("Open the phase %(title)s"), { title: phase.title }, true));
    close.setAttribute("aria-label", interpolate(gettext("Close the phase %(title)s"), { title: phase.title }, true));
    node.querySelector(`#timer-stop-${key}`).hidden = !phase.timer_ends_at;
    node.querySelector(`#timer-start-${key}`).textContent = phase.timer_ends_at ? gettext("Restart") : gettext("Start");
    node.querySelector(".results-tools").hidden = !voting;
    const toggle = node.querySelector(`#results-toggle-${key}`);
    toggle.textContent = phase.results_hidden ? gettext("Reveal results") : gettext("Hide results until reveal");
    toggle.setAttribute("aria-pressed", String(Boolean(phase.results_hidden)));
    node.querySelector(`#phase-up-${key}`).disabled = index <= 0;
    node.querySelector(`#phase-down-${key}`).disabled = index >= last;
    node.querySelector(`#phase-up-${key}`).setAttribute("aria-label",
      interpolate(gettext("Move %(title)s up"), { title: phase.title }, true));
    node.querySelector(`#phase-down-${key}`).setAttribute("aria-label",
      interpolate(gettext("Move %(title)s down"), { title: phase.title }, true));
    node.querySelector(`#phase-remove-${key}`).setAttribute("aria-label",
      interpolate(gettext("Remove the phase %(title)s"), { title: phase.title }, true));
    const editButton = node.querySelector(`#phase-edit-${key}`);
    editButton.setAttribute("aria-expanded", String(editingPhase === phase.key));
    const form = node.querySelector(".phase-edit");
    if (editingPhase === phase.key && !form) node.append(phaseForm(phase));
    else if (editingPhase !== phase.key && form) form.remove();
    renderSchedule(node, phase);
  });
}

let notesOpenedFor = null; // the phase whose notes opened by themselves when people came to it

/** A phase's notes beside it, opened by themselves once for the phase people see. */
function renderNotes(node, phase, isCurrent) {
  const notes = node.querySelector(".phase-notes");
  notes.hidden = !phase.notes;
  node.querySelector(".phase-notes__text").textContent = phase.notes || "";
  if (isCurrent && phase.notes && notesOpenedFor !== phase.key) {
    notesOpenedFor = phase.key;
    notes.open = true;
  }
  const timer = node.querySelector(".timer-minutes");
  // The timer proposes the design's duration, unless the facilitator is typing another.
  if (phase.minutes && timer !== document.activeElement && timer.dataset.minutes !== String(phase.minutes)) {
    timer.dataset.minutes = String(phase.minutes);
    timer.value = String(Math.min(phase.minutes, 240));
  }
}

// ---------------------------------------------------------------------------- schedules

let schedulingPhase = null; // the key of the phase whose schedule form is open

function renderSchedule(node, phase) {
  const line = node.querySelector(".phase-row__schedule");
  line.textContent = scheduleText(phase);
  line.hidden = !line.textContent;
  const toggle = node.querySelector(".phase-schedule-toggle");
  toggle.setAttribute("aria-expanded", String(schedulingPhase === phase.key));
  toggle.setAttribute("aria-label", interpolate(gettext("Schedule the phase %(title)s"), { title: phase.title }, true));
  const form = node.querySelector(".phase-schedule");
  if (schedulingPhase === phase.key && !form) {
    node.append(scheduleForm(phase, (fields) => command("phase.update", fields, dom.phaseError),
      () => toggleSchedule(phase)));
  } else if (schedulingPhase !== phase.key && form) form.remove();
}

function toggleSchedule(phase) {
  schedulingPhase = schedulingPhase === phase.key ? null : phase.key;
  render();
  const input = document.getElementById(`phase-${phase.status === "open" ? "closes" : "opens"}-${phase.key}`);
  if (schedulingPhase && input) input.focus();
}

const renderMaterials = materialsCard(command);

function tick() {
  if (!model) return;
  const now = clock.now();
  for (const phase of model.phases) {
    const node = document.getElementById(`phase-timer-${phase.key}`);
    if (!node) continue;
    const left = timerRemaining(phase, now);
    node.hidden = left === null;
    if (left !== null) {
      node.textContent = left > 0 ? formatDuration(left) : gettext("Time is up");
      node.classList.toggle("is-up", left === 0);
    }
  }
}

function startTimer(phase) {
  const input = document.getElementById(`timer-minutes-${phase.key}`);
  const minutes = Number(input.value);
  if (!(minutes > 0)) {
    dom.phaseError.textContent = gettext("Give the timer a number of minutes.");
    input.focus();
    return;
  }
  command("timer.start", { phase: phase.key, seconds: Math.min(14400, Math.round(minutes * 60)) }, dom.phaseError)
    .catch(ignore);
}

function toggleResults(phase) {
  command(phase.results_hidden ? "results.reveal" : "results.hide", { phase: phase.key }, dom.phaseError)
    .catch(ignore);
}

function movePhase(phase, step) {
  const from = model.phases.indexOf(phase);
  const position = from + step;
  if (position < 0 || position >= model.phases.length) return;
  // Move it here at once, so quick clicks count from where the phase now stands rather
  // than from where the last event left it; phase.moved then confirms the order.
  model.phases.splice(from, 1);
  model.phases.splice(position, 0, phase);
  model.phases.forEach((each, index) => { each.position = index; });
  schedule();
  command("phase.move", { phase: phase.key, position }, dom.phaseError).catch(ignore);
}

function removePhase(phase) {
  const question = interpolate(
    gettext("Remove the phase “%(title)s”? What was said in it stays; the phase itself is gone."),
    { title: phase.title }, true);
  if (!window.confirm(question)) return;
  command("phase.remove", { phase: phase.key }, dom.phaseError).catch(ignore);
}

function toggleEditPhase(phase) {
  editingPhase = editingPhase === phase.key ? null : phase.key;
  render();
  if (editingPhase) {
    const input = document.getElementById(`phase-title-${phase.key}`);
    if (input) input.focus();
  }
}

function phaseForm(phase) {
  const id = (name) => `phase-${name}-${phase.key}`;
  const title = el("input", { type: "text", id: id("title"), maxLength: 120, value: phase.title || "" });
  const prompt = el("textarea", { id: id("prompt"), maxLength: 500, rows: 2, value: phase.prompt || "" });
  const budget = el("input", { type: "number", id: id("budget"), min: "0", max: "50", step: "1",
    value: String(phase.vote_budget ?? 3), inputMode: "numeric" });
  const minutes = el("input", { type: "number", id: id("minutes"), min: "0", max: "600", step: "1",
    value: phase.minutes ? String(phase.minutes) : "", inputMode: "numeric" });
  const tables = el("input", { type: "checkbox", id: id("tables"), checked: Boolean(phase.tables) });
  const notes = el("textarea", { id: id("notes"), maxLength: 4000, rows: 6, value: phase.notes || "",
    className: "phase-edit__notes" });
  const voting = VOTING_KINDS.has(phase.kind);
  return el("form", {
    className: "phase-edit form-grid",
    on: {
      submit: (submit) => {
        submit.preventDefault();
        // Minutes left empty: no suggested duration, which phase.update reads as 0.
        const fields = { phase: phase.key, title: title.value, prompt: prompt.value, notes: notes.value,
          minutes: minutes.value.trim() ? Number(minutes.value) : 0, tables: tables.checked };
        if (voting) fields.vote_budget = Number(budget.value);
        command("phase.update", fields, dom.phaseError).then(() => {
          editingPhase = null;
          render();
        }, ignore);
      },
    },
  },
  el("div", { className: "field" }, el("label", { htmlFor: id("title"), text: gettext("Title") }), title),
  voting ? el("div", { className: "field" },
    el("label", { htmlFor: id("budget"), text: gettext("Votes per person") }), budget) : null,
  el("div", { className: "field form-grid__wide" },
    el("label", { htmlFor: id("prompt"), text: gettext("Prompt") }), prompt),
  el("div", { className: "field" },
    el("label", { htmlFor: id("minutes"), text: gettext("Suggested minutes") }), minutes),
  el("div", { className: "field field--check" }, tables,
    el("label", { htmlFor: id("tables"), text: gettext("Runs in tables") })),
  el("div", { className: "field form-grid__wide" },
    el("label", { htmlFor: id("notes"), text: gettext("Your notes (facilitators only)") }), notes),
  el("div", { className: "form-grid__wide form-actions" },
    el("button", { type: "submit", className: "btn btn--primary btn--small", id: id("save"), text: gettext("Save") }),
    button(gettext("Cancel"), "btn--ghost", null, () => toggleEditPhase(phase))));
}

dom.phaseAddForm.addEventListener("submit", (submit) => {
  submit.preventDefault();
  const form = dom.phaseAddForm;
  const fields = { kind: $("phase-add-kind").value, title: $("phase-add-title").value.trim(),
    prompt: $("phase-add-prompt").value.trim() };
  if (fields.kind === "ideas") fields.columns = columnsFrom($("phase-add-columns").value);
  if (!fields.title) {
    dom.phaseError.textContent = gettext("Give the new phase a title.");
    $("phase-add-title").focus();
    return;
  }
  command("phase.add", fields, dom.phaseError).then(() => {
    form.reset();
    $("phase-add-columns-field").hidden = true;
    dom.phaseAdd.open = false;
  }, ignore);
});

// Only an ideas phase has columns: their field shows for that kind.
$("phase-add-kind").addEventListener("change", (change) => {
  $("phase-add-columns-field").hidden = change.target.value !== "ideas";
});

/** Columns typed one a line, with keys made from their titles: [{key, title}]. */
function columnsFrom(text) {
  const columns = [];
  for (const line of text.split("\n")) {
    const title = line.trim();
    if (!title) continue;
    const base = title.normalize("NFKD").replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "")
      .toLowerCase().slice(0, 30) || "column";
    let key = base;
    for (let n = 2; columns.some((column) => column.key === key); n += 1) key = `${base}-${n}`;
    columns.push({ key, title });
  }
  return columns;
}

// ---------------------------------------------------------------------------- wording

function templateForPeople(template) {
  return (template || "").replace("{activity}", "(ACTIVITY)").replace("{value}", "(VALUE)");
}

function renderWording() {
  const form = dom.wordingForm;
  if (wordingFilled && (form.contains(document.activeElement) || form.dataset.dirty === "1")) return;
  wordingFilled = true;
  dom.wordingTitle.value = model.workshop.title || "";
  dom.wordingTemplate.value = templateForPeople(model.workshop.statement_template);
  dom.wordingSuggestions.value = (model.workshop.activity_suggestions || []).join("\n");
}

dom.wordingForm.addEventListener("input", () => { dom.wordingForm.dataset.dirty = "1"; });
dom.wordingForm.addEventListener("submit", (submit) => {
  submit.preventDefault();
  const suggestionsList = dom.wordingSuggestions.value.split(/\n|,/).map((s) => s.trim()).filter(Boolean);
  dom.wordingSaved.textContent = "";
  command("workshop.update", {
    title: dom.wordingTitle.value,
    statement_template: dom.wordingTemplate.value,
    activity_suggestions: suggestionsList,
  }, dom.wordingError).then(() => {
    dom.wordingForm.dataset.dirty = "";
    dom.wordingSaved.textContent = gettext("Saved. Everyone sees the new wording now.");
    schedule();
  }, ignore);
});

// ---------------------------------------------------------------------------- values

function authorsOf(items) {
  const names = [];
  let anonymous = 0;
  for (const item of items) {
    if (item && item.by && item.by.name) {
      if (!names.includes(item.by.name)) names.push(item.by.name);
    } else {
      anonymous += 1;
    }
  }
  const shown = names.slice(0, 3);
  const rest = names.length - shown.length + anonymous;
  if (rest > 0) {
    shown.push(interpolate(ngettext("%(n)s other", "%(n)s others", rest), { n: rest }, true));
  }
  return shown.join(", ");
}

function renderValues() {
  const groups = valueGroups(model).sort((a, b) => b.firstId - a.firstId);
  syncKeyed(dom.valueList, groups, (g) => g.key, () => {
    const node = el("li", { className: "mod-item", dataset: { testid: "control-value" } });
    node.append(
      el("div", {},
        el("p", { className: "mod-item__text" }),
        el("p", { className: "mod-item__meta" })),
      el("div", { className: "mod-item__actions" },
        el("button", { type: "button", className: "btn btn--ghost btn--small merge-toggle",
          text: gettext("Merge into…"), on: { click: () => toggleMerge("value", node.group.key) } }),
        el("button", { type: "button", className: "btn btn--danger btn--small hide-button",
          text: gettext("Hide"),
          on: { click: () => hideGroup("values.hide", node.group.ids, dom.valuesError) } })),
    );
    return node;
  }, (node, group) => {
    node.group = group;
    node.dataset.ids = group.ids.join(" ");
    node.querySelector(".mod-item__text").textContent = group.text;
    const items = group.ids.map((id) => model.values.get(id));
    node.querySelector(".mod-item__meta").textContent = [
      interpolate(ngettext("%(n)s time", "%(n)s times", group.count), { n: group.count }, true),
      authorsOf(items),
    ].filter(Boolean).join(" · ");
    node.querySelector(".hide-button").setAttribute("aria-label",
      interpolate(gettext("Hide “%(text)s”"), { text: group.text }, true));
    syncMergeForm(node, "value", group, groups);
  });
  dom.valuesEmpty.hidden = groups.length > 0;
  dom.valuesCount.textContent = groups.length ? `(${counts(model).values})` : "";
}

function toggleMerge(kind, key) {
  const wanted = `${kind}:${key}`;
  mergingKey = mergingKey === wanted ? null : wanted;
  render();
  if (mergingKey) {
    const select = document.querySelector(".merge-form select");
    if (select) select.focus();
  }
}

// How each kind of card is merged: values move as a group, a statement with its copies.
const MERGE = {
  value: {
    target: (g) => g.firstId,
    send: (group, into) => command("values.merge", { ids: group.ids, into }, dom.valuesError),
  },
  statement: {
    target: (g) => g.voteId,
    send: (group, into) => command("statement.merge", { id: group.voteId, into }, dom.statementsError),
  },
};

/** The "merge into…" control of a card: shown, or not, as `mergingKey` says. */
function syncMergeForm(node, kind, group, groups) {
  const open = mergingKey === `${kind}:${group.key}`;
  const toggle = node.querySelector(".merge-toggle");
  toggle.setAttribute("aria-expanded", String(open));
  toggle.hidden = groups.length < 2;
  const form = node.querySelector(".merge-form");
  if (open && !form) node.append(mergeForm(kind, group, groups));
  else if (!open && form) form.remove();
}

function mergeForm(kind, group, groups) {
  const how = MERGE[kind];
  const selectId = `merge-into-${kind}-${how.target(group)}`;
  const select = el("select", { id: selectId, name: "into" });
  const targets = groups.filter((g) => g.key !== group.key)
    .sort((a, b) => b.count - a.count || a.text.localeCompare(b.text));
  for (const target of targets) {
    select.append(el("option", { value: String(how.target(target)),
      text: interpolate(gettext("%(text)s (%(n)s)"), { text: target.text, n: target.count }, true) }));
  }
  return el("form", {
    className: "merge-form",
    on: {
      submit: (submit) => {
        submit.preventDefault();
        const into = Number(select.value);
        if (!into) return;
        how.send(group, into).catch(ignore);
        mergingKey = null;
        render();
      },
    },
  },
  el("label", { htmlFor: selectId,
    text: interpolate(gettext("Merge “%(text)s” into"), { text: group.text }, true) }),
  select,
  el("button", { type: "submit", className: "btn btn--primary btn--small", text: gettext("Merge") }),
  el("button", { type: "button", className: "btn btn--ghost btn--small", text: gettext("Cancel"),
    on: { click: () => toggleMerge(kind, group.key) } }));
}

// ---------------------------------------------------------------------------- merge suggestions

function refreshSuggestionsSoon() {
  clearTimeout(suggestionsTimer);
  suggestionsTimer = setTimeout(refreshSuggestions, SUGGESTIONS_DELAY);
}

function refreshSuggestions() {
  clearTimeout(suggestionsTimer);
  fetch(`/facilitate/${encodeURIComponent(config.code)}/suggestions.json`, {
    credentials: "same-origin", headers: { Accept: "application/json" },
  })
    .then((response) => {
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    })
    .then((body) => {
      suggestions = Array.isArray(body.suggestions) ? body.suggestions : [];
      dom.suggestionsError.textContent = "";
      schedule();
    })
    .catch(() => {
      dom.suggestionsError.textContent = gettext("Could not load the merge suggestions; they come back with the next change.");
    });
}

function suggestionKey(s) {
  return `${s.into.id}<${s.merge.map((m) => m.id).join(",")}`;
}

function renderSuggestions() {
  // Leave out suggestions this page already knows are done (merged, hidden, removed).
  const live = suggestions.filter((s) => {
    const into = model.values.get(s.into.id);
    if (!into || into.hidden) return false;
    return s.merge.some((m) => {
      const value = model.values.get(m.id);
      return value && !value.hidden && value.key !== into.key;
    });
  });
  syncKeyed(dom.suggestionsList, live, suggestionKey, () => {
    const node = el("li", { className: "mod-item", dataset: { testid: "merge-suggestion" } });
    node.append(
      el("div", {}, el("p", { className: "mod-item__text" }), el("p", { className: "mod-item__meta" })),
      el("div", { className: "mod-item__actions" },
        el("button", { type: "button", className: "btn btn--primary btn--small suggestion-merge",
          text: gettext("Merge"), on: { click: () => acceptSuggestion(node.suggestion, node) } })),
    );
    return node;
  }, (node, s) => {
    node.suggestion = s;
    const folded = [...new Set(s.merge.map((m) => m.text))].join(", ");
    node.querySelector(".mod-item__text").textContent = interpolate(
      gettext("“%(merge)s” → “%(into)s”"), { merge: folded, into: s.into.text }, true);
    node.querySelector(".mod-item__meta").textContent = interpolate(
      gettext("%(n)s into %(m)s"), {
        n: interpolate(ngettext("%(n)s mention", "%(n)s mentions", s.count), { n: s.count }, true),
        m: interpolate(ngettext("%(n)s mention", "%(n)s mentions", s.into.count), { n: s.into.count }, true),
      }, true);
    node.querySelector(".suggestion-merge").setAttribute("aria-label", interpolate(
      gettext("Merge “%(merge)s” into “%(into)s”"), { merge: folded, into: s.into.text }, true));
  });
  dom.suggestionsEmpty.hidden = live.length > 0;
  dom.suggestionsCount.textContent = live.length ? `(${live.length})` : "";
}

function acceptSuggestion(s, node) {
  node.querySelector(".suggestion-merge").disabled = true;
  command("values.merge", { ids: s.merge.map((m) => m.id), into: s.into.id }, dom.suggestionsError)
    .catch(ignore)
    .finally(() => refreshSuggestions());
}

// ---------------------------------------------------------------------------- statements

function renderStatements() {
  const groups = statementGroups(model).sort((a, b) => b.firstId - a.firstId);
  const hidden = resultsHidden(model, "statement");
  const live = new Set(groups.map((g) => g.voteId));
  for (const id of [...selected]) if (!live.has(id)) selected.delete(id);
  syncKeyed(dom.statementList, groups, (g) => g.key, (first) => {
    const node = el("li", { className: "mod-item mod-item--check", dataset: { testid: "control-statement" } });
    const checkId = `source-${first.voteId}`;
    const check = el("input", { type: "checkbox", id: checkId, className: "source-check",
      on: { change: () => {
        if (check.checked) selected.add(node.group.voteId);
        else selected.delete(node.group.voteId);
        renderProposeHint();
      } } });
    node.append(
      el("div", { className: "mod-item__check" }, check,
        el("label", { htmlFor: checkId, className: "visually-hidden", text: gettext("Use as a source") })),
      el("div", {},
        el("p", { className: "mod-item__text" }),
        el("p", { className: "mod-item__meta" })),
      el("div", { className: "mod-item__actions" },
        el("button", { type: "button", className: "btn btn--ghost btn--small merge-toggle",
          text: gettext("Merge into…"), on: { click: () => toggleMerge("statement", node.group.key) } }),
        el("button", { type: "button", className: "btn btn--danger btn--small hide-button",
          text: gettext("Hide"),
          on: { click: () => hideGroup("statements.hide", node.group.ids, dom.statementsError) } })),
    );
    return node;
  }, (node, group) => {
    node.group = group;
    node.dataset.ids = group.ids.join(" ");
    node.querySelector(".mod-item__text").textContent = group.text;
    const check = node.querySelector(".source-check");
    check.checked = selected.has(group.voteId);
    node.querySelector(".mod-item__check label").textContent = interpolate(
      gettext("Use “%(text)s” as a source"), { text: group.text }, true);
    const items = group.ids.map((id) => model.statements.get(id));
    node.querySelector(".mod-item__meta").textContent = [
      interpolate(ngettext("%(n)s time", "%(n)s times", group.count), { n: group.count }, true),
      hidden || group.votes == null ? gettext("votes hidden")
        : interpolate(ngettext("%(n)s vote", "%(n)s votes", group.votes), { n: group.votes }, true),
      authorsOf(items),
    ].filter(Boolean).join(" · ");
    node.querySelector(".hide-button").setAttribute("aria-label",
      interpolate(gettext("Hide “%(text)s”"), { text: group.text }, true));
    syncMergeForm(node, "statement", group, groups);
  });
  dom.statementsEmpty.hidden = groups.length > 0;
  dom.statementsCount.textContent = groups.length ? `(${counts(model).statements})` : "";
  renderProposeHint();
  renderTypedActivities();
}

/** What people typed as activities, which phones offer as chips: each can be removed. */
function renderTypedActivities() {
  const typed = activityChoices(model).filter((choice) => choice.typed);
  syncKeyed(dom.typedActivities, typed, (choice) => choice.text.trim().toLocaleLowerCase(), () => {
    const node = el("li", { className: "mod-item", dataset: { testid: "typed-activity" } });
    node.append(
      el("div", {},
        el("p", { className: "mod-item__text" }),
        el("p", { className: "mod-item__meta" })),
      el("div", { className: "mod-item__actions" },
        el("button", { type: "button", className: "btn btn--danger btn--small remove-activity",
          text: gettext("Remove"),
          on: { click: (click) => {
            const button = click.currentTarget;
            button.disabled = true;
            command("activity.remove", { activity: node.choice.text }, dom.statementsError)
              .catch(() => { button.disabled = false; });
          } } })),
    );
    return node;
  }, (node, choice) => {
    node.choice = choice;
    node.querySelector(".mod-item__text").textContent = choice.text;
    node.querySelector(".mod-item__meta").textContent = interpolate(
      ngettext("in %(n)s statement", "in %(n)s statements", choice.ids.length), { n: choice.ids.length }, true);
    node.querySelector(".remove-activity").setAttribute("aria-label",
      interpolate(gettext("Remove the activity “%(text)s”"), { text: choice.text }, true));
  });
  dom.typedActivitiesBlock.hidden = typed.length === 0;
}

// ---------------------------------------------------------------------------- ideas

function itemKindName(kind) {
  return { value: gettext("Value"), statement: gettext("Statement"), idea: gettext("Idea") }[kind] || kind;
}

function columnName(m, idea, key) {
  const phase = idea ? m.phases.find((p) => p.key === idea.phase) : null;
  const column = phase && (phase.columns || []).find((c) => c.key === key);
  return quoted(column ? column.title : key || "");
}

/** The ideas feed: every card of the ideas phases, newest first, to hide or move. */
function renderIdeas() {
  const phases = new Map(model.phases.filter((p) => p.kind === "ideas").map((p) => [p.key, p]));
  dom.ideasCard.hidden = phases.size === 0;
  const ideas = [...model.ideas.values()]
    .filter((idea) => !idea.hidden && !idea.pending && phases.has(idea.phase))
    .sort((a, b) => b.id - a.id);
  syncKeyed(dom.ideaList, ideas, (idea) => idea.id, () => {
    const node = el("li", { className: "mod-item", dataset: { testid: "control-idea" } });
    const move = el("select", { className: "idea-move",
      on: { change: () => command("idea.move", { id: node.idea.id, column: move.value }, dom.ideasError)
        .catch(() => { move.value = node.idea.column ?? ""; }) } });
    node.append(
      el("div", {}, el("p", { className: "mod-item__text" }), el("p", { className: "mod-item__meta" })),
      el("div", { className: "mod-item__actions" },
        el("label", { className: "visually-hidden idea-move-label" }), move,
        el("button", { type: "button", className: "btn btn--danger btn--small hide-button",
          text: gettext("Hide"),
          on: { click: () => command("idea.hide", { id: node.idea.id }, dom.ideasError).catch(ignore) } })),
    );
    return node;
  }, (node, idea) => {
    node.idea = idea;
    const phase = phases.get(idea.phase);
    const parent = idea.parent != null ? model.ideas.get(idea.parent) : null;
    node.querySelector(".mod-item__text").textContent = idea.text;
    node.querySelector(".mod-item__meta").textContent = [
      phase.title,
      parent && !parent.hidden ? interpolate(gettext("answers %(what)s"), { what: quoted(parent.text) }, true) : null,
      idea.votes ? interpolate(ngettext("%(n)s vote", "%(n)s votes", idea.votes), { n: idea.votes }, true) : null,
      idea.by && idea.by.name ? idea.by.name : gettext("anonymous"),
    ].filter(Boolean).join(" · ");
    const move = node.querySelector(".idea-move");
    const columns = phase.columns || [];
    move.hidden = columns.length === 0;
    move.id = `idea-move-${idea.id}`;
    const label = node.querySelector(".idea-move-label");
    label.htmlFor = move.id;
    label.textContent = interpolate(gettext("Column of “%(text)s”"), { text: idea.text }, true);
    const options = columns.map((column) => `${column.key}\u0000${column.title}`).join("\u0001");
    if (move.dataset.options !== options) {
      move.dataset.options = options;
      move.replaceChildren(...columns.map((column) => el("option", { value: column.key, text: column.title })));
    }
    move.value = idea.column ?? "";
    node.querySelector(".hide-button").setAttribute("aria-label",
      interpolate(gettext("Hide “%(text)s”"), { text: idea.text }, true));
  });
  dom.ideasEmpty.hidden = ideas.length > 0;
  dom.ideasCount.textContent = ideas.length ? `(${ideas.length})` : "";
}

// ---------------------------------------------------------------------------- premoderation

dom.premoderate.addEventListener("click", () => {
  const next = !model.workshop.premoderated;
  dom.premoderate.disabled = true;
  command("moderation.set", { premoderated: next }, dom.pendingError)
    .catch(ignore)
    .finally(() => { dom.premoderate.disabled = false; });
});

function renderModeration() {
  const on = Boolean(model.workshop.premoderated);
  dom.premoderate.setAttribute("aria-pressed", String(on));
  dom.premoderate.textContent = on
    ? gettext("On: contributions wait for your approval")
    : gettext("Off: contributions show at once");
  const items = pendingItems(model);
  syncKeyed(dom.pendingList, items, (item) => `${item.kind}:${item.id}`, () => {
    const node = el("li", { className: "mod-item", dataset: { testid: "pending-item" } });
    node.append(
      el("div", {}, el("p", { className: "mod-item__text" }), el("p", { className: "mod-item__meta" })),
      el("div", { className: "mod-item__actions" },
        el("button", { type: "button", className: "btn btn--primary btn--small approve-button",
          text: gettext("Approve"),
          on: { click: () => command(`${node.item.kind}.approve`, { id: node.item.id }, dom.pendingError).catch(ignore) } }),
        el("button", { type: "button", className: "btn btn--danger btn--small hide-button",
          text: gettext("Hide"),
          on: { click: () => command(`${node.item.kind}.hide`, { id: node.item.id }, dom.pendingError).catch(ignore) } })),
    );
    return node;
  }, (node, item) => {
    node.item = item;
    node.querySelector(".mod-item__text").textContent = item.text;
    node.querySelector(".mod-item__meta").textContent = [
      itemKindName(item.kind),
      item.by && item.by.name ? item.by.name : gettext("anonymous"),
    ].join(" · ");
    node.querySelector(".approve-button").setAttribute("aria-label",
      interpolate(gettext("Approve “%(text)s”"), { text: item.text }, true));
    node.querySelector(".hide-button").setAttribute("aria-label",
      interpolate(gettext("Hide “%(text)s”"), { text: item.text }, true));
  });
  dom.pendingEmpty.hidden = items.length > 0;
  dom.pendingCount.textContent = items.length ? `(${items.length})` : "";
}

// ---------------------------------------------------------------------------- hidden

function renderHidden() {
  const items = hiddenItems(model);
  syncKeyed(dom.hiddenList, items, (item) => `${item.kind}:${item.id}`, () => {
    const node = el("li", { className: "mod-item is-hidden-item", dataset: { testid: "hidden-item" } });
    node.append(
      el("div", {}, el("p", { className: "mod-item__text" }), el("p", { className: "mod-item__meta" })),
      el("div", { className: "mod-item__actions" },
        el("button", { type: "button", className: "btn btn--secondary btn--small restore-button",
          text: gettext("Restore"),
          on: { click: () => command(`${node.item.kind}.restore`, { id: node.item.id }, dom.hiddenError).catch(ignore) } })),
    );
    return node;
  }, (node, item) => {
    node.item = item;
    node.dataset.kind = item.kind;
    node.dataset.id = String(item.id);
    node.querySelector(".mod-item__text").textContent = item.text;
    node.querySelector(".mod-item__meta").textContent = [
      itemKindName(item.kind),
      item.by && item.by.name ? item.by.name : gettext("anonymous"),
    ].join(" · ");
    node.querySelector(".restore-button").setAttribute("aria-label",
      interpolate(gettext("Restore “%(text)s”"), { text: item.text }, true));
  });
  dom.hiddenEmpty.hidden = items.length > 0;
  dom.hiddenCount.textContent = items.length ? `(${items.length})` : "";
}

// ---------------------------------------------------------------------------- principles

function selectedSources() {
  return [...selected].filter((id) => {
    const statement = model.statements.get(id);
    return statement && !statement.hidden;
  }).sort((a, b) => a - b);
}

function renderProposeHint() {
  const n = selectedSources().length;
  dom.proposeSources.textContent = n
    ? interpolate(ngettext("From %(n)s ticked statement.", "From %(n)s ticked statements.", n), { n }, true)
    : gettext("Tick statements in the Live section's Statements list to draft a principle from them (or draft one from scratch).");
}

dom.proposeForm.addEventListener("submit", (submit) => {
  submit.preventDefault();
  const title = dom.proposeTitle.value.trim();
  if (!title) {
    dom.proposeError.textContent = gettext("Give the principle a title.");
    dom.proposeTitle.focus();
    return;
  }
  const sources = selectedSources();
  command("principle.propose", { title, body: dom.proposeBody.value.trim(), sources }, dom.proposeError)
    .then(() => {
      dom.proposeForm.reset();
      selected.clear();
      schedule();
    }, ignore);
});

function reorderPrinciple(principle, step) {
  const order = principleList(model);
  const index = order.indexOf(principle);
  const to = index + step;
  if (index < 0 || to < 0 || to >= order.length) return;
  order.splice(index, 1);
  order.splice(to, 0, principle);
  // Positions are per principle: renumber every one that is out of place.
  order.forEach((each, position) => {
    if (each.position !== position) {
      command("principle.edit", { id: each.id, position }, dom.principlesError).catch(ignore);
    }
  });
}

function toggleEditPrinciple(principle) {
  editingPrinciple = editingPrinciple === principle.id ? null : principle.id;
  render();
  if (editingPrinciple != null) {
    const input = document.getElementById(`principle-title-${principle.id}`);
    if (input) input.focus();
  }
}

function principleForm(principle) {
  const id = (name) => `principle-${name}-${principle.id}`;
  const title = el("input", { type: "text", id: id("title"), maxLength: 120, value: principle.title || "" });
  const body = el("textarea", { id: id("body"), maxLength: 2000, rows: 3, value: principle.body || "" });
  return el("form", {
    className: "principle-edit form-grid",
    on: {
      submit: (submit) => {
        submit.preventDefault();
        command("principle.edit", { id: principle.id, title: title.value, body: body.value }, dom.principlesError)
          .then(() => {
            editingPrinciple = null;
            render();
          }, ignore);
      },
    },
  },
  el("div", { className: "field form-grid__wide" }, el("label", { htmlFor: id("title"), text: gettext("Title") }), title),
  el("div", { className: "field form-grid__wide" }, el("label", { htmlFor: id("body"), text: gettext("Text") }), body),
  el("div", { className: "form-grid__wide form-actions" },
    el("button", { type: "submit", className: "btn btn--primary btn--small", id: id("save"), text: gettext("Save") }),
    button(gettext("Cancel"), "btn--ghost", null, () => toggleEditPrinciple(principle))));
}

function createPrinciple(first) {
  const pid = first.id;
  const node = el("li", { className: "control-principle", dataset: { testid: "control-principle", principle: String(pid) } });
  node.append(
    el("div", { className: "cp__head" },
      el("span", { className: "cp__rank" }),
      el("h3", { className: "cp__title" }),
      el("span", { className: "cp__status badge" }),
      el("span", { className: "cp__votes" })),
    el("p", { className: "cp__body prewrap" }),
    el("details", { className: "cp__sources" },
      el("summary", { className: "cp__sources-summary" }),
      el("ul", { className: "roots" })),
    el("div", { className: "cp__consent" },
      el("p", { className: "cp__consent-title" }),
      el("div", { className: "consent-bar" }),
      el("ul", { className: "cp__reasons" })),
    el("div", { className: "cp__actions" },
      button("↑", "btn--ghost principle-up", `principle-up-${pid}`, () => reorderPrinciple(node.principle, -1)),
      button("↓", "btn--ghost principle-down", `principle-down-${pid}`, () => reorderPrinciple(node.principle, 1)),
      button(gettext("Edit"), "btn--ghost principle-edit-button", `principle-edit-${pid}`, () => toggleEditPrinciple(node.principle)),
      button(gettext("Open a consent round"), "btn--secondary consent-open", `consent-open-${pid}`,
        () => command("consent.open", { id: node.principle.id }, dom.principlesError).catch(ignore)),
      button(gettext("Close the round"), "btn--secondary consent-close", `consent-close-${pid}`,
        () => command("consent.close", { id: node.principle.id }, dom.principlesError).catch(ignore)),
      button(gettext("Show reasons on the projector"), "btn--ghost consent-reasons-show", `consent-reasons-show-${pid}`,
        () => command("consent.reasons_show", { id: node.principle.id, shown: !node.principle.consent.reasons_shown },
          dom.principlesError).catch(ignore)),
      button(gettext("Finalize"), "btn--primary principle-finalize", `principle-finalize-${pid}`,
        () => finalizePrinciple(node.principle))),
  );
  return node;
}

/** What finalizing this principle would agree over: its round still open, objections in
 * its last round. Empty when there is nothing to confirm. */
function finalizeCaveats(principle) {
  const consent = principle.consent;
  if (!consent) return [];
  const caveats = [];
  if (consent.status === "open") caveats.push(gettext("The consent round is still open."));
  const objections = consentCounts(consent).counts.cannot;
  if (objections) {
    caveats.push(interpolate(ngettext("%(n)s person cannot support this.", "%(n)s people cannot support this.",
      objections), { n: objections }, true), gettext("The screen will show “Agreed with objections noted”."));
  }
  return caveats;
}

/** Finalize, asking first when the room has not clearly agreed; the server refuses an
 * unconfirmed finalize in those cases too, so a second control room cannot slip past. */
function finalizePrinciple(principle) {
  const caveats = finalizeCaveats(principle);
  if (caveats.length) {
    const question = interpolate(gettext("Finalize “%(title)s”? %(caveats)s"),
      { title: principle.title, caveats: caveats.join(" ") }, true);
    if (!window.confirm(question)) return;
  }
  command("principle.finalize", { id: principle.id, confirm: caveats.length > 0 }, dom.principlesError).catch(ignore);
}

function renderPrinciples() {
  const roots = valueGroupIndex(model);
  const principles = principleList(model);
  const hidden = resultsHidden(model, "principle");
  syncKeyed(dom.principles, principles, (p) => p.id, createPrinciple, (node, principle) => {
    node.principle = principle;
    const index = principles.indexOf(principle);
    const pid = principle.id;
    node.classList.toggle("is-final", principle.status === "final");
    node.querySelector(".cp__rank").textContent = `${index + 1}.`;
    node.querySelector(".cp__title").textContent = principle.title;
    node.querySelector(".cp__status").textContent = principle.status === "final" ? gettext("Final") : gettext("Draft");
    node.querySelector(".cp__status").dataset.status = principle.status;
    node.querySelector(".cp__votes").textContent = hidden || principle.votes == null
      ? gettext("votes hidden")
      : interpolate(ngettext("%(n)s vote", "%(n)s votes", principle.votes), { n: principle.votes }, true);
    const body = node.querySelector(".cp__body");
    body.textContent = principle.body || "";
    body.hidden = !principle.body;

    const sources = principleSources(model, principle);
    node.querySelector(".cp__sources").hidden = sources.length === 0;
    node.querySelector(".cp__sources-summary").textContent = interpolate(
      ngettext("Built on %(n)s statement", "Built on %(n)s statements", sources.length), { n: sources.length }, true);
    syncKeyed(node.querySelector(".roots"), sources, (s) => s.id,
      () => el("li", { className: "root" },
        el("span", { className: "root__statement" }), el("span", { className: "root__value" })),
      (li, statement) => {
        li.querySelector(".root__statement").textContent = statement.text;
        li.querySelector(".root__value").textContent = interpolate(
          gettext("builds on the value %(value)s"), { value: quoted(statementRoot(model, statement, roots).text) }, true);
      });

    const consent = principle.consent;
    const consentBox = node.querySelector(".cp__consent");
    consentBox.hidden = !consent;
    const roundOpen = Boolean(consent && consent.status === "open");
    if (consent) {
      const tally = consentCounts(consent);
      consentBox.classList.toggle("is-open", roundOpen);
      node.querySelector(".cp__consent-title").textContent = roundOpen
        ? interpolate(ngettext("Consent round open · %(n)s response", "Consent round open · %(n)s responses", tally.total),
          { n: tally.total }, true)
        : interpolate(ngettext("Last consent round · %(n)s response", "Last consent round · %(n)s responses", tally.total),
          { n: tally.total }, true);
      renderConsentBar(node.querySelector(".consent-bar"), tally);
      const labels = consentLabels();
      syncKeyed(node.querySelector(".cp__reasons"), consentReasons(consent).map((r, i) => ({ ...r, i })),
        (r) => `${r.i}:${r.level}:${r.reason}`, () => el("li", { className: "reason" }), (li, r) => {
          li.textContent = interpolate(gettext("%(level)s: %(reason)s"), { level: labels[r.level] || r.level, reason: r.reason }, true);
        });
    }
    // The reasons go up on the projector only when the facilitator says so.
    const showReasons = node.querySelector(`#consent-reasons-show-${pid}`);
    showReasons.hidden = !consent;
    showReasons.textContent = consent && consent.reasons_shown
      ? gettext("Hide reasons from the projector") : gettext("Show reasons on the projector");
    node.querySelector(`#consent-open-${pid}`).hidden = roundOpen;
    node.querySelector(`#consent-open-${pid}`).textContent = consent ? gettext("New consent round") : gettext("Open a consent round");
    node.querySelector(`#consent-close-${pid}`).hidden = !roundOpen;
    node.querySelector(`#principle-finalize-${pid}`).hidden = principle.status === "final";
    node.querySelector(`#principle-up-${pid}`).disabled = index === 0;
    node.querySelector(`#principle-down-${pid}`).disabled = index === principles.length - 1;
    for (const [cls, label] of [["principle-up", gettext("Move %(title)s up")],
      ["principle-down", gettext("Move %(title)s down")], ["principle-finalize", gettext("Finalize %(title)s")],
      ["principle-edit-button", gettext("Edit %(title)s")]]) {
      node.querySelector(`.${cls}`).setAttribute("aria-label", interpolate(label, { title: principle.title }, true));
    }
    const form = node.querySelector(".principle-edit");
    if (editingPrinciple === pid && !form) node.append(principleForm(principle));
    else if (editingPrinciple !== pid && form) form.remove();
  });
  dom.principlesEmpty.hidden = principles.length > 0;
  const final = principles.filter((p) => p.status === "final").length;
  dom.principlesCount.textContent = principles.length
    ? interpolate(gettext("(%(n)s, %(final)s final)"), { n: principles.length, final }, true) : "";
}

// ---------------------------------------------------------------------------- audit log

const timeFormat = new Intl.DateTimeFormat(document.documentElement.lang || undefined,
  { hour: "2-digit", minute: "2-digit", second: "2-digit" });

function renderAudit() {
  const entries = [...audit.values()].sort((a, b) => b.seq - a.seq);
  syncKeyed(dom.auditList, entries, (e) => e.seq,
    () => el("li", { className: "audit-entry", dataset: { testid: "audit-entry" } },
      el("time", { className: "audit-entry__time" }),
      el("span", { className: "audit-entry__who" }),
      el("span", { className: "audit-entry__what" })),
    (node, entry) => {
      const time = node.querySelector("time");
      time.dateTime = entry.at || "";
      const when = Date.parse(entry.at);
      time.textContent = Number.isNaN(when) ? "" : timeFormat.format(new Date(when));
      node.querySelector(".audit-entry__who").textContent = mySeqs.has(entry.seq)
        ? gettext("You") : entry.who || gettext("A facilitator");
      node.querySelector(".audit-entry__what").textContent = entry.text;
    });
  dom.auditEmpty.hidden = entries.length > 0;
  dom.auditCount.textContent = entries.length ? `(${entries.length})` : "";
}

// ---------------------------------------------------------------------------- the ending

const ending = {
  ended: $("session-ended"), share: $("session-share-report"), shareLabel: $("session-share-label"),
  end: $("session-end-button"), reopen: $("session-reopen-button"), error: $("session-error"),
};

function renderEnding() {
  const ended = Boolean(model.workshop.ended);
  ending.ended.hidden = !ended;
  ending.shareLabel.hidden = ended;
  ending.end.hidden = ended;
  ending.reopen.hidden = !ended;
}

ending.end.addEventListener("click", () => {
  if (!window.confirm(ending.end.dataset.confirm)) return;
  command("session.end", { share_report: ending.share.checked }, ending.error).catch(ignore);
});
ending.reopen.addEventListener("click", () => command("session.reopen", {}, ending.error).catch(ignore));

// ---------------------------------------------------------------------------- consent record
// Every consent round on every principle, not only the latest, with every reason given
// at any level (`all_reasons`; `reasons` alone are those who cannot support). Fed by the
// welcome's state, the event history and live events; rounds are keyed by their id and
// each keeps the summary of the highest seq seen, so the history never rolls one back.
const consentRounds = new Map(); // principle id -> Map(round id -> latest summary)
const consentDom = {
  list: $("consent-record"), empty: $("consent-record-empty"), count: $("consent-record-count"),
};

function recordConsent(data, kind, seq) {
  if (!kind.startsWith("consent.") || !data || data.round == null) return;
  if (!consentRounds.has(data.principle)) consentRounds.set(data.principle, new Map());
  const rounds = consentRounds.get(data.principle);
  const known = rounds.get(data.round);
  if (known && known.seq > seq) return;
  rounds.set(data.round, {
    round: data.round, seq, status: data.status, distribution: { ...(data.distribution || {}) },
    reasons: data.all_reasons
      || (data.reasons || []).map((reason) => ({ level: "cannot", reason })),
  });
}

function renderConsentRecord() {
  if (!consentDom.list) return;
  const labels = consentLabels();
  const principles = principleList(model).filter((p) => consentRounds.has(p.id));
  let total = 0;
  syncKeyed(consentDom.list, principles, (p) => p.id,
    () => el("li", { className: "consent-record__principle" },
      el("h3", { className: "consent-record__title" }), el("ol", { className: "consent-record__rounds" })),
    (li, principle) => {
      li.querySelector(".consent-record__title").textContent = principle.title;
      const rounds = [...consentRounds.get(principle.id).values()].sort((a, b) => a.round - b.round);
      total += rounds.length;
      syncKeyed(li.querySelector(".consent-record__rounds"), rounds.map((r, i) => ({ ...r, number: i + 1 })),
        (r) => r.round,
        () => el("li", { className: "consent-record__round" },
          el("p", { className: "consent-record__round-title" }), el("div", { className: "consent-bar" }),
          el("ul", { className: "consent-record__reasons" })),
        (node, r) => {
          const tally = consentCounts(r);
          node.querySelector(".consent-record__round-title").textContent = interpolate(
            r.status === "open"
              ? ngettext("Round %(number)s · open · %(n)s response", "Round %(number)s · open · %(n)s responses", tally.total)
              : ngettext("Round %(number)s · closed · %(n)s response", "Round %(number)s · closed · %(n)s responses", tally.total),
            { number: r.number, n: tally.total }, true);
          renderConsentBar(node.querySelector(".consent-bar"), tally);
          syncKeyed(node.querySelector(".consent-record__reasons"), r.reasons.map((x, i) => ({ ...x, i })),
            (x) => `${x.i}:${x.level}:${x.reason}`, () => el("li", { className: "reason" }),
            (item, x) => {
              item.textContent = interpolate(gettext("%(level)s: %(reason)s"),
                { level: labels[x.level] || x.level, reason: x.reason }, true);
            });
        });
    });
  consentDom.empty.hidden = principles.length > 0;
  consentDom.count.textContent = total ? `(${total})` : "";
}
