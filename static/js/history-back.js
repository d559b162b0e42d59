// Oscar's form partials offer "or cancel", which went back with an inline onclick handler;
// the Content-Security-Policy refuses inline handlers, so links marked data-history-back
// go back from here instead (and data-window-close links close a dashboard pop-up).
document.addEventListener("click", (event) => {
  if (event.target.closest("a[data-window-close]")) {
    event.preventDefault();
    window.close();
    return;
  }
  const link = event.target.closest("a[data-history-back]");
  if (!link || window.history.length < 2) return;
  event.preventDefault();
  window.history.back();
});
