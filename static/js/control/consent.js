// The control room's consent record: every consent round on every principle, not only
// the latest, with every reason given at any level (`all_reasons`; `reasons` alone are
// those who cannot support). Fed by the welcome's state, the event history and live
// events; rounds are keyed by their id and each keeps the summary of the highest seq
// seen, so the history never rolls one back.
import { el, consentLabels, renderConsentBar, syncKeyed } from "../dom.js";
import { consentCounts, principleList } from "../state.js";
import { $ } from "./common.js";

export function consentRecord() {
  const dom = { list: $("consent-record"), empty: $("consent-record-empty"), count: $("consent-record-count") };
  const rounds = new Map(); // principle id -> Map(round id -> latest summary)

  /** Take in what a consent event (or a principle's state, as "consent.state") says. */
  function record(data, kind, seq) {
    if (!kind.startsWith("consent.") || !data || data.round == null) return;
    if (!rounds.has(data.principle)) rounds.set(data.principle, new Map());
    const known = rounds.get(data.principle).get(data.round);
    if (known && known.seq > seq) return;
    rounds.get(data.principle).set(data.round, {
      round: data.round, seq, status: data.status, distribution: { ...(data.distribution || {}) },
      reasons: data.all_reasons
        || (data.reasons || []).map((reason) => ({ level: "cannot", reason })),
    });
  }

  function render(model) {
    if (!dom.list) return;
    const labels = consentLabels();
    const principles = principleList(model).filter((p) => rounds.has(p.id));
    let total = 0;
    syncKeyed(dom.list, principles, (p) => p.id,
      () => el("li", { className: "consent-record__principle" },
        el("h3", { className: "consent-record__title" }), el("ol", { className: "consent-record__rounds" })),
      (li, principle) => {
        li.querySelector(".consent-record__title").textContent = principle.title;
        const held = [...rounds.get(principle.id).values()].sort((a, b) => a.round - b.round);
        total += held.length;
        syncKeyed(li.querySelector(".consent-record__rounds"), held.map((r, i) => ({ ...r, number: i + 1 })),
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
    dom.empty.hidden = principles.length > 0;
    dom.count.textContent = total ? `(${total})` : "";
  }

  return { record, render };
}
