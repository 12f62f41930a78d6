/*
 * twitchcheck web page: start -> where it twitches -> one question at a time -> result.
 *
 * Privacy: the answers live in this script's memory only. They travel to the server in the
 * bodies of POST requests, never in a URL, a cookie or localStorage. The one exception is asked
 * for: "Save to my diary" while signed out keeps the request in this tab's sessionStorage until
 * the person has signed in (then it is saved and removed); closing the tab forgets it.
 * Safety: whenever the server says the answers point to an emergency, the emergency banner is
 * shown at once and the result follows.
 * Security: no inline script or style (strict CSP); every text from the server is inserted with
 * textContent, never as HTML.
 */
(function () {
  'use strict';

  var API = '/api/v1';

  // Places on the drawing that are not nasal muscles (the muscles come from GET /kb/anatomy).
  var PLACES = {
    eyelid: {
      name: 'Eyelid',
      action: 'The eyelid and the skin around the eye.',
      findings: ['twitch_eyelid']
    },
    cheek_mouth: {
      name: 'Cheek or corner of the mouth',
      action: 'The cheek and the corners of the mouth.',
      findings: ['twitch_cheek_mouth']
    }
  };

  var CATEGORY_TITLES = {
    location: 'Where it twitches',
    character: 'What the twitch is like',
    time_course: 'How it has changed',
    lifestyle: 'Daily life',
    history: 'Health history and medicines',
    symptom: 'Other symptoms',
    sign: 'Things you or others may notice'
  };

  var LEVEL_KICKER = {
    emergency: 'Emergency: get help now',
    urgent: 'Urgent: your result',
    soon: 'Your result',
    routine: 'Your result',
    self_care: 'Your result'
  };

  var CAUSES_SHOWN = 6;
  // The one thing ever kept in the browser: a result waiting while the person signs in to save it.
  var PENDING_SAVE = 'twitchcheck.pending-save';

  var state = {
    kb: { findings: [], byId: {}, anatomy: [], sources: {} },
    regions: {},          // region id -> {id, name, action, findings, el}
    chosenRegions: [],    // region ids, in the order chosen
    manual: [],           // finding ids ticked in the list
    age: null,
    sex: null,
    concerns: [],
    evidence: null,       // Map: finding id -> {choice, initial}
    history: [],          // [{step, before}] for "Back"
    step: null,
    assessment: null,
    busy: false
  };

  // -- small helpers ---------------------------------------------------------------------
  function $(id) { return document.getElementById(id); }

  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        var value = attrs[key];
        if (value === null || value === undefined || value === false) { return; }
        if (key === 'text') { node.textContent = value; }
        else if (key === 'class') { node.className = value; }
        else if (key === 'style') { throw new Error('no inline style (CSP)'); }
        else { node.setAttribute(key, value === true ? '' : String(value)); }
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined || child === false) { continue; }
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function unique(list) {
    var seen = {};
    return list.filter(function (x) { if (seen[x]) { return false; } seen[x] = true; return true; });
  }

  function findingLabel(id) {
    var f = state.kb.byId[id];
    return f ? f.label : id.replace(/_/g, ' ');
  }

  function pct(p) {
    var x = p * 100;
    if (x >= 1) { return x.toFixed(1) + '%'; }
    if (x >= 0.0001) { return String(Number(x.toPrecision(2))) + '%'; }
    return 'less than 0.0001%';
  }

  function say(text) {
    var status = $('status');
    status.textContent = '';
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function focusEl(node) {
    if (!node) { return; }
    if (!node.hasAttribute('tabindex') && !/^(A|BUTTON|INPUT|SELECT|TEXTAREA)$/.test(node.tagName)) {
      node.setAttribute('tabindex', '-1');
    }
    node.focus({ preventScroll: true });
  }

  // -- talking to the server ---------------------------------------------------------------
  function ApiError(status, message, code) {
    this.status = status;
    this.message = message;
    this.code = code || '';
  }

  function api(path, body) {
    var init = { method: 'GET', credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'application/json' } };
    if (body !== undefined) {
      init.method = 'POST';
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch(API + path, init).then(function (res) {
      if (res.ok) { return res.json(); }
      return res.json().then(function (problem) {
        throw new ApiError(res.status, (problem && (problem.detail || problem.title)) || res.statusText,
                           problem && problem.code);
      }, function () { throw new ApiError(res.status, res.statusText); });
    }, function () {
      throw new ApiError(0, 'The server could not be reached. Check your connection.');
    });
  }

  function explain(err) {
    if (err instanceof ApiError) {
      if (err.status === 429) { return 'Too many requests in a short time. Please wait a few seconds, then try again.'; }
      if (err.status === 422) { return 'Some answers do not fit together: ' + err.message; }
      if (err.status === 0) { return err.message; }
      return 'Something went wrong (' + err.status + '): ' + err.message;
    }
    return 'Something went wrong on this page. Please try again.';
  }

  function showError(err, retry) {
    var box = $('error-box');
    $('error-text').textContent = explain(err);
    var button = $('error-retry');
    button.hidden = !retry;
    button.onclick = function () { hideError(); if (retry) { retry(); } };
    box.hidden = false;
    focusEl(retry ? button : box);
  }

  function hideError() { $('error-box').hidden = true; }

  function setBusy(on, message) {
    state.busy = on;
    $('main').setAttribute('aria-busy', on ? 'true' : 'false');
    document.querySelectorAll('#question-area button, #view-where .actions button').forEach(function (b) {
      b.disabled = on;
    });
    if (on && message) { say(message); }
  }

  // -- views -------------------------------------------------------------------------------
  function showView(name) {
    document.querySelectorAll('.view').forEach(function (v) { v.hidden = v.id !== 'view-' + name; });
    if (name !== 'question') { $('emergency-now').hidden = true; }
    window.scrollTo(0, 0);
  }

  // -- start: age, sex, worries ------------------------------------------------------------
  function fieldError(input, errorEl, message) {
    errorEl.textContent = message || '';
    errorEl.hidden = !message;
    if (message) { input.setAttribute('aria-invalid', 'true'); } else { input.removeAttribute('aria-invalid'); }
  }

  function onStart(event) {
    event.preventDefault();
    var ageInput = $('age');
    var raw = ageInput.value.trim();
    var age = Number(raw);
    var ok = true;
    if (!raw || !Number.isInteger(age) || age < 0 || age > 120) {
      fieldError(ageInput, $('age-error'), 'Please enter your age as a whole number from 0 to 120.');
      ok = false;
    } else {
      fieldError(ageInput, $('age-error'), '');
    }
    var sexInput = document.querySelector('input[name="sex"]:checked');
    var firstRadio = document.querySelector('input[name="sex"]');
    if (!sexInput) {
      fieldError(firstRadio, $('sex-error'), 'Please choose one option. "I would rather not say" is fine.');
      ok = false;
    } else {
      fieldError(firstRadio, $('sex-error'), '');
    }
    if (!ok) {
      focusEl(raw && Number.isInteger(age) && age >= 0 && age <= 120 ? firstRadio : ageInput);
      return;
    }
    state.age = age;
    state.sex = sexInput.value;
    state.concerns = $('fear-als').checked ? ['als'] : [];
    showView('where');
    focusEl($('where-title'));
  }

  // -- where: the drawing and the list -----------------------------------------------------
  function setupRegions() {
    var muscles = {};
    state.kb.anatomy.forEach(function (m) { muscles[m.id] = m; });
    var svgNS = 'http://www.w3.org/2000/svg';
    document.querySelectorAll('#face .region').forEach(function (g) {
      var id = g.getAttribute('data-region');
      var def = muscles[id] || PLACES[id];
      var findings = def ? def.findings.filter(function (f) { return state.kb.byId[f]; }) : [];
      if (!def || !findings.length) { g.classList.add('is-hidden'); return; }
      var region = { id: id, name: def.name, action: def.action, findings: findings, el: g,
                     muscle: Boolean(muscles[id]) };
      state.regions[id] = region;
      g.setAttribute('tabindex', '0');
      g.setAttribute('role', 'checkbox');
      g.setAttribute('aria-checked', 'false');
      g.setAttribute('aria-label', regionLabel(region));
      g.setAttribute('aria-describedby', 'region-info-text');
      var title = document.createElementNS(svgNS, 'title');
      title.textContent = def.name;
      g.insertBefore(title, g.firstChild);
      g.addEventListener('click', function () { toggleRegion(id); });
      g.addEventListener('keydown', function (event) {
        if (event.key === ' ' || event.key === 'Enter') { event.preventDefault(); toggleRegion(id); }
      });
      g.addEventListener('focus', function () { showRegionInfo(region); });
      g.addEventListener('mouseenter', function () { showRegionInfo(region); });
      // Its name as a button too, for a phone, where the drawing's labels are hidden.
      var named = el('button', { type: 'button', class: 'button region-button', 'aria-pressed': 'false',
                                 'data-region': id }, def.name);
      named.addEventListener('click', function () { toggleRegion(id); });
      named.addEventListener('focus', function () { showRegionInfo(region); });
      region.nameButton = named;
      $('region-names').append(el('li', {}, named));
    });
    // A muscle of the knowledge base without a place on the drawing still gets a button.
    var extra = $('extra-regions');
    state.kb.anatomy.forEach(function (m) {
      if (state.regions[m.id]) { return; }
      var findings = m.findings.filter(function (f) { return state.kb.byId[f]; });
      if (!findings.length) { return; }
      var button = el('button', { type: 'button', class: 'button region-button', 'aria-pressed': 'false',
                                  'data-region': m.id }, m.name);
      var region = { id: m.id, name: m.name, action: m.action, findings: findings, el: button, muscle: true };
      state.regions[m.id] = region;
      button.addEventListener('click', function () { toggleRegion(m.id); });
      button.addEventListener('focus', function () { showRegionInfo(region); });
      extra.append(button);
      extra.hidden = false;
    });
  }

  function regionLabel(region) {
    var what = region.findings.map(findingLabel).join('; ');
    return region.muscle ? region.name + ' muscle (' + what + ')' : region.name + ' (' + what + ')';
  }

  function showRegionInfo(region) {
    var text = $('region-info-text');
    text.replaceChildren(
      el('strong', { text: region.name + (region.muscle ? ' (muscle)' : '') }), '. ',
      region.action + ' ',
      'Choosing it marks: ' + region.findings.map(findingLabel).join('; ') + '.'
    );
  }

  function toggleRegion(id) {
    var i = state.chosenRegions.indexOf(id);
    if (i >= 0) { state.chosenRegions.splice(i, 1); } else { state.chosenRegions.push(id); }
    showRegionInfo(state.regions[id]);
    renderChoices();
  }

  function effectiveFindings() {
    var ids = [];
    state.chosenRegions.forEach(function (r) { ids = ids.concat(state.regions[r].findings); });
    return unique(ids.concat(state.manual));
  }

  function buildComplaintList() {
    var list = $('complaint-list');
    var groups = {};
    var order = [];
    state.kb.findings.forEach(function (f) {
      // The interview asks how long it has gone on as one pick-one question.
      if (/^duration_/.test(f.id)) { return; }
      if (!groups[f.category]) { groups[f.category] = []; order.push(f.category); }
      groups[f.category].push(f);
    });
    order.forEach(function (cat) {
      var fs = el('fieldset', { class: 'complaint-group', 'data-category': cat },
        el('legend', { text: CATEGORY_TITLES[cat] || cat.replace(/_/g, ' ') }));
      var ul = el('ul', { class: 'checklist' });
      groups[cat].forEach(function (f) {
        var input = el('input', { type: 'checkbox', id: 'c-' + f.id, value: f.id, 'data-finding': f.id });
        input.addEventListener('change', function () { onComplaint(f.id, input.checked); });
        var li = el('li', { class: 'complaint', 'data-search': (f.label + ' ' + f.question + ' ' + f.id).toLowerCase() },
          el('label', { for: 'c-' + f.id, class: 'choice' }, input, ' ', el('span', { text: f.label })));
        ul.append(li);
      });
      fs.append(ul);
      list.append(fs);
    });
    filterComplaints();
  }

  function onComplaint(id, checked) {
    if (checked) {
      if (state.manual.indexOf(id) < 0) { state.manual.push(id); }
    } else {
      state.manual = state.manual.filter(function (x) { return x !== id; });
      // Unticking a place chosen on the drawing also un-chooses that part of the drawing.
      state.chosenRegions = state.chosenRegions.filter(function (r) {
        return state.regions[r].findings.indexOf(id) < 0;
      });
    }
    renderChoices();
  }

  function filterComplaints() {
    var words = $('complaint-search').value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    var total = 0;
    document.querySelectorAll('#complaint-list .complaint').forEach(function (li) {
      var hay = li.getAttribute('data-search');
      var match = words.every(function (w) { return hay.indexOf(w) >= 0; });
      li.hidden = !match;
      total += 1;
      if (match) { shown += 1; }
    });
    document.querySelectorAll('#complaint-list .complaint-group').forEach(function (fs) {
      fs.hidden = !fs.querySelector('.complaint:not([hidden])');
    });
    if (words.length) { $('complaint-details').open = true; }
    $('complaint-summary').textContent = words.length ? 'Matching complaints' : 'Show the whole list (' + total + ' complaints)';
    $('complaint-count').textContent = words.length
      ? (shown ? 'Showing ' + shown + ' of ' + total + ' complaints.' : 'No complaint matches. Try another word.')
      : 'Showing all ' + total + ' complaints.';
  }

  function renderChoices() {
    var chosen = effectiveFindings();
    Object.keys(state.regions).forEach(function (id) {
      var region = state.regions[id];
      var on = state.chosenRegions.indexOf(id) >= 0;
      region.el.classList.toggle('is-chosen', on);
      region.el.setAttribute(region.el.tagName.toLowerCase() === 'button' ? 'aria-pressed' : 'aria-checked', on ? 'true' : 'false');
      if (region.nameButton) { region.nameButton.setAttribute('aria-pressed', on ? 'true' : 'false'); }
    });
    document.querySelectorAll('#complaint-list input[type="checkbox"]').forEach(function (input) {
      input.checked = chosen.indexOf(input.value) >= 0;
    });
    var ul = $('chosen-list');
    ul.replaceChildren();
    state.chosenRegions.forEach(function (id) {
      var region = state.regions[id];
      ul.append(el('li', { 'data-region': id },
        el('strong', { text: region.name }), ': ' + region.findings.map(findingLabel).join('; ')));
    });
    state.manual.forEach(function (f) {
      var fromRegion = state.chosenRegions.some(function (r) { return state.regions[r].findings.indexOf(f) >= 0; });
      if (!fromRegion) { ul.append(el('li', { 'data-finding': f, text: findingLabel(f) })); }
    });
    $('chosen-empty').hidden = chosen.length > 0;
    if (chosen.length) { $('where-error').hidden = true; }
  }

  function onWhereNext() {
    var chosen = effectiveFindings();
    // Your own words (words.js): red flags are pre-filled on the safety screen, not answered.
    var words = window.twitchcheckWords ? window.twitchcheckWords.items() : [];
    state.prefill = {};
    var fromWords = words.filter(function (w) {
      if (window.twitchcheckWords.isRedFlag(w.id)) { state.prefill[w.id] = w.choice; return false; }
      return w.choice !== 'unknown' && chosen.indexOf(w.id) < 0;
    });
    if (!chosen.length && !fromWords.some(function (w) { return w.choice === 'present'; })) {
      var err = $('where-error');
      err.textContent = 'Please choose at least one place on the drawing, or tick something in the list.';
      err.hidden = false;
      return;
    }
    state.evidence = new Map();
    chosen.forEach(function (id) { state.evidence.set(id, { choice: 'present', initial: true }); });
    fromWords.forEach(function (w) { state.evidence.set(w.id, { choice: w.choice, initial: w.choice === 'present' }); });
    state.history = [];
    state.step = null;
    requestStep();
  }

  // -- the interview -----------------------------------------------------------------------
  function evidenceList() {
    var items = [];
    state.evidence.forEach(function (v, id) { items.push({ id: id, choice: v.choice, initial: v.initial }); });
    return items;
  }

  function requestBody() {
    return { age: state.age, sex: state.sex, evidence: evidenceList(), concerns: state.concerns };
  }

  function requestStep(lastAnswer) {
    hideError();
    setBusy(true, 'Choosing the next question…');
    api('/interview/next', requestBody()).then(function (step) {
      setBusy(false);
      state.step = step;
      if (step.triage && step.triage.level === 'emergency') {
        showEmergencyNow(step.triage);
        finish();
      } else if (step.should_stop || !step.question) {
        finish();
      } else {
        renderQuestion(step);
      }
    }, function (err) {
      setBusy(false);
      if (lastAnswer && resolveContradiction(err, lastAnswer)) { requestStep(); return; }
      showError(err, function () { requestStep(); });
    });
  }

  // On a pick-all-that-apply screen, ticking an item whose meaning includes another unticked item
  // (e.g. "Breathless at rest" but not "Trouble breathing") would mark the broader item "no" and
  // contradict. When the server says so and names them, the unticked items it names are left
  // open ("don't know") so the server's own rules fill them in, and the answer is sent again.
  function resolveContradiction(err, lastAnswer) {
    if (!(err instanceof ApiError) || err.status !== 422 || err.code !== 'E102') { return false; }
    var named = lastAnswer.filter(function (change) {
      return change[1] === 'absent' && err.message.indexOf(change[0]) >= 0;
    });
    named.forEach(function (change) { state.evidence.set(change[0], { choice: 'unknown', initial: false }); });
    return named.length > 0;
  }

  function showEmergencyNow(triage) {
    var box = $('emergency-now');
    box.replaceChildren(
      el('p', { class: 'triage-kicker', text: LEVEL_KICKER.emergency }),
      el('h2', { class: 'triage-title', text: triage.name }),
      el('p', { class: 'triage-advice', text: triage.advice })
    );
    box.hidden = false;
    window.scrollTo(0, 0);
    focusEl(box);
  }

  function answer(changes) {
    if (state.busy) { return; }
    state.history.push({ step: state.step, before: new Map(state.evidence) });
    changes.forEach(function (change) {
      var id = change[0];
      var choice = change[1];
      var prev = state.evidence.get(id);
      // "Don't know" never erases something already answered.
      if (choice === 'unknown' && prev && prev.choice !== 'unknown') { return; }
      state.evidence.set(id, { choice: choice, initial: Boolean(prev && prev.initial && choice === 'present') });
    });
    requestStep(changes);
  }

  function goBack() {
    if (state.busy) { return; }
    hideError();
    var last = state.history.pop();
    if (!last) {
      showView('where');
      focusEl($('where-title'));
      return;
    }
    state.evidence = last.before;
    state.step = last.step;
    renderQuestion(last.step);
  }

  function renderQuestion(step) {
    var q = step.question;
    var answered = step.progress.answered;
    var max = step.progress.max_questions;
    var number = answered + 1;
    var progress = $('progress');
    progress.max = max;
    progress.value = Math.min(answered, max);
    var label = number <= max
      ? 'Question ' + number + ' of up to ' + max
      : 'Question ' + number + ': a few more safety questions';
    $('progress-label').textContent = label;

    var area = $('question-area');
    area.replaceChildren();
    area.setAttribute('data-question', q.id);
    area.setAttribute('data-type', q.type);

    var title = el('h2', { id: 'q-title', class: 'q-title', tabindex: '-1', text: q.text });
    var why = el('div', { class: 'why', id: 'q-why' },
      el('h3', { class: 'why-title', text: 'Why I ask' }), el('p', { text: q.rationale }));
    var fs = el('fieldset', { class: 'q-fieldset', 'aria-describedby': 'q-why' }, el('legend', {}, title), why);
    var error = el('p', { class: 'field-error', id: 'q-error', role: 'alert', hidden: true });
    var actions = el('div', { class: 'actions answer-actions' });

    if (q.type === 'single') {
      var id = q.items.length ? q.items[0].id : q.id;
      [['Yes', 'present'], ['No', 'absent'], ['I don\'t know', 'unknown']].forEach(function (pair) {
        var b = el('button', { type: 'button', class: 'button answer', 'data-choice': pair[1], text: pair[0] });
        b.addEventListener('click', function () { answer([[id, pair[1]]]); });
        actions.append(b);
      });
      fs.append(actions);
    } else {
      var multiple = q.type === 'group_multiple';
      var ul = el('ul', { class: 'checklist options' });
      q.items.forEach(function (item) {
        var prev = state.evidence.get(item.id);
        var input = el('input', { type: multiple ? 'checkbox' : 'radio', name: 'q-option', id: 'o-' + item.id,
                                  value: item.id, checked: Boolean(prev ? prev.choice === 'present' : (state.prefill || {})[item.id] === 'present') });
        ul.append(el('li', {}, el('label', { class: 'choice', for: 'o-' + item.id }, input, ' ', el('span', { text: item.label }))));
      });
      var none = null;
      if (multiple) {
        none = el('input', { type: 'checkbox', id: 'o-none', value: '' });
        ul.append(el('li', { class: 'none-option' },
          el('label', { class: 'choice', for: 'o-none' }, none, ' ', el('span', { text: 'None of these' }))));
        ul.addEventListener('change', function (event) {
          if (event.target === none && none.checked) {
            ul.querySelectorAll('input[name="q-option"]').forEach(function (i) { i.checked = false; });
          } else if (event.target !== none && event.target.checked) {
            none.checked = false;
          }
        });
      }
      fs.append(ul, error);
      var next = el('button', { type: 'button', class: 'button primary', 'data-choice': 'continue', text: 'Continue' });
      next.addEventListener('click', function () {
        var picked = [];
        ul.querySelectorAll('input[name="q-option"]').forEach(function (i) { if (i.checked) { picked.push(i.value); } });
        if (!picked.length && !(none && none.checked)) {
          error.textContent = multiple
            ? 'Tick everything that applies, or tick "None of these". If you are not sure, choose "I don\'t know".'
            : 'Choose one answer. If you are not sure, choose "I don\'t know".';
          error.hidden = false;
          return;
        }
        answer(q.items.map(function (item) {
          return [item.id, picked.indexOf(item.id) >= 0 ? 'present' : 'absent'];
        }));
      });
      var dunno = el('button', { type: 'button', class: 'button', 'data-choice': 'unknown', text: 'I don\'t know' });
      dunno.addEventListener('click', function () {
        answer(q.items.map(function (item) { return [item.id, 'unknown']; }));
      });
      actions.append(next, dunno);
      fs.append(actions);
    }

    var back = el('button', { type: 'button', class: 'button link-button', id: 'q-back', text: 'Back' });
    back.addEventListener('click', goBack);
    area.append(fs, el('div', { class: 'actions nav-actions' }, back));

    showView('question');
    say(label + '.');
    focusEl(title);
  }

  function finish() {
    hideError();
    setBusy(true, 'Working out your result…');
    api('/assess', requestBody()).then(function (assessment) {
      setBusy(false);
      state.assessment = assessment;
      renderResult(assessment);
    }, function (err) {
      setBusy(false);
      showError(err, finish);
    });
  }

  // -- the result --------------------------------------------------------------------------
  function sourceLinks(ids, extra) {
    var known = {};
    (extra || []).forEach(function (s) { known[s.id] = s; });
    var list = ids.map(function (id) { return known[id] || state.kb.sources[id]; }).filter(Boolean);
    if (!list.length) { return null; }
    var ul = el('ul', { class: 'source-links' });
    list.forEach(function (s) { ul.append(el('li', {}, sourceLink(s))); });
    return el('div', { class: 'sources-inline' }, el('span', { class: 'sources-label', text: 'Sources: ' }), ul);
  }

  function sourceLink(s) {
    return el('a', { href: s.url, target: '_blank', rel: 'noopener noreferrer' },
      s.title, el('span', { class: 'visually-hidden', text: ' (' + s.publisher + ', opens in a new tab)' }));
  }

  function section(id, title) {
    return el('section', { class: 'result-section', id: id, 'aria-labelledby': id + '-title' },
      el('h2', { id: id + '-title', text: title }));
  }

  function renderTriage(a) {
    var t = a.triage;
    var emergency = t.level === 'emergency';
    var banner = el('section', { class: 'triage triage-' + t.level, id: 'triage-banner', 'data-level': t.level,
                                 role: emergency ? 'alert' : null, 'aria-labelledby': 'result-title' },
      el('p', { class: 'triage-kicker', text: LEVEL_KICKER[t.level] || t.level }),
      el('h1', { class: 'triage-title', id: 'result-title', tabindex: '-1', text: t.name }),
      el('p', { class: 'triage-advice', text: t.advice }));
    if (t.reasons.length) {
      var ul = el('ul', { class: 'triage-reasons' });
      t.reasons.forEach(function (r) {
        ul.append(el('li', {}, el('span', { text: r.text }), ' ', sourceLinks(r.sources.map(function (s) { return s.id; }), r.sources)));
      });
      banner.append(el('h2', { class: 'h3', text: 'Why this advice' }), ul);
    }
    if (t.tell_call_handler && t.tell_call_handler.length) {
      var tell = el('ul', { class: 'call-handler' });
      t.tell_call_handler.forEach(function (line) { tell.append(el('li', { text: line })); });
      banner.append(el('h2', { class: 'h3', text: 'What to tell the call handler' }), tell);
    }
    banner.append(el('h2', { class: 'h3', text: 'Safety net: when to get help' }), el('p', { class: 'safety-net', text: t.safety_net }));
    return banner;
  }

  function renderCause(c, rank) {
    var fill = el('span', { class: 'bar-fill' });
    fill.style.width = Math.max(c.probability * 100, 0.4).toFixed(2) + '%'; // CSSOM: allowed by the CSP
    var whyList = el('ul', { class: 'why-list' });
    c.explanation.forEach(function (e) {
      whyList.append(el('li', { class: e.log_odds_change >= 0 ? 'up' : 'down', text: e.text }));
    });
    var details = el('details', { class: 'cause-why' },
      el('summary', {}, 'Why? ', el('span', { class: 'visually-hidden', text: c.name })),
      el('p', { text: c.description }),
      c.explanation.length ? el('p', { class: 'why-intro', text: 'What moved it:' }) : null,
      c.explanation.length ? whyList : el('p', { text: 'None of your answers changed this much; it is listed at about its usual frequency for your age and sex.' }),
      el('p', { class: 'hint', text: 'Usual chance for your age and sex: ' + pct(c.prior) + '.' }),
      sourceLinks(c.sources, state.assessment ? state.assessment.sources : []));
    return el('li', { class: 'cause', 'data-cause': c.id },
      el('div', { class: 'cause-head' },
        el('h3', { class: 'cause-name' }, el('span', { class: 'rank', text: rank + '. ' }), c.name),
        el('span', { class: 'prob', text: pct(c.probability) })),
      el('span', { class: 'bar', 'aria-hidden': 'true' }, fill),
      details);
  }

  function renderResult(a) {
    var view = $('view-result');
    view.replaceChildren();
    view.setAttribute('data-level', a.triage.level);

    view.append(renderTriage(a));
    view.append(el('p', { class: 'disclaimer', text: a.disclaimer }));

    if (a.red_flags.length) {
      var rf = section('red-flags', 'Warning signs you reported');
      var rfl = el('ul', {});
      a.red_flags.forEach(function (f) { rfl.append(el('li', { text: f.label })); });
      rf.append(rfl);
      view.append(rf);
    }

    // In an emergency only the emergency shows; the causes and the advice wait behind "More".
    var emergency = a.triage.level === 'emergency';
    var target = view;
    if (emergency) {
      target = el('details', { class: 'more-details', id: 'more-details' },
        el('summary', { text: 'More: possible causes and advice (not needed to act now)' }));
      view.append(target);
    }

    if (a.als_context) {
      var als = section('als', 'What about ALS?');
      var ctx = a.als_context;
      als.append(el('p', { text: ctx.summary })); // its one number, in one form (ctx.chance)
      var st = el('ul', {});
      ctx.statements.forEach(function (s) { st.append(el('li', {}, el('span', { text: s.text }), ' ', sourceLinks(s.sources, a.sources))); });
      als.append(el('details', {}, el('summary', { text: 'What the research says' }), st));
      target.append(als);
    }

    var causes = section('causes', 'Possible causes, most likely first');
    causes.append(el('p', { class: 'hint', text: 'Each percentage is the chance of that cause on your answers. ' +
      'More than one cause can be present at once, so they need not add up to 100%.' }));
    var top = el('ol', { class: 'causes' });
    var rest = el('ol', { class: 'causes', start: String(CAUSES_SHOWN + 1) });
    a.causes.forEach(function (c, i) { (i < CAUSES_SHOWN ? top : rest).append(renderCause(c, i + 1)); });
    causes.append(top);
    if (a.causes.length > CAUSES_SHOWN) {
      causes.append(el('details', { class: 'more-causes' },
        el('summary', { text: 'Show the ' + (a.causes.length - CAUSES_SHOWN) + ' less likely causes' }), rest));
    }
    target.append(causes);

    var now = section('self-care', 'What you can do now');
    var sc = el('ul', {});
    a.advice.self_care.forEach(function (t) { sc.append(el('li', { text: t })); });
    now.append(sc);
    if (a.advice.treatments.length) {
      var tr = el('ul', { class: 'treatments' });
      a.advice.treatments.forEach(function (t) {
        tr.append(el('li', {}, el('strong', { text: t.name }), ': ' + t.description + ' ', sourceLinks(t.sources, a.sources)));
      });
      now.append(el('h3', { text: 'Treatments that can help' }), tr);
    }
    target.append(now);

    if (a.advice.when_to_seek_care.length) {
      var when = section('seek-care', 'When to get medical help');
      var wl = el('ul', {});
      a.advice.when_to_seek_care.forEach(function (t) { wl.append(el('li', { text: t })); });
      when.append(wl);
      target.append(when);
    }

    if (a.advice.doctor_may.length) {
      var doc = section('doctor', 'What a doctor may check');
      var dl = el('ul', {});
      a.advice.doctor_may.forEach(function (w) {
        dl.append(el('li', {}, el('strong', { text: w.name }), ': ' + w.description + ' ', sourceLinks(w.sources, a.sources)));
      });
      doc.append(dl);
      target.append(doc);
    }

    var yours = section('answers', 'What you told us');
    var reported = a.evidence.present.filter(function (id) { return a.evidence.derived.indexOf(id) < 0; });
    yours.append(el('p', { text: 'Age ' + a.evidence.age + ', sex: ' + (a.evidence.sex === 'unknown' ? 'not given' : a.evidence.sex) + '.' }));
    if (reported.length) {
      var yl = el('ul', {});
      reported.forEach(function (id) { yl.append(el('li', { text: findingLabel(id) })); });
      yours.append(el('p', { text: 'You said yes to:' }), yl);
    }
    if (a.evidence.absent.length) {
      yours.append(el('p', { text: 'You said no to ' + a.evidence.absent.length + ' other thing' + (a.evidence.absent.length === 1 ? '' : 's') + ' we asked about.' }));
    }
    target.append(yours);

    var src = section('sources', 'Sources');
    var sl = el('ol', { class: 'source-list' });
    a.sources.forEach(function (s) {
      sl.append(el('li', {}, sourceLink(s), el('span', { class: 'publisher', text: ' ' + s.publisher })));
    });
    src.append(el('p', { text: 'The statements above cite ' + a.sources.length +
      ' sources. Links open in a new tab.' }));
    src.append(el('details', { class: 'all-sources' },
      el('summary', { text: 'Show all ' + a.sources.length + ' sources' }), sl));
    view.append(src);

    var print = el('button', { type: 'button', class: 'button primary', id: 'print-button', text: 'Print or save as PDF' });
    print.addEventListener('click', function () { window.print(); });
    var change = el('button', { type: 'button', class: 'button', id: 'change-answer', text: 'Change my last answer' });
    change.addEventListener('click', goBack);
    var again = el('button', { type: 'button', class: 'button', id: 'start-again', text: 'Start again' });
    again.addEventListener('click', startAgain);
    var save = el('button', { type: 'button', class: 'button', id: 'save-to-diary', text: 'Save to my diary' });
    var saved = el('p', { id: 'save-status', role: 'status', class: 'hint' });
    save.addEventListener('click', function () { saveToDiary(save, saved); });
    view.append(el('div', { class: 'actions result-actions' }, print, save, state.history.length ? change : null, again), saved);
    view.append(el('p', { class: 'meta', text: 'Knowledge base ' + a.kb_version + '; ' +
      (a.engine.method === 'exact' ? 'exact' : 'approximate') + ' calculation.' }));

    showView('result');
    say('Your result is ready: ' + a.triage.name + '.');
    focusEl($('result-title'));
  }

  // Keep this assessment, with the answers it used, in the person's diary (POST
  // /api/v1/diary/assessments runs it again on the server and stores evidence and result).
  // Signed-in writes need the session's CSRF token, which /auth/me hands to same-origin pages.
  function saveToDiary(button, status) {
    button.disabled = true;
    status.textContent = 'Saving…';
    api('/auth/me').then(function (me) {
      var headers = { Accept: 'application/json', 'Content-Type': 'application/json' };
      if (me.csrf_token) { headers['X-CSRF-Token'] = me.csrf_token; }
      return fetch(API + '/diary/assessments', {
        method: 'POST', credentials: 'same-origin', cache: 'no-store', headers: headers,
        body: JSON.stringify(requestBody())
      }).then(function (res) {
        if (res.ok) { return res.json(); }
        throw new ApiError(res.status, res.statusText);
      });
    }).then(function () {
      status.replaceChildren('Saved to your diary. ', el('a', { href: '/diary', text: 'Open my diary' }));
    }, function (err) {
      button.disabled = false;
      if (err instanceof ApiError && err.status === 401) {
        // Kept in this tab's own storage (never on the server) until the person has signed in;
        // the checker saves it then (resumePendingSave) and forgets it.
        var kept = false;
        try { window.sessionStorage.setItem(PENDING_SAVE, JSON.stringify(requestBody())); kept = true; } catch (e) { kept = false; }
        status.replaceChildren('Please sign in to save it: ',
          el('a', { href: kept ? '/login?next=checker' : '/login', text: 'sign in' }),
          kept ? '. Your result waits in this tab, and is saved once you have signed in.' : '.');
      } else {
        status.textContent = 'It was not saved. ' + explain(err);
      }
    });
  }

  // After signing in to save a result: show it again and save it, then forget the copy.
  function resumePendingSave() {
    if (window.location.hash !== '#resume-save') { return; } // only right after signing in
    window.history.replaceState(null, '', window.location.pathname);
    var raw = null;
    try {
      raw = window.sessionStorage.getItem(PENDING_SAVE);
      window.sessionStorage.removeItem(PENDING_SAVE);
    } catch (e) { return; }
    var body = null;
    try { body = raw && JSON.parse(raw); } catch (e) { body = null; }
    if (!body || !Array.isArray(body.evidence)) { return; }
    state.age = body.age;
    state.sex = body.sex;
    state.concerns = body.concerns || [];
    state.evidence = new Map();
    body.evidence.forEach(function (e) { state.evidence.set(e.id, { choice: e.choice, initial: Boolean(e.initial) }); });
    state.history = [];
    setBusy(true, 'Working out your result…');
    api('/assess', requestBody()).then(function (assessment) {
      setBusy(false);
      state.assessment = assessment;
      renderResult(assessment);
      saveToDiary($('save-to-diary'), $('save-status'));
    }, function (err) {
      setBusy(false);
      showError(err);
    });
  }

  function startAgain() {
    state.chosenRegions = [];
    state.manual = [];
    state.evidence = null;
    state.history = [];
    state.step = null;
    state.assessment = null;
    $('about-form').reset();
    $('complaint-search').value = '';
    filterComplaints();
    renderChoices();
    $('view-result').replaceChildren();
    $('question-area').replaceChildren();
    showView('start');
    focusEl($('start-title'));
  }

  // Open every "Why?" for printing, and close them again afterwards.
  var openedForPrint = [];
  window.addEventListener('beforeprint', function () {
    openedForPrint = [];
    document.querySelectorAll('#view-result details:not([open])').forEach(function (d) {
      d.open = true;
      openedForPrint.push(d);
    });
  });
  window.addEventListener('afterprint', function () {
    openedForPrint.forEach(function (d) { d.open = false; });
    openedForPrint = [];
  });

  // -- start-up ----------------------------------------------------------------------------
  function load() {
    hideError();
    return Promise.all([api('/kb/findings'), api('/kb/anatomy'), api('/kb/sources')]).then(function (r) {
      state.kb.findings = r[0];
      state.kb.byId = {};
      r[0].forEach(function (f) { state.kb.byId[f.id] = f; });
      state.kb.anatomy = r[1];
      state.kb.sources = {};
      r[2].forEach(function (s) { state.kb.sources[s.id] = s; });
      setupRegions();
      buildComplaintList();
      renderChoices();
      document.body.setAttribute('data-ready', 'true');
      resumePendingSave();
    }, function (err) { showError(err, load); });
  }

  // On a narrow screen the drawing zooms in on the face and the names move to the panel below.
  function fitDrawing() {
    var svg = $('face');
    var wide = svg.getAttribute('data-viewbox-wide') || svg.getAttribute('viewBox');
    svg.setAttribute('data-viewbox-wide', wide);
    var narrow = window.matchMedia('(max-width: 40rem)');
    var apply = function () { svg.setAttribute('viewBox', narrow.matches ? '62 120 276 280' : wide); };
    apply();
    narrow.addEventListener('change', apply);
  }

  function init() {
    fitDrawing();
    $('about-form').addEventListener('submit', onStart);
    $('where-back').addEventListener('click', function () { showView('start'); focusEl($('start-title')); });
    $('where-next').addEventListener('click', onWhereNext);
    $('complaint-search').addEventListener('input', filterComplaints);
    load();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
}());
