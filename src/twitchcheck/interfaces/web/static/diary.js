/* The diary page works without this file. It sets the entry form's default time to the
   browser's own clock (the server's clock may be in another time zone), unless the person has
   already typed one or the page came back with their values, and fills each form's hidden
   time_zone field with the browser's IANA zone (e.g. Europe/Berlin), stored with the entry so
   that an export says which instant the time written meant. Without it no zone is stored. */
(function () {
  'use strict';
  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function localNow() {
    var d = new Date();
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + 'T' +
      pad(d.getHours()) + ':' + pad(d.getMinutes());
  }
  function browserZone() {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || '';
    } catch (e) {
      return '';
    }
  }
  document.addEventListener('DOMContentLoaded', function () {
    var zone = browserZone();
    var zoneFields = document.querySelectorAll('input.browser-time-zone');
    for (var i = 0; i < zoneFields.length; i++) { zoneFields[i].value = zone; }
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
