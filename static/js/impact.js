// Charts of the impact page. Data comes from the json_script element "impact-chart-data";
// each chart has a table with the same numbers under it (the accessible version).
// Chart.js (210 KB) is loaded from the address in this script's data-chartjs only when the first
// chart comes near the screen; a page that includes it itself works as well.
(function () {
  "use strict";
  var source = document.getElementById("impact-chart-data");
  var chartSrc = document.currentScript && document.currentScript.getAttribute("data-chartjs");
  if (!source || (typeof Chart === "undefined" && !chartSrc)) {
    return;
  }
  var waiting = [];
  var loading = false;

  function withChart(callback) {
    if (typeof Chart !== "undefined") {
      callback();
      return;
    }
    waiting.push(callback);
    if (!loading) {
      loading = true;
      var script = document.createElement("script");
      script.src = chartSrc;
      script.onload = function () {
        waiting.splice(0).forEach(function (f) {
          f();
        });
      };
      document.head.appendChild(script);
    }
  }
  var data = JSON.parse(source.textContent);
  var palette = ["#0b5ed7", "#20c997", "#fd7e14", "#6f42c1", "#d63384", "#198754", "#ffc107"];
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var ROW_HEIGHT = 26; // px per label of a horizontal bar chart, so that every label shows

  // A chart is drawn when its box comes near the screen: on a phone every chart is below the
  // first screen, and loading Chart.js and drawing five charts at once kept the page busy for
  // seconds (Lighthouse's total blocking time). Before printing, the ones not drawn yet are
  // drawn (when Chart.js has come; the table under each chart has the same numbers).
  var pending = [];

  function draw(canvas, spec) {
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
  }

  function drawOne(canvas) {
    var i = pending.indexOf(canvas);
    if (i === -1) {
      return;
    }
    pending.splice(i, 1);
    draw(canvas, data[canvas.getAttribute("data-chart")]);
  }

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var spec = data[canvas.getAttribute("data-chart")];
    var box = canvas.parentElement;
    if (!spec || !spec.labels || spec.labels.length === 0) {
      box.hidden = true;
      return;
    }
    if (spec.horizontal) {
      // Set through the CSSOM (allowed by the CSP, unlike a style attribute); before drawing,
      // so that the page does not move when the chart comes.
      box.style.height = Math.max(200, spec.labels.length * ROW_HEIGHT + 70) + "px";
    }
    pending.push(canvas);
  });

  if ("IntersectionObserver" in window) {
    var observer = new IntersectionObserver(
      function (entries) {
        entries.forEach(function (entry) {
          if (entry.isIntersecting) {
            observer.unobserve(entry.target);
            withChart(function () {
              drawOne(entry.target);
            });
          }
        });
      },
      { rootMargin: "200px 0px" }
    );
    pending.forEach(function (canvas) {
      observer.observe(canvas);
    });
  } else {
    withChart(function () {
      pending.slice().forEach(drawOne);
    });
  }
  window.addEventListener("beforeprint", function () {
    if (typeof Chart !== "undefined") {
      pending.slice().forEach(drawOne);
    }
  });
})();
