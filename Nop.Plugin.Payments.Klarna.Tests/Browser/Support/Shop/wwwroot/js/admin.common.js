/* Stand-in of the parts of nopCommerce's wwwroot/js/admin.common.js that settings pages use (the test harness's own code,
   same behaviour): a store-scope override checkbox enables or disables the inputs it governs (disabled inputs are not
   posted), on load and on click; "check all"; setLocation; the antiforgery token for AJAX posts */
function setLocation(url) {
  window.location.href = url;
}

function checkOverriddenStoreValue(obj, selector) {
  var $inputs = $(selector);
  var overridden = $(obj).is(':checked');
  if ($inputs.is(':checkbox')) {
    // a checkbox setting: MVC's hidden "false" input follows the checkbox
    $('input:hidden[name="' + $inputs.attr('name') + '"]').attr('disabled', !overridden);
  }
  if (overridden) {
    $inputs.removeAttr('disabled');
  } else {
    $inputs.attr('disabled', true);
  }
}

function checkAllOverriddenStoreValue(item) {
  $('.multi-store-override-option').each(function () {
    $(this).attr('checked', item.checked);
    checkOverriddenStoreValue(this, $(this).attr('data-for-input-selector'));
  });
}

function addAntiForgeryToken(data) {
  data = data || {};
  var token = $('input[name=__RequestVerificationToken]');
  if (token.length) {
    data.__RequestVerificationToken = token.val();
  }
  return data;
}

$(function () {
  $('.multi-store-override-option').each(function () {
    checkOverriddenStoreValue(this, $(this).attr('data-for-input-selector'));
  });
});
