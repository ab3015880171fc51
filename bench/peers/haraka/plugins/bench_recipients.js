'use strict'
// Recipient validation for the benchmark's Haraka, the same rules as Bulwark and Postfix:
// domains in config/host_list are ours; a user of ours must be listed in
// config/bench_recipients (postmaster always is); everything else is refused at RCPT TO.
// Also answers the rDNS lookup itself: Bulwark trusts loopback and Postfix resolves it from
// /etc/hosts, so neither waits on a resolver; without this Haraka would ask the network's DNS.
const DSN = require('haraka-dsn')

exports.register = function () {
    this.load_lists()
}

exports.load_lists = function () {
    this.domains = new Set(this.config.get('host_list', 'list', () => this.load_lists()).map((d) => d.toLowerCase()))
    this.users = new Set(this.config.get('bench_recipients', 'list', () => this.load_lists()).map((u) => u.toLowerCase()))
}

exports.hook_lookup_rdns = function (next) {
    next(OK, 'localhost')
}

exports.hook_rcpt = function (next, connection, params) {
    const rcpt = params[0]
    const domain = (rcpt.host || '').toLowerCase()
    if (!this.domains.has(domain)) return next(DENY, DSN.create(550, 'Relay access denied', 7, 1))
    const address = `${(rcpt.user || '').toLowerCase()}@${domain}`
    if (rcpt.user.toLowerCase() === 'postmaster' || this.users.has(address)) return next(OK)
    next(DENY, DSN.no_such_user())
}
