// The outcome of an ended session, as the projector, the phones and the replay show it:
// the agreed principles with the statements they grew from, the values most named, and
// for a design of ideas (1-2-4-All, Min Specs...) its last step's cards, most voted first.
// One drawing for all three pages, so the room, each phone and the replay say the same.
import { el, syncKeyed } from "./dom.js";
import {
  consentCounts, ideaWall, principleList, principleNumbers, principleSources, statementRoot, valueGroupIndex,
  valueGroups,
} from "./state.js";

export const TOP_VALUES = 10;
export const TOP_IDEAS = 10;

/** The cards of the last ideas phase that has any, most voted first (ties: oldest). */
function lastIdeas(model) {
  for (const phase of [...model.phases].reverse()) {
    if (phase.kind !== "ideas") continue;
    const cards = [];
    const gather = (list) => { for (const card of list) { cards.push(card); gather(card.answers); } };
    for (const column of ideaWall(model, phase.key)) gather(column.cards);
    if (cards.length) {
      const titles = new Map((phase.columns || []).map((column) => [column.key, column.title]));
      cards.sort((a, b) => (b.votes || 0) - (a.votes || 0) || a.id - b.id);
      return cards.map((card) => ({ ...card, columnTitle: titles.get(card.column) || "" }));
    }
  }
  return [];
}

/** "Agreed", or "Agreed with objections noted" when its last round had an objection. */
export function agreedLabel(principle) {
  const objections = principle.consent ? consentCounts(principle.consent).counts.cannot : 0;
  return objections > 0 ? gettext("Agreed with objections noted") : gettext("Agreed");
}

/**
 * What the session leaves: the final principles (all proposed ones when none was agreed,
 * said so in the heading) and the values most named, most first.
 */
export function outcome(model) {
  const all = principleList(model);
  const agreed = all.filter((p) => p.status === "final");
  const groups = valueGroups(model);
  const top = [...groups].sort((a, b) => b.count - a.count || a.firstId - b.firstId).slice(0, TOP_VALUES);
  const ideas = lastIdeas(model);
  const has = (kind) => model.phases.some((phase) => phase.kind === kind);
  return {
    principles: agreed.length ? agreed : all, agreed: agreed.length > 0, values: top, valueCount: groups.length,
    ideas: ideas.slice(0, TOP_IDEAS), ideaCount: ideas.length,
    // A design without principles or values does not say it made none.
    showPrinciples: all.length > 0 || has("principles"), showValues: groups.length > 0 || has("values"),
  };
}

function skeleton(container, prefix) {
  container.append(
    el("div", { className: "outcome__part outcome__part--principles", id: `${prefix}-outcome-principles-part` },
      el("h2", { className: "outcome__heading", id: `${prefix}-outcome-principles-title` }),
      el("ol", { className: "outcome__principles", id: `${prefix}-outcome-principles`,
        attrs: { "aria-labelledby": `${prefix}-outcome-principles-title` } }),
      el("p", { className: "screen__more outcome__more", id: `${prefix}-outcome-principles-more`, hidden: true }),
      el("p", { className: "outcome__none", id: `${prefix}-outcome-none`, hidden: true })),
    el("div", { className: "outcome__part outcome__part--ideas", id: `${prefix}-outcome-ideas-part`, hidden: true },
      el("h2", { className: "outcome__heading", id: `${prefix}-outcome-ideas-title` }),
      el("ol", { className: "outcome__ideas", id: `${prefix}-outcome-ideas`,
        attrs: { "aria-labelledby": `${prefix}-outcome-ideas-title` } })),
    el("div", { className: "outcome__part outcome__part--values", id: `${prefix}-outcome-values-part` },
      el("h2", { className: "outcome__heading", id: `${prefix}-outcome-values-title` }),
      el("ol", { className: "outcome__values", id: `${prefix}-outcome-values`,
        attrs: { "aria-labelledby": `${prefix}-outcome-values-title` } })));
  container.dataset.built = "1";
}

/** Draw the outcome of `model` into `container` (its ids start with `prefix`). */
export function renderOutcome(container, model, { prefix }) {
  if (!container.dataset.built) skeleton(container, prefix);
  const $ = (suffix) => container.querySelector(`#${prefix}-outcome-${suffix}`);
  const result = outcome(model);
  $("principles-part").hidden = !result.showPrinciples;
  $("values-part").hidden = !result.showValues;
  $("ideas-part").hidden = result.ideas.length === 0;
  const parts = [result.showPrinciples, result.showValues, result.ideas.length > 0].filter(Boolean).length;
  container.classList.toggle("outcome--single", parts === 1);
  renderIdeas($("ideas-title"), $("ideas"), result);
  const numbers = principleNumbers(model);
  const roots = valueGroupIndex(model);
  $("principles-title").textContent = result.agreed || result.principles.length === 0
    ? gettext("The principles we agreed") : gettext("The principles we drafted");
  $("none").hidden = result.principles.length > 0;
  $("none").textContent = gettext("No principle was drafted in this session.");
  syncKeyed($("principles"), result.principles, (p) => p.id,
    () => el("li", { className: "outcome-principle", dataset: { testid: "outcome-principle" } },
      el("p", { className: "outcome-principle__head" },
        el("span", { className: "outcome-principle__number" }),
        el("span", { className: "outcome-principle__title" }),
        el("span", { className: "outcome-principle__status" })),
      el("p", { className: "outcome-principle__body" }),
      el("ul", { className: "outcome-principle__sources" })),
    (node, principle) => {
      node.querySelector(".outcome-principle__number").textContent = String(numbers.get(principle.id));
      node.querySelector(".outcome-principle__title").textContent = principle.title;
      const status = node.querySelector(".outcome-principle__status");
      status.hidden = principle.status !== "final";
      status.textContent = agreedLabel(principle);
      const body = node.querySelector(".outcome-principle__body");
      body.textContent = principle.body || "";
      body.hidden = !principle.body;
      const sources = principleSources(model, principle);
      const list = node.querySelector(".outcome-principle__sources");
      list.hidden = sources.length === 0;
      list.setAttribute("aria-label", gettext("Grew from"));
      syncKeyed(list, sources, (s) => s.id,
        () => el("li", { className: "outcome-source", dataset: { testid: "outcome-source" } },
          el("span", { className: "outcome-source__text" }), el("span", { className: "outcome-source__value" })),
        (li, statement) => {
          li.querySelector(".outcome-source__text").textContent = statement.text;
          li.querySelector(".outcome-source__value").textContent = statementRoot(model, statement, roots).text;
        });
    });
  $("values-title").textContent = result.valueCount > result.values.length
    ? interpolate(gettext("The %(shown)s values most named, of %(total)s"),
      { shown: result.values.length, total: result.valueCount }, true)
    : gettext("The values we named");
  syncKeyed($("values"), result.values, (g) => g.key,
    () => el("li", { className: "outcome-value", dataset: { testid: "outcome-value" } },
      el("span", { className: "outcome-value__text" }), el("span", { className: "outcome-value__count" })),
    (li, group) => {
      li.firstChild.textContent = group.text;
      li.lastChild.textContent = String(group.count);
      li.setAttribute("aria-label", interpolate(
        ngettext("%(text)s (%(n)s person)", "%(text)s (%(n)s people)", group.count),
        { text: group.text, n: group.count }, true));
    });
  return result;
}

function renderIdeas(title, list, result) {
  title.textContent = result.ideaCount > result.ideas.length
    ? interpolate(gettext("The %(shown)s ideas most voted, of %(total)s"),
      { shown: result.ideas.length, total: result.ideaCount }, true)
    : gettext("What the room took forward");
  syncKeyed(list, result.ideas, (card) => card.id,
    () => el("li", { className: "outcome-idea", dataset: { testid: "outcome-idea" } },
      el("span", { className: "outcome-idea__text" }), el("span", { className: "outcome-idea__column" }),
      el("span", { className: "outcome-idea__votes" })),
    (li, card) => {
      li.querySelector(".outcome-idea__text").textContent = card.text;
      const column = li.querySelector(".outcome-idea__column");
      column.textContent = card.columnTitle;
      column.hidden = !card.columnTitle;
      const votes = li.querySelector(".outcome-idea__votes");
      votes.textContent = card.votes ? interpolate(ngettext("%(n)s vote", "%(n)s votes", card.votes), { n: card.votes }, true) : "";
      votes.hidden = !card.votes;
    });
}
