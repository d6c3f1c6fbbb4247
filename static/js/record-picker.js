// Long record pickers, enhanced. Every page works without this file (no inline script: CSP 'self').
//
// 1. [data-record-search] (the records an agenda item covers, governance/includes/covers_picker.html): the
//    search box and its "Search records" button become GOV.UK's accessible autocomplete, asking
//    data-search-url?q=... (JSON: {results: [{value, name, noun, marking}]}); the record chosen is added to
//    [data-covers-chosen] as a ticked checkbox named data-field-name. Without JavaScript the button sends the
//    form back with the results listed to tick.
// 2. [data-filter-checkboxes] (a long, bounded list of checkboxes: objectives, lessons...): a "Filter" box
//    above it hides the boxes whose label does not contain what is typed. Ticked boxes always stay shown.
(function () {
  "use strict";

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
    window.accessibleAutocomplete({
      element: container,
      id: inputId,
      name: "",
      minLength: 2,
      confirmOnBlur: false,
      showNoOptionsFound: true,
      tNoResults: function () {
        return "No records you can open match";
      },
      source: function (query, populate) {
        window.clearTimeout(timer);
        timer = window.setTimeout(function () {
          var asked = ++latest;
          window
            .fetch(url + "?q=" + encodeURIComponent(query), {
              credentials: "same-origin",
              headers: { Accept: "application/json" },
            })
            .then(function (response) {
              return response.ok ? response.json() : { results: [] };
            })
            .then(function (data) {
              if (asked === latest) populate(data.results || []);
            })
            .catch(function () {
              if (asked === latest) populate([]);
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
    var items = list.querySelectorAll(".govuk-checkboxes__item");
    var id = (list.getAttribute("data-filter-checkboxes") || "picker") + "-filter";
    var group = document.createElement("div");
    group.className = "govuk-form-group govuk-!-margin-bottom-3";
    var label = document.createElement("label");
    label.className = "govuk-label";
    label.htmlFor = id;
    label.textContent = "Filter the list";
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
        var box = items[i].querySelector("input");
        var text = items[i].textContent.toLowerCase();
        var keep = !words || (box && box.checked) || text.indexOf(words) !== -1;
        items[i].hidden = !keep;
        if (keep) shown++;
      }
      region.textContent = words ? shown + " of " + items.length + " shown" : "";
    });
  }

  function start() {
    var pickers = document.querySelectorAll("[data-record-search]");
    for (var i = 0; i < pickers.length; i++) enhanceSearch(pickers[i]);
    var lists = document.querySelectorAll("[data-filter-checkboxes]");
    for (var j = 0; j < lists.length; j++) enhanceFilter(lists[j]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
