// Uptake's only script: asks before destructive buttons. Kept in a file (no inline script)
// so that a strict Content Security Policy can forbid inline code.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
