// The control room's principles: draft one from the ticked statements (board.js ticks
// them), edit, reorder and finalize them, and run a consent round on each (open, close,
// its distribution and reasons, the reasons on the projector or not).
import { el, consentLabels, renderConsentBar, syncKeyed } from "../dom.js";
import {
  consentCounts, consentReasons, principleList, principleSources, resultsHidden, statementRoot, valueGroupIndex,
} from "../state.js";
import { $, button, ignore, quoted } from "./common.js";

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

export function principlesSection(room) {
  const dom = {
    proposeForm: $("propose-form"), proposeTitle: $("propose-title"), proposeBody: $("propose-body"),
    proposeSources: $("propose-sources"), proposeError: $("propose-error"),
    principles: $("control-principles"), principlesEmpty: $("control-principles-empty"),
    principlesError: $("principles-error"), principlesCount: $("principles-count"),
  };
  const ui = {
    selected: new Set(), // statement ids ticked as the sources of a new principle
    editing: null, // the principle id whose edit form is open
  };
  const send = (type, fields) => room.command(type, fields, dom.principlesError);

  function selectedSources() {
    return [...ui.selected].filter((id) => {
      const statement = room.model.statements.get(id);
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
    room.command("principle.propose", { title, body: dom.proposeBody.value.trim(), sources }, dom.proposeError)
      .then(() => {
        dom.proposeForm.reset();
        ui.selected.clear();
        room.schedule();
      }, ignore);
  });

  function reorderPrinciple(principle, step) {
    const order = principleList(room.model);
    const index = order.indexOf(principle);
    const to = index + step;
    if (index < 0 || to < 0 || to >= order.length) return;
    order.splice(index, 1);
    order.splice(to, 0, principle);
    // Positions are per principle: renumber every one that is out of place.
    order.forEach((each, position) => {
      if (each.position !== position) send("principle.edit", { id: each.id, position }).catch(ignore);
    });
  }

  function toggleEditPrinciple(principle) {
    ui.editing = ui.editing === principle.id ? null : principle.id;
    room.render();
    if (ui.editing != null) {
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
          send("principle.edit", { id: principle.id, title: title.value, body: body.value }).then(() => {
            ui.editing = null;
            room.render();
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
          () => send("consent.open", { id: node.principle.id }).catch(ignore)),
        button(gettext("Close the round"), "btn--secondary consent-close", `consent-close-${pid}`,
          () => send("consent.close", { id: node.principle.id }).catch(ignore)),
        button(gettext("Show reasons on the projector"), "btn--ghost consent-reasons-show", `consent-reasons-show-${pid}`,
          () => send("consent.reasons_show", { id: node.principle.id, shown: !node.principle.consent.reasons_shown })
            .catch(ignore)),
        button(gettext("Finalize"), "btn--primary principle-finalize", `principle-finalize-${pid}`,
          () => finalizePrinciple(node.principle))),
    );
    return node;
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
    send("principle.finalize", { id: principle.id, confirm: caveats.length > 0 }).catch(ignore);
  }

  /** A principle's consent box: the open or last round, its bar and its reasons. */
  function renderConsent(node, consent) {
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
    return roundOpen;
  }

  function render(model) {
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
      const roundOpen = renderConsent(node, consent);
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
      if (ui.editing === pid && !form) node.append(principleForm(principle));
      else if (ui.editing !== pid && form) form.remove();
    });
    dom.principlesEmpty.hidden = principles.length > 0;
    const final = principles.filter((p) => p.status === "final").length;
    dom.principlesCount.textContent = principles.length
      ? interpolate(gettext("(%(n)s, %(final)s final)"), { n: principles.length, final }, true) : "";
  }

  return { render, sources: { selected: ui.selected, changed: renderProposeHint } };
}
