// Charts of the impact page. Data comes from the json_script element "impact-chart-data";
// each chart has a table with the same numbers under it (the accessible version).
(function () {
  "use strict";
  var source = document.getElementById("impact-chart-data");
  if (!source || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var palette = ["#0b5ed7", "#20c997", "#fd7e14", "#6f42c1", "#d63384", "#198754", "#ffc107"];
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var spec = data[canvas.getAttribute("data-chart")];
    if (!spec || !spec.labels || spec.labels.length === 0) {
      canvas.hidden = true;
      return;
    }
    var datasets = spec.datasets.map(function (set, i) {
      return {
        label: set.label,
        data: set.data,
        backgroundColor: palette[i % palette.length],
        borderColor: palette[i % palette.length],
      };
    });
    new Chart(canvas, {
      type: "bar",
      data: { labels: spec.labels, datasets: datasets },
      options: {
        indexAxis: spec.horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: true,
        animation: reduceMotion ? false : undefined,
        plugins: { legend: { display: datasets.length > 1, position: "bottom" } },
        scales: {
          x: { stacked: !!spec.stacked, beginAtZero: true },
          y: { stacked: !!spec.stacked, beginAtZero: true },
        },
      },
    });
  });
})();
