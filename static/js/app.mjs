// Enhancements only: every page works without JavaScript.
import { initAll } from "/static/vendor/govuk/govuk-frontend.min.js";
import { startSessionTimeout } from "/static/js/session-timeout.mjs";
// Long pickers: the covers autocomplete (its vendor script is included by the pages using it) and list filters.
import "/static/js/record-picker.js";

initAll();
startSessionTimeout(document.body);
