/* Mission Casebook: copy buttons for citations, and accessibility repairs of markup the casebook
   does not write itself. Without JavaScript the buttons stay hidden and the citation texts stay
   selectable. */
(function () {
  "use strict";

  /* Found by axe-core in the browser tests (tests/browser):
     - Sphinx writes the sidebar's toctree captions as <p role="heading"> with no aria-level, which
       ARIA requires (sphinx-doc/sphinx#14030): they get level 2, the level browsers assume anyway;
     - docutils wraps a bibliography's entries in role="list" but gives each the deprecated role
       doc-biblioentry, so the list has no items for assistive technology: they become listitems. */
  document.querySelectorAll('[role="heading"]:not([aria-level])').forEach(function (el) {
    el.setAttribute("aria-level", "2");
  });
  document.querySelectorAll('[role="list"] > [role="doc-biblioentry"]').forEach(function (el) {
    el.setAttribute("role", "listitem");
  });

  /* A code block or a table that scrolls sideways (on a phone, most do) can only be scrolled from
     the keyboard if it can take the focus: it joins the tab order while, and only while, it scrolls. */
  function scrollersReachable() {
    document.querySelectorAll("div.highlight > pre, .table-wrapper").forEach(function (el) {
      var scrolls = el.scrollWidth > el.clientWidth;
      if (scrolls && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
        el.setAttribute("data-casebook-scrolls", "");
      } else if (!scrolls && el.hasAttribute("data-casebook-scrolls")) {
        el.removeAttribute("tabindex");
        el.removeAttribute("data-casebook-scrolls");
      }
    });
  }
  scrollersReachable();
  var resizing = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizing);
    resizing = window.setTimeout(scrollersReachable, 150);
  });

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "absolute";
    area.style.left = "-9999px";
    document.body.appendChild(area);
    area.select();
    var ok = document.execCommand("copy");
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }
  document.querySelectorAll("button.casebook-copy").forEach(function (button) {
    var target = document.getElementById(button.getAttribute("data-copy"));
    if (!target) return;
    var label = button.textContent;
    var status = document.createElement("span");
    status.className = "casebook-copy-status";
    status.setAttribute("role", "status");
    button.insertAdjacentElement("afterend", status);
    button.hidden = false;
    button.addEventListener("click", function () {
      copy(target.textContent.trim()).then(
        function () { status.textContent = "Copied."; },
        function () { status.textContent = "Select the text and copy it."; }
      );
      window.setTimeout(function () { status.textContent = ""; button.textContent = label; }, 4000);
    });
  });
})();
