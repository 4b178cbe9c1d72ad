// Speaker-name suggestions for the search box: fills its <datalist> from /api/v1/suggest.
// Without JavaScript the box is a plain search field; nothing here is needed to search.
(function () {
  "use strict";
  var input = document.querySelector("input[data-suggest][list]");
  if (!input || !window.fetch) { return; }
  var list = document.getElementById(input.getAttribute("list"));
  var endpoint = input.getAttribute("data-suggest");
  var cache = Object.create(null);
  var timer = null;
  var pending = null;

  function fill(names) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    names.forEach(function (name) {
      var option = document.createElement("option");
      option.value = name;  // text, never markup: names come from scraped pages
      list.appendChild(option);
    });
  }

  function lookup() {
    var prefix = input.value.trim();
    // Suggest names only while the user types plain words, not field syntax or phrases.
    if (prefix.length < 2 || /[:"()]/.test(prefix)) { fill([]); return; }
    if (cache[prefix]) { fill(cache[prefix]); return; }
    if (pending) { pending.abort(); }
    pending = window.AbortController ? new AbortController() : null;
    fetch(endpoint + "?q=" + encodeURIComponent(prefix), {
      headers: { Accept: "application/json" },
      signal: pending ? pending.signal : undefined
    })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (names) {
        if (!Array.isArray(names)) { return; }
        cache[prefix] = names;
        if (input.value.trim() === prefix) { fill(names); }
      })
      .catch(function () { /* aborted or offline: keep the box working without hints */ });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(lookup, 150);
  });
})();
