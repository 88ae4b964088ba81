// Reloads the page when herald preview --serve has rebuilt the site.
(function () {
  'use strict';
  var events = new EventSource('/_herald/events');
  events.addEventListener('reload', function () {
    location.reload();
  });
})();
