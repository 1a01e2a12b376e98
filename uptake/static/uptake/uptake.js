// Uptake's only script: asks before destructive buttons and moves the focus to what went wrong
// when a form comes back with errors. Kept in a file (no inline script) so that a strict
// Content Security Policy can forbid inline code.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// A form shown again with errors starts with a summary of them (includes/error_summary.html).
// Whoever pressed the button at the bottom of a long form would otherwise see nothing change
// near it, and a screen reader would say nothing: focusing the summary scrolls it into view
// and reads it out, and its links lead to each field. The script is deferred, so the page is
// all there when this runs.
var errorSummary = document.querySelector(".error-summary");
if (errorSummary) {
  errorSummary.focus();
}

function firstOf(root, selector) {
  return root.matches(selector) ? root : root.querySelector(selector);
}

// A form that htmx swaps back in with errors takes the focus too: on its summary or, in a
// fragment without one, on its first invalid field, so that a screen reader announces the
// field, "invalid" and the error that describes it. Otherwise focus would drop to the page
// and the errors would go unsaid.
document.addEventListener("htmx:afterSettle", function (event) {
  var root = event.target;
  if (!root || !root.isConnected || !root.querySelector) {
    return;
  }
  var target = firstOf(root, ".error-summary") || firstOf(root, '[aria-invalid="true"]');
  if (target) {
    target.focus();
  }
});
