// The report /facilitate/CODE/report/: print it, copy its read-only link.
const print = document.getElementById("report-print");
if (print) print.addEventListener("click", () => window.print());

const copy = document.getElementById("report-copy");
const url = document.getElementById("report-share-url");
if (copy && url) {
  url.addEventListener("focus", () => url.select());
  copy.addEventListener("click", async () => {
    url.select();
    try {
      await navigator.clipboard.writeText(url.value);
    } catch {
      document.execCommand("copy"); // older browsers, or no clipboard permission
    }
    const label = copy.textContent;
    copy.textContent = copy.dataset.copied;
    setTimeout(() => { copy.textContent = label; }, 2000);
  });
}
