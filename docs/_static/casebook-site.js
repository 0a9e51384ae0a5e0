/* The site's theme (furo) has two drawers, both <aside> with no name; a screen reader's list of
   landmarks then shows two unnamed "complementary" regions. Each gets the name of what it holds. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var names = { ".sidebar-drawer": "The casebook's pages", ".toc-drawer": "On this page" };
  Object.keys(names).forEach(function (selector) {
    var aside = document.querySelector("aside" + selector);
    if (aside && !aside.hasAttribute("aria-label")) aside.setAttribute("aria-label", names[selector]);
  });
});
