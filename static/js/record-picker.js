// Long record pickers, enhanced. Every page works without this file (no inline script: CSP 'self').
//
// 1. [data-record-search] (the records an agenda item covers, governance/includes/covers_picker.html): the
//    search box and its "Search records" button become GOV.UK's accessible autocomplete, asking
//    data-search-url?q=... (JSON: {results: [{value, name, noun, marking}]}); the record chosen is added to
//    [data-covers-chosen] as a ticked checkbox named data-field-name. Without JavaScript the button sends the
//    form back with the results listed to tick.
// 2. [data-filter-options] (a long, bounded <select multiple> or checkbox list: objectives, threats,
//    requirements...): a box above it hides the options not containing what is typed. Chosen ones stay shown.
(function () {
  "use strict";
  if (window.recordPickerStarted) return; // loaded once per page
  window.recordPickerStarted = true;

  var OFFICIAL = "official";

  function status(holder) {
    var region = holder.querySelector("[data-picker-status]");
    if (!region) {
      region = document.createElement("p");
      region.className = "govuk-visually-hidden";
      region.setAttribute("aria-live", "polite");
      region.setAttribute("data-picker-status", "");
      holder.appendChild(region);
    }
    return region;
  }

  function checkboxItem(idBase, index, name, record) {
    var id = idBase + "_" + index;
    var item = document.createElement("div");
    item.className = "govuk-checkboxes__item";
    var input = document.createElement("input");
    input.className = "govuk-checkboxes__input";
    input.type = "checkbox";
    input.id = id;
    input.name = name;
    input.value = record.value;
    input.checked = true;
    input.setAttribute("aria-describedby", id + "-kind");
    var label = document.createElement("label");
    label.className = "govuk-label govuk-checkboxes__label";
    label.htmlFor = id;
    label.textContent = record.name;
    var hint = document.createElement("div");
    hint.className = "govuk-hint govuk-checkboxes__hint";
    hint.id = id + "-kind";
    var noun = record.noun.charAt(0).toUpperCase() + record.noun.slice(1);
    hint.textContent = record.marking && record.marking !== OFFICIAL ? noun + ", " + record.marking.toUpperCase() : noun;
    item.appendChild(input);
    item.appendChild(label);
    item.appendChild(hint);
    return item;
  }

  function addChosen(picker, record) {
    var chosen = document.querySelector("[data-covers-chosen]");
    var name = picker.getAttribute("data-field-name");
    var idBase = picker.getAttribute("data-field-id");
    var boxes = chosen.querySelectorAll("input[type=checkbox]");
    for (var i = 0; i < boxes.length; i++) {
      if (boxes[i].value === record.value) {
        boxes[i].checked = true;
        return "“" + record.name + "” is already in the list and ticked.";
      }
    }
    var index = boxes.length;
    while (document.getElementById(idBase + "_" + index)) index++;
    chosen.appendChild(checkboxItem(idBase, index, name, record));
    var none = document.querySelector("[data-covers-none]");
    if (none) none.hidden = true;
    return "Added “" + record.name + "” to the records this item covers.";
  }

  function escapeHtml(text) {
    return String(text)
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&#39;");
  }

  function enhanceSearch(picker) {
    if (typeof window.accessibleAutocomplete !== "function" || !window.fetch) return;
    var box = picker.querySelector("[data-search-box]");
    var input = box.querySelector("input");
    var url = picker.getAttribute("data-search-url");
    var inputId = input.id;
    var container = document.createElement("div");
    container.className = "govuk-body govuk-!-margin-bottom-0";  // the GOV.UK font for the box and its menu
    // The "Search records" button goes: Enter in the box must never send the form (it would save the item).
    box.parentNode.replaceChild(container, box);
    var timer = null;
    var latest = 0;
    var asked = "";
    window.accessibleAutocomplete({
      element: container,
      id: inputId,
      name: "",
      minLength: 2,
      confirmOnBlur: false,
      showNoOptionsFound: true,
      tNoResults: function () {
        return "No records you can open match “" + asked + "”";
      },
      source: function (query, populate) {
        asked = query;
        window.clearTimeout(timer);
        timer = window.setTimeout(function () {
          var mine = ++latest;
          window
            .fetch(url + "?q=" + encodeURIComponent(query), {
              credentials: "same-origin",
              headers: { Accept: "application/json" },
            })
            .then(function (response) {
              return response.ok ? response.json() : { results: [] };
            })
            .then(function (data) {
              if (mine === latest) populate(data.results || []);
            })
            .catch(function () {
              if (mine === latest) populate([]);
            });
        }, 200);
      },
      templates: {
        inputValue: function (record) {
          return record && record.name ? record.name : "";
        },
        suggestion: function (record) {
          if (typeof record === "string") return escapeHtml(record);
          return escapeHtml(record.name) + " (" + escapeHtml(record.noun) + ")";
        },
      },
      onConfirm: function (record) {
        if (!record || !record.value) return;
        status(picker).textContent = addChosen(picker, record);
        window.setTimeout(function () {
          var field = document.getElementById(inputId);
          if (field) field.value = "";
        }, 0);
      },
    });
    container.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();
    });
  }

  function enhanceFilter(list) {
    // A <select multiple> filters its options; a checkbox list its items. Chosen ones always stay shown.
    var isSelect = list.tagName === "SELECT";
    var items = isSelect ? list.options : list.querySelectorAll(".govuk-checkboxes__item");
    var id = (list.id || "picker") + "-filter";
    var group = document.createElement("div");
    group.className = "govuk-!-margin-bottom-2";
    var label = document.createElement("label");
    label.className = "govuk-label";
    label.htmlFor = id;
    // Named after the list it filters, so two filters on one page are told apart.
    var named = isSelect ? document.querySelector('label[for="' + list.id + '"]') : null;
    if (!named) named = list.closest("fieldset") && list.closest("fieldset").querySelector("legend");
    var name = named ? named.textContent.replace(/\(optional\)/, "").trim() : "";
    label.textContent = name ? "Filter the list: " + name : "Filter the list";
    var input = document.createElement("input");
    input.className = "govuk-input govuk-input--width-20";
    input.type = "search";
    input.id = id;
    input.setAttribute("autocomplete", "off");
    input.setAttribute("spellcheck", "false");
    group.appendChild(label);
    group.appendChild(input);
    list.parentNode.insertBefore(group, list);
    var region = status(group);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();
    });
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().trim();
      var shown = 0;
      for (var i = 0; i < items.length; i++) {
        var chosen = isSelect ? items[i].selected : items[i].querySelector("input").checked;
        var keep = !words || chosen || items[i].textContent.toLowerCase().indexOf(words) !== -1;
        items[i].hidden = !keep;
        if (keep) shown++;
      }
      region.textContent = words ? shown + " of " + items.length + " shown" : "";
    });
  }

  function start() {
    var pickers = document.querySelectorAll("[data-record-search]");
    for (var i = 0; i < pickers.length; i++) enhanceSearch(pickers[i]);
    var lists = document.querySelectorAll("[data-filter-options]");
    for (var j = 0; j < lists.length; j++) enhanceFilter(lists[j]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
