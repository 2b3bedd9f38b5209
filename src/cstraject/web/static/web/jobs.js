// "Mijn taken": while a job is queued or running, ask the server for the jobs' state every two
// seconds and update status, progress and result in place (no inline script: the CSP allows
// only our own files). Without JavaScript a <noscript> meta refresh reloads the page instead.
(function () {
  "use strict";
  var table = document.getElementById("jobs");
  if (!table) { return; }
  var url = table.getAttribute("data-status-url");
  var downloadLabel = table.getAttribute("data-download-label") || "Download";

  function field(row, name) { return row.querySelector('[data-field="' + name + '"]'); }

  function update(job) {
    var row = document.getElementById("job-" + job.id);
    if (!row) { return false; }
    var status = field(row, "status");
    status.textContent = job.status_label;
    status.className = "job-" + job.status;
    var bar = field(row, "progress");
    if (job.percent === null) { bar.removeAttribute("value"); bar.textContent = ""; }
    else { bar.value = job.percent; bar.textContent = job.percent + " %"; }
    field(row, "count").textContent = job.total ? job.done + "/" + job.total : "";
    field(row, "step").textContent = job.step;
    var result = field(row, "result");
    result.textContent = "";
    if (job.error) {
      var error = document.createElement("span");
      error.className = "error";
      error.setAttribute("role", "alert");
      error.textContent = job.error;
      result.appendChild(error);
    } else {
      result.appendChild(document.createTextNode(job.summary + " "));
    }
    if (job.result_url) {
      var link = document.createElement("a");
      link.href = job.result_url;
      link.setAttribute("download", "");
      link.textContent = downloadLabel + ": " + job.result_name;
      result.appendChild(link);
    }
    return true;
  }

  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (data) {
        var active = false, unknown = false;
        data.jobs.forEach(function (job) {
          if (!update(job)) { unknown = true; }
          if (job.active) { active = true; }
        });
        if (unknown) { window.location.reload(); return; }
        if (active) { window.setTimeout(poll, 2000); }
      })
      .catch(function () { window.setTimeout(poll, 10000); });
  }

  if (table.querySelector(".job-queued, .job-running")) { window.setTimeout(poll, 2000); }
}());
