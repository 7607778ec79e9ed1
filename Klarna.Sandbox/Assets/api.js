/* Klarna.Sandbox stand-in for https://x.klarnacdn.net/kp/lib/v1/api.js (Klarna.Payments: init, load, authorize, finalize).
   authorize() asks the sandbox's /_sandbox/sessions/{id}/authorize with the data's addresses, the payment method category
   and auto_finalize (default true); with auto_finalize:false a pay-now category answers finalize_required:true and no token,
   and finalize() (/_sandbox/sessions/{id}/finalize) gives it. Set window.KlarnaSandbox = { decline: true } to get a
   decline, { fraud_status: "PENDING" } for a pending fraud decision. */
(function () {
    'use strict';
    var script = document.currentScript;
    var base = script && script.src ? new URL('/', script.src).toString() : '/';
    var state = { sessionId: null };

    function invalidToken(message) {
        var error = new Error(message);
        error.name = 'InvalidClientTokenError';
        return error;
    }

    function decode(token) {
        var parts = typeof token === 'string' ? token.split('.') : [];
        if (parts.length !== 3) throw invalidToken('client_token is not a JWT');
        var payload = parts[1].replace(/-/g, '+').replace(/_/g, '/');
        while (payload.length % 4) payload += '=';
        try { return JSON.parse(atob(payload)); } catch (e) { throw invalidToken('client_token cannot be read'); }
    }

    function later(callback, result) {
        if (typeof callback === 'function') setTimeout(function () { callback(result); }, 0);
    }

    function split(data, callback) {
        return typeof data === 'function' ? { data: {}, callback: data } : { data: data || {}, callback: callback };
    }

    function post(action, body, callback) {
        fetch(base + '_sandbox/sessions/' + encodeURIComponent(state.sessionId) + '/' + action, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(body)
        }).then(function (response) { return response.json(); }).then(function (result) {
            var answer = {
                approved: result.approved === true && (!!result.authorization_token || result.finalize_required === true),
                show_form: result.show_form !== false,
                finalize_required: result.finalize_required === true
            };
            if (result.authorization_token) answer.authorization_token = result.authorization_token;
            later(callback, answer);
        }).catch(function () { later(callback, { approved: false, show_form: true }); });
    }

    function authorize(options, data, callback) {
        var call = split(data, callback);
        if (!state.sessionId) { later(call.callback, { approved: false, show_form: false, error: { invalid_fields: [] } }); return; }
        var sandbox = window.KlarnaSandbox || {};
        if (sandbox.decline) { later(call.callback, { approved: false, show_form: false }); return; }
        post('authorize', {
            approved: true,
            fraud_status: sandbox.fraud_status,
            auto_finalize: !(options && options.auto_finalize === false),
            payment_method_category: options && options.payment_method_category,
            billing_address: call.data.billing_address,
            shipping_address: call.data.shipping_address
        }, call.callback);
    }

    function finalize(options, data, callback) {
        var call = split(data, callback);
        if (!state.sessionId) { later(call.callback, { approved: false, show_form: false, error: { invalid_fields: [] } }); return; }
        var sandbox = window.KlarnaSandbox || {};
        if (sandbox.decline) { later(call.callback, { approved: false, show_form: false }); return; }
        post('finalize', { billing_address: call.data.billing_address, shipping_address: call.data.shipping_address }, call.callback);
    }

    window.Klarna = window.Klarna || {};
    window.Klarna.Payments = {
        init: function (options) {
            if (!options || !options.client_token) throw invalidToken('client_token is required');
            var payload = decode(options.client_token);
            state.sessionId = payload.session_id;
            if (payload.base_url) base = payload.base_url;
        },
        load: function (options, data, callback) {
            var call = split(data, callback);
            var container = options && options.container;
            var element = typeof container === 'string' ? document.querySelector(container) : container;
            if (element) element.innerHTML = '<div class="klarna-sandbox-widget">Klarna (sandbox): ' + ((options && options.payment_method_category) || 'klarna') + '</div>';
            later(call.callback, { show_form: !!state.sessionId });
        },
        authorize: authorize,
        finalize: finalize
    };
    if (typeof window.klarnaAsyncCallback === 'function') window.klarnaAsyncCallback();
})();
