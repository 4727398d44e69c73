/*
 * mkdocs-risk-register: sort and filter the register table in the browser.
 *
 * Progressive enhancement with no dependencies: without JavaScript the plain
 * table stays as built. Header buttons sort by any column (ids and text in
 * natural order, scores and levels by value); select boxes built from the
 * rows' data attributes filter by status, category, band and owner.
 *
 * The script holds no words of its own: the table's data-risk-register-words
 * attribute carries them, in the site's language, from the plugin's catalogue
 * (keys script.* of locales/<language>.yml), each as CLDR plural forms chosen
 * here with Intl.PluralRules.
 */
(function () {
  "use strict";

  var FILTERS = ["status", "category", "band", "owner"];
  var NUMBER = /^-?\d+(?:\.\d+)?$/;
  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

  // The table's words: {language, words: {key: {one: ..., other: ...}}}; null when it has none.
  function readWords(table) {
    var data;
    try {
      data = JSON.parse(table.getAttribute("data-risk-register-words") || "null");
    } catch (error) {
      return null;
    }
    if (!data || typeof data.words !== "object") return null;
    var plurals = null;
    try {
      plurals = new Intl.PluralRules(data.language || undefined);
    } catch (error) {
      plurals = null;
    }
    return function (key, values) {
      var forms = data.words[key] || {};
      var count = values && typeof values.count === "number" ? values.count : null;
      var text = (count !== null && plurals && forms[plurals.select(count)]) || forms.other || "";
      return text.replace(/\{\{|\}\}|\{(\w+)\}/g, function (match, name) {
        if (!name) return match.charAt(0);
        return values && name in values ? String(values[name]) : match;
      });
    };
  }

  function sortKey(row, index) {
    var cell = row.cells[index];
    if (!cell) return "";
    var key = cell.getAttribute("data-sort");
    return key !== null ? key : cell.textContent.trim();
  }

  function compareKeys(a, b) {
    if (NUMBER.test(a) && NUMBER.test(b)) return parseFloat(a) - parseFloat(b);
    return collator.compare(a, b);
  }

  function rowValues(row, name) {
    var value = row.getAttribute("data-" + name) || "";
    return name === "owner" ? value.split("|") : [value];
  }

  function optionValues(rows, name) {
    var counts = {};
    var best = {};
    var order = [];
    rows.forEach(function (row) {
      var score = parseFloat(row.getAttribute("data-score")) || 0;
      rowValues(row, name).forEach(function (value) {
        if (!value) return;
        if (!(value in counts)) {
          counts[value] = 0;
          best[value] = score;
          order.push(value);
        }
        counts[value] += 1;
        best[value] = Math.max(best[value], score);
      });
    });
    order.sort(function (a, b) {
      // Bands from the highest scores down; other names in natural order.
      return name === "band" ? best[b] - best[a] || collator.compare(a, b) : collator.compare(a, b);
    });
    return order.map(function (value) {
      return [value, counts[value]];
    });
  }

  function enhance(table) {
    if (table.hasAttribute("data-risk-register-enhanced")) return;
    table.setAttribute("data-risk-register-enhanced", "");
    var body = table.tBodies[0];
    if (!body || !table.tHead) return;
    var rows = Array.prototype.slice.call(body.rows);
    rows.forEach(function (row, index) {
      row.setAttribute("data-order", String(index));
    });
    enableSorting(table, body, rows);
    var say = readWords(table);
    if (say) addFilters(table, body, rows, say);
  }

  function addFilters(table, body, rows, say) {
    var tools = document.createElement("div");
    tools.className = "risk-register-tools";
    tools.setAttribute("role", "group");
    tools.setAttribute("aria-label", say("filter_group"));
    var selects = [];
    FILTERS.forEach(function (filter) {
      var values = optionValues(rows, filter);
      var label = document.createElement("label");
      var select = document.createElement("select");
      select.setAttribute("data-filter", filter);
      select.appendChild(new Option(say("all"), ""));
      values.forEach(function (entry) {
        select.appendChild(new Option(say("option", { value: entry[0], count: entry[1] }), entry[0]));
      });
      label.appendChild(document.createTextNode(say("filter." + filter) + " "));
      label.appendChild(select);
      tools.appendChild(label);
      selects.push(select);
    });
    var reset = document.createElement("button");
    reset.type = "button";
    reset.textContent = say("show_all");
    reset.setAttribute("data-filter-reset", "");
    tools.appendChild(reset);
    var count = document.createElement("p");
    count.className = "risk-register-count";
    count.setAttribute("aria-live", "polite");
    tools.appendChild(count);

    // Said inside the table too when the filters leave no row: a bare header reads as a broken table.
    var empty = body.insertRow(-1);
    empty.className = "risk-register-empty";
    empty.hidden = true;
    var emptyCell = empty.insertCell(0);
    emptyCell.colSpan = table.tHead.rows[0].cells.length;
    emptyCell.textContent = say("no_match");

    function applyFilters() {
      var shown = 0;
      rows.forEach(function (row) {
        var visible = selects.every(function (select) {
          return !select.value || rowValues(row, select.getAttribute("data-filter")).indexOf(select.value) >= 0;
        });
        row.hidden = !visible;
        if (visible) shown += 1;
      });
      empty.hidden = shown > 0;
      count.textContent = say("shown", { shown: shown, count: rows.length });
    }
    selects.forEach(function (select) {
      select.addEventListener("change", applyFilters);
    });
    reset.addEventListener("click", function () {
      selects.forEach(function (select) {
        select.value = "";
      });
      applyFilters();
    });

    // Material wraps tables in scroll containers: put the tools above the wrapper.
    var anchor = table.closest(".md-typeset__scrollwrap") || table;
    anchor.parentNode.insertBefore(tools, anchor);
    applyFilters();
  }

  function enableSorting(table, body, rows) {
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    headers.forEach(function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "risk-register-sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      var icon = document.createElement("span");
      icon.className = "risk-register-sort-icon";
      icon.setAttribute("aria-hidden", "true");
      button.appendChild(icon);
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var descending = th.getAttribute("aria-sort") === "ascending";
        headers.forEach(function (other) {
          other.setAttribute("aria-sort", "none");
        });
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
        var sorted = rows.slice().sort(function (a, b) {
          var result = compareKeys(sortKey(a, index), sortKey(b, index));
          if (descending) result = -result;
          // Ties keep the register's order (ids in natural order).
          return result || a.getAttribute("data-order") - b.getAttribute("data-order");
        });
        sorted.forEach(function (row) {
          body.appendChild(row);
        });
        // The "no match" row stays last.
        var empty = body.querySelector("tr.risk-register-empty");
        if (empty) body.appendChild(empty);
      });
    });
  }

  function enhanceAll() {
    var tables = document.querySelectorAll("table[data-risk-register-table]");
    Array.prototype.forEach.call(tables, enhance);
  }

  // Material's instant navigation swaps pages without a reload: document$ emits for each one.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(enhanceAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhanceAll);
  } else {
    enhanceAll();
  }
})();
