/*
 * Klarna payments for nopCommerce: admin scripts (order page block and configuration page).
 * The order block lives inside nopCommerce's <form id="order-form">, so nothing here submits a form: every action is an AJAX
 * POST carrying the page's antiforgery token. Money is handled as integers in minor units (never floats).
 */
(function ($, window, document) {
  'use strict';

  var KlarnaAdmin = {};

  // ---- money in minor units -------------------------------------------------------------------------------------------

  /** amount x part / whole rounded half away from zero, integer arithmetic only (as the order management service prorates). */
  KlarnaAdmin.prorate = function (amount, part, whole) {
    if (whole <= 0 || part === whole) return amount;
    var sign = amount < 0 ? -1 : 1;
    var numerator = 2 * Math.abs(amount) * part + whole;
    var denominator = 2 * whole;
    return sign * ((numerator - (numerator % denominator)) / denominator);
  };

  /**
   * Amount of `quantity` units of a line, as the order engine computes it: all units still left of the line = what is left of
   * the line; fewer = quantity x unit price - the prorated discount. (The units offered may be fewer than those left of the
   * line when the remaining amount allows no more.)
   */
  KlarnaAdmin.lineAmount = function (line, quantity) {
    var quantityLeft = line.quantityLeft > 0 ? line.quantityLeft : line.maxQuantity;
    if (quantity >= quantityLeft) return line.left;
    return quantity * line.unit - KlarnaAdmin.prorate(line.discount, quantity, line.quantity);
  };

  /** Parses an amount typed by an admin ("12.50", invariant, at most `exponent` decimals); null when invalid or not > 0. */
  KlarnaAdmin.parseAmount = function (text, exponent) {
    var value = $.trim(text || '');
    var match = /^([0-9]{1,15})(?:\.([0-9]{1,9}))?$/.exec(value);
    if (!match) return null;
    var fraction = match[2] || '';
    if (fraction.length > exponent) return null;
    while (fraction.length < exponent) fraction += '0';
    var minor = parseInt(match[1], 10);
    for (var i = 0; i < exponent; i++) minor *= 10;
    minor += fraction.length ? parseInt(fraction, 10) : 0;
    return minor > 0 ? minor : null;
  };

  /** Formats minor units as "1234.50 EUR" (string operations only). */
  KlarnaAdmin.formatAmount = function (minor, exponent, currency) {
    var digits = String(Math.abs(minor));
    while (digits.length <= exponent) digits = '0' + digits;
    var text = exponent > 0 ? digits.slice(0, digits.length - exponent) + '.' + digits.slice(digits.length - exponent) : digits;
    return (minor < 0 ? '-' : '') + text + (currency ? ' ' + currency : '');
  };

  /** A fresh idempotency key (GUID) for one click. */
  KlarnaAdmin.newIdempotencyKey = function () {
    if (window.crypto && typeof window.crypto.randomUUID === 'function') return window.crypto.randomUUID();
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
    return hex.slice(0, 8) + '-' + hex.slice(8, 12) + '-' + hex.slice(12, 16) + '-' + hex.slice(16, 20) + '-' + hex.slice(20);
  };

  // ---- AJAX -------------------------------------------------------------------------------------------------------------

  function antiforgeryToken() {
    return $('input[name="__RequestVerificationToken"]').first().val() || '';
  }

  /** Posts `data` with the antiforgery token; calls done() on success, fail({ message, code, correlationId }) otherwise. */
  KlarnaAdmin.post = function (url, data, done, fail, unexpectedText) {
    var token = antiforgeryToken();
    var payload = $.extend({}, data, { __RequestVerificationToken: token });
    $.ajax({
      url: url,
      type: 'POST',
      data: payload,
      dataType: 'json',
      headers: { 'X-Requested-With': 'XMLHttpRequest', 'RequestVerificationToken': token }
    }).done(function (answer) {
      // nopCommerce answers a denied permission on an AJAX POST with HTTP 200 and { error: "..." }
      if (answer && answer.success === true && !answer.error) {
        done(answer);
      } else {
        fail({
          message: (answer && answer.error) || unexpectedText,
          code: answer && answer.errorCode,
          correlationId: answer && answer.correlationId,
          html: answer && answer.html
        });
      }
    }).fail(function (xhr) {
      var answer = xhr.responseJSON || {};
      fail({ message: answer.error || unexpectedText, code: answer.errorCode, correlationId: answer.correlationId, html: answer.html });
    });
  };

  // ---- order block ------------------------------------------------------------------------------------------------------

  function showError($modal, error) {
    var $box = $modal.find('.klarna-modal-error');
    $box.find('.klarna-error-message').text(error.message || '');
    $box.find('.klarna-error-code').text(error.code || '');
    $box.find('.klarna-error-code-row').toggle(!!error.code);
    $box.find('.klarna-error-correlation').text(error.correlationId || '');
    $box.find('.klarna-error-correlation-row').toggle(!!error.correlationId);
    $box.show();
  }

  function hideError($modal) {
    $modal.find('.klarna-modal-error').hide();
  }

  function blockSettings($block) {
    return {
      orderId: $block.data('order-id'),
      currency: String($block.data('currency') || ''),
      exponent: parseInt($block.data('exponent'), 10) || 0,
      urls: {
        capture: $block.data('capture-url'),
        refund: $block.data('refund-url'),
        cancel: $block.data('cancel-url'),
        release: $block.data('release-url'),
        refresh: $block.data('refresh-url')
      },
      text: {
        working: $block.data('text-working'),
        unexpected: $block.data('text-unexpected'),
        tooHigh: $block.data('text-too-high'),
        invalidAmount: $block.data('text-invalid-amount')
      }
    };
  }

  /** Current selection of a lines modal: { mode, amountMinor, lines, valid, reason }. */
  KlarnaAdmin.readSelection = function ($modal, exponent) {
    var max = parseInt($modal.data('max'), 10) || 0;
    var amountMode = $modal.find('.klarna-amount-section').is(':visible');
    if (amountMode) {
      var typed = $modal.find('.klarna-amount-input').val();
      var minor = KlarnaAdmin.parseAmount(typed, exponent);
      if (minor === null) return { mode: 'amount', amountMinor: 0, valid: false, reason: $.trim(typed || '') ? 'invalid' : 'empty' };
      if (minor > max) return { mode: 'amount', amountMinor: minor, valid: false, reason: 'too-high' };
      return { mode: 'amount', amountMinor: minor, amountText: $.trim(typed), valid: true };
    }

    var lines = [];
    var total = 0;
    var invalid = false;
    $modal.find('tr.klarna-line').each(function () {
      var $row = $(this);
      if (!$row.find('.klarna-line-check').is(':checked')) return;
      var maxQuantity = parseInt($row.data('max-quantity'), 10);
      var text = String($row.find('.klarna-line-quantity').val() || '');
      var quantity = /^[0-9]{1,9}$/.test(text) ? parseInt(text, 10) : NaN;
      if (!(quantity >= 1 && quantity <= maxQuantity)) { invalid = true; return; }
      lines.push({ reference: String($row.data('reference')), quantity: quantity });
      total += KlarnaAdmin.lineAmount({
        maxQuantity: maxQuantity,
        quantityLeft: parseInt($row.data('quantity-left'), 10),
        left: parseInt($row.data('left'), 10),
        unit: parseInt($row.data('unit'), 10),
        discount: parseInt($row.data('discount'), 10),
        quantity: parseInt($row.data('quantity'), 10)
      }, quantity);
    });
    if (invalid) return { mode: 'lines', amountMinor: total, lines: lines, valid: false, reason: 'quantity' };
    if (!lines.length) return { mode: 'lines', amountMinor: 0, lines: lines, valid: false, reason: 'empty' };
    if (total > max) return { mode: 'lines', amountMinor: total, lines: lines, valid: false, reason: 'too-high' };
    return { mode: 'lines', amountMinor: total, lines: lines, valid: true };
  };

  function refreshModal($modal, settings) {
    var selection = KlarnaAdmin.readSelection($modal, settings.exponent);
    $modal.find('.klarna-submit-amount').text(selection.amountMinor > 0 ? KlarnaAdmin.formatAmount(selection.amountMinor, settings.exponent, settings.currency) : '');
    $modal.find('.klarna-submit').prop('disabled', !selection.valid || $modal.data('busy') === true);
    var $feedback = $modal.find('.klarna-amount-feedback');
    var $input = $modal.find('.klarna-amount-input');
    if (selection.mode === 'amount' && selection.reason === 'too-high') {
      $feedback.text(settings.text.tooHigh); $input.addClass('is-invalid');
    } else if (selection.mode === 'amount' && selection.reason === 'invalid') {
      $feedback.text(settings.text.invalidAmount); $input.addClass('is-invalid');
    } else {
      $feedback.text(''); $input.removeClass('is-invalid');
    }
    return selection;
  }

  function setBusy($modal, busy, settings) {
    $modal.data('busy', busy);
    var $submit = $modal.find('.klarna-submit');
    if (busy) {
      $submit.data('label', $submit.html()).prop('disabled', true).text(settings.text.working);
    } else if ($submit.data('label')) {
      $submit.html($submit.data('label'));
      $submit.prop('disabled', false);
    }
  }

  /** Replaces the block with its refreshed HTML (an action's answer carries it: no second request). */
  KlarnaAdmin.replaceBlock = function (settings, html) {
    $('.klarna-modal[data-klarna-order="' + settings.orderId + '"]').remove();
    $('#klarna-order-block').replaceWith(html);
    KlarnaAdmin.initBlock();
  };

  /** Reloads the block's HTML (the view component) without reloading the page. */
  KlarnaAdmin.refreshBlock = function (settings, callback) {
    $.ajax({ url: settings.urls.refresh, type: 'GET', dataType: 'html', cache: false, headers: { 'X-Requested-With': 'XMLHttpRequest' } })
      .done(function (html) {
        $('.klarna-modal[data-klarna-order="' + settings.orderId + '"]').remove();
        $('#klarna-order-block').replaceWith(html);
        KlarnaAdmin.initBlock();
        if (callback) callback();
      })
      .fail(function () { window.location.reload(); });
  };

  function runAction($modal, settings, url, data) {
    hideError($modal);
    setBusy($modal, true, settings);
    KlarnaAdmin.post(url, $.extend({ orderId: settings.orderId, idempotencyKey: $modal.data('idempotency-key') }, data), function (answer) {
      setBusy($modal, false, settings);
      $modal.off('hidden.bs.modal.klarna');
      $modal.one('hidden.bs.modal', function () {
        if (answer && answer.html) KlarnaAdmin.replaceBlock(settings, answer.html);
        else KlarnaAdmin.refreshBlock(settings);
      });
      $modal.modal('hide');
    }, function (error) {
      setBusy($modal, false, settings);
      showError($modal, error);
      // the block behind the modal shows the order as it is now (e.g. an operation still pending): once the modal is closed
      if (error.html) {
        $modal.off('hidden.bs.modal.klarna').one('hidden.bs.modal.klarna', function () { KlarnaAdmin.replaceBlock(settings, error.html); });
      }
      if ($modal.hasClass('klarna-lines-modal')) refreshModal($modal, settings);
    }, settings.text.unexpected);
  }

  function openLinesModal($modal, settings) {
    hideError($modal);
    $modal.data('idempotency-key', KlarnaAdmin.newIdempotencyKey());
    $modal.find('.klarna-line-check').prop('checked', false);
    $modal.find('tr.klarna-line').each(function () {
      var $row = $(this);
      $row.find('.klarna-line-quantity').val($row.data('max-quantity')).prop('disabled', true);
    });
    $modal.find('.klarna-amount-input').val('');
    $modal.find('.klarna-description').val('');
    var hasLines = $modal.find('tr.klarna-line').length > 0;
    $modal.find('.klarna-lines-section').toggle(hasLines);
    $modal.find('.klarna-amount-section').toggle(!hasLines);
    refreshModal($modal, settings);
    $modal.modal('show');
  }

  function openConfirm($modal, settings, text, url) {
    hideError($modal);
    $modal.data('idempotency-key', KlarnaAdmin.newIdempotencyKey());
    $modal.data('url', url);
    $modal.find('.klarna-confirm-text').text(text);
    $modal.find('.klarna-submit').prop('disabled', false);
    $modal.modal('show');
  }

  KlarnaAdmin.initBlock = function () {
    var $block = $('#klarna-order-block');
    if (!$block.length) return;
    var settings = blockSettings($block);

    // modals go to <body>: outside nopCommerce's order form and above the card layout
    $('body > .klarna-modal').remove();
    $block.find('.klarna-modal').each(function () {
      $(this).attr('data-klarna-order', settings.orderId).appendTo(document.body);
    });
    var $capture = $('#klarna-capture-modal');
    var $refund = $('#klarna-refund-modal');
    var $confirm = $('#klarna-confirm-modal');

    $block.on('click', '.klarna-action', function (event) {
      event.preventDefault();
      var $button = $(this);
      switch ($button.data('klarna-action')) {
        case 'capture-payment':
          $confirm.data('payload', { mode: 'full' });
          openConfirm($confirm, settings, $button.data('confirm'), settings.urls.capture);
          break;
        case 'cancel':
          $confirm.data('payload', {});
          openConfirm($confirm, settings, $button.data('confirm'), settings.urls.cancel);
          break;
        case 'release':
          $confirm.data('payload', {});
          openConfirm($confirm, settings, $button.data('confirm'), settings.urls.release);
          break;
        case 'capture-order':
          openLinesModal($capture, settings);
          break;
        case 'refund':
          openLinesModal($refund, settings);
          break;
      }
    });

    $confirm.on('click', '.klarna-submit', function (event) {
      event.preventDefault();
      if ($confirm.data('busy') === true) return;
      runAction($confirm, settings, $confirm.data('url'), $confirm.data('payload') || {});
    });

    $capture.add($refund).each(function () {
      var $modal = $(this);
      $modal.on('change', '.klarna-line-check', function () {
        $(this).closest('tr').find('.klarna-line-quantity').prop('disabled', !this.checked);
        refreshModal($modal, settings);
      });
      $modal.on('input change', '.klarna-line-quantity, .klarna-amount-input', function () { refreshModal($modal, settings); });
      $modal.on('click', '.klarna-switch-to-amount', function (event) {
        event.preventDefault();
        $modal.find('.klarna-lines-section').hide();
        $modal.find('.klarna-amount-section').show();
        $modal.find('.klarna-amount-input').trigger('focus');
        refreshModal($modal, settings);
      });
      $modal.on('click', '.klarna-switch-to-lines', function (event) {
        event.preventDefault();
        $modal.find('.klarna-amount-section').hide();
        $modal.find('.klarna-lines-section').show();
        refreshModal($modal, settings);
      });
      $modal.on('keydown', 'input', function (event) {
        // Enter must never submit nopCommerce's order form
        if (event.key === 'Enter') { event.preventDefault(); $modal.find('.klarna-submit:enabled').trigger('click'); }
      });
      $modal.on('click', '.klarna-submit', function (event) {
        event.preventDefault();
        if ($modal.data('busy') === true) return;
        var selection = refreshModal($modal, settings);
        if (!selection.valid) return;
        var data = { mode: selection.mode, description: $.trim($modal.find('.klarna-description').val() || '') };
        if (selection.mode === 'amount') data.amount = selection.amountText;
        else data.linesJson = JSON.stringify(selection.lines);
        runAction($modal, settings, $modal.data('klarna-kind') === 'refund' ? settings.urls.refund : settings.urls.capture, data);
      });
    });
  };

  // ---- configuration page -----------------------------------------------------------------------------------------------

  KlarnaAdmin.initConfigure = function () {
    var $button = $('#klarna-test-connection');
    if (!$button.length) return;

    function toggleCaptureStatus() {
      $('#klarna-capture-on-status').toggle($('#CaptureUponFulfillmentModeId').val() === '10');
    }
    $('#CaptureUponFulfillmentModeId').on('change', toggleCaptureStatus);
    toggleCaptureStatus();

    $button.on('click', function (event) {
      event.preventDefault();
      var region = $('#RegionId').val();
      var environment = $('#EnvironmentId').val();
      var $set = $('.klarna-credentials[data-region="' + region + '"][data-environment="' + environment + '"]');
      var $result = $('#klarna-test-connection-result').removeClass('text-success text-danger').text('');
      $button.prop('disabled', true);
      KlarnaAdmin.post($button.data('url'), {
        regionId: region,
        environmentId: environment,
        username: $set.find('input[id$="__Username"]').first().val(),
        password: $set.find('.klarna-password').val(),
        apiUrlOverride: $('#ApiUrlOverride').val()
      }, function (answer) {
        $button.prop('disabled', false);
        $result.addClass('text-success').text(answer.message || '');
      }, function (error) {
        $button.prop('disabled', false);
        $result.addClass('text-danger').text([error.message, error.correlationId].filter(Boolean).join(' · '));
      }, '');
    });
  };

  window.KlarnaAdmin = KlarnaAdmin;

  $(function () {
    KlarnaAdmin.initBlock();
    KlarnaAdmin.initConfigure();
  });
})(jQuery, window, document);
