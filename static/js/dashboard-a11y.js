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

// A table wider than the phone scrolls inside its .table-responsive box (the page itself never
// scrolls sideways); every table not already in one is put in one here, so no page of the
// dashboard has to remember it. A keyboard user can only scroll the box if it takes focus
// (axe: scrollable-region-focusable).
(function () {
  "use strict";
  document.querySelectorAll(".page-content table, .content table").forEach(function (table) {
    if (table.closest(".table-responsive")) {
      return;
    }
    var box = document.createElement("div");
    box.className = "table-responsive";
    table.parentNode.insertBefore(box, table);
    box.appendChild(table);
  });
  document.querySelectorAll(".table-responsive").forEach(function (box) {
    if (box.scrollWidth > box.clientWidth && !box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "0");
    }
  });
})();

// Oscar's order chart on the dashboard's home is a <dl> of <dd> bars with no <dt>: a list of
// bars to assistive technology (axe: definition-list).
(function () {
  "use strict";
  document.querySelectorAll("#order_graph dl.bar-chart").forEach(function (chart) {
    chart.setAttribute("role", "list");
    chart.querySelectorAll(":scope > dd").forEach(function (bar) {
      bar.setAttribute("role", "listitem");
    });
  });
})();

// Oscar's list scripts add a "select all" box to the first header cell of the orders' and
// products' tables, with no name (axe: label), whenever they get round to it: named as soon as
// it appears. The sort link Oscar puts on the checkbox column has no words either (axe:
// link-name), and sorting by a checkbox means nothing: its contents stay, the link goes.
(function () {
  "use strict";
  var source = document.getElementById("dashboard-a11y-text");
  var text = source ? JSON.parse(source.textContent) : {};
  function name() {
    document.querySelectorAll('input[name="select_all"]:not([aria-label])').forEach(function (box) {
      if (text.selectAll) {
        box.setAttribute("aria-label", text.selectAll);
      }
    });
  }
  document.querySelectorAll("th a[href]").forEach(function (link) {
    if (!link.textContent.trim() && !link.getAttribute("aria-label") && !link.querySelector("img")) {
      link.replaceWith.apply(link, Array.prototype.slice.call(link.childNodes));
    }
  });
  name();
  document.querySelectorAll("table thead").forEach(function (head) {
    new MutationObserver(name).observe(head, { childList: true, subtree: true });
  });
})();
