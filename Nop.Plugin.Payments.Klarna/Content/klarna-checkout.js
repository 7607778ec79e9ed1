/*
 * Klarna Payments widget on nopCommerce's payment info step (one-page and multi-step checkout).
 * Loaded with the checkout page itself (KlarnaCheckoutScriptsViewComponent), never from the step's HTML: the one-page
 * checkout inserts the step from an AJAX answer (jQuery .html()), in which nopCommerce writes no script source.
 * The widget starts from the step's own markup (#klarna-payment-info and its data attributes) whenever that markup enters
 * the page: at load (multi-step) or on each insertion (one-page, again when the customer goes back and forth); each
 * inserted element is started once.
 * init + load with the session's client token; on "Continue" authorize with auto_finalize:false (the Buy button is on a
 * later page) and the customer's addresses as data, put the authorization token into the hidden input (or, when Klarna
 * answers finalize_required, the flag), then let nopCommerce go on; a declined or closed widget keeps the customer on the
 * step with a message.
 * On the confirm step (#klarna-confirm-order, rendered only when the authorization waits for it) the confirm button first
 * calls finalize() with the same addresses, posts the token to the shop, then lets nopCommerce place the order.
 */
(function () {
  'use strict';

  if (window.__klarnaNopCheckout) {
    return;
  }
  window.__klarnaNopCheckout = true;

  function root() { return document.getElementById('klarna-payment-info'); }
  function input(id) { return document.getElementById(id); }

  function showMessage(text) {
    var message = input('klarna-message');
    if (!message) { return; }
    message.textContent = text || '';
    message.style.display = text ? '' : 'none';
  }

  function customerData(el) {
    try { return JSON.parse(el.getAttribute('data-customer') || '{}') || {}; } catch (e) { return {}; }
  }

  function selectedCategory(el) {
    var checked = el.querySelector('input[name="klarna_category_choice"]:checked');
    return checked ? checked.value : input('klarna_payment_method_category').value;
  }

  // Klarna's library may still be loading (another origin; with nopCommerce's bundling it comes after the bundle)
  function whenKlarna(callback, attempts) {
    if (window.Klarna && window.Klarna.Payments) { callback(); return; }
    if ((attempts || 0) > 150) {
      var el = root();
      if (el) { showMessage(el.getAttribute('data-not-completed')); }
      return;
    }
    setTimeout(function () { whenKlarna(callback, (attempts || 0) + 1); }, 100);
  }

  function load(el) {
    var category = input('klarna_payment_method_category');
    category.value = selectedCategory(el);
    window.Klarna.Payments.load({ container: '#klarna-payments-container', payment_method_category: category.value }, {}, function (res) {
      if (res && res.show_form === false && root() === el) {
        showMessage(el.getAttribute('data-declined'));
      }
    });
  }

  function start(el) {
    if (!el || !el.getAttribute('data-client-token') || el.getAttribute('data-klarna-started')) { return; }
    el.setAttribute('data-klarna-started', 'true');
    whenKlarna(function () {
      if (root() !== el) { return; } // replaced by a newer step meanwhile: that one starts itself
      try {
        window.Klarna.Payments.init({ client_token: el.getAttribute('data-client-token') });
        load(el);
      } catch (e) {
        showMessage(el.getAttribute('data-not-completed'));
      }
    });
    el.addEventListener('change', function (e) {
      if (e.target && e.target.name === 'klarna_category_choice') {
        input('klarna_authorization_token').value = '';
        input('klarna_finalize_required').value = '';
        showMessage('');
        whenKlarna(function () { load(el); });
      }
    });
  }

  function authorizeThen(el, proceed) {
    if (el.getAttribute('data-busy')) { return; }
    el.setAttribute('data-busy', 'true');
    showMessage('');
    whenKlarna(function () {
      var options = { payment_method_category: input('klarna_payment_method_category').value, auto_finalize: false };
      window.Klarna.Payments.authorize(options, customerData(el), function (res) {
        el.removeAttribute('data-busy');
        var token = input('klarna_authorization_token');
        var finalize = input('klarna_finalize_required');
        if (res && res.approved === true && res.authorization_token) {
          token.value = res.authorization_token;
          finalize.value = '';
          proceed();
          return;
        }
        if (res && res.approved === true && res.finalize_required === true) {
          // a pay-now category: Klarna gives the token at finalize(), when the customer confirms the order
          token.value = '';
          finalize.value = 'true';
          proceed();
          return;
        }
        token.value = '';
        finalize.value = '';
        showMessage(res && res.show_form === false ? el.getAttribute('data-declined') : el.getAttribute('data-not-completed'));
      });
    });
  }

  function needsAuthorization(el) {
    var token = input('klarna_authorization_token');
    var finalize = input('klarna_finalize_required');
    return el && el.getAttribute('data-client-token') && token && !token.value && !(finalize && finalize.value) && !window.__klarnaProceeding;
  }

  // the confirm step of an authorization that waits for finalize()
  function confirmRoot() { return document.getElementById('klarna-confirm-order'); }

  function showConfirmMessage(text) {
    var message = input('klarna-confirm-message');
    if (!message) { return; }
    message.textContent = text || '';
    message.style.display = text ? '' : 'none';
  }

  function needsFinalize(el) {
    return el && el.getAttribute('data-client-token') && !el.getAttribute('data-klarna-finalized') && !window.__klarnaProceeding;
  }

  function postFinalized(el, token, done) {
    var body = new URLSearchParams();
    body.append('sessionId', el.getAttribute('data-session-id'));
    body.append('authorizationToken', token);
    var antiforgery = document.querySelector('input[name="__RequestVerificationToken"]');
    if (antiforgery) { body.append('__RequestVerificationToken', antiforgery.value); }
    fetch(el.getAttribute('data-finalized-url'), { method: 'POST', body: body, credentials: 'same-origin' })
      .then(function (response) { done(response.ok); })
      .catch(function () { done(false); });
  }

  function finalizeThen(el, proceed) {
    if (el.getAttribute('data-busy')) { return; }
    el.setAttribute('data-busy', 'true');
    showConfirmMessage('');
    whenKlarna(function () {
      try {
        window.Klarna.Payments.init({ client_token: el.getAttribute('data-client-token') });
      } catch (e) {
        el.removeAttribute('data-busy');
        showConfirmMessage(el.getAttribute('data-not-completed'));
        return;
      }
      window.Klarna.Payments.finalize({ payment_method_category: el.getAttribute('data-category') }, customerData(el), function (res) {
        if (!(res && res.approved === true && res.authorization_token)) {
          el.removeAttribute('data-busy');
          showConfirmMessage(res && res.show_form === false ? el.getAttribute('data-declined') : el.getAttribute('data-not-completed'));
          return;
        }
        postFinalized(el, res.authorization_token, function (saved) {
          el.removeAttribute('data-busy');
          if (!saved) { showConfirmMessage(el.getAttribute('data-not-completed')); return; }
          el.setAttribute('data-klarna-finalized', 'true');
          proceed();
        });
      });
    });
  }

  // capture phase: runs before nopCommerce's own handlers (PaymentInfo.save() of the one-page checkout, form submit)
  document.addEventListener('click', function (e) {
    var button = e.target && e.target.closest &&
      e.target.closest('.payment-info-next-step-button, button[name="nextstep"], input[name="nextstep"]');
    var el = root();
    if (!button || !needsAuthorization(el)) { return; }
    e.preventDefault();
    e.stopPropagation();
    e.stopImmediatePropagation();
    authorizeThen(el, function () {
      window.__klarnaProceeding = true;
      try { button.click(); } finally { window.__klarnaProceeding = false; }
    });
  }, true);

  // the confirm button (one-page: ConfirmOrder.save(); multi-step: the form's submit button, also on Enter)
  document.addEventListener('click', function (e) {
    var button = e.target && e.target.closest && e.target.closest('.confirm-order-next-step-button');
    var el = confirmRoot();
    if (!button || !needsFinalize(el)) { return; }
    e.preventDefault();
    e.stopPropagation();
    e.stopImmediatePropagation();
    finalizeThen(el, function () {
      window.__klarnaProceeding = true;
      try { button.click(); } finally { window.__klarnaProceeding = false; }
    });
  }, true);

  document.addEventListener('submit', function (e) {
    var el = root();
    if (!el || !e.target.contains(el) || !needsAuthorization(el)) { return; }
    e.preventDefault();
    var form = e.target;
    authorizeThen(el, function () {
      window.__klarnaProceeding = true;
      try { if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); } } finally { window.__klarnaProceeding = false; }
    });
  }, true);

  // the step's markup: now (multi-step page, or a step already inserted) and whenever it is inserted (one-page checkout)
  function scan() { start(root()); }
  new MutationObserver(scan).observe(document.documentElement, { childList: true, subtree: true });
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', scan);
  } else {
    scan();
  }
})();
