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
