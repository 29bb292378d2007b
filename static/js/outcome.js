// The outcome of an ended session, as the projector, the phones and the replay show it:
// the agreed principles with the statements they grew from, and the values most named.
// One drawing for all three pages, so the room, each phone and the replay say the same.
import { el, syncKeyed } from "./dom.js";
import {
  consentCounts, principleList, principleNumbers, principleSources, statementRoot, valueGroupIndex,
  valueGroups,
} from "./state.js";

export const TOP_VALUES = 10;

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
  return { principles: agreed.length ? agreed : all, agreed: agreed.length > 0, values: top, valueCount: groups.length };
}

function skeleton(container, prefix) {
  container.append(
    el("div", { className: "outcome__part outcome__part--principles" },
      el("h2", { className: "outcome__heading", id: `${prefix}-outcome-principles-title` }),
      el("ol", { className: "outcome__principles", id: `${prefix}-outcome-principles`,
        attrs: { "aria-labelledby": `${prefix}-outcome-principles-title` } }),
      el("p", { className: "screen__more outcome__more", id: `${prefix}-outcome-principles-more`, hidden: true }),
      el("p", { className: "outcome__none", id: `${prefix}-outcome-none`, hidden: true })),
    el("div", { className: "outcome__part outcome__part--values" },
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
