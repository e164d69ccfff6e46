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
  var ROW_HEIGHT = 26; // px per label of a horizontal bar chart, so that every label shows

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var spec = data[canvas.getAttribute("data-chart")];
    var box = canvas.parentElement;
    if (!spec || !spec.labels || spec.labels.length === 0) {
      box.hidden = true;
      return;
    }
    if (spec.horizontal) {
      // Set through the CSSOM (allowed by the CSP, unlike a style attribute).
      box.style.height = Math.max(200, spec.labels.length * ROW_HEIGHT + 70) + "px";
    }
    var datasets = spec.datasets.map(function (set, i) {
      return {
        label: set.label,
        data: set.data,
        backgroundColor: palette[i % palette.length],
        borderColor: palette[i % palette.length],
      };
    });
    var categoryAxis = { stacked: !!spec.stacked, ticks: { autoSkip: false } };
    var valueAxis = { stacked: !!spec.stacked, beginAtZero: true };
    new Chart(canvas, {
      type: "bar",
      data: { labels: spec.labels, datasets: datasets },
      options: {
        indexAxis: spec.horizontal ? "y" : "x",
        locale: document.documentElement.lang || undefined, // 1 200 in Russian and Uzbek
        responsive: true,
        maintainAspectRatio: false,
        animation: reduceMotion ? false : undefined,
        plugins: {
          legend: { display: datasets.length > 1, position: "bottom" },
          tooltip: {
            callbacks: {
              title: function (items) {
                var i = items[0].dataIndex;
                return spec.titles ? spec.titles[i] : items[0].label;
              },
            },
          },
        },
        scales: spec.horizontal ? { y: categoryAxis, x: valueAxis } : { x: categoryAxis, y: valueAxis },
      },
    });
  });
})();
