// Warn before the idle timeout signs a person out (core.middleware.IdleTimeoutMiddleware), and let them stay
// signed in without leaving the page: "Stay signed in" posts to the keep-alive address in the background.
const body = document.body
const timeout = Number(body.dataset.idleTimeout) * 1000
const warning = Number(body.dataset.idleWarning) * 1000
const dialog = document.getElementById('idle-timeout-dialog')

if (timeout && dialog && typeof dialog.showModal === 'function') {
  const countdown = dialog.querySelector('[data-idle-countdown]')
  const form = dialog.querySelector('form')
  let warnTimer, endTimer, tickTimer, endsAt

  const describe = function (ms) {
    const seconds = Math.max(0, Math.round(ms / 1000))
    if (seconds >= 60) {
      const minutes = Math.round(seconds / 60)
      return minutes + (minutes === 1 ? ' minute' : ' minutes')
    }
    return seconds + (seconds === 1 ? ' second' : ' seconds')
  }

  // The dialog's text is read once when it opens (aria-describedby); the countdown is not a live region,
  // so a screen reader is not interrupted every second.
  const tick = function () { countdown.textContent = describe(endsAt - Date.now()) }

  const start = function () {
    clearTimeout(warnTimer); clearTimeout(endTimer); clearInterval(tickTimer)
    endsAt = Date.now() + timeout
    warnTimer = setTimeout(function () {
      countdown.textContent = describe(endsAt - Date.now())
      dialog.showModal()
      tickTimer = setInterval(tick, 1000)
    }, Math.max(0, timeout - warning))
    // At the end the server has already signed the person out: reloading shows the sign-in page and why.
    endTimer = setTimeout(function () { window.location.reload() }, timeout + 1000)
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault()
    fetch(form.action, { method: 'POST', body: new FormData(form), headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (response) {
        if (response.status === 204) {
          dialog.close()
          start()
        } else {
          window.location.reload()
        }
      })
      .catch(function () { window.location.reload() })
  })
  dialog.addEventListener('cancel', function (event) {
    // Escape means "I'm here": the same as Stay signed in.
    event.preventDefault()
    form.requestSubmit()
  })
  start()
}
