// The facilitator's message to every screen (docs/protocol.md "Messages to the room"):
// "Five minutes left: pick your table's top two". The participant page and the projector
// draw the state's `workshop.message` here; a phone may put it away for itself.

const STORE = "ov-message-dismissed:";

function dismissedAt(code) {
  try {
    return window.localStorage.getItem(STORE + code);
  } catch {
    return null; // storage refused (a private window): dismissing lasts until a reload
  }
}

function rememberDismissed(code, at) {
  try {
    window.localStorage.setItem(STORE + code, at);
  } catch {
    // kept in memory only (this.putAway)
  }
}

export class RoomMessage {
  /**
   * `root` holds the status region (`box` inside it, with `text`), always in the page so
   * that a message appearing in it is read out; `dismiss` (optional) puts it away, and
   * the keyboard's focus then goes to `focusAfter`.
   */
  constructor({ root, box, text, code, dismiss = null, focusAfter = null }) {
    Object.assign(this, { root, box, text, code, dismiss, focusAfter });
    this.shown = undefined; // what is drawn now: "at|text", or "" for nothing
    this.putAway = null; // the `at` of the message dismissed here
    this.message = null;
    if (dismiss) {
      dismiss.addEventListener("click", () => {
        if (!this.message) return;
        this.putAway = this.message.at;
        rememberDismissed(code, this.message.at);
        this.render(this.message);
        if (focusAfter) focusAfter.focus();
      });
    }
  }

  /** Draw `message` ({text, at} or null), unless this phone put that one away. */
  render(message) {
    this.message = message || null;
    const away = this.dismiss && message
      && (this.putAway === message.at || dismissedAt(this.code) === message.at);
    const shown = message && !away ? `${message.at}|${message.text}` : "";
    if (shown === this.shown) return; // the same text set again would be read out again
    this.shown = shown;
    this.box.hidden = !shown;
    this.text.textContent = shown ? message.text : "";
    this.root.classList.toggle("is-shown", Boolean(shown));
    if (this.dismiss) this.dismiss.hidden = !shown;
  }
}
