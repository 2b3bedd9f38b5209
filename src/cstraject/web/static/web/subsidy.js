// Progressive enhancement: show the subsidy while the provider types.
// The server computes the amount that counts; this is only a preview.
(function () {
  "use strict";
  var form = document.getElementById("packages-form");
  var out = document.getElementById("subsidy-preview");
  if (!form || !out) { return; }
  var rate = parseFloat(form.dataset.rate), vat = parseFloat(form.dataset.vat), inclusive = form.dataset.base === "incl";
  var label = document.documentElement.lang === "en" ? "Estimated subsidy" : "Geraamd steunbedrag";
  function cents(text) {
    var value = String(text || "").trim().replace(/\./g, function (m, i, s) { return s.indexOf(",") >= 0 ? "" : m; }).replace(",", ".");
    var n = Number(value);
    return isFinite(n) && value !== "" ? Math.round(n * 100) : 0;
  }
  function update() {
    var total = 0;
    form.querySelectorAll('input[name="packages"]').forEach(function (box) {
      var amount = form.querySelector('input[name="amount_' + box.value + '"]');
      if (box.checked && amount) { total += cents(amount.value); }
    });
    var base = inclusive ? total * (1 + vat) : total;
    var subsidy = Math.round(base * rate) / 100;
    out.hidden = false;
    out.textContent = label + ": € " + subsidy.toLocaleString("nl-BE", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
}());
