// InnoX landing: keep the server-rendered countdown ticking (progressive enhancement).
(function () {
  "use strict";
  var data = document.getElementById("innox-countdown-data");
  var box = document.getElementById("innox-countdown");
  if (!data || !box) { return; }
  var target = Date.parse(JSON.parse(data.textContent).target || "");
  if (isNaN(target)) { return; }
  var lang = document.documentElement.lang || "uz";
  var words = {
    uz: ["Arizalar qabul qilish tugashiga", "kun", "soat", "daqiqa qoldi", "Arizalar qabul qilish yakunlandi."],
    ru: ["До конца приёма заявок", "дн.", "ч", "мин", "Приём заявок закрыт."],
    en: ["Applications close in", "d", "h", "min", "Applications are closed."]
  }[lang] || null;
  if (!words) { return; }
  function tick() {
    var left = target - Date.now();
    if (left <= 0) {
      box.textContent = words[4];
      var apply = document.getElementById("innox-apply");
      if (apply) { apply.hidden = true; }
      return;
    }
    var m = Math.floor(left / 60000), d = Math.floor(m / 1440), h = Math.floor((m % 1440) / 60);
    box.textContent = words[0] + " " + d + " " + words[1] + " " + h + " " + words[2] + " " + (m % 60) + " " + words[3];
    window.setTimeout(tick, 30000);
  }
  tick();
})();
