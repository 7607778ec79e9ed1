/*
 * Klarna payments for nopCommerce: admin scripts (order page block and configuration page).
 * The order block lives inside nopCommerce's <form id="order-form">, so nothing here submits a form: every action is an AJAX
 * POST carrying the page's antiforgery token. Money is handled as integers in minor units (never floats).
 */
(function ($, window, document) {
  'use strict';

  var KlarnaAdmin = {};

  // ---- amounts: the server computes, the script adds up and writes ----------------------------------------------------
  // The server gives, per line, the amount of 1..n units as the capture (refund) of them will be (minor units), the limits
  // (minor units), how nopCommerce writes amounts of the currency (KlarnaMoneyFormat) and the rules typed amounts are read
  // by (KlarnaAmountRules). The script does no money arithmetic beyond adding those integers up.

  function isSpace(c) { return c === ' ' || c === '\u00A0' || c === '\u202F' || c === '\u2009'; }

  function normalizeSpaces(text) {
    var out = '';
    for (var i = 0; i < text.length; i++) out += isSpace(text.charAt(i)) ? ' ' : text.charAt(i);
    return out;
  }

  function allDigits(text) { return /^[0-9]+$/.test(text); }

  function startsWithIgnoreCase(text, part) { return text.slice(0, part.length).toUpperCase() === part.toUpperCase(); }

  function endsWithIgnoreCase(text, part) { return text.length >= part.length && text.slice(text.length - part.length).toUpperCase() === part.toUpperCase(); }

  /** Reads a text by one reading (decimal separator, group separator, group sizes): { integer, fraction } or null (as KlarnaAmountInput). */
  function readBy(text, reading) {
    var decimalSeparator = normalizeSpaces(reading.decimalSeparator || '');
    var groupSeparator = normalizeSpaces(reading.groupSeparator || '');
    var integerText = text;
    var fraction = '';
    if (decimalSeparator) {
      var index = text.indexOf(decimalSeparator);
      if (index >= 0) {
        integerText = text.slice(0, index);
        fraction = text.slice(index + decimalSeparator.length);
        if (!fraction.length || !allDigits(fraction)) return null;
      }
    }
    if (!integerText.length) return null;
    var groups = groupSeparator ? integerText.split(groupSeparator) : [integerText];
    for (var g = 0; g < groups.length; g++) if (!groups[g].length || !allDigits(groups[g])) return null;
    if (groups.length > 1) {
      var sizes = reading.groupSizes && reading.groupSizes.length ? reading.groupSizes : [3];
      for (var i = 0; i < groups.length - 1; i++) {
        if (groups[groups.length - 1 - i].length !== sizes[Math.min(i, sizes.length - 1)]) return null;
      }
      if (groups[0].length > sizes[Math.min(groups.length - 1, sizes.length - 1)]) return null;
    }
    return { integer: groups.join(''), fraction: fraction };
  }

  /**
   * Reads an amount typed by the admin by the server's rules (the admin's culture and the displayed format), as
   * KlarnaAmountInput does: { minor } or { reason: 'required' | 'malformed' | 'ambiguous' | 'decimals' | 'not-positive' | 'too-high', text }.
   */
  KlarnaAdmin.parseAmount = function (typed, rules) {
    var text = $.trim(normalizeSpaces(typed || ''));
    if (!text.length) return { reason: 'required' };
    var markers = (rules.currencyMarkers || []).map(function (m) { return $.trim(normalizeSpaces(m)); })
      .filter(function (m) { return m.length > 0; }).sort(function (a, b) { return b.length - a.length; });
    markers.forEach(function (marker) {
      if (startsWithIgnoreCase(text, marker)) text = $.trim(text.slice(marker.length));
      else if (endsWithIgnoreCase(text, marker)) text = $.trim(text.slice(0, text.length - marker.length));
    });
    var readings = [];
    var values = [];
    (rules.readings || []).forEach(function (reading) {
      var read = readBy(text, reading);
      if (!read) return;
      var integer = read.integer.replace(/^0+/, '');
      if (integer.length > 15 || read.fraction.length > 9) return;
      readings.push(read);
      var value = (integer || '0') + '.' + read.fraction.replace(/0+$/, '');
      if (values.indexOf(value) < 0) values.push(value);
    });
    if (!readings.length) return { reason: 'malformed' };
    if (values.length > 1) return { reason: 'ambiguous', text: text };
    var exponent = rules.exponent || 0;
    if (readings.every(function (r) { return r.fraction.length > exponent; })) return { reason: 'decimals' };
    var read = readings.filter(function (r) { return r.fraction.length <= exponent; })[0];
    var fraction = read.fraction;
    while (fraction.length < exponent) fraction += '0';
    var digits = (read.integer + fraction).replace(/^0+/, '');
    if (!digits.length) return { reason: 'not-positive' };
    // more digits than any amount Klarna takes: higher than any limit, and beyond what the script adds up exactly
    if (digits.length > 15) return { reason: 'too-high' };
    return { minor: parseInt(digits, 10) };
  };

  function group(digits, sizes, separator) {
    if (!sizes || !sizes.length || !separator) return digits;
    var groups = [];
    var end = digits.length;
    for (var i = 0; end > 0; i++) {
      var size = sizes[Math.min(i, sizes.length - 1)];
      if (size <= 0) { groups.unshift(digits.slice(0, end)); break; }
      var start = Math.max(0, end - size);
      groups.unshift(digits.slice(start, end));
      end = start;
    }
    return groups.join(separator);
  }

  /** Writes minor units the way nopCommerce does for the currency (KlarnaMoneyFormat.Format); null without a format. */
  KlarnaAdmin.formatAmount = function (minor, format) {
    if (!format) return null;
    var value = Math.abs(minor);
    var decimals = format.decimals || 0;
    var exponent = format.exponent || 0;
    if (decimals < exponent) {
      var step = Math.pow(10, exponent - decimals);
      value = Math.floor((value + Math.floor(step / 2)) / step);
    }
    var digits = String(value);
    for (var z = exponent; z < decimals; z++) digits += '0';
    while (digits.length < decimals + 1) digits = '0' + digits;
    var integer = decimals > 0 ? digits.slice(0, digits.length - decimals) : digits;
    var fraction = decimals > 0 ? digits.slice(digits.length - decimals) : '';
    var text = group(integer, format.groupSizes, format.groupSeparator) + (decimals > 0 ? (format.decimalSeparator || '') + fraction : '');
    return (minor < 0 ? '-' : '') + (format.prefix || '') + text + (format.suffix || '');
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
          klarnaCode: answer && answer.klarnaErrorCode,
          correlationId: answer && answer.correlationId,
          html: answer && answer.html
        });
      }
    }).fail(function (xhr) {
      var answer = xhr.responseJSON || {};
      fail({ message: answer.error || unexpectedText, code: answer.errorCode, klarnaCode: answer.klarnaErrorCode, correlationId: answer.correlationId, html: answer.html });
    });
  };

  // ---- order block ------------------------------------------------------------------------------------------------------

  function showError($modal, error) {
    var $box = $modal.find('.klarna-modal-error');
    $box.find('.klarna-error-message').text(error.message || '');
    // the labelled code is Klarna's own (a refusal of the plugin has only its text)
    $box.find('.klarna-error-code').text(error.klarnaCode || '');
    $box.find('.klarna-error-code-row').toggle(!!error.klarnaCode);
    $box.find('.klarna-error-correlation').text(error.correlationId || '');
    $box.find('.klarna-error-correlation-row').toggle(!!error.correlationId);
    $box.show();
  }

  function hideError($modal) {
    $modal.find('.klarna-modal-error').hide();
  }

  function jsonData($element, name) {
    var value = $element.data(name);
    if (value === undefined || value === null || value === '') return null;
    if (typeof value === 'string') {
      try { return JSON.parse(value); } catch (e) { return null; }
    }
    return value;
  }

  function blockSettings($block) {
    return {
      orderId: $block.data('order-id'),
      // the operations the block shows without an outcome: posted with each action of this block (see runAction)
      unsettled: String($block.attr('data-unsettled') || ''),
      moneyFormat: jsonData($block, 'money-format'),
      amountRules: jsonData($block, 'amount-rules') || { readings: [], currencyMarkers: [], exponent: 0 },
      urls: {
        capture: $block.data('capture-url'),
        refund: $block.data('refund-url'),
        cancel: $block.data('cancel-url'),
        release: $block.data('release-url'),
        refresh: $block.data('refresh-url')
      },
      text: {
        working: $block.data('text-working'),
        unexpected: $block.data('text-unexpected')
      }
    };
  }

  /** Current selection of a lines modal: { mode, amountMinor, lines, valid, reason }. */
  KlarnaAdmin.readSelection = function ($modal, settings) {
    var max = parseInt($modal.data('max'), 10) || 0;
    var amountMode = $modal.find('.klarna-amount-section').is(':visible');
    if (amountMode) {
      var typed = $modal.find('.klarna-amount-input').val();
      var read = KlarnaAdmin.parseAmount(typed, settings.amountRules);
      if (read.reason) return { mode: 'amount', amountMinor: 0, valid: false, reason: read.reason, text: read.text };
      if (read.minor > max) return { mode: 'amount', amountMinor: read.minor, valid: false, reason: 'too-high' };
      return { mode: 'amount', amountMinor: read.minor, amountText: $.trim(typed), valid: true };
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
      var amounts = jsonData($row, 'amounts') || [];
      if (!(quantity >= 1 && quantity <= maxQuantity && quantity <= amounts.length)) { invalid = true; return; }
      lines.push({ reference: String($row.data('reference')), quantity: quantity });
      total += amounts[quantity - 1];
    });
    if (invalid) return { mode: 'lines', amountMinor: 0, lines: lines, valid: false, reason: 'quantity' };
    if (!lines.length) return { mode: 'lines', amountMinor: 0, lines: lines, valid: false, reason: 'no-lines' };
    if (total > max) return { mode: 'lines', amountMinor: total, lines: lines, valid: false, reason: 'lines-too-high' };
    return { mode: 'lines', amountMinor: total, lines: lines, valid: true };
  };

  /** The reason a selection cannot be submitted, from the modal's texts (the server wrote them in the admin's language). */
  function reasonText($modal, selection) {
    switch (selection.reason) {
      case 'too-high': return $modal.data('text-too-high');
      case 'lines-too-high': return $modal.data('text-lines-too-high');
      case 'quantity': return $modal.data('text-quantity');
      case 'no-lines': return $modal.data('text-no-lines');
      case 'required': return $modal.data('text-amount-required');
      case 'malformed': return $modal.data('text-malformed');
      case 'ambiguous': return String($modal.data('text-ambiguous') || '').split('{0}').join(selection.text || '');
      case 'decimals': return $modal.data('text-decimals');
      case 'not-positive': return $modal.data('text-not-positive');
      default: return '';
    }
  }

  function refreshModal($modal, settings) {
    var selection = KlarnaAdmin.readSelection($modal, settings);
    var busy = $modal.data('busy') === true;
    // a disabled button shows no amount: the reason stands next to it
    var amount = selection.valid ? KlarnaAdmin.formatAmount(selection.amountMinor, settings.moneyFormat) : null;
    $modal.find('.klarna-submit-amount').text(amount || '');
    $modal.find('.klarna-submit').prop('disabled', !selection.valid || busy);
    var reason = selection.valid ? '' : String(reasonText($modal, selection) || '');
    $modal.find('.klarna-submit-reason').text(reason);
    var $feedback = $modal.find('.klarna-amount-feedback');
    var $input = $modal.find('.klarna-amount-input');
    var typed = $.trim($input.val() || '');
    if (selection.mode === 'amount' && !selection.valid && typed.length) {
      $feedback.text(reason); $input.addClass('is-invalid');
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
    KlarnaAdmin.post(url, $.extend({ orderId: settings.orderId, idempotencyKey: $modal.data('idempotency-key'), unsettled: settings.unsettled }, data), function (answer) {
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

  /** Opens the confirmation of an action: its title, what happens, and a button named for what it does (red when destructive). */
  function openConfirm($modal, $button, url) {
    hideError($modal);
    $modal.data('idempotency-key', KlarnaAdmin.newIdempotencyKey());
    $modal.data('url', url);
    $modal.find('.klarna-confirm-title').text($button.data('title') || '');
    $modal.find('.klarna-confirm-text').text($button.data('confirm') || '');
    $modal.find('.klarna-submit').removeClass('btn-primary btn-danger btn-warning').addClass($button.data('submit-class') || 'btn-primary')
      .text($button.data('submit-label') || '').prop('disabled', false);
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
          openConfirm($confirm, $button, settings.urls.capture);
          break;
        case 'cancel':
          $confirm.data('payload', {});
          openConfirm($confirm, $button, settings.urls.cancel);
          break;
        case 'release':
          $confirm.data('payload', {});
          openConfirm($confirm, $button, settings.urls.release);
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
