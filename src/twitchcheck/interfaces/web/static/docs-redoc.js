// Starts ReDoc on /redoc (a file, not an inline script: the CSP allows script-src 'self').
// ReDoc injects <style> elements; the page's CSP admits them by this response's nonce, read
// from this script element's nonce property (the attribute's value is hidden from scripts).
"use strict";
(function () {
  var box = document.getElementById("redoc");
  var nonce = document.currentScript ? document.currentScript.nonce : "";
  Redoc.init(box.dataset.openapiUrl, { nonce: nonce }, box);
})();
