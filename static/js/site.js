// Site-wide behaviour without inline scripts (the Content-Security-Policy forbids them).
document.addEventListener("click", function (event) {
  const target = event.target.closest("[data-print]");
  if (target) {
    event.preventDefault();
    window.print();
  }
});
document.addEventListener("submit", function (event) {
  const message = event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

// A table wider than a phone scrolls sideways in its .table-responsive box: the keyboard must be
// able to reach the box to scroll it (WCAG 2.1.1), and a screen reader hears what it holds.
function makeScrollableRegionsFocusable() {
  document.querySelectorAll(".table-responsive").forEach(function (box) {
    const scrolls = box.scrollWidth > box.clientWidth + 1;
    if (scrolls && !box.hasAttribute("tabindex")) {
      const caption = box.querySelector("caption");
      let heading = box.previousElementSibling;
      while (heading && !/^H[1-6]$/.test(heading.tagName)) {
        heading = heading.previousElementSibling;
      }
      const label = (caption || heading || box.querySelector("th") || box).textContent.trim().slice(0, 80);
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      if (label) box.setAttribute("aria-label", label);
      box.dataset.scrollRegion = "1";
    } else if (!scrolls && box.dataset.scrollRegion) {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
      delete box.dataset.scrollRegion;
    }
  });
}
document.addEventListener("DOMContentLoaded", makeScrollableRegionsFocusable);
window.addEventListener("resize", makeScrollableRegionsFocusable);
