import { initAll } from '/static/govuk/govuk-frontend.min.js'
initAll()

// Wide tables scroll inside their own labelled region, never the whole page (WCAG 1.4.10 reflow). A region
// that scrolls takes keyboard focus so it can be scrolled without a mouse.
function markScrollable () {
  document.querySelectorAll('.app-table-wrapper').forEach(function (wrapper) {
    if (wrapper.scrollWidth > wrapper.clientWidth + 1) {
      wrapper.setAttribute('tabindex', '0')
    } else {
      wrapper.removeAttribute('tabindex')
    }
  })
}

function wrapTables (root) {
  root.querySelectorAll('table.govuk-table').forEach(function (table) {
    let wrapper = table.parentElement
    if (!wrapper.classList.contains('app-table-wrapper')) {
      wrapper = document.createElement('div')
      wrapper.className = 'app-table-wrapper'
      table.parentNode.insertBefore(wrapper, table)
      wrapper.appendChild(table)
    }
    if (!wrapper.hasAttribute('role')) {
      const caption = table.querySelector('caption')
      wrapper.setAttribute('role', 'region')
      wrapper.setAttribute('aria-label', caption && caption.textContent.trim() ? caption.textContent.trim() : 'Table')
    }
  })
  markScrollable()
}

// On a phone a long filter panel would push the list off the first screen: fold it into a GOV.UK details.
function foldFilters () {
  if (!window.matchMedia('(max-width: 40.0525em)').matches) return
  document.querySelectorAll('form.app-filters').forEach(function (form) {
    if (form.closest('details') || form.querySelectorAll('.govuk-form-group').length < 3) return
    const details = document.createElement('details')
    details.className = 'govuk-details app-filter-details'
    const summary = document.createElement('summary')
    summary.className = 'govuk-details__summary'
    const text = document.createElement('span')
    text.className = 'govuk-details__summary-text'
    text.textContent = form.getAttribute('aria-label') || 'Filter'
    summary.appendChild(text)
    const body = document.createElement('div')
    body.className = 'govuk-details__text'
    form.parentNode.insertBefore(details, form)
    details.appendChild(summary)
    details.appendChild(body)
    body.appendChild(form)
  })
}

wrapTables(document)
foldFilters()
window.addEventListener('resize', markScrollable)
document.body.addEventListener('htmx:afterSwap', function (event) { wrapTables(event.target) })
