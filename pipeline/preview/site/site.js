// Filters of the calendar by network, tag and campaign. Every post chip
// carries data-networks, data-tags (space-separated) and data-campaign; the
// filter state is kept in the URL fragment so that it survives a reload.
// The count of posts shown is written in the page's language: the output
// element's data-format says it ("{shown} of 12 posts"), and the number is
// written as the page's lang writes numbers.
(function () {
  'use strict';
  var form = document.getElementById('filters');
  if (!form) {
    return;
  }
  var posts = Array.prototype.slice.call(document.querySelectorAll('a.post'));
  var shown = document.getElementById('shown');
  var params = new URLSearchParams(location.hash.slice(1));
  ['network', 'tag', 'campaign'].forEach(function (name) {
    var value = params.get(name);
    if (value !== null) {
      form.elements[name].value = value;
    }
  });

  function has(list, value) {
    return (' ' + list + ' ').indexOf(' ' + value + ' ') >= 0;
  }

  function apply() {
    var network = form.elements.network.value;
    var tag = form.elements.tag.value;
    var campaign = form.elements.campaign.value;
    var count = 0;
    posts.forEach(function (post) {
      var d = post.dataset;
      var keep = (!network || has(d.networks, network)) &&
        (!tag || has(d.tags, tag)) &&
        (!campaign || (campaign === '-' ? d.campaign === '' : d.campaign === campaign));
      post.hidden = !keep;
      if (keep) {
        count++;
      }
    });
    shown.value = (shown.dataset.format || '{shown}').replace('{shown}', count.toLocaleString(document.documentElement.lang || undefined));
  }

  function remember() {
    var state = new URLSearchParams();
    ['network', 'tag', 'campaign'].forEach(function (name) {
      if (form.elements[name].value) {
        state.set(name, form.elements[name].value);
      }
    });
    var hash = state.toString();
    try {
      history.replaceState(null, '', hash ? '#' + hash : location.pathname + location.search);
    } catch (e) {
      // Some browsers refuse history changes on file: pages: the filter
      // still works, it is only not remembered.
    }
  }

  form.addEventListener('change', function () {
    apply();
    remember();
  });
  form.addEventListener('submit', function (e) { e.preventDefault(); });
  form.hidden = false;
  apply();
})();
