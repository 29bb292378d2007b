// The control room's moderation queue: approval before showing (on or off), the
// contributions waiting for approval (approve or hide), and what was hidden (restore).
import { el, syncKeyed } from "../dom.js";
import { hiddenItems, pendingItems } from "../state.js";
import { $, ignore, itemKindName } from "./common.js";

export function moderationSection(room) {
  const dom = {
    premoderate: $("premoderate-toggle"), pendingList: $("pending-list"),
    pendingEmpty: $("pending-empty"), pendingError: $("pending-error"), pendingCount: $("pending-count"),
    hiddenList: $("hidden-list"), hiddenEmpty: $("hidden-empty"), hiddenError: $("hidden-error"),
    hiddenCount: $("hidden-count"),
  };

  dom.premoderate.addEventListener("click", () => {
    const next = !room.model.workshop.premoderated;
    dom.premoderate.disabled = true;
    room.command("moderation.set", { premoderated: next }, dom.pendingError)
      .catch(ignore)
      .finally(() => { dom.premoderate.disabled = false; });
  });

  /** "Value · Ada": what kind of item, and who wrote it. */
  const meta = (item) => [itemKindName(item.kind), item.by && item.by.name ? item.by.name : gettext("anonymous")]
    .join(" · ");

  function renderPending(model) {
    const on = Boolean(model.workshop.premoderated);
    dom.premoderate.setAttribute("aria-pressed", String(on));
    dom.premoderate.textContent = on
      ? gettext("On: contributions wait for your approval")
      : gettext("Off: contributions show at once");
    const items = pendingItems(model);
    syncKeyed(dom.pendingList, items, (item) => `${item.kind}:${item.id}`, () => {
      const node = el("li", { className: "mod-item", dataset: { testid: "pending-item" } });
      const act = (verb) => () => room.command(`${node.item.kind}.${verb}`, { id: node.item.id }, dom.pendingError)
        .catch(ignore);
      node.append(
        el("div", {}, el("p", { className: "mod-item__text" }), el("p", { className: "mod-item__meta" })),
        el("div", { className: "mod-item__actions" },
          el("button", { type: "button", className: "btn btn--primary btn--small approve-button",
            text: gettext("Approve"), on: { click: act("approve") } }),
          el("button", { type: "button", className: "btn btn--danger btn--small hide-button",
            text: gettext("Hide"), on: { click: act("hide") } })),
      );
      return node;
    }, (node, item) => {
      node.item = item;
      node.querySelector(".mod-item__text").textContent = item.text;
      node.querySelector(".mod-item__meta").textContent = meta(item);
      node.querySelector(".approve-button").setAttribute("aria-label",
        interpolate(gettext("Approve “%(text)s”"), { text: item.text }, true));
      node.querySelector(".hide-button").setAttribute("aria-label",
        interpolate(gettext("Hide “%(text)s”"), { text: item.text }, true));
    });
    dom.pendingEmpty.hidden = items.length > 0;
    dom.pendingCount.textContent = items.length ? `(${items.length})` : "";
  }

  function renderHidden(model) {
    const items = hiddenItems(model);
    syncKeyed(dom.hiddenList, items, (item) => `${item.kind}:${item.id}`, () => {
      const node = el("li", { className: "mod-item is-hidden-item", dataset: { testid: "hidden-item" } });
      node.append(
        el("div", {}, el("p", { className: "mod-item__text" }), el("p", { className: "mod-item__meta" })),
        el("div", { className: "mod-item__actions" },
          el("button", { type: "button", className: "btn btn--secondary btn--small restore-button",
            text: gettext("Restore"),
            on: { click: () => room.command(`${node.item.kind}.restore`, { id: node.item.id }, dom.hiddenError)
              .catch(ignore) } })),
      );
      return node;
    }, (node, item) => {
      node.item = item;
      node.dataset.kind = item.kind;
      node.dataset.id = String(item.id);
      node.querySelector(".mod-item__text").textContent = item.text;
      node.querySelector(".mod-item__meta").textContent = meta(item);
      node.querySelector(".restore-button").setAttribute("aria-label",
        interpolate(gettext("Restore “%(text)s”"), { text: item.text }, true));
    });
    dom.hiddenEmpty.hidden = items.length > 0;
    dom.hiddenCount.textContent = items.length ? `(${items.length})` : "";
  }

  return { renderPending, renderHidden };
}
