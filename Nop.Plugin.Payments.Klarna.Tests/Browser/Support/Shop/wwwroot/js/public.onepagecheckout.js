/* Stand-in of nopCommerce 4.90's one-page checkout scripts (wwwroot/js/public.accordion.js + public.onepagecheckout.js),
   the test harness's own code with the same observable behaviour: each step posts its form with jQuery's $.ajax
   (X-Requested-With: XMLHttpRequest), and the answer's update_section.html is put into #checkout-{name}-load with
   jQuery's .html(); goto_section opens that step; "Back" opens the previous step again */
var Accordion = {
  sections: [],
  init: function (id) {
    this.sections = $('#' + id + ' > li.tab-section').toArray();
  },
  openSection: function (section) {
    var $section = $(section);
    $(this.sections).removeClass('active').find('.step').hide();
    $section.addClass('active allow').find('.step').show();
  },
  openPrevSection: function () {
    var index = this.sections.indexOf($('#checkout-steps > li.active')[0]);
    if (index > 0) {
      this.openSection(this.sections[index - 1]);
    }
  }
};

var Checkout = {
  loadWaiting: false,
  failureUrl: false,
  init: function (failureUrl) {
    this.loadWaiting = false;
    this.failureUrl = failureUrl;
  },
  ajaxFailure: function () {
    location.href = Checkout.failureUrl;
  },
  setLoadWaiting: function (step) {
    if (step) {
      $('#' + step + '-buttons-container').find('button').prop('disabled', true);
      $('#' + step + '-please-wait').show();
    } else if (this.loadWaiting) {
      $('#' + this.loadWaiting + '-buttons-container').find('button').prop('disabled', false);
      $('#' + this.loadWaiting + '-please-wait').hide();
    }
    this.loadWaiting = step;
  },
  gotoSection: function (section) {
    Accordion.openSection('#opc-' + section);
  },
  back: function () {
    if (this.loadWaiting) return;
    Accordion.openPrevSection();
  },
  setStepResponse: function (response) {
    if (response.update_section) {
      $('#checkout-' + response.update_section.name + '-load').html(response.update_section.html);
    }
    if (response.goto_section) {
      Checkout.gotoSection(response.goto_section);
      return true;
    }
    if (response.redirect) {
      location.href = response.redirect;
      return true;
    }
    return false;
  }
};

// a step's POST: one at a time, the step's buttons disabled meanwhile
function post(step, url, data, success) {
  if (Checkout.loadWaiting !== false) return;
  Checkout.setLoadWaiting(step);
  $.ajax({
    cache: false,
    url: url,
    data: data,
    type: 'POST',
    success: success,
    complete: function () { Checkout.setLoadWaiting(false); },
    error: Checkout.ajaxFailure
  });
}

function OpcStep(step) {
  return {
    form: false,
    saveUrl: false,
    init: function (form, saveUrl) {
      this.form = form;
      this.saveUrl = saveUrl;
    },
    save: function () {
      post(step, this.saveUrl, $(this.form).serialize(), this.nextStep);
    },
    nextStep: function (response) {
      if (response.error) {
        alert(typeof response.message === 'string' ? response.message : response.message.join('\n'));
        return false;
      }
      Checkout.setStepResponse(response);
    }
  };
}

var PaymentMethod = OpcStep('payment-method');
var PaymentInfo = OpcStep('payment-info');

var ConfirmOrder = {
  saveUrl: false,
  successUrl: false,
  init: function (saveUrl, successUrl) {
    this.saveUrl = saveUrl;
    this.successUrl = successUrl;
  },
  save: function () {
    post('confirm-order', this.saveUrl, {}, this.nextStep);
  },
  nextStep: function (response) {
    if (response.error) {
      alert(typeof response.message === 'string' ? response.message : response.message.join('\n'));
      return false;
    }
    if (response.redirect) {
      location.href = response.redirect;
      return;
    }
    if (response.success) {
      window.location = ConfirmOrder.successUrl;
      return;
    }
    Checkout.setStepResponse(response);
  }
};
