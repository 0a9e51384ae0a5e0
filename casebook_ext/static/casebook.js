/* Mission Casebook: copy buttons for citations. Without JavaScript the buttons stay hidden and the
   citation texts stay selectable. */
(function () {
  "use strict";
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
