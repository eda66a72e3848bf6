"""Steps shared by the browser tests."""


def open_menu(page):
    """On a phone the staff navigation sits behind the "Danh mục" button, as a user would find it."""
    toggle = page.get_by_role("button", name="Danh mục")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false":
        toggle.click()
