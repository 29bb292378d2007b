// The control room's facilitation log: one line for each facilitator's action (who hid,
// merged, opened, finalized what, and when), from the whole history (events.json,
// replayed once on a scratch model, which also gives back the text of items hidden
// before the page opened) and then from live events.
import { el, consentLabels, syncKeyed } from "../dom.js";
import { applyEvent, consentCounts, createModel, formatDuration } from "../state.js";
import { $, columnName, ignore, keepHidden, quoted, textsOf } from "./common.js";

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
    case "message.sent":
      return say(gettext("sent everyone the message %(what)s"), { what: quoted(data.text) });
    case "message.cleared":
      return gettext("took the message off every screen");
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

const timeFormat = new Intl.DateTimeFormat(document.documentElement.lang || undefined,
  { hour: "2-digit", minute: "2-digit", second: "2-digit" });

/** `record(data, kind, seq)`: where the history's consent events go (consent.js). */
export function auditLog(room, record) {
  const dom = { list: $("audit-list"), empty: $("audit-empty"), count: $("audit-count") };
  const entries = new Map(); // seq -> {seq, at, text, who}: who is the facilitator's name, if known
  const ui = { loaded: false };

  /** A live event, before the model applies it (its line names what it changed). */
  function observe(model, event) {
    const text = describe(model, event);
    if (text) entries.set(event.seq, auditEntry(event, text));
  }

  /**
   * The whole log, replayed once on a scratch model: the facilitation log from before this
   * page was opened, and the text of items hidden before then (to list and restore them).
   */
  function loadHistory() {
    if (ui.loaded) return;
    ui.loaded = true;
    fetch(`/facilitate/${encodeURIComponent(room.config.code)}/events.json`, {
      credentials: "same-origin", headers: { Accept: "application/json" },
    })
      .then((response) => (response.ok ? response.json() : null))
      .then((log) => {
        if (!log || !room.model) return;
        const scratch = createModel({ state: log.state, you: room.model.you });
        for (const event of log.events || []) {
          const text = describe(scratch, event);
          if (text && !entries.has(event.seq)) entries.set(event.seq, auditEntry(event, text));
          record(event.data, event.event, event.seq);
          applyEvent(scratch, event);
        }
        keepHidden(scratch, room.model);
        room.schedule();
      })
      .catch(ignore); // the log is a comfort, not a need: the page works without it
  }

  function render() {
    const lines = [...entries.values()].sort((a, b) => b.seq - a.seq);
    syncKeyed(dom.list, lines, (e) => e.seq,
      () => el("li", { className: "audit-entry", dataset: { testid: "audit-entry" } },
        el("time", { className: "audit-entry__time" }),
        el("span", { className: "audit-entry__who" }),
        el("span", { className: "audit-entry__what" })),
      (node, entry) => {
        const time = node.querySelector("time");
        time.dateTime = entry.at || "";
        const when = Date.parse(entry.at);
        time.textContent = Number.isNaN(when) ? "" : timeFormat.format(new Date(when));
        node.querySelector(".audit-entry__who").textContent = room.mySeqs.has(entry.seq)
          ? gettext("You") : entry.who || gettext("A facilitator");
        node.querySelector(".audit-entry__what").textContent = entry.text;
      });
    dom.empty.hidden = lines.length > 0;
    dom.count.textContent = lines.length ? `(${lines.length})` : "";
  }

  return { observe, loadHistory, render };
}
