/*
 * Klarna Payments widget on nopCommerce's payment info step (one-page and multi-step checkout).
 * init + load with the session's client token; on "Continue" authorize first, put the authorization token into the
 * hidden input and let nopCommerce post the form; declined or closed widget: stay on the step with a message.
 */
(function () {
  'use strict';

  var root = document.getElementById('klarna-payment-info');
  if (!root || !root.getAttribute('data-client-token')) {
    return;
  }

  var tokenInput = document.getElementById('klarna_authorization_token');
  var categoryInput = document.getElementById('klarna_payment_method_category');
  var message = document.getElementById('klarna-message');
  var container = '#klarna-payments-container';
  var proceeding = false;
  var busy = false;

  function showMessage(text) {
    if (!message) { return; }
    message.textContent = text || '';
    message.style.display = text ? '' : 'none';
  }

  function category() {
    var checked = root.querySelector('input[name="klarna_category_choice"]:checked');
    return checked ? checked.value : categoryInput.value;
  }

  function load() {
    if (!window.Klarna || !window.Klarna.Payments) {
      showMessage(root.getAttribute('data-not-completed'));
      return;
    }
    categoryInput.value = category();
    window.Klarna.Payments.load({ container: container, payment_method_category: categoryInput.value }, {}, function (res) {
      if (res && res.show_form === false) {
        showMessage(root.getAttribute('data-declined'));
      }
    });
  }

  try {
    window.Klarna.Payments.init({ client_token: root.getAttribute('data-client-token') });
    load();
  } catch (e) {
    showMessage(root.getAttribute('data-not-completed'));
  }

  root.addEventListener('change', function (e) {
    if (e.target && e.target.name === 'klarna_category_choice') {
      tokenInput.value = '';
      showMessage('');
      load();
    }
  });

  function isContinueButton(el) {
    return el && el.closest && el.closest('.payment-info-next-step-button, button[name="nextstep"], input[name="nextstep"]');
  }

  function authorizeThen(proceed) {
    if (busy) { return; }
    busy = true;
    showMessage('');
    window.Klarna.Payments.authorize({ payment_method_category: categoryInput.value }, {}, function (res) {
      busy = false;
      if (res && res.approved === true && res.authorization_token) {
        tokenInput.value = res.authorization_token;
        proceed();
        return;
      }
      tokenInput.value = '';
      showMessage(res && res.show_form === false ? root.getAttribute('data-declined') : root.getAttribute('data-not-completed'));
    });
  }

  // capture phase: runs before nopCommerce's own handlers (PaymentInfo.save() of the one-page checkout, form submit)
  document.addEventListener('click', function (e) {
    var button = isContinueButton(e.target);
    if (!button || !document.body.contains(root) || proceeding || tokenInput.value) {
      return;
    }
    e.preventDefault();
    e.stopPropagation();
    e.stopImmediatePropagation();
    authorizeThen(function () {
      proceeding = true;
      try { button.click(); } finally { proceeding = false; }
    });
  }, true);

  var form = root.closest('form');
  if (form) {
    form.addEventListener('submit', function (e) {
      if (tokenInput.value || proceeding) { return; }
      e.preventDefault();
      authorizeThen(function () {
        proceeding = true;
        if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
        proceeding = false;
      });
    }, true);
  }
})();
