// The control room's figures: how many are connected, who has contributed, how many
// values (and distinct ones) and statements, and the pulse bars (of everyone who joined,
// how many have added a value, written a statement).
import { counts, pulse } from "../state.js";
import { $ } from "./common.js";

export function statsSection(room) {
  const dom = {
    online: $("stat-online"), contributors: $("stat-contributors"), values: $("stat-values"),
    distinct: $("stat-distinct"), statements: $("stat-statements"),
    pulseValues: $("pulse-values"), pulseValuesBar: $("pulse-values-bar"),
    pulseStatements: $("pulse-statements"), pulseStatementsBar: $("pulse-statements-bar"),
    pulseNote: $("pulse-note"),
  };

  /** The presence frame: people connected now (shown at once), and joined so far. */
  function presence(online, joined) {
    room.online = online;
    dom.online.textContent = String(online);
    if (room.model && joined != null) room.model.participants = Math.max(room.model.participants || 0, joined);
  }

  function render(model) {
    const online = room.online;
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

  return { presence, render };
}
