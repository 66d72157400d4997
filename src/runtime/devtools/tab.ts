// The DevTools tab, one self-contained page served by the dev server only. It runs in a frame of
// the app's own origin and reads the bridge the dev-only plugin put on the app's window.
export const DEVTOOLS_ROUTE = '/__nuxt-amplify-rest'

export const tabHtml = /* html */ `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Amplify REST</title>
<style>
  :root { color-scheme: light dark; font: 13px/1.45 system-ui, sans-serif; }
  body { margin: 0; padding: 12px 16px; }
  h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .05em; opacity: .7; margin: 18px 0 6px; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid #8883; vertical-align: top; }
  code { font: 12px ui-monospace, monospace; }
  .ok { color: #1a7f37; } .bad { color: #cf222e; } .muted { opacity: .6; }
  button { margin-right: 6px; padding: 3px 10px; border-radius: 4px; border: 1px solid #8886; background: transparent; cursor: pointer; }
  .badge { display: inline-block; padding: 0 6px; border-radius: 8px; background: #8882; }
</style>
</head>
<body>
<div>
  <button id="refresh">Force refresh</button>
  <button id="signout">Sign out</button>
  <button id="clear">Clear log</button>
  <span id="status" class="muted"></span>
</div>
<h2>Auth</h2>
<table id="auth"></table>
<h2>APIs</h2>
<table id="apis"><thead><tr><th>name</th><th>mode</th><th>endpoint</th><th>key</th></tr></thead><tbody></tbody></table>
<h2>Last calls</h2>
<table id="calls"><thead><tr><th>at</th><th>call</th><th>mode</th><th>headers set</th><th>signed</th><th>status</th><th>ms</th></tr></thead><tbody></tbody></table>
<script>
(function () {
  function bridge() {
    var w = window
    for (var i = 0; i < 5 && w; i++) {
      try { if (w.__NUXT_AMPLIFY_REST_DEVTOOLS__) return w.__NUXT_AMPLIFY_REST_DEVTOOLS__ } catch (e) { return null }
      if (w === w.parent) break
      w = w.parent
    }
    return null
  }
  function esc(v) { return String(v == null ? '' : v).replace(/[&<>"]/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c] }) }
  function row(cells) { return '<tr>' + cells.map(function (c) { return '<td>' + c + '</td>' }).join('') + '</tr>' }
  function render() {
    var b = bridge()
    var status = document.getElementById('status')
    if (!b) { status.textContent = 'waiting for the app (open this tab in Nuxt DevTools)'; return }
    var s = b.snapshot()
    status.textContent = s.calls.length + ' call(s) logged'
    var a = s.auth
    document.getElementById('auth').innerHTML = [
      ['status', '<span class="badge">' + esc(a.status) + '</span>'],
      ['identity id', a.identityId ? '<code>' + esc(a.identityId) + '</code>' : '—'],
      ['user', a.user ? esc(a.user.username) + ' <span class="muted">' + esc(a.user.email || '') + ' ' + esc((a.user.groups || []).join(', ')) + '</span>' : '—'],
      ['ID token', '<code>' + esc(a.idToken || '—') + '</code> <span class="muted">' + esc(a.idTokenExpires ? 'expires ' + a.idTokenExpires : '') + '</span>'],
      ['access token', '<code>' + esc(a.accessToken || '—') + '</code> <span class="muted">' + esc(a.accessTokenExpires ? 'expires ' + a.accessTokenExpires : '') + '</span>'],
      ['custom token', '<code>' + esc(a.customToken || '—') + '</code>'],
      ['last error', a.error ? '<span class="bad">' + esc(a.error) + '</span>' : '—'],
    ].map(function (r) { return '<tr><th>' + r[0] + '</th><td>' + r[1] + '</td></tr>' }).join('')
    document.querySelector('#apis tbody').innerHTML = Object.keys(s.apis).map(function (name) {
      var api = s.apis[name]
      return row([esc(name) + (api.default ? ' <span class="badge">default</span>' : ''), esc(api.authMode) + (api.token ? ' (' + esc(api.token) + ')' : ''), '<code>' + esc(api.endpoint) + '</code>', '<code>' + esc(api.apiKey || '') + '</code>'])
    }).join('')
    document.querySelector('#calls tbody').innerHTML = s.calls.map(function (c) {
      var headers = Object.keys(c.headers).map(function (h) { return esc(h) + ': <code>' + esc(c.headers[h]) + '</code>' }).join('<br>')
      var result = c.error ? '<span class="bad">' + esc(c.status || '') + ' ' + esc(c.error) + '</span>' : '<span class="ok">' + esc(c.status) + '</span>'
      return row([esc(c.at.slice(11, 23)), esc(c.method) + ' ' + esc(c.apiName) + ' <code>' + esc(c.path) + '</code>', esc(c.authMode), headers || '<span class="muted">none</span>', c.signed ? 'SigV4' : 'no', result, esc(c.durationMs)])
    }).join('')
  }
  function act(name) { return function () { var b = bridge(); if (b) Promise.resolve(b[name]()).catch(function () {}).then(render) } }
  document.getElementById('refresh').onclick = act('refresh')
  document.getElementById('signout').onclick = act('signOut')
  document.getElementById('clear').onclick = act('clear')
  render()
  setInterval(render, 500)
})()
</script>
</body>
</html>`
