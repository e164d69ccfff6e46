// Programmes: the print button of the certificate page.
document.querySelectorAll("[data-programs-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
