/* Loket: progressive enhancement only; every page works without this file.
   - A form with an error summary moves focus to it, so screen readers announce the errors.
   - A button with data-confirm asks before a step that cannot be undone. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); }
  });
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
    }
  });
})();
