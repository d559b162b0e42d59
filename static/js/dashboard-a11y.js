// Oscar's dashboard tabs (the order page's "Order contents", "Shipping", ...) are links in
// list items under role="tablist": a tab list holds tabs, so the items are presentation
// and the links tabs, each naming the panel it shows. Markup only; Bootstrap does the rest.
(function () {
  "use strict";
  document.querySelectorAll('[role="tablist"]').forEach(function (list) {
    list.querySelectorAll(":scope > li").forEach(function (item) {
      item.setAttribute("role", "presentation");
      item.removeAttribute("tabindex");
    });
    list.querySelectorAll('[data-toggle="tab"]').forEach(function (link) {
      link.setAttribute("role", "tab");
      link.setAttribute("aria-selected", link.classList.contains("active") ? "true" : "false");
      var panel = link.getAttribute("href");
      if (panel && panel.charAt(0) === "#" && panel.length > 1) {
        link.setAttribute("aria-controls", panel.slice(1));
      }
    });
  });
})();

// A table wider than the phone scrolls inside its .table-responsive box; a keyboard user can
// only scroll it if the box takes focus (axe: scrollable-region-focusable).
(function () {
  "use strict";
  document.querySelectorAll(".table-responsive").forEach(function (box) {
    if (box.scrollWidth > box.clientWidth && !box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "0");
    }
  });
})();
