/* The diary page works without this file. It only sets the entry form's default time to the
   browser's own clock (the server's clock may be in another time zone), unless the person has
   already typed one or the page came back with their values. */
(function () {
  'use strict';
  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function localNow() {
    var d = new Date();
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + 'T' +
      pad(d.getHours()) + ':' + pad(d.getMinutes());
  }
  document.addEventListener('DOMContentLoaded', function () {
    var when = document.getElementById('occurred_at');
    var hasErrors = !!document.getElementById('form-errors');
    if (when && !hasErrors && when.value === when.defaultValue) {
      when.value = localNow();
      var day = document.getElementById('on_date');
      if (day) { day.value = when.value.slice(0, 10); }
    }
    document.body.setAttribute('data-ready', 'true');
  });
}());
