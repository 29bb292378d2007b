// What the control room's sections share: quoting user text inside a sentence, the
// names of kinds and columns, a card's authors, the small buttons, and keeping the text
// of hidden items the server no longer sends. Every section is a function of `room`, the
// one object static/js/control.js builds: {config, model, online, clock, mySeqs,
// command(type, fields, errorNode), render(), schedule()}.
import { el } from "../dom.js";

/** The phase kinds people vote in: their rows offer a vote budget and hidden results. */
export const VOTING_KINDS = new Set(["statements", "principles", "ideas"]);

export const $ = (id) => document.getElementById(id);

/** For a command whose refusal its error line already shows. */
export const ignore = () => {};

export function quoted(text) {
  return interpolate(gettext("“%(text)s”"), { text: text ?? "?" }, true);
}

/** “care” for one item or a card of copies, “care”, “caring” for several texts. */
export function textsOf(items, ids) {
  const texts = [...new Set((ids || []).map((id) => (items.get(id) || {}).text))];
  return texts.map(quoted).join(", ");
}

export function button(text, className, id, onClick) {
  return el("button", { type: "button", className: `btn btn--small ${className}`, id, text,
    on: { click: onClick } });
}

export function itemKindName(kind) {
  return { value: gettext("Value"), statement: gettext("Statement"), idea: gettext("Idea") }[kind] || kind;
}

export function columnName(m, idea, key) {
  const phase = idea ? m.phases.find((p) => p.key === idea.phase) : null;
  const column = phase && (phase.columns || []).find((c) => c.key === key);
  return quoted(column ? column.title : key || "");
}

/** "Ada, Grace, 2 others": who wrote the copies on a card. */
export function authorsOf(items) {
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

/** The server never sends hidden text again: keep, in `to`, the hidden items `from` knew. */
export function keepHidden(from, to) {
  for (const [items, into] of [[from.values, to.values], [from.statements, to.statements], [from.ideas, to.ideas]]) {
    for (const item of items.values()) if (item.hidden && !into.has(item.id)) into.set(item.id, { ...item });
  }
}
