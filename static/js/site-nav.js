// The main menu by touch and keyboard (templates/partials/header.html). On a phone the menu
// folds behind the Menu button; everywhere, a submenu's button ("Shop for") opens and closes
// it on a tap, which hover cannot do on a touch screen. Escape or a tap elsewhere closes.
(function () {
  "use strict";
  var nav = document.querySelector(".primary-nav");
  if (!nav) return;
  var menuButton = nav.querySelector(".nav-menu-button");

  function setOpen(element, button, open) {
    element.classList.toggle("is-open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  if (menuButton) {
    menuButton.addEventListener("click", function () {
      setOpen(nav, menuButton, !nav.classList.contains("is-open"));
    });
  }

  var toggles = nav.querySelectorAll(".nav-toggle");
  toggles.forEach(function (button) {
    var item = button.closest(".dropdown");
    button.addEventListener("click", function () {
      setOpen(item, button, !item.classList.contains("is-open"));
    });
  });

  function closeSubmenus(except) {
    toggles.forEach(function (button) {
      var item = button.closest(".dropdown");
      if (item !== except) setOpen(item, button, false);
    });
  }

  document.addEventListener("click", function (event) {
    if (!nav.contains(event.target)) closeSubmenus(null);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var open = nav.querySelector(".dropdown.is-open");
    if (open) {
      closeSubmenus(null);
      open.querySelector(".nav-toggle").focus();
    } else if (menuButton && nav.classList.contains("is-open")) {
      setOpen(nav, menuButton, false);
      menuButton.focus();
    }
  });
})();
