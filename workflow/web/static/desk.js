// Keyboard shortcuts for the article page (every action also works as a plain form).
(function () {
  "use strict";
  function segments() { return Array.prototype.slice.call(document.querySelectorAll("li.segment")); }
  function current() { return document.querySelector("li.segment.current"); }
  function go(seg) {
    if (!seg) { return; }
    var old = current();
    if (old) { old.classList.remove("current"); }
    seg.classList.add("current");
    seg.focus();
    seg.scrollIntoView({block: "center"});
  }
  function step(delta) {
    var all = segments(), at = all.indexOf(current());
    go(all[Math.min(all.length - 1, Math.max(0, at + delta))]);
  }
  function nextOpen() {
    var all = segments(), at = all.indexOf(current());
    for (var i = 1; i <= all.length; i++) {
      var seg = all[(at + i) % all.length];
      if (seg.dataset.state === "untranslated" || seg.dataset.state === "fuzzy") { go(seg); return; }
    }
  }
  document.addEventListener("keydown", function (ev) {
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(ev.target.tagName);
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey) && ev.target.tagName === "TEXTAREA") {
      ev.preventDefault();
      ev.target.form.submit();
      return;
    }
    if (typing || ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
    var seg = current();
    if (ev.key === "j") { step(1); } else if (ev.key === "k") { step(-1); } else if (ev.key === "n") { nextOpen(); }
    else if (ev.key === "e" && seg) { ev.preventDefault(); seg.querySelector("textarea").focus(); }
    else if (ev.key === "r" && seg && seg.querySelector(".reject input[name=note]")) {
      ev.preventDefault(); seg.querySelector(".reject input[name=note]").focus();
    } else if (ev.key === "a" && seg && seg.querySelector("form.approve")) {
      var next = seg.nextElementSibling, form = seg.querySelector("form.approve");
      if (next) {
        var then = document.createElement("input");
        then.type = "hidden"; then.name = "then"; then.value = next.id.slice(2);
        form.appendChild(then);
      }
      form.submit();
    } else { return; }
  });
  window.addEventListener("load", function () {
    var target = location.hash && document.getElementById(location.hash.slice(1));
    if (target && target.classList.contains("segment")) { go(target); }
  });
}());
