// The summary's print button: the browser's own print dialog (and its "Save as PDF").
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
