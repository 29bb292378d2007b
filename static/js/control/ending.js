// The control room's ending of the session: end it (sharing the report by a link, or
// not), or reopen it; the page says when it has ended.
import { $, ignore } from "./common.js";

export function endingSection(room) {
  const dom = {
    ended: $("session-ended"), share: $("session-share-report"), shareLabel: $("session-share-label"),
    end: $("session-end-button"), reopen: $("session-reopen-button"), error: $("session-error"),
  };

  dom.end.addEventListener("click", () => {
    if (!window.confirm(dom.end.dataset.confirm)) return;
    room.command("session.end", { share_report: dom.share.checked }, dom.error).catch(ignore);
  });
  dom.reopen.addEventListener("click", () => room.command("session.reopen", {}, dom.error).catch(ignore));

  function render(model) {
    const ended = Boolean(model.workshop.ended);
    dom.ended.hidden = !ended;
    dom.shareLabel.hidden = ended;
    dom.end.hidden = ended;
    dom.reopen.hidden = !ended;
  }

  return { render };
}
