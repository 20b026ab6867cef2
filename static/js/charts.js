// The chart component (templates/macros/charts.html, academy/charts.py): draws each figure's data-chart
// with Apache ECharts, served by the app, and works its "show as table" toggle. No inline scripts (CSP).
(function () {
  "use strict";
  // Okabe & Ito's colours, told apart with every common colour-vision deficiency. Lines also differ by
  // marker and dash, bars by pattern, so a grey-scale print keeps the series apart too.
  var PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"];
  var TONES = {red: "#C62828", amber: "#B26A00", green: "#2E7D32"};  // lights: their word is the series' name
  var SYMBOLS = ["circle", "rect", "triangle", "diamond", "emptyCircle", "emptyRect"];
  var DASHES = ["solid", "dashed", "dotted", [10, 4, 2, 4], "solid", "dashed"];
  var WHITE = "rgba(255, 255, 255, 0.75)";
  var DECALS = [
    null,  // the first series plain
    {symbol: "rect", symbolSize: 1, dashArrayX: [1, 0], dashArrayY: [3, 5], rotation: -Math.PI / 4, color: WHITE},
    {symbol: "circle", symbolSize: 0.6, dashArrayX: [[4, 4]], dashArrayY: [4, 2], color: WHITE},
    {symbol: "rect", symbolSize: 1, dashArrayX: [1, 0], dashArrayY: [2, 6], color: WHITE},
    {symbol: "rect", symbolSize: 1, dashArrayX: [1, 0], dashArrayY: [3, 5], rotation: Math.PI / 4, color: WHITE},
    {symbol: "triangle", symbolSize: 0.7, dashArrayX: [[5, 4]], dashArrayY: [5, 2], color: WHITE}
  ];
  var FONT_SIZE = 12;  // never smaller, at any width: the box is laid out in CSS pixels, not scaled
  var TEXT = "#212529", QUIET = "#495057", RULE = "#dee2e6";
  var SVG_UP_TO = 600;  // points: SVG is lighter and sharper for small data, canvas for large
  var calm = window.matchMedia("(max-width: 767.98px), (prefers-reduced-motion: reduce)");
  var ruler = document.createElement("canvas").getContext("2d");

  function textWidth(text, font) {
    ruler.font = FONT_SIZE + "px " + font;
    return ruler.measureText(String(text)).width;
  }

  function widest(texts, font) {
    return texts.reduce(function (most, text) { return Math.max(most, textWidth(text, font)); }, 0);
  }

  function format(value, data) {
    if (value === null || value === undefined || value === "-") { return "—"; }
    return Number(value).toFixed(data.decimals) + (data.unit === "%" ? " %" : "");
  }

  // Rows of legend items at this width (ECharts wraps them itself; the plot must start below them).
  function legendRows(data, width, font) {
    if (data.series.length < 2) { return 0; }
    var rows = 1, used = 0;
    data.series.forEach(function (s) {
      var item = 25 + 5 + textWidth(s.name, font) + 10;
      if (used + item > width - 10 && used > 0) { rows += 1; used = 0; }
      used += item;
    });
    return rows;
  }

  // Category labels along the bottom: level if they fit, else turned 45 degrees and cut to 7 em
  // (the tooltip names the whole category); every one shown while 12 px text still fits.
  function bottomAxis(data, width, font) {
    var n = Math.max(data.categories.length, 1);
    var slot = (width - 70) / n;
    var longest = Math.min(widest(data.categories, font), 7 * FONT_SIZE);
    var turned = longest + 8 > slot;
    var drop = turned ? Math.ceil((longest + FONT_SIZE) * Math.SQRT1_2) : FONT_SIZE;
    return {
      type: "category", data: data.categories, boundaryGap: true,
      name: data.categoryAxis, nameLocation: "middle", nameGap: drop + 16,
      nameTextStyle: {fontSize: FONT_SIZE, color: TEXT},
      axisTick: {alignWithLabel: true}, axisLine: {lineStyle: {color: QUIET}},
      axisLabel: {fontSize: FONT_SIZE, color: QUIET, rotate: turned ? 45 : 0, interval: slot < FONT_SIZE * 1.4 ? "auto" : 0,
                  width: 7 * FONT_SIZE, overflow: "truncate", hideOverlap: true}
    };
  }

  // Category labels down the side (horizontal bars): at most a third of the width, cut with an ellipsis,
  // or (wrapLabels: few rows with long names) broken onto lines.
  function sideAxis(data, width, height, font) {
    var room = (height - 60) / Math.max(data.categories.length, 1);
    return {
      type: "category", data: data.categories, inverse: true,
      axisTick: {show: false}, axisLine: {lineStyle: {color: QUIET}},
      axisLabel: {fontSize: FONT_SIZE, color: QUIET, interval: room < FONT_SIZE + 2 ? "auto" : 0,
                  width: Math.min(widest(data.categories, font) + 2, width / 3),
                  overflow: data.wrapLabels ? "break" : "truncate", lineHeight: FONT_SIZE + 3}
    };
  }

  function valueAxis(data, width, side) {
    var top = data.reference ? data.reference.value : -Infinity;
    return {
      type: "value", min: 0, name: data.valueAxis, nameLocation: "middle",
      nameGap: side ? 26 + FONT_SIZE : 20 + textWidth(String(data.max || 1000), "sans-serif"),
      nameRotate: side ? 0 : 90, nameTextStyle: {fontSize: FONT_SIZE, color: TEXT},
      max: data.max !== null ? data.max : function (extent) { return top > extent.max ? top * 1.1 : null; },
      splitNumber: width < 480 ? 3 : 5, interval: data.max === 100 ? (width < 480 ? 25 : 20) : undefined, splitLine: {lineStyle: {color: RULE}},
      axisLabel: {fontSize: FONT_SIZE, color: QUIET, hideOverlap: true}
    };
  }

  // A light keeps its colour; the other series take the palette in turn, so a red mark beside them
  // does not push them off the calm first colour.
  function colours(data) {
    var next = 0;
    return data.series.map(function (s) { return s.tone ? TONES[s.tone] : PALETTE[next++ % PALETTE.length]; });
  }

  function reference(data, side) {
    if (!data.reference) { return undefined; }
    var at = {}; at[side ? "xAxis" : "yAxis"] = data.reference.value;
    return {silent: true, symbol: "none", data: [at], z: 1, lineStyle: {type: "dashed", color: TEXT, width: 1.5},
            label: {formatter: data.reference.label, fontSize: FONT_SIZE, color: TEXT, position: side ? "start" : "insideEndTop"}};
  }

  function series(data) {
    var side = data.kind === "bar", few = data.categories.length * data.series.length <= 24;
    var palette = colours(data);
    return data.series.map(function (s, index) {
      var colour = palette[index];
      var one = {name: s.name, type: side ? "bar" : "line", data: s.values.map(function (v) { return v === null ? "-" : v; }),
                 itemStyle: {color: colour}, markLine: index === 0 ? reference(data, side) : undefined};
      if (side) {
        if (DECALS[index % DECALS.length]) { one.itemStyle.decal = DECALS[index % DECALS.length]; }
        one.barMaxWidth = 24;
        one.stack = data.stacked ? "all" : undefined;
        // On white, so a marked line running past the bar's end does not strike through its number.
        one.label = {show: few, position: "right", fontSize: FONT_SIZE, color: TEXT, backgroundColor: "#fff", padding: [1, 2],
                     formatter: function (p) { return format(p.value, data); }};
      } else {
        one.symbol = SYMBOLS[index % SYMBOLS.length];
        one.symbolSize = 8;
        one.showSymbol = true;
        one.connectNulls = false;
        one.lineStyle = {color: colour, width: 2, type: DASHES[index % DASHES.length]};
      }
      return one;
    });
  }

  function option(data, box) {
    var font = window.getComputedStyle(box).fontFamily;
    var width = box.clientWidth, height = box.clientHeight, side = data.kind === "bar";
    var rows = legendRows(data, width, font);
    return {
      animation: !calm.matches, animationDuration: 300,
      textStyle: {fontFamily: font, fontSize: FONT_SIZE, color: TEXT},
      color: colours(data),
      legend: {show: rows > 0, top: 0, left: 0, itemGap: 10, textStyle: {fontSize: FONT_SIZE, color: TEXT}},
      // The axes' labels and titles are kept inside the box (ECharts 6's outer bounds), the grid shrinks.
      grid: {left: 4, right: side ? 48 : 12, bottom: 4, top: rows * 24 + (side ? 8 : 16) + (data.reference ? 20 : 0), outerBoundsMode: "auto"},
      tooltip: {trigger: "axis", confine: true, axisPointer: {type: side ? "shadow" : "line"},
                textStyle: {fontSize: FONT_SIZE}, valueFormatter: function (v) { return format(v, data); }},
      xAxis: side ? valueAxis(data, width, true) : bottomAxis(data, width, font),
      yAxis: side ? sideAxis(data, width, height - rows * 24, font) : valueAxis(data, width, false),
      series: series(data)
    };
  }

  function draw(box) {
    var data = JSON.parse(box.getAttribute("data-chart"));
    var points = data.categories.length * data.series.length;
    var chart = window.echarts.init(box, null, {renderer: points <= SVG_UP_TO ? "svg" : "canvas"});
    var drawnWidth = box.clientWidth, pending = false;
    chart.setOption(option(data, box));
    // Redrawn when the box changes width: label turns, legend rows and ticks depend on it.
    new window.ResizeObserver(function () {
      if (pending || box.clientWidth === drawnWidth) { return; }
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        drawnWidth = box.clientWidth;
        chart.resize({animation: {duration: 0}});
        chart.setOption(option(data, box), {notMerge: true, lazyUpdate: true});
      });
    }).observe(box);
  }

  function toggle(button) {
    var table = document.getElementById(button.getAttribute("aria-controls"));
    button.addEventListener("click", function () {
      var open = table.classList.toggle("visually-hidden") === false;
      button.setAttribute("aria-expanded", String(open));
      button.textContent = button.getAttribute(open ? "data-hide" : "data-show");
    });
  }

  document.querySelectorAll(".chart-toggle").forEach(toggle);
  document.querySelectorAll(".chart-box[data-chart]").forEach(function (box) {
    if (window.echarts && window.ResizeObserver) { draw(box); return; }
    // No chart library (not installed, or an old browser): the table takes the chart's place.
    box.hidden = true;
    box.parentNode.querySelector(".chart-table").classList.remove("visually-hidden");
    box.parentNode.querySelector(".chart-toggle").hidden = true;
  });
})();
