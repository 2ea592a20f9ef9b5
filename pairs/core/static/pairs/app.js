// Small behaviours on top of htmx. A form that autosaves (data-save-error) says so in its status
// line when a save fails for a reason the server could not answer (network, expired session…),
// so that an earlier "Enregistré à …" never stays on screen as if the last words were kept.
(function () {
  "use strict";
  function showSaveError(event) {
    var source = event.target;
    var form = source && source.closest ? source.closest("form[data-save-error]") : null;
    if (!form) {
      return;
    }
    var target = form.getAttribute("hx-target") || "";
    var status = target.charAt(0) === "#" ? document.getElementById(target.slice(1)) : null;
    if (status) {
      status.textContent = form.getAttribute("data-save-error");
    }
  }
  document.addEventListener("htmx:responseError", showSaveError);
  document.addEventListener("htmx:sendError", showSaveError);
})();
