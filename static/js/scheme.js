// Grid Academy assessment scheme editor: add up the weights of the rows that name an indicator
// while they are typed, and say when they do not make 100. The server checks the same sum.
(function () {
  "use strict";
  var box = document.querySelector(".js-scheme-rows");
  if (!box) { return; }
  var out = box.querySelector(".js-scheme-sum");
  var off = box.querySelector(".js-scheme-sum-off");
  var target = Number(out.getAttribute("data-target"));
  function update() {
    var sum = 0;
    box.querySelectorAll(".scheme-row").forEach(function (row) {
      var indicator = row.querySelector(".js-scheme-indicator");
      var weight = Number(row.querySelector(".js-scheme-weight").value);
      if (indicator.value && isFinite(weight)) { sum += weight; }
    });
    out.textContent = String(sum);
    off.hidden = sum === target;
    out.classList.toggle("text-danger", sum !== target);
  }
  // Unused rows wait behind a button, one shown at a time (without this script all show).
  var add = box.querySelector(".js-scheme-add");
  var spares = Array.prototype.slice.call(box.querySelectorAll(".js-scheme-spare"));
  spares.forEach(function (row) { row.hidden = true; });
  function next() {
    var row = spares.shift();
    if (row) { row.hidden = false; }
    add.hidden = spares.length === 0;
    return row;
  }
  add.addEventListener("click", function () {
    var row = next();
    if (row) { row.querySelector(".js-scheme-indicator").focus(); }
  });
  next();
  box.addEventListener("input", update);
  box.addEventListener("change", update);
  update();
}());
