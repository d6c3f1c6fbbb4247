// Runs first in <body>: GOV.UK Frontend styles some components only when JavaScript is available.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
