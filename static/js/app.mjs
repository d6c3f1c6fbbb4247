// Enhancements only: every page works without JavaScript.
import { initAll } from "/static/vendor/govuk/govuk-frontend.min.js";
import { startSessionTimeout } from "/static/js/session-timeout.mjs";

initAll();
startSessionTimeout(document.body);
