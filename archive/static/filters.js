// On narrow screens the facet column starts folded under its "Filters" summary, so the
// results come first. Without JavaScript it stays open (everything is still reachable).
(function () {
  "use strict";
  var details = document.querySelector("details.facets");
  if (!details || !window.matchMedia) { return; }
  var narrow = window.matchMedia("(max-width: 48rem)");
  function apply() { details.open = !narrow.matches; }
  apply();
  if (narrow.addEventListener) { narrow.addEventListener("change", apply); }
})();
