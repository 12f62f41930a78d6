// Starts ReDoc on /redoc (a file, not an inline script: the CSP allows script-src 'self').
// ReDoc injects <style> elements; the page's CSP admits them by this response's nonce, read
// from this script element's nonce property (the attribute's value is hidden from scripts).
"use strict";
(function () {
  // ReDoc shows a logo from cdn.redoc.ly beside "API docs by Redocly": give it an empty data:
  // address instead, so that nothing is requested from another origin (ReDoc then hides it).
  var OTHER = "https://cdn.redoc.ly/";
  var local = function (value) {
    return String(value).indexOf(OTHER) === 0 ? "data:," : value;
  };
  var setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    return setAttribute.call(this, name, name === "src" ? local(value) : value);
  };
  var src = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, "src");
  Object.defineProperty(HTMLImageElement.prototype, "src", {
    configurable: true,
    enumerable: src.enumerable,
    get: src.get,
    set: function (value) {
      src.set.call(this, local(value));
    },
  });
  var box = document.getElementById("redoc");
  var nonce = document.currentScript ? document.currentScript.nonce : "";
  Redoc.init(box.dataset.openapiUrl, { nonce: nonce }, box);
})();
