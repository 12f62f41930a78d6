/* "What is happening? Use your own words" (issue 17): the text goes to POST /api/v1/parse (it is
   never stored, and leaves this tab only for that request); what was understood is shown as
   chips the person can correct (remove, or flip between yes and no). app.js reads the corrected
   list through window.twitchcheckWords.items(): red flags among them are not taken as answers
   but pre-filled on the safety screen for confirmation; "not sure" items count as unanswered. */
(function () {
  'use strict';

  var state = { items: [], labels: {}, redFlags: {}, loaded: false };
  var WORDS = { present: 'yes', absent: 'no', unknown: 'not sure' };

  function $(id) { return document.getElementById(id); }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function post(path, body) {
    return fetch('/api/v1' + path, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body)
    }).then(function (res) {
      if (!res.ok) { throw new Error(res.status === 422 ? 'Please use at most 5,000 characters.' : 'Something went wrong; please try again.'); }
      return res.json();
    });
  }

  function loadLabels() {
    if (state.loaded) { return Promise.resolve(); }
    return fetch('/api/v1/kb/findings', { credentials: 'same-origin' }).then(function (res) {
      return res.json();
    }).then(function (findings) {
      findings.forEach(function (f) { state.labels[f.id] = f.label; state.redFlags[f.id] = f.red_flag; });
      state.loaded = true;
    });
  }

  function render() {
    var list = $('words-chips');
    var box = $('words-result');
    list.textContent = '';
    box.hidden = false;
    $('words-none').hidden = state.items.length > 0;
    state.items.forEach(function (item, i) {
      var label = state.labels[item.id] || item.id;
      var li = el('li', { class: 'chip chip-' + item.choice, 'data-finding': item.id });
      li.append(el('span', { class: 'chip-text' }, label + ': ' + WORDS[item.choice]));
      if (state.redFlags[item.id]) {
        li.append(el('span', { class: 'chip-note' }, ' (we will check this with you)'));
      }
      var flip = el('button', { type: 'button', class: 'button chip-flip' },
        item.choice === 'absent' ? 'Change to yes' : 'Change to no');
      flip.setAttribute('aria-label', (item.choice === 'absent' ? 'Change to yes: ' : 'Change to no: ') + label);
      flip.addEventListener('click', function () {
        item.choice = item.choice === 'absent' ? 'present' : 'absent';
        render();
        $('words-status').textContent = label + ' changed to ' + WORDS[item.choice] + '.';
      });
      var remove = el('button', { type: 'button', class: 'button chip-remove' }, 'Remove');
      remove.setAttribute('aria-label', 'Remove: ' + label);
      remove.addEventListener('click', function () {
        state.items.splice(i, 1);
        render();
        $('words-status').textContent = label + ' removed.';
        $('words-text').focus();
      });
      li.append(' ', flip, ' ', remove);
      list.append(li);
    });
  }

  function read() {
    var text = $('words-text').value;
    var error = $('words-error');
    error.hidden = true;
    if (!text.trim()) { state.items = []; $('words-result').hidden = true; return; }
    $('words-read').disabled = true;
    loadLabels().then(function () { return post('/parse', { text: text }); }).then(function (parsed) {
      state.items = parsed.findings.map(function (f) { return { id: f.id, choice: f.choice }; });
      render();
      var said = [parsed.age, parsed.sex].filter(function (x) { return x !== undefined && x !== null; });
      var about = $('words-about');
      about.hidden = !said.length;
      about.textContent = said.length ? 'Your words mention ' + said.join(', ') +
        '. We use the age and sex you gave on the first page; go back to change them.' : '';
      $('words-status').textContent = 'We understood ' + state.items.length + ' thing(s).';
      $('words-result-title').focus();
    }, function (err) {
      error.textContent = err.message;
      error.hidden = false;
    }).then(function () { $('words-read').disabled = false; });
  }

  window.twitchcheckWords = {
    items: function () { return state.items.map(function (x) { return { id: x.id, choice: x.choice }; }); },
    isRedFlag: function (id) { return Boolean(state.redFlags[id]); }
  };

  function init() {
    var button = $('words-read');
    if (button) { button.addEventListener('click', read); }
  }

  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', init); } else { init(); }
}());
