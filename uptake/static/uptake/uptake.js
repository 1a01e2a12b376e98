// Uptake's only script: asks before destructive buttons and focuses a field in error after
// an htmx swap. Kept in a file (no inline script) so that a strict Content Security Policy
// can forbid inline code.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// A form that htmx swaps back in with errors takes focus on its first invalid field, so that
// a screen reader announces the field, "invalid" and the error that describes it; otherwise
// focus would drop to the page and the error would go unsaid. Full pages need nothing: the
// error shows where the person left off.
document.addEventListener("htmx:afterSettle", function (event) {
  var root = event.target;
  if (!root || !root.isConnected || !root.querySelector) {
    return;
  }
  var invalid = root.matches('[aria-invalid="true"]') ? root : root.querySelector('[aria-invalid="true"]');
  if (invalid) {
    invalid.focus();
  }
});
