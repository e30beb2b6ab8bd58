// Small behaviours without inline script (the CSP allows scripts from this site only).
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el.matches("[data-autosubmit]")) el.form.requestSubmit();
});
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) { event.preventDefault(); return; }
  // A double click never sends the same action twice.
  form.querySelectorAll("button[type=submit], button:not([type])").forEach((b) => {
    setTimeout(() => { b.disabled = true; }, 0);
  });
});
