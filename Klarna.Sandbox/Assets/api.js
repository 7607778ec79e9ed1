/* Klarna.Sandbox stand-in for https://x.klarnacdn.net/kp/lib/v1/api.js (Klarna.Payments: init, load, authorize, finalize).
   authorize() asks the sandbox's /_sandbox/sessions/{id}/authorize; set window.KlarnaSandbox = { decline: true } to get a decline. */
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

    function authorize(options, data, callback) {
        var call = split(data, callback);
        if (!state.sessionId) { later(call.callback, { approved: false, show_form: false, error: { invalid_fields: [] } }); return; }
        var sandbox = window.KlarnaSandbox || {};
        if (sandbox.decline) { later(call.callback, { approved: false, show_form: false }); return; }
        fetch(base + '_sandbox/sessions/' + encodeURIComponent(state.sessionId) + '/authorize', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ approved: true, fraud_status: sandbox.fraud_status })
        }).then(function (response) { return response.json(); }).then(function (result) {
            later(call.callback, {
                approved: result.approved === true && !!result.authorization_token,
                show_form: result.show_form !== false,
                authorization_token: result.authorization_token,
                finalize_required: false
            });
        }).catch(function () { later(call.callback, { approved: false, show_form: true }); });
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
        finalize: authorize
    };
    if (typeof window.klarnaAsyncCallback === 'function') window.klarnaAsyncCallback();
})();
