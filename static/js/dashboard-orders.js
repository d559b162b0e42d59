// Oscar 4.2's order page calls oscar.dashboard.orders.initTable() on load, but its
// dashboard.js no longer defines it: every order page stopped its start-up script with a
// TypeError. Defined here as what it did in earlier Oscar: the lines table's "select all"
// box ticks or clears every line's box.
(function () {
  if (!window.oscar || !oscar.dashboard || !oscar.dashboard.orders) return;
  oscar.dashboard.orders.initTable = function () {
    document.querySelectorAll("input[data-select-all-lines]").forEach((box) => {
      box.addEventListener("change", () => {
        const form = box.closest("form");
        form.querySelectorAll('input[name="selected_line"]').forEach((line) => {
          line.checked = box.checked;
        });
      });
    });
  };
})();
