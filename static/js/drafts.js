// Long forms keep a draft of what is typed in this browser (localStorage), so a refused form (the CSRF page), a
// session that ended or a closed tab loses nothing. Only forms marked data-keep-draft, only for the signed-in
// person (the key holds their id, so another person on this browser never sees it), never password, file or
// hidden fields (the CSRF token is a hidden field).
//
// A submitted draft is kept until the answer shows the submission was taken: a redirect from the form's page to
// a page without the form (POST, redirect, GET). The same form shown again with errors keeps the draft (the page
// already shows what was sent); the CSRF page, a server error, or the sign-in page after a session ended keep
// it too, and it is restored when the form is next shown without errors.
const body = document.body
const user = body.dataset.userId
const PREFIX = 'draft:'
const PENDING = 'draft-submitted'
const MAX_AGE = 7 * 24 * 60 * 60 * 1000 // drafts nobody came back to are dropped after a week
const SKIPPED_TYPES = ['password', 'file', 'hidden', 'submit', 'button', 'reset', 'image']
let restoring = false // while a draft is put back, its own input events are not saved

function keyFor (form) {
  // The attribute, not form.action, which a field named "action" would shadow; no attribute posts to this page.
  const action = new URL(form.getAttribute('action') || window.location.href, window.location.href)
  return PREFIX + user + ':' + action.pathname + action.search
}

function kept (element) {
  return element.name && !element.disabled && element.name !== 'csrfmiddlewaretoken' &&
    !SKIPPED_TYPES.includes(element.type) && element.tagName !== 'BUTTON' && element.tagName !== 'FIELDSET'
}

// {name: [values]}: a text box's value in the order of the boxes with that name; the ticked values of
// checkboxes and radios (an empty list when none is ticked); the chosen options of a select.
function collect (form) {
  const fields = {}
  Array.from(form.elements).filter(kept).forEach(function (element) {
    const values = fields[element.name] || (fields[element.name] = [])
    if (element.type === 'checkbox' || element.type === 'radio') {
      if (element.checked) values.push(element.value)
    } else if (element.type === 'select-multiple') {
      Array.from(element.selectedOptions).forEach(function (option) { values.push(option.value) })
    } else {
      values.push(element.value)
    }
  })
  return fields
}

function apply (form, fields) {
  const position = {}
  Array.from(form.elements).filter(kept).forEach(function (element) {
    const values = fields[element.name]
    if (!values) return
    if (element.type === 'checkbox' || element.type === 'radio') {
      const wanted = values.includes(element.value)
      // A click, not .checked, so GOV.UK's conditional reveals follow.
      if (wanted !== element.checked) {
        if (wanted || element.type === 'checkbox') element.click()
        else element.checked = false
      }
    } else if (element.type === 'select-multiple') {
      Array.from(element.options).forEach(function (option) { option.selected = values.includes(option.value) })
    } else {
      const index = position[element.name] || 0
      position[element.name] = index + 1
      if (index < values.length && element.value !== values[index]) {
        element.value = values[index]
        element.dispatchEvent(new Event('input', { bubbles: true }))
      }
    }
  })
}

function same (a, b) { return JSON.stringify(a) === JSON.stringify(b) }

function read (key) {
  try {
    const draft = JSON.parse(window.localStorage.getItem(key))
    return draft && draft.fields ? draft : null
  } catch (error) {
    return null
  }
}

function write (key, fields) {
  try {
    window.localStorage.setItem(key, JSON.stringify({ savedAt: Date.now(), fields }))
  } catch (error) {
    // Storage full or refused (private browsing): the form works as it would without drafts.
  }
}

function forget (key) {
  try { window.localStorage.removeItem(key) } catch (error) {}
}

function dropOldDrafts () {
  try {
    Object.keys(window.localStorage).forEach(function (key) {
      if (!key.startsWith(PREFIX)) return
      const draft = read(key)
      if (!draft || !(Date.now() - draft.savedAt < MAX_AGE)) forget(key)
    })
  } catch (error) {}
}

function pending () {
  try { return JSON.parse(window.sessionStorage.getItem(PENDING)) } catch (error) { return null }
}

function setPending (value) {
  try {
    if (value) window.sessionStorage.setItem(PENDING, JSON.stringify(value))
    else window.sessionStorage.removeItem(PENDING)
  } catch (error) {}
}

function redirected () {
  const navigation = window.performance && performance.getEntriesByType
    ? performance.getEntriesByType('navigation')[0]
    : null
  return navigation ? navigation.redirectCount > 0 : true
}

function hasErrors (form) {
  return Boolean(form.querySelector('.govuk-form-group--error') || document.querySelector('.govuk-error-summary'))
}

function describeTime (savedAt) {
  const when = new Date(savedAt)
  const time = when.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })
  const today = new Date().toDateString() === when.toDateString()
  return today ? 'today at ' + time : when.toLocaleDateString('en-GB', { day: 'numeric', month: 'long' }) + ' at ' + time
}

let bannerCount = 0

function showBanner (form, key, draft, pageValues) {
  bannerCount += 1
  const titleId = 'draft-restored-title-' + bannerCount
  const banner = document.createElement('div')
  banner.className = 'govuk-notification-banner app-draft-banner'
  banner.setAttribute('role', 'region')
  banner.setAttribute('aria-labelledby', titleId)
  banner.setAttribute('data-draft-banner', '')
  const header = document.createElement('div')
  header.className = 'govuk-notification-banner__header'
  const title = document.createElement('h2')
  title.className = 'govuk-notification-banner__title'
  title.id = titleId
  title.textContent = 'Important'
  header.appendChild(title)
  const content = document.createElement('div')
  content.className = 'govuk-notification-banner__content'
  const heading = document.createElement('p')
  heading.className = 'govuk-notification-banner__heading'
  heading.textContent = 'We restored what you typed earlier'
  const text = document.createElement('p')
  text.className = 'govuk-body'
  text.textContent = 'It was kept in this browser ' + describeTime(draft.savedAt) +
    ' and has not been saved yet. Check it and send the form, or discard it to see the form as it was.'
  const discard = document.createElement('button')
  discard.type = 'button'
  discard.className = 'govuk-button govuk-button--secondary govuk-!-margin-bottom-0'
  discard.textContent = 'Discard'
  discard.addEventListener('click', function () {
    restoring = true
    apply(form, pageValues)
    restoring = false
    forget(key)
    banner.remove()
    const firstField = Array.from(form.elements).find(kept)
    if (firstField) firstField.focus()
  })
  content.appendChild(heading)
  content.appendChild(text)
  content.appendChild(discard)
  banner.appendChild(header)
  banner.appendChild(content)
  const main = document.getElementById('main-content') || form.parentNode
  main.insertBefore(banner, main.firstChild)
}

function keepDraft (form) {
  const key = keyFor(form)
  const pageValues = collect(form)
  const submitted = pending()
  if (submitted && submitted.key === key) setPending(null)
  const draft = read(key)
  if (draft && !hasErrors(form) && !same(draft.fields, pageValues)) {
    restoring = true
    apply(form, draft.fields)
    restoring = false
    showBanner(form, key, draft, pageValues)
  }
  const save = function () { if (!restoring) write(key, collect(form)) }
  form.addEventListener('input', save)
  form.addEventListener('change', save)
  form.addEventListener('submit', function () {
    write(key, collect(form))
    // As document.referrer will name it on the next page: without the #fragment an error summary link adds.
    setPending({ key, page: window.location.href.split('#')[0] })
  })
  return key
}

if (user) {
  dropOldDrafts()
  const keys = Array.from(document.querySelectorAll('form[data-keep-draft]')).map(keepDraft)
  const submitted = pending()
  // The form was sent and the answer is another page reached by a redirect from it: the submission was taken.
  if (submitted && !keys.includes(submitted.key) && document.referrer === submitted.page) {
    if (redirected()) forget(submitted.key)
    setPending(null)
  }
}
